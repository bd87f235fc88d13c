/*
 * Time syscalls: times, gettimeofday, clocks and sleeps, in the 32-bit and the 64-bit
 * (*_time64) timespec layouts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "sys_internal.h"

SYSCALL(sys_times)
{
    struct tms t;
    clock_t r = times(&t);
    if (r == (clock_t)-1)
        return -errno;
    if (a[0]) {
        uint32_t v[4] = { (uint32_t)t.tms_utime, (uint32_t)t.tms_stime, (uint32_t)t.tms_cutime,
                          (uint32_t)t.tms_cstime };
        memcpy(gp(a[0]), v, sizeof(v));
    }
    return (int32_t)(uint32_t)r;
}

SYSCALL(sys_gettimeofday)
{
    struct timeval tv;
    if (syscall(SYS_gettimeofday, &tv, gp(a[1])) < 0)
        return -errno;
    if (a[0]) {
        uint32_t v[2] = { (uint32_t)tv.tv_sec, (uint32_t)tv.tv_usec };
        memcpy(gp(a[0]), v, 8);
    }
    return 0;
}

/* clock_gettime/getres, 32- or 64-bit timespec out. */
static int64_t clock_out(const uint32_t *a, bool res, bool t64)
{
    struct timespec ts;
    long r = res ? clock_getres(si(a[0]), &ts) : clock_gettime(si(a[0]), &ts);
    if (r < 0)
        return -errno;
    if (a[1]) {
        if (t64)
            rt_ts64_from_host(&ts, gp(a[1]));
        else
            rt_ts32_from_host(&ts, gp(a[1]));
    }
    return 0;
}

#define CLOCK_FN(name, res, t64)                                                 \
    SYSCALL(name)                                                                \
    {                                                                            \
        return clock_out(a, res, t64);                                           \
    }
CLOCK_FN(sys_clock_gettime, false, false)
CLOCK_FN(sys_clock_getres, true, false)
CLOCK_FN(sys_clock_gettime64, false, true)
CLOCK_FN(sys_clock_getres64, true, true)
#undef CLOCK_FN

void sys_ts_in(uint32_t p, bool t64, struct timespec *ts)
{
    if (t64)
        rt_ts64_to_host(gp(p), ts);
    else
        rt_ts32_to_host(gp(p), ts);
}

void sys_ts_out(const struct timespec *ts, bool t64, uint32_t p)
{
    if (t64)
        rt_ts64_from_host(ts, gp(p));
    else
        rt_ts32_from_host(ts, gp(p));
}

static int64_t do_clock_nanosleep(int clk, int flags, uint32_t req, uint32_t rem, bool t64)
{
    struct timespec in, out;
    sys_ts_in(req, t64, &in);
    int r = clock_nanosleep(clk, flags, &in, rem ? &out : NULL);
    if (r == EINTR && rem && !(flags & TIMER_ABSTIME))
        sys_ts_out(&out, t64, rem);
    return -r;
}

SYSCALL(sys_nanosleep)
{
    return do_clock_nanosleep(CLOCK_REALTIME, 0, a[0], a[1], false);
}

SYSCALL(sys_clock_nanosleep)
{
    return do_clock_nanosleep(si(a[0]), si(a[1]), a[2], a[3], false);
}

SYSCALL(sys_clock_nanosleep64)
{
    return do_clock_nanosleep(si(a[0]), si(a[1]), a[2], a[3], true);
}
