/*
 * Process syscalls: exit, fork/vfork/clone and wait, futexes and thread bookkeeping of a
 * single-threaded guest, limits, guest memory (mem.c) and signals (signal.c), cacheflush and
 * the TLS register. execve is exec.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lifter/ir/xl_log.h"
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

SYSCALL(sys_rt_sigsuspend)
{
    return rt_sys_rt_sigsuspend(rt, a[0], a[1]);
}

SYSCALL(sys_pause)
{
    return rt_sys_pause(rt);
}

static int64_t sigtimedwait_(struct rt *rt, const uint32_t *a, bool t64)
{
    struct timespec ts;
    if (a[2])
        sys_ts_in(a[2], t64, &ts);
    return rt_sys_rt_sigtimedwait(rt, a[0], a[1], a[2] ? &ts : NULL, a[3]);
}

SYSCALL(sys_rt_sigtimedwait)
{
    return sigtimedwait_(rt, a, false);
}

SYSCALL(sys_rt_sigtimedwait64)
{
    return sigtimedwait_(rt, a, true);
}

/* ---------------- processes ---------------- */

/*
 * fork, vfork and clone without CLONE_VM: a host process that goes on with a copy of
 * everything, the guest's memory, the JIT's code and the runtime's state alike. The ARM
 * clone is clone(flags, newsp, ptid, tls, ctid). The tid words are guest memory, which is
 * host memory, so the kernel writes them itself (CLONE_PARENT_SETTID, CLONE_CHILD_SETTID,
 * CLONE_CHILD_CLEARTID); the TLS value is the guest's TPIDRURO, never the host's.
 * vfork (CLONE_VM | CLONE_VFORK) keeps CLONE_VFORK only: the parent still waits for the
 * child's exec or exit, but the child's writes to memory stay its own, as under qemu-arm.
 * Threads (CLONE_VM without CLONE_VFORK) are not implemented yet.
 */
static int64_t do_clone(struct rt *rt, struct cpu *cpu, uint32_t flags, uint32_t newsp,
                        uint32_t ptid, uint32_t tls, uint32_t ctid)
{
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
        if (xl_log_enabled(XL_LOG_UNIMP))
            xl_log("unimplemented clone with CLONE_VM (threads) at 0x%x", cpu->exit_pc);
        return -ENOSYS;
    }
    if (flags & (CLONE_SIGHAND | CLONE_THREAD))
        return -EINVAL;             /* both need CLONE_VM */
    unsigned long hflags = flags & ~(uint32_t)(CLONE_VM | CLONE_SETTLS);
    fflush(NULL);                   /* the runtime's own buffered output, written once */
    long pid = syscall(SYS_clone, hflags, 0L, gp(ptid), gp(ctid), 0L);
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        rt_signals_forked(rt);
        if (newsp)
            cpu->r[13] = newsp;
        if (flags & CLONE_SETTLS)
            cpu->tpidruro = tls;
    }
    return pid;
}

SYSCALL(sys_fork)
{
    return do_clone(rt, cpu, SIGCHLD, 0, 0, 0, 0);
}

SYSCALL(sys_vfork)
{
    return do_clone(rt, cpu, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

SYSCALL(sys_clone)
{
    return do_clone(rt, cpu, a[0], a[1], a[2], a[3], a[4]);
}

SYSCALL(sys_wait4)
{
    struct rusage ru;
    int status;
    long r = wait4(si(a[0]), a[1] ? &status : NULL, si(a[2]), a[3] ? &ru : NULL);
    if (r < 0)
        return -errno;
    if (a[1])
        memcpy(gp(a[1]), &status, 4);
    if (a[3])
        rt_conv_rusage(&ru, gp(a[3]));
    return r;
}

SYSCALL(sys_waitid)
{
    siginfo_t hi;
    struct rusage ru;
    memset(&hi, 0, sizeof(hi));
    long r = syscall(SYS_waitid, si(a[0]), si(a[1]), &hi, si(a[3]), a[4] ? &ru : NULL);
    if (r < 0)
        return -errno;
    if (a[2]) {
        struct rt_siginfo s = rt_siginfo_from_host(&hi);
        rt_siginfo_to_arm(&s, gp(a[2]));
    }
    if (a[4])
        rt_conv_rusage(&ru, gp(a[4]));
    return r;
}

SYSCALL(sys_execve)
{
    return rt_execve(rt, AT_FDCWD, a[0], a[1], a[2], 0);
}

SYSCALL(sys_execveat)
{
    return rt_execve(rt, si(a[0]), a[1], a[2], a[3], si(a[4]));
}

SYSCALL(sys_getrusage)
{
    struct rusage ru;
    if (getrusage(si(a[0]), &ru) < 0)
        return -errno;
    rt_conv_rusage(&ru, gp(a[1]));
    return 0;
}
