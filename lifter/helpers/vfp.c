/*
 * VFP helpers: single and double precision arithmetic, compare and conversions with the
 * results ARMv7 VFPv3 gives (no traps; Linux runs with FPSCR.DN = 0, FZ = 0, RMode RN).
 *
 * Values travel as bit patterns (uint32_t for f32, uint64_t for f64) so that NaN payloads
 * survive. The host (SSE) computes; ARM's NaN rules are applied around it:
 *  - an operation with a NaN operand returns FPProcessNaNs' choice: the first signalling
 *    NaN (quieted), else the first quiet NaN (x86 picks the first operand, signalling or
 *    not, and C may swap commutative operands, so we never leave it to the host);
 *  - an invalid operation (0 * inf, inf - inf, sqrt(-1) ...) returns ARM's default NaN,
 *    positive (x86's "real indefinite" has the sign bit set).
 * FPSCR's control bits RMode, FZ and DN come with each call: the last argument is the
 * guest's FPSCR (helpers.def), a register in raised code. Each helper tests them once (0
 * under Linux) and, when set, takes a slow path (ctl_*) that flushes denormal inputs
 * (IDC), computes with MXCSR.RC in RMode, flushes tiny results (UFC alone) and replaces
 * propagated NaNs with the default NaN, as qemu-arm does (FPUnpack, FPRound,
 * FPProcessNaN).
 *
 * Cumulative exception flags (FPSCR IOC DZC OFC UFC IXC) live in two places, so that the
 * default path stays free of MXCSR traffic (an ldmxcsr per op cost more than the op):
 *  - the host's MXCSR exception flags, sticky themselves: the default path just runs the
 *    SSE op and leaves what it raised there. SSE raises what ARM does for the operands that
 *    reach it: Invalid for invalid operations (and signalling NaNs), divide by zero,
 *    overflow, underflow only when inexact (traps off), inexact. Denormal (DE) has no ARM
 *    flag and is ignored (IDC is for FZ, set by fz_in*). But SSE detects tininess after
 *    rounding, ARM before (FPRound): only the slow path (round32/round64) corrects that, so
 *    the default path misses UFC for an inexact result that rounded up to the smallest
 *    normal, where qemu's softfloat sets it (a known gap, as before);
 *  - xl_fp_exc, for what the helpers work out themselves: IOC for NaN operands (which
 *    never reach the host), the conversions to integer, the slow path (which saves and
 *    restores MXCSR around its own host ops and adds the ARM-exact flags here).
 * The guest's flags are xl_fp_exc | map(MXCSR), merged where FPSCR is read (fpscr_read for
 * vmrs, xl_fpscr_get for signal frames); fpscr_write (vmsr) and xl_fpscr_set (sigreturn)
 * set xl_fp_exc and clear MXCSR's flags. Every other helper keeps MXCSR's flags exact:
 * compares, min/max and conversions other than f64 -> f32 work on the bit patterns as
 * integers, so that the only host FP ops are host32's and host64's, kept in place (see
 * HOST_IN and fixed_to_fp).
 * This assumes that nothing else on a guest thread raises host SSE flags between guest FP
 * ops: the JIT, the translator, the runtime and the LLVM-raised code (which inlines these
 * helpers) do no other host FP work (glibc's printf of a double raises none either). A
 * host signal handler that returns restores MXCSR (the kernel saved it); one that leaves
 * by siglongjmp gets the handler's fresh MXCSR, so it must hand the interrupted MXCSR to
 * xl_fp_keep_host_flags first.
 */
#include <math.h>
#include <string.h>

#include "helpers.h"

/* Clang (the helpers' bitcode for the LLVM raiser) keeps every FP op in order with the FP
   environment (MXCSR) itself: it emits constrained FP intrinsics, which neither move across
   the stmxcsr/ldmxcsr below nor vanish when their value is dead. GCC (the JIT's native
   helpers) has no such mode: HOST_IN/HOST_OUT do it for the host ops there. */
#ifdef __clang__
#pragma STDC FENV_ACCESS ON
#endif

/* The guest's cumulative exception bits (FPSCR[7,4:0]) since its last vmsr that the host's
   MXCSR does not hold (see above); one per host
   thread, as each guest thread runs on its own. Initial-exec: one %fs-relative access
   (the helpers are linked into the executable, never dlopen'ed). */
__attribute__((tls_model("initial-exec"))) _Thread_local uint32_t xl_fp_exc;

#define CTL_SLOW(ctl) __builtin_expect((ctl) != 0, 0)

#define MXCSR_FLAGS 0x3fu   /* IE DE ZE OE UE PE */

static inline uint32_t mxcsr_get(void)
{
    uint32_t csr;
    __asm__ volatile("stmxcsr %0" : "=m"(csr));
    return csr;
}

static inline void mxcsr_set(uint32_t csr)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(csr));
}

/* MXCSR's flags in FPSCR positions: IE→IOC, ZE→DZC, OE→OFC, UE→UFC, PE→IXC; DE dropped. */
static inline uint32_t exc_of_csr(uint32_t csr)
{
    return (csr & 1) | (csr >> 1 & 0x1e);
}

/* Around the default path's host op under GCC: the operands are taken after, and the
   result before, any earlier or later volatile asm (the ldmxcsr of fpscr_write, the
   stmxcsr of fpscr_read), so that the op is neither folded, nor moved across them, nor
   removed when its value is dead (its flags are not). No instruction. Clang: see
   FENV_ACCESS above; an asm here would pin the operands to registers and cost copies. */
#ifdef __clang__
#define HOST_IN(...) ((void)0)
#define HOST_OUT(r) ((void)0)
#else
#define HOST_IN(...) __asm__ volatile("" : __VA_ARGS__)
#define HOST_OUT(r) __asm__ volatile("" : "+x"(r))
#endif

static inline void raise_exc(uint32_t bits) { xl_fp_exc |= bits; }

uint32_t helper_fpscr_read(uint32_t fpscr)
{
    return fpscr | xl_fp_exc | exc_of_csr(mxcsr_get());
}

void helper_fpscr_write(uint32_t fpscr)
{
    xl_fp_exc = fpscr & FPSCR_EXC;
    uint32_t csr = mxcsr_get();
    if (csr & MXCSR_FLAGS)
        mxcsr_set(csr & ~MXCSR_FLAGS);
}

uint32_t xl_fpscr_get(const struct cpu *cpu)
{
    return helper_fpscr_read(cpu->fpscr);
}

void xl_fpscr_set(struct cpu *cpu, uint32_t fpscr)
{
    cpu->fpscr = fpscr;
    helper_fpscr_write(fpscr);
}

void xl_fp_keep_host_flags(uint32_t mxcsr)
{
    raise_exc(exc_of_csr(mxcsr));
}

/* ---- Bit patterns ---- */

static inline float f32_of(uint32_t x) { float f; memcpy(&f, &x, 4); return f; }
static inline double f64_of(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static inline uint32_t bits32(float f) { uint32_t x; memcpy(&x, &f, 4); return x; }
static inline uint64_t bits64(double d) { uint64_t x; memcpy(&x, &d, 8); return x; }

#define F32_SIGN    0x80000000u
#define F32_QUIET   0x00400000u
#define F32_DNAN    0x7fc00000u     /* FPDefaultNaN() */
#define F64_SIGN    0x8000000000000000ull
#define F64_QUIET   0x0008000000000000ull
#define F64_DNAN    0x7ff8000000000000ull

static inline int nan32(uint32_t x) { return (x & ~F32_SIGN) > 0x7f800000u; }
static inline int snan32(uint32_t x) { return nan32(x) && !(x & F32_QUIET); }
static inline int nan64(uint64_t x) { return (x & ~F64_SIGN) > 0x7ff0000000000000ull; }
static inline int snan64(uint64_t x) { return nan64(x) && !(x & F64_QUIET); }

/* FPProcessNaNs: call only when a or b is a NaN. A signalling NaN raises IOC. */
static uint32_t nans32(uint32_t a, uint32_t b)
{
    if (snan32(a) || snan32(b))
        raise_exc(FPSCR_IOC);
    if (snan32(a))
        return a | F32_QUIET;
    if (snan32(b))
        return b | F32_QUIET;
    return nan32(a) ? a : b;
}

static uint64_t nans64(uint64_t a, uint64_t b)
{
    if (snan64(a) || snan64(b))
        raise_exc(FPSCR_IOC);
    if (snan64(a))
        return a | F64_QUIET;
    if (snan64(b))
        return b | F64_QUIET;
    return nan64(a) ? a : b;
}

/* FPProcessNaNs3: call only when one of a, b, c is a NaN. */
static uint32_t nans3_32(uint32_t a, uint32_t b, uint32_t c)
{
    if (snan32(a) || snan32(b) || snan32(c)) {
        raise_exc(FPSCR_IOC);
        return (snan32(a) ? a : snan32(b) ? b : c) | F32_QUIET;
    }
    return nan32(a) ? a : nan32(b) ? b : c;
}

static uint64_t nans3_64(uint64_t a, uint64_t b, uint64_t c)
{
    if (snan64(a) || snan64(b) || snan64(c)) {
        raise_exc(FPSCR_IOC);
        return (snan64(a) ? a : snan64(b) ? b : c) | F64_QUIET;
    }
    return nan64(a) ? a : nan64(b) ? b : c;
}

enum fop { FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV, FOP_SQRT, FOP_FMA, FOP_CVT };

/* A NaN that the host made from non-NaN operands is an invalid operation: default NaN. */
static inline uint32_t res32(float r) { uint32_t x = bits32(r); return nan32(x) ? F32_DNAN : x; }
static inline uint64_t res64(double r) { uint64_t x = bits64(r); return nan64(x) ? F64_DNAN : x; }

/*
 * The default path runs the host op first and looks at the operands only when the result
 * is a NaN (a non-NaN result means neither operand was one): then the NaN ARM gives. The
 * host op raised IE for a signalling operand, as FPProcessNaNs raises IOC; a quiet NaN
 * operand raises nothing on either (DE does not reach FPSCR without FZ). NAN_RESULT is a
 * quiet compare: it raises nothing (isunordered: under strict FP one ucomis and a jp, where
 * `r != r` costs two setcc). Operands and result travel as host values (NaN bit
 * patterns pass unchanged), so the default path keeps them in SSE registers only.
 */
#define NAN_RESULT(r) __builtin_expect(isunordered(r, r), 0)

__attribute__((noinline, cold)) static float nan_out_f32(float x, float y)
{
    uint32_t a = bits32(x), b = bits32(y);
    return f32_of(nan32(a) || nan32(b) ? nans32(a, b) : F32_DNAN);
}

__attribute__((noinline, cold)) static double nan_out_f64(double x, double y)
{
    uint64_t a = bits64(x), b = bits64(y);
    return f64_of(nan64(a) || nan64(b) ? nans64(a, b) : F64_DNAN);
}

/* The host op, as the default path runs it (see HOST_IN); FOP_CVT converts w, FOP_FMA is
   z + x * y. */
static inline float host32(enum fop op, float x, float y, float z, double w)
{
    float r = 0;
    switch (op) {
    case FOP_ADD: HOST_IN("+x"(x), "+x"(y)); r = x + y; break;
    case FOP_SUB: HOST_IN("+x"(x), "+x"(y)); r = x - y; break;
    case FOP_MUL: HOST_IN("+x"(x), "+x"(y)); r = x * y; break;
    case FOP_DIV: HOST_IN("+x"(x), "+x"(y)); r = x / y; break;
    case FOP_SQRT: HOST_IN("+x"(x)); r = sqrtf(x); break;
    case FOP_FMA: HOST_IN("+x"(x), "+x"(y), "+x"(z)); r = fmaf(x, y, z); break;
    case FOP_CVT: HOST_IN("+x"(w)); r = (float)w; break;
    }
    HOST_OUT(r);
    return r;
}

static inline double host64(enum fop op, double x, double y, double z)
{
    double r = 0;
    switch (op) {
    case FOP_ADD: HOST_IN("+x"(x), "+x"(y)); r = x + y; break;
    case FOP_SUB: HOST_IN("+x"(x), "+x"(y)); r = x - y; break;
    case FOP_MUL: HOST_IN("+x"(x), "+x"(y)); r = x * y; break;
    case FOP_DIV: HOST_IN("+x"(x), "+x"(y)); r = x / y; break;
    case FOP_SQRT: HOST_IN("+x"(x)); r = sqrt(x); break;
    case FOP_FMA: HOST_IN("+x"(x), "+x"(y), "+x"(z)); r = fma(x, y, z); break;
    case FOP_CVT: break;    /* f64 → f32 only: host32 */
    }
    HOST_OUT(r);
    return r;
}

/* ---- FPSCR control bits: the slow path ---- */

#define MXCSR_UE 0x10u
#define MXCSR_PE 0x20u
#define MXCSR_RC 0x6000u

/* MXCSR.RC for FPSCR.RMode: RN → nearest, RP → up (+inf), RM → down (-inf), RZ → zero. */
static const uint32_t rc_of_rmode[4] = { 0x0000, 0x4000, 0x2000, 0x6000 };

static inline uint32_t ctl_rc(uint32_t ctl) { return rc_of_rmode[(ctl >> FPSCR_RMODE_SHIFT) & 3]; }

/* FPUnpack with FPSCR.FZ: a denormal operand is a zero of its sign and raises IDC. */
static inline uint32_t fz_in32(uint32_t ctl, uint32_t x)
{
    if ((ctl & FPSCR_FZ) && (x & 0x7f800000u) == 0 && (x & 0x7fffffu)) {
        raise_exc(FPSCR_IDC);
        return x & F32_SIGN;
    }
    return x;
}

static inline uint64_t fz_in64(uint32_t ctl, uint64_t x)
{
    if ((ctl & FPSCR_FZ) && (x & 0x7ff0000000000000ull) == 0 && (x & 0xfffffffffffffull)) {
        raise_exc(FPSCR_IDC);
        return x & F64_SIGN;
    }
    return x;
}

/* FPProcessNaN(s) with FPSCR.DN: the default NaN instead of the operand's. */
static inline uint32_t dn32(uint32_t ctl, uint32_t n) { return (ctl & FPSCR_DN) ? F32_DNAN : n; }
static inline uint64_t dn64(uint32_t ctl, uint64_t n) { return (ctl & FPSCR_DN) ? F64_DNAN : n; }

/* op on host values with MXCSR.RC = rc and no flags; the MXCSR flags it raised go to
   *raised and MXCSR is restored, flags included. host32/host64 keep the op between the
   volatile asm statements. w is FOP_CVT's f64 operand. */
static float calc32(enum fop op, float x, float y, float z, double w, uint32_t rc,
                    uint32_t *raised)
{
    uint32_t old = mxcsr_get();
    mxcsr_set((old & ~(MXCSR_RC | MXCSR_FLAGS)) | rc);
    float r = host32(op, x, y, z, w);
    *raised = mxcsr_get() & MXCSR_FLAGS;
    mxcsr_set(old);
    return r;
}

static double calc64(enum fop op, double x, double y, double z, double w, uint32_t rc,
                     uint32_t *raised)
{
    (void)w;
    uint32_t old = mxcsr_get();
    mxcsr_set((old & ~(MXCSR_RC | MXCSR_FLAGS)) | rc);
    double r = host64(op, x, y, z);
    *raised = mxcsr_get() & MXCSR_FLAGS;
    mxcsr_set(old);
    return r;
}

/*
 * FPRound of the exact result of op in FPSCR's mode, flags ORed into xl_fp_exc. ARM
 * detects tininess before rounding, SSE after (0x1.0000000000001p-1022 * (1 - 0x1p-52)
 * rounds to 0x1p-1022 and raises only PE): a smallest normal result that was inexact is
 * tiny when rounding toward zero, done again, gives a denormal. With FZ a tiny result is a
 * zero of its sign and raises UFC alone (FPRound returns before the inexact test; qemu's
 * float_flag_output_denormal). A NaN made here is an invalid operation: default NaN.
 */
#define ROUND_FN(name, T, W, calc, bitsf, EXPMASK, MINNORM, SIGN, DNAN)                  \
    static W name(uint32_t ctl, enum fop op, T x, T y, T z, double w)                  \
    {                                                                                   \
        uint32_t raised, rz;                                                            \
        T r = calc(ctl_rc(ctl), &raised);                                               \
        W rb = bitsf(r);                                                                \
        if ((rb & ~SIGN) == MINNORM && (raised & (MXCSR_UE | MXCSR_PE)) == MXCSR_PE    \
            && (bitsf(calc(MXCSR_RC, &rz)) & EXPMASK) == 0)                             \
            raised |= MXCSR_UE;                                                         \
        if ((ctl & FPSCR_FZ)                                                            \
            && ((raised & MXCSR_UE) || ((rb & EXPMASK) == 0 && (rb & ~SIGN) != 0))) {   \
            rb &= SIGN;                                                                 \
            raised &= ~(MXCSR_UE | MXCSR_PE);                                           \
            raise_exc(FPSCR_UFC);                                                       \
        }                                                                               \
        raise_exc((raised & 1) | (raised >> 1 & 0x1e));                                 \
        return (rb & ~SIGN) > EXPMASK ? DNAN : rb;                                      \
    }
#define CALC32(rc, p) calc32(op, x, y, z, w, rc, p)
#define CALC64(rc, p) calc64(op, x, y, z, w, rc, p)
ROUND_FN(round32, float, uint32_t, CALC32, bits32, 0x7f800000u, 0x00800000u, F32_SIGN,
         F32_DNAN)
ROUND_FN(round64, double, uint64_t, CALC64, bits64, 0x7ff0000000000000ull,
         0x0010000000000000ull, F64_SIGN, F64_DNAN)
#undef CALC32
#undef CALC64
#undef ROUND_FN

static inline int inf_zero32(uint32_t x, uint32_t y);
static inline int inf_zero64(uint64_t x, uint64_t y);

/* An arithmetic op under FPSCR's control bits: FOP_FMA is c + a * b, FOP_SQRT takes a. */
__attribute__((noinline)) static uint32_t ctl_op32(uint32_t ctl, enum fop op, uint32_t a,
                                                   uint32_t b, uint32_t c)
{
    a = fz_in32(ctl, a);
    b = fz_in32(ctl, b);
    c = fz_in32(ctl, c);
    if (op == FOP_FMA && (nan32(a) || nan32(b) || nan32(c))) {
        if (nan32(c) && !snan32(c) && inf_zero32(a, b)) {
            raise_exc(FPSCR_IOC);
            return F32_DNAN;
        }
        return dn32(ctl, nans3_32(c, a, b));
    }
    if (op != FOP_FMA && (nan32(a) || nan32(b)))
        return dn32(ctl, nans32(a, b));
    return round32(ctl, op, f32_of(a), f32_of(b), f32_of(c), 0);
}

__attribute__((noinline)) static uint64_t ctl_op64(uint32_t ctl, enum fop op, uint64_t a,
                                                   uint64_t b, uint64_t c)
{
    a = fz_in64(ctl, a);
    b = fz_in64(ctl, b);
    c = fz_in64(ctl, c);
    if (op == FOP_FMA && (nan64(a) || nan64(b) || nan64(c))) {
        if (nan64(c) && !snan64(c) && inf_zero64(a, b)) {
            raise_exc(FPSCR_IOC);
            return F64_DNAN;
        }
        return dn64(ctl, nans3_64(c, a, b));
    }
    if (op != FOP_FMA && (nan64(a) || nan64(b)))
        return dn64(ctl, nans64(a, b));
    return round64(ctl, op, f64_of(a), f64_of(b), f64_of(c), 0);
}

/* ctl_op32/64 on host values (as nan_out_f32): the slow path out of line and cold. */
__attribute__((noinline, cold)) static float ctl_op_f32(uint32_t ctl, enum fop op, float a,
                                                        float b)
{
    return f32_of(ctl_op32(ctl, op, bits32(a), bits32(b), 0));
}

__attribute__((noinline, cold)) static double ctl_op_f64(uint32_t ctl, enum fop op, double a,
                                                         double b)
{
    return f64_of(ctl_op64(ctl, op, bits64(a), bits64(b), 0));
}

/* ---- Arithmetic ---- */

#define VFP_BINOP(name, fop)                                                    \
    uint32_t helper_##name##_f32(uint32_t a, uint32_t b, uint32_t fpscr)        \
    {                                                                           \
        uint32_t ctl = fpscr & FPSCR_CTL;                                       \
        float x = f32_of(a), y = f32_of(b), r;                                  \
        if (CTL_SLOW(ctl))                                                      \
            r = ctl_op_f32(ctl, fop, x, y);                                     \
        else if (r = host32(fop, x, y, 0, 0), NAN_RESULT(r))                   \
            r = nan_out_f32(x, y);                                              \
        return bits32(r);                                                       \
    }                                                                           \
    uint64_t helper_##name##_f64(uint64_t a, uint64_t b, uint32_t fpscr)        \
    {                                                                           \
        uint32_t ctl = fpscr & FPSCR_CTL;                                       \
        double x = f64_of(a), y = f64_of(b), r;                                 \
        if (CTL_SLOW(ctl))                                                      \
            r = ctl_op_f64(ctl, fop, x, y);                                     \
        else if (r = host64(fop, x, y, 0), NAN_RESULT(r))                      \
            r = nan_out_f64(x, y);                                              \
        return bits64(r);                                                       \
    }
VFP_BINOP(vadd, FOP_ADD)
VFP_BINOP(vsub, FOP_SUB)
VFP_BINOP(vmul, FOP_MUL)
VFP_BINOP(vdiv, FOP_DIV)
#undef VFP_BINOP

uint32_t helper_vsqrt_f32(uint32_t a, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL;
    float x = f32_of(a), r;
    if (CTL_SLOW(ctl))
        r = ctl_op_f32(ctl, FOP_SQRT, x, x);
    else if (r = host32(FOP_SQRT, x, 0, 0, 0), NAN_RESULT(r))
        r = nan_out_f32(x, x);
    return bits32(r);
}

uint64_t helper_vsqrt_f64(uint64_t a, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL;
    double x = f64_of(a), r;
    if (CTL_SLOW(ctl))
        r = ctl_op_f64(ctl, FOP_SQRT, x, x);
    else if (r = host64(FOP_SQRT, x, 0, 0), NAN_RESULT(r))
        r = nan_out_f64(x, x);
    return bits64(r);
}

/*
 * VMLA d + n * m and VMLS d + -(n * m): two roundings, FPMul then FPAdd (the VNMLA/VNMLS
 * forms negate d first). The host runs both ops; every NaN on the way (a NaN operand, an
 * invalid product) makes the sum a NaN, so one test of the result tells when ARM's NaN
 * rules apply: then the two ops again, exactly, as VMUL and VADD. The host ops' flags are
 * the ones those raise (d - p is d + -p in IEEE 754), and raising them twice changes
 * nothing.
 */
__attribute__((noinline, cold)) static float mac_exact_f32(float d, float n, float m,
                                                           uint32_t neg, uint32_t fpscr)
{
    uint32_t p = helper_vmul_f32(bits32(n), bits32(m), fpscr) ^ neg;
    return f32_of(helper_vadd_f32(bits32(d), p, fpscr));
}

__attribute__((noinline, cold)) static double mac_exact_f64(double d, double n, double m,
                                                            uint64_t neg, uint32_t fpscr)
{
    uint64_t p = helper_vmul_f64(bits64(n), bits64(m), fpscr) ^ neg;
    return f64_of(helper_vadd_f64(bits64(d), p, fpscr));
}

/* The exact path takes and gives host values, as nan_out_f32 does. */
#define VFP_MAC(name, fop, neg)                                                 \
    uint32_t helper_##name##_f32(uint32_t d, uint32_t n, uint32_t m, uint32_t fpscr) \
    {                                                                           \
        float x = f32_of(d), y = f32_of(n), z = f32_of(m), r;                   \
        if (CTL_SLOW(fpscr & FPSCR_CTL) ||                                      \
            (r = host32(fop, x, host32(FOP_MUL, y, z, 0, 0), 0, 0), NAN_RESULT(r))) \
            r = mac_exact_f32(x, y, z, neg ? F32_SIGN : 0, fpscr);              \
        return bits32(r);                                                       \
    }                                                                           \
    uint64_t helper_##name##_f64(uint64_t d, uint64_t n, uint64_t m, uint32_t fpscr) \
    {                                                                           \
        double x = f64_of(d), y = f64_of(n), z = f64_of(m), r;                  \
        if (CTL_SLOW(fpscr & FPSCR_CTL) ||                                      \
            (r = host64(fop, x, host64(FOP_MUL, y, z, 0), 0), NAN_RESULT(r)))   \
            r = mac_exact_f64(x, y, z, neg ? F64_SIGN : 0, fpscr);              \
        return bits64(r);                                                       \
    }
VFP_MAC(vmla, FOP_ADD, 0)
VFP_MAC(vmls, FOP_SUB, 1)
#undef VFP_MAC

/*
 * FPMulAdd(addend, op1, op2): addend + op1 * op2 with one rounding. A quiet NaN addend
 * with inf * 0 is still an invalid operation (ARM ARM FPMulAdd).
 */
static inline int inf_zero32(uint32_t x, uint32_t y)
{
    uint32_t ax = x & ~F32_SIGN, ay = y & ~F32_SIGN;
    return (ax == 0x7f800000u && ay == 0) || (ax == 0 && ay == 0x7f800000u);
}

static inline int inf_zero64(uint64_t x, uint64_t y)
{
    uint64_t ax = x & ~F64_SIGN, ay = y & ~F64_SIGN;
    return (ax == 0x7ff0000000000000ull && ay == 0) || (ax == 0 && ay == 0x7ff0000000000000ull);
}

uint32_t helper_vfma_f32(uint32_t addend, uint32_t a, uint32_t b, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL;
    if (CTL_SLOW(ctl))
        return ctl_op32(ctl, FOP_FMA, a, b, addend);
    if (nan32(addend) || nan32(a) || nan32(b)) {
        if (nan32(addend) && !snan32(addend) && inf_zero32(a, b)) {
            raise_exc(FPSCR_IOC);
            return F32_DNAN;
        }
        return nans3_32(addend, a, b);
    }
    return res32(host32(FOP_FMA, f32_of(a), f32_of(b), f32_of(addend), 0));
}

uint64_t helper_vfma_f64(uint64_t addend, uint64_t a, uint64_t b, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL;
    if (CTL_SLOW(ctl))
        return ctl_op64(ctl, FOP_FMA, a, b, addend);
    if (nan64(addend) || nan64(a) || nan64(b)) {
        if (nan64(addend) && !snan64(addend) && inf_zero64(a, b)) {
            raise_exc(FPSCR_IOC);
            return F64_DNAN;
        }
        return nans3_64(addend, a, b);
    }
    return res64(host64(FOP_FMA, f64_of(a), f64_of(b), f64_of(addend)));
}

/* The order of non-NaN bit patterns as signed integers, -0 and +0 equal: compares without
   host FP ops, which could raise Invalid (comisd) or be hoisted above the NaN test. */
static inline int64_t ord32(uint32_t x)
{
    int64_t m = x & ~F32_SIGN;
    return (x & F32_SIGN) ? -m : m;
}

static inline int64_t ord64(uint64_t x)
{
    int64_t m = (int64_t)(x & ~F64_SIGN);
    return (x & F64_SIGN) ? -m : m;
}

/* FPCompare → NZCV: equal 0110, less 1000, greater 0010, unordered 0011. Unordered
   raises IOC for a signalling NaN (VCMP) or any NaN (VCMPE, quiet_nan_exc). FZ flushes
   denormal operands first. */
#define VFP_CMP(name, W, nanf, snanf, val, fz_in, quiet_exc)                    \
    uint32_t helper_##name(W a, W b, uint32_t fpscr)                            \
    {                                                                           \
        uint32_t ctl = fpscr & FPSCR_CTL;                                       \
        if (CTL_SLOW(ctl)) {                                                    \
            a = fz_in(ctl, a);                                                  \
            b = fz_in(ctl, b);                                                  \
        }                                                                       \
        if (nanf(a) || nanf(b)) {                                               \
            if (quiet_exc || snanf(a) || snanf(b))                              \
                raise_exc(FPSCR_IOC);                                           \
            return 0x3;                                                         \
        }                                                                       \
        return val(a) == val(b) ? 0x6 : val(a) < val(b) ? 0x8 : 0x2;            \
    }
VFP_CMP(vcmp_f32, uint32_t, nan32, snan32, ord32, fz_in32, 0)
VFP_CMP(vcmpe_f32, uint32_t, nan32, snan32, ord32, fz_in32, 1)
VFP_CMP(vcmp_f64, uint64_t, nan64, snan64, ord64, fz_in64, 0)
VFP_CMP(vcmpe_f64, uint64_t, nan64, snan64, ord64, fz_in64, 1)
#undef VFP_CMP

/*
 * FPMaxNum / FPMinNum (ARMv8 VMAXNM, VMINNM): a quiet NaN loses against a number; then
 * FPMax/FPMin, where +0 beats -0 for max and -0 beats +0 for min. FZ flushes the
 * operands, DN replaces a NaN result.
 */
#define VFP_MINMAXNM(name, W, nanf, snanf, nansf, val, fz_in, dn, isMax)        \
    W helper_##name(W a, W b, uint32_t fpscr)                                   \
    {                                                                           \
        uint32_t ctl = fpscr & FPSCR_CTL;                                       \
        if (CTL_SLOW(ctl)) {                                                    \
            a = fz_in(ctl, a);                                                  \
            b = fz_in(ctl, b);                                                  \
        }                                                                       \
        if (nanf(a) && !snanf(a) && !nanf(b))                                   \
            return b;                                                           \
        if (nanf(b) && !snanf(b) && !nanf(a))                                   \
            return a;                                                           \
        if (nanf(a) || nanf(b))                                                 \
            return dn(ctl, nansf(a, b));                                        \
        int64_t x = val(a), y = val(b);                                         \
        if (x == y)     /* equal, or +0 and -0: merge the signs */              \
            return isMax ? (a & b) : (a | b);                                   \
        return (isMax ? x > y : x < y) ? a : b;                                 \
    }
VFP_MINMAXNM(vmaxnm_f32, uint32_t, nan32, snan32, nans32, ord32, fz_in32, dn32, 1)
VFP_MINMAXNM(vminnm_f32, uint32_t, nan32, snan32, nans32, ord32, fz_in32, dn32, 0)
VFP_MINMAXNM(vmaxnm_f64, uint64_t, nan64, snan64, nans64, ord64, fz_in64, dn64, 1)
VFP_MINMAXNM(vminnm_f64, uint64_t, nan64, snan64, nans64, ord64, fz_in64, dn64, 0)
#undef VFP_MINMAXNM

/* ---- Conversions ---- */

/* FPConvert of a NaN keeps the sign and the top of the payload, quieted (IOC when it was
   signalling). f64 → f32 may overflow, underflow or be inexact; f32 → f64 is exact.
   Both flush a denormal operand under FZ, and f64 → f32 rounds in FPSCR's mode. */
uint32_t helper_vcvt_f32_f64(uint64_t a, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL;
    if (CTL_SLOW(ctl))
        a = fz_in64(ctl, a);
    if (nan64(a)) {
        if (snan64(a))
            raise_exc(FPSCR_IOC);
        return dn32(ctl, (uint32_t)(a >> 32 & F32_SIGN) | F32_DNAN
                             | (uint32_t)(a >> 29 & 0x3fffffu));
    }
    if (CTL_SLOW(ctl))
        return round32(ctl, FOP_CVT, 0, 0, 0, f64_of(a));
    return res32(host32(FOP_CVT, 0, 0, 0, f64_of(a)));
}

/* An f32 that is not a NaN as the f64 of the same value, exactly, on bit patterns (see
   fixed_to_fp for why not with a host conversion). */
static uint64_t widen32(uint32_t x)
{
    uint64_t sign = (uint64_t)(x & F32_SIGN) << 32;
    int e = (int)(x >> 23 & 0xff);
    uint32_t m = x & 0x7fffffu;
    if (e == 0xff)
        return sign | 0x7ff0000000000000ull;    /* infinity */
    if (e == 0) {
        if (m == 0)
            return sign;
        int sh = __builtin_clz(m) - 8;          /* a denormal: normalize */
        m = (m << sh) & 0x7fffffu;
        e = 1 - sh;
    }
    return sign | (uint64_t)(e - 127 + 1023) << 52 | (uint64_t)m << 29;
}

uint64_t helper_vcvt_f64_f32(uint32_t a, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL;
    if (CTL_SLOW(ctl))
        a = fz_in32(ctl, a);
    if (nan32(a)) {
        if (snan32(a))
            raise_exc(FPSCR_IOC);
        return dn64(ctl, (uint64_t)(a & F32_SIGN) << 32 | F64_DNAN
                             | (uint64_t)(a & 0x3fffffu) << 29);
    }
    return widen32(a);
}

/* FPSCR.RMode (bits 23:22): round to nearest even, +inf, -inf, zero. */
enum { RM_RN, RM_RP, RM_RM, RM_RZ };

/*
 * FPToFixed(x * 2^fbits, size, unsigned) with rounding: NaN gives 0, out of range
 * saturates; either raises IOC alone, else a rounded value raises IXC. The result is
 * sign- or zero-extended to 64 bits as VCVT writes it. desc: VFP_FIX_* (helpers.def).
 * ctl: FPSCR's control bits (RMode for VCVTR; a denormal operand was flushed by FZ). On the bit pattern of the f64 x (an f32 widened exactly), in integers:
 * no host FP op, so MXCSR's flags stay the guest's.
 */
static uint64_t to_fixed(uint64_t x, uint32_t desc, uint32_t ctl)
{
    unsigned fbits = desc & 0xff, size = (desc & VFP_FIX_16) ? 16 : 32;
    unsigned rmode = (desc & VFP_FIX_RMODE) ? (ctl >> FPSCR_RMODE_SHIFT) & 3 : RM_RZ;
    if (nan64(x)) {
        raise_exc(FPSCR_IOC);
        return 0;
    }
    int neg = (x & F64_SIGN) != 0, exp = (int)(x >> 52 & 0x7ff);
    uint64_t m = x & 0xfffffffffffffull;
    if (exp != 0)
        m |= 1ull << 52;
    else
        exp = 1;
    /* |x| * 2^fbits = m * 2^shift; q its magnitude rounded in rmode (m < 2^53). */
    int shift = exp - 1075 + (int)fbits;
    uint64_t q = 0, rem = 0, half = 1;  /* the fraction is rem / (2 * half) */
    if (shift > 10)
        q = 1ull << 62;                 /* m >= 2^52: past 2^62, saturates */
    else if (shift >= 0)
        q = m << shift;
    else if (shift > -64) {
        q = m >> -shift;
        rem = m & ((1ull << -shift) - 1);
        half = 1ull << (-shift - 1);
    } else {
        rem = m;                        /* below 2^-11: less than a half */
        half = 1ull << 63;
    }
    int inexact = rem != 0;
    switch (rmode) {
    case RM_RN: q += rem > half || (rem == half && (q & 1)); break;
    case RM_RP: q += inexact && !neg; break;
    case RM_RM: q += inexact && neg; break;
    case RM_RZ: break;
    }
    int64_t max, min;
    if (desc & VFP_FIX_U) {
        max = (int64_t)((1ull << size) - 1);
        min = 0;
    } else {
        max = (int64_t)((1ull << (size - 1)) - 1);
        min = -max - 1;
    }
    int64_t v = neg ? -(int64_t)q : (int64_t)q;
    if (v < min || v > max) {
        raise_exc(FPSCR_IOC);
        v = v < min ? min : max;
    } else if (inexact) {
        raise_exc(FPSCR_IXC);
    }
    return (uint64_t)v;
}

uint32_t helper_vcvt_tofix_f32(uint32_t a, uint32_t desc, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL;
    if (CTL_SLOW(ctl))
        a = fz_in32(ctl, a);
    if (nan32(a)) {
        raise_exc(FPSCR_IOC);
        return 0;
    }
    return (uint32_t)to_fixed(widen32(a), desc, ctl);
}

uint64_t helper_vcvt_tofix_f64(uint64_t a, uint32_t desc, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL;
    if (CTL_SLOW(ctl))
        a = fz_in64(ctl, a);
    return to_fixed(a, desc, ctl);
}

/*
 * FixedToFP: the operand's low 16 or 32 bits (VFP_FIX_16, signed unless VFP_FIX_U) times
 * 2^-fbits, rounded in rmode to a float with frac fraction bits and an exponent of ebits
 * (f32: 23, 8; f64: 52, 11); *inexact when rounded. The magnitudes are far from overflow
 * and underflow (at most 2^32, at least 2^-32), so FZ and DN change nothing. On integers,
 * like every conversion here: inlined into raised code when the helpers were not yet
 * strict FP, LLVM merged two host conversions into one packed op whose unused lane raised
 * a spurious flag (an SNaN left in a register's upper half, as IOC); integers need no
 * such care from either compiler.
 */
static uint64_t fixed_to_fp(uint64_t a, uint32_t desc, unsigned rmode, unsigned frac,
                            unsigned ebits, int *inexact)
{
    unsigned fbits = desc & 0xff;
    int64_t v;
    if (desc & VFP_FIX_16)
        v = (desc & VFP_FIX_U) ? (int64_t)(uint16_t)a : (int64_t)(int16_t)a;
    else
        v = (desc & VFP_FIX_U) ? (int64_t)(uint32_t)a : (int64_t)(int32_t)a;
    *inexact = 0;
    if (v == 0)
        return 0;                       /* +0 */
    uint64_t sign = v < 0, m = v < 0 ? (uint64_t)-v : (uint64_t)v, q;
    int msb = 63 - __builtin_clzll(m), exp = msb - (int)fbits;
    if (msb <= (int)frac) {
        q = m << (frac - (unsigned)msb);
    } else {
        unsigned sh = (unsigned)msb - frac;
        uint64_t rem = m & ((1ull << sh) - 1), half = 1ull << (sh - 1);
        q = m >> sh;
        *inexact = rem != 0;
        switch (rmode) {
        case RM_RN: q += rem > half || (rem == half && (q & 1)); break;
        case RM_RP: q += rem && !sign; break;
        case RM_RM: q += rem && sign; break;
        default: break;
        }
        if (q >> (frac + 1)) {          /* rounded up to the next power of two */
            q >>= 1;
            exp++;
        }
    }
    uint64_t bias = (1ull << (ebits - 1)) - 1;
    return sign << (frac + ebits) | (uint64_t)((int64_t)bias + exp) << frac
           | (q & ((1ull << frac) - 1));
}

/* FixedToFP for f32: rounded in FPSCR's mode for an integer (VCVT, VFP_FIX_RMODE), to
   nearest for fixed point (round_to_nearest; so does qemu). Only IXC can arise. */
uint32_t helper_vcvt_fromfix_f32(uint32_t a, uint32_t desc, uint32_t fpscr)
{
    unsigned rmode = (desc & VFP_FIX_RMODE) ? (fpscr >> FPSCR_RMODE_SHIFT) & 3 : RM_RN;
    int inexact;
    uint32_t r = (uint32_t)fixed_to_fp(a, desc, rmode, 23, 8, &inexact);
    if (inexact)
        raise_exc(FPSCR_IXC);
    return r;
}

/* Into f64 every 32-bit integer scaled by 2^-fbits is exact: no rounding. */
uint64_t helper_vcvt_fromfix_f64(uint64_t a, uint32_t desc, uint32_t fpscr)
{
    (void)fpscr;
    int inexact;
    return fixed_to_fp(a, desc, RM_RN, 52, 11, &inexact);
}

/* ---- Half precision (VCVTB, VCVTT, and Advanced SIMD's VCVT) ---- */

#define FPSCR_AHP 0x04000000u   /* the alternative half-precision format: no inf, no NaN */

/*
 * FPConvert single to half, the half in the low 16 bits: FZ flushes the single operand
 * (IDC); RMode rounds; tininess is before rounding (UFC only when inexact, as FPRound);
 * IEEE format overflows to an infinity or the largest half by the rounding mode (OFC, IXC),
 * the alternative format saturates to its largest value and raises IOC alone; its NaNs
 * become zeros of their sign and its infinities the largest value, with IOC (ARMv8's
 * FPConvert and qemu-arm; ARMv7's text has unsigned zeros). Only integers here: no host
 * FP flag.
 */
uint32_t helper_vcvt_f16_f32(uint32_t a, uint32_t fpscr)
{
    uint32_t ctl = fpscr & FPSCR_CTL, s = (a >> 16) & 0x8000, e = (a >> 23) & 0xff;
    bool ahp = fpscr & FPSCR_AHP;
    if (CTL_SLOW(ctl))
        a = fz_in32(ctl, a);
    uint32_t frac = a & 0x7fffff;
    if (e == 0xff) {
        if (ahp) {
            raise_exc(FPSCR_IOC);
            return frac ? s : s | 0x7fff;
        }
        if (!frac)
            return s | 0x7c00;
        if (!(frac & 0x400000))
            raise_exc(FPSCR_IOC);
        return (fpscr & FPSCR_DN) ? 0x7e00 : s | 0x7e00 | (frac >> 13);
    }
    if (!(a & 0x7fffffff))
        return s;
    /* value = m * 2^x, m < 2^24 */
    uint64_t m = e ? frac | 0x800000 : frac;
    int x = (e ? (int)e : 1) - 150;
    int p = 63 - __builtin_clzll(m) + x;         /* the value's exponent */
    bool tiny = p < -14;
    int quantum = tiny ? -24 : p - 10;           /* exponent of the result's last bit */
    unsigned sh = (unsigned)(quantum - x);       /* >= 13 */
    uint64_t q = sh >= 40 ? 0 : m >> sh, rem = sh >= 40 ? m : m & ((1ull << sh) - 1);
    uint64_t half = sh >= 40 ? (1ull << 39) : 1ull << (sh - 1);
    switch ((ctl >> FPSCR_RMODE_SHIFT) & 3) {
    case RM_RN: q += rem > half || (rem == half && (q & 1)); break;
    case RM_RP: q += rem && !s; break;
    case RM_RM: q += rem && s; break;
    default: break;
    }
    int be = p + 15;
    if (!tiny && q >> 11) {                      /* rounded up to the next power of two */
        q >>= 1;
        be++;
    }
    if (!tiny && (ahp ? be > 31 : be > 30)) {
        if (ahp) {                               /* (no IXC: FPRound's error is 0 here) */
            raise_exc(FPSCR_IOC);
            return s | 0x7fff;
        }
        raise_exc(FPSCR_OFC | FPSCR_IXC);
        unsigned rm = (ctl >> FPSCR_RMODE_SHIFT) & 3;
        bool inf = rm == RM_RN || (rm == RM_RP && !s) || (rm == RM_RM && s);
        return s | (inf ? 0x7c00 : 0x7bff);
    }
    if (rem) {
        raise_exc(FPSCR_IXC);
        if (tiny)
            raise_exc(FPSCR_UFC);
    }
    if (tiny)                                    /* a denormal, or rounded up to 2^-14 */
        return s | (uint32_t)q;
    return s | (uint32_t)be << 10 | (uint32_t)(q & 0x3ff);
}

/* FPConvert half (the low 16 bits) to single: exact; a signalling NaN raises IOC and is
   quieted (or DN's default NaN); FZ does not apply to halves. */
uint32_t helper_vcvt_f32_f16(uint32_t h, uint32_t fpscr)
{
    uint32_t s = (h & 0x8000) << 16, e = (h >> 10) & 0x1f, frac = h & 0x3ff;
    if (e == 0x1f && !(fpscr & FPSCR_AHP)) {
        if (!frac)
            return s | 0x7f800000;
        if (!(frac & 0x200))
            raise_exc(FPSCR_IOC);
        return (fpscr & FPSCR_DN) ? F32_DNAN : s | 0x7fc00000 | frac << 13;
    }
    if (!e) {
        if (!frac)
            return s;
        int msb = 31 - __builtin_clz(frac);      /* value = frac * 2^-24 */
        return s | (uint32_t)(msb - 24 + 127) << 23 | (frac << (23 - msb) & 0x7fffff);
    }
    return s | (e - 15 + 127) << 23 | frac << 13;
}
