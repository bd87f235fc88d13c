/*
 * The guest's modules: the program, its dynamic loader, and every file the guest maps
 * executable (the libraries ld.so maps, dlopen's). Each has the guest range of its first
 * executable mapping and counts the JIT work done there, for the XLATE_STATS lines.
 *
 * Entries are only appended (a library unmapped and mapped again is a second entry, which
 * wins the lookups over the first), into a fixed array, so that the JIT's translate hook of
 * any thread reads them without a lock while mmap adds one under mem_lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aot.h"
#include "rt_internal.h"

void rt_module_add(struct rt_process *p, uint32_t start, uint64_t end, const char *name,
                   const struct xl_module_info *aot)
{
    struct rt_modules *ms = &p->modules;
    uint32_t n = __atomic_load_n(&ms->n, __ATOMIC_RELAXED);
    if (n == RT_MAX_MODULES)
        return;                         /* the rest count as code outside modules */
    struct rt_module *m = &ms->m[n];
    memset(m, 0, sizeof *m);
    m->start = start;
    m->end = end;
    m->name = strdup(name ? name : "?");
    m->aot = aot;
    __atomic_store_n(&ms->n, n + 1, __ATOMIC_RELEASE);
}

void rt_module_add_fd(struct rt_process *p, uint32_t start, uint64_t end, int fd,
                      const struct xl_module_info *aot)
{
    char path[4096];
    rt_module_add(p, start, end, rt_fd_path(fd, path, sizeof path) > 0 ? path : "?", aot);
}

void rt_modules_unmapped(struct rt_process *p, uint32_t start, uint64_t end)
{
    struct rt_modules *ms = &p->modules;
    for (uint32_t i = __atomic_load_n(&ms->n, __ATOMIC_ACQUIRE); i-- > 0;)
        if (ms->m[i].aot && start < ms->m[i].end && ms->m[i].start < end) {
            __atomic_store_n(&ms->m[i].aot, NULL, __ATOMIC_RELEASE);
            /* AOT code's inline caches of indirect calls drop its functions */
            __atomic_add_fetch(&xl_aot_epoch, 1, __ATOMIC_RELEASE);
        }
}

struct rt_module *rt_module_at(struct rt_process *p, uint32_t pc)
{
    struct rt_modules *ms = &p->modules;
    for (uint32_t i = __atomic_load_n(&ms->n, __ATOMIC_ACQUIRE); i-- > 0;)
        if (pc >= ms->m[i].start && pc < ms->m[i].end)
            return &ms->m[i];
    return NULL;
}

void rt_module_count_jit(struct rt_process *p, uint32_t pc, uint32_t insns)
{
    struct rt_module *m = rt_module_at(p, pc);
    uint64_t *blocks = m ? &m->jit_blocks : &p->modules.other_blocks;
    uint64_t *ninsns = m ? &m->jit_insns : &p->modules.other_insns;
    __atomic_add_fetch(blocks, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(ninsns, insns, __ATOMIC_RELAXED);
}

void rt_modules_print_stats(struct rt_process *p, uint32_t program_aot_functions,
                            struct rt_aot_use program_use)
{
    struct rt_modules *ms = &p->modules;
    uint32_t n = __atomic_load_n(&ms->n, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++) {
        const struct rt_module *m = &ms->m[i];
        const struct xl_module_info *mi = m->aot;
        uint32_t aot = i == 0 ? program_aot_functions : mi ? *mi->count : 0;
        if (!aot && !m->jit_blocks)
            continue;
        struct rt_aot_use u = i == 0 ? program_use
                              : mi ? rt_aot_use_of(mi->blocks, mi->nblocks, mi->entered)
                                   : (struct rt_aot_use){ 0, 0 };
        fprintf(stderr, "xlate-stats: module=%s aot-functions=%u jit-blocks=%llu "
                "jit-insns=%llu aot-entered=%u aot-entered-insns=%llu aot-share=%.1f%%\n",
                m->name, aot, (unsigned long long)m->jit_blocks,
                (unsigned long long)m->jit_insns, u.functions, (unsigned long long)u.insns,
                rt_aot_share(u.insns, m->jit_insns));
    }
    if (ms->other_blocks)
        fprintf(stderr, "xlate-stats: module=[other] aot-functions=0 jit-blocks=%llu "
                "jit-insns=%llu\n", (unsigned long long)ms->other_blocks,
                (unsigned long long)ms->other_insns);
}
