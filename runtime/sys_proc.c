/*
 * Process syscalls: exit, futexes and thread bookkeeping of a single-threaded guest, limits,
 * guest memory (mem.c) and signals (signal.c), cacheflush and the TLS register.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "../lifter/jit/jit.h"
#include "sys_internal.h"

SYSCALL(sys_exit)
{
    rt->exited = true;
    rt->exit_status = (int)(a[0] & 0xff);
    return NORET;
}
/* Single-threaded futexes: the host's, with the timeout converted; uaddr2 for requeue. */
static int64_t do_futex(const uint32_t *a, bool t64)
{
    int op = si(a[1]), cmd = op & FUTEX_CMD_MASK;
    struct timespec ts, *tsp = NULL;
    if (a[3] && (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
                 cmd == FUTEX_WAIT_REQUEUE_PI)) {
        sys_ts_in(a[3], t64, &ts);
        tsp = &ts;
    }
    void *arg4 = tsp ? (void *)tsp : (void *)(uintptr_t)a[3];
    return ret(syscall(SYS_futex, gp(a[0]), op, a[2], arg4, gp(a[4]), a[5]));
}

SYSCALL(sys_futex)
{
    return do_futex(a, false);
}

SYSCALL(sys_futex64)
{
    return do_futex(a, true);
}

SYSCALL(sys_set_tid_address)
{
    (void)a;    /* single thread: nobody is woken at exit */
    return syscall(SYS_gettid);
}

SYSCALL(sys_set_robust_list)
{
    return a[1] == 12 ? 0 : -EINVAL;    /* sizeof(struct robust_list_head) on ARM */
}

SYSCALL(sys_rseq)
{
    return -ENOSYS;     /* as qemu-arm; glibc copes */
}

SYSCALL(sys_ugetrlimit)
{
    struct rlimit r;
    if (getrlimit(si(a[0]), &r) < 0)
        return -errno;
    rt_rlimit32_from_host(r.rlim_cur, r.rlim_max, gp(a[1]));
    return 0;
}
SYSCALL(sys_sysinfo)
{
    struct sysinfo s;
    if (sysinfo(&s) < 0)
        return -errno;
    rt_conv_sysinfo(&s, gp(a[0]));
    return 0;
}

SYSCALL(sys_brk)
{
    return rt_sys_brk(rt, a[0]);
}

SYSCALL(sys_mmap2)
{
    return rt_sys_mmap2(rt, a[0], a[1], a[2], a[3], si(a[4]), a[5]);
}

SYSCALL(sys_munmap)
{
    return rt_sys_munmap(rt, a[0], a[1]);
}

SYSCALL(sys_mprotect)
{
    return rt_sys_mprotect(rt, a[0], a[1], a[2]);
}

SYSCALL(sys_mremap)
{
    return rt_sys_mremap(rt, a[0], a[1], a[2], a[3], a[4]);
}

SYSCALL(sys_rt_sigaction)
{
    return rt_sys_rt_sigaction(rt, si(a[0]), a[1], a[2], a[3]);
}

SYSCALL(sys_rt_sigprocmask)
{
    return rt_sys_rt_sigprocmask(rt, si(a[0]), a[1], a[2], a[3]);
}

SYSCALL(sys_rt_sigpending)
{
    return rt_sys_rt_sigpending(rt, a[0], a[1]);
}

SYSCALL(sys_rt_sigqueueinfo)
{
    return rt_sys_rt_sigqueueinfo(rt, si(a[0]), si(a[1]), a[2]);
}

SYSCALL(sys_sigaltstack)
{
    return rt_sys_sigaltstack(rt, a[0], a[1]);
}

SYSCALL(sys_rt_sigreturn)
{
    rt_sys_rt_sigreturn(rt, cpu);
    return NORET;
}

SYSCALL(sys_sigreturn)
{
    rt_sys_sigreturn(rt, cpu);
    return NORET;
}

SYSCALL(sys_cacheflush)
{
    if (a[1] < a[0])
        return -EINVAL;
    if (rt->jit)
        jit_invalidate(rt->jit, a[0], a[1]);
    return 0;
}

SYSCALL(sys_set_tls)
{
    cpu->tpidruro = a[0];
    return 0;
}

SYSCALL(sys_get_tls)
{
    return cpu->tpidruro;
}
