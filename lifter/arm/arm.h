/*
 * The ARM frontend: guest A32/T32/VFP code → µIR, one translation block at a time.
 * It calls only the µIR builder (style rule 2).
 */
#ifndef XL_ARM_H
#define XL_ARM_H

#include <stdbool.h>
#include <stdint.h>

#include "../ir/ir.h"

/* Where guest code bytes come from: returns a pointer to the bytes at addr and how many
   are readable from there (*avail), or NULL when addr is not readable code. */
struct arm_code {
    const uint8_t *(*fetch)(void *ctx, uint32_t addr, uint32_t *avail);
    void *ctx;
};

enum arm_tb_flags {
    ARM_TB_SINGLESTEP = 1,      /* one guest insn per block */
};

struct arm_frontend;

struct arm_frontend *arm_frontend_new(void);
void arm_frontend_free(struct arm_frontend *fe);

/*
 * Translates the block at pc into b (initialised here). Always produces a block that
 * verifies: code that cannot be fetched exits with IR_EXIT_FAULT, undefined or
 * unimplemented insns exit with IR_EXIT_UNDEF (with XLATE_LOG=unimp one line names the
 * insn and its address).
 */
void arm_translate_block(struct arm_frontend *fe, const struct arm_code *src, uint32_t pc,
                         bool thumb, unsigned flags, struct ir_block *b);

/*
 * The same for a block whose extent is known (the AOT path, from discovery): translation
 * stops before `end` (continuing there with goto_tb) or at the first insn that ends a block,
 * with no limit on the number of insns. `end` == 0 means no bound.
 */
void arm_translate_range(struct arm_frontend *fe, const struct arm_code *src, uint32_t pc,
                         bool thumb, uint32_t end, struct ir_block *b);

/* Disassembly of the insn at addr (for dumps): writes text, returns its size or 0. */
unsigned arm_disasm(struct arm_frontend *fe, const struct arm_code *src, uint32_t addr,
                    bool thumb, char *text, size_t textlen);

#endif
