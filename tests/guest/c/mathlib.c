/* libm: sin cos tan exp log pow atan2 etc., printed to full precision. */
#include <stdio.h>
#include <math.h>

int main(void)
{
    volatile double xs[] = { 0.0, 0.5, 1.0, -1.0, 2.0, 3.14159265358979, 10.0, -7.25, 100.5,
                             1e-5, 1e5 };
    for (unsigned i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
        double x = xs[i];
        printf("x=%g sin=%.17g cos=%.17g tan=%.17g\n", x, sin(x), cos(x), tan(x));
        printf("  exp=%.17g log=%.17g log10=%.17g sqrt=%.17g\n", exp(x), log(fabs(x) + 1),
               log10(fabs(x) + 2), sqrt(fabs(x)));
        printf("  pow=%.17g atan2=%.17g sinh=%.17g cbrt=%.17g\n", pow(fabs(x) + 0.5, 1.7),
               atan2(x, 1.5), sinh(x / 10), cbrt(x));
        float f = (float)x;
        printf("  sinf=%.9g expf=%.9g powf=%.9g\n", (double)sinf(f), (double)expf(f / 4),
               (double)powf(fabsf(f) + 1, 0.5f));
    }
    printf("hyp %.17g fmod %.17g %.17g\n", hypot(3, 4), fmod(10.5, 3), fmod(-10.5, 3));
    printf("pow special %g %g %g %g\n", pow(0, 0), pow(-8, 1.0 / 3), pow(2, 1024), pow(-2, 3));
    printf("log special %g %g\n", log(0), log(-1));
    int e;
    double m = frexp(1234.5, &e);
    printf("frexp %.17g %d ldexp %g modf ", m, e, ldexp(0.75, 10));
    double ip, fr = modf(-3.75, &ip);
    printf("%.17g %g\n", fr, ip);
    double s = 0;
    for (int i = 0; i < 2000; i++)
        s += sin(i * 0.01) * exp(-i * 0.001) + atan(i * 0.1);
    printf("sum %.17g\n", s);
    return 0;
}
