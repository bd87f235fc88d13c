/*
 * lifter/image: ELF files built by hand in a buffer, one per refusal path with its exact
 * reason, a valid one whose fields are checked, mutated copies that must never crash the
 * loader, and (when arm-linux-gnueabihf-gcc is there) a real static ARM program.
 *
 * XLATE_ARM_CC names the ARM compiler; otherwise arm-linux-gnueabihf-gcc from PATH.
 */
#include <elf.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lifter/image/image.h"
#include "lifter/image/sha256.h"

static char tmpdir[256];

/* ---- a valid minimal image ----
 *
 * 0x000 Elf32_Ehdr
 * 0x034 3 program headers: text LOAD, data LOAD (with bss), GNU_STACK
 * 0x100 code
 * 0x200 data (0x10 bytes)
 * 0x210 .strtab
 * 0x260 .symtab
 * 0x330 section headers: null, .symtab, .strtab
 */
#define TEXT_VADDR  0x10000u
#define DATA_VADDR  0x20200u
#define SHDR_OFF    0x330
#define IMG_SIZE    (SHDR_OFF + 3 * sizeof(Elf32_Shdr))

static const char strtab[] =
    "\0_start\0main\0obj\0$a\0$t\0$d\0$a.1\0$x\0label\0$tx\0undef";
enum { N_START = 1, N_MAIN = 8, N_OBJ = 13, N_A = 17, N_T = 20, N_D = 23, N_A1 = 26,
       N_X = 31, N_LABEL = 34, N_TX = 40, N_UNDEF = 44 };

struct img_buf {
    uint8_t b[IMG_SIZE];
    size_t size;
};

static Elf32_Ehdr *EH(struct img_buf *m) { return (Elf32_Ehdr *)m->b; }
static Elf32_Phdr *PH(struct img_buf *m) { return (Elf32_Phdr *)(m->b + sizeof(Elf32_Ehdr)); }

static Elf32_Sym sym(uint32_t name, uint32_t value, uint32_t size, unsigned type, unsigned bind,
                     uint16_t shndx)
{
    Elf32_Sym s = { .st_name = name, .st_value = value, .st_size = size,
                    .st_info = ELF32_ST_INFO(bind, type), .st_shndx = shndx };
    return s;
}

static void build_valid(struct img_buf *m)
{
    memset(m, 0, sizeof *m);
    m->size = IMG_SIZE;
    Elf32_Ehdr *eh = EH(m);
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_ARM;
    eh->e_version = EV_CURRENT;
    eh->e_entry = TEXT_VADDR + 0x100;
    eh->e_phoff = sizeof(Elf32_Ehdr);
    eh->e_shoff = SHDR_OFF;
    eh->e_flags = EF_ARM_EABI_VER5 | 0x400;
    eh->e_ehsize = sizeof(Elf32_Ehdr);
    eh->e_phentsize = sizeof(Elf32_Phdr);
    eh->e_phnum = 3;
    eh->e_shentsize = sizeof(Elf32_Shdr);
    eh->e_shnum = 3;
    eh->e_shstrndx = SHN_UNDEF;

    Elf32_Phdr *ph = PH(m);
    ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = TEXT_VADDR,
                          .p_paddr = TEXT_VADDR, .p_filesz = 0x200, .p_memsz = 0x200,
                          .p_flags = PF_R | PF_X, .p_align = 0x1000 };
    ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0x200, .p_vaddr = DATA_VADDR,
                          .p_paddr = DATA_VADDR, .p_filesz = 0x10, .p_memsz = 0x100,
                          .p_flags = PF_R | PF_W, .p_align = 0x1000 };
    ph[2] = (Elf32_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };

    for (unsigned i = 0; i < 0x20; i++)
        m->b[0x100 + i] = (uint8_t)(0xe0 + i);
    for (unsigned i = 0; i < 0x10; i++)
        m->b[0x200 + i] = (uint8_t)i;
    memcpy(m->b + 0x210, strtab, sizeof strtab);

    /* Out of order on purpose: the loader sorts. */
    Elf32_Sym syms[] = {
        sym(0, 0, 0, STT_NOTYPE, STB_LOCAL, SHN_UNDEF),
        sym(N_D, TEXT_VADDR + 0x10c, 0, STT_NOTYPE, STB_LOCAL, 1),
        sym(N_MAIN, TEXT_VADDR + 0x105, 8, STT_FUNC, STB_GLOBAL, 1),
        sym(N_T, TEXT_VADDR + 0x104, 0, STT_NOTYPE, STB_LOCAL, 1),
        sym(N_START, TEXT_VADDR + 0x100, 4, STT_FUNC, STB_GLOBAL, 1),
        sym(N_A, TEXT_VADDR + 0x100, 0, STT_NOTYPE, STB_LOCAL, 1),
        sym(N_OBJ, DATA_VADDR, 4, STT_OBJECT, STB_GLOBAL, 2),
        sym(N_A1, TEXT_VADDR + 0x110, 0, STT_NOTYPE, STB_LOCAL, 1),
        sym(N_X, TEXT_VADDR + 0x118, 0, STT_NOTYPE, STB_LOCAL, 1),     /* not ARM's */
        sym(N_TX, TEXT_VADDR + 0x118, 0, STT_NOTYPE, STB_LOCAL, 1),    /* "$tx": no */
        sym(N_LABEL, TEXT_VADDR + 0x108, 0, STT_NOTYPE, STB_LOCAL, 1),
        sym(N_UNDEF, 0, 0, STT_FUNC, STB_GLOBAL, SHN_UNDEF),
    };
    _Static_assert(sizeof syms <= SHDR_OFF - 0x260, "symtab fits");
    memcpy(m->b + 0x260, syms, sizeof syms);

    Elf32_Shdr *sh = (Elf32_Shdr *)(m->b + SHDR_OFF);
    sh[1] = (Elf32_Shdr){ .sh_type = SHT_SYMTAB, .sh_offset = 0x260, .sh_size = sizeof syms,
                          .sh_link = 2, .sh_info = 6, .sh_addralign = 4,
                          .sh_entsize = sizeof(Elf32_Sym) };
    sh[2] = (Elf32_Shdr){ .sh_type = SHT_STRTAB, .sh_offset = 0x210, .sh_size = sizeof strtab,
                          .sh_addralign = 1 };
}

static const char *write_file(const char *name, const void *data, size_t size)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (size)
        assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Loads the buffer; expects failure with exactly the reason given. */
static void expect_refusal(const void *data, size_t size, const char *reason)
{
    struct xl_image img;
    char err[256];
    const char *path = write_file("bad.elf", data, size);
    int rc = xl_image_load(path, &img, err, sizeof err);
    if (rc == 0)
        fail_msg("loaded, expected \"%s\"", reason);
    assert_string_equal(err, reason);
    assert_null(img.file);
    assert_null(img.segs);
}

static void expect_img_refusal(struct img_buf *m, const char *reason)
{
    expect_refusal(m->b, m->size, reason);
}

/* ---- the valid image ---- */

static void test_valid(void **state)
{
    (void)state;
    struct img_buf m;
    build_valid(&m);
    struct xl_image img;
    char err[256] = "unset";
    const char *path = write_file("ok.elf", m.b, m.size);
    assert_int_equal(xl_image_load(path, &img, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_string_equal(img.path, path);
    assert_int_equal(img.file_size, IMG_SIZE);
    assert_int_equal(img.entry, TEXT_VADDR + 0x100);
    assert_int_equal(img.phdr_vaddr, TEXT_VADDR + sizeof(Elf32_Ehdr));
    assert_int_equal(img.phnum, 3);
    assert_int_equal(img.phentsize, sizeof(Elf32_Phdr));
    assert_true(img.hard_float);

    assert_int_equal(img.nsegs, 2);
    assert_int_equal(img.segs[0].vaddr, TEXT_VADDR);
    assert_int_equal(img.segs[0].filesz, 0x200);
    assert_int_equal(img.segs[0].memsz, 0x200);
    assert_int_equal(img.segs[0].offset, 0);
    assert_int_equal(img.segs[0].flags, PF_R | PF_X);
    assert_ptr_equal(img.segs[0].data, img.file);
    assert_int_equal(img.segs[1].vaddr, DATA_VADDR);
    assert_int_equal(img.segs[1].filesz, 0x10);
    assert_int_equal(img.segs[1].memsz, 0x100);
    assert_int_equal(img.segs[1].flags, PF_R | PF_W);
    assert_ptr_equal(img.segs[1].data, img.file + 0x200);

    /* xl_image_ptr: file bytes only; bss and holes are NULL. */
    uint32_t avail = 1234;
    const uint8_t *p = xl_image_ptr(&img, TEXT_VADDR + 0x101, &avail);
    assert_non_null(p);
    assert_int_equal(*p, 0xe1);
    assert_int_equal(avail, 0x200 - 0x101);
    p = xl_image_ptr(&img, DATA_VADDR + 0xf, &avail);
    assert_non_null(p);
    assert_int_equal(*p, 0xf);
    assert_int_equal(avail, 1);
    assert_null(xl_image_ptr(&img, DATA_VADDR + 0x10, &avail));     /* bss */
    assert_int_equal(avail, 0);
    assert_null(xl_image_ptr(&img, 0x30000, &avail));
    assert_null(xl_image_ptr(&img, 0xffffffff, &avail));
    assert_null(xl_image_ptr(&img, 0, &avail));

    /* Symbols: sorted, Thumb bit taken off functions, undefined and mapping ones left out. */
    assert_int_equal(img.nsyms, 6);
    for (size_t i = 1; i < img.nsyms; i++)
        assert_true(img.syms[i - 1].addr <= img.syms[i].addr);
    assert_string_equal(img.syms[0].name, "_start");
    assert_int_equal(img.syms[0].addr, TEXT_VADDR + 0x100);
    assert_true(img.syms[0].func);
    assert_false(img.syms[0].thumb);
    assert_string_equal(img.syms[1].name, "main");
    assert_int_equal(img.syms[1].addr, TEXT_VADDR + 0x104);
    assert_int_equal(img.syms[1].size, 8);
    assert_true(img.syms[1].thumb);
    assert_string_equal(img.syms[2].name, "label");
    assert_false(img.syms[2].func);
    assert_string_equal(img.syms[3].name, "$tx");     /* same address: by name */
    assert_string_equal(img.syms[4].name, "$x");
    assert_string_equal(img.syms[5].name, "obj");
    assert_false(img.syms[5].func);
    assert_int_equal(img.syms[5].addr, DATA_VADDR);

    const struct xl_symbol *s = xl_image_symbol_at(&img, TEXT_VADDR + 0x100);
    assert_non_null(s);
    assert_string_equal(s->name, "_start");
    s = xl_image_symbol_at(&img, TEXT_VADDR + 0x108);     /* a label inside main: main */
    assert_non_null(s);
    assert_string_equal(s->name, "main");
    s = xl_image_symbol_at(&img, TEXT_VADDR + 0x10b);
    assert_string_equal(s->name, "main");
    assert_null(xl_image_symbol_at(&img, TEXT_VADDR + 0x10c));
    assert_null(xl_image_symbol_at(&img, TEXT_VADDR));
    assert_string_equal(xl_image_symbol_at(&img, DATA_VADDR + 3)->name, "obj");
    assert_null(xl_image_symbol_at(&img, DATA_VADDR + 4));

    /* Mapping symbols: "$a.1" counts, "$x" and "$tx" do not. */
    assert_int_equal(img.nmapsyms, 4);
    const struct xl_mapsym want[] = {
        { TEXT_VADDR + 0x100, 'a' }, { TEXT_VADDR + 0x104, 't' },
        { TEXT_VADDR + 0x10c, 'd' }, { TEXT_VADDR + 0x110, 'a' },
    };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(img.mapsyms[i].addr, want[i].addr);
        assert_int_equal(img.mapsyms[i].kind, want[i].kind);
    }
    assert_int_equal(xl_image_mapping_at(&img, TEXT_VADDR), 0);
    assert_int_equal(xl_image_mapping_at(&img, TEXT_VADDR + 0xff), 0);
    assert_int_equal(xl_image_mapping_at(&img, TEXT_VADDR + 0x100), 'a');
    assert_int_equal(xl_image_mapping_at(&img, TEXT_VADDR + 0x103), 'a');
    assert_int_equal(xl_image_mapping_at(&img, TEXT_VADDR + 0x104), 't');
    assert_int_equal(xl_image_mapping_at(&img, TEXT_VADDR + 0x10c), 'd');
    assert_int_equal(xl_image_mapping_at(&img, TEXT_VADDR + 0x118), 'a');
    assert_int_equal(xl_image_mapping_at(&img, 0xffffffff), 'a');

    xl_image_free(&img);
    assert_null(img.file);
    xl_image_free(&img);        /* twice is harmless */
}

static void test_valid_variants(void **state)
{
    (void)state;
    struct img_buf m;
    struct xl_image img;
    char err[256];

    /* Soft float, PT_PHDR given, no section headers, a Thumb entry. */
    build_valid(&m);
    EH(&m)->e_flags = EF_ARM_EABI_VER5 | 0x200;
    EH(&m)->e_entry = TEXT_VADDR + 0x105;
    EH(&m)->e_shoff = 0;
    EH(&m)->e_shnum = 0;
    PH(&m)[2] = (Elf32_Phdr){ .p_type = PT_PHDR, .p_offset = 0x34, .p_vaddr = 0x12345678,
                              .p_filesz = 0x60, .p_memsz = 0x60, .p_flags = PF_R };
    assert_int_equal(xl_image_load(write_file("v1.elf", m.b, m.size), &img, err, sizeof err),
                     0);
    assert_false(img.hard_float);
    assert_int_equal(img.entry, TEXT_VADDR + 0x105);
    assert_int_equal(img.phdr_vaddr, 0x12345678);
    assert_int_equal(img.nsyms, 0);
    assert_int_equal(img.nmapsyms, 0);
    assert_null(xl_image_symbol_at(&img, TEXT_VADDR + 0x100));
    assert_int_equal(xl_image_mapping_at(&img, TEXT_VADDR + 0x100), 0);
    xl_image_free(&img);

    /* Program headers outside every segment: no AT_PHDR. Bad symbol table: no symbols. */
    build_valid(&m);
    EH(&m)->e_phoff = 0x1c0;
    memcpy(m.b + 0x1c0, PH(&m), 3 * sizeof(Elf32_Phdr));
    ((Elf32_Phdr *)(m.b + 0x1c0))[0].p_filesz = 0x1c0;
    ((Elf32_Phdr *)(m.b + 0x1c0))[0].p_memsz = 0x1c0;
    ((Elf32_Shdr *)(m.b + SHDR_OFF))[1].sh_offset = 0xfffffff0;
    assert_int_equal(xl_image_load(write_file("v2.elf", m.b, m.size), &img, err, sizeof err),
                     0);
    assert_int_equal(img.phdr_vaddr, 0);
    assert_int_equal(img.nsyms, 0);
    assert_int_equal(img.nmapsyms, 0);
    xl_image_free(&img);

    /* A string table whose last name is not terminated: that symbol is dropped. */
    build_valid(&m);
    ((Elf32_Shdr *)(m.b + SHDR_OFF))[2].sh_size = N_UNDEF + 2;
    ((Elf32_Sym *)(m.b + 0x260))[11] = sym(N_UNDEF, TEXT_VADDR, 0, STT_FUNC, STB_GLOBAL, 1);
    assert_int_equal(xl_image_load(write_file("v3.elf", m.b, m.size), &img, err, sizeof err),
                     0);
    assert_int_equal(img.nsyms, 6);
    xl_image_free(&img);

    /* Zero-size PT_LOAD segments are dropped; a null err buffer is allowed. */
    build_valid(&m);
    PH(&m)[2] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_vaddr = 0x40000 };
    assert_int_equal(xl_image_load(write_file("v4.elf", m.b, m.size), &img, NULL, 0), 0);
    assert_int_equal(img.nsegs, 2);
    xl_image_free(&img);
}

/* ---- refusals, each with its exact reason ---- */

static void test_not_elf(void **state)
{
    (void)state;
    expect_refusal("hello, world\n", 13, "not an ELF file");
    expect_refusal("", 0, "not an ELF file");
    expect_refusal("\177EL", 3, "not an ELF file");
    expect_refusal("\177ELF", 4, "truncated file (the ELF header is incomplete)");

    struct img_buf m;
    build_valid(&m);
    m.size = 30;
    expect_img_refusal(&m, "truncated file (the ELF header is incomplete)");
    m.size = sizeof(Elf32_Ehdr) - 1;
    expect_img_refusal(&m, "truncated file (the ELF header is incomplete)");
}

static void test_wrong_class_machine_endian(void **state)
{
    (void)state;
    struct img_buf m;

    build_valid(&m);
    m.b[EI_CLASS] = ELFCLASS64;
    EH(&m)->e_machine = EM_X86_64;
    expect_img_refusal(&m, "not a 32-bit ARM executable (64-bit ELF for x86-64)");
    EH(&m)->e_machine = EM_AARCH64;
    expect_img_refusal(&m, "not a 32-bit ARM executable (64-bit ELF for AArch64 (64-bit ARM))");

    build_valid(&m);
    m.b[EI_CLASS] = 7;
    expect_img_refusal(&m, "not a valid ELF file (unknown ELF class 7)");

    build_valid(&m);
    m.b[EI_DATA] = 0;
    expect_img_refusal(&m, "not a valid ELF file (unknown data encoding 0)");

    build_valid(&m);
    m.b[EI_VERSION] = 2;
    expect_img_refusal(&m, "not a valid ELF file (ELF version 2)");

    build_valid(&m);
    EH(&m)->e_machine = EM_386;
    expect_img_refusal(&m, "not an ARM executable (ELF for i386)");
    EH(&m)->e_machine = 0x4242;
    expect_img_refusal(&m, "not an ARM executable (ELF for machine 16962)");

    build_valid(&m);
    m.b[EI_DATA] = ELFDATA2MSB;
    m.b[18] = 0;
    m.b[19] = EM_ARM;
    expect_img_refusal(&m, "big-endian ARM programs are not supported");
    m.b[19] = EM_PPC;
    expect_img_refusal(&m, "not an ARM executable (big-endian ELF for PowerPC)");
}

static void test_wrong_type_abi(void **state)
{
    (void)state;
    struct img_buf m;

    build_valid(&m);
    EH(&m)->e_type = ET_REL;
    expect_img_refusal(&m, "not an executable (a relocatable object file)");
    EH(&m)->e_type = ET_CORE;
    expect_img_refusal(&m, "not an executable (a core dump)");
    EH(&m)->e_type = ET_NONE;
    expect_img_refusal(&m, "not an executable (ELF type 0)");

    build_valid(&m);
    EH(&m)->e_flags = EF_ARM_EABI_VER4 | 0x400;
    expect_img_refusal(&m, "ARM EABI version 4 is not supported (only EABI version 5 is)");
    EH(&m)->e_flags = 0x02;
    expect_img_refusal(&m, "old-ABI ARM programs are not supported (only EABI version 5 is)");
}

/* Loads m, which must be accepted. */
static void load_ok(struct img_buf *m, struct xl_image *img)
{
    char err[256] = "unset";
    const char *path = write_file("dyn.elf", m->b, m->size);
    assert_int_equal(xl_image_load(path, img, err, sizeof err), 0);
    assert_string_equal(err, "");
}

static void test_dynamic(void **state)
{
    (void)state;
    struct img_buf m;
    struct xl_image img;

    /* PT_INTERP: the loader's path, one NUL-terminated string inside the file. */
    build_valid(&m);
    memcpy(m.b + 0x1f0, "/lib/ld.so.3", 13);
    PH(&m)[2] = (Elf32_Phdr){ .p_type = PT_INTERP, .p_offset = 0x1f0, .p_filesz = 13 };
    load_ok(&m, &img);
    assert_string_equal(img.interp, "/lib/ld.so.3");
    assert_false(img.dyn);
    xl_image_free(&img);
    EH(&m)->e_type = ET_DYN;                    /* a PIE */
    load_ok(&m, &img);
    assert_string_equal(img.interp, "/lib/ld.so.3");
    assert_true(img.dyn);
    xl_image_free(&img);
    PH(&m)[2].p_filesz = 12;
    expect_img_refusal(&m, "bad PT_INTERP (not one NUL-terminated path)");
    PH(&m)[2].p_filesz = 1;
    expect_img_refusal(&m, "bad PT_INTERP (offset 0x1f0, size 0x1)");
    PH(&m)[2] = (Elf32_Phdr){ .p_type = PT_INTERP, .p_offset = IMG_SIZE - 4, .p_filesz = 13 };
    expect_img_refusal(&m, "bad PT_INTERP (offset 0x3a4, size 0xd)");

    /* static-PIE: ET_DYN without PT_INTERP, its segments from address 0 (below 64 KiB,
       which only a load base makes valid). */
    build_valid(&m);
    EH(&m)->e_type = ET_DYN;
    EH(&m)->e_entry = 0x100;
    PH(&m)[0].p_vaddr = 0;
    PH(&m)[1].p_vaddr = DATA_VADDR - TEXT_VADDR;
    load_ok(&m, &img);
    assert_true(img.dyn);
    assert_null(img.interp);
    assert_int_equal(img.segs[0].vaddr, 0);
    xl_image_free(&img);
    EH(&m)->e_type = ET_EXEC;
    expect_img_refusal(&m, "segment 0 at 0x00000000 lies below 64 KiB, where guest memory "
                           "starts");
    EH(&m)->e_type = ET_DYN;
    EH(&m)->e_entry = 0;
    expect_img_refusal(&m, "not an executable (a shared library)");
}

static void test_bad_phdrs(void **state)
{
    (void)state;
    struct img_buf m;

    build_valid(&m);
    EH(&m)->e_phnum = 0;
    expect_img_refusal(&m, "no program headers (not an executable)");

    build_valid(&m);
    EH(&m)->e_phentsize = 40;
    expect_img_refusal(&m, "bad program header size 40 (expected 32)");

    build_valid(&m);
    m.size = 0x60;
    expect_img_refusal(&m, "truncated file (program headers end at offset 148, the file has 96 "
                           "bytes)");

    build_valid(&m);
    EH(&m)->e_phoff = 0xfffffff0;
    expect_img_refusal(&m, "truncated file (program headers end at offset 4294967376, the "
                           "file has 936 bytes)");

    build_valid(&m);
    PH(&m)[0].p_type = PT_NOTE;
    PH(&m)[1].p_type = PT_NOTE;
    expect_img_refusal(&m, "no loadable segments");

    build_valid(&m);
    EH(&m)->e_entry = DATA_VADDR;
    expect_img_refusal(&m, "entry point 0x00020200 is not in an executable segment");
    EH(&m)->e_entry = 0x90000;
    expect_img_refusal(&m, "entry point 0x00090000 is not in an executable segment");
}

static void test_bad_segments(void **state)
{
    (void)state;
    struct img_buf m;

    build_valid(&m);
    m.size = 0x1f0;
    expect_img_refusal(&m, "truncated file (segment 0 ends at offset 512, the file has 496 "
                           "bytes)");

    build_valid(&m);
    PH(&m)[1].p_offset = 0xfffffff8;
    expect_img_refusal(&m, "segment 1 outside the file (offset 0xfffffff8, size 0x10)");

    build_valid(&m);
    PH(&m)[1].p_offset = 0x3a0;
    expect_img_refusal(&m, "truncated file (segment 1 ends at offset 944, the file has 936 "
                           "bytes)");

    build_valid(&m);
    PH(&m)[1].p_filesz = 0x101;
    expect_img_refusal(&m, "bad segment 1 (file size 0x101 larger than memory size 0x100)");

    build_valid(&m);
    PH(&m)[1].p_vaddr = 0xfffff000;
    PH(&m)[1].p_memsz = 0x2000;
    expect_img_refusal(&m, "segment 1 wraps around the 4 GiB address space "
                           "(0xfffff000 + 0x2000)");

    build_valid(&m);
    PH(&m)[0].p_vaddr = 0x8000;
    expect_img_refusal(&m, "segment 0 at 0x00008000 lies below 64 KiB, where guest memory "
                           "starts");

    build_valid(&m);
    PH(&m)[1].p_vaddr = 0xfffe0000;
    PH(&m)[1].p_memsz = 0x10001;
    expect_img_refusal(&m, "segment 1 (0xfffe0000-0xffff0001) reaches the kuser helper page "
                           "at 0xffff0000");

    build_valid(&m);
    PH(&m)[1].p_vaddr = TEXT_VADDR + 0x1ff;
    expect_img_refusal(&m, "segments overlap at 0x000101ff");
}

static void test_file_errors(void **state)
{
    (void)state;
    struct xl_image img;
    char err[256];
    char path[512];
    snprintf(path, sizeof path, "%s/does-not-exist", tmpdir);
    assert_int_equal(xl_image_load(path, &img, err, sizeof err), -1);
    assert_string_equal(err, "No such file or directory");
    assert_int_equal(xl_image_load(tmpdir, &img, err, sizeof err), -1);
    assert_string_equal(err, "Is a directory");
    /* A tiny err buffer is truncated, not overrun. */
    char small[8];
    memset(small, 'x', sizeof small);
    assert_int_equal(xl_image_load(path, &img, small, 4), -1);
    assert_string_equal(small, "No ");
    assert_int_equal(small[4], 'x');
}

/* Mutated copies of the valid image: the loader refuses or accepts, and never crashes. */
static void test_mutations(void **state)
{
    (void)state;
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    struct img_buf m;
    int loaded = 0;
    for (int iter = 0; iter < 3000; iter++) {
        build_valid(&m);
        int nflip = 1 + iter % 4;
        for (int k = 0; k < nflip; k++) {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            /* Bias toward the headers, where the offsets are. */
            size_t off = (rng >> 8) % (rng & 1 ? 0x60 : IMG_SIZE);
            m.b[off] = (uint8_t)(rng >> 40);
        }
        if (iter % 7 == 0)
            m.size = (rng >> 20) % IMG_SIZE;
        struct xl_image img;
        char err[256];
        if (xl_image_load(write_file("fuzz.elf", m.b, m.size), &img, err, sizeof err) == 0) {
            loaded++;
            uint32_t avail;
            for (uint32_t a = TEXT_VADDR; a < TEXT_VADDR + 0x400; a += 3) {
                const uint8_t *p = xl_image_ptr(&img, a, &avail);
                if (p)
                    assert_true(p >= img.file && p + avail <= img.file + img.file_size);
                (void)xl_image_mapping_at(&img, a);
                const struct xl_symbol *s = xl_image_symbol_at(&img, a);
                if (s)
                    assert_non_null(s->name);
            }
            for (size_t i = 0; i < img.nsyms; i++)
                assert_true(strlen(img.syms[i].name) < img.file_size);
            xl_image_free(&img);
        } else {
            assert_true(err[0] != '\0');
            assert_null(strchr(err, '\n'));
        }
    }
    assert_true(loaded > 0);
}

/* ---- a real static ARM program ---- */

static const char *arm_cc(void)
{
    const char *cc = getenv("XLATE_ARM_CC");
    if (cc && *cc)
        return cc;
    if (system("command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1") == 0)
        return "arm-linux-gnueabihf-gcc";
    return NULL;
}

static void test_real_program(void **state)
{
    (void)state;
    const char *cc = arm_cc();
    if (!cc) {
        print_message("arm-linux-gnueabihf-gcc not found (set XLATE_ARM_CC): skipped\n");
        skip();
    }
    char src[512], exe[600], cmd[2048];
    snprintf(src, sizeof src, "%s/hello.c", tmpdir);
    snprintf(exe, sizeof exe, "%s/hello", tmpdir);
    FILE *f = fopen(src, "w");
    assert_non_null(f);
    fputs("int counter;\n"
          "__attribute__((target(\"arm\"), noinline)) int in_arm(int x) { return x + 1; }\n"
          "int main(void) { return in_arm(counter) + 41; }\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s -static -O1 -mthumb -o '%s' '%s'", cc, exe, src);
    if (system(cmd) != 0) {
        print_message("'%s' failed: skipped\n", cmd);
        skip();
    }

    struct xl_image img;
    char err[256];
    if (xl_image_load(exe, &img, err, sizeof err) != 0)
        fail_msg("%s: %s", exe, err);
    assert_true(img.hard_float);
    assert_true(img.nsegs >= 2);
    assert_true(img.phdr_vaddr != 0);
    assert_int_equal(img.phentsize, sizeof(Elf32_Phdr));

    /* The bytes at AT_PHDR are the file's program headers. */
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)img.file;
    uint32_t avail;
    const uint8_t *ph = xl_image_ptr(&img, img.phdr_vaddr, &avail);
    assert_non_null(ph);
    assert_true(avail >= img.phnum * sizeof(Elf32_Phdr));
    assert_memory_equal(ph, img.file + eh->e_phoff, img.phnum * sizeof(Elf32_Phdr));

    /* The entry's mode agrees with the mapping symbol there. */
    char k = xl_image_mapping_at(&img, img.entry & ~1u);
    assert_int_equal(k, img.entry & 1 ? 't' : 'a');

    const struct xl_symbol *main_sym = NULL, *arm_sym = NULL;
    for (size_t i = 0; i < img.nsyms; i++) {
        if (strcmp(img.syms[i].name, "main") == 0)
            main_sym = &img.syms[i];
        if (strcmp(img.syms[i].name, "in_arm") == 0)
            arm_sym = &img.syms[i];
        if (i)
            assert_true(img.syms[i - 1].addr <= img.syms[i].addr);
    }
    assert_non_null(main_sym);
    assert_non_null(arm_sym);
    assert_true(main_sym->func && main_sym->thumb);
    assert_int_equal(main_sym->addr & 1, 0);
    assert_true(arm_sym->func && !arm_sym->thumb);
    assert_int_equal(xl_image_mapping_at(&img, main_sym->addr), 't');
    assert_int_equal(xl_image_mapping_at(&img, arm_sym->addr), 'a');
    assert_ptr_equal(xl_image_symbol_at(&img, main_sym->addr + 2), main_sym);
    assert_non_null(xl_image_ptr(&img, main_sym->addr, &avail));
    for (size_t i = 1; i < img.nmapsyms; i++)
        assert_true(img.mapsyms[i - 1].addr <= img.mapsyms[i].addr);
    xl_image_free(&img);
}

/* ---- a real dynamically linked PIE: its PLT stubs get their functions' names ---- */

/* The address objdump gives the label "<NAME@plt>:" (or "<.plt>:" for name ".plt") in
   exe's disassembly, or 0. */
static uint32_t objdump_label(const char *exe, const char *name)
{
    char cmd[1024], line[512], want[128];
    snprintf(cmd, sizeof cmd, "arm-linux-gnueabihf-objdump -d '%s' 2>/dev/null", exe);
    snprintf(want, sizeof want, strcmp(name, ".plt") == 0 ? "<%s>:" : "<%s@plt>:", name);
    FILE *p = popen(cmd, "r");
    if (!p)
        return 0;
    uint32_t addr = 0;
    while (fgets(line, sizeof line, p))
        if (strstr(line, want) && sscanf(line, "%x", &addr) == 1)
            break;
    pclose(p);
    return addr;
}

static void check_plt_names(const char *exe)
{
    static const char *const names[] = { "puts", "memcpy", "_setjmp", ".plt" };
    struct xl_image img;
    char err[256];
    if (xl_image_load(exe, &img, err, sizeof err) != 0)
        fail_msg("%s: %s", exe, err);
    assert_true(img.dyn);
    assert_non_null(img.interp);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        uint32_t want = objdump_label(exe, names[k]);
        assert_int_not_equal(want, 0);
        const char *nm = strcmp(names[k], ".plt") == 0 ? "_plt0" : names[k];
        const struct xl_symbol *s = xl_image_symbol_at(&img, want);
        assert_non_null(s);
        assert_string_equal(s->name, nm);
        assert_int_equal(s->addr, want);
        assert_true(s->func && !s->thumb);
    }
    /* Rebased where the runtime loads a PIE: every address moves by the same bias. */
    uint32_t bias = xl_image_program_bias(&img);
    assert_int_equal(bias, XL_PIE_BASE - (img.segs[0].vaddr & ~0xfffu));
    const struct xl_symbol *s = xl_image_symbol_at(&img, img.syms[img.nsyms - 1].addr);
    uint32_t at = s->addr, entry = img.entry;
    const char *name = s->name;
    xl_image_rebase(&img, bias);
    assert_int_equal(img.entry, entry + bias);
    assert_int_equal(img.bias, bias);
    s = xl_image_symbol_at(&img, at + bias);
    assert_non_null(s);
    assert_string_equal(s->name, name);
    xl_image_free(&img);
}

static void test_real_dynamic_program(void **state)
{
    (void)state;
    const char *cc = arm_cc();
    if (!cc || system("command -v arm-linux-gnueabihf-objdump >/dev/null 2>&1") != 0) {
        print_message("arm-linux-gnueabihf-gcc or -objdump not found: skipped\n");
        skip();
    }
    char src[512], exe[600], stripped[640], cmd[4096];
    snprintf(src, sizeof src, "%s/dyn.c", tmpdir);
    snprintf(exe, sizeof exe, "%s/dyn", tmpdir);
    snprintf(stripped, sizeof stripped, "%s/dyn-stripped", tmpdir);
    FILE *f = fopen(src, "w");
    assert_non_null(f);
    fputs("#include <setjmp.h>\n#include <stdio.h>\n#include <string.h>\n"
          "jmp_buf jb; char buf[64];\n"
          "int main(int argc, char **argv) {\n"
          "  if (_setjmp(jb)) return 1;\n"
          "  memcpy(buf, argv[0], argc + 8); puts(buf); return 0; }\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s -O1 -marm -fPIE -pie -o '%s' '%s' && %s -s -O1 -marm -fPIE "
             "-pie -o '%s' '%s'", cc, exe, src, cc, stripped, src);
    if (system(cmd) != 0) {
        print_message("'%s' failed: skipped\n", cmd);
        skip();
    }
    check_plt_names(exe);
    /* Stripped: the same stubs, named from .dynsym and .rel.plt alone. */
    struct xl_image a, b;
    char err[256];
    if (xl_image_load(exe, &a, err, sizeof err) != 0 ||
        xl_image_load(stripped, &b, err, sizeof err) != 0)
        fail_msg("%s", err);
    size_t found = 0;
    for (size_t i = 0; i < a.nsyms; i++) {
        if (!a.syms[i].func || !objdump_label(exe, a.syms[i].name))
            continue;
        const struct xl_symbol *s = xl_image_symbol_at(&b, a.syms[i].addr);
        assert_non_null(s);
        assert_string_equal(s->name, a.syms[i].name);
        found++;
    }
    assert_true(found >= 3);            /* puts, memcpy, _setjmp */
    xl_image_free(&a);
    xl_image_free(&b);
}

/* ---- SHA-256: the FIPS 180-4 examples, and every length around the padding's edges ---- */

static void test_sha256(void **state)
{
    (void)state;
    char h[65];
    struct xl_sha256 s;
    xl_sha256_init(&s);
    xl_sha256_hex(&s, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    xl_sha256_init(&s);
    xl_sha256_update(&s, "abc", 3);
    xl_sha256_hex(&s, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    xl_sha256_init(&s);
    xl_sha256_update(&s, two, strlen(two));
    xl_sha256_hex(&s, h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* A million 'a's, fed in pieces of odd sizes. */
    static char a[1000];
    memset(a, 'a', sizeof a);
    xl_sha256_init(&s);
    for (size_t done = 0, k = 1; done < 1000000; k = k % 997 + 1) {
        size_t n = 1000000 - done < k ? 1000000 - done : k;
        xl_sha256_update(&s, a, n);
        done += n;
    }
    xl_sha256_hex(&s, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* The file and memo forms agree with the buffer form, the memo's second read too. */
    char path[600], memo[600], hb[65], hf[65], hm[65], hm2[65];
    snprintf(path, sizeof path, "%s/sha.dat", tmpdir);
    snprintf(memo, sizeof memo, "%s/memo", tmpdir);
    assert_int_equal(mkdir(memo, 0755), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 70000; i++)
        fputc((i * 7) & 0xff, f);
    fclose(f);
    xl_sha256_init(&s);
    for (int i = 0; i < 70000; i++) {
        unsigned char c = (unsigned char)((i * 7) & 0xff);
        xl_sha256_update(&s, &c, 1);
    }
    xl_sha256_hex(&s, hb);
    assert_int_equal(xl_sha256_file(path, hf), 0);
    assert_string_equal(hf, hb);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(xl_sha256_fd_memo(fd, memo, hm), 0);
    assert_int_equal(xl_sha256_fd_memo(fd, memo, hm2), 0);
    close(fd);
    assert_string_equal(hm, hb);
    assert_string_equal(hm2, hb);
}

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/xl_image_test.XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_valid_variants),
        cmocka_unit_test(test_not_elf),
        cmocka_unit_test(test_wrong_class_machine_endian),
        cmocka_unit_test(test_wrong_type_abi),
        cmocka_unit_test(test_dynamic),
        cmocka_unit_test(test_real_dynamic_program),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_bad_phdrs),
        cmocka_unit_test(test_bad_segments),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_real_program),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
