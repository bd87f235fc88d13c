/*
 * The runtime side of AOT-translated code (runtime/aot.h, docs/aot.md): the lookup in the
 * generated table, the entries that AOT code calls (syscall, indirect target, exit), and
 * the XLATE_STATS line. In the JIT-only runner the weak table is absent and every lookup
 * fails.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lifter/jit/jit.h"
#include "aot.h"
#include "rt_internal.h"

/* Written by `xlate IN -o OUT` next to the guest image: how many translation blocks each
   AOT function was made of, sorted by key, for XLATE_STATS (a function that the raiser left
   out is in this list but not in the table). */
extern const struct xl_aot_blocks xl_aot_blocks[] __attribute__((weak));
extern const uint32_t xl_aot_blocks_count __attribute__((weak));
/* Set by the raised code (one byte per row of xl_aot_blocks): the function has run. */
extern const uint8_t xl_aot_entered[] __attribute__((weak));

static bool aot_disabled;
static bool prog_retired;           /* its code was rewritten: rt_aot_code_changed */
/* The process whose modules hold translated libraries (rt_aot_attach). */
static struct rt_process *aot_proc;

void rt_aot_attach(struct rt_process *p)
{
    aot_proc = p;
}

static uint32_t table_count(void)
{
    return &xl_aot_count && xl_aot_table && !aot_disabled &&
           !__atomic_load_n(&prog_retired, __ATOMIC_ACQUIRE) ? xl_aot_count : 0;
}

void rt_aot_disable(void)
{
    aot_disabled = true;
}

static const struct xl_aot_entry *search(const struct xl_aot_entry *table, uint32_t count,
                                         uint32_t key)
{
    uint32_t lo = 0, hi = count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t k = table[mid].key;
        if (k == key)
            return &table[mid];
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The program's table, else the translation of the library module holding key. */
static const struct xl_aot_entry *table_search(uint32_t key)
{
    const struct xl_aot_entry *e = search(xl_aot_table, table_count(), key);
    if (e || !aot_proc || aot_disabled)
        return e;
    struct rt_module *m = rt_module_at(aot_proc, key & ~1u);
    const struct xl_module_info *mi = m ? __atomic_load_n(&m->aot, __ATOMIC_ACQUIRE) : NULL;
    return mi ? search(mi->table, *mi->count, key) : NULL;
}

/* A direct-mapped cache of lookups (misses too) in front of the binary search: the
   dispatcher asks once per AOT call and per JIT exit. The table never changes; the cache
   is per thread, as an entry is two words that another thread could tear. Entries start
   as {0, NULL}: key 0 (pc 0, ARM) is below RT_GUEST_LO, never a function. */
#define LCACHE_BITS 10
static __thread struct { uint32_t key; const struct xl_aot_entry *e; } lcache[1u << LCACHE_BITS];
/* The process's code generation the cache was filled under: a library unmapped (and
   maybe another mapped there) empties it. */
static __thread uint64_t lcache_gen;

uint32_t xl_aot_epoch;

static const struct xl_aot_entry *lookup(uint32_t pc, uint32_t thumb)
{
    uint32_t key = pc | (thumb & 1);
    uint32_t i = (key >> 1) & ((1u << LCACHE_BITS) - 1);
    if (aot_proc) {
        uint64_t gen = __atomic_load_n(&aot_proc->code_gen, __ATOMIC_ACQUIRE);
        if (gen != lcache_gen) {
            memset(lcache, 0, sizeof lcache);
            lcache_gen = gen;
        }
    }
    if (lcache[i].key != key) {
        lcache[i].key = key;
        lcache[i].e = table_search(key);
    }
    return lcache[i].e;
}

xl_aot_fn *xl_aot_lookup(uint32_t pc, uint32_t thumb)
{
    const struct xl_aot_entry *e = lookup(pc, thumb);
    return e ? e->fn : NULL;
}

bool rt_aot_is_entry(void *ctx, uint32_t pc, bool thumb)
{
    (void)ctx;
    return xl_aot_lookup(pc, thumb) != NULL;
}

/* After the runtime had a word (a syscall, pending signals) at guest key with stack sp:
   if a signal was delivered, its handler runs nested until sigreturn comes back to key, so
   the AOT code goes on where it was instead of unwinding and leaving the rest of its frame
   to the JIT. A handler that longjmps out leaves the stack above sp: the nested run stops,
   and the caller's pc check unwinds as before. */
static void resume_at(struct rt_thread *rt, struct cpu *cpu, uint32_t key, uint32_t sp)
{
    if (!rt->exited && (cpu->r[15] | (cpu->thumb & 1)) != key)
        rt_run_until(rt, cpu, key, sp);
    /* exit/exit_group: nothing more of the guest may run, and AOT code has no way to stop
       by itself; back to the dispatcher loop, which sees rt->exited. */
    if (rt->exited)
        siglongjmp(rt->fault_jmp, RT_JMP_EXITED);
}

void xl_aot_syscall(struct cpu *cpu)
{
    struct rt_thread *rt = cpu->rt;
    uint32_t key = cpu->r[15] | (cpu->thumb & 1), sp = cpu->r[13];
    rt_handle_syscall(rt, cpu);
    resume_at(rt, cpu, key, sp);
}

void xl_aot_interrupt(struct cpu *cpu)
{
    struct rt_thread *rt = cpu->rt;
    uint32_t key = cpu->r[15] | (cpu->thumb & 1), sp = cpu->r[13];
    rt_signal_deliver_pending(rt, cpu);
    resume_at(rt, cpu, key, sp);
}

void xl_aot_run_until(struct cpu *cpu, uint32_t stop_key, uint32_t frame_sp)
{
    struct rt_thread *rt = cpu->rt;
    rt_run_until(rt, cpu, stop_key, frame_sp);
    if (rt->exited)             /* as in xl_aot_syscall: nothing more may run */
        siglongjmp(rt->fault_jmp, RT_JMP_EXITED);
}

int xl_aot_resume(struct cpu *cpu, uint32_t key, uint32_t frame_sp)
{
    struct rt_thread *rt = cpu->rt;
    /* Only from below the call's sp: at the call's own sp the guest landed in the calling
       frame itself (setjmp's second return, its landing pad), which its caller's resume
       then runs; doing it here too would nest one more loop every time a function's loop
       calls something that longjmps back into it. */
    if (rt->aot_exit != IR_EXIT_LOOKUP || cpu->r[13] >= frame_sp)
        return 0;
    xl_aot_run_until(cpu, key, frame_sp);
    return (cpu->r[15] | (cpu->thumb & 1)) == key;
}

/* Every function of a table returns at once from now on: its entry becomes a host `ret`.
   A caller finds cpu->r[15] at the callee's entry instead of its return address and
   returns too, up to the dispatcher, which then finds no AOT function there (docs/aot.md,
   "Rewritten code"). A raised function's own entry returns its arguments that way: they
   come in the registers its results go out in. */
static void retire(const struct xl_aot_entry *table, uint32_t count)
{
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (uint32_t i = 0; i < count; i++) {
        uintptr_t a = (uintptr_t)(void *)table[i].fn, b = (uintptr_t)table[i].fast;
        lo = a < lo ? a : lo;
        hi = a > hi ? a : hi;
        lo = b < lo ? b : lo;
        hi = b > hi ? b : hi;
    }
    if (lo > hi)
        return;
    long pg = sysconf(_SC_PAGESIZE);
    lo &= ~(uintptr_t)(pg - 1);
    size_t len = (hi | (uintptr_t)(pg - 1)) + 1 - lo;
    if (mprotect((void *)lo, len, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        /* The lookups already fail; only calls from AOT code that runs on reach it. */
        fprintf(stderr, "xlate: warning: cannot retire rewritten AOT code: %s\n",
                strerror(errno));
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        __atomic_store_n((uint8_t *)(void *)table[i].fn, 0xc3, __ATOMIC_RELEASE);
        __atomic_store_n((uint8_t *)table[i].fast, 0xc3, __ATOMIC_RELEASE);
    }
    __atomic_add_fetch(&xl_aot_epoch, 1, __ATOMIC_RELEASE);     /* no inline cache holds them */
    mprotect((void *)lo, len, PROT_READ | PROT_EXEC);
}

bool rt_aot_code_changed(struct rt_process *p, uint32_t start, uint64_t end)
{
    bool hit = false;
    struct rt_modules *ms = &p->modules;
    uint32_t n = __atomic_load_n(&ms->n, __ATOMIC_ACQUIRE);
    if (n > 0 && table_count() && start < ms->m[0].end && ms->m[0].start < end &&
        !__atomic_exchange_n(&prog_retired, true, __ATOMIC_ACQ_REL)) {
        retire(xl_aot_table, xl_aot_count);
        hit = true;
    }
    for (uint32_t i = 1; i < n; i++) {
        struct rt_module *m = &ms->m[i];
        if (!(start < m->end && m->start < end))
            continue;
        const struct xl_module_info *mi = __atomic_exchange_n(&m->aot, NULL, __ATOMIC_ACQ_REL);
        if (mi) {
            retire(mi->table, *mi->count);
            hit = true;
        }
    }
    return hit;
}

/* An indirect call's target. With a signal waiting for this thread, none: the caller then
   runs the callee nested (xl_aot_run_until), whose loop delivers first. A recursion through
   function pointers crosses an indirect call on every turn, and the raiser's checks see only
   cycles of direct calls (docs/threads.md). */
void *xl_aot_resolve(struct cpu *cpu)
{
    if (cpu->interrupt)
        return NULL;
    const struct xl_aot_entry *e = lookup(cpu->r[15] & ~1u, cpu->thumb & 1);
    return e ? e->fast : NULL;
}

void xl_aot_exit(struct cpu *cpu, uint32_t reason)
{
    struct rt_thread *rt = cpu->rt;
    rt->aot_exit = reason;
}

static uint32_t blocks_of(uint32_t key)
{
    uint32_t lo = 0, hi = &xl_aot_blocks_count && xl_aot_blocks ? xl_aot_blocks_count : 0;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (xl_aot_blocks[mid].key == key)
            return xl_aot_blocks[mid].nblocks;
        if (xl_aot_blocks[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

void rt_jit_stats_add(struct jit_stats *to, const struct jit_stats *from)
{
    __atomic_add_fetch(&to->blocks, from->blocks, __ATOMIC_RELAXED);
    __atomic_add_fetch(&to->guest_insns, from->guest_insns, __ATOMIC_RELAXED);
    __atomic_add_fetch(&to->translate_ns, from->translate_ns, __ATOMIC_RELAXED);
    __atomic_add_fetch(&to->code_bytes, from->code_bytes, __ATOMIC_RELAXED);
    __atomic_add_fetch(&to->flushes, from->flushes, __ATOMIC_RELAXED);
    __atomic_add_fetch(&to->dropped, from->dropped, __ATOMIC_RELAXED);
}

struct rt_aot_use rt_aot_use_of(const struct xl_aot_blocks *rows, uint32_t n,
                                const uint8_t *entered)
{
    struct rt_aot_use u = { 0, 0 };
    for (uint32_t i = 0; entered && i < n; i++)
        if (__atomic_load_n(&entered[i], __ATOMIC_RELAXED)) {
            u.functions++;
            u.insns += rows[i].ninsns;
        }
    return u;
}

void rt_aot_print_stats(const struct rt_thread *rt)
{
    const char *env = getenv("XLATE_STATS");
    if (!env || *env == '\0' || *env == '0')
        return;
    uint32_t nprog = table_count(), nfn = nprog;
    uint64_t nblocks = 0;
    for (uint32_t i = 0; i < nprog; i++)
        nblocks += blocks_of(xl_aot_table[i].key);
    struct rt_aot_use prog = { 0, 0 };
    if (&xl_aot_blocks_count && xl_aot_blocks)
        prog = rt_aot_use_of(xl_aot_blocks, xl_aot_blocks_count, xl_aot_entered);
    struct rt_aot_use all = prog;
    /* The translated libraries' too. */
    struct rt_modules *ms = &rt->proc->modules;
    for (uint32_t i = 1; i < __atomic_load_n(&ms->n, __ATOMIC_ACQUIRE); i++) {
        const struct xl_module_info *mi = ms->m[i].aot;
        if (!mi)
            continue;
        nfn += *mi->count;
        for (uint32_t k = 0; k < mi->nblocks; k++)
            nblocks += mi->blocks[k].nblocks;
        struct rt_aot_use u = rt_aot_use_of(mi->blocks, mi->nblocks, mi->entered);
        all.functions += u.functions;
        all.insns += u.insns;
    }
    /* The first four fields are the original line, in that order; later ones are appended
       (xlate bench reads jit-translate-us and jit-code-bytes: the time the JIT spent making
       blocks, frontend and optimizer included, and the host code it emitted). */
    /* The JIT figures are the whole process's: this thread's and those of the threads
       that have ended (each thread has a JIT of its own, docs/threads.md). */
    struct jit_stats s = { 0 };
    rt_jit_stats_add(&s, &rt->proc->jit_ended);
    if (rt->jit)
        rt_jit_stats_add(&s, jit_stats(rt->jit));
    fprintf(stderr, "xlate-stats: aot-functions=%u aot-blocks=%llu jit-blocks=%llu "
            "jit-insns=%llu jit-translate-us=%llu jit-code-bytes=%llu jit-flushes=%llu "
            "jit-dropped=%llu aot-entered=%u aot-entered-insns=%llu aot-share=%.1f%%\n", nfn,
            (unsigned long long)nblocks, (unsigned long long)s.blocks,
            (unsigned long long)s.guest_insns, (unsigned long long)(s.translate_ns / 1000),
            (unsigned long long)s.code_bytes, (unsigned long long)s.flushes,
            (unsigned long long)s.dropped, all.functions, (unsigned long long)all.insns,
            rt_aot_share(all.insns, s.guest_insns));
    rt_modules_print_stats(rt->proc, nprog, prog);
}
