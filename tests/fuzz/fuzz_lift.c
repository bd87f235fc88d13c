/*
 * libFuzzer: the ARM frontend and the µIR optimizer on arbitrary guest code.
 *
 * Input: byte 0 picks the mode (bit 0 Thumb, bit 1 ARM_TB_SINGLESTEP, bits 7:2 seed the
 * scratch cpu state); the rest is guest code at FUZZ_BASE. Every block that starts at a
 * straight-line address in the buffer (each block's guest_end, or the next insn slot when a
 * block covers nothing) is translated with arm_translate_block and must pass ir_verify
 * before and after ir_optimize.
 *
 * Translating the same block twice must give the same µIR. Blocks with no guest memory op
 * are also run with ir_interp_block twice, unoptimised and optimised, from the same cpu
 * state: exit reason, next block and every guest register (FPSCR with its cumulative flags
 * included) must agree. Blocks with a memory op (IR_F_MEM) are only
 * translated: the interpreter dereferences guest addresses as host addresses, and ASan's
 * shadow memory rules out mapping the low 4 GiB for them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifter/arm/arm.h"
#include "lifter/helpers/helpers.h"
#include "lifter/ir/cpu.h"
#include "lifter/ir/ir.h"

#define FUZZ_BASE 0x10000u

struct code {
    const uint8_t *p;
    uint32_t n;
};

static const uint8_t *fetch(void *ctx, uint32_t addr, uint32_t *avail)
{
    const struct code *c = ctx;
    if (addr < FUZZ_BASE || addr - FUZZ_BASE >= c->n)
        return NULL;
    *avail = c->n - (addr - FUZZ_BASE);
    return c->p + (addr - FUZZ_BASE);
}

/* Stops the fuzzer with the offending block: libFuzzer saves the input. */
static void fail(const char *what, const char *msg, uint32_t where, const struct ir_block *b)
{
    fprintf(stderr, "fuzz_lift: %s at %#x (op %u): %s\n", what, b->guest_pc, where, msg);
    ir_print_block(stderr, b);
    abort();
}

static void verify(const char *what, const struct ir_block *b)
{
    uint32_t where = 0;
    const char *msg = ir_verify(b, &where);
    if (msg)
        fail(what, msg, where, b);
}

static bool has_mem_op(const struct ir_block *b)
{
    for (uint32_t i = 0; i < b->n_ops; i++)
        if (ir_op_info[b->ops[i].opc].flags & IR_F_MEM)
            return true;
    return false;
}

/* Field by field: struct ir_op has padding. */
static bool same_block(const struct ir_block *x, const struct ir_block *y)
{
    if (x->n_ops != y->n_ops || x->n_temps != y->n_temps || x->guest_end != y->guest_end)
        return false;
    for (uint32_t i = 0; i < x->n_ops; i++) {
        const struct ir_op *a = &x->ops[i], *b = &y->ops[i];
        if (a->opc != b->opc || a->nout != b->nout || a->nin != b->nin ||
            a->nconst != b->nconst || a->guest_pc != b->guest_pc ||
            memcmp(a->args, b->args, (a->nout + a->nin + a->nconst) * sizeof a->args[0]) != 0)
            return false;
    }
    return true;
}

/* A cpu state that respects the globals' invariants (globals.def): CF and QF 0 or 1, GE
   4 bits, the Thumb bit of the block; everything else from a small xorshift stream. */
static void cpu_init(struct cpu *cpu, uint64_t seed, uint32_t pc, bool thumb)
{
    memset(cpu, 0, sizeof *cpu);
    uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
    uint32_t *w = (uint32_t *)cpu;
    size_t nwords = offsetof(struct cpu, exit_pc) / sizeof(uint32_t);
    for (size_t i = 0; i < nwords; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* Small values too, so compares and shifts see their edge cases. */
        w[i] = (x >> 60) < 4 ? (uint32_t)(x >> 62) : (uint32_t)(x >> 16);
    }
    cpu->r[15] = pc;
    cpu->CF &= 1;
    cpu->QF &= 1;
    cpu->GE &= 0xf;
    cpu->thumb = thumb;
    cpu->fpscr &= 0x03c00000;       /* AHP/DN/FZ/RMode: no stale cumulative flags */
    cpu->excl_addr = ~0u;
    cpu->exit_pc = 0;
}

static void run(const struct ir_block *b, struct cpu *cpu, enum ir_exit *exit, uint32_t *key)
{
    xl_fpscr_set(cpu, cpu->fpscr);
    *exit = ir_interp_block(b, cpu, key);
    cpu->fpscr = xl_fpscr_get(cpu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct arm_frontend *fe;
    if (size < 1 || size > 0x10000)
        return 0;
    if (!fe)
        fe = arm_frontend_new();      /* lives as long as the process */
    bool thumb = data[0] & 1;
    unsigned flags = (data[0] & 2) ? ARM_TB_SINGLESTEP : 0;
    struct code c = { data + 1, (uint32_t)(size - 1) };
    struct arm_code src = { fetch, &c };
    uint32_t step = thumb ? 2 : 4, end = FUZZ_BASE + c.n;

    for (uint32_t pc = FUZZ_BASE; pc < end; ) {
        struct ir_block raw, opt;
        arm_translate_block(fe, &src, pc, thumb, flags, &raw);
        verify("ir_verify after arm_translate_block", &raw);
        /* A second translation to optimise: it must be the same block (a frontend that
           remembers earlier blocks, e.g. capstone's IT state, translates differently). */
        arm_translate_block(fe, &src, pc, thumb, flags, &opt);
        if (!same_block(&raw, &opt)) {
            ir_print_block(stderr, &raw);
            fail("arm_translate_block is not deterministic", "second translation differs",
                 0, &opt);
        }
        ir_optimize(&opt);
        verify("ir_verify after ir_optimize", &opt);

        if (!has_mem_op(&raw)) {
            struct cpu a, o;
            enum ir_exit ea, eo;
            uint32_t ka, ko;
            cpu_init(&a, (uint64_t)data[0] >> 2 ^ pc, pc, thumb);
            o = a;
            run(&raw, &a, &ea, &ka);
            run(&opt, &o, &eo, &ko);
            if (ea != eo || ka != ko || memcmp(&a, &o, offsetof(struct cpu, rt)) != 0) {
                fprintf(stderr, "fuzz_lift: exit %d/%d key %#x/%#x\n", ea, eo, ka, ko);
                for (size_t i = 0; i < offsetof(struct cpu, rt) / 4; i++)
                    if (((uint32_t *)&a)[i] != ((uint32_t *)&o)[i])
                        fprintf(stderr, "  word %zu: %#x unoptimised, %#x optimised\n", i,
                                ((uint32_t *)&a)[i], ((uint32_t *)&o)[i]);
                ir_print_block(stderr, &raw);
                fail("ir_optimize changed the result", "interp mismatch", 0, &opt);
            }
        }
        /* Straight-line: the next block starts where this one ended. */
        uint32_t next = raw.guest_end > pc ? raw.guest_end : pc + step;
        ir_block_free(&raw);
        ir_block_free(&opt);
        pc = next;
    }
    return 0;
}
