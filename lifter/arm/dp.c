/*
 * Data processing (ARM ARM A5.2 / A6.3): arithmetic and logic with every shifter operand,
 * moves, compares, shifts written as insns, movw/movt, adr.
 *
 * Capstone shapes: 3 operands (Rd, Rn, op2), the Thumb 2-operand forms (Rd, op2 meaning
 * Rd = Rd op op2), compares (Rn, op2) and moves (Rd, op2).
 */
#include "arm_internal.h"

enum dp_kind {
    DP_AND, DP_EOR, DP_ORR, DP_ORN, DP_BIC,         /* logical: flags N Z C(shifter) */
    DP_ADD, DP_ADC, DP_SUB, DP_SBC, DP_RSB, DP_RSC, /* arithmetic: N Z C V */
};

static bool is_logical(enum dp_kind k) { return k <= DP_BIC; }

/* The first source operand: Rn. In Thumb an immediate add/sub from the pc (ADR) sees
   Align(PC, 4); register forms see PC + 4. */
static ir_temp read_rn(struct arm_ctx *c, unsigned i, bool imm_form)
{
    int r = xl_reg_num(arm_op(c, i)->reg);
    if (r == 15 && c->thumb && imm_form)
        return ir_const_i32(c->b, arm_pc_aligned(c));
    return arm_read_reg(c, r);
}

static bool op_is_imm(const cs_arm_op *op)
{
    return op->type == ARM_OP_IMM || op->type == ARM_OP_PIMM || op->type == ARM_OP_CIMM;
}

/* Operand count with a split modified immediate (imm8, rotation) counted as one. */
static unsigned dp_nops(const struct arm_ctx *c)
{
    unsigned n = arm_nops(c);
    if (n >= 3 && op_is_imm(arm_op(c, n - 1)) && op_is_imm(arm_op(c, n - 2)))
        n--;
    return n;
}

static ir_temp compute(struct arm_ctx *c, enum dp_kind k, ir_temp a, ir_temp v, bool s)
{
    struct ir_block *b = c->b;
    ir_temp r = ir_new_i32(b);
    switch (k) {
    case DP_AND: ir_gen_and_i32(b, r, a, v); break;
    case DP_EOR: ir_gen_xor_i32(b, r, a, v); break;
    case DP_ORR: ir_gen_or_i32(b, r, a, v); break;
    case DP_BIC: ir_gen_andc_i32(b, r, a, v); break;
    case DP_ORN: {
        ir_temp n = ir_new_i32(b);
        ir_gen_not_i32(b, n, v);
        ir_gen_or_i32(b, r, a, n);
        break;
    }
    case DP_ADD:
        if (s)
            return arm_gen_add_cc(c, a, v);
        ir_gen_add_i32(b, r, a, v);
        break;
    case DP_SUB:
        if (s)
            return arm_gen_sub_cc(c, a, v);
        ir_gen_sub_i32(b, r, a, v);
        break;
    case DP_RSB:
        if (s)
            return arm_gen_sub_cc(c, v, a);
        ir_gen_sub_i32(b, r, v, a);
        break;
    case DP_ADC:
        if (s)
            return arm_gen_adc_cc(c, a, v);
        ir_gen_add_i32(b, r, a, v);
        ir_gen_add_i32(b, r, r, ir_global(IR_G_CF));
        break;
    case DP_SBC:
    case DP_RSC: {
        ir_temp x = k == DP_SBC ? a : v, y = k == DP_SBC ? v : a;
        if (s)
            return arm_gen_sbc_cc(c, x, y);
        /* x - y - !C == x + ~y + C */
        ir_temp n = ir_new_i32(b);
        ir_gen_not_i32(b, n, y);
        ir_gen_add_i32(b, r, x, n);
        ir_gen_add_i32(b, r, r, ir_global(IR_G_CF));
        break;
    }
    }
    return r;
}

static enum arm_result dp(struct arm_ctx *c, enum dp_kind k)
{
    unsigned n = dp_nops(c);
    bool s = arm_sets_flags(c);
    if (n < 2 || n > 3 || arm_op(c, 0)->type != ARM_OP_REG)
        return ARM_UNDEF;
    int rd = xl_reg_num(arm_op(c, 0)->reg);
    if (rd < 0)
        return ARM_UNDEF;
    unsigned src2 = n - 1;
    bool imm = op_is_imm(arm_op(c, src2));
    ir_temp a = n == 3 ? read_rn(c, 1, imm) : arm_read_reg(c, rd);
    ir_temp carry = 0;
    ir_temp v = arm_operand2(c, src2, (s && is_logical(k)) ? &carry : NULL);
    ir_temp r = compute(c, k, a, v, s);
    if (s && is_logical(k)) {
        arm_set_nz(c, r);
        if (carry != ir_global(IR_G_CF))
            ir_gen_mov_i32(c->b, ir_global(IR_G_CF), carry);
    }
    if (rd == 15 && s)
        return arm_unimplemented(c);    /* SUBS pc, lr (exception return): not in user mode */
    return arm_write_dest(c, rd, r);
}

/* Compares: flags only. */
static enum arm_result cmp(struct arm_ctx *c, enum dp_kind k)
{
    if (dp_nops(c) != 2 || arm_op(c, 0)->type != ARM_OP_REG)
        return ARM_UNDEF;
    ir_temp a = read_rn(c, 0, false);
    ir_temp carry = 0;
    ir_temp v = arm_operand2(c, 1, is_logical(k) ? &carry : NULL);
    ir_temp r = ir_new_i32(c->b);
    switch (k) {
    case DP_SUB: arm_gen_sub_cc(c, a, v); return ARM_NEXT;
    case DP_ADD: arm_gen_add_cc(c, a, v); return ARM_NEXT;
    case DP_AND: ir_gen_and_i32(c->b, r, a, v); break;
    case DP_EOR: ir_gen_xor_i32(c->b, r, a, v); break;
    default: return ARM_UNDEF;
    }
    arm_set_nz(c, r);
    if (carry != ir_global(IR_G_CF))
        ir_gen_mov_i32(c->b, ir_global(IR_G_CF), carry);
    return ARM_NEXT;
}

static enum arm_result mov(struct arm_ctx *c, bool invert)
{
    if (dp_nops(c) != 2 || arm_op(c, 0)->type != ARM_OP_REG)
        return ARM_UNDEF;
    int rd = xl_reg_num(arm_op(c, 0)->reg);
    bool s = arm_sets_flags(c);
    ir_temp carry = 0;
    ir_temp v = arm_operand2(c, 1, s ? &carry : NULL);
    if (invert) {
        ir_temp t = ir_new_i32(c->b);
        ir_gen_not_i32(c->b, t, v);
        v = t;
    }
    if (s) {
        if (rd == 15)
            return arm_unimplemented(c);
        ir_temp r = ir_new_i32(c->b);
        ir_gen_mov_i32(c->b, r, v);
        arm_set_nz(c, r);
        if (carry != ir_global(IR_G_CF))
            ir_gen_mov_i32(c->b, ir_global(IR_G_CF), carry);
        v = r;
    }
    if (rd < 0)
        return ARM_UNDEF;
    return arm_write_dest(c, rd, v);
}

/* lsl/lsr/asr/ror/rrx written as insns: Rd, Rm, (imm | Rs), or Thumb's Rd, (imm | Rs). */
static enum arm_result shift_insn(struct arm_ctx *c, arm_shifter imm_type, arm_shifter reg_type)
{
    unsigned n = arm_nops(c);
    bool s = arm_sets_flags(c);
    if (n < 2 || n > 3 || arm_op(c, 0)->type != ARM_OP_REG)
        return ARM_UNDEF;
    /* A32 `lsr r3, r3, #3` comes as Rd, Rm with the shift attached: a MOV (register). */
    if (n == 2 && arm_op(c, 1)->shift.type != ARM_SFT_INVALID)
        return mov(c, false);
    int rd = xl_reg_num(arm_op(c, 0)->reg);
    int rm = imm_type == ARM_SFT_RRX || n == 3 ? xl_reg_num(arm_op(c, 1)->reg) : rd;
    if (rd < 0 || rm < 0)
        return ARM_UNDEF;
    ir_temp v = arm_read_reg(c, rm), carry = 0, r;
    if (imm_type == ARM_SFT_RRX) {
        r = arm_gen_shift(c, v, ARM_SFT_RRX, 1, s ? &carry : NULL);
    } else {
        const cs_arm_op *amt = arm_op(c, n - 1);
        if (op_is_imm(amt)) {
            unsigned k = (unsigned)amt->imm;
            if (k == 0 && imm_type == ARM_SFT_ROR)
                return ARM_UNDEF;
            r = (k == 0 && imm_type == ARM_SFT_LSL)
                    ? arm_gen_shift(c, v, ARM_SFT_INVALID, 0, s ? &carry : NULL)
                    : arm_gen_shift(c, v, imm_type, k, s ? &carry : NULL);
        } else if (amt->type == ARM_OP_REG) {
            r = arm_gen_shift(c, v, reg_type, amt->reg, s ? &carry : NULL);
        } else {
            return ARM_UNDEF;
        }
    }
    if (s) {
        ir_temp t = ir_new_i32(c->b);
        ir_gen_mov_i32(c->b, t, r);
        arm_set_nz(c, t);
        if (carry != ir_global(IR_G_CF))
            ir_gen_mov_i32(c->b, ir_global(IR_G_CF), carry);
        r = t;
    }
    return arm_write_dest(c, rd, r);
}

static enum arm_result trans_MOVW(struct arm_ctx *c)
{
    if (arm_nops(c) != 2 || !op_is_imm(arm_op(c, 1)))
        return ARM_UNDEF;
    int rd = xl_reg_num(arm_op(c, 0)->reg);
    if (rd < 0 || rd == 15)
        return ARM_UNDEF;
    arm_write_reg(c, rd, ir_const_i32(c->b, (uint32_t)arm_op(c, 1)->imm & 0xffff));
    return ARM_NEXT;
}

static enum arm_result trans_MOVT(struct arm_ctx *c)
{
    if (arm_nops(c) != 2 || !op_is_imm(arm_op(c, 1)))
        return ARM_UNDEF;
    int rd = xl_reg_num(arm_op(c, 0)->reg);
    if (rd < 0 || rd == 15)
        return ARM_UNDEF;
    ir_temp t = ir_new_i32(c->b);
    ir_gen_deposit_i32(c->b, t, arm_read_reg(c, rd),
                       ir_const_i32(c->b, (uint32_t)arm_op(c, 1)->imm & 0xffff), 16, 16);
    arm_write_reg(c, rd, t);
    return ARM_NEXT;
}

/* Thumb ADR: Rd, offset from Align(PC, 4) (capstone gives the offset, already signed). */
static enum arm_result trans_ADR(struct arm_ctx *c)
{
    if (arm_nops(c) != 2 || !op_is_imm(arm_op(c, 1)))
        return ARM_UNDEF;
    int rd = xl_reg_num(arm_op(c, 0)->reg);
    if (rd < 0)
        return ARM_UNDEF;
    uint32_t v = arm_pc_aligned(c) + (uint32_t)arm_op(c, 1)->imm;
    return arm_write_dest(c, rd, ir_const_i32(c->b, v));
}

#define DP_HANDLER(NAME, kind) \
    static enum arm_result trans_##NAME(struct arm_ctx *c) { return dp(c, kind); }
DP_HANDLER(AND, DP_AND) DP_HANDLER(EOR, DP_EOR) DP_HANDLER(ORR, DP_ORR)
DP_HANDLER(ORN, DP_ORN) DP_HANDLER(BIC, DP_BIC) DP_HANDLER(ADD, DP_ADD)
DP_HANDLER(ADC, DP_ADC) DP_HANDLER(SUB, DP_SUB) DP_HANDLER(SBC, DP_SBC)
DP_HANDLER(RSB, DP_RSB) DP_HANDLER(RSC, DP_RSC)
#undef DP_HANDLER

#define CMP_HANDLER(NAME, kind) \
    static enum arm_result trans_##NAME(struct arm_ctx *c) { return cmp(c, kind); }
CMP_HANDLER(CMP, DP_SUB) CMP_HANDLER(CMN, DP_ADD) CMP_HANDLER(TST, DP_AND)
CMP_HANDLER(TEQ, DP_EOR)
#undef CMP_HANDLER

static enum arm_result trans_MOV(struct arm_ctx *c) { return mov(c, false); }
static enum arm_result trans_MVN(struct arm_ctx *c) { return mov(c, true); }

#define SHIFT_HANDLER(NAME, imm, reg) \
    static enum arm_result trans_##NAME(struct arm_ctx *c) { return shift_insn(c, imm, reg); }
SHIFT_HANDLER(LSL, ARM_SFT_LSL, ARM_SFT_LSL_REG) SHIFT_HANDLER(LSR, ARM_SFT_LSR, ARM_SFT_LSR_REG)
SHIFT_HANDLER(ASR, ARM_SFT_ASR, ARM_SFT_ASR_REG) SHIFT_HANDLER(ROR, ARM_SFT_ROR, ARM_SFT_ROR_REG)
SHIFT_HANDLER(RRX, ARM_SFT_RRX, ARM_SFT_RRX)
#undef SHIFT_HANDLER

const struct arm_handler_entry arm_dp_handlers[] = {
    { ARM_INS_AND, trans_AND }, { ARM_INS_EOR, trans_EOR }, { ARM_INS_ORR, trans_ORR },
    { ARM_INS_ORN, trans_ORN }, { ARM_INS_BIC, trans_BIC }, { ARM_INS_ADD, trans_ADD },
    { ARM_INS_ADDW, trans_ADD }, { ARM_INS_ADC, trans_ADC }, { ARM_INS_SUB, trans_SUB },
    { ARM_INS_SUBW, trans_SUB }, { ARM_INS_SBC, trans_SBC }, { ARM_INS_RSB, trans_RSB },
    { ARM_INS_RSC, trans_RSC }, { ARM_INS_CMP, trans_CMP }, { ARM_INS_CMN, trans_CMN },
    { ARM_INS_TST, trans_TST }, { ARM_INS_TEQ, trans_TEQ }, { ARM_INS_MOV, trans_MOV },
    { ARM_INS_MVN, trans_MVN }, { ARM_INS_LSL, trans_LSL }, { ARM_INS_LSR, trans_LSR },
    { ARM_INS_ASR, trans_ASR }, { ARM_INS_ROR, trans_ROR }, { ARM_INS_RRX, trans_RRX },
    { ARM_INS_MOVW, trans_MOVW }, { ARM_INS_MOVT, trans_MOVT }, { ARM_INS_ADR, trans_ADR },
    { 0, NULL },
};
