/*
 * Guest threads (docs/threads.md). clone with CLONE_VM | CLONE_THREAD makes a host pthread
 * that runs a dispatcher loop of its own on a copy of the caller's struct cpu; the guest's
 * memory, fds and signal actions are the process's and so already shared. The host tid is
 * the guest tid, so gettid, tgkill and PI futexes pass straight through.
 *
 * A thread's exit (exit, not exit_group) clears and wakes its clear_child_tid word and marks
 * the robust futexes it still holds, as the kernel does, then leaves its loop; the last one
 * to go ends the process. exit_group from a process that ever had a second thread ends the
 * host process at once (the kernel kills the other threads wherever they are).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lifter/ir/xl_log.h"
#include "rt_internal.h"

/* Host stack of a guest thread: nested AOT runs and the JIT's frames (about 4 KiB each). */
#define THREAD_HOST_STACK (8u << 20)

/* What the creating thread hands to the new one; it waits until `state` is set. */
struct start {
    struct rt_thread *t;
    uint32_t flags, ptid, ctid;
    int state;                  /* 0 waiting, then the tid or -errno */
};

static void futex_wake(void *addr, int n)
{
    syscall(SYS_futex, addr, FUTEX_WAKE, n, NULL, NULL, 0);
}

static void put_guest32(uint32_t addr, uint32_t v)
{
    __atomic_store_n((uint32_t *)(uintptr_t)addr, v, __ATOMIC_SEQ_CST);
}

static void start_done(struct start *s, int state)
{
    __atomic_store_n(&s->state, state, __ATOMIC_RELEASE);
    futex_wake(&s->state, 1);
}

static void free_thread(struct rt_thread *t)
{
    free(t->cpu);
    free(t);
}

static void *thread_main(void *arg)
{
    struct start *s = arg;
    struct rt_thread *t = s->t;
    uint32_t flags = s->flags;
    t->tid = (int)gettid();
    /* Before the parent goes on, as the kernel's copy_process: both tid words hold the tid. */
    if (flags & CLONE_PARENT_SETTID)
        put_guest32(s->ptid, (uint32_t)t->tid);
    if (flags & CLONE_CHILD_SETTID)
        put_guest32(s->ctid, (uint32_t)t->tid);
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_child_tid = s->ctid;
    if (rt_thread_setup(t)) {
        start_done(s, -ENOMEM);         /* s is the parent's: not touched after this */
        free_thread(t);
        return NULL;
    }
    start_done(s, t->tid);
    rt_signals_thread_start(t);         /* the guest mask, inherited from the parent */
    rt_thread_run(t);
    rt_thread_teardown(t);
    free_thread(t);
    return NULL;
}

int64_t rt_clone_thread(struct rt_thread *rt, struct cpu *cpu, uint32_t flags, uint32_t newsp,
                        uint32_t ptid, uint32_t tls, uint32_t ctid)
{
    const uint32_t need = CLONE_VM | CLONE_THREAD | CLONE_SIGHAND;
    const uint32_t known = need | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_SETTLS |
                           CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
                           CLONE_DETACHED | CLONE_IO;
    if ((flags & need) != need || (flags & ~known & ~0xffu)) {
        /* A thread shares the fd table and cwd by being a host thread; CLONE_VM alone (an
           address space shared by two processes) has no host form here. */
        if (xl_log_enabled(XL_LOG_UNIMP))
            xl_log("unimplemented clone flags 0x%x at 0x%x", flags, cpu->exit_pc);
        return -EINVAL;
    }
    struct rt_thread *t = calloc(1, sizeof(*t));
    struct cpu *c = aligned_alloc(64, (sizeof(*c) + 63) & ~(size_t)63);
    if (!t || !c) {
        free(t);
        free(c);
        return -ENOMEM;
    }
    *c = *cpu;                          /* pc is past the svc already */
    c->r[0] = 0;
    if (newsp)
        c->r[13] = newsp;
    if (flags & CLONE_SETTLS)
        c->tpidruro = tls;
    c->excl_addr = ~0u;
    c->rt = t;
    c->jit = NULL;
    t->proc = rt->proc;
    t->cpu = c;
    t->sigmask = rt->sigmask;           /* a new thread inherits the mask, not the altstack */

    struct start s = { .t = t, .flags = flags, .ptid = ptid, .ctid = ctid };
    __atomic_add_fetch(&rt->proc->nthreads, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&rt->proc->threaded, true, __ATOMIC_SEQ_CST);
    /* The host thread starts with every signal blocked: its handlers need rt_self, which
       it sets before it takes the guest's mask. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_HOST_STACK);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t h;
    int e = pthread_create(&h, &attr, thread_main, &s);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e) {
        __atomic_sub_fetch(&rt->proc->nthreads, 1, __ATOMIC_SEQ_CST);
        free_thread(t);
        return -EAGAIN;
    }
    int st;
    while ((st = __atomic_load_n(&s.state, __ATOMIC_ACQUIRE)) == 0)
        syscall(SYS_futex, &s.state, FUTEX_WAIT, 0, NULL, NULL, 0);
    if (st < 0)
        __atomic_sub_fetch(&rt->proc->nthreads, 1, __ATOMIC_SEQ_CST);
    return st;
}

/* ---------------- robust futexes ---------------- */

/* The ARM struct robust_list_head: {next, futex_offset, list_op_pending}. Entries point at
   each other (bit 0 marks a PI lock); each lock's futex word is at entry + futex_offset. */
#define ROBUST_LIMIT 2048           /* the kernel's ROBUST_LIST_LIMIT */

void rt_robust_walk(uint32_t head, uint32_t (*rd)(void *ctx, uint32_t addr, bool *ok),
                    void (*mark)(void *ctx, uint32_t uaddr), void *ctx)
{
    bool ok = true;
    uint32_t entry = rd(ctx, head, &ok) & ~1u;
    int32_t off = (int32_t)rd(ctx, head + 4, &ok);
    uint32_t pending = rd(ctx, head + 8, &ok) & ~1u;
    for (int n = 0; ok && entry != head && n < ROBUST_LIMIT; n++) {
        uint32_t next = rd(ctx, entry, &ok) & ~1u;
        if (entry != pending)
            mark(ctx, entry + (uint32_t)off);
        entry = next;
    }
    if (ok && pending)
        mark(ctx, pending + (uint32_t)off);
}

static uint32_t robust_read(void *ctx, uint32_t addr, bool *ok)
{
    struct rt_thread *t = ctx;
    if (!*ok || !rt_mem_access(t->proc, addr, 4, RT_PROT_R)) {
        *ok = false;
        return 0;
    }
    return __atomic_load_n((uint32_t *)(uintptr_t)addr, __ATOMIC_SEQ_CST);
}

/* handle_futex_death: a lock word that names the dead thread gets FUTEX_OWNER_DIED, and a
   waiter is woken to take it over. */
static void robust_mark(void *ctx, uint32_t uaddr)
{
    struct rt_thread *t = ctx;
    if ((uaddr & 3) || !rt_mem_access(t->proc, uaddr, 4, RT_PROT_R | RT_PROT_W))
        return;
    uint32_t *w = (uint32_t *)(uintptr_t)uaddr;
    uint32_t v = __atomic_load_n(w, __ATOMIC_SEQ_CST);
    while ((v & FUTEX_TID_MASK) == (uint32_t)t->tid) {
        uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (__atomic_compare_exchange_n(w, &v, nv, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            if (v & FUTEX_WAITERS)
                futex_wake(w, 1);
            break;
        }
    }
}

/* ---------------- exits ---------------- */

/* mm_release: what the kernel does for a thread that goes away. */
static void release(struct rt_thread *rt)
{
    if (rt->robust_list)
        rt_robust_walk(rt->robust_list, robust_read, robust_mark, rt);
    uint32_t ct = rt->clear_child_tid;
    if (ct && !(ct & 3) && rt_mem_access(rt->proc, ct, 4, RT_PROT_W)) {
        put_guest32(ct, 0);
        futex_wake((void *)(uintptr_t)ct, 1);
    }
}

void rt_exit_group(struct rt_thread *rt, int status)
{
    rt->exited = true;
    rt->exit_status = status;
    if (!__atomic_load_n(&rt->proc->threaded, __ATOMIC_SEQ_CST))
        return;         /* the dispatcher returns, and so does rt_run, with the status */
    rt_aot_print_stats(rt);
    rt_profile_write(rt->proc);
    syscall(SYS_exit_group, status);
    __builtin_unreachable();
}

void rt_exit_thread(struct rt_thread *rt, int status)
{
    if (__atomic_sub_fetch(&rt->proc->nthreads, 1, __ATOMIC_SEQ_CST) == 0) {
        rt_exit_group(rt, status);      /* the last thread: the process ends */
        return;
    }
    release(rt);
    rt->exited = true;
    rt->exit_status = status;
    rt->thread_exit = true;             /* its loop returns; the process goes on */
}

void rt_threads_forked(struct rt_thread *rt)
{
    rt_profile_forked(rt->proc);
    __atomic_store_n(&rt->proc->nthreads, 1, __ATOMIC_SEQ_CST);
    rt->tid = (int)gettid();
}
