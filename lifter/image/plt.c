/*
 * Names for the PLT of a dynamically linked file. A `bl` to a library function goes to a
 * stub in .plt that jumps through the function's GOT slot; the slot's R_ARM_JUMP_SLOT
 * relocation in .rel.plt names the function in .dynsym. Decoding each stub's GOT address
 * and matching it to a relocation gives the stub the function's name, so that what
 * discovery and the raiser do for names (setjmp's second return, known routines) works
 * through the PLT, in stripped files too (they keep these sections). The stub before the
 * first entry (PLT0, the lazy-binding trampoline that every unbound slot points to) is a
 * function named "_plt0".
 *
 * Stubs are ARM code: `add ip, pc, #a; [add ip, ip, #b ...]; ldr pc, [ip, #c]!` (three
 * insns, four with -z long-plt), optionally after a Thumb `bx pc; nop` for Thumb callers.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "plt.h"
#include "sections.h"

#ifndef R_ARM_JUMP_SLOT
#define R_ARM_JUMP_SLOT 22
#endif


/* An ARM modified immediate: imm8 rotated right by twice the rotation field. */
static uint32_t arm_imm(uint32_t insn)
{
    uint32_t imm = insn & 0xff, rot = ((insn >> 8) & 0xf) * 2;
    return rot ? (imm >> rot) | (imm << (32 - rot)) : imm;
}

/* The GOT slot that the ARM stub at code[0..len) (guest address at) loads pc from, and the
   stub's length; 0 when it is not a stub. */
static uint32_t stub_slot(const uint8_t *code, uint32_t len, uint32_t at, uint32_t *size)
{
    if (len < 12 || (elf_rd32(code) & 0xfffff000u) != 0xe28fc000u)     /* add ip, pc, #a */
        return 0;
    uint32_t ip = at + 8 + arm_imm(elf_rd32(code));
    uint32_t k = 4;
    while (k + 4 <= len && k < 16 && (elf_rd32(code + k) & 0xfffff000u) == 0xe28cc000u) {
        ip += arm_imm(elf_rd32(code + k));                              /* add ip, ip, #b */
        k += 4;
    }
    if (k + 4 > len || (elf_rd32(code + k) & 0xfffff000u) != 0xe5bcf000u)  /* ldr pc, [ip, #c]! */
        return 0;
    *size = k + 4;
    return ip + (elf_rd32(code + k) & 0xfff);
}

struct slot {
    uint32_t got;
    const char *name;
};

static int cmp_slot(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    return x->got < y->got ? -1 : x->got > y->got;
}

/* The JUMP_SLOT relocations of .rel.plt (rel, its header) with their .dynsym names. */
static struct slot *jump_slots(const struct elf_file *f, const Elf32_Ehdr *eh,
                               const Elf32_Shdr *rel, size_t *n)
{
    Elf32_Shdr sym, str;
    *n = 0;
    if (rel->sh_entsize != sizeof(Elf32_Rel) || !elf_in(f, rel->sh_offset, rel->sh_size) ||
        !elf_shdr(f, eh, rel->sh_link, &sym) || sym.sh_type != SHT_DYNSYM ||
        sym.sh_entsize != sizeof(Elf32_Sym) || !elf_in(f, sym.sh_offset, sym.sh_size) ||
        !elf_shdr(f, eh, sym.sh_link, &str) || str.sh_type != SHT_STRTAB ||
        !elf_in(f, str.sh_offset, str.sh_size))
        return NULL;
    size_t nrel = rel->sh_size / sizeof(Elf32_Rel), nsym = sym.sh_size / sizeof(Elf32_Sym);
    struct slot *s = calloc(nrel ? nrel : 1, sizeof *s);
    if (!s)
        return NULL;
    const char *strtab = (const char *)f->p + str.sh_offset;
    for (size_t i = 0; i < nrel; i++) {
        Elf32_Rel r;
        memcpy(&r, f->p + rel->sh_offset + i * sizeof r, sizeof r);
        uint32_t si = ELF32_R_SYM(r.r_info);
        if (ELF32_R_TYPE(r.r_info) != R_ARM_JUMP_SLOT || si == 0 || si >= nsym)
            continue;
        Elf32_Sym sy;
        memcpy(&sy, f->p + sym.sh_offset + si * sizeof sy, sizeof sy);
        if (sy.st_name == 0 || sy.st_name >= str.sh_size ||
            !memchr(strtab + sy.st_name, '\0', str.sh_size - sy.st_name))
            continue;
        s[*n].got = r.r_offset;
        s[*n].name = strtab + sy.st_name;
        (*n)++;
    }
    qsort(s, *n, sizeof *s, cmp_slot);
    return s;
}

static const char *slot_name(const struct slot *s, size_t n, uint32_t got)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].got == got)
            return s[mid].name;
        if (s[mid].got < got)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int xl_plt_symbols(const uint8_t *file, size_t size, struct xl_symbol **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    struct elf_file f = { file, size };
    Elf32_Ehdr eh;
    if (!elf_ehdr(&f, &eh))
        return 0;
    Elf32_Shdr names, plt = { 0 }, relplt = { 0 }, sh;
    if (!elf_shdr(&f, &eh, eh.e_shstrndx, &names) || !elf_in(&f, names.sh_offset, names.sh_size))
        return 0;
    for (uint32_t i = 1; i < eh.e_shnum && elf_shdr(&f, &eh, i, &sh); i++) {
        if (sh.sh_name >= names.sh_size)
            continue;
        const char *nm = (const char *)file + names.sh_offset + sh.sh_name;
        size_t room = names.sh_size - sh.sh_name;
        if (strncmp(nm, ".plt", room) == 0 && sh.sh_type == SHT_PROGBITS &&
            (sh.sh_flags & SHF_EXECINSTR))
            plt = sh;
        else if (strncmp(nm, ".rel.plt", room) == 0 && sh.sh_type == SHT_REL)
            relplt = sh;
    }
    if (plt.sh_size < 20 || !elf_in(&f, plt.sh_offset, plt.sh_size) || relplt.sh_size == 0)
        return 0;
    size_t nslots;
    struct slot *slots = jump_slots(&f, &eh, &relplt, &nslots);
    if (!slots)
        return 0;
    /* PLT0, and at most one symbol per 8 bytes (the shortest stub is two insns). */
    struct xl_symbol *syms = calloc(plt.sh_size / 8 + 1, sizeof *syms);
    if (!syms) {
        free(slots);
        return -1;
    }
    size_t n = 0;
    syms[n++] = (struct xl_symbol){ .addr = plt.sh_addr, .size = 20, .func = true,
                                    .name = "_plt0" };
    const uint8_t *code = file + plt.sh_offset;
    for (uint32_t off = 20; off + 12 <= plt.sh_size;) {
        /* bx pc; nop: Thumb callers enter 4 bytes before the ARM stub. */
        bool thumb_stub = elf_rd32(code + off) == 0x46c04778u;
        uint32_t at = off + (thumb_stub ? 4 : 0), len;
        uint32_t got = stub_slot(code + at, plt.sh_size - at, plt.sh_addr + at, &len);
        const char *name = got ? slot_name(slots, nslots, got) : NULL;
        if (!name) {
            off += 4;
            continue;
        }
        syms[n++] = (struct xl_symbol){ .addr = plt.sh_addr + at, .size = len, .func = true,
                                        .name = name };
        off = at + len;
    }
    free(slots);
    *out = syms;
    *nout = n;
    return 0;
}
