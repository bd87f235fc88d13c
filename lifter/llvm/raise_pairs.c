/*
 * Q registers as 128-bit values, the analysis. The frontend splits a Q insn into one
 * vec_i64 op per D half, and the JIT runs them so; the raiser finds the two ops of a pair
 * here and raise_vec.c emits them as one operation on <2 x i64>. Where a pair reads or
 * writes both halves of a Q register, the two D registers share one <2 x i64> slot
 * (rfn.qslot): SROA then promotes it to a vector value, so a loop's Q accumulator is one
 * phi in an xmm register instead of two i64 phis moved between general and vector
 * registers every iteration. Only µIR here, no LLVM (docs/neon.md, "Q registers in AOT
 * code").
 */
#include "raise_internal.h"
#include "../ir/vec.h"

/* Kinds whose lane i depends on lane i of the inputs alone, and that raise_vec.c has an
   LLVM form of: the same kind on both halves is that kind on 128 bits. */
static bool lanewise(unsigned o)
{
    _Static_assert(IR_VEC_ADD == 0 && IR_VEC_ABA_U + 1 == IR_VEC_SHL_S, "vec.h's order");
    if (o <= IR_VEC_ABA_U)          /* ADD .. ABA_U: arithmetic, bitwise, compares */
        return true;
    switch ((enum ir_vec)o) {
    case IR_VEC_ABS: case IR_VEC_NEG: case IR_VEC_NOT: case IR_VEC_CNT: case IR_VEC_CLZ:
    case IR_VEC_SHLI: case IR_VEC_SHRI_S: case IR_VEC_SHRI_U: case IR_VEC_RSHRI_S:
    case IR_VEC_RSHRI_U: case IR_VEC_SRI: case IR_VEC_SLI:
        return true;
    default:
        return false;
    }
}

/* The last op before `before` that writes temp t, or -1. */
static int32_t def_of(const struct ir_block *b, uint64_t t, uint32_t before)
{
    for (uint32_t k = before; k-- > 0;)
        for (unsigned a = 0; a < b->ops[k].nout; a++)
            if (b->ops[k].args[a] == t)
                return (int32_t)k;
    return -1;
}

/* Whether address temp y, as op `at` reads it, is x + 8 with x as op `from` (< at) reads
   it: y is made by an add of 8 to x, and x is not written between that add or `from`,
   whichever comes first, and `at`. */
static bool plus8(const struct ir_block *b, uint64_t x, uint32_t from, uint64_t y, uint32_t at)
{
    int32_t da = def_of(b, y, at);
    const struct ir_op *add = da >= 0 ? &b->ops[da] : NULL;
    if (!add || add->opc != IR_add_i32 || ir_op_ins_c(add)[0] != x ||
        !ir_is_const(b, (ir_temp)ir_op_ins_c(add)[1]) || b->temps[ir_op_ins_c(add)[1]].val != 8)
        return false;
    int32_t dx = def_of(b, x, at);
    return dx < 0 || (uint32_t)dx < ((uint32_t)da < from ? (uint32_t)da : from);
}

static bool is_movl(unsigned o) { return o == IR_VEC_MOVL_S || o == IR_VEC_MOVL_U; }

/* Whether ops lo and hi do one thing to the halves of a 128-bit value: stores of 8 bytes
   to [x] and [x + 8], moves to both halves of a Q register, the same lane-wise vec_i64
   kind, the widening of a D register's low and high halves, or VEXT's bytes k .. k + 7 of
   x0:x1 and of x1:y. */
static bool same_kind(const struct ir_block *b, const struct ir_op *lo, const struct ir_op *hi)
{
    if (lo->opc != hi->opc)
        return false;
    if (lo->opc == IR_st_i64)       /* to 16 adjacent bytes */
        return ir_op_consts_c(lo)[0] == ir_op_consts_c(hi)[0] &&
               (ir_op_consts_c(lo)[0] & IR_MO_SIZE) == IR_MO_64 &&
               plus8(b, ir_op_ins_c(lo)[1], (uint32_t)(lo - b->ops), ir_op_ins_c(hi)[1],
                     (uint32_t)(hi - b->ops));
    if (lo->opc == IR_mov_i64)      /* to both halves of a Q register */
        return raise_is_d(lo->args[0]) && (lo->args[0] - IR_G_D0) % 2 == 0 &&
               hi->args[0] == lo->args[0] + 1;
    uint64_t kl = ir_op_consts_c(lo)[0], kh = ir_op_consts_c(hi)[0];
    if (kl & IR_VEC_SAT)
        return false;
    if (is_movl(ir_vec_op(kl)))
        return ir_vec_imm(kl) == 0 && kh == (kl | 1u << 16) &&
               ir_op_ins_c(lo)[0] == ir_op_ins_c(hi)[0];
    if (ir_vec_op(kl) == IR_VEC_EXT)    /* bytes k.. of x0:x1, then of x1:y */
        return kl == kh && ir_op_ins_c(hi)[0] == ir_op_ins_c(lo)[1];
    return kl == kh && lanewise(ir_vec_op(kl));
}

/* Whether temps x and y are the halves of a 128-bit value already: both halves of a Q
   register, the outputs of an earlier pair, or two loads of adjacent 8 bytes. Any two
   temps make one (raise_vec.c puts them together), but pairing ops on unrelated ones made
   neon_blur 35% slower (docs/benchmarks.md). */
static bool halves(const struct ir_block *b, const struct vpair *pair, uint32_t before,
                   uint64_t x, uint64_t y)
{
    if (raise_is_d(x) && (x - IR_G_D0) % 2 == 0 && y == x + 1)
        return true;
    for (uint32_t p = 0; p < before; p++)
        if (pair[p].mate > (int32_t)p && b->ops[p].args[0] == x &&
            b->ops[pair[p].mate].args[0] == y)
            return true;
    /* two 8-byte loads, y's 8 bytes after x's (a VLD1 of a Q register) */
    int32_t dx = def_of(b, x, before), dy = def_of(b, y, b->n_ops);
    if (dx < 0 || dy < 0 || b->ops[dx].opc != IR_ld_i64 || b->ops[dy].opc != IR_ld_i64)
        return false;
    return plus8(b, ir_op_ins_c(&b->ops[dx])[0], (uint32_t)dx, ir_op_ins_c(&b->ops[dy])[0],
                 (uint32_t)dy);
}

/* Whether temps x and y make a 128-bit value without cost: one temp twice, or two
   constants. */
static bool same(const struct ir_block *b, uint64_t x, uint64_t y)
{
    return x == y || (x >= IR_NUM_GLOBALS && y >= IR_NUM_GLOBALS && ir_is_const(b, (ir_temp)x) &&
                      ir_is_const(b, (ir_temp)y));
}

/* Whether op mv, moved from its position to op at's, computes what it would at its own and
   leaves every other op as it was: no op strictly between them writes mv's inputs or
   touches mv's output (nor does `at` itself, moving up), and no label, branch, call or
   block end lies between them (nor a memory access, for a store). */
static bool can_move(const struct ir_block *b, uint32_t mv, uint32_t at)
{
    const struct ir_op *m = &b->ops[mv];
    uint32_t from = mv < at ? mv + 1 : at, to = mv < at ? at : mv;
    unsigned stop = IR_F_BB_END | IR_F_BLOCK_END | IR_F_CALL | (m->nout ? 0 : IR_F_MEM);
    for (uint32_t k = from; k < to; k++) {
        const struct ir_op *op = &b->ops[k];
        if (k != at && (ir_op_info[op->opc].flags & stop))
            return false;
        for (unsigned a = 0; a < (unsigned)op->nout + op->nin && a < IR_MAX_ARGS; a++) {
            if (m->nout && op->args[a] == m->args[0])
                return false;
            if (a < op->nout)
                for (unsigned i = 0; i < m->nin; i++)
                    if (op->args[a] == ir_op_ins_c(m)[i])
                        return false;
        }
    }
    return true;
}

/* How far after an op its pair's other op may lie. */
#define PAIR_WINDOW 48

void raise_vec_pairs(const struct ir_block *b, struct vpair *pair, bool *qslot)
{
    for (uint32_t k = 0; k < b->n_ops; k++)
        pair[k] = (struct vpair){ -1, false };
    for (uint32_t i = 0; i < b->n_ops; i++) {
        const struct ir_op *lo = &b->ops[i];
        if ((lo->opc != IR_vec_i64 && lo->opc != IR_mov_i64 && lo->opc != IR_st_i64) ||
            pair[i].mate >= 0)
            continue;
        for (uint32_t j = i + 1; j < b->n_ops && j <= i + PAIR_WINDOW; j++) {
            const struct ir_op *hi = &b->ops[j];
            if (ir_op_info[hi->opc].flags & (IR_F_BB_END | IR_F_BLOCK_END | IR_F_CALL))
                break;
            if (pair[j].mate >= 0 || !same_kind(b, lo, hi))
                continue;
            const uint64_t *a = ir_op_ins_c(lo), *c = ir_op_ins_c(hi);
            bool ok = !hi->nout || hi->args[0] != lo->args[0];
            bool ext = lo->opc == IR_vec_i64 && ir_vec_op(ir_op_consts_c(lo)[0]) == IR_VEC_EXT;
            uint64_t x[3] = { a[0], a[1], a[2] }, y[3] = { c[0], c[1], c[2] };
            if (ext)        /* the 128-bit input is x0:x1 (raise_pair) */
                y[0] = a[1], x[1] = y[1] = a[0];
            for (unsigned s = 0; s < lo->nin; s++) {
                bool addr = lo->opc == IR_st_i64 && s == 1;     /* same_kind checked it */
                ok = ok && (addr || same(b, x[s], y[s]) || halves(b, pair, i, x[s], y[s])) &&
                     (!lo->nout || c[s] != lo->args[0]);
            }
            if (!ok)
                continue;
            bool late = !can_move(b, j, i);     /* both at lo, else both at hi */
            if (late && !can_move(b, i, j))
                continue;
            pair[i] = (struct vpair){ (int32_t)j, late };
            pair[j] = (struct vpair){ (int32_t)i, late };
            for (unsigned s = 0; s < lo->nin && qslot; s++)
                if (raise_is_d(x[s]) && y[s] == x[s] + 1)
                    qslot[(x[s] - IR_G_D0) / 2] = true;
            if (lo->opc == IR_mov_i64 && qslot)
                qslot[(lo->args[0] - IR_G_D0) / 2] = true;
            break;
        }
    }
}

