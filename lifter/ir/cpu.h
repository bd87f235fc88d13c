/*
 * struct cpu: the guest ARM state. The µIR's globals (globals.def) are fields of it, and
 * translated code (JIT and AOT) reaches it through one pointer.
 */
#ifndef XL_CPU_H
#define XL_CPU_H

#include <stddef.h>
#include <stdint.h>

struct cpu {
    uint32_t r[16];         /* r15 is the pc of the next block to run (bit 0 clear) */
    uint32_t NF, ZF, CF, VF;/* QEMU's cheap flag form, see globals.def */
    uint32_t QF;
    uint32_t GE;
    uint32_t thumb;         /* CPSR.T: 1 in Thumb state */
    uint32_t fpscr;         /* FPSCR, including its NZCV */
    uint32_t excl_addr;     /* ldrex monitor: address, or ~0 when open */
    uint32_t tpidruro;      /* TLS register (mrc p15, 0, rX, c13, c0, 3) */
    uint64_t excl_val;      /* value seen by the last ldrex (ldrexd: both words) */
    uint64_t d[32];         /* VFP/NEON D registers; s[2n] is the low half of d[n] */

    uint32_t exit_pc;       /* guest pc of the insn that caused an exit (svc, undef) */
    /* Set by the runtime's signal handler when an asynchronous signal waits for this
       thread: translated code leaves at the next block (JIT) or loop head (AOT) so that
       the dispatcher delivers it. Cleared by the dispatcher before it delivers. */
    volatile uint32_t interrupt;

    /* Run-time bookkeeping: not guest state, never a µIR global. */
    void *rt;               /* the runtime's per-thread data */
    void *jit;              /* the JIT's per-thread data */
};

/* Why translated code returned to the dispatcher (exit_tb's argument, and more). */
enum ir_exit {
    IR_EXIT_LOOKUP = 0,     /* continue at cpu->r[15] / cpu->thumb */
    IR_EXIT_SYSCALL,        /* svc: pc already points after it, exit_pc at it */
    IR_EXIT_UNDEF,          /* undefined/unimplemented insn at exit_pc: guest SIGILL */
    IR_EXIT_BKPT,           /* bkpt / udf trap at exit_pc: guest SIGTRAP */
    IR_EXIT_FAULT,          /* no readable code at exit_pc (prefetch abort): guest SIGSEGV */
    IR_EXIT_CHAIN,          /* goto_tb whose slot is not linked yet (JIT-internal) */
    IR_EXIT_INTERRUPT,      /* cpu->interrupt was set: continue at cpu->r[15] after the
                               dispatcher has delivered the pending signals */
    IR_EXIT_ALIGN,          /* unaligned exclusive at exit_pc, its address in excl_addr:
                               guest SIGBUS (Linux fixes up no exclusive) */
};

#endif
