/*
 * Guest signals. The guest's actions live here (rt->proc->act); the host's dispositions follow
 * them: a guest handler means a host handler that only records the signal, which the
 * dispatcher delivers on an ARM-layout frame when translated code next returns to it;
 * SIG_DFL and SIG_IGN are given to the host as they are, so a guest killed by a signal
 * kills this process with that signal (as qemu-arm dies). SIGSEGV/SIGBUS always have a
 * host handler: a fault on a guest address becomes the guest's signal, and one inside a
 * syscall handler the syscall's EFAULT.
 *
 * The host's blocked mask is the guest's (but for SIGSEGV and SIGBUS), so a blocked signal
 * waits in the host kernel as in the guest's: its default action does not kill meanwhile,
 * sigtimedwait and signalfd take it there, and sigsuspend is the host's. Host handlers
 * never restart a syscall (no SA_RESTART): a syscall interrupted by a signal whose guest
 * handler has SA_RESTART is rewound to its svc after the handler, as Linux restarts it
 * (rt_signal_restart).
 *
 * Signal numbers differ above 31 (conv.c rt_sig_to_host): the guest's real-time signals are
 * two higher on the host, and guest 63 and 64 exist only inside the runtime.
 *
 * Each guest thread is a host thread: its mask and pending set are its own, the actions
 * the process's. The host picks the thread for a process-directed signal among those that
 * do not block it, which is the guest's choice too, as their masks agree.
 *
 * An asynchronous signal also sets cpu->interrupt: JIT blocks test it on entry and AOT code
 * at every loop's back edge, so translated code that never makes a syscall (a spinning
 * thread, a busy loop being cancelled) still comes to the dispatcher to take it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "../lifter/ir/xl_log.h"
#include "rt_internal.h"
#include "bytes.h"
#include "../lifter/helpers/helpers.h"

#define GSIG_DFL 0u
#define GSIG_IGN 1u
#define GSA_SIGINFO 0x4u
#define GSA_ONSTACK 0x08000000u
#define GSA_RESTORER 0x04000000u
#define GSA_NODEFER 0x40000000u
#define GSA_RESTART 0x10000000u
#define GSA_RESETHAND 0x80000000u
#define GSS_ONSTACK 1
#define GSS_DISABLE 2
#define SIGBIT(s) (1ull << ((s) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

__thread struct rt_thread *rt_self;

static uint8_t *gmem(uint32_t a) { return (uint8_t *)(uintptr_t)a; }

/* ---------------- CPSR and sigcontext (pure) ---------------- */

uint32_t rt_cpsr(const struct cpu *cpu)
{
    return (cpu->NF & 0x80000000u) | (uint32_t)(cpu->ZF == 0) << 30 | (cpu->CF & 1) << 29 |
           (cpu->VF >> 31) << 28 | (uint32_t)(cpu->QF != 0) << 27 | (cpu->GE & 0xf) << 16 |
           (cpu->thumb & 1) << 5 | 0x10 /* usr mode */;
}

void rt_set_cpsr(struct cpu *cpu, uint32_t cpsr)
{
    cpu->NF = cpsr & 0x80000000u;
    cpu->ZF = ((cpsr >> 30) & 1) ? 0 : 1;
    cpu->CF = (cpsr >> 29) & 1;
    cpu->VF = (cpsr << 3) & 0x80000000u;
    cpu->QF = (cpsr >> 27) & 1;
    cpu->GE = (cpsr >> 16) & 0xf;
    cpu->thumb = (cpsr >> 5) & 1;
}

void rt_sigcontext_save(const struct cpu *cpu, uint64_t mask, uint8_t *uc)
{
    rt_put32(uc, RT_SC_TRAPNO, 0);
    rt_put32(uc, RT_SC_ERROR, 0);
    rt_put32(uc, RT_SC_OLDMASK, (uint32_t)mask);
    for (int i = 0; i < 16; i++)
        rt_put32(uc, RT_SC_R0 + 4 * (uint32_t)i, cpu->r[i]);
    rt_put32(uc, RT_SC_CPSR, rt_cpsr(cpu));
    memcpy(uc + RT_UC_SIGMASK, &mask, 8);
    /* struct vfp_sigframe: magic, size, user_vfp {fpregs[32], fpscr}, user_vfp_exc. */
    uint8_t *vfp = uc + RT_UC_REGSPACE;
    rt_put32(vfp, 0, RT_VFP_MAGIC);
    rt_put32(vfp, 4, RT_VFP_SIZE);
    memcpy(vfp + 8, cpu->d, 256);
    rt_put32(vfp, 264, xl_fpscr_get(cpu));
    rt_put32(vfp, 272, 0x40000000u);       /* fpexc: EN */
    rt_put32(vfp, RT_VFP_SIZE, 0);         /* end magic */
}

void rt_sigcontext_restore(struct cpu *cpu, uint64_t *mask, const uint8_t *uc)
{
    for (int i = 0; i < 16; i++)
        cpu->r[i] = rt_get32(uc, RT_SC_R0 + 4 * (uint32_t)i);
    rt_set_cpsr(cpu, rt_get32(uc, RT_SC_CPSR));
    cpu->r[15] &= cpu->thumb ? ~1u : ~3u;
    memcpy(mask, uc + RT_UC_SIGMASK, 8);
    const uint8_t *vfp = uc + RT_UC_REGSPACE;
    if (rt_get32(vfp, 0) == RT_VFP_MAGIC && rt_get32(vfp, 4) == RT_VFP_SIZE) {
        memcpy(cpu->d, vfp + 8, 256);
        xl_fpscr_set(cpu, rt_get32(vfp, 264));
    }
}

/* ---------------- dying ---------------- */

_Noreturn void rt_die_by_signal(int gsig)
{
    /* As qemu-arm does: no host core dump of a process with a 4 GiB reservation. */
    struct rlimit nocore = { 0, 0 };
    setrlimit(RLIMIT_CORE, &nocore);
    fflush(stdout);
    int sig = rt_sig_to_host(gsig);
    if (sig < 0)
        _exit(128 + gsig);
    signal(sig, SIG_DFL);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    raise(sig);
    _exit(128 + sig);
}

static bool default_ignored(int sig)
{
    return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

/* Guest signals that have a host number (conv.c): all but 63 and 64. */
static bool host_sig(int sig)
{
    return rt_sig_to_host(sig) > 0;
}

/* The host form of a guest mask, less what the runtime needs open. */
static void host_set(uint64_t m, sigset_t *h)
{
    rt_host_sigset(rt_sigmask_to_host(m & ~(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS))), h);
}

static void set_mask(struct rt_thread *rt, uint64_t m)
{
    rt->sigmask = m & ~UNBLOCKABLE;
    sigset_t h;
    host_set(rt->sigmask, &h);
    sigprocmask(SIG_SETMASK, &h, NULL);
}

/* ---------------- host handlers ---------------- */

static void host_async(int hsig, siginfo_t *si, void *uc)
{
    struct rt_thread *rt = rt_self;
    int sig = rt_sig_from_host(hsig);
    if (!rt || sig < 1)
        return;
    /* For the guest's SA_SIGINFO handler; standard signals do not queue, so one slot per
       signal. */
    rt->pinfo[sig] = rt_siginfo_from_host(si);
    rt->pending[sig] = 1;
    rt->pending_any = 1;
    if (rt->cpu)
        rt->cpu->interrupt = 1;     /* translated code leaves at its next check */
    /* Between rt_safe_syscall's test of that flag and its syscall: it returns -EINTR
       instead of waiting in the kernel with this signal taken. */
    greg_t *ip = &((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
    if (*ip >= (greg_t)(uintptr_t)rt_safe_syscall_start &&
        *ip < (greg_t)(uintptr_t)rt_safe_syscall_end)
        *ip = (greg_t)(uintptr_t)rt_safe_syscall_eintr;
}

static void host_fault(int sig, siginfo_t *si, void *uc)
{
    struct rt_thread *rt = rt_self;
    uintptr_t a = (uintptr_t)si->si_addr;
    if (si->si_code <= 0) {                 /* sent by kill(): not a fault */
        if (rt && rt->proc->act[sig].handler > GSIG_IGN)
            host_async(sig, si, uc);
        else if (!rt || rt->proc->act[sig].handler == GSIG_DFL)
            rt_die_by_signal(sig);
        return;
    }
    /* A store to a page of translated code (guest code, or the runtime for it). */
    if (sig == SIGSEGV && rt && a < RT_GUEST_HI && rt_codeprot_fault(rt, (uint32_t)a))
        return;
    /* AOT code's a + k that wrapped past 4 GiB or below 0 (RT_GUARD) is a guest fault too. */
    bool wrapped = a - RT_GUEST_HI < RT_GUARD || a > UINTPTR_MAX - RT_GUARD;
    if (rt && rt->in_syscall && a < RT_GUEST_HI)
        siglongjmp(rt->syscall_jmp, 1);     /* a bad guest pointer: the syscall's EFAULT */
    if (!rt || !rt->in_guest || (a >= RT_GUEST_HI && !wrapped)) {
        static const char msg[] = "xlate: internal error: host fault outside guest memory\n";
        ssize_t n = write(2, msg, sizeof(msg) - 1);
        (void)n;
        rt_die_by_signal(sig);
    }
    if (rt->proc->act[sig].handler == GSIG_DFL || (rt->sigmask & SIGBIT(sig)))
        rt_die_by_signal(sig);              /* the common case: die right here */
    rt->fault = (struct rt_siginfo){ .signo = sig, .code = si->si_code, .addr = (uint32_t)a };
    /* Leaving by siglongjmp skips the kernel's MXCSR restore: keep the guest's FP flags. */
    xl_fp_keep_host_flags(((ucontext_t *)uc)->uc_mcontext.fpregs->mxcsr);
    siglongjmp(rt->fault_jmp, RT_JMP_FAULT);
}

static void set_host_action(int sig, uint32_t ghandler)
{
    if (sig == SIGKILL || sig == SIGSTOP || !host_sig(sig))
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigfillset(&sa.sa_mask);
    if (sig == SIGSEGV || sig == SIGBUS) {
        sa.sa_sigaction = host_fault;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
    } else if (ghandler == GSIG_DFL) {
        sa.sa_handler = SIG_DFL;
    } else if (ghandler == GSIG_IGN) {
        sa.sa_handler = SIG_IGN;
    } else {
        sa.sa_sigaction = host_async;
        sa.sa_flags = SA_SIGINFO;       /* restarts are the guest's (rt_signal_restart) */
    }
    sigaction(rt_sig_to_host(sig), &sa, NULL);
}

/* What exec left: the blocked mask and the ignored signals carry over to the guest, as
   they carry over an execve on Linux (nohup, a shell's background jobs). */
void rt_signals_init(struct rt_thread *rt)
{
    memset(rt->proc->act, 0, sizeof(rt->proc->act));
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    uint64_t m = 0;
    for (int s = 1; s <= RT_NSIG; s++) {
        if (!host_sig(s))
            continue;
        if (sigismember(&cur, rt_sig_to_host(s)) == 1)
            m |= SIGBIT(s);
        struct sigaction old;
        if (s != SIGKILL && s != SIGSTOP && sigaction(rt_sig_to_host(s), NULL, &old) == 0 &&
            !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN)
            rt->proc->act[s].handler = GSIG_IGN;
    }
    rt->altstack_flags = GSS_DISABLE;
    rt_self = rt;
    set_host_action(SIGSEGV, 0);
    set_host_action(SIGBUS, 0);
    set_mask(rt, m);
}

void rt_signals_thread_start(struct rt_thread *rt)
{
    rt_self = rt;
    rt->altstack_flags = GSS_DISABLE;
    set_mask(rt, rt->sigmask);
}

/* After fork: the child's pending signals are its own (none yet). */
void rt_signals_forked(struct rt_thread *rt)
{
    memset((void *)rt->pending, 0, sizeof(rt->pending));
    rt->pending_any = 0;
}

/* ---------------- syscalls ---------------- */

int64_t rt_sys_rt_sigaction(struct rt_thread *rt, int sig, uint32_t act, uint32_t oact, uint32_t size)
{
    if (size != 8)
        return -EINVAL;
    if (sig < 1 || sig > RT_NSIG || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return -EINVAL;
    struct rt_gsigaction new, old;
    if (act) {                  /* read first: a bad pointer faults (EFAULT) before the lock */
        rt_sigaction_from_arm(gmem(act), &new);
        new.mask &= ~UNBLOCKABLE;
    }
    pthread_mutex_lock(&rt->proc->act_lock);
    old = rt->proc->act[sig];
    if (act) {
        rt->proc->act[sig] = new;
        set_host_action(sig, new.handler);
    }
    pthread_mutex_unlock(&rt->proc->act_lock);
    if (act && new.handler == GSIG_IGN)
        rt->pending[sig] = 0;
    if (oact)
        rt_sigaction_to_arm(&old, gmem(oact));
    return 0;
}

int64_t rt_sys_rt_sigprocmask(struct rt_thread *rt, int how, uint32_t set, uint32_t oset,
                              uint32_t size)
{
    if (size != 8)
        return -EINVAL;
    uint64_t old = rt->sigmask;
    if (set) {
        uint64_t s;
        memcpy(&s, gmem(set), 8);
        switch (how) {
        case SIG_BLOCK: s |= old; break;
        case SIG_UNBLOCK: s = old & ~s; break;
        case SIG_SETMASK: break;
        default: return -EINVAL;
        }
        if (oset)
            memcpy(gmem(oset), &old, 8);    /* may fault (EFAULT) before anything changed */
        set_mask(rt, s);
    } else if (oset) {
        memcpy(gmem(oset), &old, 8);
    }
    return 0;
}

int64_t rt_sys_rt_sigpending(struct rt_thread *rt, uint32_t set, uint32_t size)
{
    if (size != 8)
        return -EINVAL;
    uint64_t p = 0;
    sigset_t h;                     /* blocked ones wait in the host kernel */
    sigpending(&h);
    for (int s = 1; s <= RT_NSIG; s++)
        if (rt->pending[s] || (host_sig(s) && sigismember(&h, rt_sig_to_host(s)) == 1))
            p |= SIGBIT(s);
    memcpy(gmem(set), &p, 8);
    return 0;
}

/* rt_sigqueueinfo (sigqueue): the ARM siginfo (_rt: pid@12, uid@16, sigval@20) becomes
   the x86-64 one (pid@16, uid@20, 8-byte sigval@24) before going to the host. */
static void siginfo_from_arm(const uint8_t *g, siginfo_t *h)
{
    memset(h, 0, sizeof(*h));
    h->si_signo = rt_sig_to_host((int)rt_get32(g, 0));
    h->si_errno = (int)rt_get32(g, 4);
    h->si_code = (int)rt_get32(g, 8);
    h->si_pid = (pid_t)rt_get32(g, 12);
    h->si_uid = (uid_t)rt_get32(g, 16);
    h->si_value.sival_ptr = (void *)(uintptr_t)rt_get32(g, 20);
}

int64_t rt_sys_rt_sigqueueinfo(struct rt_thread *rt, int pid, int tid, int sig, uint32_t uinfo)
{
    int hsig = rt_sig_to_host(sig);
    if (hsig < 0)
        return -EINVAL;
    if (!rt_mem_access(rt->proc, uinfo, RT_ARM_SIGINFO_SIZE, RT_PROT_R))
        return -EFAULT;
    siginfo_t h;
    siginfo_from_arm(gmem(uinfo), &h);
    long r = tid ? syscall(SYS_rt_tgsigqueueinfo, pid, tid, hsig, &h)
                 : syscall(SYS_rt_sigqueueinfo, pid, hsig, &h);
    return r < 0 ? -errno : r;
}

static bool on_altstack(const struct rt_thread *rt, uint32_t sp)
{
    return rt->altstack_size && sp - rt->altstack_sp < rt->altstack_size;
}

/* ARM stack_t: ss_sp, ss_flags, ss_size. */
int64_t rt_sys_sigaltstack(struct rt_thread *rt, uint32_t ss, uint32_t oss)
{
    uint32_t sp = rt->cpu->r[13];
    uint8_t old[12];
    rt_put32(old, 0, rt->altstack_sp);
    rt_put32(old, 4, rt->altstack_size ? (on_altstack(rt, sp) ? GSS_ONSTACK : 0) : GSS_DISABLE);
    rt_put32(old, 8, rt->altstack_size);
    if (ss) {
        const uint8_t *n = gmem(ss);
        int flags = (int)rt_get32(n, 4);
        if (on_altstack(rt, sp))
            return -EPERM;
        if (flags == GSS_DISABLE) {
            rt->altstack_sp = rt->altstack_size = 0;
        } else if (flags == 0 || flags == GSS_ONSTACK) {
            if (rt_get32(n, 8) < 2048)     /* ARM MINSIGSTKSZ */
                return -ENOMEM;
            rt->altstack_sp = rt_get32(n, 0);
            rt->altstack_size = rt_get32(n, 8);
        } else {
            return -EINVAL;
        }
    }
    if (oss)
        memcpy(gmem(oss), old, 12);
    return 0;
}

static int64_t do_sigreturn(struct rt_thread *rt, struct cpu *cpu, bool rt_frame)
{
    uint32_t frame = cpu->r[13];
    uint32_t uc = frame + (rt_frame ? RT_RTFRAME_UC : 0);
    if ((frame & 7) || !rt_mem_access(rt->proc, frame, (uint64_t)uc + RT_UC_SIZE - frame, RT_PROT_R)) {
        struct rt_siginfo si = { .signo = SIGSEGV, .code = 0x80 /* SI_KERNEL */ };
        rt_signal_sync(rt, cpu, &si);
        return 0;
    }
    uint64_t mask;
    rt_sigcontext_restore(cpu, &mask, gmem(uc));
    set_mask(rt, mask);
    return 0;
}

int64_t rt_sys_rt_sigreturn(struct rt_thread *rt, struct cpu *cpu) { return do_sigreturn(rt, cpu, true); }
int64_t rt_sys_sigreturn(struct rt_thread *rt, struct cpu *cpu) { return do_sigreturn(rt, cpu, false); }

/* ---------------- delivery ---------------- */

/* setup_frame / setup_rt_frame of arch/arm/kernel/signal.c. */
static void deliver(struct rt_thread *rt, struct cpu *cpu, const struct rt_siginfo *si)
{
    int sig = si->signo;
    struct rt_gsigaction *a = &rt->proc->act[sig];
    bool rtf = (a->flags & GSA_SIGINFO) != 0;
    uint32_t size = rtf ? RT_RTFRAME_SIZE : RT_UC_SIZE + 8;
    uint32_t sp = cpu->r[13];
    if ((a->flags & GSA_ONSTACK) && rt->altstack_size && !on_altstack(rt, sp))
        sp = rt->altstack_sp + rt->altstack_size;
    uint32_t frame = (sp - size) & ~7u;
    if (!rt_mem_access(rt->proc, frame, size, RT_PROT_W))
        rt_die_by_signal(SIGSEGV);          /* force_sigsegv: no room for the frame */
    uint8_t *f = gmem(frame);
    memset(f, 0, size);
    uint32_t uc = rtf ? RT_RTFRAME_UC : 0, ret = uc + RT_UC_SIZE;
    if (rtf) {
        rt_siginfo_to_arm(si, f);
        rt_put32(f, uc + RT_UC_STACK, rt->altstack_sp);
        rt_put32(f, uc + RT_UC_STACK + 4,
              rt->altstack_size ? (on_altstack(rt, cpu->r[13]) ? GSS_ONSTACK : 0) : GSS_DISABLE);
        rt_put32(f, uc + RT_UC_STACK + 8, rt->altstack_size);
    }
    /* After sigsuspend the frame holds the mask from before it (Linux's saved_sigmask). */
    rt_sigcontext_save(cpu, rt->restore_mask ? rt->saved_mask : rt->sigmask, f + uc);
    rt->restore_mask = false;
    rt_put32(f, uc + RT_SC_FAULT, si->addr);
    if (a->flags & GSA_RESTORER) {
        cpu->r[14] = a->restorer;
    } else {
        /* The frame keeps the retcode words as the kernel writes them (debuggers look
           for them), but lr points at the kuser page's copy: the stack is not executable. */
        rt_put32(f, ret, rtf ? 0xe3a070ad : 0xe3a07077);  /* mov r7, #173 / mov r7, #119 */
        rt_put32(f, ret + 4, 0xef000000);                  /* svc 0 */
        uint32_t tramp = RT_KUSER_PAGE + RT_KUSER_SIGRETURN + (rtf ? 8 : 0);
        if (a->handler & 1)
            tramp = RT_KUSER_PAGE + RT_KUSER_SIGRETURN + 16 + (rtf ? 4 : 0) + 1;
        cpu->r[14] = tramp;
    }
    cpu->r[0] = (uint32_t)sig;
    if (rtf) {
        cpu->r[1] = frame;
        cpu->r[2] = frame + uc;
    }
    cpu->r[13] = frame;
    cpu->r[15] = a->handler & ~1u;
    cpu->thumb = a->handler & 1;

    uint64_t m = rt->sigmask | a->mask;
    if (!(a->flags & GSA_NODEFER))
        m |= SIGBIT(sig);
    set_mask(rt, m);
    if (a->flags & GSA_RESETHAND) {
        a->handler = GSIG_DFL;
        a->flags &= ~GSA_SIGINFO;
        set_host_action(sig, GSIG_DFL);
    }
}

void rt_signal_sync(struct rt_thread *rt, struct cpu *cpu, const struct rt_siginfo *si)
{
    uint32_t h = rt->proc->act[si->signo].handler;
    /* force_sig_fault: an ignored or blocked synchronous signal kills. */
    if (h == GSIG_DFL || h == GSIG_IGN || (rt->sigmask & SIGBIT(si->signo)))
        rt_die_by_signal(si->signo);
    deliver(rt, cpu, si);
}

static void deliver_all(struct rt_thread *rt, struct cpu *cpu);

void rt_signal_deliver_pending(struct rt_thread *rt, struct cpu *cpu)
{
    cpu->interrupt = 0;             /* before looking: a later signal sets it again */
    if (rt->pending_any)
        deliver_all(rt, cpu);
    if (rt->restore_mask) {         /* sigsuspend woke, but no handler ran */
        rt->restore_mask = false;
        set_mask(rt, rt->saved_mask);
        if (rt->pending_any)        /* one that only the call's mask held back */
            deliver_all(rt, cpu);
    }
}

static void deliver_all(struct rt_thread *rt, struct cpu *cpu)
{
    rt->pending_any = 0;
    for (int s = 1; s <= RT_NSIG; s++) {
        if (!rt->pending[s])
            continue;
        if (rt->sigmask & SIGBIT(s)) {
            rt->pending_any = 1;            /* stays pending until unblocked */
            continue;
        }
        rt->pending[s] = 0;
        uint32_t h = rt->proc->act[s].handler;
        if (h == GSIG_IGN || (h == GSIG_DFL && default_ignored(s)))
            continue;
        if (h == GSIG_DFL)
            rt_die_by_signal(s);
        struct rt_siginfo si = rt->pinfo[s];   /* recorded by host_async */
        si.signo = s;
        deliver(rt, cpu, &si);
    }
}

/* The lowest pending signal that the guest does not block and whose handler would run, or 0. */
static int next_handled(const struct rt_thread *rt)
{
    for (int s = 1; s <= RT_NSIG; s++)
        if (rt->pending[s] && !(rt->sigmask & SIGBIT(s)) && rt->proc->act[s].handler > GSIG_IGN)
            return s;
    return 0;
}

bool rt_signal_deliverable(const struct rt_thread *rt)
{
    return rt->pending_any && next_handled(rt) != 0;
}

bool rt_signal_restart(const struct rt_thread *rt)
{
    int s = next_handled(rt);
    return s == 0 || (rt->proc->act[s].flags & GSA_RESTART);
}

/* ---------------- waiting for signals ---------------- */

/*
 * sigsuspend: waits with the guest mask set to m until a signal comes whose handler runs
 * (or that kills). Everything is blocked on the host while the recorded signals are looked
 * at, and the host's sigsuspend unblocks atomically, so none slips in between. Returns
 * -EINTR with m still the mask: the handlers run with it, and their frame restores the old
 * one (rt->saved_mask), as Linux's sigsuspend.
 */
static int64_t suspend(struct rt_thread *rt, uint64_t m)
{
    uint64_t old = rt->sigmask;
    sigset_t all, h;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    rt->sigmask = m & ~UNBLOCKABLE;
    host_set(rt->sigmask, &h);
    while (!next_handled(rt))
        sigsuspend(&h);
    set_mask(rt, rt->sigmask);
    rt->saved_mask = old;
    rt->restore_mask = true;
    return -EINTR;
}

/* pselect6, ppoll and epoll_pwait with a mask, interrupted: the handlers run with the
   call's mask, and the one from before comes back after them, as after sigsuspend
   (Linux's saved_sigmask). Without this a signal that only the call's mask let in would
   stay pending, blocked again, with the host's copy already taken. */
void rt_signal_temp_mask(struct rt_thread *rt, uint64_t m)
{
    rt->saved_mask = rt->sigmask;
    rt->restore_mask = true;
    set_mask(rt, m);
}

int64_t rt_sys_rt_sigsuspend(struct rt_thread *rt, uint32_t set, uint32_t size)
{
    if (size != 8)
        return -EINVAL;
    uint64_t m;
    memcpy(&m, gmem(set), 8);
    return suspend(rt, m);
}

int64_t rt_sys_pause(struct rt_thread *rt)
{
    return suspend(rt, rt->sigmask);
}

/*
 * rt_sigtimedwait: a signal of the set already recorded by a host handler is taken first;
 * else the host's own sigtimedwait, which takes blocked signals from the host kernel's
 * pending set (the guest blocks what it waits for, and the host mask is the guest's).
 */
int64_t rt_sys_rt_sigtimedwait(struct rt_thread *rt, uint32_t set, uint32_t info,
                               const struct timespec *timeout, uint32_t size)
{
    if (size != 8)
        return -EINVAL;
    uint64_t want;
    memcpy(&want, gmem(set), 8);
    want &= ~UNBLOCKABLE;
    struct rt_siginfo si = { 0 };
    for (int s = 1; s <= RT_NSIG && !si.signo; s++) {
        if ((want & SIGBIT(s)) && rt->pending[s]) {
            rt->pending[s] = 0;
            si = rt->pinfo[s];
            si.signo = s;
        }
    }
    if (!si.signo) {
        sigset_t h;
        siginfo_t hi;
        host_set(want, &h);
        int64_t r = RT_BLOCK(SYS_rt_sigtimedwait, &h, &hi, timeout, 8);
        if (r < 0)
            return r;
        si = rt_siginfo_from_host(&hi);
    }
    if (info)
        rt_siginfo_to_arm(&si, gmem(info));
    return si.signo;
}
