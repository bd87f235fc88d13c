/* Dense switches (jump tables; tbb/tbh in Thumb), sparse switches, and fallthrough. */
#include <stdio.h>

static int dense(int x)
{
    switch (x) {
    case 0: return 11;
    case 1: return 22;
    case 2: return 35;
    case 3: return 47;
    case 4: return 51;
    case 5: return 68;
    case 6: return 70;
    case 7: return 89;
    case 8: return 93;
    case 9: return 104;
    case 10: return 1;
    case 11: return -5;
    default: return -1;
    }
}

/* Big enough for tbh in Thumb (offsets beyond 255 halfwords). */
static int big(int x, int y)
{
    switch (x) {
#define C(n) case n: y = y * (n + 3) + n; y ^= y >> 3; y += x * 7; break;
    C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12) C(13) C(14) C(15)
    C(16) C(17) C(18) C(19) C(20) C(21) C(22) C(23) C(24) C(25) C(26) C(27) C(28) C(29)
    C(30) C(31) C(32) C(33) C(34) C(35) C(36) C(37) C(38) C(39) C(40) C(41) C(42) C(43)
    C(44) C(45) C(46) C(47) C(48) C(49) C(50) C(51) C(52) C(53) C(54) C(55) C(56) C(57)
    C(58) C(59) C(60) C(61) C(62) C(63) C(64) C(65) C(66) C(67) C(68) C(69) C(70) C(71)
#undef C
    default: y = -y;
    }
    return y;
}

static const char *sparse(unsigned x)
{
    switch (x) {
    case 1: return "one";
    case 100: return "hundred";
    case 1000: return "thousand";
    case 65536: return "64k";
    case 0xdeadbeef: return "beef";
    default: return "other";
    }
}

static int fall(int x)
{
    int r = 0;
    switch (x & 7) {
    case 0: r += 1; /* fall through */
    case 1: r += 2; /* fall through */
    case 2: r += 4; break;
    case 3: r += 8; /* fall through */
    case 4: r += 16; break;
    case 5: case 6: r += 32; break;
    default: r = -100;
    }
    return r;
}

static int chars(char c)
{
    switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
    case '0' ... '9': return 2;
    case ' ': case '\t': case '\n': return 3;
    default: return 0;
    }
}

int main(void)
{
    for (int i = -2; i < 14; i++)
        printf("dense %d %d\n", i, dense(i));
    int acc = 1;
    for (int i = -1; i < 75; i++) {
        acc = big(i, acc);
        printf("big %d %d\n", i, acc);
    }
    unsigned sp[] = { 0, 1, 2, 100, 1000, 65536, 0xdeadbeef, 7 };
    for (unsigned i = 0; i < 8; i++)
        printf("sparse %u %s\n", sp[i], sparse(sp[i]));
    for (int i = 0; i < 8; i++)
        printf("fall %d %d\n", i, fall(i));
    const char *s = "hello world 42\tabc";
    int counts[4] = { 0 };
    for (const char *p = s; *p; p++)
        counts[chars(*p)]++;
    printf("chars %d %d %d %d\n", counts[0], counts[1], counts[2], counts[3]);
    return 0;
}
