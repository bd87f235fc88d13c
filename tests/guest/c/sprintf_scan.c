/* sprintf/snprintf, sscanf, strtol/strtoul/strtoll/strtod, atoi. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

int main(void)
{
    char buf[128];
    int n = sprintf(buf, "%d|%x|%s|%.3f|%lld", -17, 0xfeed, "abc", 2.0 / 3, -(1ll << 50));
    printf("%d %s\n", n, buf);
    n = snprintf(buf, 10, "%s", "0123456789abcdef");
    printf("%d %s\n", n, buf);
    n = snprintf(NULL, 0, "%d %d", 123456, -7);
    printf("snprintf NULL %d\n", n);

    int a, b;
    unsigned u;
    char w[32];
    double d;
    long long ll;
    n = sscanf("  42 -17 0x1f word 3.25e2 -9000000000", "%d %d %x %31s %lf %lld", &a, &b, &u, w,
               &d, &ll);
    printf("sscanf %d: %d %d %u %s %g %lld\n", n, a, b, u, w, d, ll);
    n = sscanf("12:34:56", "%d:%d:%d", &a, &b, (int *)&u);
    printf("time %d %d %d %u\n", n, a, b, u);
    n = sscanf("abc", "%d", &a);
    printf("fail %d\n", n);
    char c1;
    n = sscanf("key=value;", "%[^=]=%[^;]%c", buf, w, &c1);
    printf("%d %s %s %c\n", n, buf, w, c1);

    const char *nums[] = { "0", "123", "-456", "0x7fffffff", "0x80000000", "077", "  +99z",
                           "99999999999", "-99999999999", "junk" };
    for (int i = 0; i < 10; i++) {
        char *end;
        errno = 0;
        long l = strtol(nums[i], &end, 0);
        int e1 = errno;
        errno = 0;
        unsigned long ul = strtoul(nums[i], NULL, 0);
        int e2 = errno;
        long long q = strtoll(nums[i], NULL, 10);
        printf("%s: %ld(%d,%ld) %lu(%d) %lld %d\n", nums[i], l, e1 != 0, (long)(end - nums[i]),
               ul, e2 != 0, q, atoi(nums[i]));
    }
    printf("base36 %ld base2 %ld\n", strtol("zz", NULL, 36), strtol("101101", NULL, 2));
    const char *dbl[] = { "3.14159", "-2.5e-3", "1e308", "1e309", "0x1.8p3", "inf", "nan",
                          "  .5", "1e-320", "12abc" };
    for (int i = 0; i < 10; i++) {
        char *end;
        double x = strtod(dbl[i], &end);
        float f = strtof(dbl[i], NULL);
        printf("%s: %.17g %.9g %ld\n", dbl[i], x, (double)f, (long)(end - dbl[i]));
    }
    printf("atof %g\n", atof("6.02e23"));
    return 0;
}
