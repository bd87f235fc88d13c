/*
 * Advanced SIMD (NEON), decoded from the raw encoding after the ARM ARM's tables (A7.4
 * data-processing, A7.7 element and structure loads and stores). T32 encodings are the A32
 * ones with another prefix (111U 1111 for 1111 001U, 1111 1001 for 1111 0100), so both
 * are brought to the A32 form first. Capstone is not asked: its ids mix VFP and NEON forms.
 *
 * A Q register is the D pair 2q, 2q + 1. Every operation works on 64-bit halves with the
 * µIR's vec_i64 op (lifter/ir/vec.h); results go to temps and are written to the D
 * registers after all sources were read, since destinations may overlap sources.
 * Saturating insns OR their saturation into FPSCR.QC. Floating point is a call of the
 * neon_fp helper per 64 bits (lifter/ir/vec.h says why).
 *
 * An element load or store whose alignment hint the address breaks exits with
 * IR_EXIT_ALIGN before it touches memory: SIGBUS, as Linux gives for an alignment fault it
 * does not fix up. Not here (an unimplemented insn at run time): ARMv8's VMULL.P64.
 */
#include "arm_internal.h"
#include "../ir/vec.h"

#define BIT(w, n) (((w) >> (n)) & 1u)
#define BITS(w, hi, lo) (((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))

/* The insn in its A32 form, or 0 when it is not in the Advanced SIMD spaces. */
static uint32_t a32_form(const struct xl_insn *insn)
{
    uint32_t raw = insn->raw;
    if (!insn->thumb) {
        if ((raw >> 25) == 0x79 || ((raw >> 24) == 0xf4 && !BIT(raw, 20)))
            return raw;
        return 0;
    }
    if (insn->size != 4)
        return 0;
    if (((raw >> 24) & 0xef) == 0xef)
        return 0xf2000000u | BIT(raw, 28) << 24 | (raw & 0x00ffffffu);
    if ((raw >> 24) == 0xf9 && !BIT(raw, 20))
        return 0xf4000000u | (raw & 0x00ffffffu);
    return 0;
}

bool arm_neon_encoding(const struct xl_insn *insn)
{
    return a32_form(insn) != 0;
}

static unsigned vd(uint32_t w) { return BIT(w, 22) << 4 | BITS(w, 15, 12); }
static unsigned vn(uint32_t w) { return BIT(w, 7) << 4 | BITS(w, 19, 16); }
static unsigned vm(uint32_t w) { return BIT(w, 5) << 4 | BITS(w, 3, 0); }

static ir_temp D(unsigned n) { return ir_global((enum ir_global)(IR_G_D0 + n)); }

/* Results waiting to be written: D register numbers and values. */
struct wb {
    unsigned n;
    unsigned reg[8];
    ir_temp val[8];
};

static void put(struct wb *o, unsigned reg, ir_temp v)
{
    o->reg[o->n] = reg;
    o->val[o->n++] = v;
}

static enum arm_result commit(struct arm_ctx *c, struct wb *o)
{
    for (unsigned i = 0; i < o->n; i++) {
        if (o->reg[i] > 31)
            return ARM_UNDEF;       /* a list that runs past d31: UNPREDICTABLE */
        if (o->val[i] < IR_NUM_GLOBALS) {   /* a D register as it was: copy it first */
            ir_temp t = ir_new_i64(c->b);
            ir_gen_mov_i64(c->b, t, o->val[i]);
            o->val[i] = t;
        }
    }
    for (unsigned i = 0; i < o->n; i++)
        ir_gen_mov_i64(c->b, D(o->reg[i]), o->val[i]);
    return ARM_NEXT;
}

static ir_temp zero64(struct arm_ctx *c) { return ir_const_i64(c->b, 0); }

static ir_temp vop(struct arm_ctx *c, uint32_t kind, ir_temp a, ir_temp b, ir_temp x)
{
    ir_temp t = ir_new_i64(c->b);
    ir_gen_vec_i64(c->b, t, a, b, x, kind);
    return t;
}

static ir_temp vop1(struct arm_ctx *c, uint32_t kind, ir_temp a)
{
    return vop(c, kind, a, zero64(c), zero64(c));
}

/* kind on the halves h < regs of a, b, x into out[h] (which may be b). */
static void vq(struct arm_ctx *c, unsigned regs, uint32_t kind, const ir_temp *a,
               const ir_temp *b, const ir_temp *x, ir_temp *out)
{
    for (unsigned h = 0; h < regs; h++)
        out[h] = vop(c, kind, a[h], b[h], x[h]);
}

/* FPSCR.QC |= whether kind(a, b, x) saturated in some lane. */
static void qc(struct arm_ctx *c, uint32_t kind, ir_temp a, ir_temp y, ir_temp x)
{
    struct ir_block *b = c->b;
    ir_temp s = vop(c, kind | IR_VEC_SAT, a, y, x), w = ir_new_i32(b);
    ir_gen_extrl_i64_i32(b, w, s);
    ir_gen_shl_i32(b, w, w, ir_const_i32(b, 27));
    ir_gen_or_i32(b, ir_global(IR_G_FPSCR), ir_global(IR_G_FPSCR), w);
}

/* A floating-point operation: a call of the neon_fp helper (lifter/ir/vec.h says why). */
static ir_temp fop(struct arm_ctx *c, enum ir_vecf op, unsigned imm, ir_temp a, ir_temp b,
                   ir_temp x)
{
    ir_temp t = ir_new_i64(c->b);
    ir_temp ins[4] = { a, b, x, ir_const_i32(c->b, (uint32_t)op | 2u << 8 | imm << 16) };
    ir_gen_call(c->b, IR_HELPER_neon_fp, &t, ins);
    return t;
}

/* The signed/unsigned pair of an operation (the enum keeps them adjacent). */
static enum ir_vec su(enum ir_vec s, unsigned u) { return (enum ir_vec)(s + u); }

/* ---- Three registers of the same length (A7.4.1) ---- */

static enum arm_result three_same_logic(struct arm_ctx *c, uint32_t w, unsigned d, unsigned n,
                                        unsigned m, unsigned regs)
{
    unsigned op = BIT(w, 24) << 2 | BITS(w, 21, 20);
    struct wb o = { 0 };
    static const enum ir_vec ops[8] = { IR_VEC_AND, IR_VEC_ANDC, IR_VEC_OR, IR_VEC_ORC,
                                        IR_VEC_XOR, IR_VEC_BSL, IR_VEC_BSL, IR_VEC_BSL };
    ir_temp a[2], b[2], x[2], r[2];
    for (unsigned h = 0; h < regs; h++) {
        a[h] = D(n + h), b[h] = D(m + h), x[h] = D(d + h);
        if (op == 6) {              /* VBIT: m selects n over d */
            b[h] = D(d + h);
            x[h] = D(m + h);
        } else if (op == 7) {       /* VBIF: m selects d over n */
            a[h] = D(d + h);
            b[h] = D(n + h);
            x[h] = D(m + h);
        }                           /* VBSL: d selects n over m */
    }
    vq(c, regs, ir_vec_kind(ops[op], 3, 0), a, b, x, r);
    for (unsigned h = 0; h < regs; h++)
        put(&o, d + h, r[h]);
    return commit(c, &o);
}

static enum arm_result three_same_fp(struct arm_ctx *c, uint32_t w, unsigned d, unsigned n,
                                     unsigned m, unsigned regs)
{
    unsigned opc = BITS(w, 11, 8), B = BIT(w, 4), u = BIT(w, 24), hi = BIT(w, 21);
    enum ir_vecf op;
    bool acc = false, pair = false, undef = false;
    if (BIT(w, 20))
        return ARM_UNDEF;               /* half precision */
    switch (opc) {
    case 12:
        undef = !B || u;
        op = hi ? IR_VECF_FFMS : IR_VECF_FFMA;
        acc = true;
        break;
    case 13:
        if (!B) {
            op = u ? (hi ? IR_VECF_FABD : IR_VECF_FPADD) : (hi ? IR_VECF_FSUB : IR_VECF_FADD);
            pair = u && !hi;
        } else {
            op = u ? IR_VECF_FMUL : (hi ? IR_VECF_FMLS : IR_VECF_FMLA);
            undef = u && hi;
            acc = !u;
        }
        break;
    case 14:
        if (!B) {
            op = u ? (hi ? IR_VECF_FCGT : IR_VECF_FCGE) : IR_VECF_FCEQ;
            undef = !u && hi;
        } else {
            op = hi ? IR_VECF_FACGT : IR_VECF_FACGE;
            undef = !u;
        }
        break;
    default:    /* 15 */
        if (!B) {
            op = u ? (hi ? IR_VECF_FPMIN : IR_VECF_FPMAX) : (hi ? IR_VECF_FMIN : IR_VECF_FMAX);
            pair = u;
        } else {
            op = hi ? IR_VECF_FRSQRTS : IR_VECF_FRECPS;
            undef = u;
        }
        break;
    }
    if (undef || (pair && regs == 2))
        return ARM_UNDEF;
    struct wb o = { 0 };
    for (unsigned h = 0; h < regs; h++)
        put(&o, d + h, fop(c, op, 0, D(n + h), D(m + h), acc ? D(d + h) : zero64(c)));
    return commit(c, &o);
}

static enum arm_result three_same(struct arm_ctx *c, uint32_t w)
{
    unsigned opc = BITS(w, 11, 8), B = BIT(w, 4), u = BIT(w, 24), size = BITS(w, 21, 20);
    unsigned q = BIT(w, 6), d = vd(w), n = vn(w), m = vm(w), regs = q ? 2 : 1;
    if (q && ((d | n | m) & 1))
        return ARM_UNDEF;
    if (opc >= 12)
        return three_same_fp(c, w, d, n, m, regs);
    if (opc == 1 && B)
        return three_same_logic(c, w, d, n, m, regs);
    enum ir_vec op;
    bool sat = false, acc = false, swap = false, pair = false, wide_ok = false;
    switch (opc) {
    case 0: op = su(B ? IR_VEC_QADD_S : IR_VEC_HADD_S, u); sat = wide_ok = B; break;
    case 1: op = su(IR_VEC_RHADD_S, u); break;
    case 2: op = su(B ? IR_VEC_QSUB_S : IR_VEC_HSUB_S, u); sat = wide_ok = B; break;
    case 3: op = su(B ? IR_VEC_CGE_S : IR_VEC_CGT_S, u); break;
    case 4: op = su(B ? IR_VEC_QSHL_S : IR_VEC_SHL_S, u); sat = B; swap = wide_ok = true; break;
    case 5: op = su(B ? IR_VEC_QRSHL_S : IR_VEC_RSHL_S, u); sat = B; swap = wide_ok = true; break;
    case 6: op = su(B ? IR_VEC_MIN_S : IR_VEC_MAX_S, u); break;
    case 7: op = su(B ? IR_VEC_ABA_S : IR_VEC_ABD_S, u); acc = B; break;
    case 8:
        op = B ? (u ? IR_VEC_CEQ : IR_VEC_TST) : (u ? IR_VEC_SUB : IR_VEC_ADD);
        wide_ok = !B;
        break;
    case 9:
        if (B && u && size)
            return ARM_UNDEF;               /* VMUL.P16 and wider do not exist */
        op = B ? (u ? IR_VEC_PMUL : IR_VEC_MUL) : (u ? IR_VEC_MLS : IR_VEC_MLA);
        acc = !B;
        break;
    case 10: op = su(B ? IR_VEC_PMIN_S : IR_VEC_PMAX_S, u); pair = true; break;
    default:            /* 11 */
        if (B) {
            if (u)
                return ARM_UNDEF;
            op = IR_VEC_PADD;
            pair = true;
        } else {
            if (size == 0 || size == 3)
                return ARM_UNDEF;
            op = u ? IR_VEC_QRDMULH : IR_VEC_QDMULH;
            sat = true;
        }
        break;
    }
    if ((size == 3 && !wide_ok) || (pair && q))
        return ARM_UNDEF;
    struct wb o = { 0 };
    uint32_t k = ir_vec_kind(op, size, 0);
    ir_temp a[2], b[2], x[2], r[2];
    for (unsigned h = 0; h < regs; h++) {
        /* VSHL & co. (swap): Vm is shifted by Vn's counts */
        a[h] = swap ? D(m + h) : D(n + h);
        b[h] = swap ? D(n + h) : D(m + h);
        x[h] = acc ? D(d + h) : zero64(c);
        if (sat)
            qc(c, k, a[h], b[h], x[h]);
    }
    vq(c, regs, k, a, b, x, r);
    for (unsigned h = 0; h < regs; h++)
        put(&o, d + h, r[h]);
    return commit(c, &o);
}

/* ---- One register and a modified immediate (A7.4.6) ---- */

/* AdvSIMDExpandImm; false for the UNDEFINED cmode 1111 with op 1. */
static bool expand_imm(uint32_t w, uint64_t *out)
{
    uint32_t imm8 = BIT(w, 24) << 7 | BITS(w, 18, 16) << 4 | BITS(w, 3, 0);
    uint32_t cmode = BITS(w, 11, 8), op = BIT(w, 5), imm32;
    switch (cmode >> 1) {
    case 0: imm32 = imm8; break;
    case 1: imm32 = imm8 << 8; break;
    case 2: imm32 = imm8 << 16; break;
    case 3: imm32 = imm8 << 24; break;
    case 4: imm32 = imm8 * 0x00010001u; break;
    case 5: imm32 = (imm8 << 8) * 0x00010001u; break;
    case 6: imm32 = (cmode & 1) ? imm8 << 16 | 0xffff : imm8 << 8 | 0xff; break;
    default:
        if (!(cmode & 1) && !op) {
            *out = imm8 * 0x0101010101010101ull;
            return true;
        }
        if (!(cmode & 1)) {
            uint64_t v = 0;
            for (unsigned i = 0; i < 8; i++)
                if (imm8 >> i & 1)
                    v |= 0xffull << (8 * i);
            *out = v;
            return true;
        }
        if (op)
            return false;
        imm32 = (imm8 >> 7) << 31 | (((imm8 >> 6) & 1) ^ 1) << 30
                | ((imm8 >> 6) & 1 ? 0x3e000000u : 0) | (imm8 & 0x3f) << 19;
        break;
    }
    *out = (uint64_t)imm32 << 32 | imm32;
    return true;
}

static enum arm_result modified_imm(struct arm_ctx *c, uint32_t w)
{
    unsigned cmode = BITS(w, 11, 8), op = BIT(w, 5), q = BIT(w, 6), d = vd(w);
    uint64_t v;
    if ((q && (d & 1)) || !expand_imm(w, &v))
        return ARM_UNDEF;
    /* VORR / VBIC: cmode 0xx1 and 10x1; VMOV / VMVN otherwise (cmode 1110 op 1: VMOV.I64). */
    bool logic = (cmode & 1) && cmode < 12;
    bool invert = op && cmode != 14;
    struct wb o = { 0 };
    for (unsigned h = 0; h < (q ? 2u : 1u); h++) {
        ir_temp t = ir_const_i64(c->b, invert ? ~v : v), r = t;
        if (logic) {
            r = ir_new_i64(c->b);
            if (op)
                ir_gen_and_i64(c->b, r, D(d + h), t);
            else
                ir_gen_or_i64(c->b, r, D(d + h), t);
        }
        put(&o, d + h, r);
    }
    return commit(c, &o);
}

/* ---- Two registers and a shift amount (A7.4.4) ---- */

static enum arm_result shift_imm(struct arm_ctx *c, uint32_t w)
{
    unsigned opc = BITS(w, 11, 8), u = BIT(w, 24), L = BIT(w, 7), q = BIT(w, 6);
    unsigned imm6 = BITS(w, 21, 16), d = vd(w), m = vm(w);
    unsigned esz = L ? 3 : imm6 >= 32 ? 2 : imm6 >= 16 ? 1 : 0, bits = 8u << esz;
    unsigned right = L ? 64 - imm6 : 2 * bits - imm6, left = L ? imm6 : imm6 - bits;
    struct wb o = { 0 };
    if (opc >= 14) {                    /* VCVT between fixed and floating point */
        if (L || !BIT(w, 21) || (q && ((d | m) & 1)))
            return ARM_UNDEF;
        enum ir_vecf op = BIT(w, 8) ? (u ? IR_VECF_FTOUI : IR_VECF_FTOSI)
                                    : (u ? IR_VECF_UITOF : IR_VECF_SITOF);
        for (unsigned h = 0; h < (q ? 2u : 1u); h++)
            put(&o, d + h, fop(c, op, 64 - imm6, D(m + h), zero64(c), zero64(c)));
        return commit(c, &o);
    }
    if (opc == 8 || opc == 9) {         /* narrowing right shifts: Dd from Qm */
        if (L || (m & 1))
            return ARM_UNDEF;
        /* esz is the result's lane size; the source lanes are twice as wide. */
        unsigned round = BIT(w, 6);
        enum ir_vec shr = round ? IR_VEC_RSHRI_U : IR_VEC_SHRI_U, nar;
        if (opc == 8 && !u) {
            nar = IR_VEC_MOVN;
        } else if (opc == 8) {          /* VQSHRUN, VQRSHRUN: signed source */
            shr = round ? IR_VEC_RSHRI_S : IR_VEC_SHRI_S;
            nar = IR_VEC_QMOVUN;
        } else {
            shr = su(round ? IR_VEC_RSHRI_S : IR_VEC_SHRI_S, u);
            nar = su(IR_VEC_QMOVN_S, u);
        }
        unsigned amount = 2 * bits - imm6;
        ir_temp lo = vop1(c, ir_vec_kind(shr, esz + 1, amount), D(m));
        ir_temp hi = vop1(c, ir_vec_kind(shr, esz + 1, amount), D(m + 1));
        uint32_t k = ir_vec_kind(nar, esz, 0);
        if (nar != IR_VEC_MOVN)
            qc(c, k, lo, hi, zero64(c));
        put(&o, d, vop(c, k, lo, hi, zero64(c)));
        return commit(c, &o);
    }
    if (opc == 10) {                    /* VSHLL / VMOVL: Qd from Dm */
        if (L || q || (d & 1))
            return ARM_UNDEF;
        for (unsigned h = 0; h < 2; h++) {
            ir_temp t = vop1(c, ir_vec_kind(su(IR_VEC_MOVL_S, u), esz, h), D(m));
            if (left)
                t = vop1(c, ir_vec_kind(IR_VEC_SHLI, esz + 1, left), t);
            put(&o, d + h, t);
        }
        return commit(c, &o);
    }
    if (opc >= 11 || (q && ((d | m) & 1)))
        return ARM_UNDEF;
    enum ir_vec op;
    unsigned amount = right;
    bool acc = false, insert = false, sat = false;
    switch (opc) {
    case 0: op = su(IR_VEC_SHRI_S, u); break;
    case 1: op = su(IR_VEC_SHRI_S, u); acc = true; break;
    case 2: op = su(IR_VEC_RSHRI_S, u); break;
    case 3: op = su(IR_VEC_RSHRI_S, u); acc = true; break;
    case 4:
        if (!u)
            return ARM_UNDEF;
        op = IR_VEC_SRI;
        insert = true;
        break;
    case 5: op = u ? IR_VEC_SLI : IR_VEC_SHLI; insert = u; amount = left; break;
    case 6:
        if (!u)
            return ARM_UNDEF;
        op = IR_VEC_QSHLUI;
        amount = left;
        sat = true;
        break;
    default: op = su(IR_VEC_QSHLI_S, u); amount = left; sat = true; break;  /* 7 */
    }
    uint32_t k = ir_vec_kind(op, esz, amount);
    unsigned regs = q ? 2 : 1;
    ir_temp a[2], z[2], x[2], r[2], dd[2];
    for (unsigned h = 0; h < regs; h++) {
        a[h] = D(m + h), z[h] = zero64(c), dd[h] = D(d + h);
        x[h] = insert ? D(d + h) : zero64(c);
        if (sat)
            qc(c, k, a[h], z[h], x[h]);
    }
    vq(c, regs, k, a, z, x, r);
    if (acc)
        vq(c, regs, ir_vec_kind(IR_VEC_ADD, esz, 0), dd, r, z, r);
    for (unsigned h = 0; h < regs; h++)
        put(&o, d + h, r[h]);
    return commit(c, &o);
}

/* ---- Two registers, miscellaneous (A7.4.5) ---- */

/* VTRN, VUZP, VZIP on D or Q registers d and m. */
static enum arm_result permute(struct arm_ctx *c, unsigned which, unsigned esz, unsigned q,
                               unsigned d, unsigned m)
{
    struct wb o = { 0 };
    if (!q) {
        if (esz == 2 && which != 1)
            return ARM_UNDEF;           /* VUZP.32 / VZIP.32 of D registers: UNDEFINED */
        static const enum ir_vec lo[] = { IR_VEC_TRNE, IR_VEC_UZPE, IR_VEC_ZIPLO };
        static const enum ir_vec hi[] = { IR_VEC_TRNO, IR_VEC_UZPO, IR_VEC_ZIPHI };
        put(&o, d, vop(c, ir_vec_kind(lo[which - 1], esz, 0), D(d), D(m), zero64(c)));
        put(&o, m, vop(c, ir_vec_kind(hi[which - 1], esz, 0), D(d), D(m), zero64(c)));
        return commit(c, &o);
    }
    switch (which) {
    case 1:     /* VTRN: each half on its own */
        for (unsigned h = 0; h < 2; h++) {
            put(&o, d + h, vop(c, ir_vec_kind(IR_VEC_TRNE, esz, 0), D(d + h), D(m + h), zero64(c)));
            put(&o, m + h, vop(c, ir_vec_kind(IR_VEC_TRNO, esz, 0), D(d + h), D(m + h), zero64(c)));
        }
        break;
    case 2: {   /* VUZP: evens of d:m to d, odds to m */
        uint32_t e = ir_vec_kind(IR_VEC_UZPE, esz, 0), od = ir_vec_kind(IR_VEC_UZPO, esz, 0);
        put(&o, d, vop(c, e, D(d), D(d + 1), zero64(c)));
        put(&o, d + 1, vop(c, e, D(m), D(m + 1), zero64(c)));
        put(&o, m, vop(c, od, D(d), D(d + 1), zero64(c)));
        put(&o, m + 1, vop(c, od, D(m), D(m + 1), zero64(c)));
        break;
    }
    default: {  /* VZIP: d's and m's lanes interleaved, the low halves to d */
        uint32_t l = ir_vec_kind(IR_VEC_ZIPLO, esz, 0), h = ir_vec_kind(IR_VEC_ZIPHI, esz, 0);
        put(&o, d, vop(c, l, D(d), D(m), zero64(c)));
        put(&o, d + 1, vop(c, h, D(d), D(m), zero64(c)));
        put(&o, m, vop(c, l, D(d + 1), D(m + 1), zero64(c)));
        put(&o, m + 1, vop(c, h, D(d + 1), D(m + 1), zero64(c)));
        break;
    }
    }
    return commit(c, &o);
}

/* The floating-point forms of A7.4.5: compares with zero, VABS, VNEG (A = 01, F = 1),
   VRECPE, VRSQRTE and VCVT between f32 and 32-bit integers (A = 11). */
static enum arm_result two_misc_fp(struct arm_ctx *c, uint32_t w, unsigned d, unsigned m,
                                   unsigned regs)
{
    unsigned A = BITS(w, 17, 16), Bf = BITS(w, 10, 6), esz = BITS(w, 19, 18);
    struct wb o = { 0 };
    if (esz != 2)
        return ARM_UNDEF;
    enum ir_vecf op;
    bool swap = false;
    if (A == 1) {
        unsigned k = (Bf >> 1) & 7;
        if (k == 6 || k == 7) {         /* VABS, VNEG: the sign bits */
            enum ir_vec bit = k == 6 ? IR_VEC_AND : IR_VEC_XOR;
            ir_temp s = ir_const_i64(c->b, k == 6 ? 0x7fffffff7fffffffull : 0x8000000080000000ull);
            for (unsigned h = 0; h < regs; h++)
                put(&o, d + h, vop(c, ir_vec_kind(bit, 3, 0), D(m + h), s, zero64(c)));
            return commit(c, &o);
        }
        static const enum ir_vecf cmp[5] = { IR_VECF_FCGT, IR_VECF_FCGE, IR_VECF_FCEQ,
                                             IR_VECF_FCGE, IR_VECF_FCGT };
        if (k > 4)
            return ARM_UNDEF;
        op = cmp[k];
        swap = k >= 3;                  /* VCLE #0: 0 >= a; VCLT #0: 0 > a */
    } else if ((Bf >> 3) == 2) {
        bool flt = (Bf >> 2) & 1, rsqrt = (Bf >> 1) & 1;
        op = rsqrt ? (flt ? IR_VECF_FRSQRTE : IR_VECF_URSQRTE)
                   : (flt ? IR_VECF_FRECPE : IR_VECF_URECPE);
    } else if ((Bf >> 3) == 3) {
        static const enum ir_vecf cvt[4] = { IR_VECF_SITOF, IR_VECF_UITOF, IR_VECF_FTOSI,
                                             IR_VECF_FTOUI };
        op = cvt[(Bf >> 1) & 3];
    } else {
        return ARM_UNDEF;
    }
    for (unsigned h = 0; h < regs; h++) {
        ir_temp a = D(m + h), b = zero64(c);
        if (swap) {
            b = a;
            a = zero64(c);
        }
        put(&o, d + h, fop(c, op, 0, a, b, zero64(c)));
    }
    return commit(c, &o);
}

static enum arm_result two_misc(struct arm_ctx *c, uint32_t w)
{
    unsigned A = BITS(w, 17, 16), Bf = BITS(w, 10, 6), esz = BITS(w, 19, 18), q = BIT(w, 6);
    unsigned d = vd(w), m = vm(w), regs = q ? 2 : 1;
    struct wb o = { 0 };
    if (esz == 3)
        return ARM_UNDEF;
    if (A == 2 && (Bf >> 2) == 2) {     /* VMOVN, VQMOVUN, VQMOVN: Dd from Qm */
        if (m & 1)
            return ARM_UNDEF;
        unsigned op = BITS(w, 7, 6);
        enum ir_vec nar = op == 0 ? IR_VEC_MOVN : op == 1 ? IR_VEC_QMOVUN
                                                : su(IR_VEC_QMOVN_S, op & 1);
        uint32_t k = ir_vec_kind(nar, esz, 0);
        if (op)
            qc(c, k, D(m), D(m + 1), zero64(c));
        put(&o, d, vop(c, k, D(m), D(m + 1), zero64(c)));
        return commit(c, &o);
    }
    if (A == 2 && Bf == 12) {           /* VSHLL #esize: Qd from Dm */
        if (d & 1)
            return ARM_UNDEF;
        for (unsigned h = 0; h < 2; h++) {
            ir_temp t = vop1(c, ir_vec_kind(IR_VEC_MOVL_U, esz, h), D(m));
            put(&o, d + h, vop1(c, ir_vec_kind(IR_VEC_SHLI, esz + 1, 8u << esz), t));
        }
        return commit(c, &o);
    }
    if (q && ((d | m) & 1))
        return ARM_UNDEF;
    if (A == 2 && (Bf >> 1) <= 3) {
        unsigned which = Bf >> 1;
        if (which == 0) {               /* VSWP */
            for (unsigned h = 0; h < regs; h++) {
                put(&o, d + h, D(m + h));
                put(&o, m + h, D(d + h));
            }
            return commit(c, &o);
        }
        return permute(c, which, esz, q, d, m);
    }
    enum ir_vec op;
    unsigned imm = 0;
    bool sat = false, acc = false, swap = false;
    if (A == 0) {
        switch (Bf >> 1) {
        case 0: case 1: case 2:         /* VREV64, VREV32, VREV16 */
            imm = 3 - (Bf >> 1);
            if (esz >= imm)
                return ARM_UNDEF;
            op = IR_VEC_REV;
            break;
        case 4: case 5:                 /* VPADDL */
            op = su(IR_VEC_PADDL_S, BIT(w, 7));
            break;
        case 8: op = IR_VEC_CLS; break;
        case 9: op = IR_VEC_CLZ; break;
        case 10:
            if (esz)
                return ARM_UNDEF;
            op = IR_VEC_CNT;
            break;
        case 11: op = IR_VEC_NOT; break;
        case 12: case 13:               /* VPADAL */
            op = su(IR_VEC_PADDL_S, BIT(w, 7));
            acc = true;
            break;
        case 14: op = IR_VEC_QABS; sat = true; break;
        case 15: op = IR_VEC_QNEG; sat = true; break;
        default: return ARM_UNDEF;
        }
    } else if (A == 1) {
        if (BIT(w, 10))
            return two_misc_fp(c, w, d, m, regs);
        switch ((Bf >> 1) & 7) {
        case 0: op = IR_VEC_CGT_S; break;
        case 1: op = IR_VEC_CGE_S; break;
        case 2: op = IR_VEC_CEQ; break;
        case 3: op = IR_VEC_CGE_S; swap = true; break;     /* VCLE #0: 0 >= a */
        case 4: op = IR_VEC_CGT_S; swap = true; break;     /* VCLT #0: 0 > a */
        case 6: op = IR_VEC_ABS; break;
        case 7: op = IR_VEC_NEG; break;
        default: return ARM_UNDEF;
        }
    } else if (A == 3) {
        return two_misc_fp(c, w, d, m, regs);
    } else if ((Bf & 0x1b) == 0x18) {   /* VCVT between half and single precision */
        if (esz != 1)
            return ARM_UNDEF;
        ir_temp fpscr = ir_new_i64(c->b);
        ir_gen_extu_i32_i64(c->b, fpscr, ir_global(IR_G_FPSCR));
        if (BIT(w, 8)) {                /* F32.F16: Qd from Dm */
            if (d & 1)
                return ARM_UNDEF;
            for (unsigned h = 0; h < 2; h++)
                put(&o, d + h, fop(c, IR_VECF_F16TOF32, h, D(m), zero64(c), fpscr));
        } else {                        /* F16.F32: Dd from Qm */
            if (m & 1)
                return ARM_UNDEF;
            put(&o, d, fop(c, IR_VECF_F32TOF16, 0, D(m), D(m + 1), fpscr));
        }
        return commit(c, &o);
    } else {
        return ARM_UNDEF;
    }
    uint32_t k = ir_vec_kind(op, esz, imm);
    ir_temp a[2], b[2], z[2], r[2], dd[2];
    for (unsigned h = 0; h < regs; h++) {
        z[h] = zero64(c), dd[h] = D(d + h);
        a[h] = swap ? z[h] : D(m + h);
        b[h] = swap ? D(m + h) : z[h];
        if (sat)
            qc(c, k, a[h], b[h], z[h]);
    }
    vq(c, regs, k, a, b, z, r);
    if (acc)
        vq(c, regs, ir_vec_kind(IR_VEC_ADD, esz + 1, 0), dd, r, z, r);
    for (unsigned h = 0; h < regs; h++) {
        put(&o, d + h, r[h]);
    }
    return commit(c, &o);
}

/* ---- VEXT, VTBL/VTBX, VDUP (scalar) ---- */

/* Bytes k .. k + 7 of the 16 bytes lo:hi (k < 8). */
static ir_temp ext64(struct arm_ctx *c, ir_temp lo, ir_temp hi, unsigned k)
{
    return k ? vop(c, ir_vec_kind(IR_VEC_EXT, 0, k), lo, hi, zero64(c)) : lo;
}

static enum arm_result vext(struct arm_ctx *c, uint32_t w)
{
    unsigned imm = BITS(w, 11, 8), q = BIT(w, 6), d = vd(w), n = vn(w), m = vm(w);
    struct wb o = { 0 };
    if (!q) {
        if (imm >= 8)
            return ARM_UNDEF;
        put(&o, d, ext64(c, D(n), D(m), imm));
        return commit(c, &o);
    }
    if ((d | n | m) & 1)
        return ARM_UNDEF;
    ir_temp s[4] = { D(n), D(n + 1), D(m), D(m + 1) };
    unsigned i = imm / 8, k = imm % 8;
    put(&o, d, ext64(c, s[i], s[i + 1], k));
    put(&o, d + 1, ext64(c, s[i + 1], i + 2 < 4 ? s[i + 2] : zero64(c), k));
    return commit(c, &o);
}

static enum arm_result vtbl(struct arm_ctx *c, uint32_t w)
{
    unsigned len = BITS(w, 9, 8) + 1, tbx = BIT(w, 6), d = vd(w), n = vn(w), m = vm(w);
    if (n + len > 32)
        return ARM_UNDEF;
    ir_temp acc = tbx ? D(d) : zero64(c);
    for (unsigned j = 0; j < len; j++)
        acc = vop(c, ir_vec_kind(IR_VEC_TBL, 0, j), D(n + j), D(m), acc);
    struct wb o = { 0 };
    put(&o, d, acc);
    return commit(c, &o);
}

static enum arm_result vdup_scalar(struct arm_ctx *c, uint32_t w)
{
    unsigned imm4 = BITS(w, 19, 16), q = BIT(w, 6), d = vd(w), m = vm(w), esz, idx;
    if (imm4 & 1) {
        esz = 0;
        idx = imm4 >> 1;
    } else if (imm4 & 2) {
        esz = 1;
        idx = imm4 >> 2;
    } else if (imm4 & 4) {
        esz = 2;
        idx = imm4 >> 3;
    } else {
        return ARM_UNDEF;
    }
    if (q && (d & 1))
        return ARM_UNDEF;
    ir_temp t = vop1(c, ir_vec_kind(IR_VEC_DUP, esz, idx), D(m));
    struct wb o = { 0 };
    for (unsigned h = 0; h < (q ? 2u : 1u); h++)
        put(&o, d + h, t);
    return commit(c, &o);
}

/* ---- Three registers of different lengths (A7.4.2) ---- */

/* VQDMULL (acc 0), VQDMLAL (+1) and VQDMLSL (-1) of lanes of esz already widened:
   sat(2 a b), then sat(d +- that); QC from both. */
static ir_temp qdmull(struct arm_ctx *c, int acc, unsigned esz, ir_temp a, ir_temp b, ir_temp d)
{
    uint32_t k = ir_vec_kind(IR_VEC_QDMUL, esz + 1, 0);
    qc(c, k, a, b, zero64(c));
    ir_temp p = vop(c, k, a, b, zero64(c));
    if (!acc)
        return p;
    k = ir_vec_kind(acc > 0 ? IR_VEC_QADD_S : IR_VEC_QSUB_S, esz + 1, 0);
    qc(c, k, d, p, zero64(c));
    return vop(c, k, d, p, zero64(c));
}

static enum arm_result three_diff(struct arm_ctx *c, uint32_t w)
{
    unsigned opc = BITS(w, 11, 8), u = BIT(w, 24), esz = BITS(w, 21, 20);
    unsigned d = vd(w), n = vn(w), m = vm(w);
    struct wb o = { 0 };
    enum ir_vec widen = su(IR_VEC_MOVL_S, u);
    if (opc == 4 || opc == 6) {         /* VADDHN, VRADDHN, VSUBHN, VRSUBHN: Dd from Qn, Qm */
        if ((n | m) & 1)
            return ARM_UNDEF;
        enum ir_vec arith = opc == 4 ? IR_VEC_ADD : IR_VEC_SUB;
        enum ir_vec shr = u ? IR_VEC_RSHRI_U : IR_VEC_SHRI_U;
        ir_temp half[2];
        for (unsigned h = 0; h < 2; h++) {
            ir_temp s = vop(c, ir_vec_kind(arith, esz + 1, 0), D(n + h), D(m + h), zero64(c));
            half[h] = vop1(c, ir_vec_kind(shr, esz + 1, 8u << esz), s);
        }
        put(&o, d, vop(c, ir_vec_kind(IR_VEC_MOVN, esz, 0), half[0], half[1], zero64(c)));
        return commit(c, &o);
    }
    if (d & 1)
        return ARM_UNDEF;
    bool wide_n = opc == 1 || opc == 3;         /* VADDW, VSUBW: Qn */
    if (wide_n && (n & 1))
        return ARM_UNDEF;
    enum ir_vec op;
    bool acc = false, absdiff = false;
    switch (opc) {
    case 0: case 1: op = IR_VEC_ADD; break;
    case 2: case 3: op = IR_VEC_SUB; break;
    case 5: op = IR_VEC_ADD; absdiff = acc = true; break;       /* VABAL */
    case 7: op = IR_VEC_ADD; absdiff = true; break;             /* VABDL */
    case 8: op = IR_VEC_MLA; acc = true; break;                 /* VMLAL */
    case 10: op = IR_VEC_MLS; acc = true; break;                /* VMLSL */
    case 12: op = IR_VEC_MUL; break;                            /* VMULL */
    case 14:                                                    /* VMULL.P8 */
        if (u || esz)
            return esz == 2 ? arm_unimplemented(c) : ARM_UNDEF; /* (P64: ARMv8) */
        op = IR_VEC_PMUL;
        widen = IR_VEC_MOVL_U;
        break;
    case 9: case 11: case 13:                   /* VQDMLAL, VQDMLSL, VQDMULL */
        if (u || esz == 0)
            return ARM_UNDEF;
        for (unsigned h = 0; h < 2; h++) {
            ir_temp a = vop1(c, ir_vec_kind(IR_VEC_MOVL_S, esz, h), D(n));
            ir_temp b = vop1(c, ir_vec_kind(IR_VEC_MOVL_S, esz, h), D(m));
            put(&o, d + h, qdmull(c, opc == 13 ? 0 : opc == 9 ? 1 : -1, esz, a, b, D(d + h)));
        }
        return commit(c, &o);
    default: return ARM_UNDEF;
    }
    uint32_t k = ir_vec_kind(op, esz + 1, 0);
    ir_temp ad = absdiff ? vop(c, ir_vec_kind(su(IR_VEC_ABD_S, u), esz, 0), D(n), D(m), zero64(c))
                         : 0;
    for (unsigned h = 0; h < 2; h++) {
        ir_temp t;
        if (absdiff) {
            t = vop1(c, ir_vec_kind(IR_VEC_MOVL_U, esz, h), ad);
            if (acc)
                t = vop(c, k, D(d + h), t, zero64(c));
        } else {
            ir_temp a = wide_n ? D(n + h) : vop1(c, ir_vec_kind(widen, esz, h), D(n));
            ir_temp b = vop1(c, ir_vec_kind(widen, esz, h), D(m));
            t = acc ? vop(c, k, a, b, D(d + h)) : vop(c, k, a, b, zero64(c));
        }
        put(&o, d + h, t);
    }
    return commit(c, &o);
}

/* ---- Two registers and a scalar (A7.4.3) ---- */

static enum arm_result by_scalar(struct arm_ctx *c, uint32_t w)
{
    unsigned opc = BITS(w, 11, 8), u = BIT(w, 24), esz = BITS(w, 21, 20);
    unsigned d = vd(w), n = vn(w), mraw = BITS(w, 3, 0), M = BIT(w, 5), reg, idx;
    bool flt = (opc & 1) && opc < 10 && opc != 3 && opc != 7;   /* VMLA, VMLS, VMUL .F32 */
    if (flt && esz != 2)
        return ARM_UNDEF;
    if (esz == 1) {
        reg = mraw & 7;
        idx = M << 1 | mraw >> 3;
    } else if (esz == 2) {
        reg = mraw;
        idx = M;
    } else {
        return ARM_UNDEF;
    }
    ir_temp s = vop1(c, ir_vec_kind(IR_VEC_DUP, esz, idx), D(reg));
    struct wb o = { 0 };
    bool lng = opc == 2 || opc == 6 || opc == 10;
    if (lng) {                          /* VMLAL, VMLSL, VMULL (scalar): Qd from Dn */
        if (d & 1)
            return ARM_UNDEF;
        enum ir_vec widen = su(IR_VEC_MOVL_S, u);
        enum ir_vec op = opc == 2 ? IR_VEC_MLA : opc == 6 ? IR_VEC_MLS : IR_VEC_MUL;
        for (unsigned h = 0; h < 2; h++) {
            ir_temp a = vop1(c, ir_vec_kind(widen, esz, h), D(n));
            ir_temp b = vop1(c, ir_vec_kind(widen, esz, h), s);
            put(&o, d + h, vop(c, ir_vec_kind(op, esz + 1, 0), a, b,
                               op == IR_VEC_MUL ? zero64(c) : D(d + h)));
        }
        return commit(c, &o);
    }
    if (opc == 3 || opc == 7 || opc == 11) {    /* VQDMLAL, VQDMLSL, VQDMULL (scalar) */
        if (u || (d & 1))
            return ARM_UNDEF;
        for (unsigned h = 0; h < 2; h++) {
            ir_temp a = vop1(c, ir_vec_kind(IR_VEC_MOVL_S, esz, h), D(n));
            ir_temp b = vop1(c, ir_vec_kind(IR_VEC_MOVL_S, esz, h), s);
            put(&o, d + h, qdmull(c, opc == 11 ? 0 : opc == 3 ? 1 : -1, esz, a, b, D(d + h)));
        }
        return commit(c, &o);
    }
    unsigned q = u, regs = q ? 2 : 1;       /* Q is bit 24 in this class */
    if (q && ((d | n) & 1))
        return ARM_UNDEF;
    if (flt) {
        enum ir_vecf fo = opc == 1 ? IR_VECF_FMLA : opc == 5 ? IR_VECF_FMLS : IR_VECF_FMUL;
        for (unsigned h = 0; h < regs; h++)
            put(&o, d + h, fop(c, fo, 0, D(n + h), s, fo == IR_VECF_FMUL ? zero64(c) : D(d + h)));
        return commit(c, &o);
    }
    enum ir_vec op;
    bool sat = false;
    switch (opc) {
    case 0: op = IR_VEC_MLA; break;
    case 4: op = IR_VEC_MLS; break;
    case 8: op = IR_VEC_MUL; break;
    case 12: op = IR_VEC_QDMULH; sat = true; break;
    case 13: op = IR_VEC_QRDMULH; sat = true; break;
    default: return ARM_UNDEF;
    }
    uint32_t k = ir_vec_kind(op, esz, 0);
    ir_temp a[2], b[2], x[2], r[2];
    for (unsigned h = 0; h < regs; h++) {
        a[h] = D(n + h), b[h] = s;
        x[h] = op == IR_VEC_MLA || op == IR_VEC_MLS ? D(d + h) : zero64(c);
        if (sat)
            qc(c, k, a[h], b[h], x[h]);
    }
    vq(c, regs, k, a, b, x, r);
    for (unsigned h = 0; h < regs; h++)
        put(&o, d + h, r[h]);
    return commit(c, &o);
}

/* ---- The data-processing space (A7.4) ---- */

static enum arm_result data_processing(struct arm_ctx *c, uint32_t w)
{
    unsigned u = BIT(w, 24), A = BITS(w, 23, 19), B = BITS(w, 11, 8), C = BITS(w, 7, 4);
    if (!(A & 0x10))
        return three_same(c, w);
    if ((A & 0x17) == 0x10 && (C & 9) == 1)
        return modified_imm(c, w);
    if (C & 1)
        return shift_imm(c, w);
    if ((A & 0x16) == 0x16) {           /* A = 1x11x */
        if (!u)
            return vext(c, w);
        if (!(B & 8))
            return two_misc(c, w);
        if ((B & 0xc) == 8)
            return vtbl(c, w);
        if (B == 12 && !(C & 8))
            return vdup_scalar(c, w);
        return ARM_UNDEF;
    }
    if (!(C & 4))
        return three_diff(c, w);
    return by_scalar(c, w);
}

/* ---- Element and structure loads and stores (A7.7) ---- */

struct ls {
    ir_temp base;           /* Rn's value */
    unsigned rn, rm;
    unsigned off;           /* bytes transferred so far */
};

static ir_temp ls_addr(struct arm_ctx *c, struct ls *s, unsigned size)
{
    ir_temp a = ir_new_i32(c->b);
    ir_gen_addi_i32(c->b, a, s->base, s->off);
    s->off += size;
    return a;
}

/* Loads `bytes` (1, 2, 4, 8) into an i64 (zero-extended). */
static ir_temp ld_elem(struct arm_ctx *c, struct ls *s, unsigned esz)
{
    struct ir_block *b = c->b;
    ir_temp a = ls_addr(c, s, 1u << esz), v = ir_new_i64(b);
    if (esz == 3) {
        ir_gen_ld_i64(b, v, a, IR_MO_64);
    } else {
        ir_temp t = ir_new_i32(b);
        ir_gen_ld_i32(b, t, a, esz);
        ir_gen_extu_i32_i64(b, v, t);
    }
    return v;
}

static void st_elem(struct arm_ctx *c, struct ls *s, unsigned esz, ir_temp v)
{
    struct ir_block *b = c->b;
    ir_temp a = ls_addr(c, s, 1u << esz);
    if (esz == 3) {
        ir_gen_st_i64(b, v, a, IR_MO_64);
    } else {
        ir_temp t = ir_new_i32(b);
        ir_gen_extrl_i64_i32(b, t, v);
        ir_gen_st_i32(b, t, a, esz);
    }
}

/* reg with lane `lane` (of 8 << esz bits) replaced by the low bits of v. */
static ir_temp insert_lane(struct arm_ctx *c, ir_temp reg, unsigned esz, unsigned lane, ir_temp v)
{
    if (esz == 3)
        return v;
    struct ir_block *b = c->b;
    unsigned sh = lane * (8u << esz);
    uint64_t mask = ((1ull << (8u << esz)) - 1) << sh;
    ir_temp x = ir_new_i64(b), y = ir_new_i64(b), r = ir_new_i64(b);
    ir_gen_and_i64(b, x, reg, ir_const_i64(b, ~mask));
    ir_gen_shl_i64(b, y, v, ir_const_i64(b, sh));
    ir_gen_or_i64(b, r, x, y);
    return r;
}

static ir_temp extract_lane(struct arm_ctx *c, ir_temp reg, unsigned esz, unsigned lane)
{
    if (esz == 3)
        return reg;
    ir_temp r = ir_new_i64(c->b);
    ir_gen_shr_i64(c->b, r, reg, ir_const_i64(c->b, lane * (8u << esz)));
    return r;
}

/* Rn writeback: none (Rm 15), by the transfer size (Rm 13), or by Rm. */
static void ls_writeback(struct arm_ctx *c, const struct ls *s)
{
    if (s->rm == 15)
        return;
    ir_temp nb = ir_new_i32(c->b);
    if (s->rm == 13)
        ir_gen_addi_i32(c->b, nb, s->base, s->off);
    else
        ir_gen_add_i32(c->b, nb, s->base, arm_read_reg(c, (int)s->rm));
    arm_write_reg(c, (int)s->rn, nb);
}

/* VLDn / VSTn (multiple n-element structures), A7.7 type field. */
static enum arm_result ls_multiple(struct arm_ctx *c, uint32_t w, struct ls *s, bool load)
{
    static const struct { uint8_t n, regs, inc; } types[16] = {
        [0] = { 4, 1, 1 }, [1] = { 4, 1, 2 }, [2] = { 1, 4, 1 }, [3] = { 2, 2, 2 },
        [4] = { 3, 1, 1 }, [5] = { 3, 1, 2 }, [6] = { 1, 3, 1 }, [7] = { 1, 1, 1 },
        [8] = { 2, 1, 1 }, [9] = { 2, 1, 2 }, [10] = { 1, 2, 1 },
    };
    unsigned type = BITS(w, 11, 8), esz = BITS(w, 7, 6), d = vd(w);
    if (type > 10)
        return ARM_UNDEF;
    unsigned n = types[type].n, regs = types[type].regs, inc = types[type].inc;
    unsigned align = BITS(w, 5, 4);
    if (n == 1)
        inc = 1;
    if ((n > 1 && esz == 3) || d + (n - 1) * inc + regs > 32)
        return ARM_UNDEF;
    /* The alignment the hint asks for: 8 << (align - 1) bytes; VLD3 knows only 8. */
    if ((n == 1 && (regs & 1) && (align & 2)) || (n == 1 && regs == 2 && align == 3) ||
        (n == 2 && regs == 1 && align == 3) || (n == 3 && (align & 2)))
        return ARM_UNDEF;
    if (align)
        arm_check_align(c, s->base, 4u << align);
    unsigned lanes = 8u >> esz;
    struct wb o = { 0 };
    ir_temp val[4][4];          /* [reg r][structure element k] */
    for (unsigned r = 0; r < regs; r++)
        for (unsigned k = 0; k < n; k++)
            val[r][k] = D(d + r + k * inc);
    if (n == 1) {               /* VLD1/VST1: the registers' bytes in order */
        for (unsigned r = 0; r < regs; r++) {
            if (load) {
                put(&o, d + r, ld_elem(c, s, 3));
            } else {
                st_elem(c, s, 3, val[r][0]);
            }
        }
    } else {
        for (unsigned r = 0; r < regs; r++) {
            ir_temp cur[4];
            for (unsigned k = 0; k < n; k++)
                cur[k] = load ? zero64(c) : val[r][k];
            for (unsigned e = 0; e < lanes; e++)
                for (unsigned k = 0; k < n; k++) {
                    if (load)
                        cur[k] = insert_lane(c, cur[k], esz, e, ld_elem(c, s, esz));
                    else
                        st_elem(c, s, esz, extract_lane(c, cur[k], esz, e));
                }
            if (load)
                for (unsigned k = 0; k < n; k++)
                    put(&o, d + r + k * inc, cur[k]);
        }
    }
    ls_writeback(c, s);
    return commit(c, &o);
}

/* VLDn / VSTn of one lane, and VLDn to all lanes. */
static enum arm_result ls_single(struct arm_ctx *c, uint32_t w, struct ls *s, bool load)
{
    unsigned esz = BITS(w, 11, 10), n = BITS(w, 9, 8) + 1, d = vd(w);
    struct wb o = { 0 };
    if (esz == 3) {             /* to all lanes */
        if (!load)
            return ARM_UNDEF;
        esz = BITS(w, 7, 6);
        unsigned T = BIT(w, 5), regs = 1, inc = 1;
        if (esz == 3) {         /* VLD4 only: 32-bit elements, 16-byte alignment */
            if (n != 4)
                return ARM_UNDEF;
            esz = 2;
        }
        if (n == 1)
            regs = T + 1;
        else
            inc = T + 1;
        if (d + (n - 1) * inc + regs > 32)
            return ARM_UNDEF;
        if (BIT(w, 4)) {        /* a: aligned to the elements (VLD4 of 32 bits: 16) */
            unsigned eb = 1u << esz;
            if ((n == 1 && esz == 0) || n == 3)
                return ARM_UNDEF;
            arm_check_align(c, s->base, n == 1 ? eb : n == 2 ? 2 * eb
                                                 : BITS(w, 7, 6) == 3 ? 16 : esz == 2 ? 8 : 4 * eb);
        }
        for (unsigned k = 0; k < n; k++) {
            ir_temp v = vop1(c, ir_vec_kind(IR_VEC_DUP, esz, 0), ld_elem(c, s, esz));
            for (unsigned r = 0; r < regs; r++)
                put(&o, d + k * inc + r, v);
        }
        ls_writeback(c, s);
        return commit(c, &o);
    }
    unsigned ia = BITS(w, 7, 4), lane, inc = 1, eb = 1u << esz, align = 1;
    switch (esz) {
    case 0: lane = ia >> 1; break;
    case 1: lane = ia >> 2; inc = (n > 1 && (ia & 2)) ? 2 : 1; break;
    default: lane = ia >> 3; inc = (n > 1 && (ia & 4)) ? 2 : 1; break;
    }
    if (d + (n - 1) * inc > 31)
        return ARM_UNDEF;
    /* The alignment bits of index_align (A7.7, VLDn single element to one lane). */
    switch (n) {
    case 1:
        if ((esz == 0 && (ia & 1)) || (esz == 1 && (ia & 2)) ||
            (esz == 2 && (ia & 4 || ((ia & 3) != 0 && (ia & 3) != 3))))
            return ARM_UNDEF;
        align = ia & 1 ? eb : 1;
        break;
    case 2:
        if (esz == 2 && (ia & 2))
            return ARM_UNDEF;
        align = ia & 1 ? 2 * eb : 1;
        break;
    case 3:
        if ((esz < 2 && (ia & 1)) || (esz == 2 && (ia & 3)))
            return ARM_UNDEF;
        break;
    default:
        if (esz == 2 && (ia & 3) == 3)
            return ARM_UNDEF;
        align = esz < 2 ? (ia & 1 ? 4 * eb : 1) : (ia & 3 ? 4u << (ia & 3) : 1);
        break;
    }
    if (align > 1)
        arm_check_align(c, s->base, align);
    for (unsigned k = 0; k < n; k++) {
        unsigned r = d + k * inc;
        if (load)
            put(&o, r, insert_lane(c, D(r), esz, lane, ld_elem(c, s, esz)));
        else
            st_elem(c, s, esz, extract_lane(c, D(r), esz, lane));
    }
    ls_writeback(c, s);
    return commit(c, &o);
}

static enum arm_result load_store(struct arm_ctx *c, uint32_t w)
{
    struct ls s = { .rn = BITS(w, 19, 16), .rm = BITS(w, 3, 0) };
    if (s.rn == 15)
        return ARM_UNDEF;       /* UNPREDICTABLE */
    /* Rn is read once, before any writeback. */
    s.base = ir_new_i32(c->b);
    ir_gen_mov_i32(c->b, s.base, arm_read_reg(c, (int)s.rn));
    bool load = BIT(w, 21);
    if (BIT(w, 23))
        return ls_single(c, w, &s, load);
    return ls_multiple(c, w, &s, load);
}

enum arm_result arm_neon(struct arm_ctx *c)
{
    uint32_t w = a32_form(c->insn);
    if ((w >> 24) == 0xf4)
        return load_store(c, w);
    return data_processing(c, w);
}

/* ---- VDUP (ARM core register), in the core-extension transfer space ---- */

static enum arm_result trans_VDUP(struct arm_ctx *c)
{
    uint32_t raw = c->insn->raw;
    if (arm_neon_encoding(c->insn))
        return arm_neon(c);
    unsigned be = BIT(raw, 22) << 1 | BIT(raw, 5), q = BIT(raw, 21), d = vn(raw);
    unsigned rt = BITS(raw, 15, 12), esz = be == 2 ? 0 : be == 1 ? 1 : be == 0 ? 2 : 3;
    if (esz == 3 || rt == 15 || (q && (d & 1)))
        return ARM_UNDEF;
    ir_temp v = ir_new_i64(c->b);
    ir_gen_extu_i32_i64(c->b, v, arm_read_reg(c, (int)rt));
    ir_temp t = vop1(c, ir_vec_kind(IR_VEC_DUP, esz, 0), v);
    struct wb o = { 0 };
    for (unsigned h = 0; h < (q ? 2u : 1u); h++)
        put(&o, d + h, t);
    return commit(c, &o);
}

const struct arm_handler_entry arm_neon_handlers[] = {
    { ARM_INS_VDUP, trans_VDUP },
    { 0, NULL },
};
