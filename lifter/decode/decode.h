/*
 * The capstone wrapper: one decoded guest instruction with its mode, raw encoding and
 * condition, including the condition an enclosing Thumb IT block gives it.
 */
#ifndef XL_DECODE_H
#define XL_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <capstone/capstone.h>

/* ARM condition field values (ARM ARM A8.3). */
enum arm_cond {
    ARM_COND_EQ, ARM_COND_NE, ARM_COND_CS, ARM_COND_CC, ARM_COND_MI, ARM_COND_PL,
    ARM_COND_VS, ARM_COND_VC, ARM_COND_HI, ARM_COND_LS, ARM_COND_GE, ARM_COND_LT,
    ARM_COND_GT, ARM_COND_LE, ARM_COND_AL,
};

struct xl_insn {
    uint32_t addr;
    uint32_t size;              /* 2 or 4 */
    uint32_t raw;               /* A32 word; T32: hw1 << 16 | hw2, or the 16-bit halfword */
    bool thumb;
    enum arm_cond cond;         /* AL when unconditional; from the IT block inside one */
    bool in_it;                 /* inside an IT block (Thumb) */
    bool it_last;               /* the last insn of its IT block (or not in one) */
    const cs_insn *cs;          /* capstone's view, valid until the next decode */
    const cs_arm *arm;          /* == &cs->detail->arm */
};

/* Thumb IT state as the ARM ARM keeps it: ITSTATE<7:0>, zero outside an IT block. */
struct xl_decoder {
    csh h_arm, h_thumb;
    cs_insn *insn_arm, *insn_thumb;
    uint8_t itstate;
    bool cs_it_pending;         /* capstone's own IT tracking may be mid-block */
};

/* Returns 0, or -1 when capstone cannot be opened. */
int xl_decoder_init(struct xl_decoder *d);
void xl_decoder_fini(struct xl_decoder *d);

/* Starts a new straight-line run of decoding (a new block): forgets IT state. */
void xl_decoder_reset(struct xl_decoder *d);

/*
 * Decodes one insn at addr from code[0 .. avail). Returns false when the bytes are not a
 * valid insn (or too few are available); then out->size still tells how many bytes the
 * undefined insn takes where that is known (2 or 4), else 0.
 */
bool xl_decode(struct xl_decoder *d, const uint8_t *code, size_t avail, uint32_t addr,
               bool thumb, struct xl_insn *out);

/* Capstone register → core register number 0..15, or -1. */
int xl_reg_num(unsigned cs_reg);

/* Text of the last insn decoded by d, as "mnemonic operands". */
void xl_insn_text(const struct xl_insn *insn, char *buf, size_t len);

#endif
