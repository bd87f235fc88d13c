/*
 * Advanced SIMD single precision: arithmetic, fused and unfused multiply-accumulate,
 * max/min, compares, the reciprocal and square root estimates with their Newton steps,
 * conversions with and without fraction bits, by-scalar forms, on ordinary values and on
 * NaNs, infinities, zeros and denormals (which Advanced SIMD flushes); the FPSCR cumulative
 * flags after each group. Plus a float loop that -funsafe-math-optimizations lets gcc
 * vectorize.
 * guest-ldflags: -mfpu=neon-vfpv4 -ftree-vectorize -funsafe-math-optimizations
 */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void show(const char *name, const void *p, unsigned n)
{
    const uint32_t *w = p;
    printf("%-10s", name);
    for (unsigned i = 0; i < n / 4; i++)
        printf(" %08x", w[i]);
    printf("\n");
}

#define SHOWQ(name, v) do { __typeof__(v) t_ = (v); show(name, &t_, 16); } while (0)
#define SHOWD(name, v) do { __typeof__(v) t_ = (v); show(name, &t_, 8); } while (0)

/* FPSCR's cumulative flags (and QC), then cleared. */
static void flags(const char *what)
{
    unsigned f;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(f));
    printf("  flags after %s: %02x\n", what, f & 0x0800009f);
    f &= ~0x0800009fu;
    __asm__ volatile("vmsr fpscr, %0" : : "r"(f));
}

static float32x4_t bits4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    uint32_t w[4] = { a, b, c, d };
    return vreinterpretq_f32_u32(vld1q_u32(w));
}

static void arith(float32x4_t x, float32x4_t y, float32x4_t z)
{
    SHOWQ("vadd", vaddq_f32(x, y));
    SHOWQ("vsub", vsubq_f32(x, y));
    SHOWQ("vmul", vmulq_f32(x, y));
    SHOWQ("vmla", vmlaq_f32(z, x, y));
    SHOWQ("vmls", vmlsq_f32(z, x, y));
    SHOWQ("vfma", vfmaq_f32(z, x, y));
    SHOWQ("vfms", vfmsq_f32(z, x, y));
    SHOWQ("vabd", vabdq_f32(x, y));
    SHOWQ("vmax", vmaxq_f32(x, y));
    SHOWQ("vmin", vminq_f32(x, y));
    SHOWD("vpadd", vpadd_f32(vget_low_f32(x), vget_high_f32(y)));
    SHOWD("vpmax", vpmax_f32(vget_low_f32(x), vget_high_f32(y)));
    SHOWD("vpmin", vpmin_f32(vget_high_f32(x), vget_low_f32(z)));
    SHOWQ("vabs", vabsq_f32(y));
    SHOWQ("vneg", vnegq_f32(x));
    SHOWQ("vmul.lane", vmulq_lane_f32(x, vget_low_f32(y), 1));
    SHOWQ("vmla.n", vmlaq_n_f32(z, x, 1.5f));
    SHOWQ("vmls.lane", vmlsq_lane_f32(z, y, vget_high_f32(x), 0));
    flags("arithmetic");
}

static void compares(float32x4_t x, float32x4_t y)
{
    SHOWQ("vceq", vceqq_f32(x, y));
    SHOWQ("vcge", vcgeq_f32(x, y));
    SHOWQ("vcgt", vcgtq_f32(x, y));
    SHOWQ("vcle", vcleq_f32(x, y));
    SHOWQ("vacge", vcageq_f32(x, y));
    SHOWQ("vacgt", vcagtq_f32(x, y));
    SHOWQ("vcgt #0", vcgtq_f32(x, vdupq_n_f32(0)));
    SHOWQ("vclt #0", vcltq_f32(y, vdupq_n_f32(0)));
    flags("compares");
}

static void estimates(float32x4_t x)
{
    float32x4_t r = vrecpeq_f32(x);
    SHOWQ("vrecpe", r);
    r = vmulq_f32(vrecpsq_f32(x, r), r);
    SHOWQ("newton", vmulq_f32(vrecpsq_f32(x, r), r));
    float32x4_t s = vrsqrteq_f32(vabsq_f32(x));
    SHOWQ("vrsqrte", s);
    SHOWQ("vrsqrts", vrsqrtsq_f32(vmulq_f32(vabsq_f32(x), s), s));
    SHOWQ("vrecpe.u32", vrecpeq_u32(vreinterpretq_u32_f32(x)));
    SHOWQ("vrsqrte.u32", vrsqrteq_u32(vreinterpretq_u32_f32(x)));
    flags("estimates");
}

static void conversions(float32x4_t x)
{
    SHOWQ("to s32", vcvtq_s32_f32(x));
    SHOWQ("to u32", vcvtq_u32_f32(x));
    SHOWQ("to s32 #8", vcvtq_n_s32_f32(x, 8));
    SHOWQ("to u32 #31", vcvtq_n_u32_f32(x, 31));
    flags("to integer");
    int32x4_t i = vreinterpretq_s32_f32(x);
    SHOWQ("from s32", vcvtq_f32_s32(i));
    SHOWQ("from u32", vcvtq_f32_u32(vreinterpretq_u32_s32(i)));
    SHOWQ("from s32 #3", vcvtq_n_f32_s32(i, 3));
    SHOWQ("from u32 #32", vcvtq_n_f32_u32(vreinterpretq_u32_s32(i), 32));
    flags("from integer");
}

__attribute__((noinline)) static void saxpy(float *y, const float *x, float a, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = a * x[i] + y[i] * 0.5f;
}

int main(void)
{
    static const uint32_t sets[][3][4] = {
        { { 0x3f800000, 0x40490fdb, 0xc2c80000, 0x3eaaaaab },     /* ordinary */
          { 0x3f000000, 0xbf8ccccd, 0x447a0000, 0x41200000 },
          { 0x42280000, 0x3dcccccd, 0xc0a00000, 0x00000000 } },
        { { 0x7fc00000, 0x7f800001, 0xff800000, 0x80000000 },     /* NaN, inf, zeros */
          { 0x3f800000, 0x00000000, 0x7f800000, 0x00000000 },
          { 0x7f800000, 0x7fa00000, 0x00000001, 0x80000000 } },
        { { 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff },     /* denormals, limits */
          { 0x00400000, 0x80000001, 0x00800001, 0x7f7fffff },
          { 0x80000000, 0x3f800000, 0x00000000, 0xff7fffff } },
        { { 0x4f000000, 0xcf000001, 0x4f800000, 0xbf7fffff },     /* conversion edges */
          { 0x7e800000, 0x3e800000, 0x1f800000, 0x5f000000 },
          { 0x3f000000, 0x3fc00000, 0x40200000, 0xbfc00000 } },
    };
    flags("start");
    for (unsigned k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
        printf("set %u\n", k);
        float32x4_t x = bits4(sets[k][0][0], sets[k][0][1], sets[k][0][2], sets[k][0][3]);
        float32x4_t y = bits4(sets[k][1][0], sets[k][1][1], sets[k][1][2], sets[k][1][3]);
        float32x4_t z = bits4(sets[k][2][0], sets[k][2][1], sets[k][2][2], sets[k][2][3]);
        arith(x, y, z);
        compares(x, y);
        estimates(x);
        estimates(y);
        conversions(x);
        conversions(z);
    }
    float xs[103], ys[103];
    for (int i = 0; i < 103; i++) {
        xs[i] = (float)i * 0.37f - 11.0f;
        ys[i] = 1.0f / (float)(i + 1);
    }
    saxpy(ys, xs, 2.25f, 103);
    show("saxpy", ys, 4 * 8);
    show("saxpy end", ys + 95, 4 * 8);
    return 0;
}
