/* Structs by value (AAPCS: in registers and on the stack), returned structs (sret), unions,
 * packed and unaligned accesses, large copies, and doubles in structs (VFP args). */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

struct small { char c; short s; };
struct pair { int a, b; };
struct big { int v[20]; double d; };
struct hfa { double x, y, z; };     /* homogeneous float aggregate: passed in d0-d2 */
struct __attribute__((packed)) pk { char c; uint32_t u; uint16_t h; uint64_t q; };
union pun { float f; uint32_t u; unsigned char b[4]; };

static struct pair swap(struct pair p) { return (struct pair){ p.b, p.a }; }
static struct big make_big(int seed)
{
    struct big b;
    for (int i = 0; i < 20; i++)
        b.v[i] = seed * i - i * i;
    b.d = seed / 7.0;
    return b;
}
static long sum_big(struct big b, struct small s, int extra)
{
    long t = extra + s.c + s.s;
    for (int i = 0; i < 20; i++)
        t += b.v[i];
    return t + (long)(b.d * 1000);
}
static struct hfa scale(struct hfa h, double k) { return (struct hfa){ h.x * k, h.y * k, h.z * k }; }
static double many(int a, double b, int c, float d, long long e, double f, int g, double h,
                   double i, double j, double k, double l, float m, double n, int o)
{
    return a + b + c + d + (double)e + f + g + h + i + j + k + l + m + n + o;
}

int main(void)
{
    struct pair p = swap((struct pair){ 3, -9 });
    printf("swap %d %d\n", p.a, p.b);
    struct big b = make_big(11);
    printf("big %d %d %.6f sum %ld\n", b.v[0], b.v[19], b.d, sum_big(b, (struct small){ 'x', -300 }, 5));
    struct hfa h = scale((struct hfa){ 1.5, -2.0, 0.25 }, 4.0);
    printf("hfa %g %g %g\n", h.x, h.y, h.z);
    printf("many %.6f\n", many(1, 2.5, 3, 4.5f, 1ll << 33, 6.25, 7, 8.5, 9, 10, 11, 12, 13.5f, 14, 15));
    unsigned char raw[32];
    for (int i = 0; i < 32; i++)
        raw[i] = (unsigned char)(i * 17 + 1);
    struct pk k;
    memcpy(&k, raw + 1, sizeof(k));
    printf("packed size %zu c %d u %08x h %04x q %016llx\n", sizeof(struct pk), k.c, k.u, k.h,
           (unsigned long long)k.q);
    struct pk *pp = (struct pk *)(raw + 3);  /* unaligned fields */
    pp->u += 0x01010101;
    pp->q ^= 0xffff0000ffff0000ull;
    printf("unaligned %08x %016llx\n", pp->u, (unsigned long long)pp->q);
    union pun u = { .f = -1.5f };
    printf("pun %08x %02x %02x\n", u.u, u.b[0], u.b[3]);
    struct big arr[4];
    for (int i = 0; i < 4; i++)
        arr[i] = make_big(i + 1);
    struct big c = arr[2];
    arr[3] = arr[1];
    printf("copies %d %d %.4f\n", c.v[5], arr[3].v[7], arr[3].d);
    return 0;
}
