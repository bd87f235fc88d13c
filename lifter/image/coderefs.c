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
            /* The word the relocation changes: the target before the load bias. */
            uint32_t avail;
            const uint8_t *w = xl_image_ptr(img, r.r_offset + img->bias, &avail);
            if (!w || avail < 4)
                continue;
            uint32_t t = elf_rd32(w), a = t & ~1u;
            bool in_code = false;
            for (size_t e = 0; e < nexec && !in_code; e++)
                in_code = a >= exec[e].sh_addr && a - exec[e].sh_addr < exec[e].sh_size;
            if (!in_code)
                continue;
            if (!(t & 1)) {
                const uint8_t *c = xl_image_ptr(img, a + img->bias, &avail);
                if ((a & 3) || !c || avail < 4 || (elf_rd32(c) >> 28) != 0xe)
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
