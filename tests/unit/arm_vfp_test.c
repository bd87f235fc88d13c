/*
 * VFP: the helpers against values worked out by hand, then hand-encoded insns translated
 * by the ARM frontend and run by the reference interpreter (ir_interp_block, so that the
 * test does not depend on a backend), with guest memory mapped at its own address. Encodings come from arm-linux-gnueabihf-as; the assembly
 * is beside each word.
 */
#include <fenv.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "lifter/arm/arm.h"
#include "lifter/helpers/helpers.h"
#include "lifter/ir/ir.h"

/* desc bits of the vcvt_*fix helpers (lifter/helpers/vfp.c). */
enum { FIX_U = 0x100, FIX_16 = 0x200, FIX_RMODE = 0x400 };
#define RMODE(m) ((uint32_t)(m) << 22)     /* FPSCR.RMode: 0 RN, 1 RP, 2 RM, 3 RZ */

static uint32_t f32b(float f) { uint32_t x; memcpy(&x, &f, 4); return x; }
static uint64_t f64b(double d) { uint64_t x; memcpy(&x, &d, 8); return x; }

/* The guest's FPSCR global as vmsr (fpscr_write) last set it: the helpers take it as their
   last argument for its control bits RMode, FZ and DN (helpers.def). */
static uint32_t fpscr;

static void fpscr_write(uint32_t v)
{
    fpscr = v;
    helper_fpscr_write(v);
}

/* ---- Helpers ---- */

static void test_cvt_to_int(void **state)
{
    (void)state;
    uint64_t nan = 0x7ff8000000000000ull;
    assert_int_equal(helper_vcvt_tofix_f64(nan, 0, fpscr), 0);
    assert_int_equal(helper_vcvt_tofix_f64(nan | 1, FIX_U, fpscr), 0);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(1e10), 0, fpscr), 0x7fffffffu);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(-1e10), 0, fpscr), 0x80000000u);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(1e10), FIX_U, fpscr), 0xffffffffu);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(INFINITY), 0, fpscr), 0x7fffffffu);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(-1.0), FIX_U, fpscr), 0);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(-0.5), 0, fpscr), 0);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(-0.5), FIX_U, fpscr), 0);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(-2.9), 0, fpscr), (uint32_t)-2);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(4294967295.75), FIX_U, fpscr),
                     0xffffffffu);
    assert_int_equal(helper_vcvt_tofix_f32(f32b(2.9f), 0, fpscr), 2);
    assert_int_equal(helper_vcvt_tofix_f32(f32b(3e9f), 0, fpscr), 0x7fffffffu);
    assert_int_equal(helper_vcvt_tofix_f32(f32b(3e9f), FIX_U, fpscr), 3000000000u);
    assert_int_equal(helper_vcvt_tofix_f32(0x7fc00000u, FIX_U, fpscr), 0);
    /* VCVTR: FPSCR's mode; VCVT ignores it. Round to nearest is to even. */
    assert_int_equal(helper_vcvt_tofix_f64(f64b(2.5), FIX_RMODE, RMODE(0)), 2);
    assert_int_equal(helper_vcvt_tofix_f64(f64b(3.5), FIX_RMODE, RMODE(0)), 4);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(-2.5), FIX_RMODE, RMODE(0)),
                     (uint32_t)-2);
    assert_int_equal(helper_vcvt_tofix_f64(f64b(2.1), FIX_RMODE, RMODE(1)), 3);
    assert_int_equal((uint32_t)helper_vcvt_tofix_f64(f64b(-2.1), FIX_RMODE, RMODE(2)),
                     (uint32_t)-3);
    assert_int_equal(helper_vcvt_tofix_f64(f64b(2.9), 0, RMODE(1)), 2);
    /* Fixed point: 1.5 * 2^16; -1.0 as s16 with 4 fraction bits, sign-extended. */
    assert_int_equal(helper_vcvt_tofix_f64(f64b(1.5), 16, fpscr), 98304);
    assert_int_equal(helper_vcvt_tofix_f64(f64b(-1.0), 4 | FIX_16, fpscr), (uint64_t)-16);
    assert_int_equal(helper_vcvt_tofix_f32(f32b(5000.0f), 4 | FIX_16, fpscr), 0x7fff);
    assert_int_equal(helper_vcvt_tofix_f32(f32b(5000.0f), 4 | FIX_16 | FIX_U, fpscr), 0xffff);
}

/* The integer and fixed-point conversions to float and f32 -> f64 work on bit patterns
   (lifter/helpers/vfp.c, fixed_to_fp, widen32): against the host's own conversions of the
   exact values, in each rounding mode, on pseudo-random operands. */
static void test_cvt_int_vs_host(void **state)
{
    (void)state;
    static const int modes[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    uint32_t x = 0x2545f491u;
    for (int n = 0; n < 200000; n++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        uint32_t a = n % 4 ? x : x >> (x % 32);     /* small magnitudes too */
        uint32_t desc = (x >> 8) % 33 | (x & 0x100 ? FIX_U : 0) | (x & 0x800 ? FIX_RMODE : 0);
        if ((x & 0x3000) == 0)
            desc = (desc & ~0xffu) | (x >> 16) % 17 | FIX_16;
        unsigned rm = (x >> 20) & 3, fbits = desc & 0xff;
        double v = desc & FIX_16 ? (desc & FIX_U ? (double)(uint16_t)a : (double)(int16_t)a)
                                 : (desc & FIX_U ? (double)a : (double)(int32_t)a);
        v = ldexp(v, -(int)fbits);
        fesetround(modes[desc & FIX_RMODE ? rm : 0]);
        volatile double vv = v;
        float f = (float)vv;
        fesetround(FE_TONEAREST);
        fpscr_write(RMODE(rm));
        assert_int_equal(helper_vcvt_fromfix_f32(a, desc, fpscr), f32b(f));
        assert_int_equal(helper_fpscr_read(0) & 0x10, (double)f != v ? 0x10 : 0);
        assert_int_equal(helper_vcvt_fromfix_f64(a, desc & ~FIX_RMODE, fpscr), f64b(v));
        uint32_t y = x * 0x9e3779b9u;
        if (n % 3 == 0)
            y &= 0x807fffffu;                       /* zeros and denormals */
        float fy;
        memcpy(&fy, &y, 4);
        if (!isnan(fy))
            assert_int_equal(helper_vcvt_f64_f32(y, fpscr), f64b((double)fy));
    }
    fpscr_write(0);
}

/* An operand for test_mac: special values (NaNs of both kinds, infinities, zeros,
   denormals, one) half the time, else random bits. */
static uint64_t mac_operand64(uint32_t x)
{
    static const uint64_t special[] = {
        0x7ff8000000000001ull, 0xfff4000000000002ull, 0x7ff0000000000000ull,
        0xfff0000000000000ull, 0, 0x8000000000000000ull, 0x0000000000000003ull,
        0x3ff0000000000000ull, 0x7fefffffffffffffull, 0x0010000000000000ull,
    };
    if (x & 1)
        return special[(x >> 1) % 10];
    uint64_t r = (uint64_t)(x * 0x9e3779b9u) << 32 | (x * 0x85ebca6bu);
    return x & 2 ? r : (r & 0x800fffffffffffffull) | (uint64_t)(0x3f0 + (x >> 4) % 32) << 52;
}

static uint32_t mac_operand32(uint32_t x)
{
    static const uint32_t special[] = {
        0x7fc00001u, 0xffa00002u, 0x7f800000u, 0xff800000u, 0, 0x80000000u, 3u,
        0x3f800000u, 0x7f7fffffu, 0x00800000u,
    };
    if (x & 1)
        return special[(x >> 1) % 10];
    uint32_t r = x * 0x9e3779b9u;
    return x & 2 ? r : (r & 0x807fffffu) | (0x70 + (x >> 4) % 32) << 23;
}

/* vmla/vmls (one NaN test for both ops) against their definition, VMUL then VADD: same
   results and flags, in every FPSCR mode. */
static void test_mac(void **state)
{
    (void)state;
    static const uint32_t modes[] = { 0, 0x02000000, 0x01000000, RMODE(1), RMODE(3) };
    uint32_t x = 0x1234567u;
    for (int i = 0; i < 100000; i++) {
        uint32_t o[3];
        for (int k = 0; k < 3; k++)
            x ^= x << 13, x ^= x >> 17, x ^= x << 5, o[k] = x;
        uint32_t mode = modes[i % 5];
        bool sub = i & 8;
        uint64_t d = mac_operand64(o[0]), n = mac_operand64(o[1]), m = mac_operand64(o[2]);
        fpscr_write(mode);
        uint64_t want = helper_vadd_f64(d, helper_vmul_f64(n, m, fpscr) ^ (sub ? 1ull << 63 : 0),
                                        fpscr);
        uint32_t want_exc = helper_fpscr_read(0);
        fpscr_write(mode);
        uint64_t got = sub ? helper_vmls_f64(d, n, m, fpscr) : helper_vmla_f64(d, n, m, fpscr);
        assert_int_equal(got, want);
        assert_int_equal(helper_fpscr_read(0), want_exc);

        uint32_t d32 = mac_operand32(o[0]), n32 = mac_operand32(o[1]), m32 = mac_operand32(o[2]);
        fpscr_write(mode);
        uint32_t want32 = helper_vadd_f32(d32, helper_vmul_f32(n32, m32, fpscr) ^
                                                   (sub ? 0x80000000u : 0), fpscr);
        want_exc = helper_fpscr_read(0);
        fpscr_write(mode);
        uint32_t got32 = sub ? helper_vmls_f32(d32, n32, m32, fpscr)
                             : helper_vmla_f32(d32, n32, m32, fpscr);
        assert_int_equal(got32, want32);
        assert_int_equal(helper_fpscr_read(0), want_exc);
    }
    fpscr_write(0);
}

static void test_cvt_from_int(void **state)
{
    (void)state;
    assert_int_equal(helper_vcvt_fromfix_f64(0xffffffffu, 0, fpscr), f64b(-1.0));
    assert_int_equal(helper_vcvt_fromfix_f64(0xffffffffu, FIX_U, fpscr), f64b(4294967295.0));
    assert_int_equal(helper_vcvt_fromfix_f64(98304, 16, fpscr), f64b(1.5));
    assert_int_equal(helper_vcvt_fromfix_f32(0xfff0, 4 | FIX_16, fpscr), f32b(-1.0f));
    /* 2^24 + 1 is a tie between 2^24 and 2^24 + 2 in single precision. */
    assert_int_equal(helper_vcvt_fromfix_f32(16777217, FIX_RMODE, RMODE(0)), f32b(16777216.0f));
    assert_int_equal(helper_vcvt_fromfix_f32(16777217, FIX_RMODE, RMODE(1)), f32b(16777218.0f));
    assert_int_equal(helper_vcvt_fromfix_f32(16777217, FIX_RMODE, RMODE(3)), f32b(16777216.0f));
    assert_int_equal(helper_vcvt_fromfix_f32((uint32_t)-16777217, FIX_RMODE, RMODE(2)),
                     f32b(-16777218.0f));
    assert_int_equal(helper_vcvt_fromfix_f32((uint32_t)-16777217, FIX_RMODE, RMODE(3)),
                     f32b(-16777216.0f));
}

static void test_cmp(void **state)
{
    (void)state;
    assert_int_equal(helper_vcmp_f64(f64b(NAN), f64b(1.0), fpscr), 0x3);
    assert_int_equal(helper_vcmp_f64(f64b(1.0), 0x7ff0000000000001ull, fpscr), 0x3);
    assert_int_equal(helper_vcmp_f64(f64b(1.0), f64b(1.0), fpscr), 0x6);
    assert_int_equal(helper_vcmp_f64(f64b(0.0), f64b(-0.0), fpscr), 0x6);
    assert_int_equal(helper_vcmp_f64(f64b(1.0), f64b(2.0), fpscr), 0x8);
    assert_int_equal(helper_vcmp_f64(f64b(2.0), f64b(-INFINITY), fpscr), 0x2);
    assert_int_equal(helper_vcmp_f32(0x7fc00000u, 0x7fc00000u, fpscr), 0x3);
    assert_int_equal(helper_vcmp_f32(f32b(-1.0f), 0, fpscr), 0x8);
}

static void test_f64_to_f32(void **state)
{
    (void)state;
    /* 1 + 2^-24 is halfway between 1 and 1 + 2^-23: to even. A hair more rounds up. */
    assert_int_equal(helper_vcvt_f32_f64(f64b(1.0 + 0x1p-24), fpscr), 0x3f800000u);
    assert_int_equal(helper_vcvt_f32_f64(f64b(1.0 + 0x1p-24 + 0x1p-40), fpscr), 0x3f800001u);
    assert_int_equal(helper_vcvt_f32_f64(f64b(1.0 + 3 * 0x1p-24), fpscr), 0x3f800002u);
    assert_int_equal(helper_vcvt_f32_f64(f64b(1e40), fpscr), 0x7f800000u);
    assert_int_equal(helper_vcvt_f32_f64(f64b(-1e-50), fpscr), 0x80000000u);
    /* NaNs: quieted, sign and top of the payload kept. */
    assert_int_equal(helper_vcvt_f32_f64(0x7ff0000000000001ull, fpscr), 0x7fc00000u);
    assert_int_equal(helper_vcvt_f32_f64(0xfff8000020000000ull, fpscr), 0xffc00001u);
    assert_int_equal(helper_vcvt_f64_f32(0x7f800001u, fpscr), 0x7ff8000020000000ull);
    assert_int_equal(helper_vcvt_f64_f32(f32b(0.1f), fpscr), f64b((double)0.1f));
}

static void test_arith_nans(void **state)
{
    (void)state;
    /* Invalid operations give ARM's default NaN, which is positive (x86's is not). */
    assert_int_equal(helper_vsqrt_f64(f64b(-1.0), fpscr), 0x7ff8000000000000ull);
    assert_int_equal(helper_vsqrt_f32(f32b(-1.0f), fpscr), 0x7fc00000u);
    assert_int_equal(helper_vsqrt_f64(f64b(-0.0), fpscr), f64b(-0.0));
    assert_int_equal(helper_vadd_f64(f64b(INFINITY), f64b(-INFINITY), fpscr), 0x7ff8000000000000ull);
    assert_int_equal(helper_vmul_f32(f32b(INFINITY), 0, fpscr), 0x7fc00000u);
    assert_int_equal(helper_vdiv_f64(0, 0, fpscr), 0x7ff8000000000000ull);
    /* NaN operands: the first signalling one quieted, else the first quiet one. */
    assert_int_equal(helper_vadd_f64(0xfff8000000000005ull, 0x7ff0000000000007ull, fpscr),
                     0x7ff8000000000007ull);
    assert_int_equal(helper_vsub_f64(f64b(1.0), 0xfff8000000000005ull, fpscr), 0xfff8000000000005ull);
    assert_int_equal(helper_vmul_f32(0x7fc00001u, 0x7fc00002u, fpscr), 0x7fc00001u);
    assert_int_equal(helper_vsqrt_f32(0x7f800003u, fpscr), 0x7fc00003u);
    assert_int_equal(helper_vdiv_f64(f64b(1.0), f64b(0.0), fpscr), f64b(INFINITY));
    assert_int_equal(helper_vdiv_f32(f32b(7.0f), f32b(2.0f), fpscr), f32b(3.5f));
}

/* The cumulative exception flags op raised, from a clean accumulator (FPSCR bits: IOC 0x01,
   DZC 0x02, OFC 0x04, UFC 0x08, IXC 0x10). */
#define EXC(op) (fpscr_write(0), (void)(op), helper_fpscr_read(0))

static void test_exc_flags(void **state)
{
    (void)state;
    const uint64_t qnan = 0x7ff8000000000000ull, snan = 0x7ff0000000000001ull;
    assert_int_equal(EXC(helper_vadd_f64(f64b(1.0), f64b(2.0), fpscr)), 0);
    assert_int_equal(EXC(helper_vdiv_f64(f64b(1.0), f64b(0.0), fpscr)), 0x02);    /* DZC */
    assert_int_equal(EXC(helper_vdiv_f32(f32b(-1.0f), 0, fpscr)), 0x02);
    assert_int_equal(EXC(helper_vdiv_f64(0, 0, fpscr)), 0x01);        /* 0/0 is invalid, not DZC */
    assert_int_equal(EXC(helper_vdiv_f64(f64b(1.0), f64b(3.0), fpscr)), 0x10);    /* IXC */
    assert_int_equal(EXC(helper_vsqrt_f64(f64b(-1.0), fpscr)), 0x01);             /* IOC */
    assert_int_equal(EXC(helper_vsqrt_f32(f32b(-1.0f), fpscr)), 0x01);
    assert_int_equal(EXC(helper_vsqrt_f64(f64b(-0.0), fpscr)), 0);
    assert_int_equal(EXC(helper_vmul_f64(0x7fefffffffffffffull, f64b(2.0), fpscr)), 0x14); /* OFC IXC */
    assert_int_equal(EXC(helper_vcvt_f32_f64(f64b(1e40), fpscr)), 0x14);
    /* Underflow is detected before rounding (ARM FPRound): 2^-1022 (1 - 2^-53) rounds up
       to the smallest normal and still raises UFC; a tiny exact result raises nothing. */
    assert_int_equal(EXC(helper_vmul_f64(f64b(0x1p-1022), f64b(1 - 0x1p-53), fpscr)), 0x18);
    assert_int_equal(EXC(helper_vcvt_f32_f64(1, fpscr)), 0x18);
    assert_int_equal(EXC(helper_vmul_f64(f64b(0x1p-1022), f64b(0.5), fpscr)), 0);
    /* NaN operands: IOC for a signalling one only; an invalid fma with a quiet addend. */
    assert_int_equal(EXC(helper_vadd_f64(qnan, f64b(1.0), fpscr)), 0);
    assert_int_equal(EXC(helper_vadd_f64(f64b(1.0), snan, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vsqrt_f32(0x7f800001u, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_f32_f64(snan, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_f64_f32(0x7fc00000u, fpscr)), 0);
    assert_int_equal(EXC(helper_vfma_f64(qnan, f64b(INFINITY), 0, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vfma_f64(qnan, f64b(1.0), 0, fpscr)), 0);
    assert_int_equal(EXC(helper_vmaxnm_f64(snan, f64b(1.0), fpscr)), 0x01);
    /* VCMP: IOC for a signalling NaN; VCMPE for any NaN. */
    assert_int_equal(EXC(helper_vcmp_f64(qnan, f64b(1.0), fpscr)), 0);
    assert_int_equal(EXC(helper_vcmp_f64(snan, f64b(1.0), fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcmpe_f64(qnan, f64b(1.0), fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcmpe_f32(f32b(1.0f), f32b(2.0f), fpscr)), 0);
    /* To integer: NaN and out of range IOC alone; in range but rounded IXC. */
    assert_int_equal(EXC(helper_vcvt_tofix_f64(qnan, 0, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_tofix_f64(f64b(1e10 + 0.5), 0, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_tofix_f64(f64b(-2.5), 0, fpscr)), 0x10);
    assert_int_equal(EXC(helper_vcvt_tofix_f64(f64b(-2.5), FIX_U, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_tofix_f64(f64b(-0.5), FIX_U, fpscr)), 0x10);
    assert_int_equal(EXC(helper_vcvt_tofix_f64(f64b(4294967295.0), FIX_U, fpscr)), 0);
    assert_int_equal(EXC(helper_vcvt_tofix_f32(f32b(5000.0f), 4 | FIX_16, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_fromfix_f32(16777217, FIX_RMODE, RMODE(1))), 0x10);
    assert_int_equal(EXC(helper_vcvt_fromfix_f32(16777216, 0, fpscr)), 0);
    /* Fixed point → f32 rounds to nearest whatever RMode (qemu-arm, seed 4 vfp 861). */
    assert_int_equal(helper_vcvt_fromfix_f32(0xc5ea99e9u, 25 | FIX_U, 0x13800000u), 0x42c5ea9au);
    /* Flags accumulate until written; the read merges them into FPSCR. */
    fpscr_write(0x00c00004u);
    helper_vdiv_f64(f64b(1.0), f64b(3.0), fpscr);
    helper_vdiv_f64(f64b(1.0), f64b(0.0), fpscr);
    assert_int_equal(helper_fpscr_read(0x00c00004u), 0x00c00016u);
    struct cpu cpu = { .fpscr = 0x60000000u };
    assert_int_equal(xl_fpscr_get(&cpu), 0x60000016u);
    xl_fpscr_set(&cpu, 0x80000001u);
    assert_int_equal(cpu.fpscr, 0x80000001u);
    assert_int_equal(helper_fpscr_read(0), 0x01);
    fpscr_write(0);
}

/* The default path leaves its flags in MXCSR, which fpscr_read merges and fpscr_write
   clears; the other helpers must leave MXCSR's flags as the guest's ops set them. */
static void test_exc_host_flags(void **state)
{
    (void)state;
    const uint64_t snan = 0x7ff0000000000001ull;
    /* Nothing raised by helpers whose C code compares, scales or rounds on the host. */
    assert_int_equal(EXC(helper_vcmpe_f64(f64b(1e300), f64b(-1e-300), fpscr)), 0);
    assert_int_equal(EXC(helper_vmaxnm_f32(f32b(-0.0f), f32b(0x1p-140f), fpscr)), 0);
    assert_int_equal(EXC(helper_vcvt_tofix_f64(f64b(1e300), 32, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_tofix_f64(f64b(-1e300), 16 | FIX_16 | FIX_U, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_tofix_f32(0x7f800001u, 0, fpscr)), 0x01);
    assert_int_equal(EXC(helper_vcvt_tofix_f64(f64b(2.75), 2, fpscr)), 0);
    assert_int_equal(EXC(helper_vcvt_fromfix_f64(0xffffffffu, 32 | FIX_U, fpscr)), 0);
    /* x86 DE (a denormal operand) is no ARM flag. */
    assert_int_equal(EXC(helper_vmul_f64(1, f64b(2.0), fpscr)), 0);
    /* vmsr clears the host's flags; sigreturn (xl_fpscr_set) too. */
    helper_vdiv_f64(f64b(1.0), f64b(3.0), fpscr);
    fpscr_write(0x01);
    assert_int_equal(helper_fpscr_read(0), 0x01);
    struct cpu cpu = { .fpscr = 0 };
    helper_vdiv_f64(f64b(1.0), f64b(0.0), fpscr);
    assert_int_equal(xl_fpscr_get(&cpu), 0x03);
    xl_fpscr_set(&cpu, 0);
    assert_int_equal(xl_fpscr_get(&cpu), 0);
    /* The slow path keeps the flags MXCSR already holds (here from host code). */
    fpscr_write(RMODE(3));
    volatile double one = 1.0, zero = 0.0, inf = one / zero;
    (void)inf;
    assert_int_equal(helper_vdiv_f64(f64b(1.0), f64b(3.0), fpscr), 0x3fd5555555555555ull);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x12);
    /* A host signal handler left by siglongjmp hands over the interrupted MXCSR. */
    fpscr_write(0);
    xl_fp_keep_host_flags(0x1f80 | 0x20 | 0x02);     /* PE, DE */
    assert_int_equal(helper_fpscr_read(0), 0x10);
    assert_int_equal(EXC(helper_vadd_f64(snan, f64b(1.0), fpscr)), 0x01);
    fpscr_write(0);
}

/* FPSCR.RMode, FZ and DN (set by vmsr through fpscr_write), against hand-derived bits. */
static void test_fpscr_ctl(void **state)
{
    (void)state;
    enum { FZ = 0x01000000, DN = 0x02000000 };
    uint64_t one = f64b(1.0), three = f64b(3.0);
    /* 1/3 = 0x1.5555555555555p-2 and a tail of 0.0101...: RN, RM and RZ drop it, RP steps
       up; -1/3 mirrors that with RM. In f32 (0x1.555554p-2, tail 0.1010...) RN rounds up
       too. sqrt(2) = 0x1.6a09e667f3bcc|908b2...p0: RN and RP up. */
    static const uint64_t pos64[4] = { 0x3fd5555555555555ull, 0x3fd5555555555556ull,
                                       0x3fd5555555555555ull, 0x3fd5555555555555ull };
    static const uint64_t neg64[4] = { 0xbfd5555555555555ull, 0xbfd5555555555555ull,
                                       0xbfd5555555555556ull, 0xbfd5555555555555ull };
    static const uint32_t pos32[4] = { 0x3eaaaaabu, 0x3eaaaaabu, 0x3eaaaaaau, 0x3eaaaaaau };
    static const uint64_t sqrt2[4] = { 0x3ff6a09e667f3bcdull, 0x3ff6a09e667f3bcdull,
                                       0x3ff6a09e667f3bccull, 0x3ff6a09e667f3bccull };
    for (unsigned m = 0; m < 4; m++) {
        fpscr_write(RMODE(m));
        assert_int_equal(helper_vdiv_f64(one, three, fpscr), pos64[m]);
        assert_int_equal(helper_vdiv_f64(f64b(-1.0), three, fpscr), neg64[m]);
        assert_int_equal(helper_vdiv_f32(f32b(1.0f), f32b(3.0f), fpscr), pos32[m]);
        assert_int_equal(helper_vsqrt_f64(f64b(2.0), fpscr), sqrt2[m]);
        /* f64 → f32 of 0x1.5555555555555p-2 rounds like the f32 division. */
        assert_int_equal(helper_vcvt_f32_f64(pos64[0], fpscr), pos32[m]);
        assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x10);       /* IXC */
    }
    /* vmla.f64 in RZ: a tiny negative product moves a positive sum one ulp toward zero. */
    fpscr_write(RMODE(3));
    assert_int_equal(helper_vadd_f64(0x410531acc45eeb38ull,
                                     helper_vmul_f64(0x800e10d2c62e9958ull,
                                                     0x41effffffff00000ull, fpscr), fpscr),
                     0x410531acc45eeb37ull);
    /* Back to the default: MXCSR was restored, 1/3 rounds to nearest again. */
    fpscr_write(0);
    assert_int_equal(helper_vdiv_f32(f32b(1.0f), f32b(3.0f), fpscr), 0x3eaaaaabu);

    /* FZ: a denormal operand is a signed zero and raises IDC alone. */
    fpscr_write(FZ);
    assert_int_equal(helper_vadd_f64(1, 0, fpscr), 0);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x80);
    fpscr_write(FZ);
    assert_int_equal(helper_vmul_f64(0x800fffffffffffffull, f64b(2.0), fpscr), 0x8000000000000000ull);
    /* KNOWN-BUGS #3: vcmpe of a negative denormal with 0 is equal (Z C) under FZ. */
    assert_int_equal(helper_vcmpe_f64(0x8004b086a41e2c02ull, 0, fpscr), 0x6);
    /* 1 / denormal: the flushed divisor makes it a division by zero. */
    fpscr_write(FZ);
    assert_int_equal(helper_vdiv_f32(f32b(1.0f), 1, fpscr), 0x7f800000u);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x82);           /* IDC DZC */
    /* A tiny result is a zero of its sign with UFC alone: exact 2^-1023 ... */
    fpscr_write(FZ);
    assert_int_equal(helper_vmul_f64(f64b(-0x1p-1022), f64b(0.5), fpscr), 0x8000000000000000ull);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x08);
    /* ... and 2^-1022 (1 - 2^-104), tiny before rounding although it rounds to 2^-1022
       (without FZ: 2^-1022 with UFC IXC, tininess before rounding as on ARM). */
    uint64_t p = 0x0010000000000001ull, q = 0x3fefffffffffffffull - 1;
    fpscr_write(FZ);
    assert_int_equal(helper_vmul_f64(p, q, fpscr), 0);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x08);
    fpscr_write(RMODE(0) | DN);
    assert_int_equal(helper_vmul_f64(p, q, fpscr), 0x0010000000000000ull);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x18);
    /* Conversions: an f64 denormal operand flushes (IDC); 2^-130 is a denormal f32 result
       (UFC); to integer, a flushed denormal is 0 with IDC where RP would give 1 with IXC. */
    fpscr_write(FZ);
    assert_int_equal(helper_vcvt_f32_f64(1, fpscr), 0);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x80);
    fpscr_write(FZ);
    assert_int_equal(helper_vcvt_f32_f64(f64b(-0x1p-130), fpscr), 0x80000000u);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x08);
    fpscr_write(FZ);
    assert_int_equal(helper_vcvt_f64_f32(0x80000001u, fpscr), 0x8000000000000000ull);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x80);
    fpscr_write(RMODE(1));
    assert_int_equal(helper_vcvt_tofix_f64(1, FIX_RMODE, fpscr), 1);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x10);
    fpscr_write(FZ | RMODE(1));
    assert_int_equal(helper_vcvt_tofix_f64(1, FIX_RMODE, fpscr), 0);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x80);

    /* DN: a propagated NaN becomes the default NaN (IOC still for a signalling one). */
    uint64_t qnan = 0x7ff8000000000123ull, snan = 0x7ff40000cc5ab1d4ull;
    fpscr_write(DN);
    assert_int_equal(helper_vadd_f64(qnan, f64b(1.0), fpscr), 0x7ff8000000000000ull);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0);
    assert_int_equal(helper_vmul_f32(f32b(1.0f), 0xffc00001u, fpscr), 0x7fc00000u);
    assert_int_equal(helper_vcvt_f32_f64(qnan | 0x8000000000000000ull, fpscr), 0x7fc00000u);
    assert_int_equal(helper_vcvt_f64_f32(0x7f800001u, fpscr), 0x7ff8000000000000ull);
    assert_int_equal(helper_vfma_f64(snan, f64b(1.0), f64b(2.0), fpscr), 0x7ff8000000000000ull);
    assert_int_equal(helper_vmaxnm_f64(snan, f64b(1.0), fpscr), 0x7ff8000000000000ull);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x01);
    /* KNOWN-BUGS #4: vnmls.f64 d26, d14, d26 = -d26 + d14 * d26 with DN, RM. */
    fpscr_write(DN | RMODE(2));
    assert_int_equal(helper_vadd_f64(0xc55db5b3c492928aull,
                                     helper_vmul_f64(snan, 0x455db5b3c492928aull, fpscr), fpscr),
                     0x7ff8000000000000ull);
    /* 0/0 with FZ and DN: the positive default NaN, IOC. */
    fpscr_write(FZ | DN);
    assert_int_equal(helper_vdiv_f64(0, 0, fpscr), 0x7ff8000000000000ull);
    assert_int_equal(helper_vdiv_f32(0x80000000u, 0, fpscr), 0x7fc00000u);
    assert_int_equal(helper_fpscr_read(0) & 0x9f, 0x01);
    fpscr_write(0);
}

static void test_fma_minmax(void **state)
{
    (void)state;
    /* (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24: exact when fused; the rounded product loses 2^-24. */
    uint32_t x = f32b(1.0f + 0x1p-12f);
    assert_int_equal(helper_vfma_f32(f32b(-1.0f), x, x, fpscr), f32b(0x1p-11f + 0x1p-24f));
    assert_int_equal(helper_vadd_f32(f32b(-1.0f), helper_vmul_f32(x, x, fpscr), fpscr), f32b(0x1p-11f));
    assert_int_equal(helper_vfma_f64(f64b(1.0), f64b(2.0), f64b(3.0), fpscr), f64b(7.0));
    /* A quiet NaN addend with inf * 0 is invalid: default NaN. */
    assert_int_equal(helper_vfma_f64(0xfff8000000000001ull, f64b(INFINITY), 0, fpscr),
                     0x7ff8000000000000ull);
    assert_int_equal(helper_vfma_f64(0xfff8000000000001ull, f64b(1.0), 0, fpscr),
                     0xfff8000000000001ull);
    assert_int_equal(helper_vmaxnm_f64(0x7ff8000000000000ull, f64b(1.0), fpscr), f64b(1.0));
    assert_int_equal(helper_vminnm_f32(f32b(2.0f), 0x7fc00000u, fpscr), f32b(2.0f));
    assert_int_equal(helper_vmaxnm_f64(f64b(-0.0), f64b(0.0), fpscr), f64b(0.0));
    assert_int_equal(helper_vminnm_f64(f64b(0.0), f64b(-0.0), fpscr), f64b(-0.0));
    assert_int_equal(helper_vmaxnm_f32(0x7f800001u, f32b(1.0f), fpscr), 0x7fc00001u);
}

/* ---- Running a block ---- */

#define MEM_BASE 0x20000u
#define MEM_SIZE 0x1000u
#define CODE_BASE 0x10000u

struct machine {
    struct cpu cpu;
    uint8_t *mem;               /* MEM_BASE itself: guest memory is identity mapped */
    enum ir_exit exit;          /* exit_tb's reason; IR_EXIT_LOOKUP for goto_tb/goto_ptr */
};

/* A clean machine: zero state and zero guest memory. */
static void reset(struct machine *m)
{
    memset(m, 0, sizeof(*m));
    m->mem = (uint8_t *)(uintptr_t)MEM_BASE;
    memset(m->mem, 0, MEM_SIZE);
}

static void run_block(struct machine *m, const struct ir_block *b)
{
    m->exit = ir_interp_block(b, &m->cpu, NULL);
}

/* ---- Translating guest code ---- */

struct code {
    uint8_t bytes[256];
    uint32_t len;
};

static const uint8_t *fetch(void *ctx, uint32_t addr, uint32_t *avail)
{
    struct code *c = ctx;
    if (addr < CODE_BASE || addr >= CODE_BASE + c->len)
        return NULL;
    *avail = CODE_BASE + c->len - addr;
    return c->bytes + (addr - CODE_BASE);
}

/* Translates words (A32 words, or T32 insns as hw1 << 16 | hw2) as one block, checks that
   it verifies, and runs it on m. */
static void run(struct machine *m, bool thumb, const uint32_t *w, unsigned n)
{
    struct code code = { .len = 0 };
    for (unsigned i = 0; i < n; i++) {
        uint32_t v = thumb ? (w[i] >> 16 | w[i] << 16) : w[i];
        memcpy(code.bytes + code.len, &v, 4);
        code.len += 4;
    }
    struct arm_frontend *fe = arm_frontend_new();
    assert_non_null(fe);
    struct arm_code src = { fetch, &code };
    struct ir_block b;
    arm_translate_block(fe, &src, CODE_BASE, thumb, 0, &b);
    uint32_t where = 0;
    const char *err = ir_verify(&b, &where);
    if (err) {
        ir_print_block(stderr, &b);
        fail_msg("ir_verify: %s at op %u", err, where);
    }
    run_block(m, &b);
    ir_block_free(&b);
    arm_frontend_free(fe);
}

#define RUN(m, thumb, ...)                                                      \
    do {                                                                        \
        static const uint32_t w_[] = { __VA_ARGS__ };                           \
        run(m, thumb, w_, sizeof(w_) / sizeof(w_[0]));                          \
    } while (0)

static uint32_t sreg(const struct machine *m, int n)
{
    return (uint32_t)(m->cpu.d[n / 2] >> (32 * (n & 1)));
}

static void set_sreg(struct machine *m, int n, uint32_t v)
{
    uint64_t mask = 0xffffffffull << (32 * (n & 1));
    m->cpu.d[n / 2] = (m->cpu.d[n / 2] & ~mask) | (uint64_t)v << (32 * (n & 1));
}

static void test_insn_arith(void **state)
{
    (void)state;
    static struct machine m;
    reset(&m);
    m.cpu.d[1] = f64b(1.5);
    m.cpu.d[2] = f64b(2.25);
    set_sreg(&m, 9, f32b(10.0f));
    set_sreg(&m, 10, f32b(0.25f));
    set_sreg(&m, 16, f32b(-3.0f));
    set_sreg(&m, 17, 0x12345678u);
    RUN(&m, false,
        0xee310b02,     /* vadd.f64  d0, d1, d2 */
        0xee203b01,     /* vmul.f64  d3, d0, d1 */
        0xee344ac5,     /* vsub.f32  s8, s9, s10 */
        0xee815b02,     /* vdiv.f64  d5, d1, d2 */
        0xeeb16bc2,     /* vsqrt.f64 d6, d2 */
        0xeeb17b41,     /* vneg.f64  d7, d1 */
        0xeef08ac8);    /* vabs.f32  s17, s16 */
    assert_int_equal(m.exit, IR_EXIT_LOOKUP);
    assert_int_equal(m.cpu.d[0], f64b(3.75));
    assert_int_equal(m.cpu.d[3], f64b(5.625));
    assert_int_equal(sreg(&m, 8), f32b(9.75f));
    assert_int_equal(sreg(&m, 9), f32b(10.0f));     /* the other half stays */
    assert_int_equal(m.cpu.d[5], f64b(1.5 / 2.25));
    assert_int_equal(m.cpu.d[6], f64b(1.5));
    assert_int_equal(m.cpu.d[7], f64b(-1.5));
    assert_int_equal(sreg(&m, 16), f32b(-3.0f));
    assert_int_equal(sreg(&m, 17), f32b(3.0f));
    assert_int_equal(m.cpu.r[15], CODE_BASE + 7 * 4);
}

static void test_insn_cmp_vmrs(void **state)
{
    (void)state;
    static struct machine m;
    static const struct { double a, b; uint32_t nzcv; } cases[] = {
        { 1.0, 2.0, 0x8 }, { 2.0, 2.0, 0x6 }, { 3.0, 2.0, 0x2 }, { NAN, 2.0, 0x3 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        reset(&m);
        m.cpu.d[0] = f64b(cases[i].a);
        m.cpu.d[1] = f64b(cases[i].b);
        m.cpu.fpscr = 0x00c0009fu;      /* RMode and flags must survive */
        set_sreg(&m, 4, f32b(-0.0f));
        m.cpu.NF = m.cpu.ZF = m.cpu.CF = m.cpu.VF = 0x5a5a5a5au;
        RUN(&m, false,
            0xeeb40b41,     /* vcmp.f64 d0, d1 */
            0xeef1fa10);    /* vmrs     APSR_nzcv, fpscr */
        uint32_t nzcv = cases[i].nzcv;
        assert_int_equal(m.cpu.fpscr, nzcv << 28 | 0x00c0009fu);
        assert_int_equal(m.cpu.NF, (nzcv >> 3) << 31);
        assert_int_equal(m.cpu.ZF, (nzcv >> 2 & 1) ? 0 : 1);
        assert_int_equal(m.cpu.CF, nzcv >> 1 & 1);
        assert_int_equal(m.cpu.VF, (nzcv & 1) << 31);
        RUN(&m, false,
            0xeeb52ac0,     /* vcmpe.f32 s4, #0.0 */
            0xeef10a10);    /* vmrs      r0, fpscr */
        assert_int_equal(m.cpu.r[0], 0x6u << 28 | 0x00c0009fu);     /* -0 == +0 */
    }
    /* Thumb: the same encodings as hw1 << 16 | hw2. */
    reset(&m);
    m.cpu.d[1] = f64b(0.5);
    m.cpu.d[2] = f64b(-2.0);
    RUN(&m, true,
        0xee310b02,     /* vadd.f64     d0, d1, d2 */
        0xeebd3bc1,     /* vcvt.s32.f64 s6, d1 */
        0xeeb40b41,     /* vcmp.f64     d0, d1 */
        0xeef1fa10,     /* vmrs         APSR_nzcv, fpscr */
        0xec510b10);    /* vmov         r0, r1, d0 */
    assert_int_equal(m.cpu.d[0], f64b(-1.5));
    assert_int_equal(sreg(&m, 6), 0);
    assert_int_equal(m.cpu.NF, 0x80000000u);
    assert_int_equal(m.cpu.ZF, 1);
    assert_int_equal(m.cpu.CF, 0);
    assert_int_equal(m.cpu.VF, 0);
    assert_int_equal(m.cpu.r[0], 0);
    assert_int_equal(m.cpu.r[1], 0xbff80000u);
}

/* vmrs rt merges the flags the helpers raised; vmsr sets them; vmrs APSR_nzcv and vcmp
   leave them alone. */
static void test_insn_fpscr_flags(void **state)
{
    (void)state;
    static struct machine m;
    reset(&m);
    m.cpu.r[0] = 0x00c00080u;           /* RMode, IDC */
    m.cpu.d[1] = f64b(1.0);
    m.cpu.d[2] = f64b(0.0);
    RUN(&m, false,
        0xeee10a10,     /* vmsr      fpscr, r0 */
        0xee810b02,     /* vdiv.f64  d0, d1, d2: 1/0, DZC */
        0xeeb40b41,     /* vcmp.f64  d0, d1: inf > 1, no flag */
        0xeef11a10,     /* vmrs      r1, fpscr */
        0xeee12a10,     /* vmsr      fpscr, r2: 0 */
        0xeef13a10);    /* vmrs      r3, fpscr */
    assert_int_equal(m.cpu.r[1], 0x20c00082u);
    assert_int_equal(m.cpu.r[3], 0);
    reset(&m);
    m.cpu.d[0] = 0x7ff8000000000000ull;
    m.cpu.d[1] = f64b(1.0);
    RUN(&m, true,
        0xeee10a10,     /* vmsr      fpscr, r0 */
        0xeeb40b41,     /* vcmp.f64  d0, d1: quiet NaN, no flag */
        0xeef11a10,     /* vmrs      r1, fpscr */
        0xeeb40bc1,     /* vcmpe.f64 d0, d1: IOC */
        0xeef13a10);    /* vmrs      r3, fpscr */
    assert_int_equal(m.cpu.r[1], 0x30000000u);
    assert_int_equal(m.cpu.r[3], 0x30000001u);
    assert_int_equal(m.cpu.fpscr, 0x30000000u);     /* the flags live in the accumulator */
}

static void test_insn_cvt(void **state)
{
    (void)state;
    static struct machine m;
    reset(&m);
    m.cpu.d[1] = f64b(-7.75);
    set_sreg(&m, 6, (uint32_t)-42);
    set_sreg(&m, 9, f32b(3e9f));
    set_sreg(&m, 13, 0xffffffffu);
    RUN(&m, false,
        0xeebd0bc1,     /* vcvt.s32.f64 s0, d1 */
        0xeeb82bc3,     /* vcvt.f64.s32 d2, s6 */
        0xeef73bc1,     /* vcvt.f32.f64 s7, d1 */
        0xeebc4ae4,     /* vcvt.u32.f32 s8, s9 */
        0xeeb75ae4,     /* vcvt.f64.f32 d5, s9 */
        0xeeb86a66);    /* vcvt.f32.u32 s12, s13 */
    assert_int_equal(sreg(&m, 0), (uint32_t)-7);
    assert_int_equal(m.cpu.d[2], f64b(-42.0));
    assert_int_equal(sreg(&m, 7), f32b(-7.75f));
    assert_int_equal(sreg(&m, 8), 3000000000u);
    assert_int_equal(m.cpu.d[5], f64b(3e9));
    assert_int_equal(sreg(&m, 12), f32b(4294967296.0f));    /* rounded to nearest */

    reset(&m);
    m.cpu.d[0] = f64b(-1.5);
    set_sreg(&m, 2, 0xffff0024u);   /* u16 36 = 2.25 with 4 fraction bits */
    m.cpu.d[4] = f64b(2.5);
    m.cpu.r[0] = 0x00400000u | 0x0000ff00u;     /* RMode = +inf; trap enables read 0 */
    RUN(&m, false,
        0xeebe0bc8,     /* vcvt.s32.f64  d0, d0, #16 */
        0xeebb1a46,     /* vcvt.f32.u16  s2, s2, #4 */
        0xeee10a10,     /* vmsr          fpscr, r0 */
        0xeebd3b44,     /* vcvtr.s32.f64 s6, d4 */
        0xeefd3bc4);    /* vcvt.s32.f64  s7, d4 */
    assert_int_equal(m.cpu.d[0], (uint64_t)-98304);
    assert_int_equal(sreg(&m, 2), f32b(2.25f));
    assert_int_equal(m.cpu.fpscr, 0x00400000u);
    assert_int_equal(sreg(&m, 6), 3);
    assert_int_equal(sreg(&m, 7), 2);
}

static void test_insn_mem(void **state)
{
    (void)state;
    static struct machine m;
    reset(&m);
    uint64_t v = f64b(6.5);
    memcpy(m.mem + 0x100 - 8, &v, 8);
    m.cpu.r[1] = MEM_BASE + 0x100;
    m.cpu.d[0] = 0;
    m.cpu.d[8] = 0x1111111122222222ull;
    m.cpu.d[9] = 0x3333333344444444ull;
    m.cpu.r[13] = MEM_BASE + 0x800;
    m.cpu.r[3] = MEM_BASE + 0x200;
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t w = 0xa0 + i;
        memcpy(m.mem + 0x200 + 4 * i, &w, 4);
    }
    m.cpu.r[2] = MEM_BASE + 0x300;
    m.cpu.d[1] = 0x0102030405060708ull;
    RUN(&m, false,
        0xed110b02,     /* vldr   d0, [r1, #-8] */
        0xedc10a01,     /* vstr   s1, [r1, #4] */
        0xed2d8b04,     /* vpush  {d8-d9} */
        0xecbdab04,     /* vpop   {d10-d11} */
        0xecb32a03,     /* vldmia r3!, {s4-s6} */
        0xed221b02);    /* vstmdb r2!, {d1} */
    assert_int_equal(m.cpu.d[0], f64b(6.5));
    uint32_t w;
    memcpy(&w, m.mem + 0x104, 4);
    assert_int_equal(w, (uint32_t)(f64b(6.5) >> 32));
    assert_int_equal(m.cpu.r[13], MEM_BASE + 0x800);
    assert_int_equal(m.cpu.d[10], 0x1111111122222222ull);
    assert_int_equal(m.cpu.d[11], 0x3333333344444444ull);
    memcpy(&v, m.mem + 0x800 - 16, 8);
    assert_int_equal(v, 0x1111111122222222ull);
    assert_int_equal(sreg(&m, 4), 0xa0);
    assert_int_equal(sreg(&m, 5), 0xa1);
    assert_int_equal(sreg(&m, 6), 0xa2);
    assert_int_equal(m.cpu.r[3], MEM_BASE + 0x20c);
    assert_int_equal(m.cpu.r[2], MEM_BASE + 0x2f8);
    memcpy(&v, m.mem + 0x2f8, 8);
    assert_int_equal(v, 0x0102030405060708ull);

    /* vldr from a literal: Align(PC, 4) + 8 = insn + 16; the block is the insn and its
       literal (which decodes as something else: keep it out of the block). */
    reset(&m);
    struct code code = { .len = 24 };
    static const uint32_t lit[] = { 0xed9fcb02, 0, 0, 0, 0x55667788, 0x11223344 };
    memcpy(code.bytes, lit, sizeof(lit));
    struct arm_frontend *fe = arm_frontend_new();
    struct arm_code src = { fetch, &code };
    struct ir_block b;
    arm_translate_block(fe, &src, CODE_BASE, false, ARM_TB_SINGLESTEP, &b);
    uint32_t where = 0;
    assert_null(ir_verify(&b, &where));
    /* the literal is code memory, not MEM: the load's address is a constant we can check */
    bool found = false;
    for (uint32_t i = 0; i < b.n_ops; i++)
        if (b.ops[i].opc == IR_ld_i64) {
            found = true;
            assert_true(ir_is_const(&b, b.ops[i].args[1]));
            assert_int_equal(b.temps[b.ops[i].args[1]].val, CODE_BASE + 16);
        }
    assert_true(found);
    ir_block_free(&b);
    arm_frontend_free(fe);
}

static void test_insn_vmov(void **state)
{
    (void)state;
    static struct machine m;
    reset(&m);
    for (int i = 0; i < 12; i++)
        m.cpu.r[i] = 0x10101010u * (uint32_t)(i + 1);
    m.cpu.r[1] = 0xdeadbeefu;
    m.cpu.d[2] = 0xaaaaaaaabbbbbbbbull;
    m.cpu.d[5] = 0x0123456789abcdefull;
    m.cpu.d[6] = 0x00f0000000000000ull;     /* byte 6 */
    m.cpu.d[6] |= 0x0000fe0000000000ull;    /* byte 5 = 0xfe */
    m.cpu.d[7] = 0xffffffffffffffffull;
    m.cpu.d[16] = 0x1234;
    m.cpu.d[18] = 0x5555;
    RUN(&m, false,
        0xee001a10,     /* vmov     s0, r1 */
        0xec532b12,     /* vmov     r2, r3, d2 */
        0xec454b13,     /* vmov     d3, r4, r5 */
        0xeeb84b04,     /* vmov.f64 d4, #-2.5 */
        0xee256b10,     /* vmov.32  d5[1], r6 */
        0xee157b10,     /* vmov.32  r7, d5[0] */
        0xf2c00010,     /* vmov.i32 d16, #0 */
        0xf26211b2,     /* vorr     d17, d18, d18 (vmov d17, d18) */
        0xeef6fa00,     /* vmov.f32 s31, #0.5 */
        0xec498a11,     /* vmov     s2, s3, r8, r9 */
        0xeef6ab30,     /* vmov.u8  sl, d6[5] */
        0xee27bb30);    /* vmov.16  d7[2], fp */
    assert_int_equal(m.exit, IR_EXIT_LOOKUP);
    assert_int_equal(sreg(&m, 0), 0xdeadbeefu);
    assert_int_equal(m.cpu.r[2], 0xbbbbbbbbu);
    assert_int_equal(m.cpu.r[3], 0xaaaaaaaau);
    assert_int_equal(m.cpu.d[3], (uint64_t)0x60606060u << 32 | 0x50505050u);
    assert_int_equal(m.cpu.d[4], f64b(-2.5));
    assert_int_equal(m.cpu.d[5], 0x7070707089abcdefull);
    assert_int_equal(m.cpu.r[7], 0x89abcdefu);
    assert_int_equal(m.cpu.d[16], 0);
    assert_int_equal(m.cpu.d[17], 0x5555);
    assert_int_equal(sreg(&m, 31), f32b(0.5f));
    assert_int_equal(m.cpu.d[1], (uint64_t)0xa0a0a0a0u << 32 | 0x90909090u);
    assert_int_equal(m.cpu.r[10], 0xfe);
    assert_int_equal(m.cpu.d[7], 0xffffc0c0ffffffffull);
}

static void test_insn_mac(void **state)
{
    (void)state;
    static struct machine m;
    reset(&m);
    m.cpu.d[0] = f64b(1.0);
    m.cpu.d[1] = f64b(3.0);
    m.cpu.d[2] = f64b(0.5);
    m.cpu.d[4] = f64b(10.0);
    m.cpu.d[8] = f64b(4.0);
    m.cpu.d[9] = f64b(4.0);
    set_sreg(&m, 10, f32b(1.0f));
    set_sreg(&m, 11, f32b(2.0f));
    set_sreg(&m, 12, f32b(8.0f));
    RUN(&m, false,
        0xee010b02,     /* vmla.f64  d0, d1, d2:  1 + 1.5 */
        0xee213b42,     /* vnmul.f64 d3, d1, d2: -1.5 */
        0xeea14b02,     /* vfma.f64  d4, d1, d2: 10 + 1.5 */
        0xee055ac6,     /* vmls.f32  s10, s11, s12: 1 - 16 */
        0xee118b42,     /* vnmla.f64 d8, d1, d2: -4 - 1.5 */
        0xee919b02,     /* vfnms.f64 d9, d1, d2: -4 + 1.5 */
        0xf2a10e02);    /* vmull.p64 q0, d1, d2: ARMv8, not implemented */
    assert_int_equal(m.cpu.d[0], f64b(2.5));
    assert_int_equal(m.cpu.d[3], f64b(-1.5));
    assert_int_equal(m.cpu.d[4], f64b(11.5));
    assert_int_equal(sreg(&m, 10), f32b(-15.0f));
    assert_int_equal(m.cpu.d[8], f64b(-5.5));
    assert_int_equal(m.cpu.d[9], f64b(-2.5));
    assert_int_equal(m.exit, IR_EXIT_UNDEF);
    assert_int_equal(m.cpu.exit_pc, CODE_BASE + 6 * 4);
}

static int map_mem(void **state)
{
    (void)state;
    void *p = mmap((void *)(uintptr_t)MEM_BASE, MEM_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    return p == (void *)(uintptr_t)MEM_BASE ? 0 : -1;
}

static int unmap_mem(void **state)
{
    (void)state;
    return munmap((void *)(uintptr_t)MEM_BASE, MEM_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cvt_to_int),
        cmocka_unit_test(test_cvt_from_int),
        cmocka_unit_test(test_cvt_int_vs_host),
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_f64_to_f32),
        cmocka_unit_test(test_arith_nans),
        cmocka_unit_test(test_exc_flags),
        cmocka_unit_test(test_exc_host_flags),
        cmocka_unit_test(test_fpscr_ctl),
        cmocka_unit_test(test_fma_minmax),
        cmocka_unit_test(test_insn_arith),
        cmocka_unit_test(test_insn_cmp_vmrs),
        cmocka_unit_test(test_insn_fpscr_flags),
        cmocka_unit_test(test_insn_cvt),
        cmocka_unit_test(test_insn_mem),
        cmocka_unit_test(test_insn_vmov),
        cmocka_unit_test(test_insn_mac),
    };
    return cmocka_run_group_tests(tests, map_mem, unmap_mem);
}
