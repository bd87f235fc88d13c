/*
 * Integer loops that gcc's vectorizer turns into Advanced SIMD code at -O2 with
 * -ftree-vectorize (dot products, saturating and rounding byte arithmetic, sums of
 * absolute differences, reductions, strided RGB loads, table-free clamps); the -O0 builds
 * are the scalar reference, both compared with qemu-arm.
 * guest-ldflags: -mfpu=neon -ftree-vectorize
 */
#include <stdint.h>
#include <stdio.h>

#define N 1000

static int16_t h1[N], h2[N];
static uint8_t b1[N], b2[N], b3[N], rgb[3 * N];
static int32_t w1[N], w2[N];

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

__attribute__((noinline)) static int64_t dot16(const int16_t *a, const int16_t *b, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

__attribute__((noinline)) static void satadd8(uint8_t *d, const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned v = a[i] + b[i];
        d[i] = v > 255 ? 255 : v;
    }
}

__attribute__((noinline)) static void avg8(uint8_t *d, const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++)
        d[i] = (uint8_t)((a[i] + b[i] + 1) >> 1);
}

__attribute__((noinline)) static uint32_t sad8(const uint8_t *a, const uint8_t *b, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
    return s;
}

__attribute__((noinline)) static int32_t max32(const int32_t *a, int n)
{
    int32_t m = INT32_MIN;
    for (int i = 0; i < n; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}

__attribute__((noinline)) static void gray(uint8_t *d, const uint8_t *p, int n)
{
    for (int i = 0; i < n; i++)
        d[i] = (uint8_t)((p[3 * i] * 77 + p[3 * i + 1] * 150 + p[3 * i + 2] * 29) >> 8);
}

__attribute__((noinline)) static void axpy32(int32_t *y, const int32_t *x, int32_t k, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = (y[i] + x[i] * k) >> 3;
}

__attribute__((noinline)) static int count_eq(const uint8_t *a, uint8_t key, int n)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += a[i] == key;
    return c;
}

__attribute__((noinline)) static void clamp16(int16_t *a, int16_t lo, int16_t hi, int n)
{
    for (int i = 0; i < n; i++)
        a[i] = a[i] < lo ? lo : a[i] > hi ? hi : a[i];
}

__attribute__((noinline)) static void widen_shift(int32_t *d, const int16_t *a, int n)
{
    for (int i = 0; i < n; i++)
        d[i] = (int32_t)a[i] << 5 | (a[i] & 7);
}

static uint32_t hash(const void *p, unsigned n)
{
    const uint8_t *b = p;
    uint32_t h = 2166136261u;
    for (unsigned i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

int main(void)
{
    for (int i = 0; i < N; i++) {
        h1[i] = (int16_t)rnd();
        h2[i] = (int16_t)(rnd() >> 3);
        b1[i] = (uint8_t)rnd();
        b2[i] = (uint8_t)rnd();
        w1[i] = (int32_t)rnd();
        w2[i] = (int32_t)rnd() >> 8;
    }
    for (int i = 0; i < 3 * N; i++)
        rgb[i] = (uint8_t)rnd();
    for (int n = N - 7; n <= N; n += 7) {   /* vector bodies and scalar tails */
        printf("n %d: dot %lld sad %u max %d eq %d\n", n, (long long)dot16(h1, h2, n),
               sad8(b1, b2, n), max32(w1, n), count_eq(b1, b1[3], n));
        satadd8(b3, b1, b2, n);
        printf("  satadd %08x", hash(b3, n));
        avg8(b3, b1, b2, n);
        printf(" avg %08x", hash(b3, n));
        gray(b3, rgb, n);
        printf(" gray %08x", hash(b3, n));
        axpy32(w2, w1, -7, n);
        printf(" axpy %08x", hash(w2, 4 * n));
        clamp16(h2, -1000, 1200, n);
        printf(" clamp %08x", hash(h2, 2 * n));
        widen_shift(w2, h1, n);
        printf(" widen %08x\n", hash(w2, 4 * n));
    }
    return 0;
}
