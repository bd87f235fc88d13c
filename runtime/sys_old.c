/*
 * Calls of the old ARM ABI that the EABI table kept beside their newer forms: the 16-bit
 * uid/gid calls (the *32 ones pass), the signal calls on a 32-bit sigset (sigaction,
 * sigprocmask, sigpending, sigsuspend), nice, and setrlimit of 32-bit words. glibc and
 * musl call the newer forms; older binaries and hand-written svcs call these.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bytes.h"
#include "conv_old.h"
#include "sys_internal.h"

/* ---------------- 16-bit ids ---------------- */

/* The set calls take the low half of each register, (u16)-1 meaning "leave it"; the get
   calls give 65534 for an id above 65535 (kernel/uid16.c). The raw host calls, as the
   32-bit forms: credentials are per thread in Linux, glibc's wrappers make them per
   process. */
SYSCALL(sys_setuid16) { return ret(syscall(SYS_setuid, rt_id_from16(a[0]))); }
SYSCALL(sys_setgid16) { return ret(syscall(SYS_setgid, rt_id_from16(a[0]))); }
SYSCALL(sys_setfsuid16) { return ret(syscall(SYS_setfsuid, rt_id_from16(a[0]))); }
SYSCALL(sys_setfsgid16) { return ret(syscall(SYS_setfsgid, rt_id_from16(a[0]))); }
SYSCALL(sys_getuid16) { return rt_id_to16((uint32_t)getuid()); }
SYSCALL(sys_getgid16) { return rt_id_to16((uint32_t)getgid()); }
SYSCALL(sys_geteuid16) { return rt_id_to16((uint32_t)geteuid()); }
SYSCALL(sys_getegid16) { return rt_id_to16((uint32_t)getegid()); }

SYSCALL(sys_setreuid16)
{
    return ret(syscall(SYS_setreuid, rt_id_from16(a[0]), rt_id_from16(a[1])));
}

SYSCALL(sys_setregid16)
{
    return ret(syscall(SYS_setregid, rt_id_from16(a[0]), rt_id_from16(a[1])));
}

SYSCALL(sys_setresuid16)
{
    return ret(syscall(SYS_setresuid, rt_id_from16(a[0]), rt_id_from16(a[1]),
                       rt_id_from16(a[2])));
}

SYSCALL(sys_setresgid16)
{
    return ret(syscall(SYS_setresgid, rt_id_from16(a[0]), rt_id_from16(a[1]),
                       rt_id_from16(a[2])));
}

static int64_t getres16(long nr, const uint32_t *a)
{
    uint32_t id[3];
    if (syscall(nr, &id[0], &id[1], &id[2]) < 0)
        return -errno;
    for (int i = 0; i < 3; i++) {
        uint16_t v = rt_id_to16(id[i]);
        memcpy(gp(a[i]), &v, 2);
    }
    return 0;
}

SYSCALL(sys_getresuid16) { return getres16(SYS_getresuid, a); }
SYSCALL(sys_getresgid16) { return getres16(SYS_getresgid, a); }

static int64_t chown16(int dirfd, uint32_t path, uint32_t u, uint32_t g, int flags)
{
    return ret(syscall(SYS_fchownat, dirfd, gp(path), rt_id_from16(u), rt_id_from16(g), flags));
}

SYSCALL(sys_chown16) { return chown16(AT_FDCWD, a[0], a[1], a[2], 0); }
SYSCALL(sys_lchown16) { return chown16(AT_FDCWD, a[0], a[1], a[2], AT_SYMLINK_NOFOLLOW); }

SYSCALL(sys_fchown16)
{
    return ret(syscall(SYS_fchown, si(a[0]), rt_id_from16(a[1]), rt_id_from16(a[2])));
}

/* getgroups(size, list): size 0 asks for the count; a list too short is EINVAL. */
SYSCALL(sys_getgroups16)
{
    int n = si(a[0]);
    if (n < 0)
        return -EINVAL;
    long r = syscall(SYS_getgroups, 0, NULL);
    if (r <= 0 || n == 0)
        return ret(r);
    if (r > n)
        return -EINVAL;
    if (!sys_gok(rt, a[1], 2ull * (uint64_t)r, RT_PROT_W))
        return -EFAULT;
    gid_t *g = malloc(sizeof(gid_t) * (size_t)r);
    if (!g)
        return -ENOMEM;
    r = syscall(SYS_getgroups, r, g);
    int e = errno;
    for (long i = 0; i < r; i++)
        rt_put16(gp(a[1]), 2 * (size_t)i, rt_id_to16(g[i]));
    free(g);
    return r < 0 ? -e : r;
}

SYSCALL(sys_setgroups16)
{
    int n = si(a[0]);
    if (n < 0 || n > NGROUPS_MAX)
        return -EINVAL;
    if (!sys_gok(rt, a[1], 2ull * (uint64_t)n, RT_PROT_R))
        return -EFAULT;
    gid_t *g = malloc(sizeof(gid_t) * (size_t)(n ? n : 1));
    if (!g)
        return -ENOMEM;
    for (int i = 0; i < n; i++)
        g[i] = rt_id_from16(rt_get16(gp(a[1]), 2 * (size_t)i));
    int64_t r = ret(syscall(SYS_setgroups, n, g));
    free(g);
    return r;
}

/* ---------------- signals on a 32-bit sigset ---------------- */

/*
 * The old calls reuse signal.c's rt_* ones, which read and write guest addresses. They
 * lend them bytes of the guest's stack below sp, which the ARM ABI leaves free and where
 * nothing is written while the svc runs (a signal frame is built after it), and put the
 * old bytes back after.
 */
#define SCRATCH_GAP 64u             /* below sp: room a leaf function might still use */
struct scratch {
    uint32_t at;
    uint8_t saved[2 * RT_ARM_SIGACTION_SIZE];
};

static int64_t scratch_take(struct rt_thread *rt, struct cpu *cpu, struct scratch *s)
{
    s->at = (cpu->r[13] - SCRATCH_GAP - sizeof(s->saved)) & ~7u;
    if (!sys_gok(rt, s->at, sizeof(s->saved), RT_PROT_R | RT_PROT_W))
        return -EFAULT;
    memcpy(s->saved, gp(s->at), sizeof(s->saved));
    return 0;
}

static void scratch_give_back(const struct scratch *s)
{
    memcpy(gp(s->at), s->saved, sizeof(s->saved));
}

/* sigaction(sig, act, oact) with struct old_sigaction: handler 0, mask 4 (32 bits), flags
   8, restorer 12. The new mask's upper half is empty (siginitset); the old one's is
   dropped. */
SYSCALL(sys_sigaction)
{
    struct scratch s;
    int64_t r = scratch_take(rt, cpu, &s);
    if (r)
        return r;
    uint32_t act = a[1] ? s.at : 0, oact = a[2] ? s.at + RT_ARM_SIGACTION_SIZE : 0;
    if (a[1]) {
        const uint8_t *g = gp(a[1]);
        struct rt_gsigaction n = { .handler = rt_get32(g, 0), .flags = rt_get32(g, 8),
                                   .restorer = rt_get32(g, 12), .mask = rt_get32(g, 4) };
        rt_sigaction_to_arm(&n, gp(act));
    }
    r = rt_sys_rt_sigaction(rt, si(a[0]), act, oact, 8);
    struct rt_gsigaction o;
    if (r == 0 && oact)
        rt_sigaction_from_arm(gp(oact), &o);
    scratch_give_back(&s);
    if (r == 0 && oact) {
        uint8_t out[16];
        rt_put32(out, 0, o.handler);
        rt_put32(out, 4, (uint32_t)o.mask);
        rt_put32(out, 8, o.flags);
        rt_put32(out, 12, o.restorer);
        memcpy(gp(a[2]), out, sizeof(out));
    }
    return r;
}

/* sigprocmask(how, set, oset): SIG_SETMASK replaces the low 32 signals only. */
SYSCALL(sys_sigprocmask)
{
    uint64_t old = rt->sigmask;
    int64_t r = 0;
    if (a[1]) {
        uint32_t set;
        memcpy(&set, gp(a[1]), 4);
        uint64_t m;
        switch (si(a[0])) {
        case SIG_BLOCK: m = old | set; break;
        case SIG_UNBLOCK: m = old & ~(uint64_t)set; break;
        case SIG_SETMASK: m = (old & ~0xffffffffull) | set; break;
        default: return -EINVAL;
        }
        struct scratch s;
        r = scratch_take(rt, cpu, &s);
        if (r)
            return r;
        memcpy(gp(s.at), &m, 8);
        r = rt_sys_rt_sigprocmask(rt, SIG_SETMASK, s.at, 0, 8);
        scratch_give_back(&s);
    }
    if (r == 0 && a[2]) {
        uint32_t o = (uint32_t)old;
        memcpy(gp(a[2]), &o, 4);
    }
    return r;
}

SYSCALL(sys_sigpending)
{
    struct scratch s;
    int64_t r = scratch_take(rt, cpu, &s);
    if (r)
        return r;
    uint64_t p = 0;
    r = rt_sys_rt_sigpending(rt, s.at, 8);
    memcpy(&p, gp(s.at), 8);
    scratch_give_back(&s);
    if (r == 0) {
        uint32_t lo = (uint32_t)p;
        memcpy(gp(a[0]), &lo, 4);
    }
    return r;
}

/* sigsuspend(restart, oldmask, mask) (ARM has OLD_SIGSUSPEND3): the mask is r2, and the
   real-time signals are unblocked while it waits (siginitset). */
SYSCALL(sys_sigsuspend)
{
    struct scratch s;
    int64_t r = scratch_take(rt, cpu, &s);
    if (r)
        return r;
    uint64_t m = a[2];
    memcpy(gp(s.at), &m, 8);
    r = rt_sys_rt_sigsuspend(rt, s.at, 8);
    scratch_give_back(&s);
    return r;
}

/* ---------------- nice, setrlimit ---------------- */

/* nice(inc) (kernel/sched/core.c): the thread's nice value moves by inc, clamped to
   -20..19; lowering it without the right is EPERM (the host's setpriority says EACCES). */
SYSCALL(sys_nice)
{
    int inc = si(a[0]);
    inc = inc < -40 ? -40 : inc > 40 ? 40 : inc;
    errno = 0;
    int cur = getpriority(PRIO_PROCESS, 0);
    if (cur == -1 && errno)
        return -errno;
    int n = cur + inc;
    n = n < -20 ? -20 : n > 19 ? 19 : n;
    if (setpriority(PRIO_PROCESS, 0, n) < 0)
        return errno == EACCES ? -EPERM : -errno;
    return 0;
}

/* setrlimit(resource, {cur, max}) of 32-bit words: ~0 is RLIM_INFINITY. */
SYSCALL(sys_setrlimit)
{
    uint32_t w[2];
    memcpy(w, gp(a[1]), 8);
    struct rlimit r = { w[0] == 0xffffffffu ? RLIM_INFINITY : w[0],
                        w[1] == 0xffffffffu ? RLIM_INFINITY : w[1] };
    return ret(syscall(SYS_setrlimit, a[0], &r));
}
