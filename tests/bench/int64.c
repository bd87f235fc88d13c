/* 64-bit integers: Miller-Rabin primality (u64 multiply and modulo: on ARM the modulo is the
 * __aeabi_uldivmod routine) over a range just below 2^32, with 64-bit LCG mixing, divisions,
 * popcount and count-leading-zeros on the side. Self-check: the prime count must equal a
 * segmented sieve's (no multiply or divide in its inner loop), and the popcounts must equal
 * a bit-by-bit count. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static uint32_t powmod(uint32_t b, uint32_t e, uint32_t m)
{
    uint64_t r = 1, x = b % m;
    while (e) {
        if (e & 1)
            r = r * x % m;
        x = x * x % m;
        e >>= 1;
    }
    return (uint32_t)r;
}

/* Deterministic for n < 4759123141 with the bases 2, 7, 61. */
static int is_prime(uint32_t n)
{
    if (n < 2)
        return 0;
    if (n % 2 == 0)
        return n == 2;
    uint32_t d = n - 1;
    int s = 0;
    while ((d & 1) == 0)
        d >>= 1, s++;
    static const uint32_t bases[] = { 2, 7, 61 };
    for (int i = 0; i < 3; i++) {
        uint32_t a = bases[i] % n;
        if (a == 0)
            continue;
        uint64_t x = powmod(a, d, n);
        if (x == 1 || x == n - 1)
            continue;
        int composite = 1;
        for (int k = 1; k < s && composite; k++) {
            x = x * x % n;
            if (x == n - 1)
                composite = 0;
        }
        if (composite)
            return 0;
    }
    return 1;
}

/* Primes in [lo, hi): mark multiples of every prime up to sqrt(hi). */
static uint32_t sieve_count(uint32_t lo, uint32_t hi)
{
    enum { SMALL = 1 << 16 };
    static uint8_t small[SMALL];
    uint32_t len = hi - lo;
    uint8_t *seg = calloc(len, 1);
    memset(small, 0, sizeof small);
    for (uint32_t p = 2; p < SMALL; p++) {
        if (small[p])
            continue;
        for (uint32_t q = p + p; q < SMALL; q += p)
            small[q] = 1;
        uint32_t first = (lo + p - 1) / p * p;
        if (first < p * p)
            first = p * p;
        for (uint64_t q = first; q < hi; q += p)
            seg[q - lo] = 1;
    }
    uint32_t count = 0;
    for (uint32_t i = 0; i < len; i++)
        count += !seg[i] && lo + i >= 2;
    free(seg);
    return count;
}

static int popcount_slow(uint64_t v)
{
    int c = 0;
    for (int i = 0; i < 64; i++)
        c += (int)(v >> i & 1);
    return c;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    uint32_t hi = 4000000000u, lo = hi - (uint32_t)scale * 24000u;
    uint32_t primes = 0;
    uint64_t h = 0x243f6a8885a308d3ull, acc = 0;
    for (uint32_t n = lo; n < hi; n++) {
        h = h * 6364136223846793005ull + n;         /* 64-bit LCG step */
        uint64_t q = h / ((uint64_t)n * 2654435761u | 1), rem = h % 1000000007u;
        acc += q ^ rem;
        int pc = __builtin_popcountll(h);
        acc += (uint64_t)pc << (__builtin_clzll(h | 1) & 31);
        if ((n & 63) == 0 && pc != popcount_slow(h)) {
            printf("int64: self-check failed: popcount of %016llx: %d, counted %d\n",
                   (unsigned long long)h, pc, popcount_slow(h));
            return 1;
        }
        if (is_prime(n)) {
            primes++;
            acc = (acc << 7 | acc >> 57) ^ n;
        }
    }
    uint32_t want = sieve_count(lo, hi);
    if (primes != want) {
        printf("int64: self-check failed: %u primes in [%u, %u), the sieve says %u\n", primes,
               lo, hi, want);
        return 1;
    }
    printf("checksum %u %016llx\n", primes, (unsigned long long)acc);
    return 0;
}
