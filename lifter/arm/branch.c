/*
 * Branches (ARM ARM A5.1, A6.3.4): b, bl, blx, bx, cbz/cbnz, tbb/tbh. Capstone gives
 * immediate branch targets as absolute addresses.
 */
#include "arm_internal.h"

static bool imm_target(const struct arm_ctx *c, uint32_t *target)
{
    if (arm_nops(c) != 1)
        return false;
    const cs_arm_op *op = arm_op(c, 0);
    if (op->type != ARM_OP_IMM && op->type != ARM_OP_PIMM)
        return false;
    *target = (uint32_t)op->imm;
    return true;
}

/* The return address with the caller's state in bit 0. */
static void set_lr(struct arm_ctx *c)
{
    arm_write_reg(c, 14, ir_const_i32(c->b, c->next_pc | c->thumb));
}

static enum arm_result trans_B(struct arm_ctx *c)
{
    uint32_t t;
    if (!imm_target(c, &t))
        return ARM_UNDEF;
    return arm_goto(c, t, c->thumb);
}

static enum arm_result trans_BL(struct arm_ctx *c)
{
    uint32_t t;
    if (!imm_target(c, &t))
        return ARM_UNDEF;
    set_lr(c);
    return arm_goto(c, t, c->thumb);
}

static enum arm_result trans_BX(struct arm_ctx *c)
{
    if (arm_nops(c) != 1 || arm_op(c, 0)->type != ARM_OP_REG)
        return ARM_UNDEF;
    int rm = xl_reg_num(arm_op(c, 0)->reg);
    if (rm < 0)
        return ARM_UNDEF;
    return arm_write_pc_interwork(c, arm_read_reg(c, rm));
}

/* blx imm switches state; blx Rm interworks on bit 0. */
static enum arm_result trans_BLX(struct arm_ctx *c)
{
    uint32_t t;
    if (imm_target(c, &t)) {
        set_lr(c);
        return c->thumb ? arm_goto(c, t & ~3u, false) : arm_goto(c, t | 1, true);
    }
    if (arm_nops(c) != 1 || arm_op(c, 0)->type != ARM_OP_REG)
        return ARM_UNDEF;
    int rm = xl_reg_num(arm_op(c, 0)->reg);
    if (rm < 0 || rm == 15)
        return ARM_UNDEF;
    ir_temp v = ir_new_i32(c->b);
    ir_gen_mov_i32(c->b, v, arm_read_reg(c, rm));   /* blx lr reads lr before writing it */
    set_lr(c);
    return arm_write_pc_interwork(c, v);
}

static enum arm_result cbz(struct arm_ctx *c, bool nonzero)
{
    if (arm_nops(c) != 2 || arm_op(c, 0)->type != ARM_OP_REG || arm_op(c, 1)->type != ARM_OP_IMM)
        return ARM_UNDEF;
    int rn = xl_reg_num(arm_op(c, 0)->reg);
    if (rn < 0)
        return ARM_UNDEF;
    uint32_t not_taken = ir_new_label(c->b);
    ir_gen_brcond_i32(c->b, nonzero ? IR_EQ : IR_NE, arm_read_reg(c, rn),
                      ir_const_i32(c->b, 0), not_taken);
    arm_goto(c, (uint32_t)arm_op(c, 1)->imm, true);
    ir_gen_set_label(c->b, not_taken);
    return arm_goto(c, c->next_pc, true);
}

static enum arm_result trans_CBZ(struct arm_ctx *c) { return cbz(c, false); }
static enum arm_result trans_CBNZ(struct arm_ctx *c) { return cbz(c, true); }

/* tbb [Rn, Rm] / tbh [Rn, Rm, lsl #1]: pc = PC + 2 * table entry. */
static enum arm_result table_branch(struct arm_ctx *c, bool half)
{
    if (arm_nops(c) != 1 || arm_op(c, 0)->type != ARM_OP_MEM)
        return ARM_UNDEF;
    const arm_op_mem *m = &arm_op(c, 0)->mem;
    int rn = xl_reg_num(m->base), rm = xl_reg_num(m->index);
    if (rn < 0 || rm < 0)
        return ARM_UNDEF;
    struct ir_block *b = c->b;
    ir_temp addr = ir_new_i32(b), off = ir_new_i32(b);
    if (half) {
        ir_gen_shl_i32(b, addr, arm_read_reg(c, rm), ir_const_i32(b, 1));
        ir_gen_add_i32(b, addr, addr, arm_read_reg(c, rn));
    } else {
        ir_gen_add_i32(b, addr, arm_read_reg(c, rn), arm_read_reg(c, rm));
    }
    ir_gen_ld_i32(b, off, addr, half ? IR_MO_16 : IR_MO_8);
    ir_gen_shl_i32(b, off, off, ir_const_i32(b, 1));
    ir_gen_add_i32(b, ir_global(IR_G_PC), off, ir_const_i32(b, arm_pc_value(c)));
    ir_gen_goto_ptr(b);
    return ARM_END;
}

static enum arm_result trans_TBB(struct arm_ctx *c) { return table_branch(c, false); }
static enum arm_result trans_TBH(struct arm_ctx *c) { return table_branch(c, true); }

const struct arm_handler_entry arm_branch_handlers[] = {
    { ARM_INS_B, trans_B }, { ARM_INS_BL, trans_BL }, { ARM_INS_BX, trans_BX },
    { ARM_INS_BXJ, trans_BX }, { ARM_INS_BLX, trans_BLX }, { ARM_INS_CBZ, trans_CBZ },
    { ARM_INS_CBNZ, trans_CBNZ }, { ARM_INS_TBB, trans_TBB }, { ARM_INS_TBH, trans_TBH },
    { 0, NULL },
};
