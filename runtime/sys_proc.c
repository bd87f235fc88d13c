/*
 * Process syscalls: exit, fork/vfork/clone and wait, futexes, the thread bookkeeping calls
 * (threads themselves are thread.c's), limits, guest memory (mem.c) and signals
 * (signal.c), prctl, other processes' memory and pidfds, keys, and the ARM-private calls
 * (breakpoint, cacheflush, the TLS register). execve is exec.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lifter/ir/xl_log.h"
#include "../lifter/jit/jit.h"
#include "bytes.h"
#include "conv_old.h"
#include "sys_internal.h"

#ifndef SYS_futex_wait
#define SYS_futex_wait 455      /* x86-64, newer than the host's headers */
#endif

SYSCALL(sys_exit)
{
    rt_exit_thread(rt, (int)(a[0] & 0xff));
    return NORET;
}

SYSCALL(sys_exit_group)
{
    rt_exit_group(rt, (int)(a[0] & 0xff));
    return NORET;
}

/* Futexes are the host's: guest addresses are host addresses, guest tids host tids, and
   the lock words (PI ones too) mean the same. Only the timeout changes form. */
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
    return RT_BLOCK(SYS_futex, gp(a[0]), op, a[2], arg4, gp(a[4]), a[5]);
}

SYSCALL(sys_futex)
{
    return do_futex(a, false);
}

SYSCALL(sys_futex64)
{
    return do_futex(a, true);
}

/* futex_wait(uaddr, val, mask, flags, timeout, clockid): a 64-bit timespec, whose upper
   half of tv_nsec a 32-bit kernel ignores. */
SYSCALL(sys_futex_wait)
{
    struct timespec ts;
    if (a[4])
        sys_ts_in(a[4], true, &ts);
    return RT_BLOCK(SYS_futex_wait, gp(a[0]), (unsigned long)a[1], (unsigned long)a[2], a[3],
                    a[4] ? &ts : NULL, si(a[5]));
}

SYSCALL(sys_set_tid_address)
{
    rt->clear_child_tid = a[0];     /* zeroed and woken when the thread exits (thread.c) */
    return rt->tid;
}

/* The host kernel cannot walk a 32-bit list: the runtime does, at the thread's exit. */
SYSCALL(sys_set_robust_list)
{
    if (a[1] != 12)                 /* sizeof(struct robust_list_head) on ARM */
        return -EINVAL;
    rt->robust_list = a[0];
    return 0;
}

SYSCALL(sys_get_robust_list)
{
    if (a[0] && si(a[0]) != rt->tid)
        return -EPERM;              /* other threads' lists are theirs (qemu-arm: ENOSYS) */
    uint32_t head = rt->robust_list, len = 12;
    memcpy(gp(a[1]), &head, 4);
    memcpy(gp(a[2]), &len, 4);
    return 0;
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
    return rt_sys_rt_sigqueueinfo(rt, si(a[0]), 0, si(a[1]), a[2]);
}

SYSCALL(sys_rt_tgsigqueueinfo)
{
    if (si(a[1]) <= 0)
        return -EINVAL;
    return rt_sys_rt_sigqueueinfo(rt, si(a[0]), si(a[1]), si(a[2]), a[3]);
}

/* Signal 0 probes; a guest signal without a host number (63, 64) cannot be sent. */
int sys_host_signo(int g)
{
    return g == 0 ? 0 : rt_sig_to_host(g) > 0 ? rt_sig_to_host(g) : -1;
}

SYSCALL(sys_kill)
{
    int h = sys_host_signo(si(a[1]));
    return h < 0 ? -EINVAL : ret(kill(si(a[0]), h));
}

SYSCALL(sys_tkill)
{
    int h = sys_host_signo(si(a[1]));
    return h < 0 ? -EINVAL : ret(syscall(SYS_tkill, si(a[0]), h));
}

SYSCALL(sys_tgkill)
{
    int h = sys_host_signo(si(a[2]));
    return h < 0 ? -EINVAL : ret(syscall(SYS_tgkill, si(a[0]), si(a[1]), h));
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
    /* Retired AOT code first, so that no lookup finds it once the JIT caches go. */
    if (rt_aot_code_changed(rt->proc, a[0], a[1]))
        rt->aot_unwind = true;
    rt_code_changed(rt->proc, a[0], a[1]);     /* every thread's, as an SMP kernel */
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

/* The svc stops as at a breakpoint: SIGTRAP with the frame's pc at the svc itself, and r0
   kept (arm_syscall: ptrace_break). */
SYSCALL(sys_breakpoint)
{
    cpu->r[15] = cpu->exit_pc;
    sys_trap(rt, cpu, SIGTRAP, TRAP_BRKPT, cpu->exit_pc);
    return NORET;
}

/* usr26 and usr32 switch 26-bit mode, which ARMv7 has not (no HWCAP_26BIT): an illegal
   trap at the svc, r0 = 0, as arm_syscall's end. */
SYSCALL(sys_arm_26bit)
{
    if (xl_log_enabled(XL_LOG_UNIMP))
        xl_log("bad syscall 0x%x at 0x%x: SIGILL (no 26-bit mode)", cpu->r[7], cpu->exit_pc);
    cpu->r[0] = 0;
    sys_trap(rt, cpu, SIGILL, ILL_ILLTRP, cpu->exit_pc);
    return NORET;
}

SYSCALL(sys_rt_sigsuspend)
{
    return rt_sys_rt_sigsuspend(rt, a[0], a[1]);
}

SYSCALL(sys_pause)
{
    return rt_sys_pause(rt);
}

static int64_t sigtimedwait_(struct rt_thread *rt, const uint32_t *a, bool t64)
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
 * Threads (CLONE_VM without CLONE_VFORK) are thread.c's.
 *
 * Once the guest has threads, another thread may hold a lock of the host libc (malloc's)
 * or of the runtime while this one forks: a plain fork through glibc's fork(), which takes
 * its own locks first, with the tid words written here, and mem_lock, act_lock, the
 * shared µIR's lock, codeprot_lock and code_lock held across it. Such a vfork does not
 * make the parent wait.
 */
static long threaded_fork(struct rt_thread *rt, uint32_t flags, uint32_t ptid, uint32_t ctid)
{
    struct rt_process *p = rt->proc;
    pthread_mutex_lock(&p->mem_lock);
    pthread_mutex_lock(&p->act_lock);
    pthread_mutex_lock(&p->ir_share.lock);
    pthread_mutex_lock(&p->codeprot_lock);     /* before code_lock, as release_all */
    pthread_mutex_lock(&p->code_lock);
    pid_t pid = fork();
    int e = errno;
    pthread_mutex_unlock(&p->code_lock);
    pthread_mutex_unlock(&p->codeprot_lock);
    pthread_mutex_unlock(&p->ir_share.lock);
    pthread_mutex_unlock(&p->act_lock);
    pthread_mutex_unlock(&p->mem_lock);
    if (pid < 0)
        return -e;
    if (pid == 0) {
        uint32_t tid = (uint32_t)gettid();
        if (flags & CLONE_CHILD_SETTID)
            memcpy(gp(ctid), &tid, 4);
        if (flags & CLONE_CHILD_CLEARTID)
            rt->clear_child_tid = ctid;
    } else if (flags & CLONE_PARENT_SETTID) {
        memcpy(gp(ptid), &pid, 4);
    }
    return pid;
}

static int64_t do_clone(struct rt_thread *rt, struct cpu *cpu, uint32_t flags, uint32_t newsp,
                        uint32_t ptid, uint32_t tls, uint32_t ctid)
{
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return rt_clone_thread(rt, cpu, flags, newsp, ptid, tls, ctid);
    if (flags & (CLONE_SIGHAND | CLONE_THREAD))
        return -EINVAL;             /* both need CLONE_VM */
    unsigned long hflags = flags & ~(uint32_t)(CLONE_VM | CLONE_SETTLS);
    long pid;
    if (__atomic_load_n(&rt->proc->threaded, __ATOMIC_SEQ_CST) && (flags & 0xff) == SIGCHLD &&
        !(flags & ~(uint32_t)(0xff | CLONE_VM | CLONE_VFORK | CLONE_SETTLS |
                              CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
                              CLONE_CHILD_CLEARTID))) {
        pid = threaded_fork(rt, flags, ptid, ctid);
    } else {
        fflush(NULL);               /* the runtime's own buffered output, written once */
        pid = syscall(SYS_clone, hflags, 0L, gp(ptid), gp(ctid), 0L);
        if (pid < 0)
            return -errno;
    }
    if (pid < 0)
        return pid;
    if (pid == 0) {
        rt_threads_forked(rt);
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
    int64_t r = RT_BLOCK(SYS_wait4, si(a[0]), a[1] ? &status : NULL, si(a[2]),
                         a[3] ? &ru : NULL);
    if (r < 0)
        return r;
    /* The guest's number of the signal that killed or stopped the child. */
    if (r > 0 && WIFSIGNALED(status) && rt_sig_from_host(WTERMSIG(status)) > 0)
        status = (status & ~0x7f) | rt_sig_from_host(WTERMSIG(status));
    else if (r > 0 && WIFSTOPPED(status) && rt_sig_from_host(WSTOPSIG(status)) > 0)
        status = (status & ~0xff00) | rt_sig_from_host(WSTOPSIG(status)) << 8;
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
    int64_t r = RT_BLOCK(SYS_waitid, si(a[0]), si(a[1]), &hi, si(a[3]), a[4] ? &ru : NULL);
    if (r < 0)
        return r;
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

/* ---------------- prctl ---------------- */

#define ARM_PR_SET_MDWE 65
#define ARM_PR_GET_AUXV 0x41555856

/*
 * prctl: the options mean the same on both sides and pass, but for those that carry a
 * signal number (PDEATHSIG), a pointer-sized value (GET_TID_ADDRESS, SET_PTRACER_ANY),
 * the guest's own state (GET_AUXV), or that would bind the runtime itself: seccomp filters
 * (which would see its x86-64 syscalls), syscall user dispatch, SET_MM (the guest's
 * cmdline and auxv are the runtime's copies), memory-deny-write-execute (the JIT writes
 * code) and the x86 TSC; these return EINVAL, as on a kernel or CPU without them.
 */
SYSCALL(sys_prctl)
{
    int opt = si(a[0]);
    switch (opt) {
    case PR_SET_PDEATHSIG: {
        int h = sys_host_signo(si(a[1]));
        return h < 0 ? -EINVAL : ret(prctl(PR_SET_PDEATHSIG, (unsigned long)h));
    }
    case PR_GET_PDEATHSIG: {
        int h;
        if (prctl(PR_GET_PDEATHSIG, &h) < 0)
            return -errno;
        int g = h > 0 ? rt_sig_from_host(h) : 0;
        memcpy(gp(a[1]), &g, 4);
        return 0;
    }
    case PR_GET_TID_ADDRESS:
        memcpy(gp(a[1]), &rt->clear_child_tid, 4);
        return 0;
    case PR_SET_PTRACER:            /* PR_SET_PTRACER_ANY is (unsigned long)-1 */
        return ret(prctl(PR_SET_PTRACER, a[1] == 0xffffffffu ? -1UL : (unsigned long)a[1]));
    case ARM_PR_GET_AUXV: {
        if (a[3] || a[4])
            return -EINVAL;
        size_t n = rt->proc->auxv_size < a[2] ? rt->proc->auxv_size : a[2];
        if (n)
            memcpy(gp(a[1]), rt->proc->auxv, n);
        return (int64_t)rt->proc->auxv_size;
    }
    case PR_GET_SECCOMP: case PR_SET_SECCOMP: case PR_SET_SYSCALL_USER_DISPATCH:
    case PR_SET_MM: case ARM_PR_SET_MDWE: case PR_GET_TSC: case PR_SET_TSC:
        if (xl_log_enabled(XL_LOG_UNIMP))
            xl_log("refused prctl option %d at 0x%x: EINVAL", opt, cpu->exit_pc);
        return -EINVAL;
    }
    return ret(prctl(opt, (unsigned long)a[1], (unsigned long)a[2], (unsigned long)a[3],
                     (unsigned long)a[4]));
}

/* ---------------- other processes, pidfds ---------------- */

/* process_vm_readv/writev(pid, local iov, n, remote iov, n, flags): both vectors are guest
   iovecs; the remote addresses are another guest's, which are host addresses too. */
static int64_t vm_rw(struct rt_thread *rt, const uint32_t *a, bool write)
{
    struct iovec l[SYS_MAX_IOV], r[SYS_MAX_IOV];
    int64_t e = sys_iov_in(rt, a[1], a[2], l);
    if (e == 0)
        e = sys_iov_in(rt, a[3], a[4], r);
    if (e)
        return e;
    return ret(syscall(write ? SYS_process_vm_writev : SYS_process_vm_readv, si(a[0]), l,
                       (unsigned long)a[2], r, (unsigned long)a[4], (unsigned long)a[5]));
}

SYSCALL(sys_process_vm_readv) { return vm_rw(rt, a, false); }
SYSCALL(sys_process_vm_writev) { return vm_rw(rt, a, true); }

SYSCALL(sys_process_madvise)
{
    struct iovec v[SYS_MAX_IOV];
    int64_t e = sys_iov_in(rt, a[1], a[2], v);
    return e ? e : ret(syscall(SYS_process_madvise, si(a[0]), v, (size_t)a[2], si(a[3]), a[4]));
}

/* pidfd_send_signal(pidfd, sig, info, flags): the signal and its siginfo in the host's
   numbering and layout. */
SYSCALL(sys_pidfd_send_signal)
{
    int h = sys_host_signo(si(a[1]));
    if (h < 0)
        return -EINVAL;
    siginfo_t info;
    if (a[2]) {
        if (!sys_gok(rt, a[2], 128, RT_PROT_R))
            return -EFAULT;
        rt_siginfo_user_to_host(gp(a[2]), &info);
        if ((int)rt_get32(gp(a[2]), 0) != si(a[1]))
            return -EINVAL;     /* as the kernel: info's signal must be sig */
        info.si_signo = h;
    }
    return ret(syscall(SYS_pidfd_send_signal, si(a[0]), h, a[2] ? &info : NULL, a[3]));
}

/* ---------------- keys ---------------- */

/* keyctl: arguments are key serials, ints and pointers to buffers, which pass as they are,
   but for INSTANTIATE_IOV (an iovec array) and DH_COMPUTE's KDF parameters (two pointers,
   then a u32: 12 bytes on ARM, 20 on x86-64, each followed by eight spare u32s). */
SYSCALL(sys_keyctl)
{
    int cmd = si(a[0]);
    if (cmd == KEYCTL_INSTANTIATE_IOV && a[2]) {
        struct iovec v[SYS_MAX_IOV];
        int64_t e = sys_iov_in(rt, a[2], a[3], v);
        return e ? e : ret(syscall(SYS_keyctl, cmd, si(a[1]), v, a[3], si(a[4])));
    }
    if (cmd == KEYCTL_DH_COMPUTE && a[4]) {
        if (!sys_gok(rt, a[4], 44, RT_PROT_R))
            return -EFAULT;
        const uint8_t *g = gp(a[4]);
        struct keyctl_kdf_params kdf = { .hashname = gp(rt_get32(g, 0)),
                                         .otherinfo = gp(rt_get32(g, 4)),
                                         .otherinfolen = rt_get32(g, 8) };
        memcpy(kdf.__spare, g + 12, sizeof(kdf.__spare));
        return ret(syscall(SYS_keyctl, cmd, gp(a[1]), gp(a[2]), (size_t)a[3], &kdf));
    }
    return ret(syscall(SYS_keyctl, cmd, (unsigned long)a[1], (unsigned long)a[2],
                       (unsigned long)a[3], (unsigned long)a[4]));
}
