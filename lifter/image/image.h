/* The guest ELF image, read with libelf: segments, entry, symbols, mapping symbols. */
#ifndef XL_IMAGE_H
#define XL_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xl_segment {
    uint32_t vaddr, memsz, filesz, offset;
    uint32_t flags;             /* PF_R | PF_W | PF_X */
    const uint8_t *data;        /* filesz bytes inside the image's copy of the file */
};

struct xl_symbol {
    uint32_t addr;              /* bit 0 cleared for Thumb functions */
    uint32_t size;
    bool func, thumb;
    bool ifunc;                 /* STT_GNU_IFUNC: the code is a resolver named after what
                                   it resolves (memcpy's resolver is called memcpy) */
    const char *name;
};

/* $a, $t, $d: where ARM code, Thumb code and data start. Sorted by address. */
struct xl_mapsym {
    uint32_t addr;
    char kind;                  /* 'a', 't' or 'd' */
};

struct xl_image {
    char *path;
    uint8_t *file;              /* the whole file, read once */
    size_t file_size;
    uint32_t entry;             /* e_entry as is (bit 0 set: Thumb entry) */
    uint32_t phdr_vaddr;        /* where the program headers are in guest memory, or 0 */
    uint32_t phnum, phentsize;
    bool hard_float;            /* EF_ARM_ABI_FLOAT_HARD */
    bool dyn;                   /* ET_DYN (PIE, static-PIE, ld.so): every address here is
                                   relative to the load base the runtime picks */
    bool shared;                /* ET_DYN without an entry: a shared library */
    char *interp;               /* PT_INTERP (the dynamic loader's path), or NULL */
    bool exec_stack;            /* PT_GNU_STACK asks for an executable stack (PF_X); without
                                   one, ARMv7 Linux makes it non-executable too */
    uint32_t bias;              /* what xl_image_rebase added to the file's addresses */
    struct xl_segment *segs;
    size_t nsegs;
    struct xl_symbol *syms;     /* sorted by address */
    size_t nsyms;
    uint32_t max_sym_size;      /* the largest symbol size: bounds xl_image_symbol_at */
    struct xl_mapsym *mapsyms;
    size_t nmapsyms;
};

/*
 * Reads and checks an ARM EABI5 ELF32 executable. Returns 0, or -1 with a one-line reason
 * in err ("not an ELF file", "not a 32-bit ARM executable", "truncated", "segment outside
 * the file", "not an executable (a shared library)", ...). Dynamically linked programs
 * (interp set) and PIE (dyn set) load; their users decide what they support.
 */
int xl_image_load(const char *path, struct xl_image *img, char *err, size_t errlen);
/* The same for a shared object (any ET_DYN: a library, also one with an entry such as
   libc.so.6 or ld.so); an ET_EXEC is "not a shared library (an executable)". */
int xl_image_load_library(const char *path, struct xl_image *img, char *err, size_t errlen);
/* The same for a file already in memory (size bytes at buf, copied); path names it in
   messages and becomes img->path (a translated program passes its own executable). */
int xl_image_load_mem(const void *buf, size_t size, const char *path, struct xl_image *img,
                      char *err, size_t errlen);
void xl_image_free(struct xl_image *img);

/*
 * Where a PIE or static-PIE program goes: its lowest segment's page at XL_PIE_BASE, low, so
 * that brk has room above it and mmap below the stack. The runtime loads it there and the
 * AOT translator translates it for there (docs/dynamic.md), so the two must agree.
 */
#define XL_PIE_BASE 0x00400000u
/* The load bias of img as a program: XL_PIE_BASE minus its first page when it is ET_DYN,
   else 0. */
uint32_t xl_image_program_bias(const struct xl_image *img);
/* The page-aligned span [*lo, *hi) of img's segments, at its current addresses: what a
   loader maps for it. */
void xl_image_span(const struct xl_image *img, uint64_t *lo, uint64_t *hi);
/* Adds bias to every address of img (entry, program headers, segments, symbols, mapping
   symbols): the image as loaded at that bias. The file bytes are not changed (relocations
   are the guest loader's work); dyn stays set. */
void xl_image_rebase(struct xl_image *img, uint32_t bias);

/* Bytes at guest address addr in the file image (NULL when unmapped or bss); *avail = bytes
   from addr to the end of the segment's file data. For tools that do not map the guest. */
const uint8_t *xl_image_ptr(const struct xl_image *img, uint32_t addr, uint32_t *avail);

/* The kind of mapping symbol in force at addr ('a', 't', 'd'), or 0 when none is. */
char xl_image_mapping_at(const struct xl_image *img, uint32_t addr);

/* The symbol containing addr, or NULL. A function wins over an object or label; among
   those, the nearest below addr. A symbol of size 0 contains only its own address. */
const struct xl_symbol *xl_image_symbol_at(const struct xl_image *img, uint32_t addr);

#endif
