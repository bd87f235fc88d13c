/*
 * Code in writable pages (QEMU's scheme): a guest page that is writable and holds code the
 * JIT translated loses its host write permission, so that the first store to it faults;
 * the fault handler gives the permission back, and the page's translations go
 * (rt_code_changed) before the guest runs on. Code the guest writes and runs again without
 * cacheflush or mprotect (which ARM needs, but qemu-arm does not) thus runs its new bytes.
 *
 * Stores that the host kernel makes for the guest (a read() into such a page) would fail
 * with EFAULT instead of faulting: before a syscall that may store to guest memory, every
 * protected page gets its permission back, its translations dropped, the same as a store.
 * The cost falls on programs that run code from writable pages only (an executable stack's
 * trampolines, a JIT inside the guest with RWX buffers): one protection per translated page
 * and one host fault or syscall to give it back. docs/threads.md, "Generated code".
 *
 * Locks: mem_lock, then codeprot_lock (the process's, held across a threaded fork like the
 * others), then code_lock (release_all records its changes). The host fault handler takes
 * codeprot_lock (and code_lock), which are never held while guest memory is written, so it
 * cannot wait for its own thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "rt_internal.h"

#define PAGE_BITS 12
#define PAGES (1u << (32 - PAGE_BITS))
#define SET 0x80u

/* A protected page's guest protection | SET; 0 for every other page (1 MiB, touched only
   where code is in writable pages). */
static uint8_t page_prot[PAGES];
/* The pages that were protected since the last release_all (some may be given back since,
   one may be listed twice): what release_all walks. */
static uint32_t *listed;
static uint32_t n_listed, cap_listed;
static uint32_t n_set;                  /* pages protected now (atomic reads) */

static void *page_ptr(uint32_t page)
{
    return (void *)((uintptr_t)page << PAGE_BITS);
}

/* Gives the page its write permission back (the caller records the code change).
   codeprot_lock held. */
static bool unprotect(uint32_t page)
{
    uint8_t v = page_prot[page];
    if (!v)
        return false;
    page_prot[page] = 0;
    __atomic_sub_fetch(&n_set, 1, __ATOMIC_RELAXED);
    mprotect(page_ptr(page), 1u << PAGE_BITS, rt_host_prot(v & ~SET));
    return true;
}

/* Keeps the listed pages that are still protected, once each. codeprot_lock held. */
static void compact(void)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n_listed; i++) {
        uint32_t page = listed[i];
        if (page_prot[page] & SET) {
            page_prot[page] &= (uint8_t)~SET;   /* seen: a second entry is dropped */
            listed[k++] = page;
        }
    }
    for (uint32_t i = 0; i < k; i++)
        page_prot[listed[i]] |= SET;
    n_listed = k;
}

void rt_codeprot_add(struct rt_process *p, uint32_t start, uint32_t end)
{
    if (end <= start)
        return;
    bool locked = false;                    /* codeprot_lock, taken at the first such page */
    pthread_mutex_lock(&p->mem_lock);
    for (uint32_t page = start >> PAGE_BITS; page <= (end - 1) >> PAGE_BITS; page++) {
        const struct rt_region *r = rt_mem_find(&p->mem, page << PAGE_BITS);
        if (!r || !(r->prot & RT_PROT_W))
            continue;                           /* the common case: code is read-only */
        if (!locked) {
            pthread_mutex_lock(&p->codeprot_lock);
            locked = true;
        }
        if (page_prot[page])
            continue;
        if (n_listed == cap_listed)
            compact();
        if (n_listed == cap_listed) {
            uint32_t cap = cap_listed ? cap_listed * 2 : 64;
            uint32_t *l = realloc(listed, cap * sizeof *l);
            if (!l)
                break;                          /* left writable: as without this file */
            listed = l;
            cap_listed = cap;
        }
        /* Marked before the protection: a store that faults finds the mark. */
        page_prot[page] = (uint8_t)(r->prot | SET);
        __atomic_add_fetch(&n_set, 1, __ATOMIC_RELAXED);
        listed[n_listed++] = page;
        mprotect(page_ptr(page), 1u << PAGE_BITS, rt_host_prot(r->prot & ~RT_PROT_W));
    }
    if (locked)
        pthread_mutex_unlock(&p->codeprot_lock);
    pthread_mutex_unlock(&p->mem_lock);
}

bool rt_codeprot_fault(struct rt_thread *rt, uint32_t addr)
{
    struct rt_process *p = rt->proc;
    uint32_t page = addr >> PAGE_BITS;
    if (!__atomic_load_n(&page_prot[page], __ATOMIC_RELAXED))
        return false;
    pthread_mutex_lock(&p->codeprot_lock);
    bool was = unprotect(page);
    pthread_mutex_unlock(&p->codeprot_lock);
    if (was)
        rt_code_changed(p, page << PAGE_BITS, (uint64_t)(page + 1) << PAGE_BITS);
    /* Chained blocks never pass the dispatcher: the next block's check sends them there,
       where this thread drops what it translated from the page. */
    if (rt->cpu)
        rt->cpu->interrupt = 1;
    return true;                                /* the store runs again, and succeeds */
}

void rt_codeprot_release_all(struct rt_process *p)
{
    if (!__atomic_load_n(&n_set, __ATOMIC_RELAXED))
        return;
    pthread_mutex_lock(&p->codeprot_lock);
    for (uint32_t i = 0; i < n_listed; i++) {
        uint32_t page = listed[i];
        if (unprotect(page))
            rt_code_changed(p, page << PAGE_BITS, (uint64_t)(page + 1) << PAGE_BITS);
    }
    n_listed = 0;
    pthread_mutex_unlock(&p->codeprot_lock);
}
