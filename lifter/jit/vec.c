/*
 * The JIT's Advanced SIMD op (vec_i64, lifter/ir/vec.h). A D register lives in a general
 * register like any i64 temp; the common kinds move it into xmm0-xmm2, run one to three
 * SSE instructions and move the result back (SSE2, plus SSSE3/SSE4.1 forms when the host
 * has them, asked once), and the bitwise kinds stay in general registers. Every other kind
 * (or any kind with IR_VEC_SAT) calls helper_neon, the kinds' one meaning.
 */
#include "regalloc.h"
#include "../helpers/helpers.h"
#include "../ir/vec.h"

/* SSE4.1 and with it SSSE3 (pabs*, pmulld, pmin/pmax of every lane size). */
static bool host_sse41(void)
{
    static int known = -1;
    if (known < 0)
        known = __builtin_cpu_supports("sse4.1") ? 1 : 0;
    return known;
}

/* The 66-prefixed opcode of a lanewise kind `op xmm0, xmm1` (0x0f38xx: SSE4.1), or 0. */
static uint32_t sse_op(unsigned op, unsigned esz)
{
    static const uint32_t tab[][4] = {
        [IR_VEC_ADD] = { 0x0ffc, 0x0ffd, 0x0ffe, 0x0fd4 },
        [IR_VEC_SUB] = { 0x0ff8, 0x0ff9, 0x0ffa, 0x0ffb },
        [IR_VEC_MUL] = { 0, 0x0fd5, 0x0f3840, 0 },
        [IR_VEC_CEQ] = { 0x0f74, 0x0f75, 0x0f76, 0x0f3829 },
        [IR_VEC_CGT_S] = { 0x0f64, 0x0f65, 0x0f66, 0 },
        [IR_VEC_MIN_S] = { 0x0f3838, 0x0fea, 0x0f3839, 0 },
        [IR_VEC_MIN_U] = { 0x0fda, 0x0f383a, 0x0f383b, 0 },
        [IR_VEC_MAX_S] = { 0x0f383c, 0x0fee, 0x0f383d, 0 },
        [IR_VEC_MAX_U] = { 0x0fde, 0x0f383e, 0x0f383f, 0 },
        [IR_VEC_QADD_S] = { 0x0fec, 0x0fed, 0, 0 },
        [IR_VEC_QADD_U] = { 0x0fdc, 0x0fdd, 0, 0 },
        [IR_VEC_QSUB_S] = { 0x0fe8, 0x0fe9, 0, 0 },
        [IR_VEC_QSUB_U] = { 0x0fd8, 0x0fd9, 0, 0 },
        [IR_VEC_RHADD_U] = { 0x0fe0, 0x0fe3, 0, 0 },
        [IR_VEC_ABS] = { 0x0f381c, 0x0f381d, 0x0f381e, 0 },
    };
    if (op >= sizeof(tab) / sizeof(tab[0]))
        return 0;
    uint32_t o = tab[op][esz];
    return o > 0xffff && !host_sse41() ? 0 : o;
}

enum {
    PAND = 0x0fdb, PANDN = 0x0fdf, POR = 0x0feb, PXOR = 0x0fef, PCMPEQB = 0x0f74,
    PUNPCKLBW = 0x0f60, PUNPCKLQDQ = 0x0f6c, PACKUSWB = 0x0f67, PACKSSDW = 0x0f6b,
    PSHIFT_W = 0x0f71, PSHIFT_D = 0x0f72, PSHIFT_Q = 0x0f73,    /* /2 srl, /4 sra, /6 sll */
    PMOVSXBW = 0x0f3820, PMOVZXBW = 0x0f3830,   /* +3: from words, +5: from dwords */
};

static void to_xmm(struct jit_cg *cg, int xmm, ir_temp t)
{
    x86_movq_xr(&cg->e, xmm, ra_in(cg, t));
}

static void from_xmm(struct jit_cg *cg, ir_temp out, int xmm)
{
    x86_movq_rx(&cg->e, ra_out(cg, out), xmm);
}

/* out = a OP b in general registers, out's register written last. */
static void gpr_bitwise(struct jit_cg *cg, enum x86_alu alu, bool invert_b, ir_temp out,
                        ir_temp a, ir_temp b)
{
    int ra = ra_in(cg, a), rb = ra_in(cg, b);
    x86_mov_rr(&cg->e, true, JIT_SCRATCH, rb);
    if (invert_b)
        x86_not(&cg->e, true, JIT_SCRATCH);
    x86_alu_rr(&cg->e, alu, true, JIT_SCRATCH, ra);
    x86_mov_rr(&cg->e, true, ra_out(cg, out), JIT_SCRATCH);
}

/* The SSE form of the op, or false when it has none here. */
static bool gen_sse(struct jit_cg *cg, const struct ir_op *op)
{
    const uint64_t *in = ir_op_ins_c(op);
    ir_temp out = (ir_temp)op->args[0], a = (ir_temp)in[0], b = (ir_temp)in[1];
    ir_temp c = (ir_temp)in[2];
    uint64_t kind = ir_op_consts_c(op)[0];
    unsigned o = ir_vec_op(kind), esz = ir_vec_esz(kind), imm = ir_vec_imm(kind);
    struct x86 *e = &cg->e;
    if (kind & IR_VEC_SAT)
        return false;
    switch ((enum ir_vec)o) {
    case IR_VEC_AND: gpr_bitwise(cg, X_AND, false, out, a, b); return true;
    case IR_VEC_OR: gpr_bitwise(cg, X_OR, false, out, a, b); return true;
    case IR_VEC_XOR: gpr_bitwise(cg, X_XOR, false, out, a, b); return true;
    case IR_VEC_ANDC: gpr_bitwise(cg, X_AND, true, out, a, b); return true;
    case IR_VEC_BSL:            /* (a & c) | (b & ~c) */
        to_xmm(cg, 0, a);
        to_xmm(cg, 1, b);
        to_xmm(cg, 2, c);
        x86_sse_rr(e, PAND, 0, 2);
        x86_sse_rr(e, PANDN, 2, 1);
        x86_sse_rr(e, POR, 0, 2);
        from_xmm(cg, out, 0);
        return true;
    case IR_VEC_MLA: case IR_VEC_MLS: {
        uint32_t mul = sse_op(IR_VEC_MUL, esz);
        if (!mul)
            return false;
        to_xmm(cg, 0, a);
        to_xmm(cg, 1, b);
        to_xmm(cg, 2, c);
        x86_sse_rr(e, mul, 0, 1);
        x86_sse_rr(e, sse_op(o == IR_VEC_MLA ? IR_VEC_ADD : IR_VEC_SUB, esz), 2, 0);
        from_xmm(cg, out, 2);
        return true;
    }
    case IR_VEC_CGE_S: {        /* a >= b: not (b > a) */
        uint32_t gt = sse_op(IR_VEC_CGT_S, esz);
        if (!gt)
            return false;
        to_xmm(cg, 0, b);
        to_xmm(cg, 1, a);
        x86_sse_rr(e, gt, 0, 1);
        x86_sse_rr(e, PCMPEQB, 1, 1);
        x86_sse_rr(e, PXOR, 0, 1);
        from_xmm(cg, out, 0);
        return true;
    }
    case IR_VEC_MOVL_S: case IR_VEC_MOVL_U:    /* pmovsx/pmovzx of the half */
        if (!host_sse41())
            return false;
        to_xmm(cg, 0, a);
        if (imm & 1)
            x86_sse_shift_ri(e, PSHIFT_Q, 2, 0, 32);
        x86_sse_rr(e, (o == IR_VEC_MOVL_S ? PMOVSXBW : PMOVZXBW) + (esz ? 2 * esz + 1 : 0), 0, 0);
        from_xmm(cg, out, 0);
        return true;
    case IR_VEC_MOVN:           /* a's wide lanes, then b's, truncated */
        to_xmm(cg, 0, a);
        to_xmm(cg, 1, b);
        x86_sse_rr(e, PUNPCKLQDQ, 0, 1);
        if (esz == 0) {         /* keep each word's low byte, pack without saturating */
            x86_sse_shift_ri(e, PSHIFT_W, 6, 0, 8);
            x86_sse_shift_ri(e, PSHIFT_W, 2, 0, 8);
            x86_sse_rr(e, PACKUSWB, 0, 0);
        } else if (esz == 1) {  /* sign-extend each dword's low word, pack exactly */
            x86_sse_shift_ri(e, PSHIFT_D, 6, 0, 16);
            x86_sse_shift_ri(e, PSHIFT_D, 4, 0, 16);
            x86_sse_rr(e, PACKSSDW, 0, 0);
        } else {                /* dwords 0 and 2 */
            x86_sse_shuf(e, 0x66, 0, 0, 0x08);
        }
        from_xmm(cg, out, 0);
        return true;
    case IR_VEC_DUP:
        to_xmm(cg, 0, a);
        if (esz == 2) {
            x86_sse_shuf(e, 0x66, 0, 0, imm ? 0x55 : 0x00);
        } else if (esz == 1) {
            x86_sse_shuf(e, 0xf2, 0, 0, (uint8_t)(imm * 0x55));
        } else if (esz == 0) {  /* bytes doubled into words, then the word */
            if (imm >= 4)
                x86_sse_shift_ri(e, PSHIFT_Q, 2, 0, 32);
            x86_sse_rr(e, PUNPCKLBW, 0, 0);
            x86_sse_shuf(e, 0xf2, 0, 0, (uint8_t)((imm & 3) * 0x55));
        }
        from_xmm(cg, out, 0);
        return true;
    case IR_VEC_RSHRI_U: case IR_VEC_RSHRI_S: {
        /* (a >> imm) + bit imm - 1 of a; at imm = size that is the top bit (_U) or 0 (_S,
           the sign's -1 plus the top bit) */
        static const uint32_t sh[4] = { 0, PSHIFT_W, PSHIFT_D, PSHIFT_Q };
        unsigned bits = 8u << esz;
        if (!esz || (o == IR_VEC_RSHRI_S && esz == 3))
            return false;
        to_xmm(cg, 0, a);
        to_xmm(cg, 1, a);
        x86_sse_shift_ri(e, sh[esz], 2, 1, (uint8_t)(imm - 1));
        x86_sse_shift_ri(e, sh[esz], 6, 1, (uint8_t)(bits - 1));
        x86_sse_shift_ri(e, sh[esz], 2, 1, (uint8_t)(bits - 1));
        x86_sse_shift_ri(e, sh[esz], o == IR_VEC_RSHRI_U ? 2 : 4, 0, (uint8_t)imm);
        x86_sse_rr(e, sse_op(IR_VEC_ADD, esz), 0, 1);
        from_xmm(cg, out, 0);
        return true;
    }
    case IR_VEC_NEG:
        to_xmm(cg, 1, a);
        x86_sse_rr(e, PXOR, 0, 0);
        x86_sse_rr(e, sse_op(IR_VEC_SUB, esz), 0, 1);
        from_xmm(cg, out, 0);
        return true;
    case IR_VEC_SHLI: case IR_VEC_SHRI_U: case IR_VEC_SHRI_S: {
        /* psll/psrl/psra of words, dwords, qwords (no psraq); a count of at least the
           lane size gives what ARM gives: zeros, or copies of the sign */
        static const uint32_t sh[4] = { 0, 0x0f71, 0x0f72, 0x0f73 };
        if (!esz || (o == IR_VEC_SHRI_S && esz == 3))
            return false;
        unsigned ext = o == IR_VEC_SHLI ? 6 : o == IR_VEC_SHRI_U ? 2 : 4;
        to_xmm(cg, 0, a);
        x86_sse_shift_ri(e, sh[esz], ext, 0, (uint8_t)(imm > 64 ? 64 : imm));
        from_xmm(cg, out, 0);
        return true;
    }
    default: {
        uint32_t x = sse_op(o, esz);
        if (!x)
            return false;
        to_xmm(cg, 0, a);
        if (o != IR_VEC_ABS)
            to_xmm(cg, 1, b);
        x86_sse_rr(e, x, 0, o == IR_VEC_ABS ? 0 : 1);
        from_xmm(cg, out, 0);
        return true;
    }
    }
}

void jit_gen_vec(struct jit_cg *cg, const struct ir_op *op)
{
    if (gen_sse(cg, op))
        return;
    static const int8_t argreg[] = { X_RDI, X_RSI, X_RDX };
    const uint64_t *ins = ir_op_ins_c(op);
    ra_before_call(cg, false);
    for (unsigned i = 0; i < 3; i++)
        jit_load_arg(cg, argreg[i], (ir_temp)ins[i], true);
    x86_mov_ri(&cg->e, false, X_RCX, ir_op_consts_c(op)[0]);
    x86_call(&cg->e, (void *)helper_neon);
    ra_bind_out(cg, (ir_temp)op->args[0], X_RAX);
}
