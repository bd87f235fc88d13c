/*
 * Bit manipulation, extension, saturation and the parallel (SIMD-in-a-register) family
 * (ARM ARM A8.8): UBFX SBFX BFI BFC CLZ RBIT REV REV16 REVSH, {U,S}XT{B,H,B16} and their
 * accumulating forms, SSAT USAT SSAT16 USAT16, QADD QSUB QDADD QDSUB, the parallel
 * add/sub family with its GE bits, SEL, USAD8 USADA8, PKHBT PKHTB, and MRS/MSR on the APSR.
 *
 * The simple ones are plain µIR; the lane-by-lane parallel ones are pure C helpers
 * (lifter/helpers/parallel.c), except UADD8 and SEL, which glibc's string functions run
 * in their inner loops and which are short in µIR. APSR.Q (QF) is sticky: it is only
 * ever ORed into.
 */
#include "arm_internal.h"

/* Register number of operand i when it is a core register (shift allowed only when
   shift_ok), else -1. */
static int reg_at(struct arm_ctx *c, unsigned i, bool shift_ok)
{
    if (i >= arm_nops(c))
        return -1;
    const cs_arm_op *op = arm_op(c, i);
    if (op->type != ARM_OP_REG || (!shift_ok && op->shift.type != ARM_SFT_INVALID))
        return -1;
    return xl_reg_num(op->reg);
}

/* Immediate operand i, or -1. */
static int64_t imm_at(struct arm_ctx *c, unsigned i)
{
    if (i >= arm_nops(c))
        return -1;
    const cs_arm_op *op = arm_op(c, i);
    if (op->type != ARM_OP_IMM)
        return -1;
    return op->imm;
}

/* n plain register operands, the first one written (not the pc). */
static bool get_regs(struct arm_ctx *c, unsigned n, int *r)
{
    if (arm_nops(c) != n)
        return false;
    for (unsigned i = 0; i < n; i++)
        if ((r[i] = reg_at(c, i, false)) < 0)
            return false;
    return r[0] != 15;
}

#define REG(i) arm_read_reg(c, r[i])
#define CONST(v) ir_const_i32(b, (v))

/* QF |= bit (an i32 0/1 temp). */
static void or_q(struct arm_ctx *c, ir_temp bit)
{
    ir_gen_or_i32(c->b, ir_global(IR_G_QF), ir_global(IR_G_QF), bit);
}

/* ---- Bitfields ---- */

/* UBFX/SBFX Rd, Rn, #lsb, #width */
static enum arm_result bfx(struct arm_ctx *c, bool sign)
{
    struct ir_block *b = c->b;
    int r[2] = { reg_at(c, 0, false), reg_at(c, 1, false) };
    int64_t lsb = imm_at(c, 2), width = imm_at(c, 3);
    if (arm_nops(c) != 4 || r[0] < 0 || r[0] == 15 || r[1] < 0 || lsb < 0 || width < 1 ||
        lsb + width > 32)
        return arm_unimplemented(c);
    ir_temp t = ir_new_i32(b);
    if (width == 32)
        ir_gen_mov_i32(b, t, REG(1));
    else if (sign)
        ir_gen_sextract_i32(b, t, REG(1), (unsigned)lsb, (unsigned)width);
    else
        ir_gen_extract_i32(b, t, REG(1), (unsigned)lsb, (unsigned)width);
    arm_write_reg(c, r[0], t);
    return ARM_NEXT;
}

static enum arm_result trans_UBFX(struct arm_ctx *c) { return bfx(c, false); }
static enum arm_result trans_SBFX(struct arm_ctx *c) { return bfx(c, true); }

/* BFI Rd, Rn, #lsb, #width; BFC Rd, #lsb, #width (inserts zeros). */
static enum arm_result bfi(struct arm_ctx *c, bool clear)
{
    struct ir_block *b = c->b;
    unsigned n = clear ? 3 : 4;
    int r[2] = { reg_at(c, 0, false), clear ? 0 : reg_at(c, 1, false) };
    int64_t lsb = imm_at(c, n - 2), width = imm_at(c, n - 1);
    if (arm_nops(c) != n || r[0] < 0 || r[0] == 15 || r[1] < 0 || lsb < 0 || width < 1 ||
        lsb + width > 32)
        return arm_unimplemented(c);
    ir_temp v = clear ? CONST(0) : REG(1), t = ir_new_i32(b);
    if (width == 32)
        ir_gen_mov_i32(b, t, v);
    else
        ir_gen_deposit_i32(b, t, REG(0), v, (unsigned)lsb, (unsigned)width);
    arm_write_reg(c, r[0], t);
    return ARM_NEXT;
}

static enum arm_result trans_BFI(struct arm_ctx *c) { return bfi(c, false); }
static enum arm_result trans_BFC(struct arm_ctx *c) { return bfi(c, true); }

/* ---- Counting and reversing: Rd, Rm ---- */

enum rev_kind { K_CLZ, K_RBIT, K_REV, K_REV16, K_REVSH };

/* x = ((x >> s) & m) | ((x & m) << s) */
static void swap_bits(struct ir_block *b, ir_temp x, unsigned s, uint32_t m)
{
    ir_temp t = ir_new_i32(b), u = ir_new_i32(b);
    ir_gen_shr_i32(b, t, x, CONST(s));
    ir_gen_and_i32(b, t, t, CONST(m));
    ir_gen_and_i32(b, u, x, CONST(m));
    ir_gen_shl_i32(b, u, u, CONST(s));
    ir_gen_or_i32(b, x, t, u);
}

static enum arm_result rev(struct arm_ctx *c, enum rev_kind k)
{
    struct ir_block *b = c->b;
    int r[2];
    if (!get_regs(c, 2, r))
        return arm_unimplemented(c);
    ir_temp t = ir_new_i32(b);
    switch (k) {
    case K_CLZ:
        ir_gen_clz_i32(b, t, REG(1));
        break;
    case K_RBIT:    /* swap adjacent bits, pairs, nibbles; then the bytes */
        ir_gen_mov_i32(b, t, REG(1));
        swap_bits(b, t, 1, 0x55555555u);
        swap_bits(b, t, 2, 0x33333333u);
        swap_bits(b, t, 4, 0x0f0f0f0fu);
        ir_gen_bswap_i32(b, t, t);
        break;
    case K_REV:
        ir_gen_bswap_i32(b, t, REG(1));
        break;
    case K_REV16:
        ir_gen_mov_i32(b, t, REG(1));
        swap_bits(b, t, 8, 0x00ff00ffu);
        break;
    case K_REVSH:   /* bswap puts the swapped low halfword on top */
        ir_gen_bswap_i32(b, t, REG(1));
        ir_gen_sar_i32(b, t, t, CONST(16));
        break;
    }
    arm_write_reg(c, r[0], t);
    return ARM_NEXT;
}

static enum arm_result trans_CLZ(struct arm_ctx *c) { return rev(c, K_CLZ); }
static enum arm_result trans_RBIT(struct arm_ctx *c) { return rev(c, K_RBIT); }
static enum arm_result trans_REV(struct arm_ctx *c) { return rev(c, K_REV); }
static enum arm_result trans_REV16(struct arm_ctx *c) { return rev(c, K_REV16); }
static enum arm_result trans_REVSH(struct arm_ctx *c) { return rev(c, K_REVSH); }

/* ---- Extension: {U,S}XT{B,H,B16} Rd, Rm{, ROR #n}; {U,S}XTA* Rd, Rn, Rm{, ROR #n} ---- */

enum ext_size { X_B, X_H, X_B16 };

static enum arm_result extend(struct arm_ctx *c, enum ext_size size, bool sign, bool acc)
{
    struct ir_block *b = c->b;
    unsigned n = acc ? 3 : 2;
    int r[3] = { reg_at(c, 0, false), acc ? reg_at(c, 1, false) : 0, reg_at(c, n - 1, true) };
    if (arm_nops(c) != n || r[0] < 0 || r[0] == 15 || r[1] < 0 || r[2] < 0)
        return arm_unimplemented(c);
    const cs_arm_op *m = arm_op(c, n - 1);
    ir_temp v = REG(2);
    if (m->shift.type == ARM_SFT_ROR && (m->shift.value == 8 || m->shift.value == 16 ||
                                          m->shift.value == 24)) {
        ir_temp t = ir_new_i32(b);
        ir_gen_rotr_i32(b, t, v, CONST(m->shift.value));
        v = t;
    } else if (m->shift.type != ARM_SFT_INVALID && m->shift.value != 0) {
        return arm_unimplemented(c);
    }
    ir_temp e = ir_new_i32(b), res = ir_new_i32(b);
    switch (size) {
    case X_B:
        (sign ? ir_gen_ext8s_i32 : ir_gen_ext8u_i32)(b, e, v);
        break;
    case X_H:
        (sign ? ir_gen_ext16s_i32 : ir_gen_ext16u_i32)(b, e, v);
        break;
    case X_B16: {   /* two lanes: bytes 0 and 2, each extended to a halfword */
        ir_temp hi = ir_new_i32(b);
        if (sign) {
            ir_gen_ext8s_i32(b, e, v);
            ir_gen_sextract_i32(b, hi, v, 16, 8);
        } else {
            ir_gen_ext8u_i32(b, e, v);
            ir_gen_extract_i32(b, hi, v, 16, 8);
        }
        if (acc) {      /* each lane adds modulo 2^16 */
            ir_temp nhi = ir_new_i32(b);
            ir_gen_add_i32(b, e, e, REG(1));
            ir_gen_shr_i32(b, nhi, REG(1), CONST(16));
            ir_gen_add_i32(b, hi, hi, nhi);
        }
        ir_gen_deposit_i32(b, res, e, hi, 16, 16);
        arm_write_reg(c, r[0], res);
        return ARM_NEXT;
    }
    }
    if (acc)
        ir_gen_add_i32(b, res, e, REG(1));
    else
        res = e;
    arm_write_reg(c, r[0], res);
    return ARM_NEXT;
}

#define EXT(name, size, sign, acc) \
    static enum arm_result trans_##name(struct arm_ctx *c) { return extend(c, size, sign, acc); }
EXT(UXTB, X_B, false, false)      EXT(SXTB, X_B, true, false)
EXT(UXTH, X_H, false, false)      EXT(SXTH, X_H, true, false)
EXT(UXTB16, X_B16, false, false)  EXT(SXTB16, X_B16, true, false)
EXT(UXTAB, X_B, false, true)      EXT(SXTAB, X_B, true, true)
EXT(UXTAH, X_H, false, true)      EXT(SXTAH, X_H, true, true)
EXT(UXTAB16, X_B16, false, true)  EXT(SXTAB16, X_B16, true, true)
#undef EXT

/* ---- Saturation ---- */

/* v clamped to [lo, hi] (signed compares); QF |= (clamped != v). */
static ir_temp clamp(struct arm_ctx *c, ir_temp v, int32_t lo, int32_t hi)
{
    struct ir_block *b = c->b;
    ir_temp t = ir_new_i32(b), q = ir_new_i32(b);
    ir_temp vlo = CONST((uint32_t)lo), vhi = CONST((uint32_t)hi);
    ir_gen_movcond_i32(b, IR_GT, t, v, vhi, vhi, v);
    ir_gen_movcond_i32(b, IR_LT, t, t, vlo, vlo, t);
    ir_gen_setcond_i32(b, IR_NE, q, t, v);
    or_q(c, q);
    return t;
}

/* SignedSatQ(v, bits) for bits 1..32, UnsignedSatQ(v, bits) for bits 0..31. */
static ir_temp sat(struct arm_ctx *c, ir_temp v, unsigned bits, bool sign)
{
    if (sign)
        return bits >= 32 ? v : clamp(c, v, -(int32_t)(1u << (bits - 1)),
                                      (int32_t)((1u << (bits - 1)) - 1));
    return clamp(c, v, 0, (int32_t)((1u << bits) - 1));
}

/* SSAT/USAT Rd, #sat, Rn{, LSL #n | ASR #n}; SSAT16/USAT16 Rd, #sat, Rn. */
static enum arm_result ssat(struct arm_ctx *c, bool sign, bool dual)
{
    struct ir_block *b = c->b;
    int r[3] = { reg_at(c, 0, false), 0, reg_at(c, 2, !dual) };
    int64_t bits = imm_at(c, 1);
    int64_t maxbits = (sign ? 32 : 31) >> (dual ? 1 : 0);
    if (arm_nops(c) != 3 || r[0] < 0 || r[0] == 15 || r[2] < 0 || bits < (sign ? 1 : 0) ||
        bits > maxbits)
        return arm_unimplemented(c);
    ir_temp v = REG(2);
    if (!dual) {
        const cs_arm_op *op = arm_op(c, 2);
        if (op->shift.type == ARM_SFT_LSL && op->shift.value < 32)
            v = arm_gen_shift(c, v, ARM_SFT_LSL, op->shift.value, NULL);
        else if (op->shift.type == ARM_SFT_ASR && op->shift.value >= 1 && op->shift.value <= 32)
            v = arm_gen_shift(c, v, ARM_SFT_ASR, op->shift.value, NULL);
        else if (op->shift.type != ARM_SFT_INVALID)
            return arm_unimplemented(c);
        arm_write_reg(c, r[0], sat(c, v, (unsigned)bits, sign));
        return ARM_NEXT;
    }
    ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b), res = ir_new_i32(b);
    ir_gen_ext16s_i32(b, lo, v);
    ir_gen_sar_i32(b, hi, v, CONST(16));
    lo = sat(c, lo, (unsigned)bits, sign);
    hi = sat(c, hi, (unsigned)bits, sign);
    ir_gen_deposit_i32(b, res, lo, hi, 16, 16);
    arm_write_reg(c, r[0], res);
    return ARM_NEXT;
}

static enum arm_result trans_SSAT(struct arm_ctx *c) { return ssat(c, true, false); }
static enum arm_result trans_USAT(struct arm_ctx *c) { return ssat(c, false, false); }
static enum arm_result trans_SSAT16(struct arm_ctx *c) { return ssat(c, true, true); }
static enum arm_result trans_USAT16(struct arm_ctx *c) { return ssat(c, false, true); }

/* SignedSatQ(a + b) or SignedSatQ(a - b), 32 bits. */
static ir_temp qaddsub(struct arm_ctx *c, ir_temp a, ir_temp b_, bool sub)
{
    struct ir_block *b = c->b;
    ir_temp r = ir_new_i32(b), t = ir_new_i32(b), ovf = ir_new_i32(b), s = ir_new_i32(b);
    ir_temp res = ir_new_i32(b), q = ir_new_i32(b);
    if (sub) {  /* overflow: a and b differ in sign and r differs from a */
        ir_gen_sub_i32(b, r, a, b_);
        ir_gen_xor_i32(b, t, a, b_);
        ir_gen_xor_i32(b, ovf, a, r);
        ir_gen_and_i32(b, ovf, ovf, t);
    } else {    /* overflow: a and b agree in sign and r differs from a */
        ir_gen_add_i32(b, r, a, b_);
        ir_gen_xor_i32(b, t, a, b_);
        ir_gen_xor_i32(b, ovf, r, a);
        ir_gen_andc_i32(b, ovf, ovf, t);
    }
    /* Saturate towards a's sign: a < 0 ? INT32_MIN : INT32_MAX. */
    ir_gen_sar_i32(b, s, a, CONST(31));
    ir_gen_xor_i32(b, s, s, CONST(0x7fffffffu));
    ir_gen_movcond_i32(b, IR_LT, res, ovf, CONST(0), s, r);
    ir_gen_shr_i32(b, q, ovf, CONST(31));
    or_q(c, q);
    return res;
}

/* QADD/QSUB Rd, Rm, Rn: Rm +/- Rn; QDADD/QDSUB: Rm +/- SignedSat(2 * Rn). */
static enum arm_result qadd(struct arm_ctx *c, bool sub, bool dbl)
{
    int r[3];
    if (!get_regs(c, 3, r))
        return arm_unimplemented(c);
    ir_temp n = REG(2);
    if (dbl)
        n = qaddsub(c, n, n, false);
    arm_write_reg(c, r[0], qaddsub(c, REG(1), n, sub));
    return ARM_NEXT;
}

static enum arm_result trans_QADD(struct arm_ctx *c) { return qadd(c, false, false); }
static enum arm_result trans_QSUB(struct arm_ctx *c) { return qadd(c, true, false); }
static enum arm_result trans_QDADD(struct arm_ctx *c) { return qadd(c, false, true); }
static enum arm_result trans_QDSUB(struct arm_ctx *c) { return qadd(c, true, true); }

/* ---- Parallel add/sub: Rd, Rn, Rm ---- */

/* A helper that returns the result, or (with ge) the result and GE bits 3:0 above it. */
static enum arm_result parallel(struct arm_ctx *c, unsigned helper, bool ge)
{
    struct ir_block *b = c->b;
    int r[3];
    if (!get_regs(c, 3, r))
        return arm_unimplemented(c);
    ir_temp ins[2] = { REG(1), REG(2) };
    if (!ge) {
        ir_temp res = ir_new_i32(b);
        ir_gen_call(b, helper, &res, ins);
        arm_write_reg(c, r[0], res);
        return ARM_NEXT;
    }
    ir_temp both = ir_new_i64(b), res = ir_new_i32(b);
    ir_gen_call(b, helper, &both, ins);
    ir_gen_extrl_i64_i32(b, res, both);
    ir_gen_extrh_i64_i32(b, ir_global(IR_G_GE), both);
    arm_write_reg(c, r[0], res);
    return ARM_NEXT;
}

#define PAR_GE(NAME, name) \
    static enum arm_result trans_##NAME(struct arm_ctx *c) \
    { return parallel(c, IR_HELPER_##name, true); }
#define PAR(NAME, name) \
    static enum arm_result trans_##NAME(struct arm_ctx *c) \
    { return parallel(c, IR_HELPER_##name, false); }
PAR_GE(SADD8, sadd8)    PAR_GE(SSUB8, ssub8)    PAR_GE(USUB8, usub8)
PAR_GE(SADD16, sadd16)  PAR_GE(UADD16, uadd16)  PAR_GE(SSUB16, ssub16)  PAR_GE(USUB16, usub16)
PAR_GE(SASX, sasx)      PAR_GE(SSAX, ssax)      PAR_GE(UASX, uasx)      PAR_GE(USAX, usax)
#define FAMILY(P, p) \
    PAR(P##ADD8, p##add8) PAR(P##SUB8, p##sub8) PAR(P##ADD16, p##add16) \
    PAR(P##SUB16, p##sub16) PAR(P##ASX, p##asx) PAR(P##SAX, p##sax)
FAMILY(Q, q)
FAMILY(UQ, uq)
FAMILY(SH, sh)
FAMILY(UH, uh)
#undef FAMILY
#undef PAR
#undef PAR_GE

/*
 * UADD8 Rd, Rn, Rm inline: bytewise sums without carries between bytes, and GE[i] = the
 * carry out of byte i. Byte sums: add the low 7 bits of each byte, then fix bit 7 by xor.
 */
static enum arm_result trans_UADD8(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    int r[3];
    if (!get_regs(c, 3, r))
        return arm_unimplemented(c);
    ir_temp x = REG(1), y = REG(2);
    ir_temp s = ir_new_i32(b), t = ir_new_i32(b), co = ir_new_i32(b);
    ir_gen_and_i32(b, s, x, CONST(0x7f7f7f7fu));
    ir_gen_and_i32(b, t, y, CONST(0x7f7f7f7fu));
    ir_gen_add_i32(b, s, s, t);
    ir_gen_xor_i32(b, t, x, y);
    ir_gen_and_i32(b, t, t, CONST(0x80808080u));
    ir_gen_xor_i32(b, s, s, t);
    /* carry out of bit 7 = (x & y) | ((x | y) & ~sum), at bits 7, 15, 23, 31 */
    ir_gen_or_i32(b, t, x, y);
    ir_gen_andc_i32(b, t, t, s);
    ir_gen_and_i32(b, co, x, y);
    ir_gen_or_i32(b, co, co, t);
    ir_gen_and_i32(b, co, co, CONST(0x80808080u));
    /* Gather bits 0, 8, 16, 24 into bits 24..27: the multiplier's partial products for
       other bit pairs land on distinct bits outside 24..27, so no carries interfere. */
    ir_gen_shr_i32(b, co, co, CONST(7));
    ir_gen_mul_i32(b, co, co, CONST(0x01020408u));
    ir_gen_shr_i32(b, ir_global(IR_G_GE), co, CONST(24));
    arm_write_reg(c, r[0], s);
    return ARM_NEXT;
}

/* SEL Rd, Rn, Rm: byte i from Rn when GE[i], else from Rm. */
static enum arm_result trans_SEL(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    int r[3];
    if (!get_regs(c, 3, r))
        return arm_unimplemented(c);
    ir_temp m = ir_new_i32(b), t = ir_new_i32(b), res = ir_new_i32(b);
    /* GE bit i → bit 8i (GE * 0x00204081, distinct partial products), then byte masks */
    ir_gen_mul_i32(b, m, ir_global(IR_G_GE), CONST(0x00204081u));
    ir_gen_and_i32(b, m, m, CONST(0x01010101u));
    ir_gen_mul_i32(b, m, m, CONST(0xffu));
    ir_gen_and_i32(b, t, REG(1), m);
    ir_gen_andc_i32(b, res, REG(2), m);
    ir_gen_or_i32(b, res, res, t);
    arm_write_reg(c, r[0], res);
    return ARM_NEXT;
}

/* USAD8 Rd, Rn, Rm; USADA8 Rd, Rn, Rm, Ra */
static enum arm_result usad8(struct arm_ctx *c, bool acc)
{
    struct ir_block *b = c->b;
    int r[4];
    if (!get_regs(c, acc ? 4 : 3, r))
        return arm_unimplemented(c);
    ir_temp res = ir_new_i32(b);
    ir_gen_call(b, IR_HELPER_usad8, &res, (const ir_temp[]){ REG(1), REG(2) });
    if (acc)
        ir_gen_add_i32(b, res, res, REG(3));
    arm_write_reg(c, r[0], res);
    return ARM_NEXT;
}

static enum arm_result trans_USAD8(struct arm_ctx *c) { return usad8(c, false); }
static enum arm_result trans_USADA8(struct arm_ctx *c) { return usad8(c, true); }

/* PKHBT Rd, Rn, Rm{, LSL #n}: Rn<15:0> | shifted<31:16>.
   PKHTB Rd, Rn, Rm, ASR #n: Rn<31:16> | shifted<15:0> (n = 32 encoded as 0). */
static enum arm_result pkh(struct arm_ctx *c, bool tb)
{
    struct ir_block *b = c->b;
    int r[3] = { reg_at(c, 0, false), reg_at(c, 1, false), reg_at(c, 2, true) };
    if (arm_nops(c) != 3 || r[0] < 0 || r[0] == 15 || r[1] < 0 || r[2] < 0)
        return arm_unimplemented(c);
    const cs_arm_op *m = arm_op(c, 2);
    ir_temp v = REG(2), res = ir_new_i32(b);
    if (m->shift.type == (tb ? ARM_SFT_ASR : ARM_SFT_LSL) && m->shift.value >= 1 &&
        m->shift.value <= (tb ? 32u : 31u))
        v = arm_gen_shift(c, v, m->shift.type, m->shift.value, NULL);
    else if (m->shift.type != ARM_SFT_INVALID || tb)
        return arm_unimplemented(c);
    if (tb)
        ir_gen_deposit_i32(b, res, REG(1), v, 0, 16);
    else
        ir_gen_deposit_i32(b, res, v, REG(1), 0, 16);
    arm_write_reg(c, r[0], res);
    return ARM_NEXT;
}

static enum arm_result trans_PKHBT(struct arm_ctx *c) { return pkh(c, false); }
static enum arm_result trans_PKHTB(struct arm_ctx *c) { return pkh(c, true); }

/* ---- The APSR ---- */

/* MRS Rd, APSR: N Z C V Q in bits 31:27, GE in 19:16; the mode bits read as User (0x10),
   as on hardware and under qemu-arm. Banked and SPSR forms are not user-mode insns. */
static enum arm_result trans_MRS(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    uint32_t raw = c->insn->raw;
    bool apsr = c->thumb ? (raw & 0xfffff0ffu) == 0xf3ef8000u
                         : (raw & 0x0fff0fffu) == 0x010f0000u;
    int rd = reg_at(c, 0, false);
    if (!apsr || rd < 0 || rd == 15)
        return arm_unimplemented(c);
    ir_temp v = ir_new_i32(b), t = ir_new_i32(b);
    ir_gen_and_i32(b, v, ir_global(IR_G_NF), CONST(0x80000000u));
    ir_gen_setcond_i32(b, IR_EQ, t, ir_global(IR_G_ZF), CONST(0));
    ir_gen_shl_i32(b, t, t, CONST(30));
    ir_gen_or_i32(b, v, v, t);
    ir_gen_shl_i32(b, t, ir_global(IR_G_CF), CONST(29));
    ir_gen_or_i32(b, v, v, t);
    ir_gen_shr_i32(b, t, ir_global(IR_G_VF), CONST(31));
    ir_gen_shl_i32(b, t, t, CONST(28));
    ir_gen_or_i32(b, v, v, t);
    ir_gen_shl_i32(b, t, ir_global(IR_G_QF), CONST(27));
    ir_gen_or_i32(b, v, v, t);
    ir_gen_shl_i32(b, t, ir_global(IR_G_GE), CONST(16));
    ir_gen_or_i32(b, v, v, t);
    ir_gen_or_i32(b, v, v, CONST(0x10));
    arm_write_reg(c, rd, v);
    return ARM_NEXT;
}

/*
 * MSR APSR_<nzcvq|g|nzcvqg>, Rn | #imm. The mask comes from the encoding: A32 bits 19:16,
 * T32 hw2 bits 11:8; mask<3> writes N Z C V Q, mask<2> writes GE. In User mode the other
 * mask bits write nothing an application can see, so they are ignored. SPSR forms and
 * banked registers are not user-mode insns.
 */
static enum arm_result trans_MSR(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    uint32_t raw = c->insn->raw, mask;
    if (c->thumb) {
        if ((raw & 0xfff0f0ffu) != 0xf3808000u)
            return arm_unimplemented(c);
        mask = raw >> 8 & 0xf;
    } else {
        if ((raw & 0x0ff0fff0u) != 0x0120f000u && (raw & 0x0ff0f000u) != 0x0320f000u)
            return arm_unimplemented(c);
        mask = raw >> 16 & 0xf;
    }
    if (arm_nops(c) != 2)
        return arm_unimplemented(c);
    const cs_arm_op *op = arm_op(c, 1);
    ir_temp v;
    if (op->type == ARM_OP_IMM) {
        v = CONST((uint32_t)op->imm);
    } else {
        int rn = reg_at(c, 1, false);
        if (rn < 0)
            return arm_unimplemented(c);
        v = arm_read_reg(c, rn);
    }
    if (mask & 8) {     /* QEMU's flag form, see globals.def */
        ir_gen_and_i32(b, ir_global(IR_G_NF), v, CONST(0x80000000u));
        ir_gen_andc_i32(b, ir_global(IR_G_ZF), CONST(1u << 30), v);
        ir_gen_extract_i32(b, ir_global(IR_G_CF), v, 29, 1);
        ir_gen_shl_i32(b, ir_global(IR_G_VF), v, CONST(3));
        ir_gen_extract_i32(b, ir_global(IR_G_QF), v, 27, 1);
    }
    if (mask & 4)
        ir_gen_extract_i32(b, ir_global(IR_G_GE), v, 16, 4);
    return ARM_NEXT;
}

#undef CONST
#undef REG

const struct arm_handler_entry arm_bits_handlers[] = {
#define E(name) { ARM_INS_##name, trans_##name },
    E(UBFX) E(SBFX) E(BFI) E(BFC)
    E(CLZ) E(RBIT) E(REV) E(REV16) E(REVSH)
    E(UXTB) E(UXTH) E(UXTB16) E(SXTB) E(SXTH) E(SXTB16)
    E(UXTAB) E(UXTAH) E(UXTAB16) E(SXTAB) E(SXTAH) E(SXTAB16)
    E(SSAT) E(USAT) E(SSAT16) E(USAT16)
    E(QADD) E(QSUB) E(QDADD) E(QDSUB)
    E(SADD8) E(UADD8) E(SSUB8) E(USUB8) E(SADD16) E(UADD16) E(SSUB16) E(USUB16)
    E(SASX) E(SSAX) E(UASX) E(USAX)
    E(QADD8) E(QSUB8) E(QADD16) E(QSUB16) E(QASX) E(QSAX)
    E(UQADD8) E(UQSUB8) E(UQADD16) E(UQSUB16) E(UQASX) E(UQSAX)
    E(SHADD8) E(SHSUB8) E(SHADD16) E(SHSUB16) E(SHASX) E(SHSAX)
    E(UHADD8) E(UHSUB8) E(UHADD16) E(UHSUB16) E(UHASX) E(UHSAX)
    E(SEL) E(USAD8) E(USADA8) E(PKHBT) E(PKHTB)
    E(MRS) E(MSR)
#undef E
    { 0, NULL },
};
