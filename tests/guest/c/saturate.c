/* 64-bit and saturating arithmetic: overflow builtins, clamping, 128-bit-by-parts multiply,
 * adds with carry chains (adds/adcs, subs/sbcs). */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

static int32_t sat_add32(int32_t a, int32_t b)
{
    int32_t r;
    if (__builtin_add_overflow(a, b, &r))
        return a < 0 ? INT32_MIN : INT32_MAX;
    return r;
}
static int32_t sat_sub32(int32_t a, int32_t b)
{
    int32_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return a < 0 ? INT32_MIN : INT32_MAX;
    return r;
}
static uint8_t sat_u8(int x) { return x < 0 ? 0 : x > 255 ? 255 : (uint8_t)x; }
static int16_t sat_s16(int x) { return x < -32768 ? -32768 : x > 32767 ? 32767 : (int16_t)x; }
static void mul64x64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    *lo = (mid << 32) | (uint32_t)ll;
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static volatile int32_t v[] = { 0, 1, -1, 100, -100, 0x40000000, INT32_MAX, INT32_MIN,
                                0x7ffffff0, -0x7ffffff0 };

int main(void)
{
    int n = sizeof(v) / sizeof(v[0]);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int32_t a = v[i], b = v[j], m;
            int64_t m64;
            int ov = __builtin_mul_overflow(a, b, &m);
            int ov64 = __builtin_mul_overflow((int64_t)a * 3, (int64_t)b * 5, &m64);
            unsigned ur;
            int uov = __builtin_add_overflow((uint32_t)a, (uint32_t)b, &ur);
            printf("%d %d: %d %d %d/%d %lld/%d %u/%d\n", a, b, sat_add32(a, b), sat_sub32(a, b),
                   m, ov, (long long)m64, ov64, ur, uov);
        }
    for (int x = -300; x <= 300; x += 37)
        printf("u8 %d %u s16 %d\n", x, sat_u8(x), sat_s16(x * 211));
    uint64_t hi, lo;
    uint64_t a = 0xfedcba9876543210ull, b = 0x0123456789abcdefull;
    for (int i = 0; i < 8; i++) {
        mul64x64(a, b, &hi, &lo);
        printf("mul128 %016llx%016llx\n", (unsigned long long)hi, (unsigned long long)lo);
        a = a * 6364136223846793005ull + 1442695040888963407ull;
        b ^= a >> 7;
    }
    /* 96-bit accumulation with explicit carries */
    uint32_t w[3] = { 0 };
    for (uint32_t i = 0; i < 1000; i++) {
        uint64_t add = (uint64_t)i * 0x9e3779b97f4a7c15ull;
        uint64_t s0 = (uint64_t)w[0] + (uint32_t)add;
        uint64_t s1 = (uint64_t)w[1] + (uint32_t)(add >> 32) + (s0 >> 32);
        w[0] = (uint32_t)s0;
        w[1] = (uint32_t)s1;
        w[2] += (uint32_t)(s1 >> 32);
    }
    printf("acc96 %08x%08x%08x\n", w[2], w[1], w[0]);
    int64_t big = INT64_MAX, r64, r64b;
    int o1 = __builtin_add_overflow(big, (int64_t)v[1], &r64);
    int o2 = __builtin_sub_overflow(-big, (int64_t)v[3], &r64b);
    printf("add64 ov %d sub64 ov %d\n", o1, o2);
    long long x = 1;
    for (int i = 0; i < 70; i++) {
        long long y;
        if (__builtin_mul_overflow(x, 3, &y)) {
            printf("overflow at %d (%lld)\n", i, x);
            break;
        }
        x = y;
    }
    return 0;
}
