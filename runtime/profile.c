/*
 * `xlate run --profile FILE`: how often each guest block ran, written to FILE when the
 * program ends, for `xlate PROG -o OUT --profile FILE` (docs/aot.md, "Profiles").
 *
 * The JIT asks for a block's counter each time it translates the block and makes the
 * block's code increment it on entry (jit_hooks.counter). Counters belong to the process,
 * keyed by pc | thumb, so that they survive a flush of a JIT cache and are shared by every
 * thread's JIT: entries are never moved (chunks), only the index over them is rebuilt as
 * it grows. The lock is taken only to translate. Increments are not atomic: threads that
 * run one block at once may lose a few counts, which a profile can afford.
 *
 * The file names each module (the program, its libraries) by its content hash, and a
 * block by its module and its offset from the module's first executable mapping, so a
 * library's blocks mean the same wherever it was loaded. Blocks outside every module
 * (code the guest generated) are left out. The run's first process empties the file; then
 * every process of the run (forked children too: a shell's subshells run its code) appends
 * a section of its own at its exit, under an flock, and the reader adds them up. A child
 * starts from zero: the counts it inherits are its parent's to write.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../lifter/image/sha256.h"
#include "rt_internal.h"

#define CHUNK 4096

struct entry {
    uint32_t key;
    uint64_t count;
    struct entry *next;         /* in its index bucket */
};

struct chunk {
    struct chunk *next;
    uint32_t used;
    struct entry e[CHUNK];
};

struct rt_profile {
    pthread_mutex_t lock;
    char *path;
    struct chunk *chunks;
    struct entry **index;
    uint32_t cap, n;            /* buckets (a power of two), entries */
};

static uint32_t bucket(uint32_t key, uint32_t cap)
{
    key *= 0x9e3779b1u;
    return (key ^ (key >> 15)) & (cap - 1);
}

int rt_profile_start(struct rt_process *p, const char *path)
{
    struct rt_profile *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path))) {
        free(f);
        fputs("xlate: error: out of memory\n", stderr);
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "xlate: error: cannot write the profile %s: %s\n", path, strerror(errno));
        free(f->path);
        free(f);
        return -1;
    }
    close(fd);
    pthread_mutex_init(&f->lock, NULL);
    p->profile = f;
    return 0;
}

static void zero_counts(struct rt_profile *f)
{
    for (struct chunk *c = f->chunks; c; c = c->next)
        for (uint32_t k = 0; k < c->used; k++)
            c->e[k].count = 0;
}

void rt_profile_forked(struct rt_process *p)
{
    struct rt_profile *f = p->profile;
    if (!f)
        return;
    pthread_mutex_init(&f->lock, NULL);     /* another thread may have held it at the fork */
    zero_counts(f);
}

static bool grow(struct rt_profile *f)
{
    uint32_t cap = f->cap ? f->cap * 2 : 1024;
    struct entry **index = calloc(cap, sizeof *index);
    if (!index)
        return false;
    for (uint32_t i = 0; i < f->cap; i++)
        for (struct entry *e = f->index[i], *next; e; e = next) {
            next = e->next;
            uint32_t b = bucket(e->key, cap);
            e->next = index[b];
            index[b] = e;
        }
    free(f->index);
    f->index = index;
    f->cap = cap;
    return true;
}

uint64_t *rt_profile_counter(struct rt_process *p, uint32_t pc, bool thumb)
{
    struct rt_profile *f = p->profile;
    uint32_t key = pc | thumb;
    uint64_t *count = NULL;
    pthread_mutex_lock(&f->lock);
    if (f->n >= f->cap / 2 && !grow(f))
        goto out;                       /* out of memory: this block goes uncounted */
    struct entry **b = &f->index[bucket(key, f->cap)];
    for (struct entry *e = *b; e; e = e->next)
        if (e->key == key) {
            count = &e->count;
            goto out;
        }
    if (!f->chunks || f->chunks->used == CHUNK) {
        struct chunk *c = calloc(1, sizeof *c);
        if (!c)
            goto out;
        c->next = f->chunks;
        f->chunks = c;
    }
    struct entry *e = &f->chunks->e[f->chunks->used++];
    *e = (struct entry){ .key = key, .next = *b };
    *b = e;
    f->n++;
    count = &e->count;
out:
    pthread_mutex_unlock(&f->lock);
    return count;
}

/* The module's line, once: its index in the file is its index in p->modules. */
static void module_line(FILE *out, struct rt_process *p, const struct rt_module *m,
                        bool *named)
{
    uint32_t i = (uint32_t)(m - p->modules.m);
    if (named[i])
        return;
    named[i] = true;
    char hash[65];
    if (xl_sha256_file(m->name, hash) != 0)
        snprintf(hash, sizeof hash, "-");   /* unreadable now: matches no input */
    fprintf(out, "module %u 0x%08" PRIx32 " %s %s\n", i, m->start, hash, m->name);
}

void rt_profile_write(struct rt_process *p)
{
    struct rt_profile *f = p->profile;
    if (!f)
        return;
    pthread_mutex_lock(&f->lock);
    FILE *out = fopen(f->path, "a");
    if (!out) {
        fprintf(stderr, "xlate: warning: cannot write the profile %s\n", f->path);
        pthread_mutex_unlock(&f->lock);
        return;
    }
    flock(fileno(out), LOCK_EX);            /* one process's section after another's */
    bool named[RT_MAX_MODULES] = { false };
    fprintf(out, "xlate-profile 1\n"
                 "# module INDEX START SHA256 PATH; block MODULE OFFSET|THUMB EXECUTIONS\n");
    for (struct chunk *c = f->chunks; c; c = c->next)
        for (uint32_t k = 0; k < c->used; k++) {
            const struct entry *e = &c->e[k];
            const struct rt_module *m = rt_module_at(p, e->key & ~1u);
            if (!m || !e->count)
                continue;
            module_line(out, p, m, named);
            fprintf(out, "block %u 0x%" PRIx32 " %" PRIu64 "\n", (unsigned)(m - p->modules.m),
                    e->key - m->start, e->count);
        }
    if (fflush(out) != 0)
        fprintf(stderr, "xlate: warning: cannot write the profile %s\n", f->path);
    fclose(out);                            /* (and the lock with it) */
    zero_counts(f);     /* written: a later write (exit after a failed exec) adds only news */
    pthread_mutex_unlock(&f->lock);
}
