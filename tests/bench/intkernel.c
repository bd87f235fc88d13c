/* Integer kernel: xorshift, multiply, divide, popcount-ish bit mixing over an array.
 * Self-check: every element evolves on its own, so a second loop recomputes some of them one
 * at a time (element-major instead of round-major) in 64-bit arithmetic, and their final
 * values must agree. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    enum { N = 4096 };
    static uint32_t a[N], a0[N];
    uint32_t x = 2463534242u, sum = 0;
    for (int i = 0; i < N; i++)
        a0[i] = a[i] = x = x ^ x << 13, x ^= x >> 17, x ^= x << 5;
    for (int r = 0; r < scale * 500; r++)
        for (int i = 0; i < N; i++) {
            uint32_t v = a[i] * 2654435761u + (uint32_t)r;
            v ^= v >> 15;
            if ((i & 15) == 0)
                v += (v / ((uint32_t)i | 1u)) & 0xff;
            v = (v << 7) | (v >> 25);
            a[i] = v;
            sum += v ^ (v >> 3);
        }
    for (int i = 0; i < N; i += 67) {
        uint64_t v = a0[i];
        for (int r = 0; r < scale * 500; r++) {
            v = (v * 2654435761u + (uint64_t)r) & 0xffffffffu;
            v ^= v >> 15;
            if ((i & 15) == 0)
                v = (v + (v / (uint64_t)(i | 1) & 0xff)) & 0xffffffffu;
            v = (v << 7 & 0xffffffffu) | v >> 25;
        }
        if (v != a[i]) {
            printf("intkernel: self-check failed: element %d is %08x, recomputed %08llx\n", i,
                   a[i], (unsigned long long)v);
            return 1;
        }
    }
    printf("checksum %08x\n", sum);
    return 0;
}
