/*
 * The µIR of guest blocks, shared by the threads of a process. Each thread has a JIT of
 * its own (docs/threads.md), and each used to decode, lift and optimize again every block
 * it ran: a thread that is started and cancelled paid about 3 ms for it, most of it in
 * the unwinder's few hundred blocks, and a server that starts a thread per request pays
 * it per request. The optimized µIR of a block is the same for every thread, so once the
 * process has had a second thread, the first thread to translate a block leaves a copy
 * here and the others start from it: only the x86 code generation is left per thread.
 *
 * A copy holds for the code generation (rt_process.code_gen) it was lifted in; when that
 * moves on, all of them go. One mutex guards the table: it is taken only to translate,
 * never by running code. The copies are bounded (RT_IR_SHARE_BYTES): past that, the table
 * starts over, as a full JIT cache does.
 */
#include <stdlib.h>
#include <string.h>

#include "../lifter/ir/ir.h"
#include "rt_internal.h"

#define RT_IR_SHARE_BYTES (32u << 20)

struct ir_copy {
    uint32_t key;               /* guest pc | thumb; 0 is a free slot (pc 0 is not cached) */
    struct ir_block b;          /* ops and temps in one allocation, at exactly their sizes */
};

static uint32_t hash(uint32_t key)
{
    key *= 0x9e3779b1u;
    return key ^ (key >> 15);
}

/* Called with the lock held. */
static void clear(struct rt_ir_share *s)
{
    for (uint32_t i = 0; i < s->cap; i++)
        free(s->slots[i].b.ops);
    free(s->slots);
    s->slots = NULL;
    s->cap = s->n = 0;
    s->bytes = 0;
}

static struct ir_copy *find(struct rt_ir_share *s, uint32_t key)
{
    if (!s->cap)
        return NULL;
    for (uint32_t i = hash(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
        if (s->slots[i].key == key || s->slots[i].key == 0)
            return &s->slots[i];
}

static bool grow(struct rt_ir_share *s)
{
    uint32_t cap = s->cap ? s->cap * 2 : 1024;
    struct ir_copy *old = s->slots;
    uint32_t old_cap = s->cap;
    s->slots = calloc(cap, sizeof(*s->slots));
    if (!s->slots) {
        s->slots = old;
        return false;
    }
    s->cap = cap;
    for (uint32_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *find(s, old[i].key) = old[i];
    free(old);
    return true;
}

/* Whether the table may serve code generation gen: a newer one empties it first; copies
   lifted in an older one than the table's are never used. Called with the lock held. */
static bool at_gen(struct rt_ir_share *s, uint64_t gen)
{
    if (gen > s->gen) {
        clear(s);
        s->gen = gen;
    }
    return gen == s->gen;
}

bool rt_ir_share_get(struct rt_ir_share *s, uint64_t gen, uint32_t pc, bool thumb,
                     struct ir_block *out)
{
    bool hit = false;
    pthread_mutex_lock(&s->lock);
    struct ir_copy *c = pc && at_gen(s, gen) ? find(s, pc | thumb) : NULL;
    if (c && c->key) {
        size_t ops = c->b.n_ops * sizeof(struct ir_op);
        size_t temps = c->b.n_temps * sizeof(struct ir_temp_info);
        struct ir_op *o = malloc(ops ? ops : 1);
        struct ir_temp_info *t = malloc(temps ? temps : 1);
        if (o && t) {
            *out = c->b;
            out->ops = memcpy(o, c->b.ops, ops);
            out->temps = memcpy(t, (char *)c->b.ops + ops, temps);
            out->cap_ops = out->n_ops;
            out->cap_temps = out->n_temps;
            hit = true;
        } else {
            free(o);
            free(t);
        }
    }
    pthread_mutex_unlock(&s->lock);
    return hit;
}

void rt_ir_share_put(struct rt_ir_share *s, uint64_t gen, const struct ir_block *b)
{
    if (!b->guest_pc)
        return;
    size_t ops = b->n_ops * sizeof(struct ir_op);
    size_t temps = b->n_temps * sizeof(struct ir_temp_info);
    char *mem = malloc(ops + temps ? ops + temps : 1);
    if (!mem)
        return;
    memcpy(mem, b->ops, ops);
    memcpy(mem + ops, b->temps, temps);
    pthread_mutex_lock(&s->lock);
    struct ir_copy *c = NULL;
    if (at_gen(s, gen)) {
        if (s->bytes + ops + temps > RT_IR_SHARE_BYTES)
            clear(s);
        if ((s->n + 1) * 2 <= s->cap || grow(s))
            c = find(s, b->guest_pc | b->thumb);
    }
    if (c && !c->key) {
        c->key = b->guest_pc | b->thumb;
        c->b = *b;
        c->b.ops = (struct ir_op *)(void *)mem;
        c->b.temps = NULL;
        s->n++;
        s->bytes += ops + temps;
        mem = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    free(mem);
}

void rt_ir_share_free(struct rt_ir_share *s)
{
    clear(s);
    pthread_mutex_destroy(&s->lock);
}
