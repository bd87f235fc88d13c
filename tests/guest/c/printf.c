/* Varargs and every printf format: d i u x X o c s f e g E G lld llu llx, widths, flags. */
#include <stdio.h>
#include <stdarg.h>
#include <math.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

static int sum_ints(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int s = 0;
    for (int i = 0; i < n; i++)
        s += va_arg(ap, int);
    va_end(ap);
    return s;
}

static double mixed(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    double s = 0;
    for (const char *p = fmt; *p; p++) {
        switch (*p) {
        case 'i': s += va_arg(ap, int); break;
        case 'l': s += (double)va_arg(ap, long long); break;
        case 'd': s += va_arg(ap, double); break;
        case 's': s += (double)va_arg(ap, const char *)[0]; break;
        }
    }
    va_end(ap);
    return s;
}

static void myprintf(const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    char buf[256];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    printf("[%d] %s", n, buf);
    vprintf(fmt, aq);
    va_end(aq);
    va_end(ap);
}

int main(void)
{
    printf("%d %i %u %x %X %o %c %s %%\n", -42, 17, 3000000000u, 0xbeef, 0xbeef, 511, 'Q',
           "str");
    printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%*d] [%-*d]\n", 42, 42, 42, 42, 42, 7, 6,
           9, 6, 9);
    printf("[%#x] [%#o] [%08x] [%-8x|] [%hhd] [%hd] [%hu]\n", 255, 8, 0xabc, 0xabc, 300, 70000,
           70000);
    printf("%lld %llu %llx %llX %lli\n", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefull,
           0xfedcba987654321ull, -1234567890123ll);
    printf("%ld %lu %lx %zu %td %jd\n", LONG_MIN, ULONG_MAX, 0xdeadbeefUL, sizeof(long long),
           (ptrdiff_t)-5, (intmax_t)-77);
    double ds[] = { 0.0, -0.0, 1.0, -1.5, 3.14159265358979, 1e-10, 1e10, 123456789.125,
                    1.0 / 3, 2.5e-308, 1.7e308, INFINITY, -INFINITY, NAN, 0.1, 5e-324 };
    for (unsigned i = 0; i < sizeof(ds) / sizeof(ds[0]); i++)
        printf("%f|%.2f|%10.4f|%e|%.3E|%g|%G|%.10g|%a\n", ds[i], ds[i], ds[i], ds[i], ds[i],
               ds[i], ds[i], ds[i], ds[i]);
    float f = 2.71828f;
    printf("float %f %g %.8e\n", f, f, (double)f);
    printf("[%10s] [%-10s] [%.2s] [%c%c%c]\n", "right", "left", "truncate", 'a', 'b', 'c');
    printf("sum %d\n", sum_ints(10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    printf("mixed %.4f\n", mixed("idlsdi", 5, 2.5, 1234567890123ll, "A", -0.25, -3));
    myprintf("%d-%s-%.2f-%lld\n", 9, "x", 1.005, 1ll << 40);
    int n = printf("count me\n");
    printf("n=%d\n", n);
    return 0;
}
