/*
 * Shared by the ARM semantics files: the translation context, the handler tables and the
 * small pieces every instruction class uses (registers, conditions, flags, the shifter
 * operand, branches). Semantics call only the µIR builder.
 */
#ifndef XL_ARM_INTERNAL_H
#define XL_ARM_INTERNAL_H

#include <capstone/capstone.h>

#include "arm.h"
#include "../decode/decode.h"
#include "../ir/ir.h"
#include "../helpers/helpers.h"

/* What a handler did. */
enum arm_result {
    ARM_NEXT,       /* fall through to the next insn */
    ARM_END,        /* the insn ended the block on its own path(s) (branch, pc write, svc) */
    ARM_UNDEF,      /* not a valid or not an implemented insn: the guest gets SIGILL */
};

struct arm_ctx {
    struct ir_block *b;
    const struct xl_insn *insn;
    uint32_t pc;            /* address of the insn */
    uint32_t next_pc;       /* address of the next insn */
    bool thumb;
    const char *unimp;      /* set by a handler that returns ARM_UNDEF for a valid insn it does
                               not implement: the log line names it */
};

typedef enum arm_result (*arm_handler)(struct arm_ctx *c);

/* A handler table: capstone insn id → handler; each class file has one, ended by {0}. */
struct arm_handler_entry {
    unsigned id;            /* ARM_INS_* */
    arm_handler fn;
};
extern const struct arm_handler_entry arm_dp_handlers[];     /* dp.c: data processing */
extern const struct arm_handler_entry arm_branch_handlers[]; /* branch.c */
extern const struct arm_handler_entry arm_misc_handlers[];   /* misc.c: svc, barriers, mrc */
extern const struct arm_handler_entry arm_mem_handlers[];    /* mem.c: loads, stores */
extern const struct arm_handler_entry arm_mul_handlers[];    /* mul.c: multiplies, divide */
extern const struct arm_handler_entry arm_bits_handlers[];   /* bits.c: bitfields, extend,
                                                                saturate, parallel add */
extern const struct arm_handler_entry arm_vfp_handlers[];    /* vfp.c */
extern const struct arm_handler_entry arm_neon_handlers[];   /* neon.c: VDUP from a core
                                                                register */
/* mem.c: exits with IR_EXIT_ALIGN (the guest's SIGBUS, the address in excl_addr, as an
   exception clears the monitor) unless addr is a multiple of `bytes`, a power of two. */
void arm_check_align(struct arm_ctx *c, ir_temp addr, uint32_t bytes);
/* neon.c: the Advanced SIMD encoding spaces (data processing, element loads and stores),
   which arm_neon translates whatever capstone calls the insn. */
bool arm_neon_encoding(const struct xl_insn *insn);
enum arm_result arm_neon(struct arm_ctx *c);

/* Operands. */
static inline const cs_arm_op *arm_op(const struct arm_ctx *c, unsigned i)
{
    return &c->insn->arm->operands[i];
}
static inline unsigned arm_nops(const struct arm_ctx *c) { return c->insn->arm->op_count; }
/* Whether a data-processing or multiply insn sets the flags (setflags in the ARM ARM
   pseudocode). Capstone's update_flags is not usable: it is set for every ADC/SBC/RSC
   (they read C), S bit or not. A32 and 32-bit T32 encodings carry S in bit 20; 16-bit T32
   ALU insns set flags only outside an IT block (setflags = !InITBlock()), and the forms
   without S (mov/add with a high register, add sp/pc) capstone reports correctly. */
static inline bool arm_sets_flags(const struct arm_ctx *c)
{
    if (!c->thumb || c->insn->size == 4)
        return (c->insn->raw >> 20) & 1;
    return c->insn->arm->update_flags && !c->insn->in_it;
}

/* Capstone register → D register number 0..31 (S registers: -1), and S register 0..31. */
int arm_dreg_num(unsigned cs_reg);
int arm_sreg_num(unsigned cs_reg);

/* Reads core register r. The temp returned IS the global (or a constant for r15), so a
   handler computes everything it needs before it writes any register. r15 reads as the insn address + 8 (A32) or + 4 (T32). */
ir_temp arm_read_reg(struct arm_ctx *c, int r);
/* The pc value as A32/T32 insns see it, Align(PC, 4) for literal/ADR use in Thumb. */
uint32_t arm_pc_value(const struct arm_ctx *c);
uint32_t arm_pc_aligned(const struct arm_ctx *c);
/* Writes v (i32) to core register r, r != 15. */
void arm_write_reg(struct arm_ctx *c, int r, ir_temp v);

/* pc writes end the block. Interworking (BXWritePC / LoadWritePC): bit 0 selects Thumb.
   Plain (BranchWritePC): stays in the current state. Both return ARM_END. */
enum arm_result arm_write_pc_interwork(struct arm_ctx *c, ir_temp v);
enum arm_result arm_write_pc_plain(struct arm_ctx *c, ir_temp v);
/* ALU ops writing the pc: interworking in A32 (ARMv7 ALUWritePC), plain in T32. */
enum arm_result arm_write_pc_alu(struct arm_ctx *c, ir_temp v);
/* A direct jump to a known target (with the given state); ends the block. */
enum arm_result arm_goto(struct arm_ctx *c, uint32_t target, bool thumb);
/* Ends the block with an exit to the runtime; the pc is set to next_pc (svc) or pc. */
enum arm_result arm_exit(struct arm_ctx *c, enum ir_exit reason, uint32_t resume_pc);

/* Writes a value to a core register from an operand index, handling pc: returns ARM_NEXT
   or the pc write's ARM_END (ALU semantics). */
enum arm_result arm_write_dest(struct arm_ctx *c, int r, ir_temp v);

/* Conditions: emits a branch to `label` taken when cond does NOT hold. */
void arm_gen_skip_unless(struct arm_ctx *c, enum arm_cond cond, uint32_t label);
/* Evaluates cond into a new i32 temp that is 1 when it holds. */
ir_temp arm_gen_cond_value(struct arm_ctx *c, enum arm_cond cond);

/* Flags (QEMU's form, globals.def). */
void arm_set_nz(struct arm_ctx *c, ir_temp result);
/* res = a + b (+ carry-in when carry_in != ~0u), setting N Z C V. Returns res. */
ir_temp arm_gen_add_cc(struct arm_ctx *c, ir_temp a, ir_temp b);
ir_temp arm_gen_adc_cc(struct arm_ctx *c, ir_temp a, ir_temp b);
/* res = a - b (- NOT carry for sbc), setting N Z C V. */
ir_temp arm_gen_sub_cc(struct arm_ctx *c, ir_temp a, ir_temp b);
ir_temp arm_gen_sbc_cc(struct arm_ctx *c, ir_temp a, ir_temp b);

/*
 * The shifter operand (A8.4): operand i (an IMM, or a REG with an immediate or register
 * shift). With carry_out != NULL the shifter carry is computed into *carry_out (an i32 0/1
 * temp; for an immediate without rotation it is the current C flag).
 */
ir_temp arm_operand2(struct arm_ctx *c, unsigned i, ir_temp *carry_out);
/* Applies shift type/amount (capstone ARM_SFT_*, value) to v; same carry rules. */
ir_temp arm_gen_shift(struct arm_ctx *c, ir_temp v, arm_shifter type, unsigned amount,
                      ir_temp *carry_out);

/* Logs (XLATE_LOG=unimp) and marks a valid insn the translator does not implement. */
enum arm_result arm_unimplemented(struct arm_ctx *c);

#endif
