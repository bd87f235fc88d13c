/* Advanced SIMD intrinsics: a 3x3 box blur of an 8-bit image (widening adds of the row
 * above, the row and the row below, three horizontal taps by VEXT, a rounding narrowing
 * shift; x/9 as (x * 7282) >> 16). The same C without NEON (the native build) computes the
 * same arithmetic in a plain loop that the host compiler vectorizes.
 * Self-check: every 61st row is recomputed one pixel at a time and must agree.
 * bench-cflags: -O3
 * bench-arm-cflags: -mfpu=neon
 * bench-native-cflags: -march=x86-64-v3
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __ARM_NEON
#include <arm_neon.h>
#endif

enum { W = 1024, H = 256 };
static uint8_t img[2][H][W];

static inline uint8_t pixel(const uint8_t (*s)[W], int y, int x)
{
    unsigned sum = 0;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
            sum += s[y + dy][x + dx];
    return (uint8_t)((sum * 7282 + 32768) >> 16);
}

static void blur_row(const uint8_t (*s)[W], uint8_t *d, int y)
{
    int x = 1;
#ifdef __ARM_NEON
    for (; x + 16 <= W - 1; x += 8) {
        /* column sums of 16 pixels starting one to the left, as 16-bit lanes */
        uint16x8_t lo = vaddl_u8(vld1_u8(&s[y - 1][x - 1]), vld1_u8(&s[y][x - 1]));
        uint16x8_t hi = vaddl_u8(vld1_u8(&s[y - 1][x + 7]), vld1_u8(&s[y][x + 7]));
        lo = vaddw_u8(lo, vld1_u8(&s[y + 1][x - 1]));
        hi = vaddw_u8(hi, vld1_u8(&s[y + 1][x + 7]));
        uint16x8_t sum = vaddq_u16(vaddq_u16(lo, vextq_u16(lo, hi, 1)), vextq_u16(lo, hi, 2));
        uint32x4_t a = vmull_n_u16(vget_low_u16(sum), 7282);
        uint32x4_t b = vmull_n_u16(vget_high_u16(sum), 7282);
        uint16x8_t q = vcombine_u16(vrshrn_n_u32(a, 16), vrshrn_n_u32(b, 16));
        vst1_u8(&d[x], vmovn_u16(q));
    }
#endif
    for (; x < W - 1; x++)
        d[x] = pixel(s, y, x);
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    uint32_t v = 2463534242u;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            v ^= v << 13, v ^= v >> 17, v ^= v << 5;
            img[0][y][x] = img[1][y][x] = (uint8_t)v;
        }
    int cur = 0;
    for (int r = 0; r < scale * 24; r++) {
        for (int y = 1; y < H - 1; y++)
            blur_row(img[cur], img[cur ^ 1][y], y);
        cur ^= 1;
    }
    /* one more pass, checked against the scalar formula */
    for (int y = 1; y < H - 1; y++)
        blur_row(img[cur], img[cur ^ 1][y], y);
    for (int y = 1; y < H - 1; y += 61)
        for (int x = 1; x < W - 1; x++)
            if (img[cur ^ 1][y][x] != pixel(img[cur], y, x)) {
                printf("neon_blur: self-check failed at %d,%d\n", y, x);
                return 1;
            }
    uint32_t sum = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            sum = sum * 31 + img[cur ^ 1][y][x];
    printf("checksum %08x\n", sum);
    return 0;
}
