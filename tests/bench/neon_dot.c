/* Loops that the compilers vectorize on their own (gcc -O3, -mfpu=neon on ARM, AVX2 on the
 * host): int16 dot products into int32, a saturating u8 add, an int32 multiply-add and a
 * max reduction, over arrays that stay in the cache.
 * Self-check: the last dot product and max are recomputed in scalar code at the end.
 * bench-cflags: -O3
 * bench-arm-cflags: -mfpu=neon
 * bench-native-cflags: -march=x86-64-v3
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { N = 4096 };
static int16_t a[N], b[N];
static uint8_t p[N], q[N], s[N];
static int32_t x[N], y[N];

__attribute__((noinline)) static int32_t dot(const int16_t *u, const int16_t *v)
{
    int32_t sum = 0;
    for (int i = 0; i < N; i++)
        sum += u[i] * v[i];
    return sum;
}

__attribute__((noinline)) static void satadd(uint8_t *d, const uint8_t *u, const uint8_t *v)
{
    for (int i = 0; i < N; i++) {
        unsigned t = u[i] + v[i];
        d[i] = t > 255 ? 255 : (uint8_t)t;
    }
}

__attribute__((noinline)) static void madd(int32_t *d, const int32_t *u, int32_t k)
{
    for (int i = 0; i < N; i++)
        d[i] = d[i] * 3 + u[i] * k;
}

__attribute__((noinline)) static int32_t maxof(const int32_t *u)
{
    int32_t m = INT32_MIN;
    for (int i = 0; i < N; i++)
        m = u[i] > m ? u[i] : m;
    return m;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    uint32_t v = 2463534242u;
    for (int i = 0; i < N; i++) {
        v ^= v << 13, v ^= v >> 17, v ^= v << 5;
        a[i] = (int16_t)v, b[i] = (int16_t)(v >> 16) >> 2;
        p[i] = (uint8_t)(v >> 3), q[i] = (uint8_t)(v >> 11);
        x[i] = (int32_t)v >> 4, y[i] = (int32_t)(v >> 7);
    }
    uint32_t sum = 0;
    int32_t d = 0, m = 0;
    for (int r = 0; r < scale * 1000; r++) {
        d = dot(a, b);
        satadd(s, p, q);
        madd(y, x, r | 1);
        m = maxof(y);
        sum += (uint32_t)d ^ (uint32_t)m ^ s[r & (N - 1)];
        a[r & (N - 1)] ^= (int16_t)r;
    }
    int32_t m64 = INT32_MIN;
    for (int i = 0; i < N; i++)
        m64 = y[i] > m64 ? y[i] : m64;
    a[(scale * 1000 - 1) & (N - 1)] ^= (int16_t)(scale * 1000 - 1);   /* undo the last change */
    int64_t dlast = 0;
    for (int i = 0; i < N; i++)
        dlast += (int64_t)a[i] * b[i];
    if ((int32_t)dlast != d || m64 != m) {
        printf("neon_dot: self-check failed: %d %lld, %d %d\n", d, (long long)dlast, m, m64);
        return 1;
    }
    printf("checksum %08x\n", sum);
    return 0;
}
