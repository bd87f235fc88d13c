/*
 * ARM EABI syscalls: r7 selects one, r0-r6 hold its arguments, r0 gets the result
 * (a negative errno on failure). The table is syscalls.def, syscalls_net.def and
 * syscalls_refused.def, one line per number (docs/syscalls.md): calls whose layouts agree
 * with x86-64 pass straight to the host (guest pointers are host pointers), the others
 * have a handler in sys_*.c that converts with the pure functions of conv*.c, and the
 * refused ones return the errno Linux gives for them, with one XLATE_LOG=unimp line.
 * This file is the table, the argument shapes, the numbers with no line, and
 * XLATE_LOG=syscall.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "../lifter/ir/xl_log.h"
#include "sys_internal.h"

/* ---------------- the table ---------------- */

struct sysent {
    uint32_t nr;
    const char *name;
    long host;          /* PASS: host syscall number; otherwise -1 */
    sys_fn fn;          /* CALL: the handler */
    int err;            /* REFUSE: the errno */
    const char *why;    /* REFUSE: the reason, for XLATE_LOG=unimp */
    const char *shape;
};

/* x86-64 numbers of calls newer than the host's headers (from 424 on, every architecture
   numbers new calls alike). */
#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_futex_wake
#define SYS_futex_wake 454
#endif
#ifndef SYS_futex_requeue
#define SYS_futex_requeue 456
#endif
#ifndef SYS_statmount
#define SYS_statmount 457
#endif
#ifndef SYS_listmount
#define SYS_listmount 458
#endif
#ifndef SYS_lsm_get_self_attr
#define SYS_lsm_get_self_attr 459
#endif
#ifndef SYS_lsm_set_self_attr
#define SYS_lsm_set_self_attr 460
#endif
#ifndef SYS_lsm_list_modules
#define SYS_lsm_list_modules 461
#endif
#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#endif
#ifndef SYS_getxattrat
#define SYS_getxattrat 464
#endif
#ifndef SYS_listxattrat
#define SYS_listxattrat 465
#endif
#ifndef SYS_removexattrat
#define SYS_removexattrat 466
#endif
#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif
#ifndef SYS_file_getattr
#define SYS_file_getattr 468
#endif
#ifndef SYS_file_setattr
#define SYS_file_setattr 469
#endif

/* Indexed by number: 0 .. SYS_NGENERIC-1, then the ARM-private calls from 0xf0000 on. A
   number out of range is a compile error, and so is one given twice (-Woverride-init). */
#define SYS_NGENERIC 470u
#define SYS_PRIVATE 0xf0000u
#define SYS_NPRIVATE 8u
#define SYS_SLOT(nr) ((nr) >= SYS_PRIVATE ? SYS_NGENERIC + (nr) - SYS_PRIVATE : (nr))

static const struct sysent systab[SYS_NGENERIC + SYS_NPRIVATE] = {
#define PASS(n) (n), NULL, 0, NULL
#define CALL(f) -1, (f), 0, NULL
#define SYS(nr, name, impl, shape) [SYS_SLOT(nr)] = { nr, #name, impl, shape },
#define REFUSE(nr, name, err, why) [SYS_SLOT(nr)] = { nr, #name, -1, NULL, err, why, "" },
#include "syscalls.def"
#include "syscalls_net.def"
#include "syscalls_refused.def"
#undef REFUSE
#undef SYS
#undef CALL
#undef PASS
};

static const struct sysent *lookup(uint32_t nr)
{
    uint32_t slot = nr >= SYS_PRIVATE ? SYS_NGENERIC + (nr - SYS_PRIVATE) : nr;
    if (slot >= sizeof(systab) / sizeof(systab[0]) || (nr < SYS_PRIVATE && nr >= SYS_NGENERIC))
        return NULL;
    return systab[slot].name ? &systab[slot] : NULL;
}

void sys_trap(struct rt_thread *rt, struct cpu *cpu, int sig, int code, uint32_t addr)
{
    struct rt_siginfo si = { .signo = sig, .code = code, .addr = addr };
    rt_signal_sync(rt, cpu, &si);
}

/* A number with no line. Below the ARM-private range it is Linux's sys_ni_syscall,
   ENOSYS. In it, as arch/arm/kernel/traps.c arm_syscall: 0xf0000 is the "branch through
   zero" trap (SIGSEGV at 0), 0xf0007..0xf07ff return ENOSYS so that programs can probe
   for them, and any other number is an illegal trap at the svc (SIGILL); arm_syscall
   leaves r0 = 0, bad_syscall (past the private range) leaves it as it was. */
static void unknown(struct rt_thread *rt, struct cpu *cpu, uint32_t nr)
{
    bool log = xl_log_enabled(XL_LOG_UNIMP);
    if (nr < SYS_PRIVATE || (nr > SYS_PRIVATE && nr < SYS_PRIVATE + 0x800)) {
        if (log)
            xl_log(nr < SYS_PRIVATE ? "unimplemented syscall %u at 0x%x"
                                    : "unimplemented syscall 0x%x at 0x%x", nr, cpu->exit_pc);
        cpu->r[0] = (uint32_t)-ENOSYS;
        return;
    }
    if (log)
        xl_log("bad syscall 0x%x at 0x%x: %s", nr, cpu->exit_pc,
               nr == SYS_PRIVATE ? "SIGSEGV" : "SIGILL");
    if (nr < SYS_PRIVATE + 0x10000)
        cpu->r[0] = 0;
    if (nr == SYS_PRIVATE)
        sys_trap(rt, cpu, SIGSEGV, SEGV_MAPERR, 0);
    else
        sys_trap(rt, cpu, SIGILL, ILL_ILLTRP, cpu->exit_pc);
}

/* Host argument from a guest register, by shape: ints sign-extend, the rest zero-extend. */
static long host_arg(char shape, uint32_t v)
{
    return shape == 'i' ? (long)(int32_t)v : (long)v;
}

static void log_arg(struct rt_thread *rt, char *buf, size_t n, char shape, uint32_t v)
{
    switch (shape) {
    case 'i': snprintf(buf, n, "%d", (int32_t)v); return;
    case 'u': snprintf(buf, n, "%u", v); return;
    case 'o': snprintf(buf, n, "0%o", v); return;
    case 's':
    case 'f': {
        pthread_mutex_lock(&rt->proc->mem_lock);
        const struct rt_region *r = rt_mem_find(&rt->proc->mem, v);
        size_t room = r && (r->prot & RT_PROT_R) ? (size_t)(r->end - v) : 0, k = 0, o = 0;
        pthread_mutex_unlock(&rt->proc->mem_lock);
        if (room == 0)
            break;
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

static void log_call(struct rt_thread *rt, const struct sysent *e, const uint32_t *a, int64_t r)
{
    char line[512], arg[128];
    size_t o = 0;
    if (__atomic_load_n(&rt->proc->threaded, __ATOMIC_RELAXED))
        o = (size_t)snprintf(line, sizeof(line), "[%d] ", rt->tid);
    o += (size_t)snprintf(line + o, sizeof(line) - o, "%s(", e->name);
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

/* Linux never restarts these after a handler ran, SA_RESTART or not (signal(7)). */
static bool never_restarted(uint32_t nr)
{
    switch (nr) {
    case 29: case 72: case 162: case 168: case 177: case 179: case 142: case 252:
    case 265: case 335: case 336: case 346: case 407: case 413: case 414: case 421:
    case 441:
        return true;    /* pause, sigsuspend, nanosleep, poll, sigtimedwait, rt_sigsuspend,
                           select, epoll_wait, clock_nanosleep, pselect6, ppoll,
                           epoll_pwait, their time64 forms, epoll_pwait2 */
    case 298: case 301: case 302: case 312: case 420:
        return true;    /* semop, msgsnd, msgrcv, semtimedop (and its time64 form): EINTR
                           even without a handler */
    }
    return false;
}

/* A socket call with a timeout is never restarted either (socket(7)): input calls when
   SO_RCVTIMEO is set on the socket, output calls when SO_SNDTIMEO is. (recvmmsg's own
   timeout does not count: Linux restarts it, whatever signal(7) says; qemu-arm shows the
   host kernel doing so.) */
static bool timed_socket_call(uint32_t nr, const uint32_t *a)
{
    int opt;
    switch (nr) {
    case 285: case 291: case 292: case 297: case 365: case 366: case 417:
        /* accept, recv, recvfrom, recvmsg, recvmmsg, accept4, recvmmsg_time64 */
        opt = SO_RCVTIMEO;
        break;
    case 283: case 289: case 290: case 296: case 374:   /* connect, send, sendto, sendmsg,
                                                           sendmmsg */
        opt = SO_SNDTIMEO;
        break;
    default:
        return false;
    }
    struct timeval tv = { 0, 0 };
    socklen_t len = sizeof tv;
    return getsockopt((int)a[0], SOL_SOCKET, opt, &tv, &len) == 0 &&
           (tv.tv_sec != 0 || tv.tv_usec != 0);
}

/* The call itself. A host fault on a guest address inside it (a bad pointer that a handler
   read or wrote) comes back here through syscall_jmp as EFAULT (signal.c host_fault). */
static int64_t call(struct rt_thread *rt, struct cpu *cpu, const struct sysent *e, const uint32_t *a)
{
    if (sigsetjmp(rt->syscall_jmp, 0)) {
        rt->in_syscall = 0;
        return -EFAULT;
    }
    rt->in_syscall = 1;
    int64_t r;
    if (e->fn) {
        r = e->fn(rt, cpu, a);
    } else {
        long h[6] = { 0 };
        char path[PATH_MAX];            /* no PASS call looks up two files */
        for (int i = 0; e->shape[i] && i < 6; i++)
            h[i] = e->shape[i] == 'f' ? (long)rt_path(rt->proc, gp(a[i]), path, sizeof path)
                                      : host_arg(e->shape[i], a[i]);
        r = rt_block(e->host, h[0], h[1], h[2], h[3], h[4], h[5]);
    }
    rt->in_syscall = 0;
    return r;
}

void rt_syscall(struct rt_thread *rt, struct cpu *cpu)
{
    /* A signal that came before the svc: its handler runs first and the svc after it, as
       Linux delivers on the way back to user mode. One that comes from here on interrupts
       the call (rt_safe_syscall), so it cannot be taken while the call goes on to wait. */
    cpu->interrupt = 0;
    if (rt_signal_deliverable(rt)) {
        cpu->r[15] = cpu->exit_pc;
        return;
    }
    uint32_t nr = cpu->r[7];
    const uint32_t a[7] = { cpu->r[0], cpu->r[1], cpu->r[2], cpu->r[3],
                            cpu->r[4], cpu->r[5], cpu->r[6] };
    const struct sysent *e = lookup(nr);
    if (!e) {
        unknown(rt, cpu, nr);
        return;
    }
    bool log = xl_log_enabled(XL_LOG_SYSCALL);
    if (e->why) {       /* refused: never run, never restarted */
        if (xl_log_enabled(XL_LOG_UNIMP))
            xl_log("refused syscall %u %s at 0x%x: %s, %s", nr, e->name, cpu->exit_pc,
                   strerrorname_np(e->err), e->why);
        cpu->r[0] = (uint32_t)-e->err;
        if (log)
            log_call(rt, e, a, -e->err);
        return;
    }
    /* The host kernel's stores for the guest do not fault (they fail): a PASS call stores
       only through its pointer arguments. */
    if (e->fn || strchr(e->shape, 'p'))
        rt_codeprot_release_all(rt->proc);
    bool exits = e->fn == sys_exit || e->fn == sys_exit_group;
    if (log && exits)
        log_call(rt, e, a, NORET);
    int64_t r = call(rt, cpu, e, a);
    if (r != NORET)
        cpu->r[0] = (uint32_t)r;
    if (log && !exits)
        log_call(rt, e, a, r);
    /* Interrupted: after the handlers, the svc runs again with its arguments (ERESTARTSYS). */
    if (r == -EINTR && !never_restarted(nr) && !timed_socket_call(nr, a) &&
        rt_signal_restart(rt)) {
        cpu->r[0] = a[0];
        cpu->r[15] = cpu->exit_pc;
    }
}
