/*
 * The initial guest stack, laid out as Linux's create_elf_tables (fs/binfmt_elf.c) does for
 * an ARM process: from the top, a null word, the exec file name, the env and arg strings,
 * then the platform string and the 16 AT_RANDOM bytes, and below them (16-byte aligned)
 * argc, argv[], NULL, envp[], NULL, auxv pairs ending in AT_NULL.
 */
#include <elf.h>
#include <string.h>

#include "rt_internal.h"

struct sbuf {
    uint8_t *mem;
    uint32_t base, p;       /* p: current guest address, moving down */
};

static int push_bytes(struct sbuf *s, const void *data, uint32_t n)
{
    if (s->p - s->base < n)
        return -1;
    s->p -= n;
    memcpy(s->mem + (s->p - s->base), data, n);
    return 0;
}

static void put32(struct sbuf *s, uint32_t addr, uint32_t v)
{
    memcpy(s->mem + (addr - s->base), &v, 4);
}

int rt_build_stack(uint8_t *mem, uint32_t base, uint32_t top, const struct rt_stack_args *a,
                   uint32_t *sp)
{
    struct sbuf s = { mem, base, top };
    int envc = 0;
    while (a->envp && a->envp[envc])
        envc++;
    uint32_t zero = 0;
    uint32_t argp[a->argc > 0 ? a->argc : 1], envpp[envc > 0 ? envc : 1];

    if (push_bytes(&s, &zero, 4) || push_bytes(&s, a->execfn, strlen(a->execfn) + 1))
        return -1;
    uint32_t execfn = s.p;
    /* Strings are copied so that argv[0] ends up lowest: push them last-first. */
    for (int i = envc; i-- > 0;) {
        if (push_bytes(&s, a->envp[i], strlen(a->envp[i]) + 1))
            return -1;
        envpp[i] = s.p;
    }
    for (int i = a->argc; i-- > 0;) {
        if (push_bytes(&s, a->argv[i], strlen(a->argv[i]) + 1))
            return -1;
        argp[i] = s.p;
    }
    s.p &= ~3u;
    if (push_bytes(&s, a->platform, strlen(a->platform) + 1))
        return -1;
    uint32_t platform = s.p;
    if (push_bytes(&s, a->random16, 16))
        return -1;
    uint32_t random = s.p;
    s.p &= ~15u;

    const uint32_t auxv[][2] = {
        { AT_HWCAP, a->hwcap },   { AT_PAGESZ, RT_PAGE },   { AT_CLKTCK, 100 },
        { AT_PHDR, a->phdr },     { AT_PHENT, a->phent },   { AT_PHNUM, a->phnum },
        { AT_BASE, a->base },     { AT_FLAGS, 0 },          { AT_ENTRY, a->entry },
        { AT_UID, a->uid },       { AT_EUID, a->euid },     { AT_GID, a->gid },
        { AT_EGID, a->egid },     { AT_SECURE, 0 },         { AT_RANDOM, random },
        { AT_HWCAP2, a->hwcap2 }, { AT_EXECFN, execfn },    { AT_PLATFORM, platform },
        { AT_NULL, 0 },
    };
    uint32_t nauxv = sizeof(auxv) / sizeof(auxv[0]);
    uint32_t words = 1 + (uint32_t)a->argc + 1 + (uint32_t)envc + 1 + 2 * nauxv;
    if (s.p - s.base < words * 4 + 16)
        return -1;
    uint32_t p = (s.p - words * 4) & ~15u;
    *sp = p;
    put32(&s, p, (uint32_t)a->argc);
    p += 4;
    for (int i = 0; i < a->argc; i++, p += 4)
        put32(&s, p, argp[i]);
    put32(&s, p, 0);
    p += 4;
    for (int i = 0; i < envc; i++, p += 4)
        put32(&s, p, envpp[i]);
    put32(&s, p, 0);
    p += 4;
    for (uint32_t i = 0; i < nauxv; i++, p += 8) {
        put32(&s, p, auxv[i][0]);
        put32(&s, p + 4, auxv[i][1]);
    }
    return 0;
}
