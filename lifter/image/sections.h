/* Reading section headers straight from an ELF32 file in memory, bounds-checked: for the
   parts of the image that stripped files keep only there (plt.c, coderefs.c). */
#ifndef XL_IMAGE_SECTIONS_H
#define XL_IMAGE_SECTIONS_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct elf_file {
    const uint8_t *p;
    size_t n;
};

static inline bool elf_in(const struct elf_file *f, uint64_t off, uint64_t len)
{
    return off <= f->n && len <= f->n - off;
}

static inline uint32_t elf_rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Section header i of the file whose ELF header is eh. */
static inline bool elf_shdr(const struct elf_file *f, const Elf32_Ehdr *eh, uint32_t i,
                            Elf32_Shdr *out)
{
    uint64_t off = (uint64_t)eh->e_shoff + (uint64_t)i * sizeof *out;
    if (eh->e_shentsize != sizeof *out || i >= eh->e_shnum || !elf_in(f, off, sizeof *out))
        return false;
    memcpy(out, f->p + off, sizeof *out);
    return true;
}

/* The ELF header, when the file has section headers. */
static inline bool elf_ehdr(const struct elf_file *f, Elf32_Ehdr *eh)
{
    if (!elf_in(f, 0, sizeof *eh))
        return false;
    memcpy(eh, f->p, sizeof *eh);
    return eh->e_shoff != 0 && eh->e_shentsize == sizeof(Elf32_Shdr);
}

#endif
