/*
 * Guest memory. Guest address A is host address A: [64 KiB, 4 GiB) is reserved PROT_NONE at
 * start-up, and every guest mapping is made with MAP_FIXED inside it. Freed ranges go back to
 * PROT_NONE; nothing is ever unmapped from the reservation, so host allocations (which live
 * above 4 GiB, the host program being PIE) can never land in guest space.
 *
 * struct rt_mem records the guest's mappings with their guest protections: the frontend's
 * fetch callback asks it whether an address is executable, and mmap2 looks for free ranges
 * in it. The bookkeeping half of this file is pure and unit tested without the reservation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lifter/ir/xl_assert.h"
#include "../lifter/jit/jit.h"
#include "aot.h"
#include "rt_internal.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* ---------------- the region list ---------------- */

void rt_mem_init(struct rt_mem *m)
{
    memset(m, 0, sizeof(*m));
}

void rt_mem_fini(struct rt_mem *m)
{
    free(m->r);
    memset(m, 0, sizeof(*m));
}

static void insert_at(struct rt_mem *m, size_t i, struct rt_region reg)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->r = realloc(m->r, m->cap * sizeof(*m->r));
        xl_assert(m->r != NULL);
    }
    memmove(&m->r[i + 1], &m->r[i], (m->n - i) * sizeof(*m->r));
    m->r[i] = reg;
    m->n++;
}

static void remove_at(struct rt_mem *m, size_t i)
{
    memmove(&m->r[i], &m->r[i + 1], (m->n - i - 1) * sizeof(*m->r));
    m->n--;
}

void rt_mem_clear(struct rt_mem *m, uint32_t start, uint64_t end)
{
    size_t i = 0;
    while (i < m->n) {
        struct rt_region *r = &m->r[i];
        if (r->end <= start || r->start >= end) {
            i++;
            continue;
        }
        if (r->start < start && r->end > end) {         /* split in two */
            struct rt_region hi = { (uint32_t)end, r->end, r->prot };
            r->end = start;
            insert_at(m, i + 1, hi);
            return;
        }
        if (r->start < start) {                         /* keep the low part */
            r->end = start;
            i++;
        } else if (r->end > end) {                      /* keep the high part */
            r->start = (uint32_t)end;
            i++;
        } else {                                        /* all of it goes */
            remove_at(m, i);
        }
    }
}

void rt_mem_set(struct rt_mem *m, uint32_t start, uint64_t end, unsigned prot)
{
    if (end <= start)
        return;
    rt_mem_clear(m, start, end);
    size_t i = 0;
    while (i < m->n && m->r[i].start < start)
        i++;
    insert_at(m, i, (struct rt_region){ start, end, (uint8_t)prot });
    /* One region for a run of pages with one protection: the loader sets it page by page,
       and the JIT's fetch walks regions (a 300-page text as 300 regions was a quarter of
       `xlate run busybox true`). */
    if (i + 1 < m->n && m->r[i + 1].start == m->r[i].end && m->r[i + 1].prot == prot) {
        m->r[i].end = m->r[i + 1].end;
        remove_at(m, i + 1);
    }
    if (i > 0 && m->r[i - 1].end == m->r[i].start && m->r[i - 1].prot == prot) {
        m->r[i - 1].end = m->r[i].end;
        remove_at(m, i);
    }
}

const struct rt_region *rt_mem_find(const struct rt_mem *m, uint32_t addr)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->r[mid].end <= addr)
            lo = mid + 1;
        else if (m->r[mid].start > addr)
            hi = mid;
        else
            return &m->r[mid];
    }
    return NULL;
}

bool rt_mem_mapped(const struct rt_mem *m, uint32_t start, uint64_t end)
{
    uint64_t a = start;
    while (a < end) {
        const struct rt_region *r = rt_mem_find(m, (uint32_t)a);
        if (!r)
            return false;
        a = r->end;
    }
    return true;
}

bool rt_mem_free(const struct rt_mem *m, uint32_t start, uint64_t end)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->r[i].start < end && m->r[i].end > start)
            return false;
    return true;
}

bool rt_mem_has_prot(const struct rt_mem *m, uint32_t start, uint64_t end, unsigned prot)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->r[i].start < end && m->r[i].end > start && (m->r[i].prot & prot))
            return true;
    return false;
}

uint32_t rt_mem_find_free(const struct rt_mem *m, uint32_t len, uint32_t lo, uint64_t hi)
{
    len = (uint32_t)RT_PAGE_UP(len);
    if (len == 0 || hi < (uint64_t)lo + len)
        return 0;
    /* Walk the gaps from the top down: the gap above region i-1 and below region i. */
    uint64_t gap_hi = hi;
    for (size_t k = m->n + 1; k-- > 0;) {
        uint64_t gap_lo = k > 0 ? m->r[k - 1].end : lo;
        uint64_t top = k < m->n && m->r[k].start < gap_hi ? m->r[k].start : gap_hi;
        if (gap_lo < lo)
            gap_lo = lo;
        if (top > hi)
            top = hi;
        if (top >= gap_lo + len && RT_PAGE_DOWN(top - len) >= gap_lo)
            return (uint32_t)RT_PAGE_DOWN(top - len);
        if (k > 0 && m->r[k - 1].start < gap_hi)
            gap_hi = m->r[k - 1].start;
        if (gap_hi <= lo)
            break;
    }
    return 0;
}

uint32_t rt_mem_code_avail(const struct rt_mem *m, uint32_t addr)
{
    uint64_t a = addr;
    for (;;) {
        const struct rt_region *r = rt_mem_find(m, (uint32_t)a);
        if (!r || !(r->prot & RT_PROT_X) || !(r->prot & RT_PROT_R))
            break;
        a = r->end;
        if (a >= RT_GUEST_HI)
            break;
    }
    uint64_t n = a - addr;
    return n > 0xffffffffu ? 0xffffffffu : (uint32_t)n;
}

/* ---------------- host side ---------------- */

static void *gptr(uint32_t a) { return (void *)(uintptr_t)a; }

int rt_host_prot(unsigned guest_prot)
{
    /* Guest code is never executed by the host, but the frontend reads it. */
    int p = 0;
    if (guest_prot & (RT_PROT_R | RT_PROT_X))
        p |= PROT_READ;
    if (guest_prot & RT_PROT_W)
        p |= PROT_WRITE;
    return p;
}

int rt_mem_reserve(void)
{
    size_t len = (size_t)(RT_GUEST_HI + RT_GUARD - RT_GUEST_LO);
    void *p = mmap(gptr(RT_GUEST_LO), len, PROT_NONE,
                   MAP_FIXED_NOREPLACE | MAP_NORESERVE | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    if (p != gptr(RT_GUEST_LO)) {     /* an old kernel that ignored MAP_FIXED_NOREPLACE */
        munmap(p, len);
        return -EEXIST;
    }
    return 0;
}

void rt_mem_release(void)
{
    munmap(gptr(RT_GUEST_LO), (size_t)(RT_GUEST_HI + RT_GUARD - RT_GUEST_LO));
}

static bool in_guest(uint32_t start, uint64_t len)
{
    return start >= RT_GUEST_LO && (uint64_t)start + len <= RT_KUSER_PAGE;
}

int rt_mem_map_anon(struct rt_mem *m, uint32_t start, uint32_t len, unsigned prot)
{
    void *p = mmap(gptr(start), len, rt_host_prot(prot),
                   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    rt_mem_set(m, start, (uint64_t)start + len, prot);
    return 0;
}

int rt_mem_protect(struct rt_mem *m, uint32_t start, uint32_t len, unsigned prot)
{
    if (mprotect(gptr(start), len, rt_host_prot(prot)) != 0)
        return -errno;
    rt_mem_set(m, start, (uint64_t)start + len, prot);
    return 0;
}

void rt_mem_unmap(struct rt_mem *m, uint32_t start, uint32_t len)
{
    void *p = mmap(gptr(start), len, PROT_NONE,
                   MAP_FIXED | MAP_NORESERVE | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    xl_assert(p != MAP_FAILED);
    rt_mem_clear(m, start, (uint64_t)start + len);
}

/* [start, end) changes: if guest code was there, every thread's translations of it go
   (each thread's dispatcher sees the new code_gen before it runs guest code again).
   Mapping over data or free space, the common mmap, costs nothing. */
static void invalidate(struct rt_thread *rt, uint32_t start, uint64_t end)
{
    if (rt_mem_has_prot(&rt->proc->mem, start, end, RT_PROT_X))
        rt_code_changed(rt->proc, start, end);
}

void rt_code_changed(struct rt_process *p, uint32_t start, uint64_t end)
{
    pthread_mutex_lock(&p->code_lock);
    uint64_t gen = p->code_gen + 1;
    p->code_log[gen % RT_CODE_LOG] = (struct rt_code_change){
        .gen = gen, .start = start, .end = end > 0xffffffffu ? 0xffffffffu : (uint32_t)end };
    __atomic_store_n(&p->code_gen, gen, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&p->code_lock);
}

void rt_code_sync(struct rt_thread *rt)
{
    struct rt_process *p = rt->proc;
    if (__atomic_load_n(&p->code_gen, __ATOMIC_ACQUIRE) == rt->code_gen)
        return;
    pthread_mutex_lock(&p->code_lock);
    uint64_t gen = p->code_gen;
    if (gen - rt->code_gen > RT_CODE_LOG) {
        jit_invalidate(rt->jit, 0, 0xffffffffu);
    } else {
        for (uint64_t g = rt->code_gen + 1; g <= gen; g++) {
            const struct rt_code_change *c = &p->code_log[g % RT_CODE_LOG];
            jit_invalidate(rt->jit, c->start, c->end);
        }
    }
    rt->code_gen = gen;
    pthread_mutex_unlock(&p->code_lock);
}

bool rt_mem_access(struct rt_process *p, uint32_t start, uint64_t n, unsigned prot)
{
    uint64_t end = (uint64_t)start + n;
    bool ok = true;
    pthread_mutex_lock(&p->mem_lock);
    for (uint64_t a = start; ok && a < end;) {
        const struct rt_region *r = rt_mem_find(&p->mem, (uint32_t)a);
        ok = r && (r->prot & prot) == prot;
        if (ok)
            a = r->end;
    }
    pthread_mutex_unlock(&p->mem_lock);
    return ok;
}

static uint32_t sys_brk_locked(struct rt_thread *rt, uint32_t newbrk)
{
    struct rt_mem *m = &rt->proc->mem;
    if (newbrk < m->brk_start)
        return m->brk_cur;
    uint64_t cur_top = RT_PAGE_UP(m->brk_cur), new_top = RT_PAGE_UP(newbrk);
    if (new_top > cur_top) {
        if (new_top > RT_KUSER_PAGE || !rt_mem_free(m, (uint32_t)cur_top, new_top))
            return m->brk_cur;
        if (rt_mem_map_anon(m, (uint32_t)cur_top, (uint32_t)(new_top - cur_top),
                            RT_PROT_R | RT_PROT_W) != 0)
            return m->brk_cur;
    } else if (new_top < cur_top) {
        rt_mem_unmap(m, (uint32_t)new_top, (uint32_t)(cur_top - new_top));
    }
    m->brk_cur = newbrk;
    return newbrk;
}

static int64_t sys_mmap2_locked(struct rt_thread *rt, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
                     int32_t fd, uint32_t pgoff)
{
    struct rt_mem *m = &rt->proc->mem;
    if (len == 0)
        return -EINVAL;
    uint64_t alen = RT_PAGE_UP((uint64_t)len);
    if (alen > RT_KUSER_PAGE)
        return -ENOMEM;
    uint32_t start;
    const struct xl_module_info *aot = NULL;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & (RT_PAGE - 1))
            return -EINVAL;
        if (!in_guest(addr, alen))
            return -ENOMEM;
        if ((flags & MAP_FIXED_NOREPLACE) && !rt_mem_free(m, addr, addr + alen))
            return -EEXIST;
        start = addr;
    } else {
        start = 0;
        /* A library's first mapping goes where its translation from the cache expects it,
           when that is free (libcache.c). */
        if ((prot & PROT_EXEC) && !(flags & MAP_ANONYMOUS) && pgoff == 0 &&
            rt_libcache_enabled()) {
            aot = rt_libcache_find(fd, alen, NULL);
            if (aot && rt_mem_free(m, aot->base, (uint64_t)aot->base + alen))
                start = aot->base;
            else
                aot = NULL;
        }
        /* ld.so's reservation for a library aligned more than a page: at the translation's
           base (a multiple of 64 KiB), so that the aligned MAP_FIXED mapping lands there. */
        const struct xl_module_info *want = rt->pending_lib;
        if (!start && want && (flags & MAP_ANONYMOUS) && (prot & 7) == 0 &&
            alen >= want->span && alen - want->span <= 0x1000000 &&
            rt_mem_free(m, want->base, (uint64_t)want->base + alen))
            start = want->base;
        if (!start && addr && !(addr & (RT_PAGE - 1)) && in_guest(addr, alen) &&
            rt_mem_free(m, addr, addr + alen))
            start = addr;
        if (!start)
            start = rt_mem_find_free(m, (uint32_t)alen, (uint32_t)RT_PAGE_UP(m->brk_cur),
                                     m->mmap_top);
        if (!start)
            start = rt_mem_find_free(m, (uint32_t)alen, RT_GUEST_LO, RT_KUSER_PAGE);
        if (!start)
            return -ENOMEM;
    }
    int hflags = (int)(flags & ~(uint32_t)(MAP_FIXED_NOREPLACE | MAP_GROWSDOWN)) | MAP_FIXED;
    void *p = mmap(gptr(start), alen, rt_host_prot(prot), hflags,
                   (flags & MAP_ANONYMOUS) ? -1 : fd, (off_t)pgoff * 4096);
    if (p == MAP_FAILED) {
        int e = errno;
        /* A failed MAP_FIXED may leave a hole: fill free ranges with the reservation. */
        if (rt_mem_free(m, start, start + alen))
            mmap(gptr(start), alen, PROT_NONE,
                 MAP_FIXED | MAP_NORESERVE | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return -e;
    }
    invalidate(rt, start, start + alen);
    rt_mem_set(m, start, start + alen, prot & 7);
    /* A file mapped executable from its start where the kernel chooses, or where no module
       is: a library (ld.so maps each one whole at first, then its other segments inside
       that range with MAP_FIXED). */
    if ((prot & PROT_EXEC) && !(flags & MAP_ANONYMOUS) &&
        ((pgoff == 0 && !(flags & MAP_FIXED)) || !rt_module_at(rt->proc, start))) {
        /* A MAP_FIXED first mapping: into a reservation made at the translation's base
           (then the translation is used), or anywhere else (then the library is only
           noted as wanted, libcache.c). */
        if (!aot && (flags & MAP_FIXED) && pgoff == 0 && rt_libcache_enabled()) {
            aot = rt_libcache_find(fd, alen, NULL);
            if (aot && aot->base != start)
                aot = NULL;
        }
        rt_module_add_fd(rt->proc, start, start + alen, fd, aot);
    }
    if (!(flags & MAP_ANONYMOUS))
        rt->pending_lib = NULL;             /* the library's first mapping is done */
    return start;
}

static int64_t sys_munmap_locked(struct rt_thread *rt, uint32_t addr, uint32_t len)
{
    if ((addr & (RT_PAGE - 1)) || len == 0)
        return -EINVAL;
    uint64_t alen = RT_PAGE_UP((uint64_t)len);
    if (!in_guest(addr, alen))
        return -EINVAL;
    invalidate(rt, addr, addr + alen);
    rt_modules_unmapped(rt->proc, addr, addr + alen);
    rt_mem_unmap(&rt->proc->mem, addr, (uint32_t)alen);
    return 0;
}

static int64_t sys_mprotect_locked(struct rt_thread *rt, uint32_t addr, uint32_t len, uint32_t prot)
{
    if (addr & (RT_PAGE - 1))
        return -EINVAL;
    uint64_t alen = RT_PAGE_UP((uint64_t)len);
    if (alen == 0)
        return 0;
    if (!in_guest(addr, alen) || !rt_mem_mapped(&rt->proc->mem, addr, addr + alen))
        return -ENOMEM;
    /* PROT_GROWSDOWN: down to the start of the stack (ld.so makes the stack executable so
       for a library that wants it; the kernel takes the whole stack mapping). */
    const uint32_t stack_base = RT_STACK_TOP - RT_STACK_SIZE;
    if ((prot & PROT_GROWSDOWN) && addr >= stack_base && addr < RT_STACK_TOP) {
        alen += addr - stack_base;
        addr = stack_base;
    }
    /* Code that changes protection may be rewritten next (self-modifying code). */
    invalidate(rt, addr, addr + alen);
    return rt_mem_protect(&rt->proc->mem, addr, (uint32_t)alen, prot & 7);
}

static int64_t sys_mremap_locked(struct rt_thread *rt, uint32_t old, uint32_t oldlen, uint32_t newlen,
                      uint32_t flags, uint32_t newaddr)
{
    struct rt_mem *m = &rt->proc->mem;
    if ((old & (RT_PAGE - 1)) || newlen == 0 || (flags & ~3u))
        return -EINVAL;
    uint64_t olen = RT_PAGE_UP((uint64_t)oldlen), nlen = RT_PAGE_UP((uint64_t)newlen);
    if (!in_guest(old, olen) || olen == 0)
        return -EFAULT;
    const struct rt_region *r = rt_mem_find(m, old);
    if (!r || !rt_mem_mapped(m, old, old + olen))
        return -EFAULT;
    unsigned prot = r->prot;
    invalidate(rt, old, old + olen);
    rt_modules_unmapped(rt->proc, old, old + olen);
    if (!(flags & MREMAP_FIXED) && nlen <= olen) {        /* shrink in place */
        if (nlen < olen)
            rt_mem_unmap(m, (uint32_t)(old + nlen), (uint32_t)(olen - nlen));
        return old;
    }
    if (!(flags & MREMAP_FIXED) && in_guest(old, nlen) &&
        rt_mem_free(m, (uint32_t)(old + olen), old + nlen)) {
        /* Grow in place: drop the reserved pages above, then let the host grow it. */
        munmap(gptr((uint32_t)(old + olen)), nlen - olen);
        void *p = mremap(gptr(old), olen, nlen, 0);
        if (p != MAP_FAILED) {
            rt_mem_set(m, old, old + nlen, prot);
            return old;
        }
        mmap(gptr((uint32_t)(old + olen)), nlen - olen, PROT_NONE,
             MAP_FIXED | MAP_NORESERVE | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    uint32_t dst;
    if (flags & MREMAP_FIXED) {
        if ((newaddr & (RT_PAGE - 1)) || !in_guest(newaddr, nlen))
            return -EINVAL;
        if (newaddr < old + olen && old < newaddr + nlen)
            return -EINVAL;
        dst = newaddr;
        invalidate(rt, dst, dst + nlen);
    } else {
        dst = rt_mem_find_free(m, (uint32_t)nlen, (uint32_t)RT_PAGE_UP(m->brk_cur), m->mmap_top);
        if (!dst)
            dst = rt_mem_find_free(m, (uint32_t)nlen, RT_GUEST_LO, RT_KUSER_PAGE);
        if (!dst)
            return -ENOMEM;
    }
    void *p = mremap(gptr(old), olen, nlen, MREMAP_MAYMOVE | MREMAP_FIXED, gptr(dst));
    if (p == MAP_FAILED)
        return -errno;
    /* The old range is now a hole in the reservation: fill it again. */
    mmap(gptr(old), olen, PROT_NONE, MAP_FIXED | MAP_NORESERVE | MAP_PRIVATE | MAP_ANONYMOUS,
         -1, 0);
    rt_mem_clear(m, old, old + olen);
    rt_mem_set(m, dst, dst + nlen, prot);
    return dst;
}

/* The syscalls: each one whole under mem_lock. */
uint32_t rt_sys_brk(struct rt_thread *rt, uint32_t newbrk)
{
    pthread_mutex_lock(&rt->proc->mem_lock);
    uint32_t r = sys_brk_locked(rt, newbrk);
    pthread_mutex_unlock(&rt->proc->mem_lock);
    return r;
}

int64_t rt_sys_mmap2(struct rt_thread *rt, uint32_t addr, uint32_t len, uint32_t prot,
                     uint32_t flags, int32_t fd, uint32_t pgoff)
{
    pthread_mutex_lock(&rt->proc->mem_lock);
    int64_t r = sys_mmap2_locked(rt, addr, len, prot, flags, fd, pgoff);
    pthread_mutex_unlock(&rt->proc->mem_lock);
    return r;
}

int64_t rt_sys_munmap(struct rt_thread *rt, uint32_t addr, uint32_t len)
{
    pthread_mutex_lock(&rt->proc->mem_lock);
    int64_t r = sys_munmap_locked(rt, addr, len);
    pthread_mutex_unlock(&rt->proc->mem_lock);
    return r;
}

int64_t rt_sys_mprotect(struct rt_thread *rt, uint32_t addr, uint32_t len, uint32_t prot)
{
    pthread_mutex_lock(&rt->proc->mem_lock);
    int64_t r = sys_mprotect_locked(rt, addr, len, prot);
    pthread_mutex_unlock(&rt->proc->mem_lock);
    return r;
}

int64_t rt_sys_mremap(struct rt_thread *rt, uint32_t old, uint32_t oldlen, uint32_t newlen,
                      uint32_t flags, uint32_t newaddr)
{
    pthread_mutex_lock(&rt->proc->mem_lock);
    int64_t r = sys_mremap_locked(rt, old, oldlen, newlen, flags, newaddr);
    pthread_mutex_unlock(&rt->proc->mem_lock);
    return r;
}
