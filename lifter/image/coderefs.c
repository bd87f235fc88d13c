/*
 * Code that data points at: the targets of R_ARM_RELATIVE relocations that fall inside an
 * executable section (function pointers in tables, vtables, .init_array). A stripped
 * library names only its exported functions; the static ones it calls through pointers
 * (sqlite's VFS and virtual-table methods, qsort comparators, constructors) are found this
 * way. Bit 0 of a target is the Thumb bit, as in any ARM code pointer; a target without it
 * is taken as ARM code only when it is word-aligned and its word is an unconditional
 * instruction (condition field 0xe), so that an address of data in .text seeds nothing.
 */
#include <stdlib.h>

#include "coderefs.h"
#include "sections.h"

#ifndef R_ARM_RELATIVE
#define R_ARM_RELATIVE 23
#endif

/* The file offset of address a (the file's own, unbiased) in segs, with 4 bytes, or -1. */
static long off_of(const struct xl_segment *segs, size_t nsegs, uint32_t bias, uint32_t a)
{
    for (size_t i = 0; i < nsegs; i++) {
        uint32_t v = segs[i].vaddr - bias;
        if (a >= v && a - v < segs[i].filesz && segs[i].filesz - (a - v) >= 4)
            return (long)segs[i].offset + (long)(a - v);
    }
    return -1;
}

int xl_code_refs(const struct xl_image *img, uint32_t **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    struct elf_file f = { img->file, img->file_size };
    Elf32_Ehdr eh;
    if (!elf_ehdr(&f, &eh))
        return 0;
    /* The executable sections, and every SHT_REL section's RELATIVE entries. */
    Elf32_Shdr sh, exec[16];
    size_t nexec = 0;
    for (uint32_t i = 1; i < eh.e_shnum && elf_shdr(&f, &eh, i, &sh); i++)
        if (sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_EXECINSTR) && nexec < 16)
            exec[nexec++] = sh;
    size_t cap = 0;
    for (uint32_t i = 1; i < eh.e_shnum && elf_shdr(&f, &eh, i, &sh); i++) {
        if (sh.sh_type != SHT_REL || sh.sh_entsize != sizeof(Elf32_Rel) ||
            !elf_in(&f, sh.sh_offset, sh.sh_size))
            continue;
        for (uint32_t k = 0; k + sizeof(Elf32_Rel) <= sh.sh_size; k += sizeof(Elf32_Rel)) {
            Elf32_Rel r;
            memcpy(&r, f.p + sh.sh_offset + k, sizeof r);
            if (ELF32_R_TYPE(r.r_info) != R_ARM_RELATIVE)
                continue;
            long o = off_of(img->segs, img->nsegs, img->bias, r.r_offset);
            if (o < 0)
                continue;
            uint32_t t = elf_rd32(f.p + o), a = t & ~1u;
            bool in_code = false;
            for (size_t e = 0; e < nexec && !in_code; e++)
                in_code = a >= exec[e].sh_addr && a - exec[e].sh_addr < exec[e].sh_size;
            if (!in_code)
                continue;
            if (!(t & 1)) {
                long c = off_of(img->segs, img->nsegs, img->bias, a);
                if ((a & 3) || c < 0 || (elf_rd32(f.p + c) >> 28) != 0xe)
                    continue;
            }
            if (*nout == cap) {
                cap = cap ? 2 * cap : 256;
                uint32_t *n = realloc(*out, cap * sizeof *n);
                if (!n) {
                    free(*out);
                    *out = NULL;
                    *nout = 0;
                    return -1;
                }
                *out = n;
            }
            (*out)[(*nout)++] = t + img->bias;
        }
    }
    return 0;
}
