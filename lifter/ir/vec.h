/*
 * The kinds of the µIR's vec_i64 op (ops.def): Advanced SIMD integer operations on one
 * 64-bit value (a D register) seen as lanes. A kind is one word:
 *   bits 7:0    the operation (enum ir_vec)
 *   bits 9:8    log2 of the lane size in bytes (0: 8-bit lanes ... 3: one 64-bit lane)
 *   bits 23:16  an immediate (shift count, lane index, table register, half selector)
 *   bit  24     IR_VEC_SAT: the result is 1 when some lane of the saturating operation
 *               saturated, else 0 (the frontend ORs it into FPSCR.QC)
 * Inputs a, b, c; an operation ignores the inputs it does not name. Lane i of a value holds
 * bits [i*size, (i+1)*size). The meaning is lifter/helpers/neon.c (helper_neon), which the
 * interpreter and the JIT call and the LLVM raiser inlines where it has no vector form.
 */
#ifndef XL_IR_VEC_H
#define XL_IR_VEC_H

#include <stdint.h>

/* X(name): one line per operation, in enum order. */
#define IR_VEC_OPS(X) \
    X(ADD)      /* a + b */ \
    X(SUB)      /* a - b */ \
    X(MUL)      /* a * b (low half of the product) */ \
    X(MLA)      /* c + a * b */ \
    X(MLS)      /* c - a * b */ \
    X(AND) X(OR) X(XOR) \
    X(ANDC)     /* a & ~b */ \
    X(ORC)      /* a | ~b */ \
    X(BSL)      /* bitwise: c ? a : b */ \
    X(MIN_S) X(MIN_U) X(MAX_S) X(MAX_U) \
    X(CEQ) X(CGT_S) X(CGT_U) X(CGE_S) X(CGE_U)  /* all ones when a op b holds */ \
    X(TST)      /* all ones when a & b != 0 */ \
    X(HADD_S) X(HADD_U)     /* (a + b) >> 1 without overflow */ \
    X(RHADD_S) X(RHADD_U)   /* (a + b + 1) >> 1 */ \
    X(HSUB_S) X(HSUB_U)     /* (a - b) >> 1 */ \
    X(QADD_S) X(QADD_U) X(QSUB_S) X(QSUB_U)     /* saturating */ \
    X(ABD_S) X(ABD_U)       /* |a - b| */ \
    X(ABA_S) X(ABA_U)       /* c + |a - b| */ \
    X(SHL_S) X(SHL_U)       /* VSHL (register): b's lane, low byte signed, shifts a left \
                               (negative: right, arithmetic for _S) */ \
    X(RSHL_S) X(RSHL_U)     /* VRSHL: the same, right shifts rounded */ \
    X(QSHL_S) X(QSHL_U)     /* VQSHL (register): left shifts saturate */ \
    X(QRSHL_S) X(QRSHL_U)   /* VQRSHL: both, right shifts rounded, left ones saturated */ \
    X(ABS) X(NEG) X(QABS) X(QNEG) X(NOT) \
    X(CNT)      /* population count of each byte (8-bit lanes) */ \
    X(CLZ) X(CLS) \
    X(REV)      /* lanes reversed within containers of 1 << imm bytes */ \
    X(SHLI)     /* a << imm */ \
    X(SHRI_S) X(SHRI_U)     /* a >> imm, 1 <= imm <= size */ \
    X(RSHRI_S) X(RSHRI_U)   /* (a + (1 << (imm - 1))) >> imm, without overflow */ \
    X(SRI)      /* a >> imm inserted into c (c keeps its top imm bits) */ \
    X(SLI)      /* a << imm inserted into c (c keeps its low imm bits) */ \
    X(QSHLI_S) X(QSHLI_U)   /* a << imm, saturating */ \
    X(QSHLUI)   /* signed a << imm, saturated to unsigned */ \
    X(PADD) X(PMAX_S) X(PMAX_U) X(PMIN_S) X(PMIN_U) \
                /* pairwise: lane i < n/2 from a's lanes 2i, 2i+1; the rest from b's */ \
    X(PADDL_S) X(PADDL_U)   /* pairwise add long: a's pairs summed into lanes twice as \
                               wide (the size field gives the source lanes) */ \
    X(MOVL_S) X(MOVL_U)     /* widen: the half imm (0 low, 1 high) of a into lanes twice \
                               as wide (size field: the source lanes) */ \
    X(MOVN)     /* narrow: a's lanes twice as wide, truncated, into the low half; b's into \
                   the high half (size field: the result lanes) */ \
    X(QMOVN_S) X(QMOVN_U)   /* the same, saturated signed / unsigned */ \
    X(QMOVUN)   /* signed source saturated to unsigned */ \
    X(DUP)      /* lane imm of a in every lane */ \
    X(EXT)      /* bytes imm .. imm + 7 of the 16 bytes a:b (a the low ones) */ \
    X(ZIPLO) X(ZIPHI)       /* interleave the low (high) halves of a and b: a0 b0 a1 b1 .. */ \
    X(UZPE) X(UZPO)         /* the even (odd) lanes of a, then those of b */ \
    X(TRNE) X(TRNO)         /* a0 b0 a2 b2 .. / a1 b1 a3 b3 .. */ \
    X(TBL)      /* bytes: b's byte k in [8 imm, 8 imm + 8) selects a's byte k - 8 imm, \
                   else c's byte */ \
    X(QDMULH) X(QRDMULH)    /* signed (2 a b [+ rounding]) >> size, saturating */ \
    X(QDMUL)    /* signed 2 a b, saturating (VQDMULL on lanes widened first) */ \
    X(PMUL)     /* carry-less (polynomial) product, its low lane bits */

enum ir_vec {
#define IR_VEC_ENUM(name) IR_VEC_##name,
    IR_VEC_OPS(IR_VEC_ENUM)
#undef IR_VEC_ENUM
    IR_VEC_NUM
};

#define IR_VEC_SAT (1u << 24)

/*
 * The floating-point operations, on two f32 lanes, under the standard FPSCR value
 * (flush-to-zero, default NaN, round to nearest) as Advanced SIMD computes. They are not
 * vec_i64 kinds but the kinds of the neon_fp helper (lifter/helpers/neon_fp.c), called
 * with the same kind word: they raise FPSCR's cumulative exception flags, so they must
 * not be removed when their result is dead, and a helper call is not.
 */
#define IR_VECF_OPS(X) \
    X(FADD) X(FSUB) X(FMUL) \
    X(FMLA) X(FMLS)         /* c + a * b, c - a * b: two roundings */ \
    X(FFMA) X(FFMS)         /* the same fused (VFMA, VFMS) */ \
    X(FMAX) X(FMIN) X(FABD) \
    X(FPADD) X(FPMAX) X(FPMIN)      /* pairwise, as IR_VEC_PADD */ \
    X(FCEQ) X(FCGE) X(FCGT) X(FACGE) X(FACGT)  /* all ones when it holds */ \
    X(FRECPS) X(FRSQRTS)    /* 2 - a b, (3 - a b) / 2 */ \
    X(FRECPE) X(FRSQRTE)    /* the estimates of a's reciprocal (square root) */ \
    X(URECPE) X(URSQRTE)    /* the same on unsigned fixed point */ \
    X(FTOSI) X(FTOUI)       /* to (un)signed fixed point with imm fraction bits */ \
    X(SITOF) X(UITOF)       /* from (un)signed fixed point with imm fraction bits */ \
    X(F32TOF16)             /* a's and b's singles as four halves (c: FPSCR, for AHP) */ \
    X(F16TOF32)             /* the halves imm * 2, imm * 2 + 1 of a as singles (c: FPSCR) */

enum ir_vecf {
#define IR_VECF_ENUM(name) IR_VECF_##name,
    IR_VECF_OPS(IR_VECF_ENUM)
#undef IR_VECF_ENUM
    IR_VECF_NUM
};

static inline unsigned ir_vec_op(uint64_t kind) { return (unsigned)(kind & 0xff); }
static inline unsigned ir_vec_esz(uint64_t kind) { return (unsigned)(kind >> 8) & 3; }
static inline unsigned ir_vec_imm(uint64_t kind) { return (unsigned)(kind >> 16) & 0xff; }
static inline uint32_t ir_vec_kind(enum ir_vec op, unsigned esz, unsigned imm)
{
    return (uint32_t)op | esz << 8 | imm << 16;
}

extern const char *const ir_vec_name[IR_VEC_NUM];

#endif
