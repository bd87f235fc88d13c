/*
 * The raiser: µIR functions -> LLVM IR, through the LLVM C API only (raise.h, docs/aot.md).
 *
 *  - One LLVM function `void xl_aot_<hex>_<a|t>(ptr noalias nocapture-free %cpu)` per
 *    raise_function. Its entry block holds one alloca per µIR global the function touches,
 *    loaded from struct cpu, and one alloca per local temp; every other µIR temp access is a
 *    load or store of those allocas, so any block order is valid IR and mem2reg/SROA turn
 *    it into SSA. Each µIR block is split into LLVM blocks at labels and brconds.
 *  - Guest memory is `inttoptr (zext addr)` with align 1 and !alias.scope "xl.guest";
 *    struct cpu accesses carry !noalias "xl.guest", so guest stores never force registers
 *    back to memory.
 *  - Globals go back to struct cpu ("sync") before every call out, every helper that
 *    takes env, and every return; they are reloaded after calls that return.
 *  - Helpers come from the bitcode embedded at build time (cmake/llvm.cmake), linked into
 *    every module, internal + alwaysinline; their mutable globals (the VFP exception
 *    accumulator) become external declarations, so the runtime's native copy is shared.
 *  - A function that fails (an op it cannot raise, the verifier) becomes a `ret void` stub
 *    under the same name, so calls to it from other modules still link and fall back to the
 *    dispatcher (the caller's return-address check fails); it is left out of the table.
 *  - jobs > 1: functions are dealt round-robin to modules, one LLVMContext and one thread
 *    each. Phase 1 raises; the table (module 0) is built once every failure is known;
 *    phase 2 optimizes and emits.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/Core.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "known.h"
#include "raise.h"
#include "../helpers/helpers.h"

#define XL_TRIPLE "x86_64-pc-linux-gnu"

/* The helpers' bitcode (generated helpers_bc.S). */
extern const char xl_helpers_bc[], xl_helpers_bc_end[];

/* ---- program-wide, read-only while threads run ---- */

struct pent {
    uint32_t key;           /* entry | thumb */
    uint32_t idx;           /* index in fns */
};

struct rprog {
    const struct raise_function *fns;
    size_t nfns;
    struct pent *ents;      /* sorted by key, duplicates removed */
    size_t nents;
    bool *skip;             /* duplicate entries: never raised */
    bool *failed;           /* written only by the thread that owns the function */
    const struct raise_options *o;
    enum raise_emit emit;
    unsigned jobs;
    bool progress;
    atomic_uint done;
    pthread_mutex_t lock;   /* stderr lines */
};

/* ---- one module (one thread) ---- */

struct rmod {
    struct rprog *p;
    unsigned index;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMTargetMachineRef tm;
    LLVMBuilderRef bld, abld;   /* code, and the entry block's allocas */
    LLVMTypeRef i1, i8, i16, i32, i64, ptr, vd, fnty;
    unsigned md_scope, md_noalias;
    LLVMValueRef guest_scopes;  /* !{!"xl.guest" scope} as a value */
    char path[4096];
    char err[256];
    int rc;
};

/* ---- one function ---- */

struct bkey {
    uint32_t key;
    uint32_t idx;
};

struct rfn {
    struct rmod *m;
    const struct raise_function *f;
    LLVMValueRef fn, cpu;
    LLVMBasicBlockRef entry;
    LLVMValueRef entry_lr, entry_sp;    /* cpu->r[14], r[13] at entry (on first use) */
    LLVMBasicBlockRef *bb;          /* per raise_block */
    struct bkey *keys;              /* sorted (addr | thumb) -> block */
    uint32_t nkeys;
    bool gused[IR_NUM_GLOBALS];
    bool gwritten[IR_NUM_GLOBALS];  /* an output of some op: only these need syncing */
    LLVMValueRef gslot[IR_NUM_GLOBALS];
    LLVMValueRef *loc[2];           /* per temp index, per type */
    /* The value a global or temp slot holds at the end of the LLVM block the builder is
     * in, if that block already loaded or stored it: no reload of what is known. */
    struct tcache { LLVMValueRef v; LLVMBasicBlockRef bb; } gc[IR_NUM_GLOBALS], *lc[2];
    uint32_t nloc;
    const struct raise_block *rb;
    const struct ir_block *b;
    LLVMBasicBlockRef *labels;
    uint32_t cap_labels;
    const char *fail;
};

static void fail(struct rfn *r, const char *why)
{
    if (!r->fail)
        r->fail = why;
}

static int cmp_u32(uint32_t a, uint32_t b) { return a < b ? -1 : a > b; }
static int cmp_pent(const void *a, const void *b)
{
    return cmp_u32(((const struct pent *)a)->key, ((const struct pent *)b)->key);
}
static int cmp_bkey(const void *a, const void *b)
{
    return cmp_u32(((const struct bkey *)a)->key, ((const struct bkey *)b)->key);
}

static void fn_name(char *buf, size_t n, uint32_t key)
{
    snprintf(buf, n, "xl_aot_%x_%c", key & ~1u, (key & 1) ? 't' : 'a');
}

static const struct pent *prog_find(const struct rprog *p, uint32_t key)
{
    struct pent k = { .key = key };
    return bsearch(&k, p->ents, p->nents, sizeof(k), cmp_pent);
}

/* The known routine (known.h) the function at key is, or KNOWN_NONE. */
static enum known_routine known_at(const struct rprog *p, uint32_t key)
{
    const struct pent *e = p->o->no_known ? NULL : prog_find(p, key);
    return e ? known_routine(p->fns[e->idx].name) : KNOWN_NONE;
}

/* ---- types, attributes, metadata ---- */

static void add_fn_attr(struct rmod *m, LLVMValueRef fn, unsigned idx, const char *name)
{
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    LLVMAddAttributeAtIndex(fn, idx, LLVMCreateEnumAttribute(m->ctx, kind, 0));
}

/* The raised function called `key`, declared in this module if it is defined elsewhere. */
static LLVMValueRef prog_fn(struct rmod *m, uint32_t key)
{
    char name[64];
    fn_name(name, sizeof(name), key);
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, name);
    if (!fn) {
        fn = LLVMAddFunction(m->mod, name, m->fnty);
        add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "nounwind");
    }
    return fn;
}

/* A runtime entry point (runtime/aot.h). */
static LLVMValueRef rt_fn(struct rmod *m, const char *name, LLVMTypeRef ty)
{
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, name);
    if (!fn)
        fn = LLVMAddFunction(m->mod, name, ty);
    return fn;
}

static LLVMValueRef call(struct rmod *m, LLVMValueRef fn, LLVMValueRef *args, unsigned n)
{
    return LLVMBuildCall2(m->bld, LLVMGlobalGetValueType(fn), fn, args, n, "");
}

static LLVMTypeRef ty_of(struct rmod *m, unsigned t) { return t == IR_I64 ? m->i64 : m->i32; }

/* ---- struct cpu and temps ---- */

static LLVMValueRef cpu_ptr(struct rfn *r, LLVMBuilderRef bld, unsigned off)
{
    struct rmod *m = r->m;
    if (off == 0)
        return r->cpu;
    LLVMValueRef idx = LLVMConstInt(m->i64, off, 0);
    return LLVMBuildInBoundsGEP2(bld, m->i8, r->cpu, &idx, 1, "");
}

static LLVMValueRef cpu_load(struct rfn *r, LLVMBuilderRef bld, LLVMTypeRef ty, unsigned off)
{
    LLVMValueRef v = LLVMBuildLoad2(bld, ty, cpu_ptr(r, bld, off), "");
    LLVMSetAlignment(v, ty == r->m->i64 ? 8 : 4);
    LLVMSetMetadata(v, r->m->md_noalias, r->m->guest_scopes);
    return v;
}

static void cpu_store(struct rfn *r, LLVMValueRef v, unsigned off)
{
    LLVMValueRef s = LLVMBuildStore(r->m->bld, v, cpu_ptr(r, r->m->bld, off));
    LLVMSetAlignment(s, LLVMTypeOf(v) == r->m->i64 ? 8 : 4);
    LLVMSetMetadata(s, r->m->md_noalias, r->m->guest_scopes);
}

/* Loads slot (cached in c), or the value the current block last loaded or stored there. */
static LLVMValueRef slot_load(struct rfn *r, struct tcache *c, LLVMTypeRef ty, LLVMValueRef slot)
{
    LLVMBasicBlockRef bb = LLVMGetInsertBlock(r->m->bld);
    if (c->bb == bb && c->v && LLVMTypeOf(c->v) == ty)
        return c->v;
    c->v = LLVMBuildLoad2(r->m->bld, ty, slot, "");
    c->bb = bb;
    return c->v;
}

static void slot_store(struct rfn *r, struct tcache *c, LLVMValueRef v, LLVMValueRef slot)
{
    LLVMBuildStore(r->m->bld, v, slot);
    c->v = v;
    c->bb = LLVMGetInsertBlock(r->m->bld);
}

/* Globals the function never writes need no store: struct cpu already holds them. */
static void sync_globals(struct rfn *r)
{
    struct rmod *m = r->m;
    for (unsigned g = 0; g < IR_NUM_GLOBALS; g++)
        if (r->gwritten[g]) {
            LLVMTypeRef ty = ty_of(m, ir_globals[g].type);
            cpu_store(r, slot_load(r, &r->gc[g], ty, r->gslot[g]), ir_globals[g].offset);
        }
}

static void reload_globals(struct rfn *r)
{
    struct rmod *m = r->m;
    for (unsigned g = 0; g < IR_NUM_GLOBALS; g++)
        if (r->gused[g]) {
            LLVMTypeRef ty = ty_of(m, ir_globals[g].type);
            slot_store(r, &r->gc[g], cpu_load(r, m->bld, ty, ir_globals[g].offset), r->gslot[g]);
        }
}

static struct tcache *temp_cache(struct rfn *r, ir_temp t)
{
    if (t < IR_NUM_GLOBALS)
        return &r->gc[t];
    return &r->lc[r->b->temps[t].type == IR_I64][t];
}

static LLVMValueRef temp_slot(struct rfn *r, ir_temp t)
{
    if (t < IR_NUM_GLOBALS)
        return r->gslot[t];
    const struct ir_temp_info *ti = &r->b->temps[t];
    unsigned k = ti->type == IR_I64;
    if (!r->loc[k][t])
        r->loc[k][t] = LLVMBuildAlloca(r->m->abld, ty_of(r->m, ti->type), "");
    return r->loc[k][t];
}

static bool temp_ok(struct rfn *r, uint64_t t)
{
    if (t >= r->b->n_temps || t >= r->nloc) {
        fail(r, "temp out of range");
        return false;
    }
    return true;
}

static LLVMValueRef get(struct rfn *r, uint64_t t)
{
    struct rmod *m = r->m;
    if (!temp_ok(r, t))
        return LLVMGetUndef(m->i32);
    const struct ir_temp_info *ti = &r->b->temps[t];
    LLVMTypeRef ty = ty_of(m, ti->type);
    if (ti->kind == IR_TEMP_CONST)
        return LLVMConstInt(ty, ti->type == IR_I64 ? ti->val : (uint32_t)ti->val, 0);
    return slot_load(r, temp_cache(r, (ir_temp)t), ty, temp_slot(r, (ir_temp)t));
}

/* Stores v into temp t, converting between i32 and i64 if the op's types disagree. */
static void set(struct rfn *r, uint64_t t, LLVMValueRef v)
{
    struct rmod *m = r->m;
    if (!temp_ok(r, t))
        return;
    const struct ir_temp_info *ti = &r->b->temps[t];
    if (ti->kind == IR_TEMP_CONST) {
        fail(r, "write to a constant temp");
        return;
    }
    LLVMTypeRef ty = ty_of(m, ti->type);
    if (LLVMTypeOf(v) != ty)
        v = ty == m->i64 ? LLVMBuildZExt(m->bld, v, ty, "") : LLVMBuildTrunc(m->bld, v, ty, "");
    slot_store(r, temp_cache(r, (ir_temp)t), v, temp_slot(r, (ir_temp)t));
}

/* Value of t as an integer of type ty (helper arguments). */
static LLVMValueRef get_as(struct rfn *r, uint64_t t, LLVMTypeRef ty)
{
    LLVMValueRef v = get(r, t);
    if (LLVMTypeOf(v) == ty)
        return v;
    return ty == r->m->i64 ? LLVMBuildZExt(r->m->bld, v, ty, "") : LLVMBuildTrunc(r->m->bld, v, ty, "");
}

/* ---- control flow ---- */

static bool terminated(LLVMBuilderRef bld)
{
    return LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(bld)) != NULL;
}

/* Code after a terminator (dead, or reached through a later label) goes to a fresh block. */
static void ensure_open(struct rfn *r)
{
    if (terminated(r->m->bld)) {
        LLVMBasicBlockRef nb = LLVMAppendBasicBlockInContext(r->m->ctx, r->fn, "");
        LLVMPositionBuilderAtEnd(r->m->bld, nb);
    }
}

static LLVMBasicBlockRef label_bb(struct rfn *r, uint64_t l)
{
    if (l >= r->b->n_labels) {
        fail(r, "label out of range");
        l = 0;
        if (!r->b->n_labels)
            return LLVMAppendBasicBlockInContext(r->m->ctx, r->fn, "");
    }
    if (!r->labels[l])
        r->labels[l] = LLVMAppendBasicBlockInContext(r->m->ctx, r->fn, "");
    return r->labels[l];
}

static LLVMBasicBlockRef block_of(struct rfn *r, uint32_t key)
{
    struct bkey k = { .key = key };
    const struct bkey *e = bsearch(&k, r->keys, r->nkeys, sizeof(k), cmp_bkey);
    return e ? r->bb[e->idx] : NULL;
}

static void ret_void(struct rfn *r)
{
    LLVMBuildRetVoid(r->m->bld);
}

/*
 * After a call out (globals synced): if cpu->r[15]/thumb is `expect` and its block is in
 * this function, reload and continue there; else return to our caller (docs/aot.md).
 */
static void continue_at(struct rfn *r, uint32_t expect)
{
    struct rmod *m = r->m;
    LLVMBasicBlockRef target = block_of(r, expect);
    if (!target && !prog_find(m->p, expect)) {
        ret_void(r);
        return;
    }
    LLVMValueRef pc = cpu_load(r, m->bld, m->i32, ir_globals[IR_G_PC].offset);
    LLVMValueRef th = cpu_load(r, m->bld, m->i32, ir_globals[IR_G_THUMB].offset);
    LLVMValueRef ok = LLVMBuildAnd(m->bld,
        LLVMBuildICmp(m->bld, LLVMIntEQ, pc, LLVMConstInt(m->i32, expect & ~1u, 0), ""),
        LLVMBuildICmp(m->bld, LLVMIntEQ, th, LLVMConstInt(m->i32, expect & 1u, 0), ""), "");
    LLVMBasicBlockRef yes = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBasicBlockRef no = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBuildCondBr(m->bld, ok, yes, no);
    LLVMPositionBuilderAtEnd(m->bld, no);
    ret_void(r);
    LLVMPositionBuilderAtEnd(m->bld, yes);
    if (!target) {                  /* a function of its own (after setjmp): a tail call */
        LLVMValueRef arg = r->cpu;
        LLVMSetTailCall(call(m, prog_fn(m, expect), &arg, 1), 1);
        ret_void(r);
        return;
    }
    reload_globals(r);
    LLVMBuildBr(m->bld, target);
}

/*
 * Control goes where this function cannot follow (globals synced): the runtime runs the
 * guest (xl_aot_run_until, docs/aot.md "Nested runs") until it comes back to the return
 * address this function was entered with (the entry lr, state in bit 0), then we return;
 * the caller's check passes and it goes on in AOT code. Any other outcome (the guest
 * unwound past this frame) is the same as a return with a mismatch.
 */
static void run_to_return(struct rfn *r)
{
    struct rmod *m = r->m;
    if (!r->entry_lr) {     /* the entry block ends in its br only when raise_one is done */
        r->entry_lr = cpu_load(r, m->abld, m->i32, ir_globals[IR_G_R14].offset);
        r->entry_sp = cpu_load(r, m->abld, m->i32, ir_globals[IR_G_R13].offset);
    }
    LLVMTypeRef pt[3] = { m->ptr, m->i32, m->i32 };
    LLVMValueRef args[3] = { r->cpu, r->entry_lr, r->entry_sp };
    call(m, rt_fn(m, "xl_aot_run_until", LLVMFunctionType(m->vd, pt, 3, 0)), args, 3);
    ret_void(r);
}

/* A call whose callee has no AOT function (globals synced, cpu->r[15] is the callee): the
   runtime runs it until it returns to ret_addr with the sp of the call, then as after a
   host call. */
static void run_call(struct rfn *r, uint32_t ret_addr)
{
    struct rmod *m = r->m;
    LLVMTypeRef pt[3] = { m->ptr, m->i32, m->i32 };
    LLVMValueRef args[3] = { r->cpu, LLVMConstInt(m->i32, ret_addr, 0),
                             cpu_load(r, m->bld, m->i32, ir_globals[IR_G_R13].offset) };
    call(m, rt_fn(m, "xl_aot_run_until", LLVMFunctionType(m->vd, pt, 3, 0)), args, 3);
    continue_at(r, ret_addr);
}

static uint32_t return_addr(struct rfn *r)
{
    const struct xl_dblock *d = r->rb->d;
    if (d && d->nsucc)
        return d->succ[0];
    return r->b->guest_end | r->b->thumb;
}

/* A known routine on r0-r3 at the builder's position (known.h): fallback when its guard
   fails, else the results in r0-r3 and pc/thumb = ret (a value, or NULL: the constant
   ret_key), with the builder left after it. */
static void known_inline(struct rfn *r, enum known_routine kr, LLVMBasicBlockRef fallback,
                         uint32_t ret_key)
{
    struct rmod *m = r->m;
    LLVMValueRef a[4], out[4];
    for (unsigned i = 0; i < 4; i++)
        a[i] = slot_load(r, &r->gc[IR_G_R0 + i], m->i32, r->gslot[IR_G_R0 + i]);
    known_emit(kr, m->mod, m->bld, fallback, a, out);
    for (unsigned i = 0; i < 4; i++)
        if (out[i])
            slot_store(r, &r->gc[IR_G_R0 + i], out[i], r->gslot[IR_G_R0 + i]);
    LLVMValueRef pc, th;
    if (ret_key) {
        pc = LLVMConstInt(m->i32, ret_key & ~1u, 0);
        th = LLVMConstInt(m->i32, ret_key & 1u, 0);
    } else {                        /* a return: to lr */
        LLVMValueRef lr = slot_load(r, &r->gc[IR_G_R14], m->i32, r->gslot[IR_G_R14]);
        pc = LLVMBuildAnd(m->bld, lr, LLVMConstInt(m->i32, ~1u, 0), "");
        th = LLVMBuildAnd(m->bld, lr, LLVMConstInt(m->i32, 1, 0), "");
    }
    slot_store(r, &r->gc[IR_G_PC], pc, r->gslot[IR_G_PC]);
    slot_store(r, &r->gc[IR_G_THUMB], th, r->gslot[IR_G_THUMB]);
}

/* The host version of a known routine, in front of the translated body: returns like the
   guest routine (pc = lr) or goes on into the body when its guard fails. */
static LLVMBasicBlockRef known_block(struct rfn *r, enum known_routine kr)
{
    LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(r->m->ctx, r->fn, "known.guard");
    LLVMPositionBuilderAtEnd(r->m->bld, start);
    known_inline(r, kr, r->bb[0], 0);
    sync_globals(r);
    ret_void(r);
    return start;
}

static void gen_goto_tb(struct rfn *r, uint32_t target)
{
    struct rmod *m = r->m;
    const struct xl_dblock *d = r->rb->d;
    if (d && d->kind == XL_END_CALL && target == d->callee) {
        enum known_routine kr = known_at(m->p, target);
        LLVMBasicBlockRef cont = block_of(r, return_addr(r));
        if (kr != KNOWN_NONE && cont) {     /* inline: a constant divisor folds */
            LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
            known_inline(r, kr, slow, return_addr(r));
            LLVMBuildBr(m->bld, cont);
            LLVMPositionBuilderAtEnd(m->bld, slow);
        }
        sync_globals(r);
        if (!prog_find(m->p, target)) {
            run_call(r, return_addr(r));    /* the runtime runs the callee (pc is written) */
            return;
        }
        LLVMValueRef arg = r->cpu;
        call(m, prog_fn(m, target), &arg, 1);
        continue_at(r, return_addr(r));
        return;
    }
    LLVMBasicBlockRef bb = block_of(r, target);
    if (bb) {
        LLVMBuildBr(m->bld, bb);
        return;
    }
    sync_globals(r);
    if (prog_find(m->p, target)) {      /* a tail call to another function */
        LLVMValueRef arg = r->cpu;
        LLVMValueRef c = call(m, prog_fn(m, target), &arg, 1);
        LLVMSetTailCall(c, 1);
        ret_void(r);
        return;
    }
    run_to_return(r);                   /* code outside every function we know */
}

/* Largest table of block addresses for one computed jump (entries, 8 bytes each). */
#define XL_DISPATCH_TABLE_MAX 1024u

/*
 * A computed jump's targets (keys pc | thumb) that all share one mode, spaced step = 4
 * (ARM) or 2 (Thumb) bytes apart: an index rotr(key - lowest, log2 step) picks the target
 * from a table of block addresses and indirectbr goes there, one load and one host jump as
 * the guest's own table. A key off the targets' grid (another mode, misaligned) rotates its
 * low bits to the top, past the table's end: dflt, as are the table's holes. An LLVM
 * switch over such keys would be a tree of compares: they are too sparse for its jump
 * tables. Returns 0 when the targets do not fit this shape.
 */
static int dispatch_table(struct rfn *r, LLVMValueRef key, LLVMBasicBlockRef dflt,
                          const uint32_t *keys, LLVMBasicBlockRef *bbs, uint32_t n)
{
    struct rmod *m = r->m;
    if (n < 4)
        return 0;
    uint32_t lo = keys[0], hi = keys[0], shift = (keys[0] & 1) ? 1 : 2;
    for (uint32_t i = 0; i < n; i++) {
        if ((keys[i] - keys[0]) & ((1u << shift) - 1))
            return 0;
        lo = keys[i] < lo ? keys[i] : lo;
        hi = keys[i] > hi ? keys[i] : hi;
    }
    uint32_t size = ((hi - lo) >> shift) + 1;
    if (size > XL_DISPATCH_TABLE_MAX)
        return 0;
    LLVMValueRef *slots = malloc(size * sizeof(*slots));
    if (!slots)
        return 0;
    for (uint32_t i = 0; i < size; i++)
        slots[i] = LLVMBlockAddress(r->fn, dflt);
    for (uint32_t i = 0; i < n; i++)
        slots[(keys[i] - lo) >> shift] = LLVMBlockAddress(r->fn, bbs[i]);
    LLVMTypeRef aty = LLVMArrayType2(m->ptr, size);
    LLVMValueRef table = LLVMAddGlobal(m->mod, aty, "");
    LLVMSetInitializer(table, LLVMConstArray2(m->ptr, slots, size));
    LLVMSetGlobalConstant(table, 1);
    LLVMSetLinkage(table, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(table, LLVMGlobalUnnamedAddr);
    free(slots);

    LLVMValueRef d = LLVMBuildSub(m->bld, key, LLVMConstInt(m->i32, lo, 0), "");
    LLVMValueRef idx = LLVMBuildOr(m->bld,
        LLVMBuildLShr(m->bld, d, LLVMConstInt(m->i32, shift, 0), ""),
        LLVMBuildShl(m->bld, d, LLVMConstInt(m->i32, 32 - shift, 0), ""), "");
    LLVMBasicBlockRef in = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBuildCondBr(m->bld, LLVMBuildICmp(m->bld, LLVMIntULT, idx,
                                          LLVMConstInt(m->i32, size, 0), ""), in, dflt);
    LLVMPositionBuilderAtEnd(m->bld, in);
    LLVMValueRef at[2] = { LLVMConstInt(m->i64, 0, 0), LLVMBuildZExt(m->bld, idx, m->i64, "") };
    LLVMValueRef dest = LLVMBuildLoad2(m->bld, m->ptr,
                                       LLVMBuildInBoundsGEP2(m->bld, aty, table, at, 2, ""), "");
    LLVMValueRef br = LLVMBuildIndirectBr(m->bld, dest, n + 1);
    LLVMAddDestination(br, dflt);
    for (uint32_t i = 0; i < n; i++) {
        bool dup = false;
        for (uint32_t j = 0; j < i; j++)
            dup |= bbs[j] == bbs[i];
        if (!dup)
            LLVMAddDestination(br, bbs[i]);
    }
    return 1;
}

static void gen_goto_ptr(struct rfn *r)
{
    struct rmod *m = r->m;
    const struct xl_dblock *d = r->rb->d;
    enum xl_dblock_end kind = d ? d->kind : XL_END_INDIRECT;
    if (kind == XL_END_TABLE) {
        LLVMValueRef key = LLVMBuildOr(m->bld,
            LLVMBuildLoad2(m->bld, m->i32, r->gslot[IR_G_PC], ""),
            LLVMBuildLoad2(m->bld, m->i32, r->gslot[IR_G_THUMB], ""), "");
        LLVMBasicBlockRef dflt = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
        uint32_t *keys = malloc((d->nsucc + 1) * sizeof(*keys)), n = 0;
        LLVMBasicBlockRef *bbs = malloc((d->nsucc + 1) * sizeof(*bbs));
        if (!keys || !bbs) {
            free(keys);
            free(bbs);
            r->fail = "out of memory";
            return;
        }
        for (uint32_t i = 0; i < d->nsucc; i++) {
            LLVMBasicBlockRef bb = block_of(r, d->succ[i]);
            bool dup = false;
            for (uint32_t j = 0; j < i; j++)
                dup |= d->succ[j] == d->succ[i];
            if (dup || (!bb && !prog_find(m->p, d->succ[i])))
                continue;
            if (!bb) {                  /* another function's entry: a tail call */
                bb = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
                LLVMBasicBlockRef here = LLVMGetInsertBlock(m->bld);
                LLVMPositionBuilderAtEnd(m->bld, bb);
                gen_goto_tb(r, d->succ[i]);
                LLVMPositionBuilderAtEnd(m->bld, here);
            }
            keys[n] = d->succ[i];
            bbs[n++] = bb;
        }
        if (!dispatch_table(r, key, dflt, keys, bbs, n)) {
            LLVMValueRef sw = LLVMBuildSwitch(m->bld, key, dflt, n);
            for (uint32_t i = 0; i < n; i++)
                LLVMAddCase(sw, LLVMConstInt(m->i32, keys[i], 0), bbs[i]);
        }
        free(keys);
        free(bbs);
        LLVMPositionBuilderAtEnd(m->bld, dflt);
        sync_globals(r);
        run_to_return(r);
        return;
    }
    sync_globals(r);
    if (kind == XL_END_RETURN) {        /* the caller's check tells where we went */
        ret_void(r);
        return;
    }
    if (kind != XL_END_CALL_IND) {      /* other computed jumps (mov pc, rN; veneers) */
        run_to_return(r);
        return;
    }
    LLVMTypeRef rty = LLVMFunctionType(m->ptr, &m->ptr, 1, 0);
    LLVMValueRef arg = r->cpu;
    LLVMValueRef f = call(m, rt_fn(m, "xl_aot_resolve", rty), &arg, 1);
    LLVMBasicBlockRef found = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBasicBlockRef none = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBuildCondBr(m->bld, LLVMBuildIsNull(m->bld, f, ""), none, found);
    LLVMPositionBuilderAtEnd(m->bld, none);
    run_call(r, return_addr(r));
    LLVMPositionBuilderAtEnd(m->bld, found);
    LLVMBuildCall2(m->bld, m->fnty, f, &arg, 1, "");
    continue_at(r, return_addr(r));
}

static void gen_exit_tb(struct rfn *r, const struct ir_op *op, uint64_t reason)
{
    struct rmod *m = r->m;
    sync_globals(r);
    if (reason == IR_EXIT_LOOKUP || reason == IR_EXIT_CHAIN) {
        run_to_return(r);
        return;
    }
    /* As the JIT does: exit_pc is the insn that exited. */
    cpu_store(r, LLVMConstInt(m->i32, op->guest_pc, 0), ir_globals[IR_G_EXIT_PC].offset);
    LLVMValueRef args[2] = { r->cpu, LLVMConstInt(m->i32, reason, 0) };
    if (reason == IR_EXIT_SYSCALL) {
        LLVMTypeRef ty = LLVMFunctionType(m->vd, &m->ptr, 1, 0);
        call(m, rt_fn(m, "xl_aot_syscall", ty), args, 1);
        continue_at(r, return_addr(r));     /* a signal handler may have diverted */
        return;
    }
    LLVMTypeRef pt[2] = { m->ptr, m->i32 };
    LLVMTypeRef ty = LLVMFunctionType(m->vd, pt, 2, 0);
    call(m, rt_fn(m, "xl_aot_exit", ty), args, 2);
    ret_void(r);
}

/* ---- ops ---- */

static LLVMValueRef intrinsic(struct rmod *m, const char *name, LLVMTypeRef ty,
                              LLVMValueRef *args, unsigned n)
{
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(m->mod, id, &ty, 1);
    return LLVMBuildCall2(m->bld, LLVMIntrinsicGetType(m->ctx, id, &ty, 1), fn, args, n, "");
}

static LLVMValueRef gen_cmp(struct rfn *r, uint64_t c, LLVMValueRef a, LLVMValueRef b)
{
    LLVMBuilderRef bld = r->m->bld;
    LLVMIntPredicate p = LLVMIntEQ;
    switch ((enum ir_cond)c) {
    case IR_EQ: p = LLVMIntEQ; break;
    case IR_NE: p = LLVMIntNE; break;
    case IR_LT: p = LLVMIntSLT; break;
    case IR_GE: p = LLVMIntSGE; break;
    case IR_LE: p = LLVMIntSLE; break;
    case IR_GT: p = LLVMIntSGT; break;
    case IR_LTU: p = LLVMIntULT; break;
    case IR_GEU: p = LLVMIntUGE; break;
    case IR_LEU: p = LLVMIntULE; break;
    case IR_GTU: p = LLVMIntUGT; break;
    case IR_TSTEQ:
    case IR_TSTNE:
        return LLVMBuildICmp(bld, c == IR_TSTEQ ? LLVMIntEQ : LLVMIntNE,
                             LLVMBuildAnd(bld, a, b, ""), LLVMConstNull(LLVMTypeOf(a)), "");
    case IR_NUM_CONDS:
        break;
    }
    if (c >= IR_NUM_CONDS)
        fail(r, "bad condition");
    return LLVMBuildICmp(bld, p, a, b, "");
}

/* i32 shift/rotate counts modulo 32, i64 modulo 64 (ops.def). */
static LLVMValueRef count(struct rfn *r, LLVMValueRef n)
{
    LLVMTypeRef ty = LLVMTypeOf(n);
    unsigned w = ty == r->m->i64 ? 63 : 31;
    return LLVMBuildAnd(r->m->bld, n, LLVMConstInt(ty, w, 0), "");
}

/*
 * Guest address a + k (k a small constant, as in [rN, #k]) becomes host (zext a) + k, so
 * that the offset folds into the x86 addressing mode. It differs from zext(a + k) only when
 * a + k wraps around 2^32: then it lands in [4 GiB, 4 GiB + 64 KiB), which the runtime
 * keeps PROT_NONE, or below 0, never mapped; the guest gets the SIGSEGV it would get on
 * Linux, whose low 64 KiB are never mapped either (docs/aot.md).
 */
#define FOLD_LIMIT 0x10000

static LLVMValueRef guest_ptr(struct rfn *r, uint64_t addr)
{
    struct rmod *m = r->m;
    LLVMValueRef a = get_as(r, addr, m->i32), off = NULL;
    LLVMOpcode op = LLVMIsAInstruction(a) ? LLVMGetInstructionOpcode(a) : LLVMRet;
    if ((op == LLVMAdd || op == LLVMSub) && LLVMIsAConstantInt(LLVMGetOperand(a, 1))) {
        int64_t k = LLVMConstIntGetSExtValue(LLVMGetOperand(a, 1));
        if (op == LLVMSub)
            k = -k;
        if (k > -FOLD_LIMIT && k < FOLD_LIMIT) {
            off = LLVMConstInt(m->i64, (uint64_t)k, 1);
            a = LLVMGetOperand(a, 0);
        }
    }
    LLVMValueRef p = LLVMBuildIntToPtr(m->bld, LLVMBuildZExt(m->bld, a, m->i64, ""), m->ptr, "");
    return off ? LLVMBuildGEP2(m->bld, m->i8, p, &off, 1, "") : p;
}

static LLVMTypeRef mem_ty(struct rmod *m, unsigned memop)
{
    switch (memop & IR_MO_SIZE) {
    case IR_MO_8: return m->i8;
    case IR_MO_16: return m->i16;
    case IR_MO_32: return m->i32;
    default: return m->i64;
    }
}

static void gen_load(struct rfn *r, const uint64_t *o, const uint64_t *in, unsigned memop,
                     LLVMTypeRef rty)
{
    struct rmod *m = r->m;
    LLVMTypeRef ty = mem_ty(m, memop);
    LLVMValueRef v = LLVMBuildLoad2(m->bld, ty, guest_ptr(r, in[0]), "");
    LLVMSetAlignment(v, 1);
    LLVMSetMetadata(v, m->md_scope, m->guest_scopes);
    if (LLVMGetIntTypeWidth(ty) > LLVMGetIntTypeWidth(rty))
        v = LLVMBuildTrunc(m->bld, v, rty, "");
    else if (ty != rty)
        v = (memop & IR_MO_SIGN) ? LLVMBuildSExt(m->bld, v, rty, "")
                                 : LLVMBuildZExt(m->bld, v, rty, "");
    set(r, o[0], v);
}

static void gen_store(struct rfn *r, const uint64_t *in, unsigned memop)
{
    struct rmod *m = r->m;
    LLVMTypeRef ty = mem_ty(m, memop);
    LLVMValueRef v = get(r, in[0]);
    if (LLVMGetIntTypeWidth(LLVMTypeOf(v)) > LLVMGetIntTypeWidth(ty))
        v = LLVMBuildTrunc(m->bld, v, ty, "");
    else if (LLVMTypeOf(v) != ty)
        v = LLVMBuildZExt(m->bld, v, ty, "");
    LLVMValueRef s = LLVMBuildStore(m->bld, v, guest_ptr(r, in[1]));
    LLVMSetAlignment(s, 1);
    LLVMSetMetadata(s, m->md_scope, m->guest_scopes);
}

static LLVMValueRef helper_fn(struct rmod *m, const struct ir_helper_info *h)
{
    char name[96];
    snprintf(name, sizeof(name), "helper_%s", h->name);
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, name);
    if (fn)
        return fn;
    LLVMTypeRef at[4];
    for (unsigned i = 0; i < h->nargs && i < 4; i++)
        at[i] = h->args[i] == IR_HT_env ? m->ptr : ty_of(m, h->args[i] == IR_HT_i64);
    LLVMTypeRef rt = h->ret == IR_HT_void ? m->vd : ty_of(m, h->ret == IR_HT_i64);
    fn = LLVMAddFunction(m->mod, name, LLVMFunctionType(rt, at, h->nargs, 0));
    add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "nounwind");
    return fn;
}

static void gen_call(struct rfn *r, const struct ir_op *op)
{
    struct rmod *m = r->m;
    uint64_t hi = ir_op_consts_c(op)[0];
    if (hi >= IR_NUM_HELPERS || op->nout > 1) {
        fail(r, "bad helper call");
        return;
    }
    const struct ir_helper_info *h = &ir_helpers[hi];
    const uint64_t *ins = ir_op_ins_c(op);
    LLVMValueRef fn = helper_fn(m, h);
    LLVMTypeRef fty = LLVMGlobalGetValueType(fn);
    if (LLVMCountParamTypes(fty) != h->nargs || h->nargs > 4) {
        fail(r, "helper prototype mismatch");
        return;
    }
    LLVMTypeRef pt[4];
    LLVMGetParamTypes(fty, pt);
    LLVMValueRef args[4];
    unsigned k = 0;
    for (unsigned i = 0; i < h->nargs; i++) {
        if (h->args[i] == IR_HT_env) {
            args[i] = r->cpu;
            continue;
        }
        if (k >= op->nin) {
            fail(r, "helper call with too few inputs");
            return;
        }
        args[i] = get_as(r, ins[k++], pt[i]);
    }
    bool env = !(h->flags & (IR_H_PURE | IR_H_NOENV));
    if (env)
        sync_globals(r);
    LLVMValueRef v = LLVMBuildCall2(m->bld, fty, fn, args, h->nargs, "");
    if (env)
        reload_globals(r);
    if (op->nout && h->ret != IR_HT_void)
        set(r, op->args[0], v);
}

static uint32_t mask32(unsigned len) { return len >= 32 ? 0xffffffffu : (1u << len) - 1; }

static void gen_op(struct rfn *r, const struct ir_op *op)
{
    struct rmod *m = r->m;
    LLVMBuilderRef bld = m->bld;
    const uint64_t *o = ir_op_outs_c(op), *in = ir_op_ins_c(op), *c = ir_op_consts_c(op);
    if (op->opc != IR_set_label)
        ensure_open(r);
#define A get(r, in[0])
#define B get(r, in[1])
#define I32(v) LLVMConstInt(m->i32, (v), 0)
#define BIN(fn) set(r, o[0], fn(bld, A, B, ""))
    switch ((enum ir_opc)op->opc) {
    case IR_nop:
    case IR_insn_start:
        break;
    case IR_set_label: {
        LLVMBasicBlockRef l = label_bb(r, c[0]);
        if (!terminated(bld))
            LLVMBuildBr(bld, l);
        LLVMPositionBuilderAtEnd(bld, l);
        break;
    }
    case IR_br:
        LLVMBuildBr(bld, label_bb(r, c[0]));
        break;
    case IR_brcond_i32: {
        LLVMValueRef k = gen_cmp(r, c[0], A, B);
        LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
        LLVMBuildCondBr(bld, k, label_bb(r, c[1]), next);
        LLVMPositionBuilderAtEnd(bld, next);
        break;
    }
    case IR_mov_i32: set(r, o[0], A); break;
    case IR_add_i32: BIN(LLVMBuildAdd); break;
    case IR_sub_i32: BIN(LLVMBuildSub); break;
    case IR_mul_i32: BIN(LLVMBuildMul); break;
    case IR_and_i32: BIN(LLVMBuildAnd); break;
    case IR_or_i32: BIN(LLVMBuildOr); break;
    case IR_xor_i32: BIN(LLVMBuildXor); break;
    case IR_andc_i32: set(r, o[0], LLVMBuildAnd(bld, A, LLVMBuildNot(bld, B, ""), "")); break;
    case IR_shl_i32:
    case IR_shl_i64: set(r, o[0], LLVMBuildShl(bld, A, count(r, B), "")); break;
    case IR_shr_i32:
    case IR_shr_i64: set(r, o[0], LLVMBuildLShr(bld, A, count(r, B), "")); break;
    case IR_sar_i32:
    case IR_sar_i64: set(r, o[0], LLVMBuildAShr(bld, A, count(r, B), "")); break;
    case IR_rotr_i32: {
        LLVMValueRef a = A;
        LLVMValueRef args[3] = { a, a, B };     /* fshr takes the count modulo 32 */
        set(r, o[0], intrinsic(m, "llvm.fshr", m->i32, args, 3));
        break;
    }
    case IR_not_i32: set(r, o[0], LLVMBuildNot(bld, A, "")); break;
    case IR_neg_i32: set(r, o[0], LLVMBuildNeg(bld, A, "")); break;
    case IR_clz_i32: {
        LLVMValueRef args[2] = { A, LLVMConstInt(m->i1, 0, 0) };   /* clz(0) = 32 */
        set(r, o[0], intrinsic(m, "llvm.ctlz", m->i32, args, 2));
        break;
    }
    case IR_bswap_i32: {
        LLVMValueRef a = A;
        set(r, o[0], intrinsic(m, "llvm.bswap", m->i32, &a, 1));
        break;
    }
    case IR_ext8s_i32: set(r, o[0], LLVMBuildSExt(bld, LLVMBuildTrunc(bld, A, m->i8, ""), m->i32, ""));
        break;
    case IR_ext8u_i32: set(r, o[0], LLVMBuildZExt(bld, LLVMBuildTrunc(bld, A, m->i8, ""), m->i32, ""));
        break;
    case IR_ext16s_i32:
        set(r, o[0], LLVMBuildSExt(bld, LLVMBuildTrunc(bld, A, m->i16, ""), m->i32, ""));
        break;
    case IR_ext16u_i32:
        set(r, o[0], LLVMBuildZExt(bld, LLVMBuildTrunc(bld, A, m->i16, ""), m->i32, ""));
        break;
    case IR_extract_i32:
    case IR_sextract_i32: {
        unsigned pos = (unsigned)c[0], len = (unsigned)c[1];
        if (len == 0 || pos + len > 32) {
            fail(r, "bad bitfield");
            break;
        }
        LLVMValueRef v = A;
        if (op->opc == IR_sextract_i32) {
            if (32 - pos - len)
                v = LLVMBuildShl(bld, v, I32(32 - pos - len), "");
            if (32 - len)
                v = LLVMBuildAShr(bld, v, I32(32 - len), "");
        } else {
            if (pos)
                v = LLVMBuildLShr(bld, v, I32(pos), "");
            if (len < 32)
                v = LLVMBuildAnd(bld, v, I32(mask32(len)), "");
        }
        set(r, o[0], v);
        break;
    }
    case IR_deposit_i32: {
        unsigned pos = (unsigned)c[0], len = (unsigned)c[1];
        if (len == 0 || pos + len > 32) {
            fail(r, "bad bitfield");
            break;
        }
        uint32_t mk = mask32(len) << pos;
        LLVMValueRef a = LLVMBuildAnd(bld, A, I32(~mk), "");
        LLVMValueRef v = LLVMBuildAnd(bld, LLVMBuildShl(bld, B, I32(pos), ""), I32(mk), "");
        set(r, o[0], LLVMBuildOr(bld, a, v, ""));
        break;
    }
    case IR_setcond_i32:
        set(r, o[0], LLVMBuildZExt(bld, gen_cmp(r, c[0], A, B), m->i32, ""));
        break;
    case IR_movcond_i32: {
        LLVMValueRef k = gen_cmp(r, c[0], A, B);
        set(r, o[0], LLVMBuildSelect(bld, k, get(r, in[2]), get(r, in[3]), ""));
        break;
    }
    case IR_mulu2_i32:
    case IR_muls2_i32: {
        LLVMValueRef (*ext)(LLVMBuilderRef, LLVMValueRef, LLVMTypeRef, const char *) =
            op->opc == IR_muls2_i32 ? LLVMBuildSExt : LLVMBuildZExt;
        LLVMValueRef p = LLVMBuildMul(bld, ext(bld, A, m->i64, ""), ext(bld, B, m->i64, ""), "");
        set(r, o[0], LLVMBuildTrunc(bld, p, m->i32, ""));
        set(r, o[1], LLVMBuildTrunc(bld, LLVMBuildLShr(bld, p, LLVMConstInt(m->i64, 32, 0), ""),
                                    m->i32, ""));
        break;
    }
    case IR_add2_i32:
    case IR_sub2_i32: {
        LLVMValueRef k32 = LLVMConstInt(m->i64, 32, 0);
        LLVMValueRef x = LLVMBuildOr(bld, LLVMBuildZExt(bld, A, m->i64, ""),
            LLVMBuildShl(bld, LLVMBuildZExt(bld, B, m->i64, ""), k32, ""), "");
        LLVMValueRef y = LLVMBuildOr(bld, LLVMBuildZExt(bld, get(r, in[2]), m->i64, ""),
            LLVMBuildShl(bld, LLVMBuildZExt(bld, get(r, in[3]), m->i64, ""), k32, ""), "");
        LLVMValueRef s = op->opc == IR_add2_i32 ? LLVMBuildAdd(bld, x, y, "")
                                                : LLVMBuildSub(bld, x, y, "");
        set(r, o[0], LLVMBuildTrunc(bld, s, m->i32, ""));
        set(r, o[1], LLVMBuildTrunc(bld, LLVMBuildLShr(bld, s, k32, ""), m->i32, ""));
        break;
    }
    case IR_mov_i64: set(r, o[0], A); break;
    case IR_add_i64: BIN(LLVMBuildAdd); break;
    case IR_sub_i64: BIN(LLVMBuildSub); break;
    case IR_mul_i64: BIN(LLVMBuildMul); break;
    case IR_and_i64: BIN(LLVMBuildAnd); break;
    case IR_or_i64: BIN(LLVMBuildOr); break;
    case IR_xor_i64: BIN(LLVMBuildXor); break;
    case IR_ext_i32_i64: set(r, o[0], LLVMBuildSExt(bld, get_as(r, in[0], m->i32), m->i64, ""));
        break;
    case IR_extu_i32_i64: set(r, o[0], LLVMBuildZExt(bld, get_as(r, in[0], m->i32), m->i64, ""));
        break;
    case IR_extrl_i64_i32: set(r, o[0], LLVMBuildTrunc(bld, get_as(r, in[0], m->i64), m->i32, ""));
        break;
    case IR_extrh_i64_i32:
        set(r, o[0], LLVMBuildTrunc(bld, LLVMBuildLShr(bld, get_as(r, in[0], m->i64),
                                                       LLVMConstInt(m->i64, 32, 0), ""),
                                    m->i32, ""));
        break;
    case IR_concat_i32_i64:
        set(r, o[0], LLVMBuildOr(bld, LLVMBuildZExt(bld, get_as(r, in[0], m->i32), m->i64, ""),
                                 LLVMBuildShl(bld, LLVMBuildZExt(bld, get_as(r, in[1], m->i32),
                                                                 m->i64, ""),
                                              LLVMConstInt(m->i64, 32, 0), ""), ""));
        break;
    case IR_ld_i32: gen_load(r, o, in, (unsigned)c[0], m->i32); break;
    case IR_ld_i64: gen_load(r, o, in, (unsigned)c[0], m->i64); break;
    case IR_st_i32:
    case IR_st_i64:
        gen_store(r, in, (unsigned)c[0]);
        break;
    case IR_mb:
        LLVMBuildFence(bld, LLVMAtomicOrderingSequentiallyConsistent, 0, "");
        break;
    case IR_call:
        gen_call(r, op);
        break;
    case IR_goto_tb:
        gen_goto_tb(r, (uint32_t)c[0]);
        break;
    case IR_goto_ptr:
        gen_goto_ptr(r);
        break;
    case IR_exit_tb:
        gen_exit_tb(r, op, c[0]);
        break;
    case IR_NUM_OPS:
        fail(r, "bad op");
        break;
    }
#undef A
#undef B
#undef I32
#undef BIN
}

/* ---- functions ---- */

/* The same-named `ret void` stub that replaces a function that failed. */
static void stub_out(struct rmod *m, LLVMValueRef *fnp, const char *name)
{
    LLVMValueRef old = *fnp;
    LLVMSetValueName2(old, "xl_aot_failed", 13);
    LLVMValueRef fn = LLVMAddFunction(m->mod, name, m->fnty);
    add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "nounwind");
    LLVMPositionBuilderAtEnd(m->bld, LLVMAppendBasicBlockInContext(m->ctx, fn, "entry"));
    LLVMBuildRetVoid(m->bld);
    LLVMReplaceAllUsesWith(old, fn);
    LLVMDeleteFunction(old);
    *fnp = fn;
}

static void warn(struct rprog *p, uint32_t entry, const char *why)
{
    pthread_mutex_lock(&p->lock);
    if (p->progress)
        fputc('\n', stderr);
    fprintf(stderr, "xlate: warning: function 0x%x%s left to the JIT: %s\n", entry & ~1u,
            (entry & 1) ? " (thumb)" : "", why);
    pthread_mutex_unlock(&p->lock);
}

static void progress(struct rprog *p, const char *what)
{
    unsigned n = atomic_fetch_add(&p->done, 1) + 1;
    if (!p->progress)
        return;
    pthread_mutex_lock(&p->lock);
    fprintf(stderr, "\rxlate: %s %u/%zu functions", what, n, p->nfns);
    pthread_mutex_unlock(&p->lock);
}

/* Raises f into its (already added) LLVM function. Returns NULL or why it failed. */
static const char *raise_one(struct rmod *m, const struct raise_function *f, LLVMValueRef fn)
{
    struct rfn r = { .m = m, .f = f, .fn = fn };
    if (!f->nblocks)
        return "no blocks";
    r.cpu = LLVMGetParam(fn, 0);
    r.bb = calloc(f->nblocks, sizeof(*r.bb));
    r.keys = calloc(f->nblocks, sizeof(*r.keys));
    if (!r.bb || !r.keys) {
        free(r.bb);
        free(r.keys);
        return "out of memory";
    }

    /* What the function touches; blocks by address. */
    uint32_t maxtemps = 0, maxlabels = 0;
    r.gused[IR_G_PC] = r.gused[IR_G_THUMB] = true;
    for (uint32_t i = 0; i < f->nblocks; i++) {
        const struct ir_block *b = f->blocks[i].ir;
        if (!b) {
            fail(&r, "block without µIR");
            continue;
        }
        uint32_t where;
        const char *bad = ir_verify(b, &where);
        if (bad)
            fail(&r, bad);
        maxtemps = b->n_temps > maxtemps ? b->n_temps : maxtemps;
        maxlabels = b->n_labels > maxlabels ? b->n_labels : maxlabels;
        for (uint32_t k = 0; k < b->n_ops; k++) {
            const struct ir_op *op = &b->ops[k];
            for (unsigned a = 0; a < (unsigned)op->nout + op->nin && a < IR_MAX_ARGS; a++)
                if (op->args[a] < IR_NUM_GLOBALS) {
                    r.gused[op->args[a]] = true;
                    r.gwritten[op->args[a]] |= a < op->nout;
                }
        }
        r.keys[r.nkeys++] = (struct bkey){ b->guest_pc | b->thumb, i };
    }
    enum known_routine kr = m->p->o->no_known ? KNOWN_NONE : known_routine(f->name);
    bool known_regs = kr != KNOWN_NONE;     /* it is one, or calls one (inlined) */
    for (uint32_t i = 0; i < f->nblocks && !known_regs; i++) {
        const struct xl_dblock *d = f->blocks[i].d;
        known_regs = d && d->kind == XL_END_CALL && known_at(m->p, d->callee) != KNOWN_NONE;
    }
    if (known_regs) {               /* known_inline reads r0-r3 and lr, writes r0-r3 and pc */
        for (unsigned g = IR_G_R0; g <= IR_G_R3; g++)
            r.gused[g] = r.gwritten[g] = true;
        r.gused[IR_G_R14] = r.gwritten[IR_G_PC] = r.gwritten[IR_G_THUMB] = true;
    }
    qsort(r.keys, r.nkeys, sizeof(*r.keys), cmp_bkey);
    for (uint32_t i = 1; i < r.nkeys; i++)
        if (r.keys[i].key == r.keys[i - 1].key)
            fail(&r, "two blocks at one address");
    r.nloc = maxtemps;
    r.loc[0] = calloc(maxtemps + 1, sizeof(LLVMValueRef));
    r.loc[1] = calloc(maxtemps + 1, sizeof(LLVMValueRef));
    r.lc[0] = calloc(maxtemps + 1, sizeof(struct tcache));
    r.lc[1] = calloc(maxtemps + 1, sizeof(struct tcache));
    r.cap_labels = maxlabels;
    r.labels = calloc(maxlabels + 1, sizeof(*r.labels));
    if (!r.loc[0] || !r.loc[1] || !r.lc[0] || !r.lc[1] || !r.labels)
        fail(&r, "out of memory");

    if (!r.fail) {
        r.entry = LLVMAppendBasicBlockInContext(m->ctx, fn, "entry");
        LLVMPositionBuilderAtEnd(m->abld, r.entry);
        for (unsigned g = 0; g < IR_NUM_GLOBALS; g++)
            if (r.gused[g]) {
                LLVMTypeRef ty = ty_of(m, ir_globals[g].type);
                r.gslot[g] = LLVMBuildAlloca(m->abld, ty, ir_globals[g].name);
                LLVMBuildStore(m->abld, cpu_load(&r, m->abld, ty, ir_globals[g].offset),
                               r.gslot[g]);
            }
        for (uint32_t i = 0; i < f->nblocks; i++) {
            char nm[32];
            snprintf(nm, sizeof(nm), "b%x", f->blocks[i].ir->guest_pc);
            r.bb[i] = LLVMAppendBasicBlockInContext(m->ctx, fn, nm);
        }
        for (uint32_t i = 0; i < f->nblocks && !r.fail; i++) {
            r.rb = &f->blocks[i];
            r.b = r.rb->ir;
            memset(r.labels, 0, (maxlabels + 1) * sizeof(*r.labels));
            LLVMPositionBuilderAtEnd(m->bld, r.bb[i]);
            for (uint32_t k = 0; k < r.b->n_ops; k++)
                gen_op(&r, &r.b->ops[k]);
            if (!terminated(m->bld)) {
                /* Reachable only if the µIR block did not end in a block end. */
                LLVMBasicBlockRef cur = LLVMGetInsertBlock(m->bld);
                if (LLVMGetFirstUse(LLVMBasicBlockAsValue(cur)) || cur == r.bb[i]) {
                    sync_globals(&r);
                    ret_void(&r);
                } else {
                    LLVMBuildUnreachable(m->bld);
                }
            }
            for (uint32_t l = 0; l < r.b->n_labels; l++)
                if (r.labels[l] && !LLVMGetBasicBlockTerminator(r.labels[l])) {
                    fail(&r, "label never placed");
                }
        }
        LLVMPositionBuilderAtEnd(m->abld, r.entry);
        LLVMBuildBr(m->abld, kr != KNOWN_NONE && !r.fail ? known_block(&r, kr) : r.bb[0]);
    }
    free(r.bb);
    free(r.keys);
    free(r.loc[0]);
    free(r.loc[1]);
    free(r.lc[0]);
    free(r.lc[1]);
    free(r.labels);
    if (!r.fail && LLVMVerifyFunction(fn, LLVMReturnStatusAction))
        r.fail = "LLVM verifier rejected the function";
    return r.fail;
}

/*
 * Without --cpu, code is for x86-64-v2 but tuned as gcc's and clang's default, generic
 * x86-64: x86-64-v2's own tuning is Sandy Bridge's, which rotates with shld, several times
 * slower than ror on AMD cores (sha256 ran 1.6x slower here on an EPYC).
 */
static void set_tuning(struct rmod *m, LLVMValueRef f)
{
    const char *cpu = m->p->o->cpu;
    if (cpu && *cpu)
        return;
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(m->ctx, "tune-cpu", 8, "generic", 7));
}

/* Helpers never touch guest memory: their loads and stores (the VFP state in TLS, struct
   cpu through env) get !noalias "xl.guest", so that guest stores do not pin them. */
static void mark_helper_body(struct rmod *m, LLVMValueRef f)
{
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b))
        for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i))
            if (LLVMIsALoadInst(i) || LLVMIsAStoreInst(i))
                LLVMSetMetadata(i, m->md_noalias, m->guest_scopes);
}

/* Links a fresh copy of the helpers' bitcode into m: internal, alwaysinline but for cold
   paths. */
static int link_helpers(struct rmod *m)
{
    size_t n = (size_t)(xl_helpers_bc_end - xl_helpers_bc);
    LLVMMemoryBufferRef buf =
        LLVMCreateMemoryBufferWithMemoryRange(xl_helpers_bc, n, "helpers.bc", 0);
    LLVMModuleRef hm;
    if (LLVMParseBitcodeInContext2(m->ctx, buf, &hm)) {
        LLVMDisposeMemoryBuffer(buf);
        snprintf(m->err, sizeof(m->err), "cannot parse the embedded helper bitcode");
        return -1;
    }
    LLVMDisposeMemoryBuffer(buf);
    LLVMSetTarget(hm, LLVMGetTarget(m->mod));
    LLVMSetDataLayout(hm, LLVMGetDataLayoutStr(m->mod));
    if (LLVMLinkModules2(m->mod, hm)) {
        snprintf(m->err, sizeof(m->err), "cannot link the helper bitcode");
        return -1;
    }
    for (LLVMValueRef f = LLVMGetFirstFunction(m->mod); f; f = LLVMGetNextFunction(f)) {
        if (LLVMIsDeclaration(f))
            continue;
        LLVMSetLinkage(f, LLVMInternalLinkage);
        LLVMSetVisibility(f, LLVMDefaultVisibility);
        static const char *const drop[] = { "target-cpu", "target-features", "tune-cpu" };
        for (unsigned i = 0; i < 3; i++)
            LLVMRemoveStringAttributeAtIndex(f, LLVMAttributeFunctionIndex, drop[i],
                                             (unsigned)strlen(drop[i]));
        set_tuning(m, f);
        mark_helper_body(m, f);
        /* Cold paths (NaN operands) stay out of line: inlined, they would keep the values
           of the default path in integer registers as well as in SSE ones. */
        unsigned cold = LLVMGetEnumAttributeKindForName("cold", 4);
        if (LLVMGetEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, cold))
            continue;
        unsigned ni = LLVMGetEnumAttributeKindForName("noinline", 8);
        LLVMRemoveEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, ni);
        add_fn_attr(m, f, LLVMAttributeFunctionIndex, "alwaysinline");
    }
    for (LLVMValueRef g = LLVMGetFirstGlobal(m->mod); g; g = LLVMGetNextGlobal(g)) {
        LLVMLinkage l = LLVMGetLinkage(g);
        if (LLVMIsDeclaration(g) || l == LLVMInternalLinkage || l == LLVMPrivateLinkage)
            continue;
        /* Shared state (the VFP exception accumulator): use the runtime's native copy. */
        LLVMSetInitializer(g, NULL);
        LLVMSetLinkage(g, LLVMExternalLinkage);
    }
    return 0;
}

static LLVMTargetMachineRef make_tm(const struct raise_options *o, char *err, size_t errlen)
{
    LLVMTargetRef t;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(XL_TRIPLE, &t, &msg)) {
        snprintf(err, errlen, "no LLVM target for %s: %s", XL_TRIPLE, msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return NULL;
    }
    LLVMCodeGenOptLevel lv = o->opt_level <= 0 ? LLVMCodeGenLevelNone
                           : o->opt_level == 1 ? LLVMCodeGenLevelLess
                           : o->opt_level == 2 ? LLVMCodeGenLevelDefault
                                               : LLVMCodeGenLevelAggressive;
    /* "native": this machine's CPU and features. Another name gets +64bit: LLVM ignores an
       unknown name (with a warning line of its own) and would then abort, finding no
       64-bit support, instead of generating generic x86-64 code. */
    bool native = o->cpu && !strcmp(o->cpu, "native");
    char *cpu = native ? LLVMGetHostCPUName() : NULL;
    char *features = native ? LLVMGetHostCPUFeatures() : NULL;
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(t, XL_TRIPLE,
        native ? cpu : o->cpu && *o->cpu ? o->cpu : "x86-64-v2",
        native ? features : o->cpu && *o->cpu ? "+64bit" : "", lv, LLVMRelocPIC,
        LLVMCodeModelDefault);
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
    if (!tm)
        snprintf(err, errlen, "cannot create an LLVM target machine");
    return tm;
}

/* Phase 1: module setup and raising of the functions dealt to this module. */
static void *phase_raise(void *arg)
{
    struct rmod *m = arg;
    struct rprog *p = m->p;
    m->ctx = LLVMContextCreate();
    char mname[32];
    snprintf(mname, sizeof(mname), "xl_aot.%u", m->index);
    m->mod = LLVMModuleCreateWithNameInContext(mname, m->ctx);
    m->tm = make_tm(p->o, m->err, sizeof(m->err));
    if (!m->tm) {
        m->rc = -1;
        return NULL;
    }
    LLVMSetTarget(m->mod, XL_TRIPLE);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(m->tm);
    LLVMSetModuleDataLayout(m->mod, td);
    LLVMDisposeTargetData(td);
    m->bld = LLVMCreateBuilderInContext(m->ctx);
    m->abld = LLVMCreateBuilderInContext(m->ctx);
    m->i1 = LLVMInt1TypeInContext(m->ctx);
    m->i8 = LLVMInt8TypeInContext(m->ctx);
    m->i16 = LLVMInt16TypeInContext(m->ctx);
    m->i32 = LLVMInt32TypeInContext(m->ctx);
    m->i64 = LLVMInt64TypeInContext(m->ctx);
    m->ptr = LLVMPointerTypeInContext(m->ctx, 0);
    m->vd = LLVMVoidTypeInContext(m->ctx);
    m->fnty = LLVMFunctionType(m->vd, &m->ptr, 1, 0);
    m->md_scope = LLVMGetMDKindIDInContext(m->ctx, "alias.scope", 11);
    m->md_noalias = LLVMGetMDKindIDInContext(m->ctx, "noalias", 7);
    LLVMMetadataRef dom_s = LLVMMDStringInContext2(m->ctx, "xl.domain", 9);
    LLVMMetadataRef dom = LLVMMDNodeInContext2(m->ctx, &dom_s, 1);
    LLVMMetadataRef sc[2] = { LLVMMDStringInContext2(m->ctx, "xl.guest", 8), dom };
    LLVMMetadataRef scope = LLVMMDNodeInContext2(m->ctx, sc, 2);
    m->guest_scopes = LLVMMetadataAsValue(m->ctx, LLVMMDNodeInContext2(m->ctx, &scope, 1));
    if (link_helpers(m)) {
        m->rc = -1;
        return NULL;
    }

    /* Define every function of this module first: calls between them need no declaration. */
    size_t nmine = 0;
    for (size_t i = m->index; i < p->nfns; i += p->jobs)
        nmine++;
    LLVMValueRef *fns = calloc(nmine + 1, sizeof(*fns));
    if (!fns) {
        snprintf(m->err, sizeof(m->err), "out of memory");
        m->rc = -1;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = m->index; i < p->nfns; i += p->jobs, k++) {
        if (p->skip[i])
            continue;
        char name[64];
        fn_name(name, sizeof(name), p->fns[i].entry);
        fns[k] = LLVMGetNamedFunction(m->mod, name);
        if (!fns[k])
            fns[k] = LLVMAddFunction(m->mod, name, m->fnty);
        add_fn_attr(m, fns[k], LLVMAttributeFunctionIndex, "nounwind");
        add_fn_attr(m, fns[k], 1, "noalias");
        /* The VFP helpers are strictfp (FENV_ACCESS, helpers/vfp.c): LLVM inlines them
           only into functions that are too. */
        add_fn_attr(m, fns[k], LLVMAttributeFunctionIndex, "strictfp");
        set_tuning(m, fns[k]);
    }
    k = 0;
    for (size_t i = m->index; i < p->nfns; i += p->jobs, k++) {
        if (p->skip[i])
            continue;
        const char *why = raise_one(m, &p->fns[i], fns[k]);
        if (why) {
            char name[64];
            fn_name(name, sizeof(name), p->fns[i].entry);
            stub_out(m, &fns[k], name);
            p->failed[i] = true;
            warn(p, p->fns[i].entry, why);
        }
        progress(p, "raising");
    }
    free(fns);
    return NULL;
}

/* The AOT table (runtime/aot.h) in module 0: every function that was raised. */
static void add_table(struct rmod *m)
{
    struct rprog *p = m->p;
    LLVMTypeRef et[2] = { m->i32, m->ptr };
    LLVMTypeRef ety = LLVMStructTypeInContext(m->ctx, et, 2, 0);
    LLVMValueRef *rows = calloc(p->nents + 1, sizeof(*rows));
    unsigned n = 0;
    for (size_t i = 0; i < p->nents; i++) {
        if (p->failed[p->ents[i].idx])
            continue;
        LLVMValueRef f[2] = { LLVMConstInt(m->i32, p->ents[i].key, 0), prog_fn(m, p->ents[i].key) };
        rows[n++] = LLVMConstNamedStruct(ety, f, 2);
    }
    LLVMTypeRef aty = LLVMArrayType2(ety, n);
    LLVMValueRef tab = LLVMAddGlobal(m->mod, aty, "xl_aot_table");
    LLVMSetInitializer(tab, LLVMConstArray2(ety, rows, n));
    LLVMSetGlobalConstant(tab, 1);
    LLVMSetAlignment(tab, 8);
    LLVMValueRef cnt = LLVMAddGlobal(m->mod, m->i32, "xl_aot_count");
    LLVMSetInitializer(cnt, LLVMConstInt(m->i32, n, 0));
    LLVMSetGlobalConstant(cnt, 1);
    free(rows);
}

/* Phase 2: optimize and write. */
static void *phase_emit(void *arg)
{
    struct rmod *m = arg;
    struct rprog *p = m->p;
    /*
     * Per level (docs/aot.md). -O1/-O2 are function pipelines for translated code: the
     * guest compiler already inlined and unrolled, so the module passes of default<O2>
     * (inliner, IPSCCP, SLP vectorizer, ...) cost most of the time and gain nothing
     * measurable. Helpers are inlined by always-inline, the unused ones dropped by globaldce.
     * -O2 unswitches loops on invariant conditions: a VFP helper's test of FPSCR's control
     * bits, a register in the loop, leaves the loop (matmul 20% faster).
     */
#define XL_FN_O1 "sroa<modify-cfg>,early-cse<memssa>,simplifycfg,instcombine<no-verify-fixpoint>"
    static const char *const pipelines[] = {
        "default<O0>,globaldce",
        "always-inline,function(" XL_FN_O1 "),globaldce",
        "always-inline,function(" XL_FN_O1 ",loop-mssa(licm,simple-loop-unswitch<nontrivial>),"
            "gvn,dse,simplifycfg,"
            "instcombine<no-verify-fixpoint>),globaldce",
        "default<O3>",
    };
#undef XL_FN_O1
    int lv = p->o->opt_level < 0 ? 0 : p->o->opt_level > 3 ? 3 : p->o->opt_level;
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(m->mod, pipelines[lv], m->tm, po);
    LLVMDisposePassBuilderOptions(po);
    if (e) {
        char *msg = LLVMGetErrorMessage(e);
        snprintf(m->err, sizeof(m->err), "LLVM passes failed: %s", msg);
        LLVMDisposeErrorMessage(msg);
        m->rc = -1;
        return NULL;
    }
    char *msg = NULL;
    LLVMBool bad;
    if (p->emit == RAISE_EMIT_LLVM)
        bad = LLVMPrintModuleToFile(m->mod, m->path, &msg);
    else
        bad = LLVMTargetMachineEmitToFile(m->tm, m->mod, m->path,
                                          p->emit == RAISE_EMIT_ASM ? LLVMAssemblyFile
                                                                    : LLVMObjectFile, &msg);
    if (bad) {
        snprintf(m->err, sizeof(m->err), "cannot write %.120s: %.100s", m->path, msg ? msg : "?");
        m->rc = -1;
    }
    LLVMDisposeMessage(msg);
    return NULL;
}

static void run_phase(struct rmod *ms, unsigned n, void *(*fn)(void *))
{
    if (n == 1) {
        fn(&ms[0]);
        return;
    }
    pthread_t *t = calloc(n, sizeof(*t));
    bool *started = calloc(n, sizeof(*started));
    for (unsigned i = 0; i < n; i++)
        started[i] = t && started && pthread_create(&t[i], NULL, fn, &ms[i]) == 0;
    for (unsigned i = 0; i < n; i++) {
        if (started && started[i])
            pthread_join(t[i], NULL);
        else
            fn(&ms[i]);     /* no thread: do it here */
    }
    free(t);
    free(started);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_llvm(void)
{
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser();
}

/*
 * LLVM takes an unknown CPU name with a warning line for every function it compiles and
 * then generates generic code: a typo would flood stderr. One empty function compiled for
 * the CPU, with stderr sent to a temporary file, tells. Other output is passed on.
 */
static int check_cpu(const struct raise_options *o, char *err, size_t errlen)
{
    if (!o->cpu || !*o->cpu || !strcmp(o->cpu, "native"))
        return 0;
    FILE *tmp = tmpfile();
    int saved = tmp ? dup(2) : -1;
    if (saved < 0) {
        if (tmp)
            fclose(tmp);
        return 0;                       /* cannot check: LLVM's own lines will tell */
    }
    fflush(stderr);
    dup2(fileno(tmp), 2);
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("xl_cpu_check", ctx);
    LLVMSetTarget(mod, XL_TRIPLE);
    LLVMValueRef f = LLVMAddFunction(mod, "f",
                                     LLVMFunctionType(LLVMVoidTypeInContext(ctx), NULL, 0, 0));
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, f, ""));
    LLVMBuildRetVoid(b);
    char why[64];
    LLVMTargetMachineRef tm = make_tm(o, why, sizeof(why));
    LLVMMemoryBufferRef obj = NULL;
    char *msg = NULL;
    if (tm && !LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMObjectFile, &msg, &obj))
        LLVMDisposeMemoryBuffer(obj);
    LLVMDisposeMessage(msg);
    if (tm)
        LLVMDisposeTargetMachine(tm);
    LLVMDisposeBuilder(b);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    dup2(saved, 2);
    close(saved);
    char text[1024];
    rewind(tmp);
    size_t n = fread(text, 1, sizeof(text) - 1, tmp);
    text[n] = 0;
    fclose(tmp);
    if (strstr(text, "not a recognized processor")) {
        snprintf(err, errlen, "unknown host CPU '%s' (an LLVM x86-64 CPU name, or native)",
                 o->cpu);
        return -1;
    }
    fputs(text, stderr);
    return 0;
}

int raise_program(const struct raise_function *fns, size_t nfns, const struct raise_options *o,
                  enum raise_emit emit, const char *path, unsigned *nfiles,
                  char *err, size_t errlen)
{
    struct raise_options defaults = { .opt_level = 2, .jobs = 1 };
    if (!o)
        o = &defaults;
    if (nfiles)
        *nfiles = 0;
    pthread_once(&init_once, init_llvm);
    if (check_cpu(o, err, errlen))
        return -1;

    bool prefix = emit == RAISE_EMIT_OBJ && o->jobs > 1;
    unsigned jobs = emit == RAISE_EMIT_OBJ && o->jobs > 1 ? o->jobs : 1;
    if (jobs > nfns)
        jobs = nfns ? (unsigned)nfns : 1;

    struct rprog p = { .fns = fns, .nfns = nfns, .o = o, .emit = emit, .jobs = jobs,
                       .progress = o->progress && isatty(2) };
    pthread_mutex_init(&p.lock, NULL);
    atomic_init(&p.done, 0);
    p.ents = calloc(nfns + 1, sizeof(*p.ents));
    p.skip = calloc(nfns + 1, sizeof(*p.skip));
    p.failed = calloc(nfns + 1, sizeof(*p.failed));
    struct rmod *ms = calloc(jobs, sizeof(*ms));
    int rc = -1;
    if (!p.ents || !p.skip || !p.failed || !ms) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nfns; i++)
        p.ents[i] = (struct pent){ fns[i].entry, (uint32_t)i };
    qsort(p.ents, nfns, sizeof(*p.ents), cmp_pent);
    for (size_t i = 0; i < nfns; i++) {
        if (p.nents && p.ents[p.nents - 1].key == p.ents[i].key) {
            p.skip[p.ents[i].idx] = p.failed[p.ents[i].idx] = true;
            warn(&p, p.ents[i].key, "a second function with the same entry");
            continue;
        }
        p.ents[p.nents++] = p.ents[i];
    }
    for (unsigned i = 0; i < jobs; i++) {
        ms[i].p = &p;
        ms[i].index = i;
        if (prefix)
            snprintf(ms[i].path, sizeof(ms[i].path), "%s.%u.o", path, i);
        else
            snprintf(ms[i].path, sizeof(ms[i].path), "%s", path);
    }

    run_phase(ms, jobs, phase_raise);
    for (unsigned i = 0; i < jobs; i++)
        if (ms[i].rc) {
            snprintf(err, errlen, "%s", ms[i].err);
            goto out;
        }
    add_table(&ms[0]);
    if (p.progress)
        fprintf(stderr, "\rxlate: optimizing and emitting %u module(s)...\033[K", jobs);
    run_phase(ms, jobs, phase_emit);
    if (p.progress)
        fprintf(stderr, "\r\033[K");
    for (unsigned i = 0; i < jobs; i++)
        if (ms[i].rc) {
            snprintf(err, errlen, "%s", ms[i].err);
            goto out;
        }
    if (nfiles)
        *nfiles = jobs;
    rc = 0;
out:
    for (unsigned i = 0; ms && i < jobs; i++) {
        if (ms[i].bld)
            LLVMDisposeBuilder(ms[i].bld);
        if (ms[i].abld)
            LLVMDisposeBuilder(ms[i].abld);
        if (ms[i].mod)
            LLVMDisposeModule(ms[i].mod);
        if (ms[i].tm)
            LLVMDisposeTargetMachine(ms[i].tm);
        if (ms[i].ctx)
            LLVMContextDispose(ms[i].ctx);
    }
    free(ms);
    free(p.ents);
    free(p.skip);
    free(p.failed);
    pthread_mutex_destroy(&p.lock);
    return rc;
}
