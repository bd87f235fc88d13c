/*
 * The code cache: one rwx mapping laid out as
 *   [ jump cache (goto_ptr probes, rip-relative) | enter trampoline, epilogue | blocks ... ]
 * Each block is a struct jit_tb followed by its code and chain stubs. When the cache is
 * full everything is flushed at once (no block is ever freed alone, so a chained jump
 * never points at freed code). jit_invalidate drops single blocks (jit_drop): they are
 * unhooked from the table, the jump cache and every jump linked into them, and their
 * memory waits for the next flush.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "jit_int.h"
#include "../ir/xl_assert.h"

static uint32_t hash_key(uint32_t pc, bool thumb)
{
    uint32_t k = (pc | thumb) * 0x9e3779b1u;
    return k >> (32 - JIT_HASH_BITS);
}

/* The trampoline: struct jit_ret enter(struct cpu *cpu, void *code). */
static void emit_trampoline(struct jit *j, struct x86 *e)
{
    static const int8_t saved[] = { X_RBP, X_RBX, X_R12, X_R13, X_R14, X_R15 };
    j->enter = (struct jit_ret (*)(struct cpu *, void *))(void *)e->p;
    for (unsigned i = 0; i < sizeof(saved); i++)
        x86_push(e, saved[i]);
    x86_alu_ri(e, X_SUB, true, X_RSP, JIT_FRAME_SIZE);
    x86_mov_rr(e, true, JIT_ENV, X_RDI);
    x86_jmp_r(e, X_RSI);

    x86_align(e, 16);
    j->epilogue = e->p;
    x86_alu_ri(e, X_ADD, true, X_RSP, JIT_FRAME_SIZE);
    for (unsigned i = sizeof(saved); i-- > 0;)
        x86_pop(e, saved[i]);
    x86_ret(e);

    x86_align(e, 16);
    j->exit_lookup = e->p;
    x86_mov_ri(e, false, X_RAX, IR_EXIT_LOOKUP);
    x86_jmp_rel32(e, j->epilogue);
    x86_align(e, 16);
    j->exit_interrupt = e->p;
    x86_mov_ri(e, false, X_RAX, IR_EXIT_INTERRUPT);
    x86_jmp_rel32(e, j->epilogue);
    x86_align(e, 16);
}

bool jit_cache_init(struct jit *j)
{
    /* A hint close to our own text keeps helper calls in rel32 range. */
    uintptr_t near = ((uintptr_t)(void *)jit_cache_init & ~(uintptr_t)0xfffff) - (256u << 20);
    void *p = mmap((void *)near, JIT_CACHE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return false;
    j->cache = p;
    j->jc = p;
    struct x86 e;
    uint8_t *after_jc = j->cache + JIT_JC_SIZE * sizeof(struct jit_jc_entry);
    x86_init(&e, after_jc, j->cache + JIT_CACHE_SIZE);
    emit_trampoline(j, &e);
    xl_assert(!e.overflow);
    j->code_start = e.p;
    j->code_end = j->cache + JIT_CACHE_SIZE;
    jit_flush(j);
    j->stats.flushes = 0;
    return true;
}

void jit_cache_fini(struct jit *j)
{
    if (j->cache)
        munmap(j->cache, JIT_CACHE_SIZE);
    j->cache = NULL;
    free(j->tbs);
    j->tbs = NULL;
}

void jit_flush(struct jit *j)
{
    j->code_ptr = j->code_start;
    memset(j->hash, 0, sizeof(j->hash));
    memset(j->linked_into, 0, sizeof(j->linked_into));
    j->n_tbs = 0;
    for (uint32_t i = 0; i < JIT_JC_SIZE; i++)
        j->jc[i] = (struct jit_jc_entry){ .key = 0xffffffffu, .code = NULL };
    j->generation++;
    j->stats.flushes++;
}

struct jit_tb *jit_lookup(struct jit *j, uint32_t pc, bool thumb)
{
    for (struct jit_tb *tb = j->hash[hash_key(pc, thumb)]; tb; tb = tb->hash_next)
        if (tb->pc == pc && tb->thumb == thumb)
            return tb;
    return NULL;
}

void jit_insert(struct jit *j, struct jit_tb *tb)
{
    uint32_t h = hash_key(tb->pc, tb->thumb);
    tb->hash_next = j->hash[h];
    j->hash[h] = tb;
    if (j->n_tbs == j->cap_tbs) {
        j->cap_tbs = j->cap_tbs ? j->cap_tbs * 2 : 1024;
        j->tbs = realloc(j->tbs, j->cap_tbs * sizeof(*j->tbs));
        xl_assert(j->tbs != NULL);
    }
    j->tbs[j->n_tbs++] = tb;        /* blocks are carved in address order */
}

bool jit_guest_pc(const struct jit *j, const void *host_pc, uint32_t *guest_pc)
{
    const uint8_t *p = host_pc;
    uint32_t lo = 0, hi = j->n_tbs;
    while (lo < hi) {               /* the last block starting at or before p */
        uint32_t mid = (lo + hi) / 2;
        if (j->tbs[mid]->code <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    const struct jit_tb *tb = j->tbs[lo - 1];
    if (p >= tb->code + tb->code_size)
        return false;
    uint32_t off = (uint32_t)(p - tb->code), pc = tb->pc;
    for (uint32_t k = 0; k < tb->n_pcmap && tb->pcmap[k].host_off <= off; k++)
        pc = tb->pcmap[k].guest_pc;
    *guest_pc = pc;
    return true;
}

static bool bit_get(const uint8_t *set, uint32_t h) { return (set[h >> 3] >> (h & 7)) & 1; }
static void bit_set(uint8_t *set, uint32_t h) { set[h >> 3] |= (uint8_t)(1u << (h & 7)); }

bool jit_may_link(const struct jit *j, uint32_t key)
{
    return !bit_get(j->was_stop, hash_key(key & ~1u, key & 1));
}

void jit_set_stop(struct jit *j, uint32_t key)
{
    j->stop = key;
    if (key == JIT_NO_STOP)
        return;
    struct jit_jc_entry *e = &j->jc[jit_jc_index(key)];
    if (e->key == key)
        *e = (struct jit_jc_entry){ .key = 0xffffffffu, .code = NULL };
    uint32_t h = hash_key(key & ~1u, key & 1);
    if (bit_get(j->was_stop, h))
        return;
    bit_set(j->was_stop, h);
    /* A goto_tb linked to it before it was a stop would run past it: start afresh (once
       per stop key; nothing of the JIT's is on the host stack here). */
    if (bit_get(j->linked_into, h))
        jit_flush(j);
}

void jit_link(struct jit *j, struct jit_tb *from, unsigned slot, struct jit_tb *to)
{
    bit_set(j->linked_into, hash_key(to->pc, to->thumb != 0));
    xl_assert(slot < from->n_slots);
    uint8_t *at = from->code + from->jmp_at[slot];
    xl_assert(((uintptr_t)at & 3) == 0);
    int32_t rel = (int32_t)(to->code - (at + 4));
    __atomic_store_n((int32_t *)(void *)at, rel, __ATOMIC_RELEASE);   /* one aligned store */
    /* A slot links only from its stub (IR_EXIT_CHAIN), so it is in no list yet. */
    from->jmp_next[slot] = to->jmp_in;
    to->jmp_in = (uintptr_t)from | slot;
}

/* The slot's jump goes to its exit stub again. */
static void unlink_slot(struct jit_tb *from, unsigned slot)
{
    uint8_t *at = from->code + from->jmp_at[slot];
    int32_t rel = (int32_t)(from->stub_at[slot] - (from->jmp_at[slot] + 4));
    __atomic_store_n((int32_t *)(void *)at, rel, __ATOMIC_RELEASE);
    from->jmp_next[slot] = 0;
}

void jit_drop(struct jit *j, struct jit_tb *tb)
{
    _Static_assert(_Alignof(struct jit_tb) >= JIT_MAX_SLOTS &&
                   (JIT_MAX_SLOTS & (JIT_MAX_SLOTS - 1)) == 0, "the slot in the low bits");
    for (struct jit_tb **pp = &j->hash[hash_key(tb->pc, tb->thumb)]; *pp; pp = &(*pp)->hash_next)
        if (*pp == tb) {
            *pp = tb->hash_next;
            break;
        }
    uint32_t key = tb->pc | tb->thumb;
    struct jit_jc_entry *e = &j->jc[jit_jc_index(key)];
    if (e->key == key)
        *e = (struct jit_jc_entry){ .key = 0xffffffffu, .code = NULL };
    for (uintptr_t in = tb->jmp_in, next; in; in = next) {
        struct jit_tb *from = (struct jit_tb *)(in & ~(uintptr_t)(JIT_MAX_SLOTS - 1));
        unsigned slot = (unsigned)(in & (JIT_MAX_SLOTS - 1));
        next = from->jmp_next[slot];
        unlink_slot(from, slot);
    }
    tb->jmp_in = 0;
    tb->dead = true;
}
