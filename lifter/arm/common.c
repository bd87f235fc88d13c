/*
 * What every ARM instruction class uses: registers and the pc, pc writes and exits,
 * conditions, N Z C V, and the shifter operand (ARM ARM A8.4).
 */
#include "arm_internal.h"
#include "../ir/xl_assert.h"
#include "../ir/xl_log.h"

int arm_dreg_num(unsigned r)
{
    return (r >= ARM_REG_D0 && r <= ARM_REG_D31) ? (int)(r - ARM_REG_D0) : -1;
}

int arm_sreg_num(unsigned r)
{
    return (r >= ARM_REG_S0 && r <= ARM_REG_S31) ? (int)(r - ARM_REG_S0) : -1;
}

uint32_t arm_pc_value(const struct arm_ctx *c)
{
    return c->pc + (c->thumb ? 4 : 8);
}

uint32_t arm_pc_aligned(const struct arm_ctx *c)
{
    return arm_pc_value(c) & ~3u;
}

ir_temp arm_read_reg(struct arm_ctx *c, int r)
{
    xl_assert(r >= 0 && r <= 15);
    if (r == 15)
        return ir_const_i32(c->b, arm_pc_value(c));
    return ir_global((enum ir_global)(IR_G_R0 + r));
}

void arm_write_reg(struct arm_ctx *c, int r, ir_temp v)
{
    xl_assert(r >= 0 && r < 15);
    ir_gen_mov_i32(c->b, ir_global((enum ir_global)(IR_G_R0 + r)), v);
}

enum arm_result arm_goto(struct arm_ctx *c, uint32_t target, bool thumb)
{
    struct ir_block *b = c->b;
    ir_gen_movi_i32(b, ir_global(IR_G_PC), target & ~1u);
    if (thumb != c->thumb)
        ir_gen_movi_i32(b, ir_global(IR_G_THUMB), thumb);
    ir_gen_goto_tb(b, (target & ~1u) | thumb);
    return ARM_END;
}

/* BXWritePC: bit 0 selects the state; in ARM state bit 1 must be clear (we clear it). */
enum arm_result arm_write_pc_interwork(struct arm_ctx *c, ir_temp v)
{
    struct ir_block *b = c->b;
    if (ir_is_const(b, v)) {
        uint32_t t = (uint32_t)ir_temp_get(b, v)->val;
        return arm_goto(c, (t & 1) ? t : t & ~3u, t & 1);
    }
    ir_temp t = ir_new_i32(b);
    ir_gen_and_i32(b, ir_global(IR_G_THUMB), v, ir_const_i32(b, 1));
    /* Thumb: clear bit 0; ARM: clear bits 1:0. mask = ~(thumb ? 1 : 3) = ~1 - (2 * !thumb) */
    ir_gen_movcond_i32(b, IR_NE, t, ir_global(IR_G_THUMB), ir_const_i32(b, 0),
                       ir_const_i32(b, ~1u), ir_const_i32(b, ~3u));
    ir_gen_and_i32(b, ir_global(IR_G_PC), v, t);
    ir_gen_goto_ptr(b);
    return ARM_END;
}

enum arm_result arm_write_pc_plain(struct arm_ctx *c, ir_temp v)
{
    struct ir_block *b = c->b;
    uint32_t mask = c->thumb ? ~1u : ~3u;
    if (ir_is_const(b, v))
        return arm_goto(c, (uint32_t)ir_temp_get(b, v)->val & mask, c->thumb);
    ir_gen_and_i32(b, ir_global(IR_G_PC), v, ir_const_i32(b, mask));
    ir_gen_goto_ptr(b);
    return ARM_END;
}

enum arm_result arm_write_pc_alu(struct arm_ctx *c, ir_temp v)
{
    return c->thumb ? arm_write_pc_plain(c, v) : arm_write_pc_interwork(c, v);
}

enum arm_result arm_write_dest(struct arm_ctx *c, int r, ir_temp v)
{
    if (r == 15)
        return arm_write_pc_alu(c, v);
    arm_write_reg(c, r, v);
    return ARM_NEXT;
}

enum arm_result arm_exit(struct arm_ctx *c, enum ir_exit reason, uint32_t resume_pc)
{
    struct ir_block *b = c->b;
    ir_gen_movi_i32(b, ir_global(IR_G_EXIT_PC), c->pc);
    ir_gen_movi_i32(b, ir_global(IR_G_PC), resume_pc);
    ir_gen_exit_tb(b, reason);
    return ARM_END;
}

enum arm_result arm_unimplemented(struct arm_ctx *c)
{
    c->unimp = "unimplemented";
    return ARM_UNDEF;
}

/* ---- Conditions (ARM ARM A8.3), over QEMU's flag form ---- */

void arm_gen_skip_unless(struct arm_ctx *c, enum arm_cond cond, uint32_t label)
{
    struct ir_block *b = c->b;
    ir_temp zero = ir_const_i32(b, 0);
    ir_temp t;
    switch (cond) {
    case ARM_COND_EQ: ir_gen_brcond_i32(b, IR_NE, ir_global(IR_G_ZF), zero, label); return;
    case ARM_COND_NE: ir_gen_brcond_i32(b, IR_EQ, ir_global(IR_G_ZF), zero, label); return;
    case ARM_COND_CS: ir_gen_brcond_i32(b, IR_EQ, ir_global(IR_G_CF), zero, label); return;
    case ARM_COND_CC: ir_gen_brcond_i32(b, IR_NE, ir_global(IR_G_CF), zero, label); return;
    case ARM_COND_MI: ir_gen_brcond_i32(b, IR_GE, ir_global(IR_G_NF), zero, label); return;
    case ARM_COND_PL: ir_gen_brcond_i32(b, IR_LT, ir_global(IR_G_NF), zero, label); return;
    case ARM_COND_VS: ir_gen_brcond_i32(b, IR_GE, ir_global(IR_G_VF), zero, label); return;
    case ARM_COND_VC: ir_gen_brcond_i32(b, IR_LT, ir_global(IR_G_VF), zero, label); return;
    case ARM_COND_HI:   /* C && !Z */
    case ARM_COND_LS:
        t = ir_new_i32(b);
        ir_gen_neg_i32(b, t, ir_global(IR_G_CF));
        ir_gen_and_i32(b, t, t, ir_global(IR_G_ZF));
        ir_gen_brcond_i32(b, cond == ARM_COND_HI ? IR_EQ : IR_NE, t, zero, label);
        return;
    case ARM_COND_GE:   /* N == V */
    case ARM_COND_LT:
        t = ir_new_i32(b);
        ir_gen_xor_i32(b, t, ir_global(IR_G_NF), ir_global(IR_G_VF));
        ir_gen_brcond_i32(b, cond == ARM_COND_GE ? IR_LT : IR_GE, t, zero, label);
        return;
    case ARM_COND_GT:   /* !Z && N == V */
    case ARM_COND_LE:
        t = ir_new_i32(b);
        ir_gen_xor_i32(b, t, ir_global(IR_G_NF), ir_global(IR_G_VF));
        ir_gen_sar_i32(b, t, t, ir_const_i32(b, 31));
        ir_gen_andc_i32(b, t, ir_global(IR_G_ZF), t);
        ir_gen_brcond_i32(b, cond == ARM_COND_GT ? IR_EQ : IR_NE, t, zero, label);
        return;
    case ARM_COND_AL:
        return;
    }
    xl_unreachable();
}

ir_temp arm_gen_cond_value(struct arm_ctx *c, enum arm_cond cond)
{
    struct ir_block *b = c->b;
    ir_temp v = ir_new_i32(b);
    uint32_t skip = ir_new_label(b);
    ir_gen_movi_i32(b, v, 0);
    arm_gen_skip_unless(c, cond, skip);
    ir_gen_movi_i32(b, v, 1);
    ir_gen_set_label(b, skip);
    return v;
}

/* ---- Flags ---- */

void arm_set_nz(struct arm_ctx *c, ir_temp result)
{
    ir_gen_mov_i32(c->b, ir_global(IR_G_NF), result);
    ir_gen_mov_i32(c->b, ir_global(IR_G_ZF), result);
}

ir_temp arm_gen_add_cc(struct arm_ctx *c, ir_temp a, ir_temp b_)
{
    struct ir_block *b = c->b;
    ir_temp res = ir_new_i32(b), t = ir_new_i32(b);
    ir_gen_add_i32(b, res, a, b_);
    ir_gen_setcond_i32(b, IR_LTU, ir_global(IR_G_CF), res, a);
    /* V = (res ^ a) & ~(a ^ b) */
    ir_gen_xor_i32(b, t, a, b_);
    ir_gen_xor_i32(b, ir_global(IR_G_VF), res, a);
    ir_gen_andc_i32(b, ir_global(IR_G_VF), ir_global(IR_G_VF), t);
    arm_set_nz(c, res);
    return res;
}

ir_temp arm_gen_adc_cc(struct arm_ctx *c, ir_temp a, ir_temp b_)
{
    struct ir_block *b = c->b;
    ir_temp res = ir_new_i32(b), hi = ir_new_i32(b), t = ir_new_i32(b);
    ir_temp zero = ir_const_i32(b, 0);
    ir_gen_add2_i32(b, res, hi, a, zero, ir_global(IR_G_CF), zero);
    ir_gen_add2_i32(b, res, hi, res, hi, b_, zero);
    ir_gen_xor_i32(b, t, a, b_);
    ir_gen_xor_i32(b, ir_global(IR_G_VF), res, a);
    ir_gen_andc_i32(b, ir_global(IR_G_VF), ir_global(IR_G_VF), t);
    ir_gen_mov_i32(b, ir_global(IR_G_CF), hi);
    arm_set_nz(c, res);
    return res;
}

ir_temp arm_gen_sub_cc(struct arm_ctx *c, ir_temp a, ir_temp b_)
{
    struct ir_block *b = c->b;
    ir_temp res = ir_new_i32(b), t = ir_new_i32(b);
    ir_gen_sub_i32(b, res, a, b_);
    ir_gen_setcond_i32(b, IR_GEU, ir_global(IR_G_CF), a, b_);
    /* V = (a ^ b) & (a ^ res) */
    ir_gen_xor_i32(b, t, a, b_);
    ir_gen_xor_i32(b, ir_global(IR_G_VF), a, res);
    ir_gen_and_i32(b, ir_global(IR_G_VF), ir_global(IR_G_VF), t);
    arm_set_nz(c, res);
    return res;
}

/* a - b - !C == a + ~b + C (AddWithCarry). */
ir_temp arm_gen_sbc_cc(struct arm_ctx *c, ir_temp a, ir_temp b_)
{
    ir_temp nb = ir_new_i32(c->b);
    ir_gen_not_i32(c->b, nb, b_);
    return arm_gen_adc_cc(c, a, nb);
}

/* ---- The shifter operand ---- */

static ir_temp bit_of(struct arm_ctx *c, ir_temp v, unsigned bit)
{
    ir_temp t = ir_new_i32(c->b);
    ir_gen_extract_i32(c->b, t, v, bit, 1);
    return t;
}

ir_temp arm_gen_shift(struct arm_ctx *c, ir_temp v, arm_shifter type, unsigned n,
                      ir_temp *carry)
{
    struct ir_block *b = c->b;
    ir_temp res = ir_new_i32(b);
    switch (type) {
    case ARM_SFT_INVALID:
        if (carry)
            *carry = ir_global(IR_G_CF);
        return v;
    case ARM_SFT_LSL:
        if (n == 0) {
            if (carry)
                *carry = ir_global(IR_G_CF);
            return v;
        }
        if (carry)
            *carry = n <= 32 ? bit_of(c, v, 32 - n) : ir_const_i32(b, 0);
        if (n >= 32)
            return ir_const_i32(b, 0);
        ir_gen_shl_i32(b, res, v, ir_const_i32(b, n));
        return res;
    case ARM_SFT_LSR:
        if (n == 0)
            n = 32;
        if (carry)
            *carry = bit_of(c, v, n - 1);
        if (n >= 32)
            return ir_const_i32(b, 0);
        ir_gen_shr_i32(b, res, v, ir_const_i32(b, n));
        return res;
    case ARM_SFT_ASR:
        if (n == 0 || n > 32)
            n = 32;
        if (carry)
            *carry = bit_of(c, v, n - 1);
        ir_gen_sar_i32(b, res, v, ir_const_i32(b, n == 32 ? 31 : n));
        return res;
    case ARM_SFT_ROR:
        if (n == 0)
            return arm_gen_shift(c, v, ARM_SFT_RRX, 1, carry);
        ir_gen_rotr_i32(b, res, v, ir_const_i32(b, n & 31));
        if (carry)
            *carry = bit_of(c, v, (n - 1) & 31);
        return res;
    case ARM_SFT_RRX: {
        ir_temp t = ir_new_i32(b);
        if (carry)
            *carry = bit_of(c, v, 0);
        ir_gen_shr_i32(b, res, v, ir_const_i32(b, 1));
        ir_gen_shl_i32(b, t, ir_global(IR_G_CF), ir_const_i32(b, 31));
        ir_gen_or_i32(b, res, res, t);
        return res;
    }
    case ARM_SFT_ASR_REG:
    case ARM_SFT_LSL_REG:
    case ARM_SFT_LSR_REG:
    case ARM_SFT_ROR_REG:
    case ARM_SFT_RRX_REG:
        break;
    }
    /* Shift by register: the amount is the bottom byte of Rs. */
    ir_temp amt = ir_new_i32(b), t = ir_new_i32(b);
    ir_temp zero = ir_const_i32(b, 0);
    ir_gen_ext8u_i32(b, amt, arm_read_reg(c, xl_reg_num(n)));
    switch (type) {
    case ARM_SFT_LSL_REG:
        ir_gen_shl_i32(b, t, v, amt);
        ir_gen_movcond_i32(b, IR_GEU, res, amt, ir_const_i32(b, 32), zero, t);
        break;
    case ARM_SFT_LSR_REG:
        ir_gen_shr_i32(b, t, v, amt);
        ir_gen_movcond_i32(b, IR_GEU, res, amt, ir_const_i32(b, 32), zero, t);
        break;
    case ARM_SFT_ASR_REG:
        ir_gen_movcond_i32(b, IR_GTU, t, amt, ir_const_i32(b, 31), ir_const_i32(b, 31), amt);
        ir_gen_sar_i32(b, res, v, t);
        break;
    case ARM_SFT_ROR_REG:
    case ARM_SFT_RRX_REG:
        ir_gen_rotr_i32(b, res, v, amt);    /* the count is taken modulo 32 */
        break;
    default:
        xl_unreachable();
    }
    if (!carry)
        return res;
    /* Carry out for amounts 1..255; amount 0 keeps C. */
    ir_temp c64 = ir_new_i64(b), v64 = ir_new_i64(b), a64 = ir_new_i64(b), co = ir_new_i32(b);
    ir_temp clamped = ir_new_i32(b);
    switch (type) {
    case ARM_SFT_LSL_REG:   /* bit 0 of ((u64)v << min(amt, 33)) >> 32 */
        ir_gen_movcond_i32(b, IR_GTU, clamped, amt, ir_const_i32(b, 33), ir_const_i32(b, 33), amt);
        ir_gen_extu_i32_i64(b, v64, v);
        ir_gen_extu_i32_i64(b, a64, clamped);
        ir_gen_shl_i64(b, c64, v64, a64);
        ir_gen_extrh_i64_i32(b, co, c64);
        ir_gen_and_i32(b, co, co, ir_const_i32(b, 1));
        break;
    case ARM_SFT_LSR_REG:   /* bit 0 of (u64)v >> (min(amt, 33) - 1) */
    case ARM_SFT_ASR_REG:   /* bit 0 of (s64)v >> (min(amt, 32) - 1) */
        if (type == ARM_SFT_LSR_REG) {
            ir_gen_movcond_i32(b, IR_GTU, clamped, amt, ir_const_i32(b, 33), ir_const_i32(b, 33),
                               amt);
            ir_gen_extu_i32_i64(b, v64, v);
        } else {
            ir_gen_movcond_i32(b, IR_GTU, clamped, amt, ir_const_i32(b, 32), ir_const_i32(b, 32),
                               amt);
            ir_gen_ext_i32_i64(b, v64, v);
        }
        ir_gen_addi_i32(b, clamped, clamped, (uint32_t)-1);
        ir_gen_extu_i32_i64(b, a64, clamped);
        ir_gen_shr_i64(b, c64, v64, a64);
        ir_gen_extrl_i64_i32(b, co, c64);
        ir_gen_and_i32(b, co, co, ir_const_i32(b, 1));
        break;
    default:                /* ROR: the carry is bit 31 of the result */
        ir_gen_shr_i32(b, co, res, ir_const_i32(b, 31));
        break;
    }
    ir_temp cout = ir_new_i32(b);
    ir_gen_movcond_i32(b, IR_EQ, cout, amt, zero, ir_global(IR_G_CF), co);
    *carry = cout;
    return res;
}

/* Whether the immediate of this insn is a rotated modified immediate, whose carry-out is
   its bit 31 (A32 ARMExpandImm_C with rotation != 0; T32 ThumbExpandImm_C with
   imm12<11:10> != 00). Otherwise the carry is unchanged. */
static bool imm_sets_carry(const struct arm_ctx *c)
{
    uint32_t raw = c->insn->raw;
    if (!c->thumb)
        return ((raw >> 25) & 7) == 1 && ((raw >> 8) & 0xf) != 0;
    if (c->insn->size != 4)
        return false;
    if ((raw & 0xfa008000) != 0xf0000000)   /* T32 data processing (modified immediate) */
        return false;
    return ((raw >> 26) & 1) || ((raw >> 14) & 1);  /* i or imm3<2> */
}

ir_temp arm_operand2(struct arm_ctx *c, unsigned i, ir_temp *carry)
{
    const cs_arm_op *op = arm_op(c, i);
    struct ir_block *b = c->b;
    if (op->type == ARM_OP_IMM || op->type == ARM_OP_PIMM || op->type == ARM_OP_CIMM) {
        uint32_t v = (uint32_t)op->imm;
        /* Capstone shows an A32 modified immediate it cannot print canonically (such as
           #0 rotated by 12) as two operands: imm8 and the rotation. */
        if (i + 1 < arm_nops(c) && arm_op(c, i + 1)->type == ARM_OP_IMM) {
            unsigned rot = (unsigned)arm_op(c, i + 1)->imm & 31;
            v = rot ? (v >> rot) | (v << (32 - rot)) : v;
        }
        if (carry)
            *carry = imm_sets_carry(c) ? ir_const_i32(b, v >> 31) : ir_global(IR_G_CF);
        return ir_const_i32(b, v);
    }
    xl_assert(op->type == ARM_OP_REG);
    ir_temp v = arm_read_reg(c, xl_reg_num(op->reg));
    return arm_gen_shift(c, v, op->shift.type, op->shift.value, carry);
}
