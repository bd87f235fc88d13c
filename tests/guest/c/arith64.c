/* 64-bit integer arithmetic: mul, div, mod, shifts by variable counts, compares. */
#include <stdio.h>
#include <stdint.h>

static volatile uint64_t vs[] = {
    0, 1, 2, 3, 7, 0xff, 0x100000000ull, 0xffffffffull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xffffffffffffffffull, 0x123456789abcdef0ull, 1000000007ull,
    0xfedcba9876543210ull, 12345678901234ull,
};
#define N (sizeof(vs) / sizeof(vs[0]))

int main(void)
{
    uint64_t acc = 0;
    for (unsigned i = 0; i < N; i++) {
        for (unsigned j = 0; j < N; j++) {
            uint64_t a = vs[i], b = vs[j];
            int64_t sa = (int64_t)a, sb = (int64_t)b;
            uint64_t m = a * b, s = a + b, d = a - b;
            uint64_t q = b ? a / b : 0, r = b ? a % b : 0;
            int64_t sq = 0, sr = 0;
            if (sb != 0 && !(sa == INT64_MIN && sb == -1)) {
                sq = sa / sb;
                sr = sa % sb;
            }
            printf("%2u %2u m=%016llx s=%016llx d=%016llx q=%016llx r=%016llx "
                   "sq=%lld sr=%lld lt=%d slt=%d\n", i, j, (unsigned long long)m,
                   (unsigned long long)s, (unsigned long long)d, (unsigned long long)q,
                   (unsigned long long)r, (long long)sq, (long long)sr, a < b, sa < sb);
            acc = acc * 31 + m + q + (uint64_t)sr;
        }
    }
    for (volatile int sh = 0; sh < 64; sh += 3) {
        uint64_t x = vs[11];
        int64_t y = (int64_t)vs[13];
        printf("sh %2d %016llx %016llx %016llx\n", sh, (unsigned long long)(x << sh),
               (unsigned long long)(x >> sh), (unsigned long long)(y >> sh));
    }
    /* widening multiplies, as gcc emits umull/smull for them */
    volatile uint32_t u1 = 0xdeadbeef, u2 = 0xcafebabe;
    volatile int32_t s1 = -123456789, s2 = 987654321;
    printf("umull %016llx smull %016llx\n", (unsigned long long)((uint64_t)u1 * u2),
           (unsigned long long)((int64_t)s1 * s2));
    printf("neg %lld abs %lld\n", -(long long)vs[14], (long long)vs[14] * -3);
    printf("acc %016llx\n", (unsigned long long)acc);
    return 0;
}
