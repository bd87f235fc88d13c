/*
 * The block-local register allocator (in the manner of TCG's): host registers cache the
 * temps' homes. Each temp's last use comes from one forward scan; a local whose last use
 * has passed frees its register and stack slot. Registers are taken on demand, free ones
 * first, else the least recently used one is spilled (stored only when its home is stale
 * and the value is still needed). At basic-block ends everything is written home, so
 * every label is a consistent join point with nothing cached.
 */
#include <stdlib.h>
#include <string.h>

#include "regalloc.h"
#include "../ir/xl_assert.h"

/* Callee-saved registers first: they survive helper calls. rcx last (shift counts). */
static const int8_t alloc_order[] = {
    X_RBX, X_R14, X_R15, X_R12, X_R13, X_RSI, X_RDI, X_R8, X_R9, X_R10, X_RAX, X_RDX, X_RCX,
};

static bool is_i64(const struct jit_cg *cg, ir_temp t) { return cg->b->temps[t].type == IR_I64; }
static bool is_global(ir_temp t) { return t < IR_NUM_GLOBALS; }
static bool is_const(const struct jit_cg *cg, ir_temp t)
{
    return cg->b->temps[t].kind == IR_TEMP_CONST;
}

void ra_begin(struct jit_cg *cg)
{
    const struct ir_block *b = cg->b;
    if (cg->cap_t < b->n_temps) {
        cg->cap_t = b->n_temps * 2;
        cg->t = realloc(cg->t, cg->cap_t * sizeof(*cg->t));
        xl_assert(cg->t != NULL);
    }
    for (ir_temp t = 0; t < b->n_temps; t++)
        cg->t[t] = (struct ra_temp){ .reg = -1, .in_mem = is_global(t), .slot = -1 };
    for (uint32_t i = 0; i < b->n_ops; i++) {
        const struct ir_op *op = &b->ops[i];
        for (unsigned k = 0; k < (unsigned)op->nout + op->nin; k++)
            cg->t[op->args[k]].last_use = i;
    }
    for (int r = 0; r < 16; r++) {
        cg->reg_temp[r] = RA_NONE;
        cg->reg_stamp[r] = 0;
    }
    cg->stamp = 0;
    cg->locked = 0;
    cg->n_used_slots = 0;           /* slots are handed out in order, none listed yet */
    cg->n_free_slots = 0;
}

struct x86_mem ra_home(struct jit_cg *cg, ir_temp t)
{
    if (is_global(t))
        return x86_base(JIT_ENV, ir_globals[t].offset);
    struct ra_temp *rt = &cg->t[t];
    if (rt->slot < 0) {
        /* Out of slots would take >500 simultaneously live locals in one block. */
        if (cg->n_free_slots > 0) {
            rt->slot = (int16_t)cg->free_slots[--cg->n_free_slots];
        } else {
            xl_assert(cg->n_used_slots < JIT_SPILL_SLOTS);
            rt->slot = (int16_t)cg->n_used_slots++;
        }
    }
    return x86_base(X_RSP, rt->slot * 8);
}

static void bind(struct jit_cg *cg, ir_temp t, int r)
{
    cg->reg_temp[r] = t;
    cg->t[t].reg = (int8_t)r;
    cg->reg_stamp[r] = ++cg->stamp;
    cg->locked |= (uint16_t)(1u << r);
}

static void unbind(struct jit_cg *cg, int r)
{
    ir_temp t = cg->reg_temp[r];
    if (t != RA_NONE)
        cg->t[t].reg = -1;
    cg->reg_temp[r] = RA_NONE;
}

static void store(struct jit_cg *cg, ir_temp t)
{
    struct ra_temp *rt = &cg->t[t];
    x86_mov_store(&cg->e, is_i64(cg, t), ra_home(cg, t), rt->reg);
    rt->in_mem = true;
}

/* Frees r; its value goes home first when it is stale there and used at or after `from`. */
static void spill(struct jit_cg *cg, int r, uint32_t from)
{
    ir_temp t = cg->reg_temp[r];
    if (t == RA_NONE)
        return;
    struct ra_temp *rt = &cg->t[t];
    if (!rt->in_mem && (is_global(t) || rt->last_use >= from))
        store(cg, t);
    unbind(cg, r);
}

/* Registers holding a temp that the current op names. Until the op has read it (and
   locked its register), such a temp is still needed even when this op is its last use. */
static uint16_t op_regs(const struct jit_cg *cg)
{
    uint16_t m = 0;
    if (cg->op >= cg->b->n_ops)
        return 0;
    const struct ir_op *op = &cg->b->ops[cg->op];
    for (unsigned k = 0; k < (unsigned)op->nout + op->nin; k++) {
        int r = cg->t[op->args[k]].reg;
        if (r >= 0)
            m |= (uint16_t)(1u << r);
    }
    return m;
}

static int alloc_reg(struct jit_cg *cg, int avoid)
{
    for (unsigned k = 0; k < sizeof(alloc_order); k++) {
        int r = alloc_order[k];
        if (r != avoid && cg->reg_temp[r] == RA_NONE && !(cg->locked & (1u << r)))
            return r;
    }
    uint16_t used = op_regs(cg);
    int best = -1;
    for (unsigned k = 0; k < sizeof(alloc_order); k++) {
        int r = alloc_order[k];
        if (r == avoid || (cg->locked & (1u << r)))
            continue;
        /* Prefer a victim the op does not name (it would be reloaded right away), then a
           clean one (no store), then the least recently used. */
        if (best < 0) {
            best = r;
            continue;
        }
        bool ub = used >> best & 1, ur = used >> r & 1;
        bool cb = cg->t[cg->reg_temp[best]].in_mem, cr = cg->t[cg->reg_temp[r]].in_mem;
        if ((ub && !ur) ||
            (ub == ur && ((cr && !cb) || (cr == cb && cg->reg_stamp[r] < cg->reg_stamp[best]))))
            best = r;
    }
    xl_assert(best >= 0);
    /* Store from the current op on: the victim may be an input of this op that is not
       read (locked) yet, whose last use is this op (KNOWN-BUGS #5: add2/mul2/ld/st with
       many live values lost such an input and read whatever its new register held). */
    spill(cg, best, cg->op);
    return best;
}

int ra_scratch(struct jit_cg *cg)
{
    int r = alloc_reg(cg, -1);
    cg->locked |= (uint16_t)(1u << r);
    return r;
}

int ra_in(struct jit_cg *cg, ir_temp t)
{
    if (is_const(cg, t)) {
        int r = ra_scratch(cg);
        x86_mov_ri(&cg->e, is_i64(cg, t), r, cg->b->temps[t].val);
        return r;
    }
    struct ra_temp *rt = &cg->t[t];
    if (rt->reg >= 0) {
        cg->locked |= (uint16_t)(1u << rt->reg);
        cg->reg_stamp[rt->reg] = ++cg->stamp;
        return rt->reg;
    }
    int r = alloc_reg(cg, -1);
    if (is_global(t) || rt->slot >= 0)
        x86_mov_load(&cg->e, is_i64(cg, t), r, ra_home(cg, t));
    rt->in_mem = true;
    bind(cg, t, r);
    return r;
}

int ra_out(struct jit_cg *cg, ir_temp t)
{
    struct ra_temp *rt = &cg->t[t];
    if (rt->reg < 0)
        bind(cg, t, alloc_reg(cg, -1));
    cg->locked |= (uint16_t)(1u << rt->reg);
    cg->reg_stamp[rt->reg] = ++cg->stamp;
    rt->in_mem = false;
    return rt->reg;
}

void ra_bind_out(struct jit_cg *cg, ir_temp t, int r)
{
    struct ra_temp *rt = &cg->t[t];
    if (rt->reg == r) {
        rt->in_mem = false;
        return;
    }
    if (rt->reg >= 0)
        unbind(cg, rt->reg);            /* its old value is overwritten anyway */
    if (cg->reg_temp[r] != RA_NONE)
        unbind(cg, r);                  /* a local that dies at this op */
    bind(cg, t, r);
    rt->in_mem = false;
}

bool ra_reusable(struct jit_cg *cg, ir_temp t, int r)
{
    if (is_const(cg, t))
        return cg->reg_temp[r] == RA_NONE;
    return !is_global(t) && cg->t[t].last_use <= cg->op && cg->t[t].reg == r;
}

void ra_evict(struct jit_cg *cg, int r)
{
    ir_temp t = cg->reg_temp[r];
    if (t != RA_NONE) {
        int r2 = -1;
        for (unsigned k = 0; k < sizeof(alloc_order); k++) {
            int c = alloc_order[k];
            if (c != r && cg->reg_temp[c] == RA_NONE && !(cg->locked & (1u << c))) {
                r2 = c;
                break;
            }
        }
        if (r2 >= 0) {
            x86_mov_rr(&cg->e, is_i64(cg, t), r2, r);   /* keep it cached elsewhere */
            bool in_mem = cg->t[t].in_mem;
            unbind(cg, r);
            bind(cg, t, r2);
            cg->t[t].in_mem = in_mem;
            cg->locked &= (uint16_t)~(1u << r2);
        } else {
            spill(cg, r, cg->op);
        }
    }
    cg->locked |= (uint16_t)(1u << r);
}

void ra_flush(struct jit_cg *cg, bool locals, bool forget)
{
    for (int r = 0; r < 16; r++) {
        ir_temp t = cg->reg_temp[r];
        if (t == RA_NONE)
            continue;
        struct ra_temp *rt = &cg->t[t];
        if (!rt->in_mem && (is_global(t) || (locals && rt->last_use > cg->op)))
            store(cg, t);
        if (forget)
            unbind(cg, r);
    }
}

void ra_before_call(struct jit_cg *cg, bool env)
{
    for (int r = 0; r < 16; r++)
        if (RA_CALLER_SAVED & (1u << r))
            spill(cg, r, cg->op);
    if (!env)
        return;
    for (int r = 0; r < 16; r++) {
        ir_temp t = cg->reg_temp[r];
        if (t != RA_NONE && is_global(t)) {
            if (!cg->t[t].in_mem)
                store(cg, t);
            unbind(cg, r);
        }
    }
}

void ra_end_op(struct jit_cg *cg, const struct ir_op *op)
{
    for (unsigned k = 0; k < (unsigned)op->nout + op->nin; k++) {
        ir_temp t = (ir_temp)op->args[k];
        struct ra_temp *rt = &cg->t[t];
        if (is_global(t) || is_const(cg, t) || rt->last_use > cg->op)
            continue;
        if (rt->reg >= 0)
            unbind(cg, rt->reg);
        if (rt->slot >= 0) {
            cg->free_slots[cg->n_free_slots++] = (uint16_t)rt->slot;
            rt->slot = -1;
        }
    }
    cg->locked = 0;
}
