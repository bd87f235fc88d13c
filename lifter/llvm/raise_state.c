/*
 * The raiser's state (raise_internal.h): struct cpu loads and stores, the allocas that hold
 * µIR globals and temps with the per-block cache of their values, get/set of temps, and
 * globals synced to struct cpu and reloaded around calls out. Also the small utilities
 * every file uses: names, lookups, declarations of raised functions and runtime entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raise_internal.h"

void raise_fail(struct rfn *r, const char *why)
{
    if (!r->fail)
        r->fail = why;
}

static int cmp_u32(uint32_t a, uint32_t b) { return a < b ? -1 : a > b; }
int raise_cmp_pent(const void *a, const void *b)
{
    return cmp_u32(((const struct pent *)a)->key, ((const struct pent *)b)->key);
}
int raise_cmp_bkey(const void *a, const void *b)
{
    return cmp_u32(((const struct bkey *)a)->key, ((const struct bkey *)b)->key);
}

void raise_hide(LLVMValueRef fn)
{
    /* Only the AOT table names raised functions for the runtime: hidden, they stay out of
       the output's dynamic symbol table (the runtime's own xl_* entries are exported for
       translated libraries) and calls between them need no PLT. */
    LLVMSetVisibility(fn, LLVMHiddenVisibility);
}

void raise_fn_name(char *buf, size_t n, uint32_t key)
{
    snprintf(buf, n, "xl_aot_%x_%c", key & ~1u, (key & 1) ? 't' : 'a');
}

void raise_fast_name(char *buf, size_t n, uint32_t key)
{
    snprintf(buf, n, "xl_aotf_%x_%c", key & ~1u, (key & 1) ? 't' : 'a');
}

const unsigned raise_regs[RAISE_NREGS] = {
    IR_G_R0, IR_G_R1, IR_G_R2, IR_G_R3, IR_G_R4, IR_G_R5, IR_G_R6, IR_G_R7, IR_G_R13, IR_G_R14,
    IR_G_R8, IR_G_R9, IR_G_R10, IR_G_R11, IR_G_R12,
};

LLVMTypeRef raise_reg_type(struct rmod *m, unsigned i)
{
    return i < RAISE_NGPR ? m->i32 : LLVMFloatTypeInContext(m->ctx);
}

LLVMValueRef raise_reg_to_arg(struct rmod *m, LLVMBuilderRef b, unsigned i, LLVMValueRef v)
{
    return i < RAISE_NGPR ? v : LLVMBuildBitCast(b, v, raise_reg_type(m, i), "");
}

LLVMValueRef raise_reg_from_arg(struct rmod *m, LLVMBuilderRef b, unsigned i, LLVMValueRef v)
{
    return i < RAISE_NGPR ? v : LLVMBuildBitCast(b, v, m->i32, "");
}

const struct pent *raise_prog_find(const struct rprog *p, uint32_t key)
{
    struct pent k = { .key = key };
    return bsearch(&k, p->ents, p->nents, sizeof(k), raise_cmp_pent);
}

enum known_routine raise_known_of(const struct rprog *p, const struct raise_function *f)
{
    return p->o->no_known ? KNOWN_NONE : known_routine(f->name);
}

/* The known routine (known.h) the function at key is, or KNOWN_NONE. */
enum known_routine raise_known_at(const struct rprog *p, uint32_t key)
{
    const struct pent *e = raise_prog_find(p, key);
    return e ? raise_known_of(p, &p->fns[e->idx]) : KNOWN_NONE;
}

/* ---- types, attributes, metadata ---- */

void raise_add_fn_attr(struct rmod *m, LLVMValueRef fn, unsigned idx, const char *name)
{
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    LLVMAddAttributeAtIndex(fn, idx, LLVMCreateEnumAttribute(m->ctx, kind, 0));
}

/* The wrapper (fast: the raised function) at key, declared here if defined elsewhere. */
static LLVMValueRef prog_decl(struct rmod *m, uint32_t key, bool fast)
{
    char name[64];
    (fast ? raise_fast_name : raise_fn_name)(name, sizeof(name), key);
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, name);
    if (!fn) {
        fn = LLVMAddFunction(m->mod, name, fast ? m->fastty : m->fnty);
        if (fast) {
            raise_fast_cc(m, fn, false);
            /* A cache line: where a function lands then moves none of its loops across
               line and fetch-block boundaries (docs/aot.md, "Function alignment"). */
            LLVMSetAlignment(fn, 64);
        }
        raise_hide(fn);
        raise_add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "nounwind");
    }
    return fn;
}

LLVMValueRef raise_prog_fn(struct rmod *m, uint32_t key) { return prog_decl(m, key, false); }
LLVMValueRef raise_prog_fast(struct rmod *m, uint32_t key) { return prog_decl(m, key, true); }

/*
 * x86_regcallcc, without callee-saved registers. regcall keeps rbx, rbp, r12-r15 and
 * xmm8-15 across a call; the last is what hurt: every raised function that calls the
 * runtime or libc anywhere (a cold signal check is enough) saved and restored eight xmm
 * registers on every entry (vm: 0.76 s -> 1.15 s). Without callee-saved registers nothing
 * is saved on entry; what a caller keeps across a call is the cpu pointer and the ten
 * registers, which come back as results anyway.
 */
void raise_fast_cc(struct rmod *m, LLVMValueRef v, bool call)
{
    static const char attr[] = "no_callee_saved_registers";
    LLVMAttributeRef a = LLVMCreateStringAttribute(m->ctx, attr, sizeof attr - 1, "", 0);
    if (call) {
        LLVMSetInstructionCallConv(v, LLVMX86RegCallCallConv);
        LLVMAddCallSiteAttribute(v, LLVMAttributeFunctionIndex, a);
    } else {
        LLVMSetFunctionCallConv(v, LLVMX86RegCallCallConv);
        LLVMAddAttributeAtIndex(v, LLVMAttributeFunctionIndex, a);
    }
}

/* A runtime entry point (runtime/aot.h). */
LLVMValueRef raise_rt_fn(struct rmod *m, const char *name, LLVMTypeRef ty)
{
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, name);
    if (!fn)
        fn = LLVMAddFunction(m->mod, name, ty);
    return fn;
}

LLVMValueRef raise_call(struct rmod *m, LLVMValueRef fn, LLVMValueRef *args, unsigned n)
{
    return LLVMBuildCall2(m->bld, LLVMGlobalGetValueType(fn), fn, args, n, "");
}

LLVMTypeRef raise_ty_of(struct rmod *m, unsigned t) { return t == IR_I64 ? m->i64 : m->i32; }

/* ---- struct cpu and temps ---- */

static LLVMValueRef cpu_ptr(struct rfn *r, LLVMBuilderRef bld, unsigned off)
{
    struct rmod *m = r->m;
    if (off == 0)
        return r->cpu;
    LLVMValueRef idx = LLVMConstInt(m->i64, off, 0);
    return LLVMBuildInBoundsGEP2(bld, m->i8, r->cpu, &idx, 1, "");
}

LLVMValueRef raise_cpu_load(struct rfn *r, LLVMBuilderRef bld, LLVMTypeRef ty, unsigned off)
{
    LLVMValueRef v = LLVMBuildLoad2(bld, ty, cpu_ptr(r, bld, off), "");
    LLVMSetAlignment(v, ty == r->m->i64 ? 8 : 4);
    LLVMSetMetadata(v, r->m->md_noalias, r->m->guest_scopes);
    return v;
}

void raise_cpu_store(struct rfn *r, LLVMValueRef v, unsigned off)
{
    LLVMValueRef s = LLVMBuildStore(r->m->bld, v, cpu_ptr(r, r->m->bld, off));
    LLVMTypeRef ty = LLVMTypeOf(v);
    LLVMSetAlignment(s, ty == r->m->i64 || LLVMGetTypeKind(ty) == LLVMVectorTypeKind ? 8 : 4);
    LLVMSetMetadata(s, r->m->md_noalias, r->m->guest_scopes);
}

/* Loads slot (cached in c), or the value the current block last loaded or stored there. */
LLVMValueRef raise_slot_load(struct rfn *r, struct tcache *c, LLVMTypeRef ty, LLVMValueRef slot)
{
    LLVMBasicBlockRef bb = LLVMGetInsertBlock(r->m->bld);
    if (c->bb == bb && c->v && LLVMTypeOf(c->v) == ty)
        return c->v;
    c->v = LLVMBuildLoad2(r->m->bld, ty, slot, "");
    c->bb = bb;
    return c->v;
}

void raise_slot_store(struct rfn *r, struct tcache *c, LLVMValueRef v, LLVMValueRef slot)
{
    LLVMBuildStore(r->m->bld, v, slot);
    c->v = v;
    c->bb = LLVMGetInsertBlock(r->m->bld);
}

/* Globals the function never writes need no store: struct cpu already holds them. */
void raise_sync_globals(struct rfn *r)
{
    raise_sync_globals_but(r, 0);
}

void raise_sync_globals_but(struct rfn *r, uint64_t dead)
{
    _Static_assert(IR_NUM_GLOBALS <= 64, "a bit per global");
    struct rmod *m = r->m;
    for (unsigned g = 0; g < IR_NUM_GLOBALS; g++)
        if (r->gwritten[g] && !(dead >> g & 1)) {
            LLVMTypeRef ty = raise_ty_of(m, ir_globals[g].type);
            unsigned q = (g - IR_G_D0) / 2;
            if (raise_is_d(g) && g % 2 == IR_G_D0 % 2 && r->qslot[q] && r->gwritten[g + 1] &&
                !(dead >> (g + 1) & 1)) {
                /* a Q register's slot as one store: its phis stay vectors (raise_pairs.c) */
                _Static_assert(offsetof(struct cpu, d[1]) == offsetof(struct cpu, d[0]) + 8,
                               "adjacent D registers");
                raise_cpu_store(r, LLVMBuildLoad2(m->bld, LLVMVectorType(ty, 2), r->gslot[g], ""),
                                ir_globals[g].offset);
                g++;
                continue;
            }
            raise_cpu_store(r, raise_slot_load(r, &r->gc[g], ty, r->gslot[g]),
                            ir_globals[g].offset);
        }
}

LLVMValueRef raise_reg_param(struct rfn *r, LLVMBuilderRef b, unsigned g)
{
    for (unsigned i = 0; i < RAISE_NREGS; i++)
        if (raise_regs[i] == g)
            return raise_reg_from_arg(r->m, b, i, LLVMGetParam(r->fn, 1 + i));
    return NULL;
}

void raise_fast_args(struct rfn *r, LLVMValueRef *args, uint64_t dead)
{
    args[0] = r->cpu;
    for (unsigned i = 0; i < RAISE_NREGS; i++) {
        unsigned g = raise_regs[i];
        args[1 + i] = (dead >> g & 1) ? LLVMGetUndef(raise_reg_type(r->m, i))
                      : raise_reg_to_arg(r->m, r->m->bld, i,
                                         raise_slot_load(r, &r->gc[g], r->m->i32, r->gslot[g]));
    }
}

void raise_take_results(struct rfn *r, LLVMValueRef call)
{
    for (unsigned i = 0; i < RAISE_NREGS; i++) {
        unsigned g = raise_regs[i];
        LLVMValueRef v = LLVMBuildExtractValue(r->m->bld, call, 1 + i, "");
        raise_slot_store(r, &r->gc[g], raise_reg_from_arg(r->m, r->m->bld, i, v), r->gslot[g]);
    }
}

void raise_ret_values(struct rfn *r, LLVMValueRef key, LLVMValueRef *v)
{
    LLVMValueRef agg = LLVMGetUndef(r->m->retty);
    agg = LLVMBuildInsertValue(r->m->bld, agg, key, 0, "");
    for (unsigned i = 0; i < RAISE_NREGS; i++)
        agg = LLVMBuildInsertValue(r->m->bld, agg, raise_reg_to_arg(r->m, r->m->bld, i, v[i]),
                                   1 + i, "");
    LLVMBuildRet(r->m->bld, agg);
}

LLVMValueRef raise_key_of(struct rfn *r, LLVMValueRef pc, LLVMValueRef thumb)
{
    struct rmod *m = r->m;
    LLVMBuilderRef b = m->bld;
    LLVMValueRef k = LLVMBuildZExt(b, LLVMBuildOr(b, pc, thumb, ""), m->i64, "");
    /* an ARM pc with bit 1 set has no key (raise_store_key would clear the bit) */
    LLVMValueRef odd = LLVMBuildICmp(b, LLVMIntEQ,
                                     LLVMBuildAnd(b, k, LLVMConstInt(m->i64, 3, 0), ""),
                                     LLVMConstInt(m->i64, 2, 0), "");
    return LLVMBuildSelect(b, odd, LLVMBuildPtrToInt(b, r->cpu, m->i64, ""), k, "");
}

/* Global g (pc or thumb) from its slot, or from struct cpu in a function without one. */
static LLVMValueRef slot_or_cpu(struct rfn *r, unsigned g)
{
    if (r->gslot[g])
        return raise_slot_load(r, &r->gc[g], r->m->i32, r->gslot[g]);
    return raise_cpu_load(r, r->m->bld, r->m->i32, ir_globals[g].offset);
}

void raise_ret_regs_key(struct rfn *r, LLVMValueRef key)
{
    LLVMValueRef v[RAISE_NREGS];
    for (unsigned i = 0; i < RAISE_NREGS; i++) {
        unsigned g = raise_regs[i];
        v[i] = raise_slot_load(r, &r->gc[g], r->m->i32, r->gslot[g]);
    }
    if (!key)
        key = raise_key_of(r, slot_or_cpu(r, IR_G_PC), slot_or_cpu(r, IR_G_THUMB));
    raise_ret_values(r, key, v);
}

void raise_ret_regs(struct rfn *r)
{
    raise_ret_regs_key(r, NULL);
}

void raise_ret_cpu(struct rfn *r)
{
    struct rmod *m = r->m;
    LLVMValueRef v[RAISE_NREGS];
    for (unsigned i = 0; i < RAISE_NREGS; i++)
        v[i] = raise_cpu_load(r, m->bld, m->i32, ir_globals[raise_regs[i]].offset);
    LLVMValueRef key = raise_key_of(r, raise_cpu_load(r, m->bld, m->i32, ir_globals[IR_G_PC].offset),
                                    raise_cpu_load(r, m->bld, m->i32, ir_globals[IR_G_THUMB].offset));
    raise_ret_values(r, key, v);
}

void raise_store_key(struct rfn *r, LLVMValueRef key)
{
    struct rmod *m = r->m;
    LLVMBuilderRef b = m->bld;
    unsigned pco = ir_globals[IR_G_PC].offset, tho = ir_globals[IR_G_THUMB].offset;
    LLVMValueRef x = LLVMBuildTrunc(b, key, m->i32, "");
    LLVMValueRef th = LLVMBuildAnd(b, x, LLVMConstInt(m->i32, 1, 0), "");
    LLVMValueRef mask = LLVMBuildSelect(b, LLVMBuildICmp(b, LLVMIntNE, th,
                                                          LLVMConstInt(m->i32, 0, 0), ""),
                                        LLVMConstInt(m->i32, ~1u, 0),
                                        LLVMConstInt(m->i32, ~3u, 0), "");
    LLVMValueRef pc = LLVMBuildAnd(b, x, mask, "");
    /* no key (a retired or failed callee): struct cpu holds its entry already */
    LLVMValueRef none = LLVMBuildICmp(b, LLVMIntUGT, key,
                                      LLVMConstInt(m->i64, UINT32_MAX, 0), "");
    pc = LLVMBuildSelect(b, none, raise_cpu_load(r, b, m->i32, pco), pc, "");
    th = LLVMBuildSelect(b, none, raise_cpu_load(r, b, m->i32, tho), th, "");
    raise_cpu_store(r, pc, pco);
    raise_cpu_store(r, th, tho);
}

void raise_reload_globals(struct rfn *r)
{
    raise_reload_globals_but(r, 0);
}

void raise_reload_globals_but(struct rfn *r, uint64_t dead)
{
    struct rmod *m = r->m;
    for (unsigned g = 0; g < IR_NUM_GLOBALS; g++)
        if (r->gused[g] && !(dead >> g & 1)) {
            LLVMTypeRef ty = raise_ty_of(m, ir_globals[g].type);
            raise_slot_store(r, &r->gc[g], raise_cpu_load(r, m->bld, ty, ir_globals[g].offset),
                             r->gslot[g]);
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
        r->loc[k][t] = LLVMBuildAlloca(r->m->abld, raise_ty_of(r->m, ti->type), "");
    return r->loc[k][t];
}

static bool temp_ok(struct rfn *r, uint64_t t)
{
    if (t >= r->b->n_temps || t >= r->nloc) {
        raise_fail(r, "temp out of range");
        return false;
    }
    return true;
}

LLVMValueRef raise_get(struct rfn *r, uint64_t t)
{
    struct rmod *m = r->m;
    if (!temp_ok(r, t))
        return LLVMGetUndef(m->i32);
    const struct ir_temp_info *ti = &r->b->temps[t];
    LLVMTypeRef ty = raise_ty_of(m, ti->type);
    if (ti->kind == IR_TEMP_CONST)
        return LLVMConstInt(ty, ti->type == IR_I64 ? ti->val : (uint32_t)ti->val, 0);
    return raise_slot_load(r, temp_cache(r, (ir_temp)t), ty, temp_slot(r, (ir_temp)t));
}

/* Stores v into temp t, converting between i32 and i64 if the op's types disagree. */
void raise_set(struct rfn *r, uint64_t t, LLVMValueRef v)
{
    struct rmod *m = r->m;
    if (!temp_ok(r, t))
        return;
    const struct ir_temp_info *ti = &r->b->temps[t];
    if (ti->kind == IR_TEMP_CONST) {
        raise_fail(r, "write to a constant temp");
        return;
    }
    LLVMTypeRef ty = raise_ty_of(m, ti->type);
    if (LLVMTypeOf(v) != ty)
        v = ty == m->i64 ? LLVMBuildZExt(m->bld, v, ty, "") : LLVMBuildTrunc(m->bld, v, ty, "");
    raise_slot_store(r, temp_cache(r, (ir_temp)t), v, temp_slot(r, (ir_temp)t));
}

/* Value of t as an integer of type ty (helper arguments). */
LLVMValueRef raise_get_as(struct rfn *r, uint64_t t, LLVMTypeRef ty)
{
    LLVMValueRef v = raise_get(r, t);
    if (LLVMTypeOf(v) == ty)
        return v;
    LLVMBuilderRef bld = r->m->bld;
    return ty == r->m->i64 ? LLVMBuildZExt(bld, v, ty, "") : LLVMBuildTrunc(bld, v, ty, "");
}

void raise_unlikely(struct rmod *m, LLVMValueRef br)
{
    LLVMMetadataRef w[3] = { LLVMMDStringInContext2(m->ctx, "branch_weights", 14),
                             LLVMValueAsMetadata(LLVMConstInt(m->i32, 1, 0)),
                             LLVMValueAsMetadata(LLVMConstInt(m->i32, 2000, 0)) };
    LLVMSetMetadata(br, LLVMGetMDKindIDInContext(m->ctx, "prof", 4),
                    LLVMMetadataAsValue(m->ctx, LLVMMDNodeInContext2(m->ctx, w, 3)));
}
