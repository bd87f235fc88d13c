/* Thread-local storage: __thread variables (TLS register via the kernel helper or
 * mrc p15), initialized and zeroed TLS, errno (itself TLS). */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <math.h>

static __thread int tcount = 5;
static __thread long long tbig = 0x1122334455667788ll;
static __thread char tbuf[64];
__thread int shared_tls;

static void bump(void)
{
    tcount++;
    tbig += tcount;
    shared_tls ^= tcount;
}

int main(void)
{
    for (int i = 0; i < 10; i++)
        bump();
    snprintf(tbuf, sizeof(tbuf), "tls %d", tcount);
    printf("%s big %llx shared %d\n", tbuf, (unsigned long long)tbig, shared_tls);
    int *pa = &tcount, *pb = &tcount;
    printf("same addr %d\n", pa == pb);
    errno = 0;
    strtol("99999999999999999999", NULL, 10);
    printf("errno ERANGE %d\n", errno == ERANGE);
    errno = 0;
    volatile double x = -1;
    double r = log(x);
    printf("log(-1) nan %d errno EDOM %d\n", isnan(r), errno == EDOM);
    return 0;
}
