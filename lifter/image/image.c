/*
 * The guest ELF image: an ARM EABI5 ELF32 executable read whole into memory and parsed
 * with libelf.
 *
 * Every offset and size in the file is checked against the file size before anything
 * reads through it: the input is untrusted (and fuzzed). Problems with the program headers
 * refuse the file with a one-line reason; problems with the section headers only lose the
 * symbols, since the kernel ignores sections and so do we when running.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "plt.h"

#define GUEST_LOW       0x10000u        /* the runtime reserves [64 KiB, 4 GiB) */
#define KUSER_PAGE      0xffff0000u     /* the kuser helper page, mapped by the runtime */
#define MAX_PHDRS       4096u
#define MAX_FILE_SIZE   0xffffffffu     /* ELF32 offsets are 32-bit */

#ifndef EF_ARM_ABI_FLOAT_HARD
#define EF_ARM_ABI_FLOAT_HARD 0x400
#endif

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_386:        return "i386";
    case EM_X86_64:     return "x86-64";
    case EM_AARCH64:    return "AArch64 (64-bit ARM)";
    case EM_ARM:        return "ARM";
    case EM_MIPS:       return "MIPS";
    case EM_PPC:        return "PowerPC";
    case EM_PPC64:      return "PowerPC64";
    case EM_S390:       return "s390";
    case EM_SPARC:      return "SPARC";
    case EM_SPARCV9:    return "SPARC64";
    case EM_RISCV:      return "RISC-V";
    case EM_SH:         return "SuperH";
    case EM_IA_64:      return "IA-64";
    case 258:           return "LoongArch";     /* EM_LOONGARCH, absent from older elf.h */
    case EM_NONE:       return "no machine";
    default:            return NULL;
    }
}

/* "ELF for x86-64", "ELF for machine 1234" into buf. */
static const char *machine_desc(unsigned m, char *buf, size_t len)
{
    const char *n = machine_name(m);
    if (n)
        snprintf(buf, len, "%s", n);
    else
        snprintf(buf, len, "machine %u", m);
    return buf;
}

static uint16_t rd16(const uint8_t *p, bool be)
{
    return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

/* Reads the whole file; returns 0 or -1 with errno set. */
static int read_whole(const char *path, uint8_t **out, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0)
        goto fail;
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        goto fail;
    }
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
    size_t n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf)
        goto fail;
    for (;;) {
        if (n == cap) {
            if (cap > MAX_FILE_SIZE) {
                free(buf);
                errno = EFBIG;
                goto fail;
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                goto fail;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            errno = e;
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n > MAX_FILE_SIZE) {
        free(buf);
        errno = EFBIG;
        return -1;
    }
    *out = buf;
    *size = n;
    return 0;
fail:;
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

/*
 * The checks that need only e_ident and the first fields, done on the raw bytes before
 * libelf sees the file, so the reason names what the file is rather than what libelf
 * disliked.
 */
static int check_ident(const uint8_t *f, size_t size, char *err, size_t errlen)
{
    char m[48];
    if (size < SELFMAG || memcmp(f, ELFMAG, SELFMAG) != 0)
        return fail(err, errlen, "not an ELF file");
    if (size < EI_NIDENT)
        return fail(err, errlen, "truncated file (the ELF header is incomplete)");
    unsigned cls = f[EI_CLASS], data = f[EI_DATA];
    if (data != ELFDATA2LSB && data != ELFDATA2MSB)
        return fail(err, errlen, "not a valid ELF file (unknown data encoding %u)", data);
    bool be = data == ELFDATA2MSB;
    /* e_machine sits at offset 18 in both classes. */
    bool have_machine = size >= 20;
    unsigned mach = have_machine ? rd16(f + 18, be) : EM_NONE;
    if (cls == ELFCLASS64) {
        if (!have_machine)
            return fail(err, errlen, "not a 32-bit ARM executable (64-bit ELF file)");
        return fail(err, errlen, "not a 32-bit ARM executable (64-bit ELF for %s)",
                    machine_desc(mach, m, sizeof m));
    }
    if (cls != ELFCLASS32)
        return fail(err, errlen, "not a valid ELF file (unknown ELF class %u)", cls);
    if (f[EI_VERSION] != EV_CURRENT)
        return fail(err, errlen, "not a valid ELF file (ELF version %u)", f[EI_VERSION]);
    if (size < sizeof(Elf32_Ehdr))
        return fail(err, errlen, "truncated file (the ELF header is incomplete)");
    if (be && mach == EM_ARM)
        return fail(err, errlen, "big-endian ARM programs are not supported");
    if (mach != EM_ARM)
        return fail(err, errlen, "not an ARM executable (%sELF for %s)",
                    be ? "big-endian " : "", machine_desc(mach, m, sizeof m));
    return 0;
}

static int check_header(const Elf32_Ehdr *eh, char *err, size_t errlen)
{
    switch (eh->e_type) {
    case ET_EXEC:
    case ET_DYN:        /* told apart from shared libraries by the program headers */
        break;
    case ET_REL:
        return fail(err, errlen, "not an executable (a relocatable object file)");
    case ET_CORE:
        return fail(err, errlen, "not an executable (a core dump)");
    default:
        return fail(err, errlen, "not an executable (ELF type %u)", eh->e_type);
    }
    unsigned abi = (eh->e_flags & EF_ARM_EABIMASK) >> 24;
    if (abi == 0)
        return fail(err, errlen,
                    "old-ABI ARM programs are not supported (only EABI version 5 is)");
    if ((eh->e_flags & EF_ARM_EABIMASK) != EF_ARM_EABI_VER5)
        return fail(err, errlen,
                    "ARM EABI version %u is not supported (only EABI version 5 is)", abi);
    return 0;
}

/* True when [off, off+len) lies inside the file. */
static bool in_file(const struct xl_image *img, uint64_t off, uint64_t len)
{
    return off <= img->file_size && len <= img->file_size - off;
}

/* A PT_LOAD's own checks; segments are compared with each other later. */
static int check_load(const Elf32_Phdr *ph, unsigned i, size_t size, bool dyn, char *err,
                      size_t errlen)
{
    uint64_t fend = (uint64_t)ph->p_offset + ph->p_filesz;
    uint64_t vend = (uint64_t)ph->p_vaddr + ph->p_memsz;
    if (ph->p_filesz > ph->p_memsz)
        return fail(err, errlen, "bad segment %u (file size 0x%x larger than memory size 0x%x)",
                    i, ph->p_filesz, ph->p_memsz);
    if (ph->p_filesz && fend > MAX_FILE_SIZE)
        return fail(err, errlen, "segment %u outside the file (offset 0x%x, size 0x%x)",
                    i, ph->p_offset, ph->p_filesz);
    if (ph->p_filesz && fend > size)
        return fail(err, errlen,
                    "truncated file (segment %u ends at offset %llu, the file has %zu bytes)",
                    i, (unsigned long long)fend, size);
    if (vend > 0x100000000ull)
        return fail(err, errlen, "segment %u wraps around the 4 GiB address space "
                    "(0x%08x + 0x%x)", i, ph->p_vaddr, ph->p_memsz);
    if (!dyn && ph->p_vaddr < GUEST_LOW)
        return fail(err, errlen, "segment %u at 0x%08x lies below 64 KiB, where guest memory "
                    "starts", i, ph->p_vaddr);
    if (dyn ? vend > KUSER_PAGE - GUEST_LOW : vend > KUSER_PAGE)
        return fail(err, errlen, "segment %u (0x%08x-0x%08llx) reaches the kuser helper page "
                    "at 0xffff0000", i, ph->p_vaddr, (unsigned long long)vend);
    return 0;
}

/* PT_INTERP: a NUL-terminated path inside the file. */
static int load_interp(const Elf32_Phdr *ph, struct xl_image *img, char *err, size_t errlen)
{
    if (ph->p_filesz < 2 || ph->p_filesz > 4096 || !in_file(img, ph->p_offset, ph->p_filesz))
        return fail(err, errlen, "bad PT_INTERP (offset 0x%x, size 0x%x)", ph->p_offset,
                    ph->p_filesz);
    const char *s = (const char *)img->file + ph->p_offset;
    if (memchr(s, '\0', ph->p_filesz) != s + ph->p_filesz - 1)
        return fail(err, errlen, "bad PT_INTERP (not one NUL-terminated path)");
    img->interp = strdup(s);
    if (!img->interp)
        return fail(err, errlen, "out of memory");
    return 0;
}

static int cmp_seg(const void *a, const void *b)
{
    const struct xl_segment *x = a, *y = b;
    return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* Segments, entry and phdr address from an aligned copy of the program headers, with the
   refusals they decide. phend: where the table ends in the file. */
static int load_segments(const Elf32_Ehdr *eh, const Elf32_Phdr *ph, size_t phnum,
                         uint64_t phend, struct xl_image *img, char *err, size_t errlen)
{
    /* What the program is decides before whether its segments are sound. */
    bool have_phdr = false;
    for (size_t i = 0; i < phnum; i++) {
        if (ph[i].p_type == PT_INTERP && !img->interp) {
            if (load_interp(&ph[i], img, err, errlen) != 0)
                return -1;
        }
        if (ph[i].p_type == PT_PHDR && !have_phdr) {
            have_phdr = true;
            img->phdr_vaddr = ph[i].p_vaddr;
        }
        if (ph[i].p_type == PT_GNU_STACK)
            img->exec_stack = (ph[i].p_flags & PF_X) != 0;
    }
    img->dyn = eh->e_type == ET_DYN;
    img->shared = img->dyn && eh->e_entry == 0;

    img->segs = calloc(phnum, sizeof *img->segs);
    if (!img->segs)
        return fail(err, errlen, "out of memory");
    for (size_t i = 0; i < phnum; i++) {
        const Elf32_Phdr *p = &ph[i];
        if (p->p_type != PT_LOAD)
            continue;
        if (check_load(p, (unsigned)i, img->file_size, img->dyn, err, errlen) != 0)
            return -1;
        if (p->p_memsz == 0)
            continue;
        struct xl_segment *s = &img->segs[img->nsegs++];
        s->vaddr = p->p_vaddr;
        s->memsz = p->p_memsz;
        s->filesz = p->p_filesz;
        s->offset = p->p_offset;
        s->flags = p->p_flags & (PF_R | PF_W | PF_X);
        s->data = p->p_filesz ? img->file + p->p_offset : NULL;
        /* Computed AT_PHDR: the loaded segment whose file bytes hold the table. */
        if (!have_phdr && p->p_offset <= eh->e_phoff && phend <= (uint64_t)p->p_offset +
                                                                 p->p_filesz) {
            have_phdr = true;
            img->phdr_vaddr = p->p_vaddr + (eh->e_phoff - p->p_offset);
        }
    }
    if (img->nsegs == 0)
        return fail(err, errlen, "no loadable segments");
    qsort(img->segs, img->nsegs, sizeof *img->segs, cmp_seg);
    for (size_t i = 1; i < img->nsegs; i++) {
        const struct xl_segment *a = &img->segs[i - 1], *b = &img->segs[i];
        if ((uint64_t)a->vaddr + a->memsz > b->vaddr)
            return fail(err, errlen, "segments overlap at 0x%08x", b->vaddr);
    }
    img->phnum = (uint32_t)phnum;
    img->phentsize = sizeof(Elf32_Phdr);

    uint32_t pc = eh->e_entry & ~1u;
    bool ok = false;
    for (size_t i = 0; i < img->nsegs; i++) {
        const struct xl_segment *s = &img->segs[i];
        if ((s->flags & PF_X) && pc >= s->vaddr && pc - s->vaddr < s->memsz)
            ok = true;
    }
    if (!ok)
        return fail(err, errlen, "entry point 0x%08x is not in an executable segment",
                    eh->e_entry);
    return 0;
}

/* The program headers, checked against the file before libelf reads them. */
static int load_phdrs(Elf *elf, const Elf32_Ehdr *eh, struct xl_image *img,
                      char *err, size_t errlen)
{
    /* Bounds first, from the header's own count, so a short file reads as truncated;
       PN_XNUM (the count in section 0) has to go through libelf. */
    size_t phnum = eh->e_phnum;
    if (phnum == 0)
        return fail(err, errlen, "no program headers (not an executable)");
    if (eh->e_phentsize != sizeof(Elf32_Phdr))
        return fail(err, errlen, "bad program header size %u (expected %zu)",
                    eh->e_phentsize, sizeof(Elf32_Phdr));
    if (phnum == PN_XNUM && elf_getphdrnum(elf, &phnum) != 0)
        return fail(err, errlen, "bad program header table (%s)", elf_errmsg(-1));
    if (phnum == 0)
        return fail(err, errlen, "no program headers (not an executable)");
    if (phnum > MAX_PHDRS)
        return fail(err, errlen, "too many program headers (%zu)", phnum);
    uint64_t phend = (uint64_t)eh->e_phoff + (uint64_t)phnum * sizeof(Elf32_Phdr);
    if (phend > img->file_size)
        return fail(err, errlen,
                    "truncated file (program headers end at offset %llu, the file has %zu "
                    "bytes)", (unsigned long long)phend, img->file_size);
    /* Held as void: libelf's pointer may be unaligned, and a typed one would claim otherwise. */
    const void *raw = elf32_getphdr(elf);
    if (!raw)
        return fail(err, errlen, "bad program header table (%s)", elf_errmsg(-1));
    /* libelf hands out pointers into the file as it is, unaligned when e_phoff is odd. */
    Elf32_Phdr *ph = malloc(phnum * sizeof *ph);
    if (!ph)
        return fail(err, errlen, "out of memory");
    memcpy(ph, raw, phnum * sizeof *ph);
    int rc = load_segments(eh, ph, phnum, phend, img, err, errlen);
    free(ph);
    return rc;
}

/* "$a", "$t", "$d" and their "$a.foo" forms; returns the kind or 0. */
static char mapping_kind(const char *name)
{
    if (name[0] != '$' || (name[1] != 'a' && name[1] != 't' && name[1] != 'd'))
        return 0;
    return name[2] == '\0' || name[2] == '.' ? name[1] : 0;
}

static int cmp_sym(const void *a, const void *b)
{
    const struct xl_symbol *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (x->func != y->func)             /* at one address, functions last: they win */
        return x->func ? 1 : -1;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Mapping symbols at one address keep their symbol-table order (the last one wins). */
struct mapsym_ord {
    struct xl_mapsym m;
    size_t ord;
};

static int cmp_mapsym(const void *a, const void *b)
{
    const struct mapsym_ord *x = a, *y = b;
    if (x->m.addr != y->m.addr)
        return x->m.addr < y->m.addr ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/*
 * The symbol table of type `type` (.symtab, or .dynsym): function and object symbols, and
 * the mapping symbols. A malformed section table loses the symbols, never the program.
 * Returns 1 when it read one, 0 when there is none, -1 only when out of memory.
 */
static int load_symtab(Elf *elf, const Elf32_Ehdr *eh, struct xl_image *img, unsigned type)
{
    if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf32_Shdr))
        return 0;
    size_t shnum;
    if (elf_getshdrnum(elf, &shnum) != 0 || shnum == 0 ||
        !in_file(img, eh->e_shoff, (uint64_t)shnum * sizeof(Elf32_Shdr)))
        return 0;

    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        /* Copies: libelf's pointers into the file may be unaligned. */
        const void *rawsh = elf32_getshdr(scn);
        if (!rawsh)
            continue;
        Elf32_Shdr shc;
        memcpy(&shc, rawsh, sizeof shc);
        const Elf32_Shdr *sh = &shc;
        if (sh->sh_type != type)
            continue;
        if (sh->sh_entsize != sizeof(Elf32_Sym) || !in_file(img, sh->sh_offset, sh->sh_size) ||
            sh->sh_link == 0 || sh->sh_link >= shnum)
            return 0;
        Elf_Scn *strscn = elf_getscn(elf, sh->sh_link);
        const void *rawstr = strscn ? (const void *)elf32_getshdr(strscn) : NULL;
        if (!rawstr)
            return 0;
        Elf32_Shdr strc;
        memcpy(&strc, rawstr, sizeof strc);
        const Elf32_Shdr *strsh = &strc;
        if (strsh->sh_type != SHT_STRTAB ||
            !in_file(img, strsh->sh_offset, strsh->sh_size))
            return 0;
        const char *strtab = (const char *)img->file + strsh->sh_offset;
        uint32_t strsize = strsh->sh_size;

        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d || !d->d_buf || d->d_size < sizeof(Elf32_Sym))
            return 0;
        size_t n = d->d_size / sizeof(Elf32_Sym);
        const uint8_t *symbytes = d->d_buf;

        img->syms = calloc(n, sizeof *img->syms);
        struct mapsym_ord *ms = calloc(n, sizeof *ms);
        if (!img->syms || !ms) {
            free(ms);
            return -1;
        }
        size_t nms = 0;
        for (size_t i = 1; i < n; i++) {    /* entry 0 is the null symbol */
            Elf32_Sym sy;
            memcpy(&sy, symbytes + i * sizeof sy, sizeof sy);
            const Elf32_Sym *st = &sy;
            unsigned type = ELF32_ST_TYPE(st->st_info);
            if (st->st_shndx == SHN_UNDEF || st->st_shndx == SHN_ABS ||
                st->st_name == 0 || st->st_name >= strsize)
                continue;
            const char *name = strtab + st->st_name;
            if (!memchr(name, '\0', strsize - st->st_name))
                continue;                   /* unterminated: the name runs off the table */
            char kind = mapping_kind(name);
            if (kind) {
                if (type == STT_NOTYPE) {
                    ms[nms].m.addr = st->st_value;
                    ms[nms].m.kind = kind;
                    ms[nms].ord = i;
                    nms++;
                }
                continue;
            }
            if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT &&
                type != STT_NOTYPE)
                continue;
            struct xl_symbol *s = &img->syms[img->nsyms++];
            s->func = type == STT_FUNC || type == STT_GNU_IFUNC;
            s->ifunc = type == STT_GNU_IFUNC;
            s->thumb = s->func && (st->st_value & 1);
            s->addr = s->func ? st->st_value & ~1u : st->st_value;
            s->size = st->st_size;
            s->name = name;
            if (s->size > img->max_sym_size)
                img->max_sym_size = s->size;
        }
        qsort(img->syms, img->nsyms, sizeof *img->syms, cmp_sym);
        qsort(ms, nms, sizeof *ms, cmp_mapsym);
        img->mapsyms = calloc(nms ? nms : 1, sizeof *img->mapsyms);
        if (!img->mapsyms) {
            free(ms);
            return -1;
        }
        for (size_t i = 0; i < nms; i++)
            img->mapsyms[i] = ms[i].m;
        img->nmapsyms = nms;
        free(ms);
        return 1;                           /* one symbol table of a type is all there is */
    }
    return 0;
}

/* .symtab, else (a stripped file) .dynsym, and the PLT stubs (plt.c). */
static int load_symbols(Elf *elf, const Elf32_Ehdr *eh, struct xl_image *img)
{
    int r = load_symtab(elf, eh, img, SHT_SYMTAB);
    if (r == 0)
        r = load_symtab(elf, eh, img, SHT_DYNSYM);
    if (r < 0)
        return -1;
    struct xl_symbol *plt;
    size_t nplt;
    if (xl_plt_symbols(img->file, img->file_size, &plt, &nplt) != 0)
        return -1;
    if (nplt == 0)
        return 0;
    struct xl_symbol *all = realloc(img->syms, (img->nsyms + nplt) * sizeof *all);
    if (!all) {
        free(plt);
        return -1;
    }
    memcpy(all + img->nsyms, plt, nplt * sizeof *plt);
    img->syms = all;
    img->nsyms += nplt;
    for (size_t i = 0; i < nplt; i++)
        if (plt[i].size > img->max_sym_size)
            img->max_sym_size = plt[i].size;
    free(plt);
    qsort(img->syms, img->nsyms, sizeof *img->syms, cmp_sym);
    return 0;
}

/* library: a shared object is wanted (any ET_DYN); otherwise an executable. */
static int parse(struct xl_image *img, bool library, char *err, size_t errlen)
{
    if (check_ident(img->file, img->file_size, err, errlen) != 0)
        return -1;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(err, errlen, "libelf is out of date (%s)", elf_errmsg(-1));
    Elf *elf = elf_memory((char *)img->file, img->file_size);
    if (!elf)
        return fail(err, errlen, "not a valid ELF file (%s)", elf_errmsg(-1));
    int rc = -1;
    Elf32_Ehdr *eh = elf_kind(elf) == ELF_K_ELF ? elf32_getehdr(elf) : NULL;
    if (!eh) {
        fail(err, errlen, "not a valid ELF file (%s)", elf_errmsg(-1));
        goto out;
    }
    if (check_header(eh, err, errlen) != 0 || load_phdrs(elf, eh, img, err, errlen) != 0)
        goto out;
    if (img->shared && !library) {
        fail(err, errlen, "not an executable (a shared library)");
        goto out;
    }
    if (library && !img->dyn) {
        fail(err, errlen, "not a shared library (an executable)");
        goto out;
    }
    img->entry = eh->e_entry;
    img->hard_float = (eh->e_flags & EF_ARM_ABI_FLOAT_HARD) != 0;
    if (load_symbols(elf, eh, img) != 0) {
        fail(err, errlen, "out of memory");
        goto out;
    }
    rc = 0;
out:
    elf_end(elf);
    return rc;
}

static int load_file(const char *path, struct xl_image *img, bool library, char *err,
                     size_t errlen)
{
    memset(img, 0, sizeof *img);
    if (err && errlen)
        err[0] = '\0';
    if (read_whole(path, &img->file, &img->file_size) != 0) {
        if (errno == EFBIG)
            return fail(err, errlen, "file too large for a 32-bit ELF program");
        return fail(err, errlen, "%s", strerror(errno));
    }
    img->path = strdup(path);
    if (!img->path) {
        xl_image_free(img);
        return fail(err, errlen, "out of memory");
    }
    if (parse(img, library, err, errlen) != 0) {
        xl_image_free(img);
        return -1;
    }
    return 0;
}

int xl_image_load(const char *path, struct xl_image *img, char *err, size_t errlen)
{
    return load_file(path, img, false, err, errlen);
}

int xl_image_load_library(const char *path, struct xl_image *img, char *err, size_t errlen)
{
    return load_file(path, img, true, err, errlen);
}

int xl_image_load_mem(const void *buf, size_t size, const char *path, struct xl_image *img,
                      char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    if (err && errlen)
        err[0] = '\0';
    if (size > MAX_FILE_SIZE)
        return fail(err, errlen, "file too large for a 32-bit ELF program");
    /* A copy, so that the image owns its bytes whichever way it was loaded. */
    img->file = malloc(size ? size : 1);
    img->path = strdup(path);
    if (!img->file || !img->path) {
        xl_image_free(img);
        return fail(err, errlen, "out of memory");
    }
    memcpy(img->file, buf, size);
    img->file_size = size;
    if (parse(img, false, err, errlen) != 0) {
        xl_image_free(img);
        return -1;
    }
    return 0;
}

void xl_image_free(struct xl_image *img)
{
    free(img->path);
    free(img->file);
    free(img->interp);
    free(img->segs);
    free(img->syms);
    free(img->mapsyms);
    memset(img, 0, sizeof *img);
}

uint32_t xl_image_program_bias(const struct xl_image *img)
{
    if (!img->dyn || img->nsegs == 0)
        return 0;
    return XL_PIE_BASE - (img->segs[0].vaddr & ~0xfffu);     /* segments are sorted */
}

void xl_image_span(const struct xl_image *img, uint64_t *lo, uint64_t *hi)
{
    *lo = img->nsegs ? img->segs[0].vaddr & ~0xfffull : 0;     /* segments are sorted */
    *hi = *lo;
    for (size_t i = 0; i < img->nsegs; i++) {
        uint64_t end = ((uint64_t)img->segs[i].vaddr + img->segs[i].memsz + 0xfff) & ~0xfffull;
        if (end > *hi)
            *hi = end;
    }
}

void xl_image_rebase(struct xl_image *img, uint32_t bias)
{
    img->bias += bias;
    img->entry += bias;
    if (img->phdr_vaddr)
        img->phdr_vaddr += bias;
    for (size_t i = 0; i < img->nsegs; i++)
        img->segs[i].vaddr += bias;
    for (size_t i = 0; i < img->nsyms; i++)
        img->syms[i].addr += bias;
    for (size_t i = 0; i < img->nmapsyms; i++)
        img->mapsyms[i].addr += bias;
}

const uint8_t *xl_image_ptr(const struct xl_image *img, uint32_t addr, uint32_t *avail)
{
    for (size_t i = 0; i < img->nsegs; i++) {
        const struct xl_segment *s = &img->segs[i];
        if (addr >= s->vaddr && addr - s->vaddr < s->filesz) {
            if (avail)
                *avail = s->filesz - (addr - s->vaddr);
            return s->data + (addr - s->vaddr);
        }
    }
    if (avail)
        *avail = 0;
    return NULL;
}

char xl_image_mapping_at(const struct xl_image *img, uint32_t addr)
{
    /* The last mapping symbol at or below addr. */
    size_t lo = 0, hi = img->nmapsyms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->mapsyms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? img->mapsyms[lo - 1].kind : 0;
}

const struct xl_symbol *xl_image_symbol_at(const struct xl_image *img, uint32_t addr)
{
    size_t lo = 0, hi = img->nsyms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->syms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* Walk down from the last symbol at or below addr; nothing further down than the largest
       symbol size can contain addr. Functions sort last among equal addresses. */
    const struct xl_symbol *other = NULL;
    for (size_t i = lo; i-- > 0;) {
        const struct xl_symbol *s = &img->syms[i];
        if (addr - s->addr > img->max_sym_size)
            break;
        if (addr == s->addr || addr - s->addr < s->size) {
            if (s->func)
                return s;
            if (!other)
                other = s;
        }
    }
    return other;
}
