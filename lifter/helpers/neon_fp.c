/*
 * Advanced SIMD floating point on the two f32 lanes of a D register (enum ir_vecf,
 * lifter/ir/vec.h), under StandardFPSCRValue(): flush-to-zero, default NaN, round to
 * nearest. Arithmetic and conversions go through the VFP helpers (lifter/helpers/vfp.c)
 * with that value as their FPSCR, so the rounding, the flushing and the cumulative
 * exception flags are theirs; what VFP lacks (FPMax/FPMin, the compares as masks, the
 * reciprocal estimates and steps) is here, after the ARM ARM's pseudocode, on bit patterns:
 * no host FP op outside the VFP helpers, whose flags would otherwise reach the guest.
 */
#include "helpers.h"
#include "../ir/vec.h"

#define SIGN 0x80000000u
#define DNAN 0x7fc00000u
#define TWO 0x40000000u
#define THREE 0x40400000u
#define ONE_HALF 0x3fc00000u
#define INF 0x7f800000u

static inline void raise_exc(uint32_t bits) { xl_fp_exc |= bits; }
static inline bool is_nan(uint32_t x) { return (x & ~SIGN) > INF; }
static inline bool is_snan(uint32_t x) { return is_nan(x) && !(x & 0x00400000u); }
static inline bool is_zero(uint32_t x) { return !(x & ~SIGN); }
static inline bool is_inf(uint32_t x) { return (x & ~SIGN) == INF; }

/* FPUnpack under FZ: a denormal is a zero of its sign, and raises IDC. */
static uint32_t flush(uint32_t x)
{
    if (!(x & INF) && (x & 0x007fffffu)) {
        raise_exc(FPSCR_IDC);
        return x & SIGN;
    }
    return x;
}

/* FPProcessNaNs under DN (call when a or b is a NaN): IOC for a signalling one. */
static uint32_t nans(uint32_t a, uint32_t b)
{
    if (is_snan(a) || is_snan(b))
        raise_exc(FPSCR_IOC);
    return DNAN;
}

/* An order of non-NaN bit patterns as unsigned integers: -0 just below +0. */
static inline uint32_t key(uint32_t x) { return (x & SIGN) ? ~x : x | SIGN; }

/* FPMax / FPMin: max(+0, -0) = +0, min(+0, -0) = -0, as the key order gives. */
static uint32_t maxmin(uint32_t a, uint32_t b, bool max)
{
    a = flush(a);
    b = flush(b);
    if (is_nan(a) || is_nan(b))
        return nans(a, b);
    return (key(a) > key(b)) == max ? a : b;
}

/* FPCompareEQ/GE/GT as all-ones masks. A NaN compares false; EQ raises IOC only for a
   signalling NaN, GE and GT for any. */
static uint32_t compare(uint32_t a, uint32_t b, enum ir_vecf op)
{
    a = flush(a);
    b = flush(b);
    if (is_nan(a) || is_nan(b)) {
        if (op != IR_VECF_FCEQ || is_snan(a) || is_snan(b))
            raise_exc(FPSCR_IOC);
        return 0;
    }
    bool zeros = is_zero(a) && is_zero(b);
    bool r;
    switch (op) {
    case IR_VECF_FCEQ: r = a == b || zeros; break;
    case IR_VECF_FCGE: r = key(a) >= key(b) || zeros; break;
    default: r = key(a) > key(b) && !zeros; break;
    }
    return r ? ~0u : 0;
}

/* RecipEstimate: for q in [256, 512) (the operand 0.5 <= q / 512 < 1 in 1/512 steps),
   round(256 / ((q + 0.5) / 512)), an integer in [256, 512). */
static uint32_t recip_estimate(uint32_t q)
{
    return (524288u / (2 * q + 1) + 1) >> 1;
}

static uint32_t isqrt(uint32_t v)
{
    uint32_t r = 0;
    for (uint32_t bit = 1u << 30; bit; bit >>= 2) {
        if (v >= r + bit) {
            v -= r + bit;
            r = r >> 1 | bit;
        } else {
            r >>= 1;
        }
    }
    return r;
}

/* RecipSqrtEstimate: round(256 / sqrt(x)) for x = (q + 0.5) / 512 (low: 0.25 <= x < 0.5)
   or (q + 0.5) / 256 (0.5 <= x < 1), q in [128, 256); an integer in [256, 512). The
   largest s with (2s - 1)^2 <= 4 * 256^2 / x, exactly in integers. */
static uint32_t rsqrt_estimate(uint32_t q, bool low)
{
    uint32_t t = (low ? 1u << 28 : 1u << 27) / (2 * q + 1);
    return (isqrt(t) + 1) >> 1;
}

static uint32_t recpe(uint32_t a)
{
    a = flush(a);
    uint32_t sign = a & SIGN, exp = (a >> 23) & 0xff;
    if (is_nan(a))
        return nans(a, 0);
    if (is_inf(a))
        return sign;
    if (is_zero(a)) {
        raise_exc(FPSCR_DZC);
        return sign | INF;
    }
    if (exp >= 253) {               /* |a| >= 2^126: the reciprocal flushes to zero */
        raise_exc(FPSCR_UFC);
        return sign;
    }
    uint32_t s = recip_estimate(256 + ((a >> 15) & 0xff));
    return sign | (253 - exp) << 23 | (s - 256) << 15;
}

static uint32_t rsqrte(uint32_t a)
{
    a = flush(a);
    uint32_t exp = (a >> 23) & 0xff;
    if (is_nan(a))
        return nans(a, 0);
    if (is_zero(a)) {
        raise_exc(FPSCR_DZC);
        return (a & SIGN) | INF;
    }
    if (a & SIGN) {
        raise_exc(FPSCR_IOC);
        return DNAN;
    }
    if (is_inf(a))
        return 0;
    /* An odd exponent scales the operand to [0.25, 0.5), an even one to [0.5, 1). */
    uint32_t s = rsqrt_estimate(128 + ((a >> 16) & 0x7f), exp & 1);
    return ((380 - exp) / 2) << 23 | (s - 256) << 15;
}

static uint32_t urecpe(uint32_t a)
{
    if (!(a & SIGN))
        return ~0u;
    return SIGN | (recip_estimate(256 + ((a >> 23) & 0xff)) - 256) << 23;
}

static uint32_t ursqrte(uint32_t a)
{
    if (!(a >> 30))
        return ~0u;
    uint32_t s = (a & SIGN) ? rsqrt_estimate(128 + ((a >> 24) & 0x7f), false)
                            : rsqrt_estimate(128 + ((a >> 23) & 0x7f), true);
    return SIGN | (s - 256) << 23;
}

/* FPRecipStep and FPRSqrtStep: inf * 0 gives the step's exact value (2, 1.5). */
static uint32_t step(uint32_t a, uint32_t b, bool rsqrt)
{
    uint32_t fa = flush(a), fb = flush(b);
    if ((is_inf(fa) && is_zero(fb)) || (is_zero(fa) && is_inf(fb)))
        return rsqrt ? ONE_HALF : TWO;
    uint32_t p = helper_vmul_f32(fa, fb, FPSCR_STANDARD);
    if (!rsqrt)
        return helper_vsub_f32(TWO, p, FPSCR_STANDARD);
    return helper_vdiv_f32(helper_vsub_f32(THREE, p, FPSCR_STANDARD), TWO, FPSCR_STANDARD);
}

static uint32_t lane(enum ir_vecf op, unsigned imm, uint32_t a, uint32_t b, uint32_t c)
{
    const uint32_t std = FPSCR_STANDARD;
    switch (op) {
    case IR_VECF_FADD: return helper_vadd_f32(a, b, std);
    case IR_VECF_FSUB: return helper_vsub_f32(a, b, std);
    case IR_VECF_FMUL: return helper_vmul_f32(a, b, std);
    case IR_VECF_FMLA: return helper_vmla_f32(c, a, b, std);
    case IR_VECF_FMLS: return helper_vmls_f32(c, a, b, std);
    case IR_VECF_FFMA: return helper_vfma_f32(c, a, b, std);
    case IR_VECF_FFMS: return helper_vfma_f32(c, a ^ SIGN, b, std);
    case IR_VECF_FMAX: return maxmin(a, b, true);
    case IR_VECF_FMIN: return maxmin(a, b, false);
    case IR_VECF_FABD: return helper_vsub_f32(a, b, std) & ~SIGN;
    case IR_VECF_FCEQ: case IR_VECF_FCGE: case IR_VECF_FCGT: return compare(a, b, op);
    case IR_VECF_FACGE: return compare(a & ~SIGN, b & ~SIGN, IR_VECF_FCGE);
    case IR_VECF_FACGT: return compare(a & ~SIGN, b & ~SIGN, IR_VECF_FCGT);
    case IR_VECF_FRECPS: return step(a, b, false);
    case IR_VECF_FRSQRTS: return step(a, b, true);
    case IR_VECF_FRECPE: return recpe(a);
    case IR_VECF_FRSQRTE: return rsqrte(a);
    case IR_VECF_URECPE: return urecpe(a);
    case IR_VECF_URSQRTE: return ursqrte(a);
    case IR_VECF_FTOSI: return helper_vcvt_tofix_f32(a, imm, std);
    case IR_VECF_FTOUI: return helper_vcvt_tofix_f32(a, imm | VFP_FIX_U, std);
    case IR_VECF_SITOF: return helper_vcvt_fromfix_f32(a, imm, std);
    case IR_VECF_UITOF: return helper_vcvt_fromfix_f32(a, imm | VFP_FIX_U, std);
    default: return 0;
    }
}

uint64_t helper_neon_fp(uint64_t a, uint64_t b, uint64_t c, uint32_t kind)
{
    enum ir_vecf op = (enum ir_vecf)ir_vec_op(kind);
    unsigned imm = ir_vec_imm(kind);
    uint32_t a0 = (uint32_t)a, a1 = (uint32_t)(a >> 32);
    uint32_t b0 = (uint32_t)b, b1 = (uint32_t)(b >> 32);
    uint32_t r0, r1;
    /* Half precision follows FPSCR.AHP, which StandardFPSCRValue() keeps. */
    uint32_t hp = FPSCR_STANDARD | ((uint32_t)c & 0x04000000u);
    switch (op) {
    case IR_VECF_F32TOF16:
        r0 = helper_vcvt_f16_f32(a0, hp) | helper_vcvt_f16_f32(a1, hp) << 16;
        r1 = helper_vcvt_f16_f32(b0, hp) | helper_vcvt_f16_f32(b1, hp) << 16;
        break;
    case IR_VECF_F16TOF32: {
        uint64_t x = a >> (32 * (imm & 1));
        r0 = helper_vcvt_f32_f16((uint32_t)x & 0xffff, hp);
        r1 = helper_vcvt_f32_f16((uint32_t)(x >> 16) & 0xffff, hp);
        break;
    }
    case IR_VECF_FPADD:
        r0 = helper_vadd_f32(a0, a1, FPSCR_STANDARD);
        r1 = helper_vadd_f32(b0, b1, FPSCR_STANDARD);
        break;
    case IR_VECF_FPMAX: case IR_VECF_FPMIN:
        r0 = maxmin(a0, a1, op == IR_VECF_FPMAX);
        r1 = maxmin(b0, b1, op == IR_VECF_FPMAX);
        break;
    default:
        r0 = lane(op, imm, a0, b0, (uint32_t)c);
        r1 = lane(op, imm, a1, b1, (uint32_t)(c >> 32));
        break;
    }
    return (uint64_t)r1 << 32 | r0;
}
