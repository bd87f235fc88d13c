/*
 * Time syscalls: times, gettimeofday, clocks and sleeps, interval timers, POSIX timers and
 * timerfd, in the 32-bit and the 64-bit (*_time64) timespec layouts; setting the clock,
 * adjtimex (struct timex of 32-bit longs), utimes, sched_rr_get_interval.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "conv_old.h"
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
    out = in;       /* what is left when a signal came before the sleep began */
    int64_t r = RT_BLOCK(SYS_clock_nanosleep, clk, flags, &in, rem ? &out : NULL);
    if (r == -EINTR && rem && !(flags & TIMER_ABSTIME))
        sys_ts_out(&out, t64, rem);
    return r;
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

/* ---------------- interval timers ---------------- */

/* ARM struct itimerval: two 32-bit timevals, it_interval then it_value. */
static void itv_in(uint32_t p, struct itimerval *v)
{
    const uint32_t *w = gp(p);
    v->it_interval = (struct timeval){ (int32_t)w[0], (int32_t)w[1] };
    v->it_value = (struct timeval){ (int32_t)w[2], (int32_t)w[3] };
}

static void itv_out(const struct itimerval *v, uint32_t p)
{
    uint32_t w[4] = { (uint32_t)v->it_interval.tv_sec, (uint32_t)v->it_interval.tv_usec,
                      (uint32_t)v->it_value.tv_sec, (uint32_t)v->it_value.tv_usec };
    memcpy(gp(p), w, sizeof w);
}

SYSCALL(sys_setitimer)
{
    struct itimerval nv, ov;
    if (a[1])
        itv_in(a[1], &nv);
    if (syscall(SYS_setitimer, si(a[0]), a[1] ? &nv : NULL, &ov) < 0)
        return -errno;
    if (a[2])
        itv_out(&ov, a[2]);
    return 0;
}

SYSCALL(sys_getitimer)
{
    struct itimerval v;
    if (getitimer(si(a[0]), &v) < 0)
        return -errno;
    itv_out(&v, a[1]);
    return 0;
}

/* struct itimerspec: it_interval then it_value, in either timespec layout. */
static void its_in(uint32_t p, bool t64, struct itimerspec *v)
{
    sys_ts_in(p, t64, &v->it_interval);
    sys_ts_in(p + (t64 ? 16 : 8), t64, &v->it_value);
}

static void its_out(const struct itimerspec *v, bool t64, uint32_t p)
{
    sys_ts_out(&v->it_interval, t64, p);
    sys_ts_out(&v->it_value, t64, p + (t64 ? 16 : 8));
}

/* timer_settime(id, flags, new, old) and timerfd_settime(fd, flags, new, old). */
static int64_t settime(long nr, const uint32_t *a, bool t64)
{
    struct itimerspec nv, ov;
    its_in(a[2], t64, &nv);
    if (syscall(nr, si(a[0]), si(a[1]), &nv, a[3] ? &ov : NULL) < 0)
        return -errno;
    if (a[3])
        its_out(&ov, t64, a[3]);
    return 0;
}

static int64_t gettime(long nr, const uint32_t *a, bool t64)
{
    struct itimerspec v;
    if (syscall(nr, si(a[0]), &v) < 0)
        return -errno;
    its_out(&v, t64, a[1]);
    return 0;
}

#define TIMER_FNS(kind, nr_set, nr_get)                                                  \
    SYSCALL(sys_##kind##_settime) { return settime(nr_set, a, false); }                  \
    SYSCALL(sys_##kind##_settime64) { return settime(nr_set, a, true); }                 \
    SYSCALL(sys_##kind##_gettime) { return gettime(nr_get, a, false); }                  \
    SYSCALL(sys_##kind##_gettime64) { return gettime(nr_get, a, true); }
TIMER_FNS(timer, SYS_timer_settime, SYS_timer_gettime)
TIMER_FNS(timerfd, SYS_timerfd_settime, SYS_timerfd_gettime)
#undef TIMER_FNS

/*
 * The ARM struct sigevent is sigev_value (4 bytes), sigev_signo, sigev_notify, then the
 * union (the thread id of SIGEV_THREAD_ID at 12); x86-64's sigev_value is 8 bytes, so the
 * rest moves by 4. The signal carries si_value as the guest gave it.
 */
int64_t sys_sigevent_in(uint32_t p, struct sigevent *ev)
{
    const uint32_t *w = gp(p);
    memset(ev, 0, sizeof(*ev));
    ev->sigev_value.sival_ptr = gp(w[0]);
    ev->sigev_notify = (int)w[2];
    if (ev->sigev_notify == SIGEV_THREAD) {
        ev->sigev_signo = (int)w[1];        /* mq_notify: glibc's netlink socket */
    } else {
        ev->sigev_signo = w[1] ? rt_sig_to_host((int)w[1]) : 0;
        if (ev->sigev_signo < 0)
            return -EINVAL;
    }
    if (ev->sigev_notify == SIGEV_THREAD_ID)
        ev->_sigev_un._tid = (int)w[3];
    return 0;
}

SYSCALL(sys_timer_create)
{
    struct sigevent ev, *evp = NULL;
    if (a[1]) {
        int64_t e = sys_sigevent_in(a[1], &ev);
        if (e)
            return e;
        if (ev.sigev_notify == SIGEV_THREAD)
            return -EINVAL;     /* glibc makes SIGEV_THREAD itself, with SIGEV_THREAD_ID */
        evp = &ev;
    }
    int id;
    if (syscall(SYS_timer_create, si(a[0]), evp, &id) < 0)
        return -errno;
    memcpy(gp(a[2]), &id, 4);
    return 0;
}

/* ---------------- setting the clock ---------------- */

SYSCALL(sys_settimeofday)
{
    struct timeval tv;
    if (a[0]) {
        const int32_t *w = gp(a[0]);
        tv = (struct timeval){ w[0], w[1] };
    }
    /* struct timezone is two ints on both sides */
    return ret(syscall(SYS_settimeofday, a[0] ? &tv : NULL, gp(a[1])));
}

static int64_t clock_set(const uint32_t *a, bool t64)
{
    struct timespec ts;
    sys_ts_in(a[1], t64, &ts);
    return ret(syscall(SYS_clock_settime, si(a[0]), &ts));
}

SYSCALL(sys_clock_settime) { return clock_set(a, false); }
SYSCALL(sys_clock_settime64) { return clock_set(a, true); }

/* adjtimex and clock_adjtime with the struct timex of 32-bit longs (clock_adjtime64 has
   the x86-64 layout and passes). Returns the clock state. */
static int64_t adjtime32(int clk, uint32_t p)
{
    struct timex tx;
    rt_timex32_to_host(gp(p), &tx);
    long r = syscall(SYS_clock_adjtime, clk, &tx);
    if (r < 0)
        return -errno;
    uint8_t out[RT_ARM_TIMEX_SIZE];
    rt_timex32_to_arm(&tx, out);
    memcpy(gp(p), out, sizeof(out));
    return r;
}

SYSCALL(sys_adjtimex) { return adjtime32(CLOCK_REALTIME, a[0]); }
SYSCALL(sys_clock_adjtime) { return adjtime32(si(a[0]), a[1]); }

/* ---------------- files' times, scheduler quantum ---------------- */

/* utimes and futimesat: two struct timevals of 32-bit fields, or NULL (now). */
static int64_t futimes32(int dirfd, uint32_t path, uint32_t tv)
{
    struct timeval h[2];
    if (tv) {
        const int32_t *w = gp(tv);
        h[0] = (struct timeval){ w[0], w[1] };
        h[1] = (struct timeval){ w[2], w[3] };
    }
    return ret(syscall(SYS_futimesat, dirfd, gp(path), tv ? h : NULL));
}

SYSCALL(sys_utimes) { return futimes32(AT_FDCWD, a[0], a[1]); }
SYSCALL(sys_futimesat) { return futimes32(si(a[0]), a[1], a[2]); }

static int64_t rr_interval(const uint32_t *a, bool t64)
{
    struct timespec ts;
    if (sched_rr_get_interval(si(a[0]), &ts) < 0)
        return -errno;
    sys_ts_out(&ts, t64, a[1]);
    return 0;
}

SYSCALL(sys_sched_rr_get_interval) { return rr_interval(a, false); }
SYSCALL(sys_sched_rr_get_interval64) { return rr_interval(a, true); }
