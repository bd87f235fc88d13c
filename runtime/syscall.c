/*
 * ARM EABI syscalls: r7 selects one, r0-r6 hold its arguments, r0 gets the result
 * (a negative errno on failure). The table is syscalls.def; calls whose layouts agree with
 * x86-64 pass straight to the host (guest pointers are host pointers), the others have a
 * handler here that converts with the pure functions of conv.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../lifter/ir/xl_log.h"
#include "../lifter/jit/jit.h"
#include "rt_internal.h"

#define NORET INT64_MIN     /* the handler set r0 itself (or the guest is gone) */

typedef int64_t (*sys_fn)(struct rt *rt, struct cpu *cpu, const uint32_t *a);

static void *gp(uint32_t a) { return (void *)(uintptr_t)a; }
static int64_t ret(long r) { return r < 0 ? -errno : r; }
static int si(uint32_t a) { return (int)(int32_t)a; }
static int64_t pair(uint32_t lo, uint32_t hi) { return (int64_t)((uint64_t)hi << 32 | lo); }

/* ---------------- handlers ---------------- */

static int64_t sys_exit(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    rt->exited = true;
    rt->exit_status = (int)(a[0] & 0xff);
    return NORET;
}

static int64_t sys_openat(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return ret(syscall(SYS_openat, si(a[0]), gp(a[1]), rt_open_flags_to_host(a[2]), a[3]));
}

static int64_t sys_open(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    uint32_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], a[2] };
    return sys_openat(rt, cpu, b);
}

static int64_t sys_lseek(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    off_t r = lseek(si(a[0]), (off_t)si(a[1]), si(a[2]));
    if (r < 0)
        return -errno;
    return r > INT32_MAX ? -EOVERFLOW : r;
}

static int64_t sys_llseek(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    off_t r = lseek(si(a[0]), (off_t)pair(a[2], a[1]), si(a[4]));
    if (r < 0)
        return -errno;
    int64_t v = r;
    memcpy(gp(a[3]), &v, 8);
    return 0;
}

static int64_t sys_pread64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    /* EABI: the 64-bit offset sits in the even/odd pair r4:r5 (r3 is padding). */
    return ret(pread(si(a[0]), gp(a[1]), a[2], (off_t)pair(a[4], a[5])));
}

static int64_t sys_pwrite64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return ret(pwrite(si(a[0]), gp(a[1]), a[2], (off_t)pair(a[4], a[5])));
}

static int64_t rw_iov(const uint32_t *a, bool write)
{
    int n = si(a[2]);
    if (n < 0 || n > IOV_MAX)
        return -EINVAL;
    struct iovec iov[IOV_MAX > 1024 ? 1024 : IOV_MAX];
    rt_iov_to_host(gp(a[1]), (unsigned)n, iov);
    return ret(write ? writev(si(a[0]), iov, n) : readv(si(a[0]), iov, n));
}

static int64_t sys_readv(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return rw_iov(a, false);
}

static int64_t sys_writev(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return rw_iov(a, true);
}

static int64_t put_stat(long r, const struct stat *st, uint32_t buf)
{
    if (r < 0)
        return -errno;
    rt_conv_stat64(st, gp(buf));
    return 0;
}

static int64_t sys_fstatat64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    struct stat st;
    return put_stat(fstatat(si(a[0]), gp(a[1]), &st, si(a[3])), &st, a[2]);
}

static int64_t sys_stat64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    uint32_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], 0 };
    return sys_fstatat64(rt, cpu, b);
}

static int64_t sys_lstat64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    uint32_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW };
    return sys_fstatat64(rt, cpu, b);
}

static int64_t sys_fstat64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    struct stat st;
    return put_stat(fstat(si(a[0]), &st), &st, a[1]);
}

static int64_t put_statfs(long r, const struct statfs *st, uint32_t size, uint32_t buf)
{
    if (r < 0)
        return -errno;
    if (size != RT_ARM_STATFS64_SIZE)
        return -EINVAL;
    rt_conv_statfs64(st, gp(buf));
    return 0;
}

static int64_t sys_statfs64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    struct statfs st;
    return put_statfs(statfs(gp(a[0]), &st), &st, a[1], a[2]);
}

static int64_t sys_fstatfs64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    struct statfs st;
    return put_statfs(fstatfs(si(a[0]), &st), &st, a[1], a[2]);
}

static int64_t sys_ioctl(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    switch (a[1]) {
    case 0x5401: case 0x5402: case 0x5403: case 0x5404:   /* TCGETS, TCSETS, TCSETSW/F */
    case 0x540f: case 0x5410:                             /* TIOCGPGRP, TIOCSPGRP */
    case 0x5413: case 0x5414:                             /* TIOCGWINSZ, TIOCSWINSZ */
    case 0x541b: case 0x5421:                             /* FIONREAD, FIONBIO */
        /* struct termios (36 bytes), winsize and int agree between ARM and x86-64. */
        return ret(syscall(SYS_ioctl, si(a[0]), (unsigned long)a[1], gp(a[2])));
    }
    if (xl_log_enabled(XL_LOG_UNIMP))
        xl_log("unimplemented ioctl 0x%x at 0x%x", a[1], cpu->exit_pc);
    return -ENOSYS;
}

static int64_t sys_fcntl64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    int fd = si(a[0]), cmd = si(a[1]);
    switch (cmd) {
    case F_GETFL: {
        int r = fcntl(fd, F_GETFL);
        return r < 0 ? -errno : (int64_t)rt_open_flags_from_host(r);
    }
    case F_SETFL:
        return ret(fcntl(fd, F_SETFL, rt_open_flags_to_host(a[2])));
    case 12: return ret(fcntl(fd, F_GETLK, gp(a[2])));     /* F_GETLK64: same flock64 */
    case 13: return ret(fcntl(fd, F_SETLK, gp(a[2])));     /* F_SETLK64 */
    case 14: return ret(fcntl(fd, F_SETLKW, gp(a[2])));    /* F_SETLKW64 */
    case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
        return ret(fcntl(fd, cmd, gp(a[2])));
    case F_DUPFD: case F_GETFD: case F_SETFD: case F_SETOWN: case F_GETOWN:
    case F_DUPFD_CLOEXEC: case F_SETPIPE_SZ: case F_GETPIPE_SZ: case F_ADD_SEALS:
    case F_GET_SEALS:
        return ret(fcntl(fd, cmd, (long)si(a[2])));
    }
    if (xl_log_enabled(XL_LOG_UNIMP))
        xl_log("unimplemented fcntl64 command %d at 0x%x", cmd, cpu->exit_pc);
    return -EINVAL;
}

static int64_t sys_pipe2(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return ret(syscall(SYS_pipe2, gp(a[0]), rt_open_flags_to_host(a[1])));
}

static int64_t do_readlinkat(struct rt *rt, int dirfd, uint32_t path, uint32_t buf, uint32_t n)
{
    const char *p = gp(path);
    if (p && strcmp(p, "/proc/self/exe") == 0 && rt->exe_path) {
        size_t len = strlen(rt->exe_path);
        if (len > n)
            len = n;
        memcpy(gp(buf), rt->exe_path, len);
        return (int64_t)len;
    }
    return ret(readlinkat(dirfd, p, gp(buf), n));
}

static int64_t sys_readlink(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return do_readlinkat(rt, AT_FDCWD, a[0], a[1], a[2]);
}

static int64_t sys_readlinkat(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return do_readlinkat(rt, si(a[0]), a[1], a[2], a[3]);
}

static int64_t sys_uname(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    struct utsname u;     /* six 65-byte strings on both sides */
    if (uname(&u) < 0)
        return -errno;
    snprintf(u.machine, sizeof(u.machine), "armv7l");
    memcpy(gp(a[0]), &u, sizeof(u));
    return 0;
}

static int64_t sys_times(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
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

static int64_t sys_gettimeofday(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
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
    static int64_t name(struct rt *rt, struct cpu *cpu, const uint32_t *a)      \
    {                                                                            \
        (void)rt;                                                                \
        (void)cpu;                                                               \
        return clock_out(a, res, t64);                                           \
    }
CLOCK_FN(sys_clock_gettime, false, false)
CLOCK_FN(sys_clock_getres, true, false)
CLOCK_FN(sys_clock_gettime64, false, true)
CLOCK_FN(sys_clock_getres64, true, true)
#undef CLOCK_FN

static void ts_in(uint32_t p, bool t64, struct timespec *ts)
{
    if (t64)
        rt_ts64_to_host(gp(p), ts);
    else
        rt_ts32_to_host(gp(p), ts);
}

static void ts_out(const struct timespec *ts, bool t64, uint32_t p)
{
    if (t64)
        rt_ts64_from_host(ts, gp(p));
    else
        rt_ts32_from_host(ts, gp(p));
}

static int64_t do_clock_nanosleep(int clk, int flags, uint32_t req, uint32_t rem, bool t64)
{
    struct timespec in, out;
    ts_in(req, t64, &in);
    int r = clock_nanosleep(clk, flags, &in, rem ? &out : NULL);
    if (r == EINTR && rem && !(flags & TIMER_ABSTIME))
        ts_out(&out, t64, rem);
    return -r;
}

static int64_t sys_nanosleep(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return do_clock_nanosleep(CLOCK_REALTIME, 0, a[0], a[1], false);
}

static int64_t sys_clock_nanosleep(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return do_clock_nanosleep(si(a[0]), si(a[1]), a[2], a[3], false);
}

static int64_t sys_clock_nanosleep64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return do_clock_nanosleep(si(a[0]), si(a[1]), a[2], a[3], true);
}

static int64_t do_utimensat(const uint32_t *a, bool t64)
{
    struct timespec ts[2];
    if (a[2]) {
        ts_in(a[2], t64, &ts[0]);
        ts_in(a[2] + (t64 ? 16 : 8), t64, &ts[1]);
    }
    return ret(syscall(SYS_utimensat, si(a[0]), gp(a[1]), a[2] ? ts : NULL, si(a[3])));
}

static int64_t sys_utimensat(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return do_utimensat(a, false);
}

static int64_t sys_utimensat64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return do_utimensat(a, true);
}

/* Single-threaded futexes: the host's, with the timeout converted; uaddr2 for requeue. */
static int64_t do_futex(const uint32_t *a, bool t64)
{
    int op = si(a[1]), cmd = op & FUTEX_CMD_MASK;
    struct timespec ts, *tsp = NULL;
    if (a[3] && (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
                 cmd == FUTEX_WAIT_REQUEUE_PI)) {
        ts_in(a[3], t64, &ts);
        tsp = &ts;
    }
    void *arg4 = tsp ? (void *)tsp : (void *)(uintptr_t)a[3];
    return ret(syscall(SYS_futex, gp(a[0]), op, a[2], arg4, gp(a[4]), a[5]));
}

static int64_t sys_futex(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return do_futex(a, false);
}

static int64_t sys_futex64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return do_futex(a, true);
}

static int64_t sys_set_tid_address(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    (void)a;    /* single thread: nobody is woken at exit */
    return syscall(SYS_gettid);
}

static int64_t sys_set_robust_list(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return a[1] == 12 ? 0 : -EINVAL;    /* sizeof(struct robust_list_head) on ARM */
}

static int64_t sys_rseq(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    (void)a;
    return -ENOSYS;     /* as qemu-arm; glibc copes */
}

static int64_t sys_ugetrlimit(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    struct rlimit r;
    if (getrlimit(si(a[0]), &r) < 0)
        return -errno;
    rt_rlimit32_from_host(r.rlim_cur, r.rlim_max, gp(a[1]));
    return 0;
}

static int64_t sys_truncate64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return ret(truncate(gp(a[0]), (off_t)pair(a[2], a[3])));     /* r1 is padding */
}

static int64_t sys_ftruncate64(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    return ret(ftruncate(si(a[0]), (off_t)pair(a[2], a[3])));
}

static int64_t sys_sysinfo(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)cpu;
    struct sysinfo s;
    if (sysinfo(&s) < 0)
        return -errno;
    rt_conv_sysinfo(&s, gp(a[0]));
    return 0;
}

static int64_t sys_brk(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_brk(rt, a[0]);
}

static int64_t sys_mmap2(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_mmap2(rt, a[0], a[1], a[2], a[3], si(a[4]), a[5]);
}

static int64_t sys_munmap(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_munmap(rt, a[0], a[1]);
}

static int64_t sys_mprotect(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_mprotect(rt, a[0], a[1], a[2]);
}

static int64_t sys_mremap(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_mremap(rt, a[0], a[1], a[2], a[3], a[4]);
}

static int64_t sys_rt_sigaction(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_rt_sigaction(rt, si(a[0]), a[1], a[2], a[3]);
}

static int64_t sys_rt_sigprocmask(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_rt_sigprocmask(rt, si(a[0]), a[1], a[2], a[3]);
}

static int64_t sys_rt_sigpending(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_rt_sigpending(rt, a[0], a[1]);
}

static int64_t sys_rt_sigqueueinfo(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_rt_sigqueueinfo(rt, si(a[0]), si(a[1]), a[2]);
}

static int64_t sys_sigaltstack(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    return rt_sys_sigaltstack(rt, a[0], a[1]);
}

static int64_t sys_rt_sigreturn(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)a;
    rt_sys_rt_sigreturn(rt, cpu);
    return NORET;
}

static int64_t sys_sigreturn(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)a;
    rt_sys_sigreturn(rt, cpu);
    return NORET;
}

static int64_t sys_cacheflush(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)cpu;
    if (a[1] < a[0])
        return -EINVAL;
    if (rt->jit)
        jit_invalidate(rt->jit, a[0], a[1]);
    return 0;
}

static int64_t sys_set_tls(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    cpu->tpidruro = a[0];
    return 0;
}

static int64_t sys_get_tls(struct rt *rt, struct cpu *cpu, const uint32_t *a)
{
    (void)rt;
    (void)a;
    return cpu->tpidruro;
}

/* ---------------- the table ---------------- */

struct sysent {
    uint32_t nr;
    const char *name;
    long host;          /* PASS: host syscall number; CALL: -1 */
    sys_fn fn;
    const char *shape;
};

static const struct sysent systab[] = {
#define PASS(n) (n), NULL
#define CALL(f) -1, (f)
#define SYS(nr, name, impl, shape) { nr, #name, impl, shape },
#include "syscalls.def"
#undef SYS
#undef CALL
#undef PASS
};
#define NSYS (sizeof(systab) / sizeof(systab[0]))

static const struct sysent *lookup(uint32_t nr)
{
    size_t lo = 0, hi = NSYS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (systab[mid].nr < nr)
            lo = mid + 1;
        else if (systab[mid].nr > nr)
            hi = mid;
        else
            return &systab[mid];
    }
    return NULL;
}

/* Host argument from a guest register, by shape: ints sign-extend, the rest zero-extend. */
static long host_arg(char shape, uint32_t v)
{
    return shape == 'i' ? (long)(int32_t)v : (long)v;
}

static void log_arg(struct rt *rt, char *buf, size_t n, char shape, uint32_t v)
{
    switch (shape) {
    case 'i': snprintf(buf, n, "%d", (int32_t)v); return;
    case 'u': snprintf(buf, n, "%u", v); return;
    case 'o': snprintf(buf, n, "0%o", v); return;
    case 's': {
        const struct rt_region *r = rt_mem_find(&rt->mem, v);
        if (!r || !(r->prot & RT_PROT_R))
            break;
        size_t room = (size_t)(r->end - v), k = 0, o = 0;
        const char *s = gp(v);
        o += (size_t)snprintf(buf, n, "\"");
        while (k < room && s[k] && k < 40 && o + 6 < n) {
            unsigned char c = (unsigned char)s[k++];
            o += (size_t)snprintf(buf + o, n - o, c >= 32 && c < 127 && c != '"' ? "%c" : "\\x%02x",
                                  c);
        }
        snprintf(buf + o, n - o, k < room && s[k] ? "\"..." : "\"");
        return;
    }
    default: break;
    }
    snprintf(buf, n, "0x%x", v);
}

static void log_call(struct rt *rt, const struct sysent *e, const uint32_t *a, int64_t r)
{
    char line[512], arg[128];
    size_t o = (size_t)snprintf(line, sizeof(line), "%s(", e->name);
    for (int i = 0; e->shape[i] && o < sizeof(line); i++) {
        log_arg(rt, arg, sizeof(arg), e->shape[i], a[i]);
        o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s", i ? ", " : "", arg);
    }
    if (r == NORET)
        xl_log("%s) = ?", line);
    else if (r < 0 && r >= -4095)
        xl_log("%s) = %lld %s", line, (long long)r, strerrorname_np((int)-r) ?: "");
    else if (e->fn == sys_brk || e->fn == sys_mmap2 || e->fn == sys_mremap)
        xl_log("%s) = 0x%llx", line, (unsigned long long)(uint32_t)r);
    else
        xl_log("%s) = %lld", line, (long long)r);
}

void rt_syscall(struct rt *rt, struct cpu *cpu)
{
    uint32_t nr = cpu->r[7];
    const uint32_t a[7] = { cpu->r[0], cpu->r[1], cpu->r[2], cpu->r[3],
                            cpu->r[4], cpu->r[5], cpu->r[6] };
    const struct sysent *e = lookup(nr);
    int64_t r;
    if (!e) {
        if (xl_log_enabled(XL_LOG_UNIMP))
            xl_log("unimplemented syscall %u at 0x%x", nr, cpu->exit_pc);
        cpu->r[0] = (uint32_t)-ENOSYS;
        return;
    }
    bool log = xl_log_enabled(XL_LOG_SYSCALL);
    if (log && e->fn == sys_exit)
        log_call(rt, e, a, NORET);
    if (e->fn) {
        r = e->fn(rt, cpu, a);
    } else {
        long h[6] = { 0 };
        for (int i = 0; e->shape[i] && i < 6; i++)
            h[i] = host_arg(e->shape[i], a[i]);
        r = ret(syscall(e->host, h[0], h[1], h[2], h[3], h[4], h[5]));
    }
    if (r != NORET)
        cpu->r[0] = (uint32_t)r;
    if (log && e->fn != sys_exit)
        log_call(rt, e, a, r);
}
