/*
 * The dispatcher: the AOT function at the guest pc when there is one (runtime/aot.h), else
 * the JIT, runs guest code until something needs the runtime, which handles it and loops.
 * The JIT asks for µIR through the translate hook (the ARM frontend, then the optimizer,
 * or another thread's copy: ir_share.c)
 * and stops at AOT function entries (the is_external hook), so every call that reaches
 * one runs the AOT code. In JIT-only mode the AOT table is empty.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <string.h>

#include "../lifter/arm/arm.h"
#include "../lifter/ir/xl_log.h"
#include "../lifter/jit/jit.h"
#include "aot.h"
#include "rt_internal.h"


struct dispatch {
    struct rt_thread *rt;
    struct arm_code src;
    unsigned tb_flags;
};

/* Guest code is read in place (guest address == host address) from executable regions. */
static const uint8_t *fetch(void *ctx, uint32_t addr, uint32_t *avail)
{
    struct rt_thread *rt = ctx;
    pthread_mutex_lock(&rt->proc->mem_lock);
    uint32_t n = rt_mem_code_avail(&rt->proc->mem, addr);
    pthread_mutex_unlock(&rt->proc->mem_lock);
    if (n == 0)
        return NULL;
    *avail = n;
    return (const uint8_t *)(uintptr_t)addr;
}

static bool translate(void *ctx, uint32_t pc, bool thumb, struct ir_block *out)
{
    struct dispatch *d = ctx;
    if (xl_log_enabled(XL_LOG_JIT))     /* in a translated program: what AOT code missed */
        xl_log("jit: translating 0x%08x %s", pc, thumb ? "thumb" : "arm");
    struct rt_process *p = d->rt->proc;
    bool share = __atomic_load_n(&p->threaded, __ATOMIC_ACQUIRE);
    uint64_t gen = __atomic_load_n(&p->code_gen, __ATOMIC_ACQUIRE);
    if (!share || !rt_ir_share_get(&p->ir_share, gen, pc, thumb, out)) {
        arm_translate_block(d->rt->fe, &d->src, pc, thumb, d->tb_flags, out);
        ir_optimize(out);
        if (share)
            rt_ir_share_put(&p->ir_share, gen, out);
    }
    rt_codeprot_add(p, out->guest_pc, out->guest_end);
    rt_module_count_jit(p, pc, out->n_insns);
    return true;
}

/* The shape of qemu-arm -d cpu,nochain (target/arm/cpu.c arm_cpu_dump_state, user mode). */
static void trace_block(void *ctx, struct cpu *cpu)
{
    (void)ctx;
    char buf[512];
    size_t o = 0;
    for (int i = 0; i < 16; i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "R%02d=%08x%c", i, cpu->r[i],
                              (i & 3) == 3 ? '\n' : ' ');
    uint32_t psr = rt_cpsr(cpu);
    snprintf(buf + o, sizeof(buf) - o, "PSR=%08x %c%c%c%c %c usr32\n", psr,
             psr & (1u << 31) ? 'N' : '-', psr & (1u << 30) ? 'Z' : '-',
             psr & (1u << 29) ? 'C' : '-', psr & (1u << 28) ? 'V' : '-',
             psr & (1u << 5) ? 'T' : 'A');
    fputs(buf, stderr);
}

void rt_handle_syscall(struct rt_thread *rt, struct cpu *cpu)
{
    rt_syscall(rt, cpu);
    if (rt->aot_unwind) {       /* the svc is done: its result is in cpu->r[0] */
        rt->aot_unwind = false;
        siglongjmp(rt->fault_jmp, RT_JMP_UNWIND);
    }
    if (!rt->exited)
        rt_signal_deliver_pending(rt, cpu);
}

/* Runs guest code from cpu->r[15] until it needs the runtime: the AOT function there (its
   exit reason, if any, comes from xl_aot_exit), else the JIT, which also stops before
   stop_key. The reason is consumed, so a nested run inside fn leaves none behind. */
static enum ir_exit run_guest(struct rt_thread *rt, struct cpu *cpu, uint32_t stop_key)
{
    xl_aot_fn *fn = xl_aot_lookup(cpu->r[15], cpu->thumb & 1);
    if (!fn)
        return jit_exec_until(rt->jit, cpu, stop_key);
    rt->aot_exit = IR_EXIT_LOOKUP;
    fn(cpu);
    enum ir_exit e = (enum ir_exit)rt->aot_exit;
    rt->aot_exit = IR_EXIT_LOOKUP;
    return e;
}

/* The nested run is done: its stop is reached, or the guest stack went above the frame
   it was started for (longjmp, an unwinder, a handler on another stack): returning is
   always safe (docs/aot.md), running on would only pile up host frames. */
static bool at_stop(const struct cpu *cpu, uint32_t stop_key, uint32_t frame_sp)
{
    return stop_key != JIT_NO_STOP &&
           ((cpu->r[15] | (cpu->thumb & 1)) == stop_key || cpu->r[13] > frame_sp);
}

void rt_run_until(struct rt_thread *rt, struct cpu *cpu, uint32_t stop_key, uint32_t frame_sp)
{
    while (!rt->exited && !at_stop(cpu, stop_key, frame_sp)) {
        rt_signal_deliver_pending(rt, cpu);
        rt_code_sync(rt);       /* after munmap, mprotect, cacheflush (any thread's) */
        enum ir_exit e = run_guest(rt, cpu, stop_key);
        struct rt_siginfo si = { .addr = cpu->exit_pc };
        switch (e) {
        case IR_EXIT_SYSCALL:
            rt_handle_syscall(rt, cpu);
            continue;
        case IR_EXIT_UNDEF:
            si.signo = SIGILL;
            si.code = 1;            /* ILL_ILLOPC */
            break;
        case IR_EXIT_BKPT:
            si.signo = SIGTRAP;
            si.code = 1;            /* TRAP_BRKPT */
            break;
        case IR_EXIT_FAULT:
            si.signo = SIGSEGV;
            si.code = 2;            /* SEGV_ACCERR: prefetch abort */
            break;
        case IR_EXIT_ALIGN:
            si.signo = SIGBUS;
            si.code = 1;            /* BUS_ADRALN */
            si.addr = cpu->excl_addr;
            cpu->excl_addr = ~0u;   /* as Linux's return from the exception clears it */
            break;
        case IR_EXIT_LOOKUP:
        case IR_EXIT_CHAIN:
        case IR_EXIT_INTERRUPT:     /* the loop's top delivers */
            continue;
        }
        cpu->r[15] = cpu->exit_pc;  /* the signal frame's pc is the trapping insn */
        rt_signal_sync(rt, cpu, &si);
    }
}

static void run_loop(struct rt_thread *rt, struct cpu *cpu)
{
    /* A host fault on a guest address that the guest handles lands here (signal.c), and
       so does the guest's exit from inside AOT code (aot.c), from any depth of nested
       runs: their host frames are dropped, and this loop goes on with struct cpu. */
    if (sigsetjmp(rt->fault_jmp, 1) == RT_JMP_FAULT) {
        struct rt_siginfo si = rt->fault;
        rt_signal_sync(rt, cpu, &si);
    }
    rt->in_guest = 1;
    rt->aot_exit = IR_EXIT_LOOKUP;
    rt_run_until(rt, cpu, JIT_NO_STOP, 0);
    rt->in_guest = 0;
}

static uint64_t *counter(void *ctx, uint32_t pc, bool thumb)
{
    struct dispatch *d = ctx;
    return rt_profile_counter(d->rt->proc, pc, thumb);
}

int rt_thread_setup(struct rt_thread *rt)
{
    struct dispatch *d = calloc(1, sizeof(*d));
    if (!d)
        return -1;
    const struct rt_options *opt = rt->proc->opt;
    d->rt = rt;
    d->src = (struct arm_code){ fetch, rt };
    d->tb_flags = opt && opt->singlestep ? ARM_TB_SINGLESTEP : 0;
    struct jit_hooks hooks = {
        .translate = translate, .ctx = d,
        .no_chain = opt && opt->trace,
        .before_block = opt && opt->trace ? trace_block : NULL,
        .is_external = rt_aot_is_entry,
        .counter = rt->proc->profile ? counter : NULL,
    };
    rt->dispatch = d;
    rt->code_gen = __atomic_load_n(&rt->proc->code_gen, __ATOMIC_ACQUIRE);
    rt->fe = arm_frontend_new();
    rt->jit = rt->fe ? jit_new(&hooks) : NULL;
    if (!rt->fe || !rt->jit) {
        fprintf(stderr, "xlate: error: cannot create the %s\n", rt->fe ? "JIT" : "ARM frontend");
        rt_thread_teardown(rt);
        return -1;
    }
    rt->cpu->rt = rt;
    return 0;
}

void rt_thread_teardown(struct rt_thread *rt)
{
    if (rt->jit)
        rt_jit_stats_add(&rt->proc->jit_ended, jit_stats(rt->jit));
    jit_free(rt->jit);
    rt->jit = NULL;
    arm_frontend_free(rt->fe);
    rt->fe = NULL;
    free(rt->dispatch);
    rt->dispatch = NULL;
}

void rt_thread_run(struct rt_thread *rt)
{
    run_loop(rt, rt->cpu);
}

int rt_dispatch(struct rt_thread *rt)
{
    if (rt_thread_setup(rt))
        return 127;
    run_loop(rt, rt->cpu);
    if (rt->thread_exit) {
        /* The first thread exited alone: the host's main thread goes (returning from main
           would end the process); the others run on, and the last one ends it. */
        rt_thread_teardown(rt);
        syscall(SYS_exit, 0);
    }
    rt_aot_print_stats(rt);
    rt_profile_write(rt->proc);
    rt_thread_teardown(rt);
    return rt->exit_status;
}
