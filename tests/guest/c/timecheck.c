/* time(), clock_gettime, gettimeofday, clock(): print only relations, never values. */
#include <stdio.h>
#include <time.h>
#include <sys/time.h>

int main(void)
{
    time_t t0 = time(NULL), t1;
    time(&t1);
    printf("time sane %d ordered %d\n", t0 > 1600000000, t1 >= t0);
    struct timespec a, b, r, c;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volatile unsigned x = 0;
    for (int i = 0; i < 100000; i++)
        x += i;
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long da = a.tv_sec * 1000000000ll + a.tv_nsec, db = b.tv_sec * 1000000000ll + b.tv_nsec;
    printf("monotonic ordered %d nsec range %d\n", db >= da,
           a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
    clock_gettime(CLOCK_REALTIME, &r);
    printf("realtime near time() %d\n", r.tv_sec - t1 >= 0 && r.tv_sec - t1 < 5);
    printf("res ok %d\n", clock_getres(CLOCK_MONOTONIC, &c) == 0 && c.tv_sec == 0);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday near %d usec range %d\n", tv.tv_sec - t1 >= 0 && tv.tv_sec - t1 < 5,
           tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    clock_t c0 = clock();
    printf("clock nonneg %d\n", c0 >= 0);
    struct tm tm;
    time_t fixed = 1700000000;
    gmtime_r(&fixed, &tm);
    char buf[64];
    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %a %j", &tm);
    printf("gmtime %s\n", buf);
    printf("mktime back %d\n", timegm(&tm) == fixed);
    struct timespec nap = { 0, 1000000 };
    printf("nanosleep %d\n", nanosleep(&nap, NULL));
    return 0;
}
