/*
 * Computed jumps, evaluated over sets of values.
 *
 * Each core register holds a set of at most MAX_VALUES possible values, or "any". The
 * straight line before the jump is stepped through once: immediates, the pc and adr give
 * constants; clz, byte loads, uxtb, narrow ubfx and masks with few bits give small ranges;
 * arithmetic, logic and shifts combine sets pairwise; loads from a known set of addresses
 * read the image. A `cmp rN, #k` followed by a conditional branch the line falls through
 * (or by a conditional jump) bounds rN, as a switch's guard does. Whatever else an insn
 * writes becomes "any". These are the shapes compilers and libraries emit: libgcc's
 * division jumps into its unrolled loop (`adr; add r3, r2, r3, lsl #4; mov pc, r3`), glibc's
 * memcpy into its copy ladder (`and; rsb; add pc, pc, r3, lsl #1`), vfprintf's computed
 * gotos (`ldrb` a class, `ldr` the label's address, `bx`), and interworking veneers
 * (`bx pc`, `ldr pc, [pc, #k]`).
 */
#include <stdlib.h>
#include <string.h>

#include "computed.h"

#define MAX_VALUES  XL_MAX_COMPUTED
#define MAX_PRODUCT 4096                /* value pairs one binary op may combine */

struct vset {
    bool known;                         /* false: any value */
    uint32_t n;
    uint32_t v[MAX_VALUES];             /* sorted, unique */
};

#define MAX_SLOTS   4                   /* stack words remembered */

struct eval {
    const struct xl_image *img;
    struct vset r[16];
    struct { int32_t off; struct vset v; } slot[MAX_SLOTS];    /* [sp, #off] holds v */
    unsigned nslots;
    int cmp_reg;                        /* what the live flags compare: r[cmp_reg] with */
    uint32_t cmp_k;                     /* cmp_k; -1 when the flags are not such a compare */
    uint32_t raw[MAX_PRODUCT];
};

enum op { OP_ADD, OP_SUB, OP_RSB, OP_AND, OP_ORR, OP_EOR, OP_BIC, OP_LSL, OP_LSR, OP_ASR,
          OP_ROR };

static void any(struct vset *s)
{
    s->known = false;
    s->n = 0;
}

static void one(struct vset *s, uint32_t v)
{
    s->known = true;
    s->n = 1;
    s->v[0] = v;
}

static void range(struct vset *s, uint32_t lo, uint32_t hi)
{
    if (hi - lo >= MAX_VALUES) {
        any(s);
        return;
    }
    s->known = true;
    s->n = hi - lo + 1;
    for (uint32_t i = 0; i < s->n; i++)
        s->v[i] = lo + i;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* s = the n values in raw (sorted and made unique here), or any when too many. */
static void from_raw(struct vset *s, uint32_t *raw, size_t n)
{
    qsort(raw, n, sizeof(*raw), cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || raw[u - 1] != raw[i])
            raw[u++] = raw[i];
    if (u > MAX_VALUES) {
        any(s);
        return;
    }
    s->known = true;
    s->n = (uint32_t)u;
    memcpy(s->v, raw, u * sizeof(*raw));
}

/* Register-specified shift counts use their low byte (ARM ARM A8.4.3). */
static uint32_t apply(enum op op, uint32_t a, uint32_t b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_RSB: return b - a;
    case OP_AND: return a & b;
    case OP_ORR: return a | b;
    case OP_EOR: return a ^ b;
    case OP_BIC: return a & ~b;
    case OP_LSL: return b >= 32 ? 0 : a << b;
    case OP_LSR: return b >= 32 ? 0 : a >> b;
    case OP_ASR: return b >= 32 ? (uint32_t)-(int32_t)(a >> 31) : (uint32_t)((int32_t)a >> b);
    case OP_ROR: return b % 32 ? a >> (b % 32) | a << (32 - b % 32) : a;
    }
    return 0;
}

/* d = a op b, pairwise; d may be a or b. */
static void binop(struct eval *e, struct vset *d, enum op op, const struct vset *a,
                  const struct vset *b)
{
    if (a->known && b->known && (size_t)a->n * b->n <= MAX_PRODUCT) {
        size_t n = 0;
        for (uint32_t i = 0; i < a->n; i++)
            for (uint32_t j = 0; j < b->n; j++)
                e->raw[n++] = apply(op, a->v[i], b->v[j]);
        from_raw(d, e->raw, n);
        return;
    }
    /* An unknown value masked to a few bits: every combination of those bits. */
    const struct vset *k = a->known ? a : b;
    if (op == OP_AND && k->known && k->n == 1 && __builtin_popcount(k->v[0]) <= 8) {
        uint32_t m = k->v[0], n = 0, sub = 0;
        do {
            e->raw[n++] = sub;
            sub = (sub - m) & m;            /* the next submask of m */
        } while (sub);
        from_raw(d, e->raw, n);
        return;
    }
    if (op == OP_LSR && b->known && b->n == 1 && b->v[0] >= 24 && b->v[0] < 32) {
        range(d, 0, 0xffffffffu >> b->v[0]);
        return;
    }
    any(d);
}

static void constant(struct eval *e, struct vset *d, enum op op, const struct vset *a,
                     uint32_t k)
{
    struct vset c;
    one(&c, k);
    binop(e, d, op, a, &c);
}

static uint32_t pc_value(const struct xl_insn *in, bool align)
{
    if (!in->thumb)
        return in->addr + 8;
    return (in->addr + 4) & (align ? ~3u : ~0u);
}

static void reg_value(struct eval *e, struct vset *d, const struct xl_insn *in, unsigned reg,
                      bool align_pc)
{
    int r = xl_reg_num(reg);
    if (r < 0)
        any(d);
    else if (r == 15)
        one(d, pc_value(in, align_pc));
    else
        *d = e->r[r];
}

/* The value of a register or immediate operand, shifter applied. */
static void operand(struct eval *e, struct vset *d, const struct xl_insn *in,
                    const cs_arm_op *op, bool align_pc)
{
    if (op->type == ARM_OP_IMM) {
        one(d, (uint32_t)op->imm);
        return;
    }
    if (op->type != ARM_OP_REG) {
        any(d);
        return;
    }
    reg_value(e, d, in, op->reg, align_pc);
    static const enum op by[] = {
        [ARM_SFT_ASR] = OP_ASR, [ARM_SFT_LSL] = OP_LSL, [ARM_SFT_LSR] = OP_LSR,
        [ARM_SFT_ROR] = OP_ROR, [ARM_SFT_ASR_REG] = OP_ASR, [ARM_SFT_LSL_REG] = OP_LSL,
        [ARM_SFT_LSR_REG] = OP_LSR, [ARM_SFT_ROR_REG] = OP_ROR,
    };
    switch (op->shift.type) {
    case ARM_SFT_INVALID:
        return;
    case ARM_SFT_ASR: case ARM_SFT_LSL: case ARM_SFT_LSR: case ARM_SFT_ROR:
        constant(e, d, by[op->shift.type], d, op->shift.value);
        return;
    case ARM_SFT_ASR_REG: case ARM_SFT_LSL_REG: case ARM_SFT_LSR_REG: case ARM_SFT_ROR_REG: {
        struct vset c;
        reg_value(e, &c, in, op->shift.value, false);
        constant(e, &c, OP_AND, &c, 0xff);
        binop(e, d, by[op->shift.type], d, &c);
        return;
    }
    default:
        any(d);
        return;
    }
}

/* The address set of a memory operand; *post: post-indexed (the base alone is the address). */
static void address(struct eval *e, struct vset *d, const struct xl_insn *in, bool post)
{
    const cs_arm_op *m = &in->arm->operands[1];
    reg_value(e, d, in, m->mem.base, true);
    if (post)
        return;
    if (m->mem.index != ARM_REG_INVALID) {
        struct vset x;
        reg_value(e, &x, in, m->mem.index, false);
        if (m->shift.type == ARM_SFT_LSL)
            constant(e, &x, OP_LSL, &x, m->shift.value);
        else if (m->shift.type != ARM_SFT_INVALID)
            any(&x);
        binop(e, d, m->subtracted ? OP_SUB : OP_ADD, d, &x);
    }
    if (m->mem.disp)
        constant(e, d, OP_ADD, d, (uint32_t)m->mem.disp);
}

/* The offset of a plain word access [sp, #off], or false. */
static bool sp_word(const struct xl_insn *in, int32_t *off)
{
    const cs_arm *a = in->arm;
    const cs_arm_op *m = &a->operands[1];
    if (a->op_count != 2 || m->type != ARM_OP_MEM || m->mem.base != ARM_REG_SP ||
        m->mem.index != ARM_REG_INVALID || a->writeback)
        return false;
    *off = m->mem.disp;
    return true;
}

static struct vset *slot_of(struct eval *e, int32_t off)
{
    for (unsigned i = 0; i < e->nslots; i++)
        if (e->slot[i].off == off)
            return &e->slot[i].v;
    return NULL;
}

static void load(struct eval *e, struct vset *d, const struct vset *addr, unsigned size,
                 bool sign)
{
    if (!addr->known) {
        if (size == 1 && !sign)
            range(d, 0, 0xff);
        else
            any(d);
        return;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < addr->n; i++) {
        uint32_t avail = 0;
        const uint8_t *p = xl_image_ptr(e->img, addr->v[i], &avail);
        if (!p || avail < size)
            continue;               /* not in the file (.bss, the heap): unknown, left out */
        uint32_t v = 0;
        for (unsigned b = 0; b < size; b++)
            v |= (uint32_t)p[b] << 8 * b;
        if (sign && size < 4 && (v >> (8 * size - 1) & 1))
            v |= ~0u << 8 * size;
        e->raw[n++] = v;
    }
    from_raw(d, e->raw, n);
}

static enum op dp_op(unsigned id)
{
    switch (id) {
    case ARM_INS_SUB: case ARM_INS_SUBW: return OP_SUB;
    case ARM_INS_RSB: return OP_RSB;
    case ARM_INS_AND: return OP_AND;
    case ARM_INS_ORR: return OP_ORR;
    case ARM_INS_EOR: return OP_EOR;
    case ARM_INS_BIC: return OP_BIC;
    case ARM_INS_LSL: return OP_LSL;
    case ARM_INS_LSR: return OP_LSR;
    case ARM_INS_ASR: return OP_ASR;
    case ARM_INS_ROR: return OP_ROR;
    default: return OP_ADD;
    }
}

/*
 * The value the insn writes to its first operand, a core register: *rd and d set, true.
 * false for every insn not modelled here. *base: a register a load writes back, or -1.
 */
static bool value_of(struct eval *e, const struct xl_insn *in, int *rd, int *base,
                     struct vset *d)
{
    const cs_arm *a = in->arm;
    unsigned id = in->cs->id;
    *base = -1;
    if (a->op_count < 2 || a->operands[0].type != ARM_OP_REG ||
        (*rd = xl_reg_num(a->operands[0].reg)) < 0)
        return false;
    const cs_arm_op *o1 = &a->operands[1];
    struct vset x;
    switch (id) {
    case ARM_INS_MOV:
    case ARM_INS_MOVW:
    case ARM_INS_MVN:
        if (a->op_count != 2)
            return false;
        operand(e, d, in, o1, false);
        if (id == ARM_INS_MVN)
            constant(e, d, OP_EOR, d, ~0u);
        return true;
    case ARM_INS_MOVT:
        if (o1->type != ARM_OP_IMM)
            return false;
        constant(e, d, OP_AND, &e->r[*rd], 0xffff);
        constant(e, d, OP_ORR, d, (uint32_t)o1->imm << 16);
        return true;
    case ARM_INS_ADR:
        if (o1->type != ARM_OP_IMM)
            return false;
        one(d, pc_value(in, true) + (uint32_t)o1->imm);
        return true;
    case ARM_INS_ADD: case ARM_INS_ADDW: case ARM_INS_SUB: case ARM_INS_SUBW:
    case ARM_INS_RSB: case ARM_INS_AND: case ARM_INS_ORR: case ARM_INS_EOR: case ARM_INS_BIC:
    case ARM_INS_LSL: case ARM_INS_LSR: case ARM_INS_ASR: case ARM_INS_ROR: {
        /* Two operands: rd op= src. With an immediate, a pc source is Align(pc, 4) (adr). */
        const cs_arm_op *src = a->op_count == 3 ? &a->operands[2] : o1;
        const cs_arm_op *first = a->op_count == 3 ? o1 : &a->operands[0];
        if (a->op_count > 3)
            return false;
        operand(e, d, in, first, src->type == ARM_OP_IMM);
        operand(e, &x, in, src, false);
        if (id == ARM_INS_LSL || id == ARM_INS_LSR || id == ARM_INS_ASR || id == ARM_INS_ROR) {
            if (src->type == ARM_OP_REG)
                constant(e, &x, OP_AND, &x, 0xff);
        }
        binop(e, d, dp_op(id), d, &x);
        return true;
    }
    case ARM_INS_CLZ:
        operand(e, &x, in, o1, false);
        if (!x.known) {
            range(d, 0, 32);
            return true;
        }
        for (uint32_t i = 0; i < x.n; i++)
            e->raw[i] = x.v[i] ? (uint32_t)__builtin_clz(x.v[i]) : 32;
        from_raw(d, e->raw, x.n);
        return true;
    case ARM_INS_UXTB:
    case ARM_INS_UXTH:
        if (a->op_count != 2)
            return false;
        operand(e, d, in, o1, false);
        constant(e, d, OP_AND, d, id == ARM_INS_UXTB ? 0xff : 0xffff);
        return true;
    case ARM_INS_UBFX:
        if (a->op_count != 4 || a->operands[2].type != ARM_OP_IMM ||
            a->operands[3].type != ARM_OP_IMM || a->operands[3].imm > 31)
            return false;
        operand(e, d, in, o1, false);
        constant(e, d, OP_LSR, d, (uint32_t)a->operands[2].imm);
        constant(e, d, OP_AND, d, (1u << a->operands[3].imm) - 1);
        return true;
    case ARM_INS_LDR: case ARM_INS_LDRB: case ARM_INS_LDRH: case ARM_INS_LDRSB:
    case ARM_INS_LDRSH: {
        if (o1->type != ARM_OP_MEM || a->op_count > 3)
            return false;
        bool post = a->op_count == 3;
        int32_t off;
        const struct vset *saved = id == ARM_INS_LDR && sp_word(in, &off) ? slot_of(e, off) : NULL;
        if (saved) {
            *d = *saved;
            return true;
        }
        address(e, &x, in, post);
        unsigned size = id == ARM_INS_LDR ? 4 : id == ARM_INS_LDRB || id == ARM_INS_LDRSB ? 1 : 2;
        load(e, d, &x, size, id == ARM_INS_LDRSB || id == ARM_INS_LDRSH);
        if (post || a->writeback)
            *base = xl_reg_num(o1->mem.base);
        return true;
    }
    default:
        return false;
    }
}

static bool cond_holds(enum arm_cond c, uint32_t v, uint32_t k)
{
    uint32_t r = v - k;
    bool n = r >> 31, z = r == 0, cf = v >= k, vf = ((v ^ k) & (v ^ r)) >> 31;
    switch (c) {
    case ARM_COND_EQ: return z;
    case ARM_COND_NE: return !z;
    case ARM_COND_CS: return cf;
    case ARM_COND_CC: return !cf;
    case ARM_COND_MI: return n;
    case ARM_COND_PL: return !n;
    case ARM_COND_VS: return vf;
    case ARM_COND_VC: return !vf;
    case ARM_COND_HI: return cf && !z;
    case ARM_COND_LS: return !cf || z;
    case ARM_COND_GE: return n == vf;
    case ARM_COND_LT: return n != vf;
    case ARM_COND_GT: return !z && n == vf;
    case ARM_COND_LE: return z || n != vf;
    default: return true;
    }
}

/* The line goes on where condition c is `holds`: bound the compared register. */
static void constrain(struct eval *e, enum arm_cond c, bool holds)
{
    if (e->cmp_reg < 0 || c >= ARM_COND_AL)
        return;
    struct vset *s = &e->r[e->cmp_reg];
    uint32_t k = e->cmp_k;
    if (s->known) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < s->n; i++)
            if (cond_holds(c, s->v[i], k) == holds)
                s->v[n++] = s->v[i];
        s->n = n;
        return;
    }
    enum arm_cond eff = holds ? c : (enum arm_cond)(c ^ 1);
    if (eff == ARM_COND_LS)
        range(s, 0, k);
    else if (eff == ARM_COND_CC && k)
        range(s, 0, k - 1);
    else if (eff == ARM_COND_EQ)
        one(s, k);
}

static void forget_writes(struct eval *e, struct xl_decoder *dec, const struct xl_insn *in)
{
    cs_regs rd, wr;
    uint8_t nr = 0, nw = 0;
    if (cs_regs_access(in->thumb ? dec->h_thumb : dec->h_arm, in->cs, rd, &nr, wr, &nw)) {
        for (int r = 0; r < 16; r++)
            any(&e->r[r]);
        e->cmp_reg = -1;
        e->nslots = 0;
        return;
    }
    for (unsigned i = 0; i < nw; i++) {
        int r = xl_reg_num(wr[i]);
        if (r >= 0)
            any(&e->r[r]);
        if (r == 13)
            e->nslots = 0;
        if (r == e->cmp_reg || wr[i] == ARM_REG_CPSR)
            e->cmp_reg = -1;
    }
}

static void step(struct eval *e, struct xl_decoder *dec, const struct xl_insn *in)
{
    const cs_arm *a = in->arm;
    unsigned id = in->cs->id;
    bool cond = in->cond != ARM_COND_AL;
    if (id == ARM_INS_IT)
        return;
    if (id == ARM_INS_B && cond) {          /* the line falls through: not taken */
        constrain(e, in->cond, false);
        return;
    }
    if (id == ARM_INS_CBZ || id == ARM_INS_CBNZ) {
        int r = xl_reg_num(a->operands[0].reg);
        if (r >= 0) {
            int saved = e->cmp_reg;
            uint32_t saved_k = e->cmp_k;
            e->cmp_reg = r;
            e->cmp_k = 0;
            constrain(e, ARM_COND_EQ, id == ARM_INS_CBNZ);
            e->cmp_reg = saved;
            e->cmp_k = saved_k;
        }
        return;
    }
    if (id == ARM_INS_CMP && !cond && a->op_count == 2 && a->operands[0].type == ARM_OP_REG &&
        a->operands[0].shift.type == ARM_SFT_INVALID) {
        struct vset k;
        operand(e, &k, in, &a->operands[1], false);
        int r = xl_reg_num(a->operands[0].reg);
        e->cmp_reg = k.known && k.n == 1 && r >= 0 && r < 15 ? r : -1;
        e->cmp_k = e->cmp_reg >= 0 ? k.v[0] : 0;
        return;
    }
    int32_t off;
    if (id == ARM_INS_STR && !cond && sp_word(in, &off)) {  /* other stores: no alias */
        int r = xl_reg_num(a->operands[0].reg);
        struct vset *v = slot_of(e, off);
        if (!v && e->nslots < MAX_SLOTS) {
            e->slot[e->nslots].off = off;
            v = &e->slot[e->nslots++].v;
        }
        if (v && r >= 0 && r < 13)
            *v = e->r[r];
        else if (v)
            any(v);
        return;
    }
    struct vset d;
    int rd, base;
    if (!value_of(e, in, &rd, &base, &d) || rd == 15) {
        forget_writes(e, dec, in);
        return;
    }
    if (cond) {                             /* either value: the old or the new */
        const struct vset *old = &e->r[rd];
        if (!old->known || !d.known || old->n + d.n > MAX_PRODUCT) {
            any(&d);
        } else {
            memcpy(e->raw, old->v, old->n * sizeof(uint32_t));
            memcpy(e->raw + old->n, d.v, d.n * sizeof(uint32_t));
            from_raw(&d, e->raw, old->n + d.n);
        }
    }
    e->r[rd] = d;
    if (base >= 0)
        any(&e->r[base]);
    if (rd == 13 || base == 13)
        e->nslots = 0;
    if (rd == e->cmp_reg || base == e->cmp_reg || a->update_flags)
        e->cmp_reg = -1;
}

/* The jump's target values; *interwork: bit 0 selects the state (BXWritePC). */
static bool jump_value(struct eval *e, const struct xl_insn *in, struct vset *d,
                       bool *interwork)
{
    const cs_arm *a = in->arm;
    unsigned id = in->cs->id;
    if (in->cond != ARM_COND_AL)
        constrain(e, in->cond, true);
    if (id == ARM_INS_BX && a->op_count == 1) {
        operand(e, d, in, &a->operands[0], false);
        *interwork = true;
        return true;
    }
    int rd, base;
    if (!value_of(e, in, &rd, &base, d) || rd != 15)
        return false;
    /* Loads interwork; other pc writes do in A32 (ALUWritePC) but not in T32. */
    *interwork = id == ARM_INS_LDR || !in->thumb;
    return id != ARM_INS_LDRB && id != ARM_INS_LDRH && id != ARM_INS_LDRSB &&
           id != ARM_INS_LDRSH;
}

/* Steps through the insns in [from, end); with at_jump, the last one is handed to it
   instead. false when an insn does not decode (or at_jump says so). */
static bool walk(struct eval *e, struct xl_decoder *dec, uint32_t from, uint32_t end,
                 bool thumb, bool (*at_jump)(struct eval *, const struct xl_insn *, void *),
                 void *arg)
{
    for (uint32_t addr = from; addr < end;) {
        uint32_t avail = 0;
        const uint8_t *p = xl_image_ptr(e->img, addr, &avail);
        struct xl_insn in;
        if (!p || !xl_decode(dec, p, avail < end - addr ? avail : end - addr, addr, thumb, &in))
            return false;
        addr += in.size;
        if (addr >= end && at_jump)
            return at_jump(e, &in, arg);
        step(e, dec, &in);
    }
    return true;
}

struct targets {
    bool thumb;
    uint32_t *out;
    unsigned n;
};

static bool collect(struct eval *e, const struct xl_insn *in, void *arg)
{
    struct targets *t = arg;
    struct vset d;
    bool interwork;
    if (!jump_value(e, in, &d, &interwork) || !d.known)
        return false;
    unsigned n = 0;
    for (uint32_t i = 0; i < d.n; i++) {
        uint32_t v = d.v[i];
        if (interwork && (v & 3) == 2)
            continue;                       /* UNPREDICTABLE */
        e->raw[n++] = interwork ? v : t->thumb ? v | 1 : v & ~3u;
    }
    struct vset r;
    from_raw(&r, e->raw, n);
    memcpy(t->out, r.v, r.n * sizeof(uint32_t));
    t->n = r.n;
    return true;
}

unsigned xl_computed_targets(struct xl_decoder *dec, const struct xl_image *img,
                             const struct xl_entry_line *entry, uint32_t from, uint32_t end,
                             bool thumb, uint32_t out[XL_MAX_COMPUTED])
{
    struct eval *e = malloc(sizeof(*e));
    if (!e)
        return 0;
    e->img = img;
    e->cmp_reg = -1;
    e->cmp_k = 0;
    e->nslots = 0;
    for (int r = 0; r < 16; r++)
        any(&e->r[r]);
    struct targets t = { .thumb = thumb, .out = out };
    xl_decoder_reset(dec);
    if (entry && walk(e, dec, entry->from, entry->end, thumb, NULL, NULL)) {
        for (int r = 0; r < 16; r++)
            if (!(entry->keep >> r & 1))
                any(&e->r[r]);
        e->cmp_reg = -1;
        if (!entry->keep_stack)
            e->nslots = 0;
        xl_decoder_reset(dec);
    } else if (entry) {
        for (int r = 0; r < 16; r++)
            any(&e->r[r]);
    }
    walk(e, dec, from, end, thumb, collect, &t);
    xl_decoder_reset(dec);
    free(e);
    return t.n;
}
