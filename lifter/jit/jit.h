/*
 * The JIT backend: µIR blocks compiled to x86-64 in an executable code cache, with direct
 * block chaining and a jump cache for indirect branches.
 */
#ifndef XL_JIT_H
#define XL_JIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../ir/cpu.h"
#include "../ir/ir.h"

struct jit;

/* How the JIT gets the µIR of a guest block it has not seen: filled by the caller, which
   runs the frontend and the optimizer. Returns false only on an internal failure. */
struct jit_hooks {
    bool (*translate)(void *ctx, uint32_t pc, bool thumb, struct ir_block *out);
    void *ctx;
    bool no_chain;      /* every block returns to jit_exec (tracing) */
    /* Called before each block runs when no_chain is set (tracing); may be NULL. */
    void (*before_block)(void *ctx, struct cpu *cpu);
    /* True when (pc, thumb) is run by someone else (an AOT function entry): the JIT never
       translates, links or jump-caches it; jit_exec returns IR_EXIT_LOOKUP with cpu->r[15]
       there instead. Asked only for blocks not in the cache. May be NULL. */
    bool (*is_external)(void *ctx, uint32_t pc, bool thumb);
    /* Profiling (`xlate run --profile`): the counter of (pc, thumb)'s executions, which
       every translation of that block increments when it starts (not atomically: threads
       may lose counts). Asked once per translation; NULL (or no hook): no counting. */
    uint64_t *(*counter)(void *ctx, uint32_t pc, bool thumb);
};

struct jit_stats {
    uint64_t blocks, guest_insns, code_bytes, translate_ns;
    uint64_t exits;         /* returns from translated code to jit_exec's loop */
    uint64_t links;         /* goto_tb jumps patched to chain two blocks */
    uint64_t flushes;       /* whole-cache flushes (full cache, a stop linked into) */
    uint64_t dropped;       /* blocks dropped by jit_invalidate (guest code changed) */
};

struct jit *jit_new(const struct jit_hooks *hooks);
void jit_free(struct jit *j);

/*
 * Runs guest code from cpu->r[15] / cpu->thumb until something needs the runtime
 * (a syscall, an undefined insn, a fault, or a target that is_external claims:
 * IR_EXIT_LOOKUP), and returns why. Blocks are translated on
 * first use. cpu->exit_pc tells the guest pc of the insn that exited.
 */
enum ir_exit jit_exec(struct jit *j, struct cpu *cpu);

/* No stop: jit_exec_until(j, cpu, JIT_NO_STOP) is jit_exec (0xffffffff is no pc | thumb). */
#define JIT_NO_STOP 0xffffffffu

/*
 * jit_exec that also returns IR_EXIT_LOOKUP as soon as the next block to run has key
 * (pc | thumb) == stop_key, before running it (the runtime's nested runs, docs/aot.md).
 * Neither a chained jump nor a jump-cache hit runs past it: the stop's jump-cache entry is
 * dropped on entry and never filled during the call, and no goto_tb is ever linked to a
 * key that has once been a stop (if one was linked before, the cache is flushed the first
 * time it becomes a stop). The JIT is never re-entered while it runs (nested runs happen
 * after it has returned), so the stop is only the current call's: nothing to restore.
 */
enum ir_exit jit_exec_until(struct jit *j, struct cpu *cpu, uint32_t stop_key);

/* Drops every translation of guest code in [start, end) (cacheflush, self-modifying code). */
void jit_invalidate(struct jit *j, uint32_t start, uint32_t end);

const struct jit_stats *jit_stats(const struct jit *j);

/* Compiles one block and returns its host code (for tests and dumps). NULL if the cache is
   full. *size receives the host code size. */
void *jit_compile(struct jit *j, struct ir_block *b, size_t *size);

/* Finds the guest insn that host code address `host_pc` (inside a compiled block) belongs
   to, for turning a host fault into a guest signal. False when it is not JIT code. Guest
   registers cached in host registers at that point are not recovered. */
bool jit_guest_pc(const struct jit *j, const void *host_pc, uint32_t *guest_pc);

/* Writes a disassembly of host code (for dumps). Returns 0, or -1 without capstone. */
int jit_print_code(FILE *f, const void *code, size_t size);

#endif
