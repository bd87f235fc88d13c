/* Division and modulo: 32-bit signed/unsigned (sdiv/udiv or __aeabi_idiv/uidiv, idivmod),
 * by constants (multiply-by-reciprocal), negative operands, INT_MIN / -1. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

static volatile int32_t sv[] = { 0, 1, -1, 2, -2, 3, 7, -7, 10, 100, -100, 12345, INT_MAX,
                                 INT_MIN, 65536, -65537 };
static volatile uint32_t uv[] = { 0, 1, 2, 3, 9, 10, 255, 65535, 0x80000000u, 0xffffffffu,
                                  0x12345678u, 1000000000u };

int main(void)
{
    unsigned ns = sizeof(sv) / sizeof(sv[0]), nu = sizeof(uv) / sizeof(uv[0]);
    for (unsigned i = 0; i < ns; i++)
        for (unsigned j = 0; j < ns; j++) {
            int32_t a = sv[i], b = sv[j];
            if (b == 0 || (a == INT_MIN && b == -1))
                continue;
            printf("%d/%d=%d %%=%d\n", a, b, a / b, a % b);
        }
    for (unsigned i = 0; i < nu; i++)
        for (unsigned j = 0; j < nu; j++) {
            uint32_t a = uv[i], b = uv[j];
            if (b)
                printf("%u/%u=%u %%=%u\n", a, b, a / b, a % b);
        }
    for (unsigned i = 0; i < ns; i++) {
        int32_t a = sv[i];
        printf("c %d: /3=%d /7=%d /10=%d /-5=%d %%3=%d %%16=%d /16=%d\n", a, a / 3, a / 7,
               a / 10, a / -5, a % 3, a % 16, a / 16);
    }
    for (unsigned i = 0; i < nu; i++) {
        uint32_t a = uv[i];
        printf("u %u: /3=%u /7=%u /10=%u /1000=%u %%10=%u\n", a, a / 3, a / 7, a / 10,
               a / 1000, a % 10);
    }
    /* a digit loop, the classic user of div+mod by 10 */
    char buf[16];
    for (unsigned i = 0; i < nu; i++) {
        uint32_t a = uv[i];
        int n = 0;
        do {
            buf[n++] = (char)('0' + a % 10);
            a /= 10;
        } while (a);
        while (n)
            putchar(buf[--n]);
        putchar('\n');
    }
    return 0;
}
