/*
 * VFPv3-D32 (ARM ARM A8 "Floating-point data-processing" and the extension register
 * load/store and transfer insns). The Advanced SIMD encodings are neon.c's.
 *
 * D0..D31 are i64 globals; S[2n] is the low half of D[n], S[2n+1] the high half. f32
 * values travel as i32 bit patterns, f64 as i64. Arithmetic, compare and conversions are
 * helpers (lifter/helpers/vfp.c); negate and absolute value are sign-bit operations, as on
 * ARM (a NaN keeps its payload). FPSCR is one i32 global; vcmp writes its NZCV, vmrs
 * APSR_nzcv copies that into the core flags. The cumulative exception flags live outside
 * it, where the helpers OR them in: vmrs rt merges them (fpscr_read), vmsr resets them
 * (fpscr_write).
 *
 * The precision and the conversion kinds come from the raw encoding (A32 and T32 VFP
 * encodings agree in the bits used here: a T32 insn is hw1 << 16 | hw2 with hw1's top
 * nibble 1110, like an A32 insn with cond AL); the registers come from capstone.
 * Not implemented (ARM_UNDEF through arm_unimplemented): ARMv8's VCVTA/N/P/M, VRINT* and
 * double-precision VCVTB/VCVTT, FLDMX/FSTMX as such (they load
 * like VLDM and write back the extra word), VMRS/VMSR of FPEXC, FPSID, MVFR0/1, and
 * FPSCR.Len/Stride short vectors.
 */
#include <string.h>

#include "arm_internal.h"


/* FPSCR bits that exist on VFPv3 without trapping: NZCV, QC, AHP, DN, FZ, RMode, Stride,
   Len, IDC and the cumulative flags. The trap enables read as zero. */
#define FPSCR_WRITABLE 0xfff7009fu

#define F32_SIGN 0x80000000u
#define F64_SIGN 0x8000000000000000ull

/* ---- Registers ---- */

enum vreg_class { VR_NONE, VR_CORE, VR_S, VR_D, VR_Q };

/* The class and number of operand i (VR_NONE when it is not a register). */
static enum vreg_class reg_class(const struct arm_ctx *c, unsigned i, int *num)
{
    *num = -1;
    if (i >= arm_nops(c) || arm_op(c, i)->type != ARM_OP_REG)
        return VR_NONE;
    unsigned r = arm_op(c, i)->reg;
    if ((*num = xl_reg_num(r)) >= 0)
        return VR_CORE;
    if ((*num = arm_sreg_num(r)) >= 0)
        return VR_S;
    if ((*num = arm_dreg_num(r)) >= 0)
        return VR_D;
    if (r >= ARM_REG_Q0 && r <= ARM_REG_Q15) {
        *num = (int)(r - ARM_REG_Q0);
        return VR_Q;
    }
    return VR_NONE;
}

/* A core register that an insn may read or write here (not the pc). */
static bool core_reg(const struct arm_ctx *c, unsigned i, int *num)
{
    return reg_class(c, i, num) == VR_CORE && *num < 15;
}

static ir_temp dreg(int n)
{
    return ir_global((enum ir_global)(IR_G_D0 + n));
}

static ir_temp read_s(struct arm_ctx *c, int n)
{
    ir_temp t = ir_new_i32(c->b);
    if (n & 1)
        ir_gen_extrh_i64_i32(c->b, t, dreg(n >> 1));
    else
        ir_gen_extrl_i64_i32(c->b, t, dreg(n >> 1));
    return t;
}

static void write_s(struct arm_ctx *c, int n, ir_temp v)
{
    ir_temp other = ir_new_i32(c->b), d = dreg(n >> 1);
    if (n & 1) {
        ir_gen_extrl_i64_i32(c->b, other, d);
        ir_gen_concat_i32_i64(c->b, d, other, v);
    } else {
        ir_gen_extrh_i64_i32(c->b, other, d);
        ir_gen_concat_i32_i64(c->b, d, v, other);
    }
}

/* An f32 (S register) or f64 (D register) value. A D read is the global itself. */
static ir_temp read_fp(struct arm_ctx *c, bool dp, int n)
{
    return dp ? dreg(n) : read_s(c, n);
}

static void write_fp(struct arm_ctx *c, bool dp, int n, ir_temp v)
{
    if (dp)
        ir_gen_mov_i64(c->b, dreg(n), v);
    else
        write_s(c, n, v);
}

static ir_temp new_fp(struct arm_ctx *c, bool dp)
{
    return dp ? ir_new_i64(c->b) : ir_new_i32(c->b);
}

/* Operands 0 .. n-1 are exactly n registers of the precision's class. */
static bool fp_ops(const struct arm_ctx *c, bool dp, unsigned n, int *regs)
{
    if (arm_nops(c) != n)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (reg_class(c, i, &regs[i]) != (dp ? VR_D : VR_S))
            return false;
    return true;
}

static ir_temp fp_neg(struct arm_ctx *c, bool dp, ir_temp v)
{
    ir_temp t = new_fp(c, dp);
    if (dp)
        ir_gen_xor_i64(c->b, t, v, ir_const_i64(c->b, F64_SIGN));
    else
        ir_gen_xor_i32(c->b, t, v, ir_const_i32(c->b, F32_SIGN));
    return t;
}

static ir_temp fp_abs(struct arm_ctx *c, bool dp, ir_temp v)
{
    ir_temp t = new_fp(c, dp);
    if (dp)
        ir_gen_and_i64(c->b, t, v, ir_const_i64(c->b, ~F64_SIGN));
    else
        ir_gen_and_i32(c->b, t, v, ir_const_i32(c->b, ~F32_SIGN));
    return t;
}

/* Calls VFP helper h on ins and, as its last argument, the FPSCR global (helpers.def);
   returns its result in a new temp of the helper's type. */
static ir_temp call(struct arm_ctx *c, enum ir_helper h, const ir_temp *ins)
{
    unsigned n = ir_helpers[h].nargs;
    ir_temp args[4];
    for (unsigned i = 0; i + 1 < n; i++)
        args[i] = ins[i];
    args[n - 1] = ir_global(IR_G_FPSCR);
    ir_temp out = ir_helpers[h].ret == IR_HT_i64 ? ir_new_i64(c->b) : ir_new_i32(c->b);
    ir_gen_call(c->b, h, &out, args);
    return out;
}

/* ---- Encodings ---- */

/* A VFP data-processing encoding (coprocessor 10/11, CDP space): bits 27:24 = 1110,
   11:9 = 101, 4 = 0. NEON encodings of the same capstone ids are not. */
static bool vfp_dp_encoding(const struct arm_ctx *c)
{
    uint32_t raw = c->insn->raw;
    return c->insn->size == 4 && ((raw >> 24) & 0xf) == 0xe && ((raw >> 9) & 7) == 5 &&
           !(raw & 0x10);
}

/* sz: double precision. */
static bool enc_dp(const struct arm_ctx *c)
{
    return (c->insn->raw >> 8) & 1;
}

/* ---- Arithmetic ---- */

static enum arm_result gen_binop(struct arm_ctx *c, enum ir_helper h32, enum ir_helper h64)
{
    int r[3];
    bool dp = enc_dp(c);
    if (!vfp_dp_encoding(c) || !fp_ops(c, dp, 3, r))
        return arm_unimplemented(c);
    ir_temp v = call(c, dp ? h64 : h32, (const ir_temp[]){ read_fp(c, dp, r[1]),
                                                           read_fp(c, dp, r[2]) });
    write_fp(c, dp, r[0], v);
    return ARM_NEXT;
}

#define TRANS_BINOP(NAME, h)                                                    \
    static enum arm_result trans_##NAME(struct arm_ctx *c)                      \
    {                                                                           \
        return gen_binop(c, IR_HELPER_##h##_f32, IR_HELPER_##h##_f64);          \
    }
TRANS_BINOP(VADD, vadd)
TRANS_BINOP(VSUB, vsub)
TRANS_BINOP(VMUL, vmul)
TRANS_BINOP(VDIV, vdiv)
TRANS_BINOP(VMAXNM, vmaxnm)
TRANS_BINOP(VMINNM, vminnm)
#undef TRANS_BINOP

/*
 * VMLA, VMLS, VNMLA, VNMLS, VNMUL: a rounded product, then a rounded sum (ARM ARM:
 * product = FPMul(n, m); VMLA d + p, VMLS d + -p, VNMLA -d + -p, VNMLS -d + p, VNMUL -p).
 * The four accumulating forms are one helper call (vmla: d + p, vmls: d + -p, on d or -d),
 * which tests for a NaN once instead of after each op.
 */
enum mac_kind { MAC_VMLA, MAC_VMLS, MAC_VNMLA, MAC_VNMLS, MAC_VNMUL };

static enum arm_result gen_mac(struct arm_ctx *c, enum mac_kind k)
{
    int r[3];
    bool dp = enc_dp(c);
    if (!vfp_dp_encoding(c) || !fp_ops(c, dp, 3, r))
        return arm_unimplemented(c);
    ir_temp n = read_fp(c, dp, r[1]), m = read_fp(c, dp, r[2]), res;
    if (k == MAC_VNMUL) {
        res = fp_neg(c, dp, call(c, dp ? IR_HELPER_vmul_f64 : IR_HELPER_vmul_f32,
                                 (const ir_temp[]){ n, m }));
    } else {
        ir_temp d = read_fp(c, dp, r[0]);
        if (k == MAC_VNMLA || k == MAC_VNMLS)
            d = fp_neg(c, dp, d);
        bool sub = k == MAC_VMLS || k == MAC_VNMLA;
        enum ir_helper h = sub ? (dp ? IR_HELPER_vmls_f64 : IR_HELPER_vmls_f32)
                               : (dp ? IR_HELPER_vmla_f64 : IR_HELPER_vmla_f32);
        res = call(c, h, (const ir_temp[]){ d, n, m });
    }
    write_fp(c, dp, r[0], res);
    return ARM_NEXT;
}

/* VFMA d + n*m, VFMS d + -n*m, VFNMA -d + -n*m, VFNMS -d + n*m: one rounding (FPMulAdd). */
static enum arm_result gen_fused(struct arm_ctx *c, bool neg_d, bool neg_n)
{
    int r[3];
    bool dp = enc_dp(c);
    if (!vfp_dp_encoding(c) || !fp_ops(c, dp, 3, r))
        return arm_unimplemented(c);
    ir_temp d = read_fp(c, dp, r[0]), n = read_fp(c, dp, r[1]);
    if (neg_d)
        d = fp_neg(c, dp, d);
    if (neg_n)
        n = fp_neg(c, dp, n);
    ir_temp res = call(c, dp ? IR_HELPER_vfma_f64 : IR_HELPER_vfma_f32,
                       (const ir_temp[]){ d, n, read_fp(c, dp, r[2]) });
    write_fp(c, dp, r[0], res);
    return ARM_NEXT;
}

#define TRANS_MAC(NAME, call_)                                                  \
    static enum arm_result trans_##NAME(struct arm_ctx *c) { return call_; }
TRANS_MAC(VMLA, gen_mac(c, MAC_VMLA))
TRANS_MAC(VMLS, gen_mac(c, MAC_VMLS))
TRANS_MAC(VNMLA, gen_mac(c, MAC_VNMLA))
TRANS_MAC(VNMLS, gen_mac(c, MAC_VNMLS))
TRANS_MAC(VNMUL, gen_mac(c, MAC_VNMUL))
TRANS_MAC(VFMA, gen_fused(c, false, false))
TRANS_MAC(VFMS, gen_fused(c, false, true))
TRANS_MAC(VFNMA, gen_fused(c, true, true))
TRANS_MAC(VFNMS, gen_fused(c, true, false))
#undef TRANS_MAC

enum unop_kind { UN_NEG, UN_ABS, UN_SQRT };

static enum arm_result gen_unop(struct arm_ctx *c, enum unop_kind k)
{
    int r[2];
    bool dp = enc_dp(c);
    if (!vfp_dp_encoding(c) || !fp_ops(c, dp, 2, r))
        return arm_unimplemented(c);
    ir_temp v = read_fp(c, dp, r[1]), res;
    switch (k) {
    case UN_NEG: res = fp_neg(c, dp, v); break;
    case UN_ABS: res = fp_abs(c, dp, v); break;
    case UN_SQRT:
        res = call(c, dp ? IR_HELPER_vsqrt_f64 : IR_HELPER_vsqrt_f32, (const ir_temp[]){ v });
        break;
    }
    write_fp(c, dp, r[0], res);
    return ARM_NEXT;
}

static enum arm_result trans_VNEG(struct arm_ctx *c) { return gen_unop(c, UN_NEG); }
static enum arm_result trans_VABS(struct arm_ctx *c) { return gen_unop(c, UN_ABS); }
static enum arm_result trans_VSQRT(struct arm_ctx *c) { return gen_unop(c, UN_SQRT); }

/* VSEL<cc> (ARMv8): d = cc ? n : m, cc in raw bits 21:20 (EQ, VS, GE, GT). */
static enum arm_result trans_VSEL(struct arm_ctx *c)
{
    static const enum arm_cond conds[4] = { ARM_COND_EQ, ARM_COND_VS, ARM_COND_GE,
                                            ARM_COND_GT };
    int r[3];
    bool dp = enc_dp(c);
    if (!vfp_dp_encoding(c) || (c->insn->raw >> 23) != 0x1fc || !fp_ops(c, dp, 3, r))
        return arm_unimplemented(c);
    ir_temp res = new_fp(c, dp), n = read_fp(c, dp, r[1]), m = read_fp(c, dp, r[2]);
    uint32_t skip = ir_new_label(c->b);
    if (dp)
        ir_gen_mov_i64(c->b, res, m);
    else
        ir_gen_mov_i32(c->b, res, m);
    arm_gen_skip_unless(c, conds[(c->insn->raw >> 20) & 3], skip);
    if (dp)
        ir_gen_mov_i64(c->b, res, n);
    else
        ir_gen_mov_i32(c->b, res, n);
    ir_gen_set_label(c->b, skip);
    write_fp(c, dp, r[0], res);
    return ARM_NEXT;
}

/* ---- Compare and the status register ---- */

/* VCMP/VCMPE: FPSCR.NZCV = FPCompare(d, m or +0.0). The E form (raw bit 7) only differs
   in raising Invalid Operation for quiet NaNs too. */
static enum arm_result trans_VCMP(struct arm_ctx *c)
{
    int a, m;
    bool dp = enc_dp(c), e = (c->insn->raw >> 7) & 1;
    enum vreg_class want = dp ? VR_D : VR_S;
    if (!vfp_dp_encoding(c) || arm_nops(c) != 2 || reg_class(c, 0, &a) != want)
        return arm_unimplemented(c);
    ir_temp y;
    if (arm_op(c, 1)->type == ARM_OP_IMM || arm_op(c, 1)->type == ARM_OP_FP)
        y = dp ? ir_const_i64(c->b, 0) : ir_const_i32(c->b, 0);
    else if (reg_class(c, 1, &m) == want)
        y = read_fp(c, dp, m);
    else
        return arm_unimplemented(c);
    enum ir_helper h = dp ? (e ? IR_HELPER_vcmpe_f64 : IR_HELPER_vcmp_f64)
                          : (e ? IR_HELPER_vcmpe_f32 : IR_HELPER_vcmp_f32);
    ir_temp nzcv = call(c, h, (const ir_temp[]){ read_fp(c, dp, a), y });
    ir_gen_deposit_i32(c->b, ir_global(IR_G_FPSCR), ir_global(IR_G_FPSCR), nzcv, 28, 4);
    return ARM_NEXT;
}

/* VMRS: APSR_nzcv ← FPSCR[31:28] in the flags' QEMU form (the exception flags do not
   take part), or rt ← FPSCR with the cumulative exception flags merged. */
static enum arm_result trans_VMRS(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    ir_temp fpscr = ir_global(IR_G_FPSCR);
    int rt;
    if (arm_nops(c) != 2 || arm_op(c, 1)->type != ARM_OP_REG || arm_op(c, 1)->reg != ARM_REG_FPSCR)
        return arm_unimplemented(c);
    if (arm_op(c, 0)->type == ARM_OP_REG && arm_op(c, 0)->reg == ARM_REG_APSR_NZCV) {
        ir_gen_and_i32(b, ir_global(IR_G_NF), fpscr, ir_const_i32(b, 0x80000000u));
        ir_gen_extract_i32(b, ir_global(IR_G_ZF), fpscr, 30, 1);
        ir_gen_xor_i32(b, ir_global(IR_G_ZF), ir_global(IR_G_ZF), ir_const_i32(b, 1));
        ir_gen_extract_i32(b, ir_global(IR_G_CF), fpscr, 29, 1);
        ir_gen_extract_i32(b, ir_global(IR_G_VF), fpscr, 28, 1);
        ir_gen_shl_i32(b, ir_global(IR_G_VF), ir_global(IR_G_VF), ir_const_i32(b, 31));
        return ARM_NEXT;
    }
    if (!core_reg(c, 0, &rt))
        return arm_unimplemented(c);
    arm_write_reg(c, rt, call(c, IR_HELPER_fpscr_read, NULL));
    return ARM_NEXT;
}

static enum arm_result trans_VMSR(struct arm_ctx *c)
{
    int rt;
    if (arm_nops(c) != 2 || arm_op(c, 0)->type != ARM_OP_REG || arm_op(c, 0)->reg != ARM_REG_FPSCR
        || !core_reg(c, 1, &rt))
        return arm_unimplemented(c);
    ir_temp v = arm_read_reg(c, rt);
    ir_gen_call(c->b, IR_HELPER_fpscr_write, NULL, (const ir_temp[]){ v });
    ir_gen_and_i32(c->b, ir_global(IR_G_FPSCR), v, ir_const_i32(c->b, FPSCR_WRITABLE));
    return ARM_NEXT;
}

/* ---- Conversions ---- */

/*
 * VCVT and VCVTR, told apart by opc2 (raw bits 19:16) and bit 7:
 *   0111, bit 7 set: f64 ↔ f32 (sz: from f64);
 *   1000: s32/u32 (bit 7: signed) → f32/f64, rounding in FPSCR's mode;
 *         (fixed point → f32 rounds to nearest: FixedToFP's round_to_nearest)
 *   1100/1101: f32/f64 → u32/s32, toward zero (bit 7, VCVT) or in FPSCR's mode (VCVTR);
 *   1x1x: fixed point in place, bit 18 to fixed, bit 16 unsigned, bit 7 sx (32-bit),
 *         fbits = size - imm4:i.
 */
static enum arm_result trans_VCVT(struct arm_ctx *c)
{
    uint32_t raw = c->insn->raw, opc = (raw >> 16) & 0xf, bit7 = (raw >> 7) & 1;
    bool dp = enc_dp(c);
    int d, m;
    enum vreg_class kd = reg_class(c, 0, &d), km = reg_class(c, 1, &m);
    enum vreg_class kfp = dp ? VR_D : VR_S;
    if (!vfp_dp_encoding(c))
        return arm_unimplemented(c);

    if (opc == 0x7 && bit7) {
        if (arm_nops(c) != 2 || kd != (dp ? VR_S : VR_D) || km != kfp)
            return arm_unimplemented(c);
        ir_temp v = dp ? call(c, IR_HELPER_vcvt_f32_f64, (const ir_temp[]){ dreg(m) })
                       : call(c, IR_HELPER_vcvt_f64_f32, (const ir_temp[]){ read_s(c, m) });
        write_fp(c, !dp, d, v);
        return ARM_NEXT;
    }
    if (opc == 0x8) {
        if (arm_nops(c) != 2 || kd != kfp || km != VR_S)
            return arm_unimplemented(c);
        ir_temp desc = ir_const_i32(c->b, VFP_FIX_RMODE | (bit7 ? 0 : VFP_FIX_U));
        ir_temp v = read_s(c, m);
        if (dp) {
            ir_temp w = ir_new_i64(c->b);
            ir_gen_extu_i32_i64(c->b, w, v);
            v = call(c, IR_HELPER_vcvt_fromfix_f64, (const ir_temp[]){ w, desc });
        } else {
            v = call(c, IR_HELPER_vcvt_fromfix_f32, (const ir_temp[]){ v, desc });
        }
        write_fp(c, dp, d, v);
        return ARM_NEXT;
    }
    if (opc == 0xc || opc == 0xd) {
        if (arm_nops(c) != 2 || kd != VR_S || km != kfp)
            return arm_unimplemented(c);
        uint32_t flags = (opc == 0xc ? VFP_FIX_U : 0) | (bit7 ? 0 : VFP_FIX_RMODE);
        ir_temp desc = ir_const_i32(c->b, flags), v;
        if (dp) {
            ir_temp w = call(c, IR_HELPER_vcvt_tofix_f64,
                             (const ir_temp[]){ dreg(m), desc });
            v = ir_new_i32(c->b);
            ir_gen_extrl_i64_i32(c->b, v, w);
        } else {
            v = call(c, IR_HELPER_vcvt_tofix_f32,
                     (const ir_temp[]){ read_s(c, m), desc });
        }
        write_s(c, d, v);
        return ARM_NEXT;
    }
    if ((opc & 0xa) == 0xa) {
        unsigned size = bit7 ? 32 : 16, imm = (raw & 0xf) << 1 | ((raw >> 5) & 1);
        if (imm > size || kd != kfp)    /* fbits < 0 is UNPREDICTABLE */
            return arm_unimplemented(c);
        uint32_t flags = (size - imm) | ((raw >> 16) & 1 ? VFP_FIX_U : 0)
                         | (size == 16 ? VFP_FIX_16 : 0);
        ir_temp desc = ir_const_i32(c->b, flags), v;
        bool to_fixed = (raw >> 18) & 1;
        if (dp)
            v = call(c, to_fixed ? IR_HELPER_vcvt_tofix_f64 : IR_HELPER_vcvt_fromfix_f64,
                     (const ir_temp[]){ dreg(d), desc });
        else
            v = call(c, to_fixed ? IR_HELPER_vcvt_tofix_f32 : IR_HELPER_vcvt_fromfix_f32,
                     (const ir_temp[]){ read_s(c, d), desc });
        write_fp(c, dp, d, v);
        return ARM_NEXT;
    }
    return arm_unimplemented(c);
}

/* ---- Moves ---- */

/* VMOV (immediate), VFP f32/f64 from capstone's FP operand (the NEON forms are neon.c's). */
static enum arm_result vmov_imm(struct arm_ctx *c, enum vreg_class k, int d)
{
    const cs_arm_op *op = arm_op(c, 1);
    if (!vfp_dp_encoding(c) || op->type != ARM_OP_FP || (k != VR_S && k != VR_D))
        return arm_unimplemented(c);
    if (k == VR_S) {
        float f = (float)op->fp;    /* VFPExpandImm values are exact in single */
        uint32_t v;
        memcpy(&v, &f, 4);
        write_s(c, d, ir_const_i32(c->b, v));
    } else {
        uint64_t v;
        memcpy(&v, &op->fp, 8);
        ir_gen_mov_i64(c->b, dreg(d), ir_const_i64(c->b, v));
    }
    return ARM_NEXT;
}

/* VMOV between a core register and a D register scalar (8, 16 or 32 bits): opc1 raw bits
   22:21, opc2 bits 6:5, bit 20 to core, bit 23 U. */
static enum arm_result vmov_scalar(struct arm_ctx *c, int d, int rt, bool to_core)
{
    uint32_t raw = c->insn->raw, opc1 = (raw >> 21) & 3, opc2 = (raw >> 5) & 3;
    unsigned esize, index;
    if (opc1 & 2) {
        esize = 8;
        index = (opc1 & 1) << 2 | opc2;
    } else if (opc2 & 1) {
        esize = 16;
        index = (opc1 & 1) << 1 | opc2 >> 1;
    } else if (!(opc2 & 2)) {
        esize = 32;
        index = opc1 & 1;
    } else {
        return arm_unimplemented(c);
    }
    unsigned pos = esize * index, bit = pos & 31;
    bool hi = pos >= 32;
    struct ir_block *b = c->b;
    ir_temp w = ir_new_i32(b);
    if (hi)
        ir_gen_extrh_i64_i32(b, w, dreg(d));
    else
        ir_gen_extrl_i64_i32(b, w, dreg(d));
    if (to_core) {
        ir_temp v = w;
        if (esize < 32) {
            v = ir_new_i32(b);
            if ((raw >> 23) & 1)
                ir_gen_extract_i32(b, v, w, bit, esize);
            else
                ir_gen_sextract_i32(b, v, w, bit, esize);
        }
        arm_write_reg(c, rt, v);
        return ARM_NEXT;
    }
    ir_temp nw = arm_read_reg(c, rt), other = ir_new_i32(b);
    if (esize < 32) {
        nw = ir_new_i32(b);
        ir_gen_deposit_i32(b, nw, w, arm_read_reg(c, rt), bit, esize);
    }
    if (hi) {
        ir_gen_extrl_i64_i32(b, other, dreg(d));
        ir_gen_concat_i32_i64(b, dreg(d), other, nw);
    } else {
        ir_gen_extrh_i64_i32(b, other, dreg(d));
        ir_gen_concat_i32_i64(b, dreg(d), nw, other);
    }
    return ARM_NEXT;
}

static enum arm_result trans_VMOV(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    int r[4];
    enum vreg_class k[4];
    unsigned n = arm_nops(c);
    if (n < 2 || n > 4)
        return arm_unimplemented(c);
    for (unsigned i = 0; i < 4; i++)
        k[i] = reg_class(c, i, &r[i]);
    for (unsigned i = 0; i < n; i++)    /* the pc is never a VMOV operand (UNPREDICTABLE) */
        if (k[i] == VR_CORE && r[i] == 15)
            return arm_unimplemented(c);

    if (n == 2) {
        int lane0 = arm_op(c, 0)->vector_index, lane1 = arm_op(c, 1)->vector_index;
        if (k[1] == VR_NONE)
            return vmov_imm(c, k[0], r[0]);
        if (k[0] == VR_D && lane0 >= 0 && k[1] == VR_CORE)
            return vmov_scalar(c, r[0], r[1], false);
        if (k[0] == VR_CORE && k[1] == VR_D && lane1 >= 0)
            return vmov_scalar(c, r[1], r[0], true);
        if (k[0] == VR_S && k[1] == VR_CORE) {
            write_s(c, r[0], arm_read_reg(c, r[1]));
            return ARM_NEXT;
        }
        if (k[0] == VR_CORE && k[1] == VR_S) {
            arm_write_reg(c, r[0], read_s(c, r[1]));
            return ARM_NEXT;
        }
        if ((k[0] == VR_S || k[0] == VR_D) && k[0] == k[1]) {
            bool dp = k[0] == VR_D;
            if (dp) {
                ir_gen_mov_i64(b, dreg(r[0]), dreg(r[1]));
            } else {
                write_s(c, r[0], read_s(c, r[1]));
            }
            return ARM_NEXT;
        }
        return arm_unimplemented(c);
    }
    if (n == 3 && k[0] == VR_D && k[1] == VR_CORE && k[2] == VR_CORE) {
        ir_gen_concat_i32_i64(b, dreg(r[0]), arm_read_reg(c, r[1]), arm_read_reg(c, r[2]));
        return ARM_NEXT;
    }
    if (n == 3 && k[0] == VR_CORE && k[1] == VR_CORE && k[2] == VR_D) {
        ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b);
        ir_gen_extrl_i64_i32(b, lo, dreg(r[2]));
        ir_gen_extrh_i64_i32(b, hi, dreg(r[2]));
        arm_write_reg(c, r[0], lo);
        arm_write_reg(c, r[1], hi);
        return ARM_NEXT;
    }
    if (n == 4 && k[0] == VR_S && k[1] == VR_S && k[2] == VR_CORE && k[3] == VR_CORE) {
        /* the core values are read before the S writes; cores are not S halves */
        write_s(c, r[0], arm_read_reg(c, r[2]));
        write_s(c, r[1], arm_read_reg(c, r[3]));
        return ARM_NEXT;
    }
    if (n == 4 && k[0] == VR_CORE && k[1] == VR_CORE && k[2] == VR_S && k[3] == VR_S) {
        ir_temp lo = read_s(c, r[2]), hi = read_s(c, r[3]);
        arm_write_reg(c, r[0], lo);
        arm_write_reg(c, r[1], hi);
        return ARM_NEXT;
    }
    return arm_unimplemented(c);
}

/* ---- Loads and stores ---- */

/* VLDR/VSTR: [base, #±imm]; a pc base is Align(PC, 4). */
static enum arm_result gen_ldst(struct arm_ctx *c, bool load)
{
    struct ir_block *b = c->b;
    int d, base;
    enum vreg_class k = reg_class(c, 0, &d);
    const cs_arm_op *mem = arm_op(c, 1);
    if (arm_nops(c) != 2 || (k != VR_S && k != VR_D) || mem->type != ARM_OP_MEM ||
        mem->mem.index != ARM_REG_INVALID || (base = xl_reg_num(mem->mem.base)) < 0)
        return arm_unimplemented(c);
    bool dp = k == VR_D;
    ir_temp addr;
    if (base == 15) {
        addr = ir_const_i32(b, arm_pc_aligned(c) + (uint32_t)mem->mem.disp);
    } else {
        addr = ir_new_i32(b);
        ir_gen_addi_i32(b, addr, arm_read_reg(c, base), (uint32_t)mem->mem.disp);
    }
    if (load) {
        ir_temp v = new_fp(c, dp);
        if (dp)
            ir_gen_ld_i64(b, v, addr, IR_MO_64);
        else
            ir_gen_ld_i32(b, v, addr, IR_MO_32);
        write_fp(c, dp, d, v);
    } else if (dp) {
        ir_gen_st_i64(b, dreg(d), addr, IR_MO_64);
    } else {
        ir_gen_st_i32(b, read_s(c, d), addr, IR_MO_32);
    }
    return ARM_NEXT;
}

static enum arm_result trans_VLDR(struct arm_ctx *c) { return gen_ldst(c, true); }
static enum arm_result trans_VSTR(struct arm_ctx *c) { return gen_ldst(c, false); }

/*
 * VLDM/VSTM (IA, DB), VPUSH, VPOP: consecutive S or D registers from operand `first` on.
 * The block covers imm8 * 4 bytes (raw bits 7:0, the same in A32 and T32), which for
 * FLDMX/FSTMX includes the extra word; writeback moves the base by all of it. Loads go to
 * temps first, so a fault leaves the registers as they were.
 */
static enum arm_result gen_ldm(struct arm_ctx *c, bool load, bool db, int base, unsigned first,
                               bool wback)
{
    struct ir_block *b = c->b;
    unsigned n = arm_nops(c), count = n > first ? n - first : 0;
    uint32_t total = (c->insn->raw & 0xff) * 4;
    int regs[32];
    enum vreg_class k = reg_class(c, first, &regs[0]);
    unsigned esize = k == VR_D ? 8 : 4;
    if (count == 0 || count > 32 || (k != VR_S && k != VR_D) || base < 0 ||
        (base == 15 && wback) || count * esize > total)
        return arm_unimplemented(c);
    for (unsigned i = 1; i < count; i++)
        if (reg_class(c, first + i, &regs[i]) != k)
            return arm_unimplemented(c);

    ir_temp start = ir_new_i32(b), addr = ir_new_i32(b);
    ir_gen_addi_i32(b, start, arm_read_reg(c, base), db ? -total : 0);
    ir_temp vals[32];
    for (unsigned i = 0; i < count; i++) {
        ir_gen_addi_i32(b, addr, start, i * esize);
        if (!load && k == VR_D)
            ir_gen_st_i64(b, dreg(regs[i]), addr, IR_MO_64);
        else if (!load)
            ir_gen_st_i32(b, read_s(c, regs[i]), addr, IR_MO_32);
        if (load) {
            vals[i] = k == VR_D ? ir_new_i64(b) : ir_new_i32(b);
            if (k == VR_D)
                ir_gen_ld_i64(b, vals[i], addr, IR_MO_64);
            else
                ir_gen_ld_i32(b, vals[i], addr, IR_MO_32);
        }
    }
    if (load)
        for (unsigned i = 0; i < count; i++)
            write_fp(c, k == VR_D, regs[i], vals[i]);
    if (wback) {
        ir_temp nb = ir_new_i32(b);
        ir_gen_addi_i32(b, nb, start, db ? 0 : total);
        arm_write_reg(c, base, nb);
    }
    return ARM_NEXT;
}

static enum arm_result gen_ldm_base(struct arm_ctx *c, bool load, bool db)
{
    int base;
    if (reg_class(c, 0, &base) != VR_CORE)
        return arm_unimplemented(c);
    return gen_ldm(c, load, db, base, 1, (c->insn->raw >> 21) & 1);
}

static enum arm_result trans_VLDMIA(struct arm_ctx *c) { return gen_ldm_base(c, true, false); }
static enum arm_result trans_VLDMDB(struct arm_ctx *c) { return gen_ldm_base(c, true, true); }
static enum arm_result trans_VSTMIA(struct arm_ctx *c) { return gen_ldm_base(c, false, false); }
static enum arm_result trans_VSTMDB(struct arm_ctx *c) { return gen_ldm_base(c, false, true); }
static enum arm_result trans_VPUSH(struct arm_ctx *c)
{
    return gen_ldm(c, false, true, 13, 0, true);
}

static enum arm_result trans_VPOP(struct arm_ctx *c)
{
    return gen_ldm(c, true, false, 13, 0, true);
}

/* VCVTB, VCVTT (A32 cond 1110 1D11 001o Vd 1010 T1M0 Vm): between a single and the bottom
   (T = 0) or top half of an S register as half precision, o = 1 to half. */
static enum arm_result trans_VCVTBT(struct arm_ctx *c)
{
    uint32_t raw = c->insn->raw;
    if (!vfp_dp_encoding(c) || enc_dp(c))
        return arm_unimplemented(c);    /* (ARMv8's double forms) */
    int d = (int)(((raw >> 12) & 0xf) << 1 | ((raw >> 22) & 1));
    int m = (int)((raw & 0xf) << 1 | ((raw >> 5) & 1));
    unsigned top = (raw >> 7) & 1;
    ir_temp src = read_s(c, m);
    if ((raw >> 16) & 1) {              /* to half, into one half of Sd */
        ir_temp h = call(c, IR_HELPER_vcvt_f16_f32, (const ir_temp[]){ src });
        ir_temp v = ir_new_i32(c->b);
        ir_gen_deposit_i32(c->b, v, read_s(c, d), h, top ? 16 : 0, 16);
        write_s(c, d, v);
    } else {
        ir_temp h = ir_new_i32(c->b);
        ir_gen_extract_i32(c->b, h, src, top ? 16 : 0, 16);
        write_s(c, d, call(c, IR_HELPER_vcvt_f32_f16, (const ir_temp[]){ h }));
    }
    return ARM_NEXT;
}

const struct arm_handler_entry arm_vfp_handlers[] = {
    { ARM_INS_VLDR, trans_VLDR },       { ARM_INS_VSTR, trans_VSTR },
    { ARM_INS_VLDMIA, trans_VLDMIA },   { ARM_INS_VLDMDB, trans_VLDMDB },
    { ARM_INS_VSTMIA, trans_VSTMIA },   { ARM_INS_VSTMDB, trans_VSTMDB },
    { ARM_INS_VPUSH, trans_VPUSH },     { ARM_INS_VPOP, trans_VPOP },
    { ARM_INS_VMOV, trans_VMOV },
    { ARM_INS_VADD, trans_VADD },       { ARM_INS_VSUB, trans_VSUB },
    { ARM_INS_VMUL, trans_VMUL },       { ARM_INS_VDIV, trans_VDIV },
    { ARM_INS_VMLA, trans_VMLA },       { ARM_INS_VMLS, trans_VMLS },
    { ARM_INS_VNMLA, trans_VNMLA },     { ARM_INS_VNMLS, trans_VNMLS },
    { ARM_INS_VNMUL, trans_VNMUL },
    { ARM_INS_VFMA, trans_VFMA },       { ARM_INS_VFMS, trans_VFMS },
    { ARM_INS_VFNMA, trans_VFNMA },     { ARM_INS_VFNMS, trans_VFNMS },
    { ARM_INS_VNEG, trans_VNEG },       { ARM_INS_VABS, trans_VABS },
    { ARM_INS_VSQRT, trans_VSQRT },
    { ARM_INS_VCMP, trans_VCMP },       { ARM_INS_VCMPE, trans_VCMP },
    { ARM_INS_VMRS, trans_VMRS },       { ARM_INS_VMSR, trans_VMSR },
    { ARM_INS_VCVT, trans_VCVT },       { ARM_INS_VCVTR, trans_VCVT },
    { ARM_INS_VCVTB, trans_VCVTBT },    { ARM_INS_VCVTT, trans_VCVTBT },
    { ARM_INS_VSELEQ, trans_VSEL },     { ARM_INS_VSELGE, trans_VSEL },
    { ARM_INS_VSELGT, trans_VSEL },     { ARM_INS_VSELVS, trans_VSEL },
    { ARM_INS_VMAXNM, trans_VMAXNM },   { ARM_INS_VMINNM, trans_VMINNM },
    { 0, NULL },
};
