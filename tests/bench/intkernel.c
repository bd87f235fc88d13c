/* Integer kernel: xorshift, multiply, divide, popcount-ish bit mixing over an array. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    enum { N = 4096 };
    static uint32_t a[N];
    uint32_t x = 2463534242u, sum = 0;
    for (int i = 0; i < N; i++)
        a[i] = x = x ^ x << 13, x ^= x >> 17, x ^= x << 5;
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
    printf("checksum %08x\n", sum);
    return 0;
}
