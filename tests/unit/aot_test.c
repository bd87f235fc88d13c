/*
 * The runtime side of the AOT path: xl_aot_lookup and xl_aot_resolve on a hand-made table
 * (this test defines the table that `xlate IN -o OUT` generates), and xl_image_load_mem,
 * which a translated program uses for its embedded guest image.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lifter/image/image.h"
#include "runtime/aot.h"

static void f1(struct cpu *cpu) { cpu->r[0] = 1; }
static void f2(struct cpu *cpu) { cpu->r[0] = 2; }
static void f3(struct cpu *cpu) { cpu->r[0] = 3; }
static void f4(struct cpu *cpu) { cpu->r[0] = 4; }

/* What xl_aot_resolve gives raised code: a row's `fast` entry (only compared here). */
static char fast1, fast2, fast3, fast4;

/* Sorted by key = address | thumb; 0x8001 (Thumb) and 0x8000 (ARM) are different entries. */
const struct xl_aot_entry xl_aot_table[] = {
    { 0x00010000, f1, &fast1 }, { 0x00010101, f2, &fast2 },
    { 0x00010200, f3, &fast3 }, { 0x00010201, f4, &fast4 },
};
const uint32_t xl_aot_count = sizeof xl_aot_table / sizeof xl_aot_table[0];

static void test_lookup(void **state)
{
    (void)state;
    assert_ptr_equal(xl_aot_lookup(0x10000, 0), f1);
    assert_ptr_equal(xl_aot_lookup(0x10100, 1), f2);
    assert_ptr_equal(xl_aot_lookup(0x10200, 0), f3);
    assert_ptr_equal(xl_aot_lookup(0x10200, 1), f4);
    /* The wrong state, neighbours, and both ends of the key space. */
    assert_null(xl_aot_lookup(0x10000, 1));
    assert_null(xl_aot_lookup(0x10100, 0));
    assert_null(xl_aot_lookup(0x10004, 0));
    assert_null(xl_aot_lookup(0, 0));
    assert_null(xl_aot_lookup(0xfffffffe, 1));
    assert_null(xl_aot_lookup(0x0fffc, 0));
    /* Again, now from the lookup cache; 0x10000 + 4096 shares f1's cache entry. */
    for (int i = 0; i < 2; i++) {
        assert_ptr_equal(xl_aot_lookup(0x10000, 0), f1);
        assert_null(xl_aot_lookup(0x10000, 1));
        assert_null(xl_aot_lookup(0x10000 + 4096, 0));
        assert_ptr_equal(xl_aot_lookup(0x10200, 1), f4);
        assert_null(xl_aot_lookup(0, 0));
    }
}

static void test_resolve(void **state)
{
    (void)state;
    struct cpu cpu;
    memset(&cpu, 0, sizeof cpu);
    cpu.r[15] = 0x10100;
    cpu.thumb = 1;
    assert_ptr_equal(xl_aot_resolve(&cpu), &fast2);
    cpu.thumb = 0;
    assert_null(xl_aot_resolve(&cpu));
    cpu.r[15] = 0x10200;
    assert_ptr_equal(xl_aot_resolve(&cpu), &fast3);
    cpu.interrupt = 1;              /* a signal waits: the call goes through the runtime */
    assert_null(xl_aot_resolve(&cpu));
}

/* A minimal static ARM executable: one R+X PT_LOAD holding the whole file. */
#define VADDR 0x10000u
#define CODE_OFF 0x80u
#define FILE_SIZE 0x100u

static void build_elf(uint8_t *b)
{
    memset(b, 0, FILE_SIZE);
    Elf32_Ehdr *eh = (Elf32_Ehdr *)b;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_ARM;
    eh->e_version = EV_CURRENT;
    eh->e_entry = VADDR + CODE_OFF;
    eh->e_phoff = sizeof(Elf32_Ehdr);
    eh->e_flags = EF_ARM_EABI_VER5 | 0x400;
    eh->e_ehsize = sizeof(Elf32_Ehdr);
    eh->e_phentsize = sizeof(Elf32_Phdr);
    eh->e_phnum = 1;
    Elf32_Phdr *ph = (Elf32_Phdr *)(b + sizeof(Elf32_Ehdr));
    *ph = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = VADDR, .p_paddr = VADDR,
                        .p_filesz = FILE_SIZE, .p_memsz = FILE_SIZE, .p_flags = PF_R | PF_X,
                        .p_align = 0x1000 };
    static const uint8_t code[] = { 0x01, 0x00, 0xa0, 0xe3,     /* mov r0, #1 */
                                    0x01, 0x70, 0xa0, 0xe3,     /* mov r7, #1 */
                                    0x00, 0x00, 0x00, 0xef };   /* svc #0 */
    memcpy(b + CODE_OFF, code, sizeof code);
}

static void test_load_mem(void **state)
{
    (void)state;
    uint8_t *buf = malloc(FILE_SIZE);
    assert_non_null(buf);
    build_elf(buf);
    struct xl_image img;
    char err[256];
    assert_int_equal(xl_image_load_mem(buf, FILE_SIZE, "/proc/self/exe", &img, err, sizeof err),
                     0);
    /* The image owns a copy: the caller's buffer may go away. */
    memset(buf, 0xff, FILE_SIZE);
    free(buf);
    assert_string_equal(img.path, "/proc/self/exe");
    assert_int_equal(img.entry, VADDR + CODE_OFF);
    assert_true(img.hard_float);
    assert_int_equal(img.nsegs, 1);
    assert_int_equal(img.segs[0].vaddr, VADDR);
    assert_int_equal(img.segs[0].filesz, FILE_SIZE);
    uint32_t avail = 0;
    const uint8_t *p = xl_image_ptr(&img, VADDR + CODE_OFF, &avail);
    assert_non_null(p);
    assert_int_equal(avail, FILE_SIZE - CODE_OFF);
    assert_int_equal(p[3], 0xe3);
    assert_int_equal(p[11], 0xef);
    xl_image_free(&img);
}

static void test_load_mem_refusals(void **state)
{
    (void)state;
    uint8_t buf[FILE_SIZE];
    struct xl_image img;
    char err[256];
    static const char text[] = "just some text\n";
    assert_int_equal(xl_image_load_mem(text, sizeof text - 1, "t", &img, err, sizeof err), -1);
    assert_string_equal(err, "not an ELF file");
    assert_null(img.file);
    assert_int_equal(xl_image_load_mem(text, 0, "t", &img, err, sizeof err), -1);
    assert_string_equal(err, "not an ELF file");
    build_elf(buf);
    assert_int_equal(xl_image_load_mem(buf, 40, "t", &img, err, sizeof err), -1);
    assert_string_equal(err, "truncated file (the ELF header is incomplete)");
    ((Elf32_Ehdr *)buf)->e_machine = EM_386;
    assert_int_equal(xl_image_load_mem(buf, FILE_SIZE, "t", &img, err, sizeof err), -1);
    assert_string_equal(err, "not an ARM executable (ELF for i386)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_load_mem),
        cmocka_unit_test(test_load_mem_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
