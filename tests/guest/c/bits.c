/* Bit tricks: clz, ctz, popcount, parity, bswap, rotates, struct bitfields. */
#include <stdio.h>
#include <stdint.h>

struct bf {
    unsigned a : 3;
    signed b : 5;
    unsigned c : 12;
    signed d : 11;
    unsigned e : 1;
};
struct bf64 {
    unsigned long long lo : 40;
    signed long long hi : 24;
};

static uint32_t rotl(uint32_t x, unsigned n) { return (x << (n & 31)) | (x >> (-n & 31)); }
static uint32_t rev_bits(uint32_t x)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++, x >>= 1)
        r = (r << 1) | (x & 1);
    return r;
}

int main(void)
{
    volatile uint32_t v = 1;
    uint32_t x = 0x9e3779b9;
    for (int i = 0; i < 40; i++) {
        uint32_t y = v ? x : 0;
        printf("%08x clz=%d ctz=%d pop=%d par=%d bswap=%08x rotl5=%08x rev=%08x "
               "lowbit=%08x\n", y, y ? __builtin_clz(y) : 32, y ? __builtin_ctz(y) : 32,
               __builtin_popcount(y), __builtin_parity(y), __builtin_bswap32(y),
               rotl(y, 5), rev_bits(y), y & -y);
        x = x * 1103515245u + 12345u;
        x ^= x >> (i % 13);
        if (i % 7 == 0)
            x &= 0x00ffff0fu >> (i % 5);
    }
    uint64_t q = 0x0123456789abcdefull;
    printf("clzll=%d popll=%d bswap64=%016llx\n", __builtin_clzll(q), __builtin_popcountll(q),
           (unsigned long long)__builtin_bswap64(q));
    uint16_t h = 0xbeef;
    printf("bswap16=%04x\n", __builtin_bswap16(h));

    struct bf s = { 0 };
    for (int i = 0; i < 20; i++) {
        s.a += 3;
        s.b -= 5;
        s.c = s.c * 3 + 1;
        s.d = s.d * 2 - 700;
        s.e ^= 1;
        printf("bf a=%u b=%d c=%u d=%d e=%u\n", s.a, s.b, s.c, s.d, s.e);
    }
    struct bf64 t = { 0 };
    for (int i = 0; i < 10; i++) {
        t.lo = t.lo * 7 + 0x123456789ull;
        t.hi = t.hi * -3 + 12345;
        printf("bf64 lo=%llx hi=%lld\n", (unsigned long long)t.lo, (long long)t.hi);
    }
    union { struct bf s; uint32_t w; } u = { .s = s };
    printf("raw %08x\n", u.w);
    return 0;
}
