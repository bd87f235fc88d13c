/* Float and double arithmetic and conversions, incl. negative, large and NaN saturation. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}
static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static volatile double dv[] = { 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, 1e9, -1e9, 3e9, -3e9,
                                4294967295.0, 4294967296.0, 2147483647.0, 2147483648.0,
                                -2147483648.0, -2147483649.0, 1e19, -1e19, 1.8e19, 1e300,
                                INFINITY, -INFINITY, NAN, 1e-310, 123.456 };

int main(void)
{
    for (unsigned i = 0; i < sizeof(dv) / sizeof(dv[0]); i++) {
        double d = dv[i];
        float f = (float)d;
        /* Out-of-range conversions are undefined in C; the ARM instructions saturate (and
         * NaN gives 0), and the same binary runs under both, so print what it computes. */
        int32_t si = (int32_t)d;
        uint32_t ui = (uint32_t)d;
        int64_t sl = (int64_t)d;
        uint64_t ul = (uint64_t)d;
        int32_t fi = (int32_t)f;
        uint32_t fu = (uint32_t)f;
        printf("%-14g %016llx f=%08x si=%d ui=%u sl=%lld ul=%llu fi=%d fu=%u\n", d,
               (unsigned long long)bits(d), fbits(f), si, ui, (long long)sl,
               (unsigned long long)ul, fi, fu);
    }
    static volatile int32_t iv[] = { 0, 1, -1, 16777217, -16777217, 0x7fffffff,
                                     (int32_t)0x80000000, 123456789 };
    for (unsigned i = 0; i < 8; i++) {
        int32_t x = iv[i];
        printf("i2f %d %08x %016llx %08x %016llx\n", x, fbits((float)x),
               (unsigned long long)bits((double)x), fbits((float)(uint32_t)x),
               (unsigned long long)bits((double)(uint32_t)x));
    }
    static volatile int64_t lv[] = { 0, -1, 1ll << 53, (1ll << 53) + 1, INT64_MIN, INT64_MAX };
    for (unsigned i = 0; i < 6; i++)
        printf("l2d %016llx %016llx %08x\n", (unsigned long long)bits((double)lv[i]),
               (unsigned long long)bits((double)(uint64_t)lv[i]), fbits((float)lv[i]));
    volatile double a = 1.0, b = 3.0, z = 0.0;
    volatile float fa = 1.0f, fb = 3.0f;
    printf("div %016llx %08x\n", (unsigned long long)bits(a / b), fbits(fa / fb));
    printf("x/0 %g %g %g\n", a / z, -a / z, z / z);
    printf("sqrt %.17g %.9g %g\n", sqrt(b), (double)sqrtf(fb), sqrt(-a));
    printf("fabs %g %g fma %.17g\n", fabs(-b), fabs(-z), fma(a / b, b, -a));
    double acc = 0;
    float facc = 0;
    for (int i = 1; i <= 1000; i++) {
        acc += 1.0 / ((double)i * i);
        facc += 1.0f / (float)i;
        acc -= (double)(i % 3) * 1e-7;
    }
    printf("acc %.17g %.9g\n", acc, (double)facc);
    /* comparisons with NaN, min/max and rounding */
    volatile double n = NAN;
    printf("nan cmp %d %d %d %d %d\n", n < 1, n > 1, n == n, n != n, isnan(n));
    printf("min %g max %g\n", fmin(a, b), fmax(-a, n));
    double r[] = { 2.5, -2.5, 3.5, 0.49999999999999994, -0.5 };
    for (int i = 0; i < 5; i++)
        printf("round %g: %g %g %g %g %ld\n", r[i], round(r[i]), floor(r[i]), ceil(r[i]),
               trunc(r[i]), lrint(r[i]));
    /* float <-> double precision */
    volatile double pd = 0.1;
    float pf = (float)pd;
    printf("prec %08x %016llx %.20f\n", fbits(pf), (unsigned long long)bits((double)pf),
           (double)pf);
    /* denormals */
    volatile double den = 4.9406564584124654e-324;
    printf("denorm %g %g %016llx\n", den * 2, den / 2, (unsigned long long)bits(den * 1e300));
    volatile float fden = 1e-40f;
    printf("fdenorm %08x %08x\n", fbits(fden), fbits(fden * 0.5f));
    return 0;
}
