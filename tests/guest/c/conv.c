/* Integer conversions: signed/unsigned char and short, widening and narrowing, compares. */
#include <stdio.h>
#include <stdint.h>

static volatile int32_t vals[] = { 0, 1, -1, 127, 128, 255, 256, -128, -129, 32767, 32768,
                                   65535, 65536, -32768, -32769, 0x7fffffff, (int32_t)0x80000000,
                                   0x12345678, (int32_t)0xdeadbeef };

static int schar_arg(signed char c) { return c * 2; }
static unsigned uchar_arg(unsigned char c) { return c * 2u; }
static int short_arg(short s) { return s + 1; }
static unsigned ushort_arg(unsigned short s) { return s + 1u; }
static signed char ret_schar(int x) { return (signed char)(x + 1); }
static unsigned short ret_ushort(int x) { return (unsigned short)(x * 3); }

int main(void)
{
    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        int32_t x = vals[i];
        signed char sc = (signed char)x;
        unsigned char uc = (unsigned char)x;
        short ss = (short)x;
        unsigned short us = (unsigned short)x;
        char c = (char)x; /* unsigned on ARM */
        printf("%d: sc=%d uc=%u ss=%d us=%u c=%d | %d %u %d %u %d %u | %d %d | %lld %llu\n",
               x, sc, uc, ss, us, c, schar_arg((signed char)x), uchar_arg((unsigned char)x),
               short_arg((short)x), ushort_arg((unsigned short)x), ret_schar(x),
               ret_ushort(x), sc < 0, uc > 100, (long long)x, (unsigned long long)(uint32_t)x);
    }
    /* arrays of small types, with sign extension on load */
    signed char a[16];
    unsigned short b[16];
    for (int i = 0; i < 16; i++) {
        a[i] = (signed char)(i * 37 - 200);
        b[i] = (unsigned short)(i * 9001 - 5);
    }
    int sum = 0;
    unsigned usum = 0;
    for (int i = 0; i < 16; i++) {
        sum += a[i];
        usum += b[i];
    }
    printf("sum=%d usum=%u\n", sum, usum);
    return 0;
}
