/*
 * The translation driver: decodes guest insns from pc and calls the handler that the
 * capstone insn id selects, wrapping conditional insns in a branch around them.
 *
 * A block ends at the first insn that writes the pc (branch, pc load), at svc, at an
 * undefined insn, after ARM_MAX_BLOCK_INSNS insns, or where readable code ends; never
 * inside an IT block unless an insn in it ends the block itself.
 */
#include <stdlib.h>
#include <string.h>

#include "arm_internal.h"
#include "../ir/xl_assert.h"
#include "../ir/xl_log.h"

#define ARM_MAX_BLOCK_INSNS 128

struct arm_frontend {
    struct xl_decoder dec;
    arm_handler by_id[ARM_INS_ENDING];
};

static const struct arm_handler_entry *const handler_tables[] = {
    arm_dp_handlers, arm_branch_handlers, arm_misc_handlers, arm_mem_handlers,
    arm_mul_handlers, arm_bits_handlers, arm_vfp_handlers, arm_neon_handlers,
};

struct arm_frontend *arm_frontend_new(void)
{
    struct arm_frontend *fe = calloc(1, sizeof(*fe));
    if (!fe)
        return NULL;
    if (xl_decoder_init(&fe->dec) < 0) {
        free(fe);
        return NULL;
    }
    for (size_t t = 0; t < sizeof(handler_tables) / sizeof(handler_tables[0]); t++)
        for (const struct arm_handler_entry *e = handler_tables[t]; e->fn; e++) {
            xl_assert(e->id < ARM_INS_ENDING && !fe->by_id[e->id]);  /* one owner per id */
            fe->by_id[e->id] = e->fn;
        }
    return fe;
}

void arm_frontend_free(struct arm_frontend *fe)
{
    if (!fe)
        return;
    xl_decoder_fini(&fe->dec);
    free(fe);
}

static void log_undef(const struct xl_insn *insn, const char *what)
{
    if (!xl_log_enabled(XL_LOG_UNIMP))
        return;
    char text[96];
    xl_insn_text(insn, text, sizeof(text));
    xl_log("%s instruction '%s' (%0*x) at 0x%08x (%s)", what, text,
           insn->size == 2 ? 4 : 8, insn->raw, insn->addr, insn->thumb ? "thumb" : "arm");
}

/* Rolls the block back to before a partly emitted insn. */
struct mark {
    uint32_t n_ops, n_labels, n_goto_tb;
};

static struct mark mark_of(const struct ir_block *b)
{
    return (struct mark){ b->n_ops, b->n_labels, b->n_goto_tb };
}

static void roll_back(struct ir_block *b, struct mark m)
{
    b->n_ops = m.n_ops;
    b->n_labels = m.n_labels;
    b->n_goto_tb = m.n_goto_tb;
}

/* One insn: returns whether the block goes on after it. */
static bool translate_insn(struct arm_frontend *fe, struct ir_block *b, const struct xl_insn *insn)
{
    struct arm_ctx c = {
        .b = b, .insn = insn, .pc = insn->addr, .next_pc = insn->addr + insn->size,
        .thumb = insn->thumb,
    };
    ir_gen_insn_start(b, insn->addr);
    b->n_insns++;
    b->guest_end = c.next_pc;
    struct mark m = mark_of(b);

    arm_handler h = arm_neon_encoding(insn) ? arm_neon : insn->cs ? fe->by_id[insn->cs->id] : NULL;
    enum arm_result r = ARM_UNDEF;
    uint32_t skip = 0;
    bool cond = insn->cond != ARM_COND_AL && h;
    if (cond) {
        skip = ir_new_label(b);
        arm_gen_skip_unless(&c, insn->cond, skip);
    }
    if (h)
        r = h(&c);
    if (r == ARM_UNDEF) {
        roll_back(b, m);
        if (!insn->cs)
            log_undef(insn, "undefined");
        else if (!h || c.unimp)
            log_undef(insn, "unimplemented");
        else
            log_undef(insn, "undefined");
        arm_exit(&c, IR_EXIT_UNDEF, c.pc);
        return false;
    }
    if (cond)
        ir_gen_set_label(b, skip);
    if (r == ARM_END) {
        if (cond)           /* the path where the condition failed goes on */
            arm_goto(&c, c.next_pc, c.thumb);
        return false;
    }
    return true;
}

/* Translates from pc until an insn ends the block, `limit` insns are done, or `end`. */
static void translate(struct arm_frontend *fe, const struct arm_code *src, uint32_t pc,
                      bool thumb, unsigned limit, uint32_t end, struct ir_block *b)
{
    ir_block_init(b, pc, thumb);
    xl_decoder_reset(&fe->dec);
    uint32_t addr = pc;
    for (;;) {
        if (end && addr >= end && addr != pc && fe->dec.itstate == 0) {
            struct arm_ctx c = { .b = b, .pc = addr, .next_pc = addr, .thumb = thumb };
            arm_goto(&c, addr, thumb);
            break;
        }
        uint32_t avail = 0;
        const uint8_t *code = src->fetch(src->ctx, addr, &avail);
        struct xl_insn insn;
        if (!code || avail == 0) {
            /* Nothing readable: fault where the guest would, at this insn. */
            struct arm_ctx c = { .b = b, .pc = addr, .next_pc = addr, .thumb = thumb };
            if (addr == pc) {
                ir_gen_insn_start(b, addr);
                arm_exit(&c, IR_EXIT_FAULT, addr);
            } else {
                arm_goto(&c, addr, thumb);
            }
            break;
        }
        bool ok = xl_decode(&fe->dec, code, avail, addr, thumb, &insn);
        if (!ok && insn.size && avail < insn.size && addr != pc) {
            /* The insn straddles the end of readable code: let its own block fault. */
            struct arm_ctx c = { .b = b, .pc = addr, .next_pc = addr, .thumb = thumb };
            arm_goto(&c, addr, thumb);
            break;
        }
        if (!ok) {
            insn.cs = NULL;
            insn.arm = NULL;
            if (!insn.size)
                insn.size = thumb ? 2 : 4;
        }
        if (!translate_insn(fe, b, &insn))
            break;
        addr += insn.size;
        bool in_it = fe->dec.itstate != 0;
        if (b->n_insns >= limit && !in_it) {
            struct arm_ctx c = { .b = b, .pc = addr, .next_pc = addr, .thumb = thumb };
            arm_goto(&c, addr, thumb);
            break;
        }
    }
    xl_decoder_reset(&fe->dec);
}

void arm_translate_block(struct arm_frontend *fe, const struct arm_code *src, uint32_t pc,
                         bool thumb, unsigned flags, struct ir_block *b)
{
    translate(fe, src, pc, thumb, (flags & ARM_TB_SINGLESTEP) ? 1 : ARM_MAX_BLOCK_INSNS, 0, b);
}

void arm_translate_range(struct arm_frontend *fe, const struct arm_code *src, uint32_t pc,
                         bool thumb, uint32_t end, struct ir_block *b)
{
    translate(fe, src, pc, thumb, UINT32_MAX, end, b);
}

unsigned arm_disasm(struct arm_frontend *fe, const struct arm_code *src, uint32_t addr,
                    bool thumb, char *text, size_t textlen)
{
    uint32_t avail = 0;
    const uint8_t *code = src->fetch(src->ctx, addr, &avail);
    struct xl_insn insn;
    if (!code)
        return 0;
    if (!xl_decode(&fe->dec, code, avail, addr, thumb, &insn)) {
        insn.cs = NULL;
        if (!insn.size)
            insn.size = thumb ? 2 : 4;
    }
    xl_insn_text(&insn, text, textlen);
    return insn.size;
}
