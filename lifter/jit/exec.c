/*
 * jit_exec: the dispatcher loop. Blocks run until they need the runtime or the JIT:
 * an unlinked goto_tb (IR_EXIT_CHAIN: translate the target, patch the jump, go on), a
 * jump-cache miss (IR_EXIT_LOOKUP: translate, fill the entry, go on), or a reason for the
 * runtime (syscall, undef, bkpt, fault), which is returned.
 */
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jit_int.h"
#include "../ir/xl_assert.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Host features; XLATE_JIT_BASELINE=1 forces the plain x86-64 paths (tests use it). */
static void detect_host(struct jit *j)
{
    unsigned a, b, c, d;
    const char *base = getenv("XLATE_JIT_BASELINE");
    if (base && *base == '1')
        return;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d))
        j->has_lzcnt = (c >> 5) & 1;                /* ABM */
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        j->has_bmi2 = (b >> 8) & 1;
    }
}

struct jit *jit_new(const struct jit_hooks *hooks)
{
    struct jit *j = calloc(1, sizeof(*j));
    if (!j)
        return NULL;
    j->hooks = *hooks;
    detect_host(j);
    if (!jit_cache_init(j)) {
        free(j);
        return NULL;
    }
    return j;
}

void jit_free(struct jit *j)
{
    if (!j)
        return;
    jit_cache_fini(j);
    jit_cg_free(j->cg);
    free(j);
}

/* Compiles b into the cache, flushing it once when full. */
static struct jit_tb *compile(struct jit *j, struct ir_block *b)
{
    struct jit_tb *tb = jit_codegen(j, b);
    if (!tb) {
        jit_flush(j);
        tb = jit_codegen(j, b);
        if (!tb)
            return NULL;                /* one block larger than the whole cache */
    }
    jit_insert(j, tb);
    j->stats.blocks++;
    j->stats.guest_insns += b->n_insns;
    j->stats.code_bytes += tb->code_size;
    return tb;
}

void *jit_compile(struct jit *j, struct ir_block *b, size_t *size)
{
    struct jit_tb *tb = jit_codegen(j, b);
    if (!tb)
        return NULL;
    jit_insert(j, tb);
    j->stats.blocks++;
    j->stats.guest_insns += b->n_insns;
    j->stats.code_bytes += tb->code_size;
    if (size)
        *size = tb->code_size;
    return tb->code;
}

/* Not in the cache and run by someone else (an AOT function): never translated here. */
static bool external(const struct jit *j, uint32_t pc, bool thumb)
{
    return j->hooks.is_external && j->hooks.is_external(j->hooks.ctx, pc, thumb);
}

/* The block at (pc, thumb), translated on first use; NULL when it cannot be translated
   or when it is external (*ext set). */
static struct jit_tb *get_tb(struct jit *j, uint32_t pc, bool thumb, bool *ext)
{
    struct jit_tb *tb = jit_lookup(j, pc, thumb);
    *ext = false;
    if (tb)
        return tb;
    if (external(j, pc, thumb)) {
        *ext = true;
        return NULL;
    }
    uint64_t t0 = now_ns();
    struct ir_block b;
    memset(&b, 0, sizeof(b));
    if (j->hooks.translate(j->hooks.ctx, pc, thumb, &b)) {
#ifndef NDEBUG
        uint32_t where = 0;
        const char *err = ir_verify(&b, &where);
        xl_assert(err == NULL);
#endif
        b.guest_pc = pc;                /* the key the block is found by */
        b.thumb = thumb;
        tb = compile(j, &b);
    }
    ir_block_free(&b);
    j->stats.translate_ns += now_ns() - t0;
    return tb;
}

enum ir_exit jit_exec(struct jit *j, struct cpu *cpu)
{
    return jit_exec_until(j, cpu, JIT_NO_STOP);
}

enum ir_exit jit_exec_until(struct jit *j, struct cpu *cpu, uint32_t stop_key)
{
    cpu->jit = j;
    jit_set_stop(j, stop_key);
    for (;;) {
        uint32_t pc = cpu->r[15];
        bool thumb = cpu->thumb & 1, ext;
        if ((pc | thumb) == stop_key)
            return IR_EXIT_LOOKUP;      /* back to the runtime's nested run */
        struct jit_tb *tb = get_tb(j, pc, thumb, &ext);
        if (ext)
            return IR_EXIT_LOOKUP;
        if (!tb) {
            cpu->exit_pc = pc;
            return IR_EXIT_FAULT;
        }
        if (j->hooks.no_chain && j->hooks.before_block)
            j->hooks.before_block(j->hooks.ctx, cpu);
        struct jit_ret ret = j->enter(cpu, tb->code);
        j->stats.exits++;
        enum ir_exit reason = (enum ir_exit)(ret.reason & 0xff);
        switch (reason) {
        case IR_EXIT_CHAIN: {
            if (j->hooks.no_chain)
                break;
            /* Translate the target now, then link, unless a flush dropped `from`. */
            uint64_t gen = j->generation;
            unsigned slot = (unsigned)(ret.reason >> 8) & 0xff;
            if ((cpu->r[15] | (cpu->thumb & 1)) == stop_key)
                break;                      /* never linked: the loop stops there */
            struct jit_tb *to = get_tb(j, cpu->r[15], cpu->thumb & 1, &ext);
            if (ext)
                return IR_EXIT_LOOKUP;      /* never linked: the slot keeps exiting here */
            /* Link only what goto_tb promised (pc | thumb), and only if `from` survived. */
            if (to && gen == j->generation &&
                ret.tb->target[slot] == (cpu->r[15] | (cpu->thumb & 1)) &&
                jit_may_link(j, ret.tb->target[slot]))
            {
                jit_link(j, ret.tb, slot, to);
                j->stats.links++;
            }
            break;
        }
        case IR_EXIT_LOOKUP:
            if (!j->hooks.no_chain && (cpu->r[15] | (cpu->thumb & 1)) != stop_key) {
                struct jit_tb *to = get_tb(j, cpu->r[15], cpu->thumb & 1, &ext);
                if (ext)
                    return IR_EXIT_LOOKUP;  /* never in the jump cache either */
                if (to) {
                    uint32_t key = cpu->r[15] | (cpu->thumb & 1);
                    j->jc[jit_jc_index(key)] = (struct jit_jc_entry){ .key = key,
                                                                      .code = to->code };
                }
            }
            break;
        case IR_EXIT_INTERRUPT:
        case IR_EXIT_SYSCALL:
        case IR_EXIT_UNDEF:
        case IR_EXIT_BKPT:
        case IR_EXIT_FAULT:
        case IR_EXIT_ALIGN:
            return reason;
        }
    }
}

void jit_invalidate(struct jit *j, uint32_t start, uint32_t end)
{
    /* Only the blocks with code in the range go: a library unmapped or a page of
       generated code rewritten leaves the rest of the program's translations alone. */
    for (uint32_t i = 0; i < j->n_tbs; i++) {
        struct jit_tb *tb = j->tbs[i];
        if (!tb->dead && tb->pc < end && tb->guest_end > start) {
            jit_drop(j, tb);
            j->stats.dropped++;
        }
    }
}

const struct jit_stats *jit_stats(const struct jit *j)
{
    return &j->stats;
}
