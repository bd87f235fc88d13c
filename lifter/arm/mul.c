/*
 * Multiplies and divides (ARM ARM A8.8: MUL, MLA, MLS, the long multiplies, the signed
 * halfword and dual multiplies, the most-significant-word multiplies, SDIV and UDIV).
 *
 * A32 and T32 share capstone's ids and operand shapes, so one handler serves both. With S,
 * only N and Z change: C and V are unchanged by ARMv7 multiplies. The Q flag (sticky) is
 * set where the ARM ARM says "if result != SInt(result<31:0>) then APSR.Q = '1'".
 */
#include "arm_internal.h"

/*
 * Fetches the register numbers of exactly n plain register operands into r[]. Anything
 * else (an immediate, a shifted register, a destination pc) is a shape this file does not
 * handle: the caller then returns arm_unimplemented. ndest: how many leading operands are
 * written (pc as a destination is UNPREDICTABLE for every insn here).
 */
static bool get_regs(struct arm_ctx *c, unsigned n, unsigned ndest, int *r)
{
    if (arm_nops(c) != n)
        return false;
    for (unsigned i = 0; i < n; i++) {
        const cs_arm_op *op = arm_op(c, i);
        if (op->type != ARM_OP_REG || op->shift.type != ARM_SFT_INVALID)
            return false;
        r[i] = xl_reg_num(op->reg);
        if (r[i] < 0 || (i < ndest && r[i] == 15))
            return false;
    }
    return true;
}

#define REG(i) arm_read_reg(c, r[i])

/* Sign-extended bottom (top = false) or top halfword of v. */
static ir_temp half(struct arm_ctx *c, ir_temp v, bool top)
{
    ir_temp t = ir_new_i32(c->b);
    if (top)
        ir_gen_sar_i32(c->b, t, v, ir_const_i32(c->b, 16));
    else
        ir_gen_ext16s_i32(c->b, t, v);
    return t;
}

/* SInt(a<x>) * SInt(b<y>): a 16 x 16 signed product always fits in 32 bits. */
static ir_temp mul16(struct arm_ctx *c, ir_temp a, bool x, ir_temp b_, bool y)
{
    ir_temp t = ir_new_i32(c->b);
    ir_gen_mul_i32(c->b, t, half(c, a, x), half(c, b_, y));
    return t;
}

/*
 * Sum of n signed 32-bit terms (term i negated when bit i of neg is set) computed with 64
 * bits; returns its low word and sets Q when the exact sum does not fit in 32 bits.
 */
static ir_temp sum_q(struct arm_ctx *c, unsigned n, const ir_temp *terms, unsigned neg)
{
    struct ir_block *b = c->b;
    ir_temp acc = ir_new_i64(b), t64 = ir_new_i64(b);
    ir_gen_ext_i32_i64(b, acc, terms[0]);
    for (unsigned i = 1; i < n; i++) {
        ir_gen_ext_i32_i64(b, t64, terms[i]);
        if (neg >> i & 1)
            ir_gen_sub_i64(b, acc, acc, t64);
        else
            ir_gen_add_i64(b, acc, acc, t64);
    }
    ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b), sign = ir_new_i32(b), q = ir_new_i32(b);
    ir_gen_extrl_i64_i32(b, lo, acc);
    ir_gen_extrh_i64_i32(b, hi, acc);
    ir_gen_sar_i32(b, sign, lo, ir_const_i32(b, 31));
    ir_gen_setcond_i32(b, IR_NE, q, hi, sign);
    ir_gen_or_i32(b, ir_global(IR_G_QF), ir_global(IR_G_QF), q);
    return lo;
}

/* N and Z from a 64-bit result hi:lo. */
static void set_nz64(struct arm_ctx *c, ir_temp lo, ir_temp hi)
{
    ir_gen_mov_i32(c->b, ir_global(IR_G_NF), hi);
    ir_gen_or_i32(c->b, ir_global(IR_G_ZF), lo, hi);
}

/* ---- 32-bit multiplies ---- */

/* MUL{S} Rd, Rn, Rm */
static enum arm_result trans_MUL(struct arm_ctx *c)
{
    int r[3];
    if (!get_regs(c, 3, 1, r))
        return arm_unimplemented(c);
    ir_temp t = ir_new_i32(c->b);
    ir_gen_mul_i32(c->b, t, REG(1), REG(2));
    arm_write_reg(c, r[0], t);
    if (arm_sets_flags(c))
        arm_set_nz(c, t);
    return ARM_NEXT;
}

/* MLA{S} Rd, Rn, Rm, Ra: Ra + Rn * Rm. MLS Rd, Rn, Rm, Ra: Ra - Rn * Rm. */
static enum arm_result mla(struct arm_ctx *c, bool sub)
{
    int r[4];
    if (!get_regs(c, 4, 1, r))
        return arm_unimplemented(c);
    ir_temp t = ir_new_i32(c->b);
    ir_gen_mul_i32(c->b, t, REG(1), REG(2));
    if (sub)
        ir_gen_sub_i32(c->b, t, REG(3), t);
    else
        ir_gen_add_i32(c->b, t, t, REG(3));
    arm_write_reg(c, r[0], t);
    if (arm_sets_flags(c))
        arm_set_nz(c, t);
    return ARM_NEXT;
}

static enum arm_result trans_MLA(struct arm_ctx *c) { return mla(c, false); }
static enum arm_result trans_MLS(struct arm_ctx *c) { return mla(c, true); }

/* ---- 64-bit multiplies: RdLo, RdHi, Rn, Rm ---- */

enum long_kind { LONG_MUL, LONG_MLA, LONG_MAAL };

static enum arm_result long_mul(struct arm_ctx *c, bool sign, enum long_kind k)
{
    int r[4];
    if (!get_regs(c, 4, 2, r))
        return arm_unimplemented(c);
    struct ir_block *b = c->b;
    ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b), zero = ir_const_i32(b, 0);
    if (sign)
        ir_gen_muls2_i32(b, lo, hi, REG(2), REG(3));
    else
        ir_gen_mulu2_i32(b, lo, hi, REG(2), REG(3));
    if (k == LONG_MLA) {
        ir_gen_add2_i32(b, lo, hi, lo, hi, REG(0), REG(1));
    } else if (k == LONG_MAAL) {    /* Rn * Rm + RdLo + RdHi, all unsigned: never wraps */
        ir_gen_add2_i32(b, lo, hi, lo, hi, REG(0), zero);
        ir_gen_add2_i32(b, lo, hi, lo, hi, REG(1), zero);
    }
    arm_write_reg(c, r[0], lo);
    arm_write_reg(c, r[1], hi);     /* RdLo == RdHi is UNPREDICTABLE: hi wins */
    if (arm_sets_flags(c))
        set_nz64(c, lo, hi);
    return ARM_NEXT;
}

static enum arm_result trans_UMULL(struct arm_ctx *c) { return long_mul(c, false, LONG_MUL); }
static enum arm_result trans_SMULL(struct arm_ctx *c) { return long_mul(c, true, LONG_MUL); }
static enum arm_result trans_UMLAL(struct arm_ctx *c) { return long_mul(c, false, LONG_MLA); }
static enum arm_result trans_SMLAL(struct arm_ctx *c) { return long_mul(c, true, LONG_MLA); }
static enum arm_result trans_UMAAL(struct arm_ctx *c) { return long_mul(c, false, LONG_MAAL); }

/* ---- Signed halfword multiplies ---- */

/* SMUL<x><y> Rd, Rn, Rm */
static enum arm_result smulxy(struct arm_ctx *c, bool x, bool y)
{
    int r[3];
    if (!get_regs(c, 3, 1, r))
        return arm_unimplemented(c);
    arm_write_reg(c, r[0], mul16(c, REG(1), x, REG(2), y));
    return ARM_NEXT;
}

/* SMLA<x><y> Rd, Rn, Rm, Ra: Q on overflow of the addition. */
static enum arm_result smlaxy(struct arm_ctx *c, bool x, bool y)
{
    int r[4];
    if (!get_regs(c, 4, 1, r))
        return arm_unimplemented(c);
    ir_temp terms[2] = { mul16(c, REG(1), x, REG(2), y), REG(3) };
    ir_temp res = sum_q(c, 2, terms, 0);
    arm_write_reg(c, r[0], res);
    return ARM_NEXT;
}

/* SMLAL<x><y> RdLo, RdHi, Rn, Rm: 64-bit accumulate of a 16 x 16 product. */
static enum arm_result smlalxy(struct arm_ctx *c, bool x, bool y)
{
    int r[4];
    if (!get_regs(c, 4, 2, r))
        return arm_unimplemented(c);
    struct ir_block *b = c->b;
    ir_temp p = mul16(c, REG(2), x, REG(3), y), ph = ir_new_i32(b);
    ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b);
    ir_gen_sar_i32(b, ph, p, ir_const_i32(b, 31));
    ir_gen_add2_i32(b, lo, hi, REG(0), REG(1), p, ph);
    arm_write_reg(c, r[0], lo);
    arm_write_reg(c, r[1], hi);
    return ARM_NEXT;
}

/* (Rn * SInt(Rm<y>))<47:16>: the 48-bit product's top 32 bits. */
static ir_temp mulw(struct arm_ctx *c, ir_temp n, ir_temp m, bool y)
{
    struct ir_block *b = c->b;
    ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b), t = ir_new_i32(b);
    ir_gen_muls2_i32(b, lo, hi, n, half(c, m, y));
    ir_gen_shr_i32(b, t, lo, ir_const_i32(b, 16));
    ir_gen_deposit_i32(b, t, t, hi, 16, 16);
    return t;
}

/* SMULW<y> Rd, Rn, Rm */
static enum arm_result smulwy(struct arm_ctx *c, bool y)
{
    int r[3];
    if (!get_regs(c, 3, 1, r))
        return arm_unimplemented(c);
    arm_write_reg(c, r[0], mulw(c, REG(1), REG(2), y));
    return ARM_NEXT;
}

/* SMLAW<y> Rd, Rn, Rm, Ra: Q on overflow of the addition. */
static enum arm_result smlawy(struct arm_ctx *c, bool y)
{
    int r[4];
    if (!get_regs(c, 4, 1, r))
        return arm_unimplemented(c);
    ir_temp terms[2] = { mulw(c, REG(1), REG(2), y), REG(3) };
    arm_write_reg(c, r[0], sum_q(c, 2, terms, 0));
    return ARM_NEXT;
}

#define XY(name, fn)                                                            \
    static enum arm_result trans_##name##BB(struct arm_ctx *c) { return fn(c, false, false); } \
    static enum arm_result trans_##name##BT(struct arm_ctx *c) { return fn(c, false, true); }  \
    static enum arm_result trans_##name##TB(struct arm_ctx *c) { return fn(c, true, false); }  \
    static enum arm_result trans_##name##TT(struct arm_ctx *c) { return fn(c, true, true); }
XY(SMUL, smulxy)
XY(SMLA, smlaxy)
XY(SMLAL, smlalxy)
#undef XY
static enum arm_result trans_SMULWB(struct arm_ctx *c) { return smulwy(c, false); }
static enum arm_result trans_SMULWT(struct arm_ctx *c) { return smulwy(c, true); }
static enum arm_result trans_SMLAWB(struct arm_ctx *c) { return smlawy(c, false); }
static enum arm_result trans_SMLAWT(struct arm_ctx *c) { return smlawy(c, true); }

/* ---- Dual 16-bit multiplies ---- */

/* product1 = Rn<15:0> * Rm'<15:0>, product2 = Rn<31:16> * Rm'<31:16>; Rm' = Rm with its
   halves swapped for the X forms. */
static void dual_products(struct arm_ctx *c, ir_temp n, ir_temp m, bool x, ir_temp *p)
{
    p[0] = mul16(c, n, false, m, x);
    p[1] = mul16(c, n, true, m, !x);
}

/* SMUAD{X}, SMUSD{X} Rd, Rn, Rm; SMLAD{X}, SMLSD{X} Rd, Rn, Rm, Ra. */
static enum arm_result smlad(struct arm_ctx *c, bool acc, bool sub, bool x)
{
    int r[4];
    unsigned n = acc ? 4 : 3;
    if (!get_regs(c, n, 1, r))
        return arm_unimplemented(c);
    ir_temp t[3];
    dual_products(c, REG(1), REG(2), x, t);
    ir_temp res;
    if (!acc && sub) {          /* SMUSD cannot overflow and never sets Q */
        res = ir_new_i32(c->b);
        ir_gen_sub_i32(c->b, res, t[0], t[1]);
    } else {
        if (acc)
            t[2] = REG(3);
        res = sum_q(c, acc ? 3 : 2, t, sub ? 2 : 0);
    }
    arm_write_reg(c, r[0], res);
    return ARM_NEXT;
}

/* SMLALD{X}, SMLSLD{X} RdLo, RdHi, Rn, Rm: 64-bit accumulate, wraps, no Q. */
static enum arm_result smlald(struct arm_ctx *c, bool sub, bool x)
{
    int r[4];
    if (!get_regs(c, 4, 2, r))
        return arm_unimplemented(c);
    struct ir_block *b = c->b;
    ir_temp p[2], acc = ir_new_i64(b), t64 = ir_new_i64(b);
    dual_products(c, REG(2), REG(3), x, p);
    ir_gen_concat_i32_i64(b, acc, REG(0), REG(1));
    ir_gen_ext_i32_i64(b, t64, p[0]);
    ir_gen_add_i64(b, acc, acc, t64);
    ir_gen_ext_i32_i64(b, t64, p[1]);
    if (sub)
        ir_gen_sub_i64(b, acc, acc, t64);
    else
        ir_gen_add_i64(b, acc, acc, t64);
    ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b);
    ir_gen_extrl_i64_i32(b, lo, acc);
    ir_gen_extrh_i64_i32(b, hi, acc);
    arm_write_reg(c, r[0], lo);
    arm_write_reg(c, r[1], hi);
    return ARM_NEXT;
}

static enum arm_result trans_SMUAD(struct arm_ctx *c) { return smlad(c, false, false, false); }
static enum arm_result trans_SMUADX(struct arm_ctx *c) { return smlad(c, false, false, true); }
static enum arm_result trans_SMUSD(struct arm_ctx *c) { return smlad(c, false, true, false); }
static enum arm_result trans_SMUSDX(struct arm_ctx *c) { return smlad(c, false, true, true); }
static enum arm_result trans_SMLAD(struct arm_ctx *c) { return smlad(c, true, false, false); }
static enum arm_result trans_SMLADX(struct arm_ctx *c) { return smlad(c, true, false, true); }
static enum arm_result trans_SMLSD(struct arm_ctx *c) { return smlad(c, true, true, false); }
static enum arm_result trans_SMLSDX(struct arm_ctx *c) { return smlad(c, true, true, true); }
static enum arm_result trans_SMLALD(struct arm_ctx *c) { return smlald(c, false, false); }
static enum arm_result trans_SMLALDX(struct arm_ctx *c) { return smlald(c, false, true); }
static enum arm_result trans_SMLSLD(struct arm_ctx *c) { return smlald(c, true, false); }
static enum arm_result trans_SMLSLDX(struct arm_ctx *c) { return smlald(c, true, true); }

/* ---- Most-significant-word multiplies ---- */

/*
 * SMMUL{R} Rd, Rn, Rm: (Rn * Rm)<63:32>; SMMLA{R} Rd, Rn, Rm, Ra: ((Ra << 32) + Rn * Rm)
 * <63:32>; SMMLS{R}: ((Ra << 32) - Rn * Rm)<63:32>. R rounds: adds 0x80000000 first.
 */
enum smm_kind { SMM_MUL, SMM_MLA, SMM_MLS };

static enum arm_result smm(struct arm_ctx *c, enum smm_kind k, bool round)
{
    int r[4];
    if (!get_regs(c, k == SMM_MUL ? 3 : 4, 1, r))
        return arm_unimplemented(c);
    struct ir_block *b = c->b;
    ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b), zero = ir_const_i32(b, 0);
    ir_gen_muls2_i32(b, lo, hi, REG(1), REG(2));
    if (k == SMM_MLA)
        ir_gen_add2_i32(b, lo, hi, lo, hi, zero, REG(3));
    else if (k == SMM_MLS)
        ir_gen_sub2_i32(b, lo, hi, zero, REG(3), lo, hi);
    if (round)
        ir_gen_add2_i32(b, lo, hi, lo, hi, ir_const_i32(b, 0x80000000u), zero);
    arm_write_reg(c, r[0], hi);
    return ARM_NEXT;
}

static enum arm_result trans_SMMUL(struct arm_ctx *c) { return smm(c, SMM_MUL, false); }
static enum arm_result trans_SMMULR(struct arm_ctx *c) { return smm(c, SMM_MUL, true); }
static enum arm_result trans_SMMLA(struct arm_ctx *c) { return smm(c, SMM_MLA, false); }
static enum arm_result trans_SMMLAR(struct arm_ctx *c) { return smm(c, SMM_MLA, true); }
static enum arm_result trans_SMMLS(struct arm_ctx *c) { return smm(c, SMM_MLS, false); }
static enum arm_result trans_SMMLSR(struct arm_ctx *c) { return smm(c, SMM_MLS, true); }

/* ---- Divides: x / 0 = 0 and INT_MIN / -1 = INT_MIN live in the builder's helpers ---- */

static enum arm_result div32(struct arm_ctx *c, bool sign)
{
    int r[3];
    if (!get_regs(c, 3, 1, r))
        return arm_unimplemented(c);
    ir_temp t = ir_new_i32(c->b);
    if (sign)
        ir_gen_divs_i32(c->b, t, REG(1), REG(2));
    else
        ir_gen_divu_i32(c->b, t, REG(1), REG(2));
    arm_write_reg(c, r[0], t);
    return ARM_NEXT;
}

static enum arm_result trans_SDIV(struct arm_ctx *c) { return div32(c, true); }
static enum arm_result trans_UDIV(struct arm_ctx *c) { return div32(c, false); }

#undef REG

const struct arm_handler_entry arm_mul_handlers[] = {
#define E(name) { ARM_INS_##name, trans_##name },
    E(MUL) E(MLA) E(MLS)
    E(UMULL) E(SMULL) E(UMLAL) E(SMLAL) E(UMAAL)
    E(SMULBB) E(SMULBT) E(SMULTB) E(SMULTT)
    E(SMLABB) E(SMLABT) E(SMLATB) E(SMLATT)
    E(SMLALBB) E(SMLALBT) E(SMLALTB) E(SMLALTT)
    E(SMULWB) E(SMULWT) E(SMLAWB) E(SMLAWT)
    E(SMUAD) E(SMUADX) E(SMUSD) E(SMUSDX)
    E(SMLAD) E(SMLADX) E(SMLSD) E(SMLSDX)
    E(SMLALD) E(SMLALDX) E(SMLSLD) E(SMLSLDX)
    E(SMMUL) E(SMMULR) E(SMMLA) E(SMMLAR) E(SMMLS) E(SMMLSR)
    E(SDIV) E(UDIV)
#undef E
    { 0, NULL },
};
