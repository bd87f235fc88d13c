/*
 * Advanced SIMD integer operations on one D register: the meaning of the µIR's vec_i64
 * kinds (lifter/ir/vec.h), lane by lane, after the ARM ARM's pseudocode. The interpreter
 * and the JIT call helper_neon; the LLVM raiser emits vector instructions for the common
 * kinds and inlines this (the kind a constant, the switch folds) for the others.
 */
#include "helpers.h"
#include "../ir/vec.h"

static inline uint64_t lane_mask(unsigned bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }

static inline uint64_t ulane(uint64_t v, unsigned i, unsigned bits)
{
    return bits == 64 ? v : (v >> (i * bits)) & lane_mask(bits);
}

static inline int64_t sext(uint64_t v, unsigned bits)
{
    return bits == 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static inline int64_t slane(uint64_t v, unsigned i, unsigned bits)
{
    return sext(ulane(v, i, bits), bits);
}

static inline int64_t smax_of(unsigned bits) { return (int64_t)(lane_mask(bits) >> 1); }
static inline int64_t smin_of(unsigned bits) { return -smax_of(bits) - 1; }

/* Saturation of an exact result (which fits in 64 bits signed, or 65 for the unsigned
   sums below, handled by their callers) to a signed or unsigned lane. */
static uint64_t sat_s(__int128 v, unsigned bits, bool *sat)
{
    if (v > smax_of(bits)) {
        *sat = true;
        return (uint64_t)smax_of(bits);
    }
    if (v < smin_of(bits)) {
        *sat = true;
        return (uint64_t)smin_of(bits);
    }
    return (uint64_t)v;
}

static uint64_t sat_u(__int128 v, unsigned bits, bool *sat)
{
    if (v < 0) {
        *sat = true;
        return 0;
    }
    if ((unsigned __int128)v > lane_mask(bits)) {
        *sat = true;
        return lane_mask(bits);
    }
    return (uint64_t)v;
}

/* VSHL/VRSHL/VQSHL by a signed count: the low byte of the count lane. */
static uint64_t shift_reg(uint64_t ua, int64_t sa, int n, unsigned bits, bool sign, bool round,
                          bool satur, bool *sat)
{
    if (n >= 0) {
        __int128 v = sign ? (__int128)sa : (__int128)ua;
        if (satur) {
            if (v == 0)
                return 0;
            if (n >= (int)bits)
                return sign ? sat_s(v < 0 ? -((__int128)1 << 100) : (__int128)1 << 100, bits, sat)
                            : sat_u((__int128)1 << 100, bits, sat);
            v *= (__int128)1 << n;      /* (a left shift of a negative value is undefined) */
            return sign ? sat_s(v, bits, sat) : sat_u(v, bits, sat);
        }
        return n >= (int)bits ? 0 : ua << n;
    }
    unsigned r = (unsigned)-n;
    __int128 v = sign ? (__int128)sa : (__int128)ua;
    if (round) {
        if (r > bits)
            return 0;
        v += (__int128)1 << (r - 1);
        return (uint64_t)(v >> r);
    }
    if (r >= bits)
        return sign && sa < 0 ? ~0ull : 0;
    return (uint64_t)(v >> r);
}

static uint64_t clz_lane(uint64_t v, unsigned bits)
{
    unsigned n = 0;
    for (int k = (int)bits - 1; k >= 0 && !((v >> k) & 1); k--)
        n++;
    return n;
}

/* One lane of a lanewise kind: a, b, c are lane i of the inputs. */
static uint64_t lanewise(unsigned op, unsigned bits, unsigned imm, uint64_t ua, uint64_t ub,
                         uint64_t uc, bool *sat)
{
    int64_t sa = sext(ua, bits), sb = sext(ub, bits);
    uint64_t ones = lane_mask(bits);
    switch ((enum ir_vec)op) {
    case IR_VEC_ADD: return ua + ub;
    case IR_VEC_SUB: return ua - ub;
    case IR_VEC_MUL: return ua * ub;
    case IR_VEC_MLA: return uc + ua * ub;
    case IR_VEC_MLS: return uc - ua * ub;
    case IR_VEC_MIN_S: return (uint64_t)(sa < sb ? sa : sb);
    case IR_VEC_MIN_U: return ua < ub ? ua : ub;
    case IR_VEC_MAX_S: return (uint64_t)(sa > sb ? sa : sb);
    case IR_VEC_MAX_U: return ua > ub ? ua : ub;
    case IR_VEC_CEQ: return ua == ub ? ones : 0;
    case IR_VEC_CGT_S: return sa > sb ? ones : 0;
    case IR_VEC_CGT_U: return ua > ub ? ones : 0;
    case IR_VEC_CGE_S: return sa >= sb ? ones : 0;
    case IR_VEC_CGE_U: return ua >= ub ? ones : 0;
    case IR_VEC_TST: return (ua & ub) ? ones : 0;
    case IR_VEC_HADD_S: return (uint64_t)(((__int128)sa + sb) >> 1);
    case IR_VEC_HADD_U: return (uint64_t)(((unsigned __int128)ua + ub) >> 1);
    case IR_VEC_RHADD_S: return (uint64_t)(((__int128)sa + sb + 1) >> 1);
    case IR_VEC_RHADD_U: return (uint64_t)(((unsigned __int128)ua + ub + 1) >> 1);
    case IR_VEC_HSUB_S: return (uint64_t)(((__int128)sa - sb) >> 1);
    case IR_VEC_HSUB_U: return (uint64_t)(((__int128)ua - (__int128)ub) >> 1);
    case IR_VEC_QADD_S: return sat_s((__int128)sa + sb, bits, sat);
    case IR_VEC_QADD_U: return sat_u((__int128)ua + ub, bits, sat);
    case IR_VEC_QSUB_S: return sat_s((__int128)sa - sb, bits, sat);
    case IR_VEC_QSUB_U: return sat_u((__int128)ua - (__int128)ub, bits, sat);
    case IR_VEC_ABD_S: return (uint64_t)(sa > sb ? (__int128)sa - sb : (__int128)sb - sa);
    case IR_VEC_ABD_U: return ua > ub ? ua - ub : ub - ua;
    case IR_VEC_ABA_S: return uc + (uint64_t)(sa > sb ? (__int128)sa - sb : (__int128)sb - sa);
    case IR_VEC_ABA_U: return uc + (ua > ub ? ua - ub : ub - ua);
    case IR_VEC_SHL_S: case IR_VEC_SHL_U:
    case IR_VEC_RSHL_S: case IR_VEC_RSHL_U:
    case IR_VEC_QSHL_S: case IR_VEC_QSHL_U:
    case IR_VEC_QRSHL_S: case IR_VEC_QRSHL_U: {
        bool sign = op == IR_VEC_SHL_S || op == IR_VEC_RSHL_S || op == IR_VEC_QSHL_S ||
                    op == IR_VEC_QRSHL_S;
        bool round = op == IR_VEC_RSHL_S || op == IR_VEC_RSHL_U || op == IR_VEC_QRSHL_S ||
                     op == IR_VEC_QRSHL_U;
        bool satur = op == IR_VEC_QSHL_S || op == IR_VEC_QSHL_U || op == IR_VEC_QRSHL_S ||
                     op == IR_VEC_QRSHL_U;
        return shift_reg(ua, sa, (int8_t)ub, bits, sign, round, satur, sat);
    }
    case IR_VEC_ABS: return (uint64_t)(sa < 0 ? -sa : sa);
    case IR_VEC_NEG: return (uint64_t)-sa;
    case IR_VEC_QABS: return sat_s(sa < 0 ? -(__int128)sa : sa, bits, sat);
    case IR_VEC_QNEG: return sat_s(-(__int128)sa, bits, sat);
    case IR_VEC_NOT: return ~ua;
    case IR_VEC_CNT: return (uint64_t)__builtin_popcountll(ua);
    case IR_VEC_CLZ: return clz_lane(ua, bits);
    case IR_VEC_CLS: return clz_lane(sa < 0 ? ~ua & ones : ua, bits) - 1;
    case IR_VEC_SHLI: return imm >= bits ? 0 : ua << imm;
    case IR_VEC_SHRI_S: return (uint64_t)(imm >= bits ? (sa < 0 ? -1 : 0) : sa >> imm);
    case IR_VEC_SHRI_U: return imm >= bits ? 0 : ua >> imm;
    case IR_VEC_RSHRI_S: return (uint64_t)(((__int128)sa + ((__int128)1 << (imm - 1))) >> imm);
    case IR_VEC_RSHRI_U:
        return (uint64_t)(((unsigned __int128)ua + ((unsigned __int128)1 << (imm - 1))) >> imm);
    case IR_VEC_SRI: {
        uint64_t keep = imm >= bits ? ones : ~(ones >> imm) & ones;
        return (uc & keep) | (imm >= bits ? 0 : ua >> imm);
    }
    case IR_VEC_SLI: {
        uint64_t keep = imm >= bits ? ones : lane_mask(imm);
        return (uc & keep) | (imm >= bits ? 0 : ua << imm);
    }
    case IR_VEC_QSHLI_S: return sat_s(sa * ((__int128)1 << imm), bits, sat);
    case IR_VEC_QSHLI_U: return sat_u((__int128)ua << imm, bits, sat);
    case IR_VEC_QSHLUI: return sat_u(sa * ((__int128)1 << imm), bits, sat);
    case IR_VEC_QDMUL: return sat_s(2 * (__int128)sa * sb, bits, sat);
    case IR_VEC_PMUL: {
        uint64_t r = 0;
        for (unsigned k = 0; k < bits; k++)
            if (ub >> k & 1)
                r ^= ua << k;
        return r;
    }
    case IR_VEC_QDMULH: case IR_VEC_QRDMULH: {
        __int128 p = 2 * (__int128)sa * sb;
        if (op == IR_VEC_QRDMULH)
            p += (__int128)1 << (bits - 1);
        return sat_s(p >> bits, bits, sat);
    }
    default:
        return 0;
    }
}

static uint64_t put(uint64_t r, unsigned i, unsigned bits, uint64_t v)
{
    return bits == 64 ? v : r | (v & lane_mask(bits)) << (i * bits);
}

/* Pairwise: lane i of the result from the pair (2i, 2i + 1) of a, then of b. */
static uint64_t pairwise(unsigned op, unsigned bits, uint64_t a, uint64_t b)
{
    unsigned n = 64 / bits, h = n / 2;
    uint64_t r = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t src = i < h ? a : b;
        unsigned k = 2 * (i % h);
        uint64_t x = ulane(src, k, bits), y = ulane(src, k + 1, bits);
        int64_t sx = sext(x, bits), sy = sext(y, bits);
        uint64_t v = 0;
        switch (op) {
        case IR_VEC_PADD: v = x + y; break;
        case IR_VEC_PMAX_S: v = (uint64_t)(sx > sy ? sx : sy); break;
        case IR_VEC_PMAX_U: v = x > y ? x : y; break;
        case IR_VEC_PMIN_S: v = (uint64_t)(sx < sy ? sx : sy); break;
        case IR_VEC_PMIN_U: v = x < y ? x : y; break;
        default: break;
        }
        r = put(r, i, bits, v);
    }
    return r;
}

/* The operations whose lanes do not line up with their inputs' lanes. */
static bool shuffle(unsigned op, unsigned bits, unsigned imm, uint64_t a, uint64_t b, uint64_t c,
                    uint64_t *out, bool *sat)
{
    unsigned n = 64 / bits;
    uint64_t r = 0;
    switch ((enum ir_vec)op) {
    case IR_VEC_PADD: case IR_VEC_PMAX_S: case IR_VEC_PMAX_U:
    case IR_VEC_PMIN_S: case IR_VEC_PMIN_U:
        *out = pairwise(op, bits, a, b);
        return true;
    case IR_VEC_PADDL_S: case IR_VEC_PADDL_U:
        for (unsigned i = 0; i < n / 2; i++) {
            uint64_t v = op == IR_VEC_PADDL_S
                ? (uint64_t)(slane(a, 2 * i, bits) + slane(a, 2 * i + 1, bits))
                : ulane(a, 2 * i, bits) + ulane(a, 2 * i + 1, bits);
            r = put(r, i, 2 * bits, v);
        }
        break;
    case IR_VEC_MOVL_S: case IR_VEC_MOVL_U:
        for (unsigned i = 0; i < n / 2; i++) {
            unsigned k = i + (imm & 1) * n / 2;
            uint64_t v = op == IR_VEC_MOVL_S ? (uint64_t)slane(a, k, bits) : ulane(a, k, bits);
            r = put(r, i, 2 * bits, v);
        }
        break;
    case IR_VEC_MOVN: case IR_VEC_QMOVN_S: case IR_VEC_QMOVN_U: case IR_VEC_QMOVUN:
        for (unsigned i = 0; i < n; i++) {
            uint64_t src = i < n / 2 ? a : b;
            unsigned k = i % (n / 2);
            uint64_t v = ulane(src, k, 2 * bits);
            if (op == IR_VEC_QMOVN_S)
                v = sat_s(slane(src, k, 2 * bits), bits, sat);
            else if (op == IR_VEC_QMOVN_U)
                v = sat_u(v, bits, sat);
            else if (op == IR_VEC_QMOVUN)
                v = sat_u(slane(src, k, 2 * bits), bits, sat);
            r = put(r, i, bits, v);
        }
        break;
    case IR_VEC_DUP:
        for (unsigned i = 0; i < n; i++)
            r = put(r, i, bits, ulane(a, imm, bits));
        break;
    case IR_VEC_EXT:
        r = imm ? a >> (8 * imm) | b << (64 - 8 * imm) : a;
        break;
    case IR_VEC_REV: {
        unsigned per = (1u << imm) * 8 / bits;     /* lanes per container */
        for (unsigned i = 0; i < n; i++) {
            unsigned base = i / per * per, k = base + (per - 1 - (i - base));
            r = put(r, i, bits, ulane(a, k, bits));
        }
        break;
    }
    case IR_VEC_ZIPLO: case IR_VEC_ZIPHI: {
        unsigned off = op == IR_VEC_ZIPHI ? n / 2 : 0;
        for (unsigned i = 0; i < n; i++)
            r = put(r, i, bits, ulane(i & 1 ? b : a, off + i / 2, bits));
        break;
    }
    case IR_VEC_UZPE: case IR_VEC_UZPO: {
        unsigned odd = op == IR_VEC_UZPO;
        for (unsigned i = 0; i < n; i++)
            r = put(r, i, bits, ulane(i < n / 2 ? a : b, 2 * (i % (n / 2)) + odd, bits));
        break;
    }
    case IR_VEC_TRNE: case IR_VEC_TRNO: {
        unsigned odd = op == IR_VEC_TRNO;
        for (unsigned i = 0; i < n; i++)
            r = put(r, i, bits, ulane(i & 1 ? b : a, (i & ~1u) + odd, bits));
        break;
    }
    case IR_VEC_TBL:
        for (unsigned i = 0; i < 8; i++) {
            unsigned k = (unsigned)ulane(b, i, 8);
            bool in = k >= 8 * imm && k < 8 * imm + 8;
            uint64_t v = in ? ulane(a, k - 8 * imm, 8) : ulane(c, i, 8);
            r = put(r, i, 8, v);
        }
        break;
    default:
        return false;
    }
    *out = r;
    return true;
}

uint64_t helper_neon(uint64_t a, uint64_t b, uint64_t c, uint32_t kind)
{
    unsigned op = ir_vec_op(kind), bits = 8u << ir_vec_esz(kind), imm = ir_vec_imm(kind);
    bool sat = false;
    uint64_t r = 0;
    switch (op) {
    case IR_VEC_AND: r = a & b; break;
    case IR_VEC_OR: r = a | b; break;
    case IR_VEC_XOR: r = a ^ b; break;
    case IR_VEC_ANDC: r = a & ~b; break;
    case IR_VEC_ORC: r = a | ~b; break;
    case IR_VEC_BSL: r = (a & c) | (b & ~c); break;
    default:
        if (shuffle(op, bits, imm, a, b, c, &r, &sat))
            break;
        for (unsigned i = 0; i < 64 / bits; i++) {
            bool s = false;
            uint64_t v = lanewise(op, bits, imm, ulane(a, i, bits), ulane(b, i, bits),
                                  ulane(c, i, bits), &s);
            sat |= s;
            r = put(r, i, bits, v);
        }
    }
    if (kind & IR_VEC_SAT)
        return sat;
    return r;
}
