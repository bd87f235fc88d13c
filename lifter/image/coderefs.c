/*
 * Code that data points at: the targets of R_ARM_RELATIVE relocations that fall inside an
 * executable section (function pointers in tables, vtables, .init_array), the resolvers
 * that R_ARM_IRELATIVE relocations name (a static program's IFUNCs: glibc's string
 * functions), and the entries of .preinit_array, .init_array and .fini_array. A static
 * program that is not PIE has no relocations at all: there the words of .got and
 * .data.rel.ro, the sections that hold the addresses the code takes (main's among them, for
 * _start), count as pointers too. A stripped file names only
 * its exported functions (a static program none); the static ones it calls through
 * pointers (sqlite's VFS and virtual-table methods, qsort comparators, constructors) are
 * found this way. Bit 0 of a target is the Thumb bit, as in any ARM code pointer; a target
 * without it is taken as ARM code only when it is word-aligned and its word is an
 * unconditional instruction (condition field 0xe), so that an address of data in .text
 * seeds nothing.
 */
#include <stdlib.h>

#include "coderefs.h"
#include "sections.h"

#ifndef R_ARM_RELATIVE
#define R_ARM_RELATIVE 23
#endif
#ifndef R_ARM_IRELATIVE
#define R_ARM_IRELATIVE 160
#endif

struct refs {
    const struct xl_image *img;
    struct xl_exec_ranges exec;
    uint32_t *v;
    size_t n, cap;
    bool oom;
};

void xl_exec_sections(const struct xl_image *img, struct xl_exec_ranges *r)
{
    struct elf_file f = { img->file, img->file_size };
    Elf32_Ehdr eh;
    Elf32_Shdr sh;
    r->n = 0;
    r->truncated = false;
    if (!elf_ehdr(&f, &eh))
        return;
    for (uint32_t i = 1; i < eh.e_shnum && elf_shdr(&f, &eh, i, &sh); i++)
        if (sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_EXECINSTR)) {
            if (r->n == sizeof r->lo / sizeof r->lo[0]) {
                r->truncated = true;
                break;
            }
            r->lo[r->n] = sh.sh_addr + img->bias;
            r->hi[r->n] = sh.sh_addr + img->bias + sh.sh_size;
            r->n++;
        }
}

static bool in_exec(const struct xl_exec_ranges *r, uint32_t a)
{
    for (size_t e = 0; e < r->n; e++)
        if (a >= r->lo[e] && a < r->hi[e])
            return true;
    return false;
}

bool xl_arm_code_ptr(const struct xl_image *img, const struct xl_exec_ranges *r, uint32_t t)
{
    uint32_t avail;
    const uint8_t *c = !(t & 3) && in_exec(r, t) ? xl_image_ptr(img, t, &avail) : NULL;
    return c && avail >= 4 && (elf_rd32(c) >> 28) == 0xe;
}

bool xl_may_be_code(const struct xl_exec_ranges *r, uint32_t a)
{
    return r->n == 0 || r->truncated || in_exec(r, a);
}

/* Keeps t (a pointer as the file holds it, before the load bias) if it is code. */
static void add_ref(struct refs *r, uint32_t t)
{
    const struct xl_image *img = r->img;
    uint32_t a = (t & ~1u) + img->bias;
    bool code = (t & 1) ? in_exec(&r->exec, a) : xl_arm_code_ptr(img, &r->exec, a);
    if (!code || r->oom)
        return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        uint32_t *n = realloc(r->v, cap * sizeof *n);
        if (!n) {
            r->oom = true;
            return;
        }
        r->v = n;
        r->cap = cap;
    }
    r->v[r->n++] = t + img->bias;
}

/* Sections of nothing but addresses: the GOT, relocated constants, and static glibc's
   arrays of function pointers (FILE jump tables, the atexit and freeres hooks). */
static const char *const pointer_sections[] = {
    ".got", ".data.rel.ro", "__libc_IO_vtables", "__libc_subfreeres", "__libc_atexit",
};

/* t points at a push of lr: `push {.., lr}`, `push.w {.., lr}` (Thumb), `push {.., lr}`,
   `str lr, [sp, #-4]!` (ARM). */
static bool saves_lr(const struct xl_image *img, uint32_t t)
{
    uint32_t avail;
    const uint8_t *c = xl_image_ptr(img, (t & ~1u) + img->bias, &avail);
    if (!c || avail < 4)
        return false;
    uint32_t w = elf_rd32(c);
    if (t & 1)
        return (w & 0xff00u) == 0xb500u || ((w & 0xffffu) == 0xe92du && (w & 0x40000000u));
    return (w & 0xffff4000u) == 0xe92d4000u || w == 0xe52de004u;
}

/* The name of section sh, from the section-name table strtab; "" when it is not a string
   inside the table. */
static const char *section_name(const struct elf_file *f, const Elf32_Shdr *strtab,
                                const Elf32_Shdr *sh)
{
    if (!elf_in(f, strtab->sh_offset, strtab->sh_size) || sh->sh_name >= strtab->sh_size)
        return "";
    const char *s = (const char *)f->p + strtab->sh_offset + sh->sh_name;
    return memchr(s, '\0', strtab->sh_size - sh->sh_name) ? s : "";
}

/* The word at file address va (before the bias), or false when the file holds none. */
static bool word_at(const struct xl_image *img, uint32_t va, uint32_t *w)
{
    uint32_t avail;
    const uint8_t *p = xl_image_ptr(img, va + img->bias, &avail);
    if (!p || avail < 4)
        return false;
    *w = elf_rd32(p);
    return true;
}

int xl_code_refs(const struct xl_image *img, uint32_t **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    struct refs r = { .img = img };
    struct elf_file f = { img->file, img->file_size };
    Elf32_Ehdr eh;
    if (!elf_ehdr(&f, &eh))
        return 0;
    Elf32_Shdr sh, strtab;
    if (!elf_shdr(&f, &eh, eh.e_shstrndx, &strtab))
        memset(&strtab, 0, sizeof strtab);
    xl_exec_sections(img, &r.exec);
    for (uint32_t i = 1; i < eh.e_shnum && elf_shdr(&f, &eh, i, &sh); i++) {
        uint32_t w;
        if (!elf_in(&f, sh.sh_offset, sh.sh_size))
            continue;                   /* every kind read here has its bytes in the file */
        const char *name = eh.e_type == ET_EXEC && sh.sh_type == SHT_PROGBITS
                           ? section_name(&f, &strtab, &sh) : "";
        bool pointers = false;
        for (size_t k = 0; k < sizeof pointer_sections / sizeof *pointer_sections; k++)
            pointers |= strcmp(name, pointer_sections[k]) == 0;
        if (strcmp(name, ".data") == 0) {
            for (uint32_t k = 0; k + 4 <= sh.sh_size; k += 4)
                if (word_at(img, sh.sh_addr + k, &w) && saves_lr(img, w))
                    add_ref(&r, w);
            continue;
        }
        if (sh.sh_type == SHT_INIT_ARRAY || sh.sh_type == SHT_FINI_ARRAY ||
            sh.sh_type == SHT_PREINIT_ARRAY || pointers) {
            /* In a PIE or a library these words are relocated (RELATIVE, above); the
               file's own value is then the unbiased target all the same. */
            for (uint32_t k = 0; k + 4 <= sh.sh_size; k += 4)
                if (word_at(img, sh.sh_addr + k, &w))
                    add_ref(&r, w);
            continue;
        }
        if (sh.sh_type != SHT_REL || sh.sh_entsize != sizeof(Elf32_Rel))
            continue;
        for (uint32_t k = 0; k + sizeof(Elf32_Rel) <= sh.sh_size; k += sizeof(Elf32_Rel)) {
            Elf32_Rel rel;
            memcpy(&rel, f.p + sh.sh_offset + k, sizeof rel);
            unsigned type = ELF32_R_TYPE(rel.r_info);
            /* The word the relocation changes holds the target before the load bias (for
               IRELATIVE: the resolver's address, REL keeps the addend in place). */
            if ((type == R_ARM_RELATIVE || type == R_ARM_IRELATIVE) &&
                word_at(img, rel.r_offset, &w))
                add_ref(&r, w);
        }
    }
    if (r.oom) {
        free(r.v);
        return -1;
    }
    *out = r.v;
    *nout = r.n;
    return 0;
}
