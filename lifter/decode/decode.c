/* The capstone wrapper. IT state is tracked here (ARM ARM A2.5.2 ITSTATE), not trusted to
   capstone, whose own IT tracking lives in the handle and survives between calls. */
#include <stdio.h>
#include <string.h>

#include "decode.h"

int xl_decoder_init(struct xl_decoder *d)
{
    memset(d, 0, sizeof(*d));
    if (cs_open(CS_ARCH_ARM, CS_MODE_ARM, &d->h_arm) != CS_ERR_OK)
        return -1;
    if (cs_open(CS_ARCH_ARM, CS_MODE_THUMB, &d->h_thumb) != CS_ERR_OK) {
        cs_close(&d->h_arm);
        return -1;
    }
    cs_option(d->h_arm, CS_OPT_DETAIL, CS_OPT_ON);
    cs_option(d->h_thumb, CS_OPT_DETAIL, CS_OPT_ON);
    d->insn_arm = cs_malloc(d->h_arm);
    d->insn_thumb = cs_malloc(d->h_thumb);
    return 0;
}

void xl_decoder_fini(struct xl_decoder *d)
{
    if (d->insn_arm)
        cs_free(d->insn_arm, 1);
    if (d->insn_thumb)
        cs_free(d->insn_thumb, 1);
    cs_close(&d->h_arm);
    cs_close(&d->h_thumb);
    memset(d, 0, sizeof(*d));
}

/* Capstone keeps its IT block state in the handle; feeding it plain 16-bit insns (movs r0,
   r0 is 0x0000) until any IT block it tracks is over resets it. */
static void flush_capstone_it(struct xl_decoder *d)
{
    static const uint8_t movs[2] = { 0, 0 };
    for (int i = 0; i < 4; i++) {
        const uint8_t *p = movs;
        size_t n = 2;
        uint64_t a = 0;
        cs_disasm_iter(d->h_thumb, &p, &n, &a, d->insn_thumb);
    }
    d->cs_it_pending = false;
}

void xl_decoder_reset(struct xl_decoder *d)
{
    if (d->itstate || d->cs_it_pending)
        flush_capstone_it(d);
    d->itstate = 0;
}

static bool thumb_is_32bit(uint16_t hw1)
{
    return (hw1 >> 11) == 0x1d || (hw1 >> 11) == 0x1e || (hw1 >> 11) == 0x1f;
}

static enum arm_cond cs_cond(arm_cc cc)
{
    return (cc == ARM_CC_INVALID || cc == ARM_CC_AL) ? ARM_COND_AL : (enum arm_cond)(cc - 1);
}

bool xl_decode(struct xl_decoder *d, const uint8_t *code, size_t avail, uint32_t addr,
               bool thumb, struct xl_insn *out)
{
    memset(out, 0, sizeof(*out));
    out->addr = addr;
    out->thumb = thumb;
    out->cond = ARM_COND_AL;
    out->it_last = true;
    if (!thumb) {
        if (avail < 4)
            return false;
        out->size = 4;
        out->raw = (uint32_t)code[0] | (uint32_t)code[1] << 8 | (uint32_t)code[2] << 16 |
                   (uint32_t)code[3] << 24;
        const uint8_t *p = code;
        size_t n = 4;
        uint64_t a = addr;
        if (!cs_disasm_iter(d->h_arm, &p, &n, &a, d->insn_arm))
            return false;
        out->cs = d->insn_arm;
        out->arm = &d->insn_arm->detail->arm;
        out->cond = cs_cond(out->arm->cc);
        return true;
    }

    if (avail < 2)
        return false;
    uint16_t hw1 = (uint16_t)(code[0] | code[1] << 8);
    out->size = thumb_is_32bit(hw1) ? 4 : 2;
    if (avail < out->size)
        return false;
    out->raw = out->size == 4 ? (uint32_t)hw1 << 16 | (uint32_t)(code[2] | code[3] << 8) : hw1;

    /* The condition this insn gets from an IT block, from our own ITSTATE. */
    uint8_t it = d->itstate;
    if (it) {
        out->in_it = true;
        out->cond = (enum arm_cond)(it >> 4);
        out->it_last = (it & 0x7) == 0 && (it & 0xf) == 0x8;
        /* ITAdvance(): shift the mask, or end the block. */
        d->itstate = (it & 0x7) == 0 ? 0 : (uint8_t)((it & 0xe0) | ((it << 1) & 0x1f));
    }
    const uint8_t *p = code;
    size_t n = out->size;
    uint64_t a = addr;
    bool ok = cs_disasm_iter(d->h_thumb, &p, &n, &a, d->insn_thumb);
    if (!ok) {
        /* The insn still takes its IT slot (the NEON frontend may decode it from its raw
           bits), but capstone did not advance its own IT state: drop that, so that the
           insns after it are decoded as outside any IT block (our ITSTATE gives their
           conditions) and nothing is left for the next run. */
        if (d->itstate || out->in_it)
            flush_capstone_it(d);
        d->cs_it_pending = d->itstate != 0;
        return false;
    }
    d->cs_it_pending |= d->itstate != 0;
    out->cs = d->insn_thumb;
    out->arm = &d->insn_thumb->detail->arm;
    if (out->cs->id == ARM_INS_IT) {
        /* UNPREDICTABLE (ARM ARM A8.8.54): IT inside an IT block, firstcond 1111, and an
           AL block with an "else" in it. Capstone's own IT tracking saw the IT anyway. */
        unsigned firstcond = (hw1 >> 4) & 0xf, mask = hw1 & 0xf;
        unsigned last = mask & -mask;   /* the bit that ends the mask */
        /* The bits above it say then (== firstcond<0>) or else; AL's firstcond<0> is 0. */
        bool al_else = firstcond == 0xe && (mask & ~((last << 1) - 1) & 0xf) != 0;
        if (it || firstcond == 0xf || al_else) {
            d->itstate = 0;
            d->cs_it_pending = true;
            return false;
        }
        d->itstate = (uint8_t)(hw1 & 0xff);
        d->cs_it_pending = true;
        out->cond = ARM_COND_AL;
    } else if (!out->in_it) {
        out->cond = cs_cond(out->arm->cc);  /* b<cond> carries its own condition */
    }
    return true;
}

void xl_insn_text(const struct xl_insn *insn, char *buf, size_t len)
{
    if (!insn->cs) {
        snprintf(buf, len, "(undefined) %0*x", insn->size == 2 ? 4 : 8, insn->raw);
        return;
    }
    snprintf(buf, len, "%s%s%s", insn->cs->mnemonic, insn->cs->op_str[0] ? " " : "",
             insn->cs->op_str);
}

int xl_reg_num(unsigned r)
{
    if (r >= ARM_REG_R0 && r <= ARM_REG_R12)
        return (int)(r - ARM_REG_R0);
    switch (r) {
    case ARM_REG_SP: return 13;
    case ARM_REG_LR: return 14;
    case ARM_REG_PC: return 15;
    default: return -1;
    }
}
