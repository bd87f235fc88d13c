/*
 * The raiser's control flow (raise_internal.h, docs/aot.md): µIR labels and block ends
 * become LLVM branches, calls of raised functions, tail calls, runs in the runtime
 * (xl_aot_run_until) and exits; a computed jump over known targets goes through a table
 * of block addresses. Known routines (known.h) are put in line here.
 */
#include <stdlib.h>

#include "raise_internal.h"
#include "../helpers/helpers.h"

/* ---- control flow ---- */

bool raise_terminated(LLVMBuilderRef bld)
{
    return LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(bld)) != NULL;
}

/* Code after a terminator (dead, or reached through a later label) goes to a fresh block. */
void raise_ensure_open(struct rfn *r)
{
    if (raise_terminated(r->m->bld)) {
        LLVMBasicBlockRef nb = LLVMAppendBasicBlockInContext(r->m->ctx, r->fn, "");
        LLVMPositionBuilderAtEnd(r->m->bld, nb);
    }
}

LLVMBasicBlockRef raise_label_bb(struct rfn *r, uint64_t l)
{
    if (l >= r->b->n_labels) {
        raise_fail(r, "label out of range");
        l = 0;
        if (!r->b->n_labels)
            return LLVMAppendBasicBlockInContext(r->m->ctx, r->fn, "");
    }
    if (!r->labels[l])
        r->labels[l] = LLVMAppendBasicBlockInContext(r->m->ctx, r->fn, "");
    return r->labels[l];
}

/* The index in r->f->blocks of the block at key (addr | thumb), or -1. */
static int block_index(const struct rfn *r, uint32_t key)
{
    struct bkey k = { .key = key };
    const struct bkey *e = bsearch(&k, r->keys, r->nkeys, sizeof(k), raise_cmp_bkey);
    return e ? (int)e->idx : -1;
}

static LLVMBasicBlockRef block_of(struct rfn *r, uint32_t key)
{
    int i = block_index(r, key);
    return i < 0 ? NULL : r->bb[i];
}

/* The call c (of a raised function, same prototype) as a tail call: musttail, so that it
   is a jump at every level. Only an optimizing codegen turns a plain `tail` call into one,
   and at -O0 an interpreter whose computed gotos go to other functions' entries (vm) grew
   the host stack by a frame per bytecode until it overflowed. */
static void tail_call(struct rfn *r, LLVMValueRef c)
{
    LLVMSetTailCallKind(c, LLVMTailCallKindMustTail);
    LLVMBuildRet(r->m->bld, c);
}

/* A call (tail: a musttail call and return) of the raised function f (a function or a
   pointer) with raise_regs from their slots, the globals in `dead` undefined. */
static LLVMValueRef call_fast(struct rfn *r, LLVMValueRef f, uint64_t dead, bool tail)
{
    struct rmod *m = r->m;
    LLVMValueRef args[1 + RAISE_NREGS];
    raise_fast_args(r, args, dead);
    r->call_sp = raise_slot_load(r, &r->gc[IR_G_R13], m->i32, r->gslot[IR_G_R13]);
    LLVMValueRef c = LLVMBuildCall2(m->bld, m->fastty, f, args, 1 + RAISE_NREGS, "");
    raise_fast_cc(m, c, true);
    if (tail)
        tail_call(r, c);
    else
        raise_take_results(r, c);
    return c;
}

/*
 * After a call out (globals synced): if control came back to `expect` and its block is in
 * this function, reload and continue there; else, after a host call of a raised function
 * (`call`), the runtime may bring control back to expect (xl_aot_resume: a longjmp or an
 * exception that landed in a frame below ours), or we return to our caller (docs/aot.md).
 * A nested run, a syscall or a signal check comes back elsewhere only with the guest's sp
 * above ours, where there is nothing to resume. After a call of a raised function,
 * raise_regs are in their slots (the call's results), pc and thumb in its return key, the
 * other globals in struct cpu; after a call of the runtime, all of them are in struct cpu.
 */
static void continue_at_but(struct rfn *r, uint32_t expect, uint64_t dead, LLVMValueRef call);

/* Makes r->entry_lr and r->entry_sp hold r14 and r13 as the function was entered with. */
static void load_entry(struct rfn *r)
{
    if (!r->entry_lr) {     /* arguments: raise_regs has both */
        _Static_assert((RAISE_REGS_MASK >> IR_G_R13 & 3) == 3, "sp and lr are arguments");
        r->entry_lr = raise_reg_param(r, r->m->bld, IR_G_R14);
        r->entry_sp = raise_reg_param(r, r->m->bld, IR_G_R13);
    }
}

static void continue_at(struct rfn *r, uint32_t expect)
{
    continue_at_but(r, expect, 0, NULL);
}

/* After call, a host call of an AOT function. */
static void continue_after_call(struct rfn *r, uint32_t expect, LLVMValueRef call)
{
    continue_at_but(r, expect, 0, call);
}

/*
 * The cold path after a call that came back elsewhere, out of line (one per module; 56
 * call sites of one glibc function each had its ten stores, the call and ten loads):
 * `{key, regs} xl_aot_resume_regs(cpu, regs, expect, sp, key)` stores the registers and
 * the pc and thumb of the callee's key (raise_store_key) to struct cpu, asks xl_aot_resume
 * to come back to expect, and returns the registers and the key of pc and thumb as struct
 * cpu then holds them.
 */
static LLVMValueRef resume_regs_fn(struct rmod *m)
{
    static const char name[] = "xl_aot_resume_regs";
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, name);
    if (fn)
        return fn;
    LLVMTypeRef pt[4 + RAISE_NREGS];
    LLVMGetParamTypes(m->fastty, pt);
    pt[1 + RAISE_NREGS] = pt[2 + RAISE_NREGS] = m->i32;
    pt[3 + RAISE_NREGS] = m->i64;
    fn = LLVMAddFunction(m->mod, name, LLVMFunctionType(m->retty, pt, 4 + RAISE_NREGS, 0));
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    raise_fast_cc(m, fn, false);
    raise_add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "noinline");
    raise_add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "cold");
    raise_add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "nounwind");
    LLVMBasicBlockRef here = LLVMGetInsertBlock(m->bld);
    LLVMPositionBuilderAtEnd(m->bld, LLVMAppendBasicBlockInContext(m->ctx, fn, "entry"));
    struct rfn t = { .m = m, .fn = fn, .cpu = LLVMGetParam(fn, 0) };
    for (unsigned i = 0; i < RAISE_NREGS; i++)
        raise_cpu_store(&t, raise_reg_from_arg(m, m->bld, i, LLVMGetParam(fn, 1 + i)),
                        ir_globals[raise_regs[i]].offset);
    raise_store_key(&t, LLVMGetParam(fn, 3 + RAISE_NREGS));
    LLVMTypeRef rt[3] = { m->ptr, m->i32, m->i32 };
    LLVMValueRef args[3] = { t.cpu, LLVMGetParam(fn, 1 + RAISE_NREGS),
                             LLVMGetParam(fn, 2 + RAISE_NREGS) };
    raise_call(m, raise_rt_fn(m, "xl_aot_resume", LLVMFunctionType(m->i32, rt, 3, 0)), args, 3);
    raise_ret_cpu(&t);
    LLVMPositionBuilderAtEnd(m->bld, here);
    return fn;
}

/* Whether struct cpu's pc and thumb are key's (pc | thumb). */
static LLVMValueRef pc_is(struct rfn *r, uint32_t key)
{
    struct rmod *m = r->m;
    LLVMValueRef pc = raise_cpu_load(r, m->bld, m->i32, ir_globals[IR_G_PC].offset);
    LLVMValueRef th = raise_cpu_load(r, m->bld, m->i32, ir_globals[IR_G_THUMB].offset);
    return LLVMBuildAnd(m->bld,
        LLVMBuildICmp(m->bld, LLVMIntEQ, pc, LLVMConstInt(m->i32, key & ~1u, 0), ""),
        LLVMBuildICmp(m->bld, LLVMIntEQ, th, LLVMConstInt(m->i32, key & 1u, 0), ""), "");
}

/* Whether a raised function's return key is key's. */
static LLVMValueRef key_is(struct rfn *r, LLVMValueRef got, uint32_t key)
{
    return LLVMBuildICmp(r->m->bld, LLVMIntEQ, got, LLVMConstInt(r->m->i64, key, 0), "");
}

/* struct cpu's pc and thumb are key's. */
static void store_pc(struct rfn *r, uint32_t key)
{
    struct rmod *m = r->m;
    raise_cpu_store(r, LLVMConstInt(m->i32, key & ~1u, 0), ir_globals[IR_G_PC].offset);
    raise_cpu_store(r, LLVMConstInt(m->i32, key & 1u, 0), ir_globals[IR_G_THUMB].offset);
}

/* The slots of pc and thumb hold key's (control is there; struct cpu may hold another). */
static void set_pc_slots(struct rfn *r, uint32_t key)
{
    struct rmod *m = r->m;
    if (r->gslot[IR_G_PC])
        raise_slot_store(r, &r->gc[IR_G_PC], LLVMConstInt(m->i32, key & ~1u, 0),
                         r->gslot[IR_G_PC]);
    if (r->gslot[IR_G_THUMB])
        raise_slot_store(r, &r->gc[IR_G_THUMB], LLVMConstInt(m->i32, key & 1u, 0),
                         r->gslot[IR_G_THUMB]);
}

/* The same, but the globals in `dead` (dead at expect) are not reloaded. */
static void continue_at_but(struct rfn *r, uint32_t expect, uint64_t dead, LLVMValueRef call)
{
    struct rmod *m = r->m;
    LLVMBasicBlockRef target = block_of(r, expect);
    LLVMValueRef key = call ? LLVMBuildExtractValue(m->bld, call, 0, "") : NULL;
    if (!target && !raise_prog_find(m->p, expect)) {
        if (call)
            raise_ret_regs_key(r, key); /* the callee's results, and what it left in struct cpu */
        else
            raise_ret_cpu(r);
        return;
    }
    LLVMValueRef ok = call ? key_is(r, key, expect) : pc_is(r, expect);
    LLVMBasicBlockRef yes = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBasicBlockRef no = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBuildCondBr(m->bld, ok, yes, no);
    LLVMPositionBuilderAtEnd(m->bld, no);
    LLVMBasicBlockRef again = NULL;     /* back at expect through xl_aot_resume */
    if (call) {
        LLVMValueRef args[4 + RAISE_NREGS];
        raise_fast_args(r, args, 0);
        args[1 + RAISE_NREGS] = LLVMConstInt(m->i32, expect, 0);
        args[2 + RAISE_NREGS] = r->call_sp; /* the sp of the call (its slot: the callee's) */
        args[3 + RAISE_NREGS] = key;        /* pc and thumb, for xl_aot_resume and our caller */
        LLVMValueRef fn = resume_regs_fn(m);
        LLVMValueRef c = LLVMBuildCall2(m->bld, LLVMGlobalGetValueType(fn), fn, args,
                                        4 + RAISE_NREGS, "");
        raise_fast_cc(m, c, true);
        raise_take_results(r, c);
        /* xl_aot_resume brought control back to expect, or we return with the state */
        LLVMValueRef now = LLVMBuildExtractValue(m->bld, c, 0, "");
        LLVMBasicBlockRef out = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
        again = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
        LLVMBuildCondBr(m->bld, key_is(r, now, expect), again, out);
        LLVMPositionBuilderAtEnd(m->bld, out);
        raise_ret_regs_key(r, now);
    } else {
        raise_ret_cpu(r);
    }
    /* on at expect: raise_regs from the call's results (or xl_aot_resume_regs'), pc and
       thumb are expect's, the others from struct cpu */
    for (int twice = 0; twice < 2; twice++) {
        if (twice && !again)
            break;
        LLVMPositionBuilderAtEnd(m->bld, twice ? again : yes);
        uint64_t keep = call ? RAISE_REGS_MASK : 0;
        if (!target) {              /* a function of its own (after setjmp): a tail call */
            raise_reload_globals_but(r, ~RAISE_REGS_MASK | keep);
            if (call)               /* struct cpu has the callee's entry; the next one's */
                store_pc(r, expect);
            call_fast(r, raise_prog_fast(m, expect), 0, true);
            continue;
        }
        raise_reload_globals_but(r, dead | keep | 1ull << IR_G_PC | 1ull << IR_G_THUMB);
        set_pc_slots(r, expect);
        LLVMBuildBr(m->bld, target);
    }
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
    load_entry(r);
    LLVMTypeRef pt[3] = { m->ptr, m->i32, m->i32 };
    LLVMValueRef args[3] = { r->cpu, r->entry_lr, r->entry_sp };
    raise_call(m, raise_rt_fn(m, "xl_aot_run_until", LLVMFunctionType(m->vd, pt, 3, 0)), args, 3);
    raise_ret_cpu(r);
}

/* A call whose callee has no AOT function (globals synced, cpu->r[15] is the callee): the
   runtime runs it until it returns to ret_addr with the sp of the call, then as after a
   host call. */
static void run_call(struct rfn *r, uint32_t ret_addr)
{
    struct rmod *m = r->m;
    LLVMTypeRef pt[3] = { m->ptr, m->i32, m->i32 };
    LLVMValueRef args[3] = { r->cpu, LLVMConstInt(m->i32, ret_addr, 0),
                             raise_cpu_load(r, m->bld, m->i32, ir_globals[IR_G_R13].offset) };
    raise_call(m, raise_rt_fn(m, "xl_aot_run_until", LLVMFunctionType(m->vd, pt, 3, 0)), args, 3);
    continue_at(r, ret_addr);
}

static uint32_t return_addr(struct rfn *r)
{
    const struct xl_dblock *d = r->rb->d;
    if (d && d->nsucc)
        return d->succ[0];
    return r->b->guest_end | r->b->thumb;
}

/* A known routine on r0-r3 at the builder's position (known.h), called by a `bl` that
   returns to ret_key: fallback when its guard fails, else the results in r0-r3 and pc/thumb
   = ret_key, with the builder left after it. */
static void known_inline(struct rfn *r, enum known_routine kr, LLVMBasicBlockRef fallback,
                         uint32_t ret_key)
{
    struct rmod *m = r->m;
    LLVMValueRef a[4], out[4];
    for (unsigned i = 0; i < 4; i++)
        a[i] = raise_slot_load(r, &r->gc[IR_G_R0 + i], m->i32, r->gslot[IR_G_R0 + i]);
    known_emit(kr, m->mod, m->bld, fallback, a, out);
    for (unsigned i = 0; i < 4; i++)
        if (out[i])
            raise_slot_store(r, &r->gc[IR_G_R0 + i], out[i], r->gslot[IR_G_R0 + i]);
    raise_slot_store(r, &r->gc[IR_G_PC], LLVMConstInt(m->i32, ret_key & ~1u, 0),
                     r->gslot[IR_G_PC]);
    raise_slot_store(r, &r->gc[IR_G_THUMB], LLVMConstInt(m->i32, ret_key & 1u, 0),
                     r->gslot[IR_G_THUMB]);
}

/* The host version of a known routine, in front of the translated body: returns like the
   guest routine (lr for the return key) or goes on into the body when its guard fails. It
   comes before the body's loads of struct cpu and touches only its arguments: with the
   loads before it, every global the body uses was loaded, kept across the host call and
   stored back (a known memcpy cost sha256sum 15%). */
LLVMBasicBlockRef raise_known_block(struct rfn *r, enum known_routine kr,
                                    LLVMBasicBlockRef body)
{
    struct rmod *m = r->m;
    LLVMBasicBlockRef start = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "known.guard");
    LLVMPositionBuilderAtEnd(m->bld, start);
    LLVMValueRef a[4], out[4], v[RAISE_NREGS];
    for (unsigned i = 0; i < 4; i++)
        a[i] = raise_reg_param(r, m->bld, IR_G_R0 + i);
    known_emit(kr, m->mod, m->bld, body, a, out);
    for (unsigned i = 0; i < RAISE_NREGS; i++) {
        unsigned g = raise_regs[i];
        v[i] = g <= IR_G_R3 && out[g - IR_G_R0] ? out[g - IR_G_R0] : raise_reg_param(r, m->bld, g);
    }
    raise_ret_values(r, LLVMBuildZExt(m->bld, raise_reg_param(r, m->bld, IR_G_R14), m->i64, ""),
                     v);
    return start;
}

static bool scan_dead(const struct ir_block *b, uint64_t *read, uint64_t *written);

/* pc | thumb: the key of where a computed jump goes (the slots hold the target). */
static LLVMValueRef pc_key(struct rfn *r)
{
    struct rmod *m = r->m;
    return LLVMBuildOr(m->bld, raise_slot_load(r, &r->gc[IR_G_PC], m->i32, r->gslot[IR_G_PC]),
                       raise_slot_load(r, &r->gc[IR_G_THUMB], m->i32, r->gslot[IR_G_THUMB]), "");
}

/* cpu->interrupt, read anew at each check (the runtime's signal handler sets it). */
static LLVMValueRef interrupt_flag(struct rfn *r)
{
    LLVMValueRef v = raise_cpu_load(r, r->m->bld, r->m->i32, offsetof(struct cpu, interrupt));
    LLVMSetVolatile(v, 1);
    return v;
}

/* Whether the current block's successor j closes a cycle (raise_find_loops; without its
   answer, whether it goes to this block or before it). */
static bool edge_closes(const struct rfn *r, uint32_t j)
{
    const struct xl_dblock *d = r->rb->d;
    if (r->back)
        return r->back[r->back_off[r->rb - r->f->blocks] + j];
    return (d->succ[j] & ~1u) <= r->b->guest_pc;
}

static bool backward(const struct rfn *r, uint32_t target)
{
    const struct xl_dblock *d = r->rb->d;
    for (uint32_t j = 0; d && j < d->nsucc; j++)
        if (d->succ[j] == target)
            return edge_closes(r, j);
    return (target & ~1u) <= r->b->guest_pc;
}

/* Whether the end of block d reaches its successors through a jump of ours, where a check
   can go: not a call's return or an svc's continuation (no jump of ours there). */
static bool checkable(const struct xl_dblock *d)
{
    return d->kind != XL_END_CALL && d->kind != XL_END_CALL_IND && d->kind != XL_END_EXIT;
}

/*
 * The retreating edges of a depth-first walk of the function's blocks (from its entry,
 * then from any block not reached yet): every cycle has one, and there are far fewer of
 * them than jumps to a lower address (a shared epilogue, a cold block placed before its
 * branch): libc's functions had 7 checks each, each one a slow path that stores and
 * reloads the registers, doubling translation time. When the retreating edge is a call's
 * return (`while (c) f();` entered at its test), every edge into the call's block gets
 * the check instead, as each cycle through the call enters it by one; if one of those is
 * not a jump either, the function keeps the address rule.
 */
void raise_find_loops(struct rfn *r)
{
    const struct raise_function *f = r->f;
    uint32_t n = f->nblocks, nedges = 0;
    r->back_off = calloc(n + 1, sizeof(*r->back_off));
    for (uint32_t i = 0; r->back_off && i < n; i++) {
        r->back_off[i] = nedges;
        nedges += f->blocks[i].d ? f->blocks[i].d->nsucc : 0;
    }
    r->back = r->back_off ? calloc(nedges + 1, sizeof(*r->back)) : NULL;
    uint8_t *state = calloc(n + 1, 1);              /* 0 new, 1 on the path, 2 done */
    bool *into = calloc(n + 1, sizeof(*into));      /* check every edge into this block */
    struct frame { uint32_t block, next; } *stack = calloc(n + 1, sizeof(*stack));
    bool ok = r->back && state && into && stack, any_into = false;
    for (uint32_t root = 0; ok && root < n; root++) {
        if (state[root])
            continue;
        uint32_t depth = 0;
        stack[depth++] = (struct frame){ root, 0 };
        state[root] = 1;
        while (depth) {
            struct frame *fr = &stack[depth - 1];
            const struct xl_dblock *d = f->blocks[fr->block].d;
            if (!d || fr->next >= d->nsucc) {
                state[fr->block] = 2;
                depth--;
                continue;
            }
            uint32_t j = fr->next++;
            int v = block_index(r, d->succ[j]);
            if (v < 0)
                continue;
            if (state[v] == 1) {
                if (checkable(d))
                    r->back[r->back_off[fr->block] + j] = true;
                else
                    into[fr->block] = any_into = true;
            } else if (state[v] == 0) {
                state[v] = 1;
                stack[depth++] = (struct frame){ (uint32_t)v, 0 };
            }
        }
    }
    for (uint32_t w = 0; ok && any_into && w < n; w++) {
        const struct xl_dblock *d = f->blocks[w].d;
        for (uint32_t j = 0; d && j < d->nsucc; j++) {
            int v = block_index(r, d->succ[j]);
            if (v >= 0 && into[v]) {
                ok &= checkable(d);
                r->back[r->back_off[w] + j] = true;
            }
        }
    }
    free(state);
    free(into);
    free(stack);
    if (!ok) {
        free(r->back);
        free(r->back_off);
        r->back = NULL;
        r->back_off = NULL;
    }
}

/*
 * Each turn of a loop reads guest memory again, as the guest's loads do: another thread's
 * store must end a spin on a plain load (a volatile flag, a relaxed atomic), which LLVM,
 * seeing no store in the loop, would otherwise load once before it. A single-thread fence
 * emits no instruction; it only keeps the optimizer from moving memory accesses across
 * the back edge. The guest compiler already hoisted what C allowed it to.
 */
static void compiler_barrier(struct rfn *r)
{
    LLVMBuildFence(r->m->bld, LLVMAtomicOrderingSequentiallyConsistent, 1, "");
}

/*
 * The globals whose values at a jump to target are dead (written before read from there
 * on, raise_dead_on_entry's rule followed through fall-throughs and jumps): the slow path
 * neither stores nor reloads them, so the loop need not compute them for it. A loop's
 * `cmp; bne` makes NZCV dead at its head; without this every turn computed C and V only
 * for a signal that hardly ever comes (docs/threads.md has the numbers). A handler sees
 * stale values there in its ucontext, as in a callee's dead globals at a call.
 */
static uint64_t dead_at(const struct rfn *r, uint32_t target)
{
    uint64_t read = 0, written = 0;
    /* the flags: from the function's whole graph (raise_flags.c) */
    int at = block_index(r, target);
    const uint64_t *fl = r->m->p->flags_live[r->f - r->m->p->fns];
    if (at >= 0 && fl)
        written |= RAISE_NZCV & ~fl[at];
    /* on through unconditional jumps and fall-throughs: a loop's head is often a block
       of two loads that falls into the body, where the flags are set */
    for (unsigned n = 0; n < 8; n++) {
        int i = block_index(r, target);
        if (i < 0)
            break;
        const struct raise_block *rb = &r->f->blocks[i];
        const struct xl_dblock *d = rb->d;
        if (!scan_dead(rb->ir, &read, &written) || !d || d->cond || d->nsucc != 1 ||
            (d->kind != XL_END_FALL && d->kind != XL_END_JUMP))
            break;
        target = d->succ[0];
    }
    return written & ~(1ull << IR_G_PC | 1ull << IR_G_THUMB);
}

/*
 * A loop's back edge (raise_find_loops; without its answer, any jump to this block or
 * before it), or with at_entry the entry of a function on a call-graph cycle: an
 * asynchronous signal waiting for this thread (cpu->interrupt, set by the runtime's
 * handler) is delivered here by xl_aot_interrupt, with the live globals synced; then on at
 * target as after a call (rejoin: a computed jump, which looks at pc again). Every cycle
 * inside a function has such an edge, so no loop of AOT code keeps a signal waiting
 * (returns reach the runtime's checks themselves). The builder is left on the fast path,
 * where cpu->interrupt was 0.
 */
static void interrupt_check(struct rfn *r, uint32_t target, bool rejoin, bool at_entry)
{
    struct rmod *m = r->m;
    LLVMValueRef v = interrupt_flag(r);
    LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMValueRef set = LLVMBuildICmp(m->bld, LLVMIntNE, v, LLVMConstInt(m->i32, 0, 0), "");
    /* signals are rare: the weights keep the slow path out of the loop's body */
    raise_unlikely(m, LLVMBuildCondBr(m->bld, set, slow, fast));
    LLVMPositionBuilderAtEnd(m->bld, slow);
    uint64_t dead = rejoin ? 0 : dead_at(r, target);
    raise_sync_globals_but(r, dead);
    if (at_entry)       /* where the handler's frame returns to: no slot holds it yet (a
                           back edge's jump wrote it, and the sync stored it) */
        store_pc(r, target);
    LLVMTypeRef ty = LLVMFunctionType(m->vd, &m->ptr, 1, 0);
    LLVMValueRef a = r->cpu;
    raise_call(m, raise_rt_fn(m, "xl_aot_interrupt", ty), &a, 1);
    if (!rejoin) {
        /* target, or back to the caller if a handler went away */
        continue_at_but(r, target, dead, NULL);
        LLVMPositionBuilderAtEnd(m->bld, fast);
        compiler_barrier(r);
        return;
    }
    /* a computed jump: the dispatch after the join looks at pc again (a handler may have
       changed it), and a target it does not know goes to the runtime as before */
    LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    raise_reload_globals(r);
    LLVMBuildBr(m->bld, join);
    LLVMPositionBuilderAtEnd(m->bld, fast);
    compiler_barrier(r);
    LLVMBuildBr(m->bld, join);
    LLVMPositionBuilderAtEnd(m->bld, join);
}

void raise_goto_tb(struct rfn *r, uint32_t target)
{
    struct rmod *m = r->m;
    const struct xl_dblock *d = r->rb->d;
    if (d && d->kind == XL_END_CALL && target == d->callee) {
        enum known_routine kr = raise_known_at(m->p, target);
        LLVMBasicBlockRef cont = block_of(r, return_addr(r));
        if (kr != KNOWN_NONE && cont) {     /* inline: a constant divisor folds */
            LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
            known_inline(r, kr, slow, return_addr(r));
            LLVMBuildBr(m->bld, cont);
            LLVMPositionBuilderAtEnd(m->bld, slow);
        }
        const struct pent *callee = raise_prog_find(m->p, target);
        if (!callee) {
            raise_sync_globals(r);
            run_call(r, return_addr(r));    /* the runtime runs the callee (pc is written) */
            return;
        }
        uint64_t dead = m->p->dead_in[callee->idx];
        raise_sync_globals_but(r, dead | RAISE_REGS_MASK);
        LLVMValueRef c = call_fast(r, raise_prog_fast(m, target), dead, false);
        continue_after_call(r, return_addr(r), c);
        return;
    }
    LLVMBasicBlockRef bb = block_of(r, target);
    if (bb) {
        if (backward(r, target))
            interrupt_check(r, target, false, false);
        LLVMBuildBr(m->bld, bb);
        return;
    }
    const struct pent *callee = raise_prog_find(m->p, target);
    if (callee) {                       /* a tail call to another function */
        uint64_t dead = m->p->dead_in[callee->idx];
        raise_sync_globals_but(r, dead | RAISE_REGS_MASK);
        call_fast(r, raise_prog_fast(m, target), dead, true);
        return;
    }
    raise_sync_globals(r);
    run_to_return(r);                   /* code outside every function we know */
}

/*
 * The globals that the function entered at f's first block writes before it reads them,
 * and before any branch, block end or helper that takes env, on its straight-line start:
 * their values at a call or jump to f are dead, so the caller does not store them to
 * struct cpu first (raise_sync_globals_but). f's own stores, at its first call out, exit
 * or return, put its values there before anything else can look (a host fault in
 * between sees what was last stored, as anywhere in AOT code; docs/aot.md). fib's
 * `push {..., lr}; cmp r0, #1` makes NZCV dead, and with it the caller's work to keep its
 * flags for struct cpu. pc and thumb are always stored: if f's raising failed, the
 * runtime resumes from them.
 */
uint64_t raise_dead_on_entry(const struct raise_function *f)
{
    uint64_t read = 0, written = 0;
    if (f->nblocks)
        scan_dead(f->blocks[0].ir, &read, &written);
    return written & ~(1ull << IR_G_PC | 1ull << IR_G_THUMB);
}

/*
 * Reads b's ops on its straight-line start into read/written (raise_dead_on_entry). Returns
 * whether it got to b's last op, its block end, without stopping earlier.
 */
static bool scan_dead(const struct ir_block *b, uint64_t *read, uint64_t *written)
{
    for (uint32_t k = 0; b && k < b->n_ops; k++) {
        const struct ir_op *op = &b->ops[k];
        unsigned fl = op->opc < IR_NUM_OPS ? ir_op_info[op->opc].flags : IR_F_BLOCK_END;
        if (fl & (IR_F_BB_END | IR_F_BLOCK_END) || op->nout + op->nin > IR_MAX_ARGS)
            return k + 1 == b->n_ops && op->opc == IR_goto_tb;
        if (fl & IR_F_CALL) {
            uint64_t hi = ir_op_consts_c(op)[0];
            if (hi >= IR_NUM_HELPERS || ir_helper_takes_env(&ir_helpers[hi]))
                return false;
        }
        const uint64_t *in = ir_op_ins_c(op), *out = ir_op_outs_c(op);
        for (unsigned a = 0; a < op->nin; a++)
            if (in[a] < IR_NUM_GLOBALS)
                *read |= 1ull << in[a];
        for (unsigned a = 0; a < op->nout; a++)
            if (out[a] < IR_NUM_GLOBALS && !(*read >> out[a] & 1))
                *written |= 1ull << out[a];
    }
    return false;
}

/* Largest table of block addresses for one computed jump (entries, 8 bytes each). */
#define XL_DISPATCH_TABLE_MAX 1024u

/*
 * A computed jump's targets (keys pc | thumb) that all share one mode, spaced step = 4
 * (ARM) or 2 (Thumb) bytes apart: an index rotr(key - lowest, log2 step) picks the target
 * from a table of host block addresses and indirectbr goes there, one load and one host
 * jump as the guest's own table (32-bit offsets cost vm 10%: docs/aot.md). A key off the
 * targets' grid (another mode, misaligned) rotates its low bits to the top, past the
 * table's end: dflt, as are the table's holes. An LLVM switch over such keys would be a
 * tree of compares: they are too sparse for its jump tables. Returns 0 when the targets
 * do not fit this shape.
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

/*
 * The AOT function at cpu->r[15]/thumb (synced; their slots hold the same), or null: an
 * inline cache in front of xl_aot_resolve, one per site. A PLT stub or a callback's call
 * site mostly sees one target, and the lookup behind xl_aot_resolve was 40% of a loop of
 * calls through the PLT. Two words per site, {key | epoch << 32, function}, read as a
 * sequence lock (the key word again after the function: a writer clears it first and sets
 * it last), so threads racing on a site never pair a key with another's function. The
 * runtime's xl_aot_epoch moves when translated code goes away (a library unmapped, code
 * rewritten), which empties every cache at once. With a signal waiting (cpu->interrupt)
 * the cache is passed by, and xl_aot_resolve sends the call through the runtime.
 */
static LLVMValueRef resolve_cached(struct rfn *r)
{
    struct rmod *m = r->m;
    LLVMBuilderRef b = m->bld;
    LLVMTypeRef sty = LLVMStructTypeInContext(m->ctx, (LLVMTypeRef[]){ m->i64, m->ptr }, 2, 0);
    LLVMValueRef site = LLVMAddGlobal(m->mod, sty, "");
    LLVMSetInitializer(site, LLVMConstNull(sty));
    LLVMSetLinkage(site, LLVMPrivateLinkage);
    LLVMSetAlignment(site, 16);
    LLVMValueRef epoch_g = LLVMGetNamedGlobal(m->mod, "xl_aot_epoch");
    if (!epoch_g)
        epoch_g = LLVMAddGlobal(m->mod, m->i32, "xl_aot_epoch");
    LLVMValueRef fslot = LLVMBuildStructGEP2(b, sty, site, 1, "");

    LLVMValueRef key = pc_key(r);
    LLVMValueRef epoch = LLVMBuildLoad2(b, m->i32, epoch_g, "");
    LLVMSetOrdering(epoch, LLVMAtomicOrderingMonotonic);
    LLVMValueRef want = LLVMBuildOr(b, LLVMBuildZExt(b, key, m->i64, ""),
        LLVMBuildShl(b, LLVMBuildZExt(b, epoch, m->i64, ""), LLVMConstInt(m->i64, 32, 0), ""),
        "");
    LLVMValueRef w = LLVMBuildLoad2(b, m->i64, site, "");
    LLVMSetOrdering(w, LLVMAtomicOrderingAcquire);
    LLVMSetAlignment(w, 8);
    LLVMValueRef intr = interrupt_flag(r);
    LLVMValueRef hit = LLVMBuildAnd(b, LLVMBuildICmp(b, LLVMIntEQ, w, want, ""),
        LLVMBuildICmp(b, LLVMIntEQ, intr, LLVMConstInt(m->i32, 0, 0), ""), "");
    LLVMBasicBlockRef check = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBasicBlockRef miss = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBasicBlockRef fill = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBuildCondBr(b, hit, check, miss);

    LLVMPositionBuilderAtEnd(b, check);             /* the function, then the key again */
    LLVMValueRef f = LLVMBuildLoad2(b, m->ptr, fslot, "");
    LLVMSetOrdering(f, LLVMAtomicOrderingAcquire);
    LLVMSetAlignment(f, 8);
    LLVMValueRef w2 = LLVMBuildLoad2(b, m->i64, site, "");
    LLVMSetOrdering(w2, LLVMAtomicOrderingAcquire);
    LLVMSetAlignment(w2, 8);
    LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntEQ, w2, want, ""), done, miss);

    LLVMPositionBuilderAtEnd(b, miss);
    LLVMTypeRef rty = LLVMFunctionType(m->ptr, &m->ptr, 1, 0);
    LLVMValueRef arg = r->cpu;
    LLVMValueRef g = raise_call(m, raise_rt_fn(m, "xl_aot_resolve", rty), &arg, 1);
    LLVMBuildCondBr(b, LLVMBuildIsNull(b, g, ""), done, fill);

    LLVMPositionBuilderAtEnd(b, fill);              /* clear the key, the function, the key */
    LLVMValueRef s1 = LLVMBuildStore(b, LLVMConstInt(m->i64, 0, 0), site);
    LLVMValueRef s2 = LLVMBuildStore(b, g, fslot);
    LLVMValueRef s3 = LLVMBuildStore(b, want, site);
    LLVMValueRef st[3] = { s1, s2, s3 };
    for (unsigned i = 0; i < 3; i++) {
        LLVMSetOrdering(st[i], LLVMAtomicOrderingRelease);
        LLVMSetAlignment(st[i], 8);
    }
    LLVMBuildBr(b, done);

    LLVMPositionBuilderAtEnd(b, done);
    LLVMValueRef phi = LLVMBuildPhi(b, m->ptr, "");
    LLVMValueRef vals[3] = { f, LLVMConstNull(m->ptr), g };
    LLVMBasicBlockRef from[3] = { check, miss, fill };
    LLVMAddIncoming(phi, vals, from, 3);
    return phi;
}

/*
 * The value X of an interworking write of the pc (BXWritePC: `thumb = X & 1; pc = X &
 * (thumb ? ~1 : ~3)`, arm_write_pc_interwork) that ends the block, or NULL. Its key
 * pc | thumb is X itself unless X's low bits are 0b10 (an ARM target with bit 1 set, which
 * the ARM ARM leaves unpredictable and the lifter clears): with X as the table key such a
 * target lands off the table's grid, in its default, which uses the synced pc and thumb.
 * Saves the key's four host insns on every dispatch of a switch's `ldr pc, [pc, rN, lsl
 * #2]` or an interpreter's `mov pc, rN`.
 */
static LLVMValueRef interwork_target(struct rfn *r)
{
    const struct ir_block *b = r->b;
    if (b->n_ops < 4 || b->ops[b->n_ops - 1].opc != IR_goto_ptr)
        return NULL;
    const struct ir_op *th = &b->ops[b->n_ops - 4], *mask = &b->ops[b->n_ops - 3],
                       *pc = &b->ops[b->n_ops - 2];
    const uint64_t *ti = ir_op_ins_c(th), *mi = ir_op_ins_c(mask), *pi = ir_op_ins_c(pc);
#define CONST_IS(t, v) (ir_is_const(b, (t)) && (uint32_t)ir_temp_get(b, (t))->val == (v))
    bool ok = th->opc == IR_and_i32 && th->args[0] == IR_G_THUMB && CONST_IS(ti[1], 1u) &&
              mask->opc == IR_movcond_i32 && ir_op_consts_c(mask)[0] == IR_NE &&
              mi[0] == IR_G_THUMB && CONST_IS(mi[1], 0u) && CONST_IS(mi[2], ~1u) &&
              CONST_IS(mi[3], ~3u) &&
              pc->opc == IR_and_i32 && pc->args[0] == IR_G_PC && pi[0] == ti[0] &&
              pi[1] == mask->args[0] && ti[0] != IR_G_THUMB && ti[0] != IR_G_PC &&
              ti[0] != mask->args[0];
#undef CONST_IS
    return ok ? raise_get(r, ti[0]) : NULL;
}

void raise_goto_ptr(struct rfn *r)
{
    struct rmod *m = r->m;
    const struct xl_dblock *d = r->rb->d;
    enum xl_dblock_end kind = d ? d->kind : XL_END_INDIRECT;
    if (kind == XL_END_TABLE) {
        bool back = false;
        for (uint32_t i = 0; i < d->nsucc; i++)   /* successor i: no search for it */
            back |= edge_closes(r, i);
        if (back)
            interrupt_check(r, 0, true, false);
        LLVMValueRef key = interwork_target(r);
        if (!key)
            key = pc_key(r);
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
            if (dup || (!bb && !raise_prog_find(m->p, d->succ[i])))
                continue;
            if (!bb) {                  /* another function's entry: a tail call */
                bb = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
                LLVMBasicBlockRef here = LLVMGetInsertBlock(m->bld);
                LLVMPositionBuilderAtEnd(m->bld, bb);
                raise_goto_tb(r, d->succ[i]);
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
        raise_sync_globals(r);
        run_to_return(r);
        return;
    }
    if (kind == XL_END_RETURN) {
        /* the caller's check of the key tells where we went; a return leaves out the flags
           no caller reads after it (raise_flags.c), and pc and thumb when the key is the
           value of an interworking write (the key of pc and thumb may be no key) */
        LLVMValueRef x = interwork_target(r);
        raise_sync_globals_but(r, RAISE_REGS_MASK | m->p->dead_out[r->f - m->p->fns] |
                                  (x ? 1ull << IR_G_PC | 1ull << IR_G_THUMB : 0));
        raise_ret_regs_key(r, x ? LLVMBuildZExt(m->bld, x, m->i64, "") : NULL);
        return;
    }
    raise_sync_globals_but(r, RAISE_REGS_MASK);
    /* An indirect call, or another computed jump (a PLT stub's `ldr pc, [ip, #k]!`, a
       veneer, `mov pc, rN`): the AOT function at the target if there is one, a host call
       (for a jump, a tail call: its return is ours); else a run in the runtime. */
    bool call = kind == XL_END_CALL_IND;
    LLVMValueRef f = resolve_cached(r);
    LLVMBasicBlockRef found = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBasicBlockRef none = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMBuildCondBr(m->bld, LLVMBuildIsNull(m->bld, f, ""), none, found);
    LLVMPositionBuilderAtEnd(m->bld, none);
    raise_sync_globals_but(r, ~RAISE_REGS_MASK);   /* the rest went before the lookup */
    if (call)
        run_call(r, return_addr(r));
    else
        run_to_return(r);
    LLVMPositionBuilderAtEnd(m->bld, found);
    LLVMValueRef c = call_fast(r, f, 0, !call);
    if (call)
        continue_after_call(r, return_addr(r), c);
}

/*
 * The flags an alignment fault's exit at op may leave out of struct cpu: those that are
 * dead wherever in this block the handler may resume (the faulting insn, again, or the one
 * after it when the handler steps over it). Live anywhere in a block means live at its
 * start or written in it first, so what is dead at its start (raise_flags.c) and not
 * written by an op before the faulting insn's is dead there. An alignment check in a NEON
 * loop (`vld1 {d16-d17}, [r3 :64]!; ...; cmp r3, r2; bne`) otherwise kept the loop's C
 * and V, computed on every turn for the exit. Not for the exits that end their block (an
 * undefined insn, a breakpoint, no code): the insn after them, where a handler that steps
 * over them resumes, is no successor of the block, and its flags are not in the analysis
 * (guest test fault_flags).
 */
static uint64_t dead_at_align_fault(const struct rfn *r, const struct ir_op *op)
{
    const uint64_t *fl = r->m->p->flags_live[r->f - r->m->p->fns];
    if (!fl)
        return 0;
    uint64_t live = fl[r->rb - r->f->blocks];
    for (const struct ir_op *o = r->b->ops; o < op && o->guest_pc != op->guest_pc; o++) {
        const uint64_t *out = ir_op_outs_c(o);
        for (unsigned a = 0; a < o->nout && a < IR_MAX_ARGS; a++)
            if (out[a] < IR_NUM_GLOBALS)
                live |= 1ull << out[a];
    }
    return RAISE_NZCV & ~live;
}

void raise_exit_tb(struct rfn *r, const struct ir_op *op, uint64_t reason)
{
    struct rmod *m = r->m;
    raise_sync_globals_but(r, reason == IR_EXIT_ALIGN ? dead_at_align_fault(r, op) : 0);
    if (reason == IR_EXIT_LOOKUP || reason == IR_EXIT_CHAIN) {
        run_to_return(r);
        return;
    }
    /* As the JIT does: exit_pc is the insn that exited. */
    raise_cpu_store(r, LLVMConstInt(m->i32, op->guest_pc, 0), ir_globals[IR_G_EXIT_PC].offset);
    LLVMValueRef args[2] = { r->cpu, LLVMConstInt(m->i32, reason, 0) };
    if (reason == IR_EXIT_SYSCALL) {
        LLVMTypeRef ty = LLVMFunctionType(m->vd, &m->ptr, 1, 0);
        raise_call(m, raise_rt_fn(m, "xl_aot_syscall", ty), args, 1);
        continue_at(r, return_addr(r));     /* a signal handler may have diverted */
        return;
    }
    LLVMTypeRef pt[2] = { m->ptr, m->i32 };
    LLVMTypeRef ty = LLVMFunctionType(m->vd, pt, 2, 0);
    raise_call(m, raise_rt_fn(m, "xl_aot_exit", ty), args, 2);
    raise_ret_cpu(r);
}

/* How many functions a direct call or a jump (a tail call) of function i enters; their
   indexes go to out when it is not NULL. */
static uint32_t callees_of(const struct rprog *p, uint32_t i, uint32_t *out)
{
    const struct raise_function *f = &p->fns[i];
    uint32_t n = 0;
    for (uint32_t b = 0; b < f->nblocks; b++) {
        const struct xl_dblock *d = f->blocks[b].d;
        if (!d || d->kind == XL_END_CALL_IND || d->kind == XL_END_RETURN ||
            d->kind == XL_END_INDIRECT || d->kind == XL_END_EXIT)
            continue;
        uint32_t nt = d->nsucc + (d->kind == XL_END_CALL);
        for (uint32_t s = 0; s < nt; s++) {
            uint32_t key = s < d->nsucc ? d->succ[s] : d->callee;
            const struct pent *e = raise_prog_find(p, key);
            if (e && (d->kind == XL_END_CALL ? s == d->nsucc : e->idx != i)) {
                if (out)
                    out[n] = e->idx;
                n++;
            }
        }
    }
    return n;
}

/*
 * The functions on a cycle of the call graph (direct calls and tail jumps): those that
 * call themselves and the strongly connected components of more than one function
 * (Tarjan's algorithm, iteratively: a call chain can be deep). Their entries get a signal
 * check (raise_entry_check): raise_find_loops follows no call. NULL when out of memory.
 */
bool *raise_find_recursion(const struct rprog *p)
{
    size_t n = p->nfns;
    uint32_t *off = calloc(n + 1, sizeof(*off));
    bool *rec = calloc(n + 1, sizeof(*rec));
    uint32_t *edge = NULL, *index = NULL, *low = NULL, *stack = NULL, *walk = NULL, *pos = NULL;
    bool *on = NULL;
    if (!off || !rec)
        goto fail;
    for (size_t i = 0; i < n; i++)
        off[i + 1] = off[i] + (p->skip[i] ? 0 : callees_of(p, (uint32_t)i, NULL));
    edge = malloc((off[n] + 1) * sizeof(*edge));
    index = calloc(n + 1, sizeof(*index));     /* 0: not visited yet */
    low = calloc(n + 1, sizeof(*low));
    stack = malloc((n + 1) * sizeof(*stack));  /* Tarjan's stack */
    walk = malloc((n + 1) * sizeof(*walk));    /* the depth-first path */
    pos = calloc(n + 1, sizeof(*pos));         /* per function: next edge to follow */
    on = calloc(n + 1, sizeof(*on));
    if (!edge || !index || !low || !stack || !walk || !pos || !on)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (!p->skip[i])
            callees_of(p, (uint32_t)i, edge + off[i]);
    uint32_t next = 1, sp = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] || p->skip[root])
            continue;
        uint32_t depth = 0;
        walk[depth++] = root;
        index[root] = low[root] = next++;
        stack[sp++] = root;
        on[root] = true;
        while (depth) {
            uint32_t v = walk[depth - 1];
            if (off[v] + pos[v] < off[v + 1]) {
                uint32_t w = edge[off[v] + pos[v]++];
                if (w == v)
                    rec[v] = true;
                if (!index[w]) {
                    index[w] = low[w] = next++;
                    stack[sp++] = w;
                    on[w] = true;
                    walk[depth++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            depth--;
            if (depth && low[v] < low[walk[depth - 1]])
                low[walk[depth - 1]] = low[v];
            if (low[v] != index[v])
                continue;
            uint32_t w, size = 0, first = sp;
            do {
                w = stack[--first];
                size++;
            } while (w != v);
            for (uint32_t k = first; k < sp; k++) {
                on[stack[k]] = false;
                if (size > 1)
                    rec[stack[k]] = true;
            }
            sp = first;
        }
    }
    goto out;
fail:
    free(rec);
    rec = NULL;
out:
    free(off);
    free(edge);
    free(index);
    free(low);
    free(stack);
    free(walk);
    free(pos);
    free(on);
    return rec;
}

/*
 * The entry of a function on a call-graph cycle (raise_find_recursion): a recursion
 * without loops or system calls reaches no back edge, so its calls check for a signal
 * waiting for this thread, as a loop's back edge does (interrupt_check). The slow path
 * stores the function's entry as pc, delivers, and goes on at the entry, or returns to the
 * caller if a handler went elsewhere. The builder is left on the fast path.
 */
void raise_entry_check(struct rfn *r)
{
    interrupt_check(r, r->f->entry, false, true);
}
