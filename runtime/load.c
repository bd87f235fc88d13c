/*
 * The guest program in guest memory: its PT_LOAD segments, at their addresses (ET_EXEC)
 * or at a load base (ET_DYN: PIE and static-PIE), and the dynamic loader that PT_INTERP
 * names, looked up in the sysroot first (rt_path) and placed where an mmap would go, as
 * Linux's load_elf_binary does. rt_load_program leaves what the initial stack's auxv and
 * registers need in struct rt_loaded.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aot.h"
#include "rt_internal.h"

static void *gp(uint32_t a) { return (void *)(uintptr_t)a; }

static unsigned seg_prot(uint32_t pflags)
{
    unsigned p = 0;
    if (pflags & PF_R)
        p |= RT_PROT_R;
    if (pflags & PF_W)
        p |= RT_PROT_W;
    if (pflags & PF_X)
        p |= RT_PROT_X | RT_PROT_R;     /* code stays readable: the frontend reads it */
    return p;
}

/* Maps every PT_LOAD at vaddr + bias: all of them RW first (they may share a boundary
   page), then the file bytes, then each page's protection as the union of the segments
   on it. */
static int map_segments(struct rt_process *p, const struct xl_image *img, uint32_t bias,
                        char *err, size_t errlen)
{
    uint64_t limit = p->mem.mmap_top;      /* below the stack and its guard */
    for (size_t i = 0; i < img->nsegs; i++) {
        const struct xl_segment *s = &img->segs[i];
        uint64_t lo = RT_PAGE_DOWN((uint64_t)s->vaddr + bias);
        uint64_t end = RT_PAGE_UP((uint64_t)s->vaddr + bias + s->memsz);
        if (lo < RT_GUEST_LO || end > limit) {
            snprintf(err, errlen, "segment at 0x%llx is outside the guest address space",
                     (unsigned long long)s->vaddr + bias);
            return -1;
        }
        int r = rt_mem_map_anon(&p->mem, (uint32_t)lo, (uint32_t)(end - lo),
                                RT_PROT_R | RT_PROT_W);
        if (r) {
            snprintf(err, errlen, "cannot map segment at 0x%llx: %s",
                     (unsigned long long)s->vaddr + bias, strerror(-r));
            return -1;
        }
    }
    for (size_t i = 0; i < img->nsegs; i++)
        if (img->segs[i].filesz)
            memcpy(gp(img->segs[i].vaddr + bias), img->segs[i].data, img->segs[i].filesz);
    for (size_t i = 0; i < img->nsegs; i++) {
        const struct xl_segment *s = &img->segs[i];
        uint64_t lo = RT_PAGE_DOWN(s->vaddr), end = RT_PAGE_UP((uint64_t)s->vaddr + s->memsz);
        for (uint64_t pg = lo; pg < end; pg += RT_PAGE) {
            unsigned prot = 0;
            for (size_t j = 0; j < img->nsegs; j++) {
                const struct xl_segment *t = &img->segs[j];
                if (RT_PAGE_DOWN(t->vaddr) <= pg && RT_PAGE_UP((uint64_t)t->vaddr + t->memsz) > pg)
                    prot |= seg_prot(t->flags);
            }
            rt_mem_protect(&p->mem, (uint32_t)(pg + bias), RT_PAGE, prot);
        }
    }
    return 0;
}

/* The dynamic loader: loaded from the sysroot (or the host), mapped where the top-down
   mmap allocator puts a block of its size. */
static int load_interp(struct rt_process *p, const char *name, struct rt_loaded *out,
                       char *err, size_t errlen)
{
    char buf[PATH_MAX], ierr[200];
    const char *path = rt_path(p, name, buf, sizeof buf);
    struct xl_image ld;
    if (xl_image_load(path, &ld, ierr, sizeof ierr) != 0) {
        snprintf(err, errlen, "cannot load the dynamic loader %s: %s%s", path, ierr,
                 p->sysroot ? "" : " (no sysroot: -L DIR or XLATE_LD_PREFIX names one)");
        return -1;
    }
    int rc = -1;
    if (ld.interp) {
        snprintf(err, errlen, "the dynamic loader %s is itself dynamically linked", path);
        goto out;
    }
    uint64_t lo, hi;
    xl_image_span(&ld, &lo, &hi);
    uint32_t bias = 0;
    /* Its translation from the cache, if the range it was made for is free. */
    const struct xl_module_info *aot = NULL;
    int fd = ld.dyn && rt_libcache_enabled() ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        aot = rt_libcache_find(fd, hi - lo, path);
        close(fd);
        if (aot && !rt_mem_free(&p->mem, aot->base, (uint64_t)aot->base + (hi - lo)))
            aot = NULL;
    }
    if (aot) {
        bias = aot->base - (uint32_t)lo;
    } else if (ld.dyn) {
        uint32_t at = rt_mem_find_free(&p->mem, (uint32_t)(hi - lo),
                                       (uint32_t)RT_PAGE_UP(p->mem.brk_cur), p->mem.mmap_top);
        if (!at) {
            snprintf(err, errlen, "no room for the dynamic loader %s", path);
            goto out;
        }
        bias = at - (uint32_t)lo;
    }
    if (map_segments(p, &ld, bias, err, errlen) == 0) {
        rt_module_add(p, (uint32_t)(lo + bias), hi + bias, ld.path, aot);
        p->interp_start = (uint32_t)(lo + bias);
        p->interp_end = hi + bias;
        out->interp_base = bias;
        out->start = ld.entry + bias;
        rc = 0;
    }
out:
    xl_image_free(&ld);
    return rc;
}

int rt_load_program(struct rt_process *p, struct rt_loaded *out, char *err, size_t errlen)
{
    const struct xl_image *img = p->img;
    uint64_t lo, hi;
    xl_image_span(img, &lo, &hi);
    uint32_t bias = xl_image_program_bias(img);
    if (img->dyn && hi - lo > p->mem.mmap_top - XL_PIE_BASE) {
        snprintf(err, errlen, "the program (%llu bytes of segments) does not fit in the guest "
                 "address space", (unsigned long long)(hi - lo));
        return -1;
    }
    if (map_segments(p, img, bias, err, errlen))
        return -1;
    /* The first module: a translated program is named by the ARM file it was made from. */
    rt_module_add(p, (uint32_t)(lo + bias), hi + bias,
                  p->opt && p->opt->guest_path ? p->opt->guest_path : img->path, NULL);
    memset(out, 0, sizeof *out);
    out->bias = bias;
    out->entry = out->start = img->entry + bias;
    out->phdr = img->phdr_vaddr ? img->phdr_vaddr + bias : 0;
    p->mem.brk_start = p->mem.brk_cur = (uint32_t)(hi + bias);
    if (img->interp && load_interp(p, img->interp, out, err, errlen))
        return -1;
    return 0;
}
