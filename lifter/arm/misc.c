/* System-ish insns a user-mode program runs: svc, barriers, hints, the TLS register,
   breakpoints, and IT (whose state the decoder tracks). */
#include "arm_internal.h"

static enum arm_result trans_SVC(struct arm_ctx *c)
{
    return arm_exit(c, IR_EXIT_SYSCALL, c->next_pc);
}

static enum arm_result trans_NOP(struct arm_ctx *c)
{
    (void)c;
    return ARM_NEXT;
}

/* dmb/dsb: x86's ordering (TSO) already gives what user code can observe of dmb except
   store-load ordering, so a full fence (mfence in both backends) keeps it exact between
   guest threads. isb only resynchronizes the instruction stream: nothing to do here, as
   code changes reach the translator through cacheflush or the write protection of code
   pages (design: "a fence only where x86 needs one"). */
static enum arm_result trans_barrier(struct arm_ctx *c)
{
    ir_gen_mb(c->b);
    return ARM_NEXT;
}

static enum arm_result trans_BKPT(struct arm_ctx *c)
{
    return arm_exit(c, IR_EXIT_BKPT, c->pc);
}

static enum arm_result trans_UDF(struct arm_ctx *c)
{
    (void)c;
    return ARM_UNDEF;
}

/* mrc p15, 0, Rt, c13, c0, 3 reads TPIDRURO; nothing else of CP15 is user-visible here. */
static enum arm_result trans_MRC(struct arm_ctx *c)
{
    if (arm_nops(c) != 6)
        return ARM_UNDEF;
    int32_t cp = arm_op(c, 0)->imm, opc1 = arm_op(c, 1)->imm, crn = arm_op(c, 3)->imm;
    int32_t crm = arm_op(c, 4)->imm, opc2 = arm_op(c, 5)->imm;
    int rt = xl_reg_num(arm_op(c, 2)->reg);
    if (cp == 15 && opc1 == 0 && crn == 13 && crm == 0 && opc2 == 3 && rt >= 0 && rt < 15) {
        arm_write_reg(c, rt, ir_global(IR_G_TPIDRURO));
        return ARM_NEXT;
    }
    return arm_unimplemented(c);
}

static enum arm_result trans_IT(struct arm_ctx *c)
{
    (void)c;
    return ARM_NEXT;
}

const struct arm_handler_entry arm_misc_handlers[] = {
    { ARM_INS_SVC, trans_SVC }, { ARM_INS_NOP, trans_NOP }, { ARM_INS_YIELD, trans_NOP },
    { ARM_INS_HINT, trans_NOP }, { ARM_INS_DBG, trans_NOP }, { ARM_INS_SEV, trans_NOP },
    { ARM_INS_WFE, trans_NOP }, { ARM_INS_WFI, trans_NOP },
    { ARM_INS_DMB, trans_barrier }, { ARM_INS_DSB, trans_barrier },
    { ARM_INS_ISB, trans_NOP }, { ARM_INS_BKPT, trans_BKPT }, { ARM_INS_UDF, trans_UDF },
    { ARM_INS_TRAP, trans_UDF }, { ARM_INS_MRC, trans_MRC }, { ARM_INS_IT, trans_IT },
    { 0, NULL },
};
