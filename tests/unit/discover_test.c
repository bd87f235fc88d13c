/*
 * lifter/discover: small ARM programs built at test time with arm-linux-gnueabihf-gcc (every
 * jump table form, computed jumps, a literal pool inside a function, interworking calls, a
 * stripped copy), whose expected blocks come from the labels written into the assembly and
 * read back from the symbol table; gcc -O2 switches; a computed goto's labels; glibc's
 * string routines recognized by their bytes, also stripped; a static glibc hello (all function
 * symbols found, structure, time); C++ landing pads, from a hand-built EHABI table (also
 * truncated and corrupted) and from a g++ program; and random bytes, which must never crash
 * or hang discovery.
 *
 * XLATE_ARM_CC names the ARM compiler; otherwise arm-linux-gnueabihf-gcc from PATH
 * (XLATE_ARM_CXX and arm-linux-gnueabihf-g++ for C++). Without one the tests that need it
 * are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lifter/discover/discover.h"
#include "lifter/discover/ehabi.h"
#include "lifter/image/coderefs.h"
#include "lifter/image/routines.h"

static char tmpdir[256];

static const char *arm_cc(void)
{
    const char *cc = getenv("XLATE_ARM_CC");
    if (cc && *cc)
        return cc;
    if (system("command -v arm-linux-gnueabihf-gcc >/dev/null 2>&1") == 0)
        return "arm-linux-gnueabihf-gcc";
    return NULL;
}

static const char *arm_cxx(void)
{
    const char *cc = getenv("XLATE_ARM_CXX");
    if (cc && *cc)
        return cc;
    if (system("command -v arm-linux-gnueabihf-g++ >/dev/null 2>&1") == 0)
        return "arm-linux-gnueabihf-g++";
    return NULL;
}

/* Writes src to tmpdir/name.ext and builds tmpdir/name with flags; skips the test when the
   compiler is missing or fails. Returns the executable's path (static buffer per slot). */
static const char *build(const char *name, const char *ext, const char *src, const char *flags)
{
    static char exes[8][600];
    static int slot;
    bool cxx = strcmp(ext, "cc") == 0;
    const char *cc = cxx ? arm_cxx() : arm_cc();
    if (!cc) {
        print_message("arm-linux-gnueabihf-%s not found (set XLATE_ARM_%s): skipped\n",
                      cxx ? "g++" : "gcc", cxx ? "CXX" : "CC");
        skip();
    }
    char path[512], cmd[2048];
    char *exe = exes[slot++ % 8];
    snprintf(path, sizeof path, "%s/%s.%s", tmpdir, name, ext);
    snprintf(exe, 600, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(src, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s -static %s -o '%s' '%s'", cc, flags, exe, path);
    if (system(cmd) != 0) {
        print_message("'%s' failed: skipped\n", cmd);
        skip();
    }
    return exe;
}

/* A stripped copy of exe (arm-linux-gnueabihf-strip next to the compiler). */
static const char *stripped(const char *exe)
{
    static char out[640];
    char cmd[1600];
    snprintf(out, sizeof out, "%s.stripped", exe);
    snprintf(cmd, sizeof cmd, "arm-linux-gnueabihf-strip -o '%s' '%s'", out, exe);
    if (system(cmd) != 0) {
        print_message("arm-linux-gnueabihf-strip failed: skipped\n");
        skip();
    }
    return out;
}

static void load(const char *exe, struct xl_image *img, struct xl_program *p)
{
    char err[256];
    if (xl_image_load(exe, img, err, sizeof err) != 0)
        fail_msg("%s: %s", exe, err);
    if (xl_discover(img, p, err, sizeof err) != 0)
        fail_msg("discover %s: %s", exe, err);
}

/* Address of a symbol or label (bit 0 clear), failing the test when it is missing. */
static uint32_t sym(const struct xl_image *img, const char *name)
{
    for (size_t i = 0; i < img->nsyms; i++)
        if (strcmp(img->syms[i].name, name) == 0)
            return img->syms[i].addr;
    fail_msg("no symbol %s", name);
    return 0;
}

static const struct xl_function *func_at(const struct xl_program *p, uint32_t entry)
{
    for (size_t i = 0; i < p->nfuncs; i++)
        if (p->funcs[i].entry == entry)
            return &p->funcs[i];
    return NULL;
}

static bool func_has(const struct xl_program *p, const struct xl_function *f, uint32_t addr,
                     bool thumb)
{
    const struct xl_dblock *b = xl_program_block(p, addr, thumb);
    if (!b)
        return false;
    for (uint32_t i = 0; i < f->nblocks; i++)
        if (&p->blocks[f->blocks[i]] == b)
            return true;
    return false;
}

static const struct xl_dblock *block(const struct xl_program *p, uint32_t addr, bool thumb)
{
    const struct xl_dblock *b = xl_program_block(p, addr, thumb);
    if (!b)
        fail_msg("no %s block at 0x%x", thumb ? "thumb" : "arm", addr);
    return b;
}

/* Structure every discovery result has, whatever the input. */
static void check_invariants(const struct xl_image *img, const struct xl_program *p)
{
    struct xl_exec_ranges exec;
    xl_exec_sections(img, &exec);
    for (size_t i = 0; i < p->nblocks; i++) {
        const struct xl_dblock *b = &p->blocks[i];
        /* code is in the executable sections, never in the read-only data beside them */
        if (exec.n) {
            bool in = false;
            for (size_t e = 0; e < exec.n; e++)
                in |= b->addr >= exec.lo[e] && b->end <= exec.hi[e];
            if (!in)
                fail_msg("block at 0x%x (%s, function 0x%x) outside the executable sections",
                         b->addr, b->thumb ? "Thumb" : "ARM", p->funcs[b->func].entry);
        }
        if (i) {
            const struct xl_dblock *a = &p->blocks[i - 1];
            assert_true(a->addr < b->addr || (a->addr == b->addr && a->thumb < b->thumb));
        }
        assert_true(b->end > b->addr);
        assert_true(b->kind <= XL_END_EXIT);
        assert_ptr_equal(xl_program_block(p, b->addr, b->thumb), b);
        assert_true(b->func < p->nfuncs);
        assert_true(func_has(p, &p->funcs[b->func], b->addr, b->thumb));
        char m = xl_image_mapping_at(img, b->addr);
        assert_true(m != 'd' && !(m == 'a' && b->thumb) && !(m == 't' && !b->thumb));
        if (b->kind == XL_END_FALL) {
            assert_int_equal(b->nsucc, 1);
            assert_int_equal(b->succ[0], b->end | b->thumb);
            assert_non_null(xl_program_block(p, b->end, b->thumb));
        }
        if (b->kind == XL_END_COND) {
            assert_int_equal(b->nsucc, 2);
            assert_int_equal(b->succ[1], b->end | b->thumb);
        }
        if (b->kind == XL_END_CALL || b->kind == XL_END_CALL_IND)
            assert_int_equal(b->succ[0], b->end | b->thumb);
    }
    for (size_t i = 0; i < p->nfuncs; i++) {
        const struct xl_function *f = &p->funcs[i];
        if (i)
            assert_true(p->funcs[i - 1].entry < f->entry);
        assert_true(f->nblocks >= 1);
        const struct xl_dblock *e = &p->blocks[f->blocks[0]];
        assert_int_equal(e->addr | e->thumb, f->entry);
        for (uint32_t j = 0; j < f->nblocks; j++)
            assert_true(f->blocks[j] < p->nblocks);
    }
}

/* ---- A32 jump tables: ldr pc, [pc, rN, lsl #2] and add pc, pc, rN, lsl #2 ---- */

static const char arm_tables_s[] =
    "    .syntax unified\n"
    "    .arm\n"
    "    .text\n"
    "    .global _start\n"
    "    .type _start, %function\n"
    "_start:\n"
    "    mov r0, #2\n"
    "    bl f\n"
    "    bl g\n"
    "    mov r7, #1\n"
    "    svc #0\n"
    "    .type f, %function\n"
    "f:\n"
    "    cmp r0, #3\n"
    "f_tbl:\n"
    "    ldrls pc, [pc, r0, lsl #2]\n"
    "f_def:\n"
    "    b dflt\n"
    "    .word c0, c1, c2, c3\n"
    "c0: mov r0, #10\n"
    "    bx lr\n"
    "c1: mov r0, #11\n"
    "    bx lr\n"
    "c2: mov r0, #12\n"
    "    bx lr\n"
    "c3: mov r0, #13\n"
    "    bx lr\n"
    "dflt: mov r0, #0\n"
    "    bx lr\n"
    "    .type g, %function\n"
    "g:\n"
    "    cmp r1, #2\n"
    "    mov r2, r0\n"            /* the guard a few insns before the table */
    "    bhi g_def\n"
    "g_tbl:\n"
    "    add pc, pc, r1, lsl #2\n"
    "    nop\n"
    "t0: b d0\n"
    "t1: b d1\n"
    "t2: b d2\n"
    "d0: mov r0, #20\n"
    "d1: add r0, r0, #1\n"
    "d2: pop {r4, pc}\n"
    "g_def: mov r0, #0\n"
    "    mov pc, lr\n";

static void test_arm_tables(void **state)
{
    (void)state;
    const char *exe = build("arm_tables", "S", arm_tables_s, "-nostdlib");
    struct xl_image img;
    struct xl_program p;
    load(exe, &img, &p);
    check_invariants(&img, &p);

    uint32_t f = sym(&img, "f"), g = sym(&img, "g");
    const struct xl_dblock *t = block(&p, f, false);
    assert_int_equal(t->kind, XL_END_TABLE);
    assert_true(t->cond);
    assert_int_equal(t->end, sym(&img, "f_tbl") + 4);
    assert_int_equal(t->nsucc, 4);
    const char *cs[] = { "c0", "c1", "c2", "c3" };
    const struct xl_function *ff = func_at(&p, f);
    assert_non_null(ff);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(t->succ[i], sym(&img, cs[i]));
        assert_int_equal(block(&p, sym(&img, cs[i]), false)->kind, XL_END_RETURN);
        assert_true(func_has(&p, ff, sym(&img, cs[i]), false));
    }
    /* The default after the conditional table insn, then the table words are never code. */
    const struct xl_dblock *def = block(&p, sym(&img, "f_def"), false);
    assert_int_equal(def->kind, XL_END_JUMP);
    assert_int_equal(def->succ[0], sym(&img, "dflt"));
    for (uint32_t a = def->end; a < sym(&img, "c0"); a += 2) {
        assert_null(xl_program_block(&p, a, false));
        assert_null(xl_program_block(&p, a, true));
    }

    const struct xl_dblock *gb = block(&p, g, false);
    assert_int_equal(gb->kind, XL_END_COND);
    const struct xl_dblock *a = block(&p, sym(&img, "g_tbl"), false);
    assert_int_equal(a->kind, XL_END_TABLE);
    assert_false(a->cond);
    assert_int_equal(a->nsucc, 3);
    assert_int_equal(a->succ[0], sym(&img, "t0"));
    assert_int_equal(a->succ[1], sym(&img, "t1"));
    assert_int_equal(a->succ[2], sym(&img, "t2"));
    assert_int_equal(block(&p, sym(&img, "t1"), false)->kind, XL_END_JUMP);
    /* d0 falls into d1, a branch target: split there. */
    const struct xl_dblock *d0 = block(&p, sym(&img, "d0"), false);
    assert_int_equal(d0->kind, XL_END_FALL);
    assert_int_equal(d0->end, sym(&img, "d1"));
    assert_int_equal(block(&p, sym(&img, "d2"), false)->kind, XL_END_RETURN);
    assert_int_equal(block(&p, sym(&img, "g_def"), false)->kind, XL_END_RETURN);

    /* _start: two calls, then svc continuing into f (another function: not pulled in). */
    const struct xl_dblock *s = block(&p, sym(&img, "_start"), false);
    assert_int_equal(s->kind, XL_END_CALL);
    assert_int_equal(s->callee, f);
    const struct xl_function *fs = func_at(&p, sym(&img, "_start"));
    assert_non_null(fs);
    assert_false(func_has(&p, fs, f, false));
    const struct xl_dblock *sv = block(&p, s->end + 4, false);
    assert_int_equal(sv->kind, XL_END_EXIT);
    assert_int_equal(sv->nsucc, 1);
    assert_int_equal(sv->succ[0], f);
    assert_int_equal(p.nfuncs, 3);

    /* Stripped: no symbols, no mapping symbols, the same blocks from the entry and calls. */
    struct xl_image img2;
    struct xl_program p2;
    load(stripped(exe), &img2, &p2);
    check_invariants(&img2, &p2);
    assert_int_equal(img2.nsyms, 0);
    assert_int_equal(img2.nmapsyms, 0);
    assert_int_equal(p2.nblocks, p.nblocks);
    assert_int_equal(p2.nfuncs, p.nfuncs);
    for (size_t i = 0; i < p.nblocks; i++) {
        const struct xl_dblock *x = &p.blocks[i], *y = &p2.blocks[i];
        assert_int_equal(x->addr, y->addr);
        assert_int_equal(x->end, y->end);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->nsucc, y->nsucc);
        assert_memory_equal(x->succ, y->succ, x->nsucc * sizeof(uint32_t));
    }
    xl_program_free(&p2);
    xl_image_free(&img2);
    xl_program_free(&p);
    xl_image_free(&img);
}

/* ---- T32 jump tables: tbb, tbh; an unguarded one stays indirect ---- */

static const char thumb_tables_s[] =
    "    .syntax unified\n"
    "    .thumb\n"
    "    .text\n"
    "    .global _start\n"
    "    .thumb_func\n"
    "_start:\n"
    "    bl h\n"
    "    bl k\n"
    "    bl u\n"
    "    movs r7, #1\n"
    "    svc #0\n"
    "    .thumb_func\n"
    "h:\n"
    "    cmp r0, #4\n"
    "    bhi hd\n"                /* guard in the previous block */
    "h_tbb:\n"
    "    tbb [pc, r0]\n"
    "ht: .byte (h0-ht)/2, (h1-ht)/2, (h2-ht)/2, (h3-ht)/2, (h4-ht)/2\n"
    "    .p2align 1\n"
    "h0: movs r0, #1\n"
    "    bx lr\n"
    "h1: movs r0, #2\n"
    "    bx lr\n"
    "h2: movs r0, #3\n"
    "h3: adds r0, #4\n"
    "    bx lr\n"
    "h4: movs r0, #5\n"
    "    bx lr\n"
    "hd: movs r0, #0\n"
    "    bx lr\n"
    "    .thumb_func\n"
    "k:\n"
    "    push {r4, lr}\n"
    "    cmp r1, #2\n"
    "    mov r2, r0\n"
    "    bhi.w kd\n"
    "k_tbh:\n"
    "    tbh [pc, r1, lsl #1]\n"
    "kt: .hword (k0-kt)/2, (k1-kt)/2, (k2-kt)/2\n"
    "k0: movs r0, #1\n"
    "    pop {r4, pc}\n"
    "k1: movs r0, #2\n"
    "    b.w kd\n"
    "k2: movs r0, #3\n"
    "    pop {r4, pc}\n"
    "kd: movs r0, #0\n"
    "    pop {r4, pc}\n"
    "    .thumb_func\n"
    "u:\n"
    "    adds r0, #1\n"
    "    tbb [pc, r0]\n"          /* no guard: bound unknown */
    "    .byte 2, 2\n"
    "    bx lr\n";

static void test_thumb_tables(void **state)
{
    (void)state;
    const char *exe = build("thumb_tables", "S", thumb_tables_s, "-nostdlib");
    struct xl_image img;
    struct xl_program p;
    load(exe, &img, &p);
    check_invariants(&img, &p);

    const struct xl_dblock *hb = block(&p, sym(&img, "h_tbb"), true);
    assert_int_equal(hb->kind, XL_END_TABLE);
    assert_int_equal(hb->nsucc, 5);
    const char *hs[] = { "h0", "h1", "h2", "h3", "h4" };
    const struct xl_function *hf = func_at(&p, sym(&img, "h") | 1);
    assert_non_null(hf);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(hb->succ[i], sym(&img, hs[i]) | 1);
        assert_true(func_has(&p, hf, sym(&img, hs[i]), true));
    }
    assert_int_equal(block(&p, sym(&img, "h2"), true)->kind, XL_END_FALL);
    assert_null(xl_program_block(&p, sym(&img, "ht"), true));

    const struct xl_dblock *kb = block(&p, sym(&img, "k_tbh"), true);
    assert_int_equal(kb->kind, XL_END_TABLE);
    assert_int_equal(kb->nsucc, 3);
    assert_int_equal(kb->succ[0], sym(&img, "k0") | 1);
    assert_int_equal(kb->succ[1], sym(&img, "k1") | 1);
    assert_int_equal(kb->succ[2], sym(&img, "k2") | 1);
    assert_int_equal(block(&p, sym(&img, "k0"), true)->kind, XL_END_RETURN);
    assert_int_equal(block(&p, sym(&img, "k1"), true)->kind, XL_END_JUMP);

    const struct xl_dblock *ub = block(&p, sym(&img, "u"), true);
    assert_int_equal(ub->kind, XL_END_INDIRECT);
    assert_int_equal(ub->nsucc, 0);
    assert_int_equal(p.nfuncs, 4);
    xl_program_free(&p);
    xl_image_free(&img);
}

/* ---- computed jumps (computed.c): ladders, computed gotos, veneers, threaded code ---- */

static const char computed_s[] =
    "    .syntax unified\n"
    "    .text\n"
    "    .global _start\n"
    "    .arm\n"
    "    .type _start, %function\n"
    "_start:\n"
    "    blx ladder\n"
    "    bl copy\n"
    "    blx gotos\n"
    "    blx veneer\n"
    "    bl far\n"
    "    bl threaded\n"
    "    mov r7, #1\n"
    "    svc #0\n"
    /* libgcc's division: adr, add with a scaled index, mov pc (T32: no interworking) */
    "    .thumb\n"
    "    .type ladder, %function\n"
    "    .thumb_func\n"
    "ladder:\n"
    "    and r3, r0, #3\n"
    "    adr r2, l_s0\n"
    "    add.w r3, r2, r3, lsl #2\n"
    "l_jump:\n"
    "    mov pc, r3\n"
    "    .p2align 2\n"
    "l_s0: adds r0, #1\n"
    "    nop\n"
    "l_s1: adds r0, #1\n"
    "    nop\n"
    "l_s2: adds r0, #1\n"
    "    nop\n"
    "l_s3: adds r0, #1\n"
    "    bx lr\n"
    "    .size ladder, .-ladder\n"
    /* glibc's memcpy: a masked, reversed count into add pc, pc (A32: interworking) */
    "    .arm\n"
    "    .type copy, %function\n"
    "copy:\n"
    "    and r3, r2, #12\n"
    "    rsb r3, r3, #12\n"
    "c_jump:\n"
    "    add pc, pc, r3\n"
    "    nop\n"
    "c_s0: ldr r3, [r1], #4\n"
    "c_s1: ldr r3, [r1], #4\n"
    "c_s2: ldr r3, [r1], #4\n"
    "c_s3: bx lr\n"
    "    .size copy, .-copy\n"
    /* computed gotos: a guarded index into a table of label addresses, one kept on the
       stack; bx with bit 0 set */
    "    .thumb\n"
    "    .type gotos, %function\n"
    "    .thumb_func\n"
    "gotos:\n"
    "    sub sp, sp, #8\n"
    "    adr r3, g_tab\n"
    "    str r3, [sp, #4]\n"
    "    cmp r0, #2\n"
    "    bhi g_out\n"
    "    ldr r2, [sp, #4]\n"
    "    ldr r3, [r2, r0, lsl #2]\n"
    "g_jump:\n"
    "    bx r3\n"
    "g_0: movs r0, #10\n"
    "    b g_out\n"
    "g_1: movs r0, #11\n"
    "    b g_out\n"
    "g_2: movs r0, #12\n"
    "g_out:\n"
    "    add sp, sp, #8\n"
    "    bx lr\n"
    "    .p2align 2\n"
    "g_tab: .word g_0 + 1, g_1 + 1, g_2 + 1\n"
    "    .size gotos, .-gotos\n"
    /* interworking veneers: bx pc from T32; ldr pc, [pc, #-4] with the address after it */
    "    .type veneer, %function\n"
    "    .thumb_func\n"
    "    .p2align 2\n"
    "veneer:\n"
    "    bx pc\n"
    "    nop\n"
    "    .arm\n"
    "v_arm:\n"
    "    b af\n"
    "    .size veneer, .-veneer\n"
    "    .type far, %function\n"
    "far:\n"
    "    ldr pc, [pc, #-4]\n"
    "    .word af\n"
    "    .size far, .-far\n"
    "    .type af, %function\n"
    "af:\n"
    "    bx lr\n"
    /* a threaded interpreter: the table's address lives in r4 from the entry line on */
    "    .type threaded, %function\n"
    "threaded:\n"
    "    push {r4, lr}\n"
    "    adr r4, t_tab\n"
    "    ldrb r2, [r0], #1\n"
    "    ldr r2, [r4, r2, lsl #2]\n"
    "    mov pc, r2\n"
    "t_op0:\n"
    "    ldrb r2, [r0], #1\n"
    "    ldr r2, [r4, r2, lsl #2]\n"
    "t_jump:\n"
    "    mov pc, r2\n"
    "t_op1:\n"
    "    pop {r4, pc}\n"
    "t_tab: .word t_op0, t_op1\n"
    "    .size threaded, .-threaded\n"
    /* unbounded: stays a runtime lookup */
    "    .type anywhere, %function\n"
    "anywhere:\n"
    "    ldr r3, [r0]\n"
    "    bx r3\n"
    "    .size anywhere, .-anywhere\n";

static void check_targets(const struct xl_image *img, const struct xl_program *p,
                          const char *jump, bool thumb, const char *fn, const char **targets,
                          unsigned n, bool targets_thumb)
{
    const struct xl_dblock *b = NULL;
    for (size_t i = 0; i < p->nblocks && !b; i++)    /* the block holding the jump insn */
        if (p->blocks[i].thumb == thumb && p->blocks[i].addr <= sym(img, jump) &&
            sym(img, jump) < p->blocks[i].end)
            b = &p->blocks[i];
    assert_non_null(b);
    assert_int_equal(b->kind, XL_END_TABLE);
    assert_int_equal(b->nsucc, n);
    const struct xl_function *f = fn ? func_at(p, sym(img, fn) | thumb) : NULL;
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(b->succ[i], sym(img, targets[i]) | targets_thumb);
        assert_non_null(xl_program_block(p, sym(img, targets[i]), targets_thumb));
        if (f)
            assert_true(func_has(p, f, sym(img, targets[i]), targets_thumb));
    }
}

static void test_computed_jumps(void **state)
{
    (void)state;
    const char *exe = build("computed", "S", computed_s, "-nostdlib");
    struct xl_image img;
    struct xl_program p;
    load(exe, &img, &p);
    check_invariants(&img, &p);

    const char *ladder[] = { "l_s0", "l_s1", "l_s2", "l_s3" };
    check_targets(&img, &p, "l_jump", true, "ladder", ladder, 4, true);
    const char *copy[] = { "c_s0", "c_s1", "c_s2", "c_s3" };
    check_targets(&img, &p, "c_jump", false, "copy", copy, 4, false);
    const char *gotos[] = { "g_0", "g_1", "g_2" };
    check_targets(&img, &p, "g_jump", true, "gotos", gotos, 3, true);
    const char *varm[] = { "v_arm" };
    check_targets(&img, &p, "veneer", true, "veneer", varm, 1, false);
    const char *af[] = { "af" };
    check_targets(&img, &p, "far", false, NULL, af, 1, false);
    /* The table words after g_tab are data: never decoded. */
    assert_null(xl_program_block(&p, sym(&img, "g_tab"), true));
    assert_null(xl_program_block(&p, sym(&img, "g_tab"), false));
    const struct xl_dblock *tj = block(&p, sym(&img, "t_op0"), false);
    assert_int_equal(tj->kind, XL_END_TABLE);   /* bounded by the 256 words after t_tab */
    bool op0 = false, op1 = false;
    for (uint32_t i = 0; i < tj->nsucc; i++) {
        op0 |= tj->succ[i] == sym(&img, "t_op0");
        op1 |= tj->succ[i] == sym(&img, "t_op1");
    }
    assert_true(op0 && op1);
    const struct xl_dblock *any = block(&p, sym(&img, "anywhere"), false);
    assert_int_equal(any->kind, XL_END_INDIRECT);
    assert_int_equal(any->nsucc, 0);
    xl_program_free(&p);
    xl_image_free(&img);
}

/* ---- mapping symbols: a literal pool inside a function; interworking calls ---- */

static const char mixed_s[] =
    "    .syntax unified\n"
    "    .arm\n"
    "    .text\n"
    "    .global _start\n"
    "    .type _start, %function\n"
    "_start:\n"
    "    ldr r0, =0x12345678\n"
    "    b after\n"
    "pool:\n"
    "    .word 0xebfffffe, 0xe12fff1e\n"   /* bl . ; bx lr  if it were decoded */
    "    .ltorg\n"
    "after:\n"
    "    blx tf\n"                          /* ARM → Thumb */
    "    mov r7, #1\n"
    "    svc #0\n"
    "    .thumb\n"
    "    .thumb_func\n"
    "tf:\n"
    "    push {r3, lr}\n"
    "    blx af\n"                          /* Thumb → ARM */
    "tf_ret:\n"
    "    pop {r3, pc}\n"
    "    .arm\n"
    "    .type af, %function\n"
    "af:\n"
    "    add r0, r0, #1\n"
    "    bx lr\n";

static void test_mapping_and_interworking(void **state)
{
    (void)state;
    const char *exe = build("mixed", "S", mixed_s, "-nostdlib");
    struct xl_image img;
    struct xl_program p;
    load(exe, &img, &p);
    check_invariants(&img, &p);

    uint32_t start = sym(&img, "_start"), pool = sym(&img, "pool"), after = sym(&img, "after");
    assert_int_equal(xl_image_mapping_at(&img, pool), 'd');
    const struct xl_dblock *s = block(&p, start, false);
    assert_int_equal(s->kind, XL_END_JUMP);
    assert_int_equal(s->end, pool);
    assert_int_equal(s->succ[0], after);
    for (size_t i = 0; i < p.nblocks; i++)      /* nothing decoded from the pool */
        assert_true(p.blocks[i].end <= pool || p.blocks[i].addr >= after);

    const struct xl_dblock *c = block(&p, after, false);
    assert_int_equal(c->kind, XL_END_CALL);
    assert_int_equal(c->callee, sym(&img, "tf") | 1);
    const struct xl_dblock *t = block(&p, sym(&img, "tf"), true);
    assert_int_equal(t->kind, XL_END_CALL);
    assert_int_equal(t->callee, sym(&img, "af"));
    assert_int_equal(t->succ[0], sym(&img, "tf_ret") | 1);
    assert_int_equal(block(&p, sym(&img, "tf_ret"), true)->kind, XL_END_RETURN);
    assert_int_equal(block(&p, sym(&img, "af"), false)->kind, XL_END_RETURN);

    const struct xl_function *fs = func_at(&p, start), *ft = func_at(&p, sym(&img, "tf") | 1),
                             *fa = func_at(&p, sym(&img, "af"));
    assert_non_null(fs);
    assert_non_null(ft);
    assert_non_null(fa);
    assert_string_equal(ft->name, "tf");
    assert_int_equal(fs->nblocks, 3);           /* _start, after, the svc block */
    assert_int_equal(ft->nblocks, 2);
    assert_int_equal(fa->nblocks, 1);
    xl_program_free(&p);
    xl_image_free(&img);
}

/* ---- gcc -O2 switches (tests/guest/c/switch.c shape): add pc table, tbh ---- */

static const char switch_c[] =
    "#include <stdio.h>\n"
    "__attribute__((noinline)) int big(int x, int y)\n"
    "{\n"
    "    switch (x) {\n"
    "#define C(n) case n: y = y * (n + 3) + n; y ^= y >> 3; y += x * 7; break;\n"
    "    C(0) C(1) C(2) C(3) C(4) C(5) C(6) C(7) C(8) C(9) C(10) C(11) C(12) C(13) C(14)\n"
    "    C(15) C(16) C(17) C(18) C(19) C(20) C(21) C(22) C(23) C(24) C(25) C(26) C(27)\n"
    "    C(28) C(29) C(30) C(31) C(32) C(33) C(34) C(35) C(36) C(37) C(38) C(39)\n"
    "    default: y = -y;\n"
    "    }\n"
    "    return y;\n"
    "}\n"
    "int main(int argc, char **argv) { (void)argv; printf(\"%d\\n\", big(argc, 3)); return 0; }\n";

static void check_switch(const char *mode)
{
    char flags[64], name[32];
    snprintf(flags, sizeof flags, "-O2 %s", mode);
    snprintf(name, sizeof name, "switch%s", mode);
    const char *exe = build(name, "c", switch_c, flags);
    struct xl_image img;
    struct xl_program p;
    load(exe, &img, &p);
    check_invariants(&img, &p);
    uint32_t big = sym(&img, "big");
    const struct xl_symbol *bs = xl_image_symbol_at(&img, big);
    assert_non_null(bs);
    const struct xl_function *f = func_at(&p, big | bs->thumb);
    assert_non_null(f);
    assert_string_equal(f->name, "big");
    /* Cases 0..39: one table of 40 targets inside big, every one a block of big. */
    int tables = 0;
    for (uint32_t i = 0; i < f->nblocks; i++) {
        const struct xl_dblock *b = &p.blocks[f->blocks[i]];
        assert_int_not_equal(b->kind, XL_END_INDIRECT);
        if (b->kind != XL_END_TABLE)
            continue;
        tables++;
        assert_int_equal(b->nsucc, 40);
        for (uint32_t s = 0; s < b->nsucc; s++) {
            uint32_t v = b->succ[s];
            assert_true((v & ~1u) >= big && (v & ~1u) < big + bs->size);
            assert_true(func_has(&p, f, v & ~1u, v & 1));
        }
        if (!bs->thumb)                         /* add pc table: consecutive branches */
            for (uint32_t s = 0; s < b->nsucc; s++)
                assert_int_equal(b->succ[s], b->end + 4 + 4 * s);
    }
    assert_int_equal(tables, 1);
    xl_program_free(&p);
    xl_image_free(&img);
}

static void test_gcc_switch_arm(void **state)
{
    (void)state;
    check_switch("-marm");
}

static void test_gcc_switch_thumb(void **state)
{
    (void)state;
    check_switch("-mthumb");
}

/* ---- library routines recognized by their bytes ---- */

/* The routines image/routines.def knows, under each of their symbol names. */
static const char *const routine_syms[][2] = {
    { "strlen", "strlen" }, { "strnlen", "strnlen" }, { "__strnlen", "strnlen" },
    { "strchr", "strchr" }, { "index", "strchr" }, { "__memchr_neon", "__memchr_neon" },
    { "__memchr_noneon", "__memchr_noneon" }, { "memset", "memset" },
    { "__memcpy_neon", "__memcpy_neon" }, { "__memcpy_vfp", "__memcpy_vfp" },
};

/* Each routine of the cross toolchain's libc is recognized at its symbol (else the test
   prints the routines.def line that would recognize it), nothing is at main, one changed
   byte is enough to miss, and the stripped copy names its functions after them. */
static void test_routines_by_bytes(void **state)
{
    (void)state;
    const char *exe = build("routines", "c",
        "#include <string.h>\n"
        "char buf[64] = \"routines\";\n"
        "int main(int argc, char **argv)\n"
        "{\n"
        "    (void)argv;\n"
        "    memset(buf + 20, argc, 8);\n"
        "    memcpy(buf + 32, buf, 9);\n"
        "    return (int)strlen(buf) + (int)strnlen(buf, 4) + (strchr(buf, 't') != 0) +\n"
        "           (memchr(buf, 'e', 9) != 0);\n"
        "}\n", "-O0 -fno-builtin");
    struct xl_image img;
    struct xl_program p;
    load(exe, &img, &p);
    uint32_t at[sizeof(routine_syms) / sizeof(routine_syms[0])] = { 0 };
    bool thumb[sizeof(routine_syms) / sizeof(routine_syms[0])] = { 0 };
    unsigned found = 0, missed = 0;
    for (size_t i = 0; i < img.nsyms; i++) {
        const struct xl_symbol *s = &img.syms[i];
        for (size_t r = 0; r < sizeof(routine_syms) / sizeof(routine_syms[0]); r++) {
            if (!s->func || s->ifunc || !s->size || strcmp(s->name, routine_syms[r][0]) != 0)
                continue;
            uint32_t avail;
            const uint8_t *code = xl_image_ptr(&img, s->addr, &avail);
            assert_non_null(code);
            const char *got = xl_routine_at(&img, s->addr, s->thumb);
            if (!got || strcmp(got, routine_syms[r][1]) != 0) {
                print_message("%s not recognized; routines.def needs: "
                              "{ \"%s\", %s, %u, 0x%016llxull },\n", s->name,
                              routine_syms[r][1], s->thumb ? "true" : "false", s->size,
                              (unsigned long long)xl_routine_hash(code, s->size));
                missed++;
                continue;
            }
            at[r] = s->addr;
            thumb[r] = s->thumb;
            found++;
        }
    }
    assert_int_equal(missed, 0);
    assert_true(found >= 4);        /* strlen, strnlen, strchr, memset at least */
    assert_null(xl_routine_at(&img, sym(&img, "main"), true));
    for (size_t r = 0; r < sizeof(at) / sizeof(at[0]); r++) {
        if (!at[r])
            continue;
        uint32_t avail;
        uint8_t *code = (uint8_t *)xl_image_ptr(&img, at[r], &avail);
        code[8] ^= 0x40;
        assert_null(xl_routine_at(&img, at[r], thumb[r]));
        code[8] ^= 0x40;
    }
    xl_program_free(&p);
    xl_image_free(&img);

    load(stripped(exe), &img, &p);
    for (size_t r = 0; r < sizeof(at) / sizeof(at[0]); r++) {
        if (!at[r])
            continue;
        const struct xl_function *f = func_at(&p, at[r] | thumb[r]);
        if (!f)
            continue;               /* nothing calls it (an IFUNC's other choice) */
        if (!f->name || strcmp(f->name, routine_syms[r][1]) != 0)
            fail_msg("stripped: the function at %#x is %s, not %s", at[r],
                     f->name ? f->name : "unnamed", routine_syms[r][1]);
    }
    const struct xl_function *f = func_at(&p, at[0] | thumb[0]);
    assert_non_null(f);             /* main calls strlen */
    xl_program_free(&p);
    xl_image_free(&img);
}

/* ---- a computed goto's labels ---- */

static const char threaded_c[] =
    "static int run(const unsigned char *code, int acc)\n"
    "{\n"
    "    static void *const disp[] = { &&inc, &&dbl, &&neg, &&halt };\n"
    "    goto *disp[*code];\n"
    "inc: acc++; code++; goto *disp[*code];\n"
    "dbl: acc *= 2; code++; goto *disp[*code];\n"
    "neg: acc = -acc; code++; goto *disp[*code];\n"
    "halt: return acc;\n"
    "}\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "    static const unsigned char prog[] = { 0, 1, 2, 0, 3 };\n"
    "    (void)argv;\n"
    "    return run(prog, argc) & 0x7f;\n"
    "}\n";

/* The labels' addresses are in data (the dispatch table), so each label is a function entry
   of its own, yet every handler's dispatch must reach all of them inside `run`: an
   interpreter that tail-calls from handler to handler pays a function entry per bytecode.
   (In Thumb, gcc's table holds the labels without bit 0 and sets it before the jump:
   nothing in data looks like Thumb code there, so the labels are no entries.) */
static void check_threaded(const char *flags, bool labels_in_data)
{
    const char *exe = build("threaded", "c", threaded_c, flags);
    struct xl_image img;
    struct xl_program p;
    load(exe, &img, &p);
    check_invariants(&img, &p);
    uint32_t run_at = sym(&img, "run");
    const struct xl_function *run = NULL;
    for (size_t i = 0; i < p.nfuncs; i++)
        if ((p.funcs[i].entry & ~1u) == run_at)
            run = &p.funcs[i];
    assert_non_null(run);
    unsigned tables = 0, label_entries = 0;
    for (uint32_t i = 0; i < run->nblocks; i++) {
        const struct xl_dblock *b = &p.blocks[run->blocks[i]];
        if (b->kind != XL_END_TABLE)
            continue;
        tables++;
        for (uint32_t s = 0; s < b->nsucc; s++) {
            bool inside = false;
            for (uint32_t j = 0; j < run->nblocks && !inside; j++) {
                const struct xl_dblock *t = &p.blocks[run->blocks[j]];
                inside = t->addr == (b->succ[s] & ~1u) && t->thumb == (b->succ[s] & 1);
            }
            if (!inside)
                fail_msg("%s: target %#x of the jump at %#x is not in run", flags,
                         b->succ[s], b->addr);
            label_entries += func_at(&p, b->succ[s]) != NULL;
        }
    }
    assert_true(tables >= 1);
    if (labels_in_data)         /* each label is an entry too (data points at it) */
        assert_true(label_entries >= 3);
    xl_program_free(&p);
    xl_image_free(&img);
}

static void test_computed_goto_arm(void **state)
{
    (void)state;
    check_threaded("-O2 -marm", true);
}

static void test_computed_goto_thumb(void **state)
{
    (void)state;
    check_threaded("-O2 -mthumb", false);
}

/* ---- static glibc hello ---- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void test_glibc_hello(void **state)
{
    (void)state;
    const char *exe = build("hello", "c",
                            "#include <stdio.h>\n"
                            "int main(void) { puts(\"hello\"); return 0; }\n", "-O2");
    struct xl_image img;
    char err[256];
    if (xl_image_load(exe, &img, err, sizeof err) != 0)
        fail_msg("%s: %s", exe, err);
    struct xl_program p;
    double t0 = now();
    assert_int_equal(xl_discover(&img, &p, err, sizeof err), 0);
    double dt = now() - t0;
    size_t bytes = 0;
    for (size_t i = 0; i < p.nblocks; i++)
        bytes += p.blocks[i].end - p.blocks[i].addr;
    print_message("static hello: %zu functions, %zu blocks, %zu code bytes in %.1f ms\n",
                  p.nfuncs, p.nblocks, bytes, dt * 1e3);
    assert_true(dt < 1.0);
    check_invariants(&img, &p);

    /* Every function symbol in code is a function, in its mapping symbol's state. */
    for (size_t i = 0; i < img.nsyms; i++) {
        const struct xl_symbol *s = &img.syms[i];
        char m = xl_image_mapping_at(&img, s->addr);
        if (!s->func || m == 'd')
            continue;
        uint32_t avail;
        if (!xl_image_ptr(&img, s->addr, &avail))
            continue;
        bool thumb = m == 't' || (m != 'a' && s->thumb);
        if (!func_at(&p, s->addr | thumb))
            fail_msg("function %s at 0x%x not found", s->name, s->addr);
    }
    const struct xl_function *m = func_at(&p, sym(&img, "main") | 1);
    assert_non_null(m);
    assert_string_equal(m->name, "main");
    assert_non_null(func_at(&p, img.entry));

    /* Blocks of one state never overlap in a well-formed program. */
    uint32_t last_end[2] = { 0, 0 };
    for (size_t i = 0; i < p.nblocks; i++) {
        const struct xl_dblock *b = &p.blocks[i];
        assert_true(b->addr >= last_end[b->thumb]);
        last_end[b->thumb] = b->end;
    }

    /* Stripped: only the entry and what calls reach, but it must still work. */
    struct xl_image img2;
    struct xl_program p2;
    load(stripped(exe), &img2, &p2);
    check_invariants(&img2, &p2);
    assert_non_null(func_at(&p2, img2.entry));
    assert_true(p2.nfuncs > 100);
    size_t known = 0;
    for (size_t i = 0; i < p2.nfuncs; i++)
        if (func_at(&p, p2.funcs[i].entry))
            known++;
    print_message("stripped hello: %zu functions, %zu of them symbols\n", p2.nfuncs, known);
    assert_true(known * 10 >= p2.nfuncs * 9);
    /* Code only data points at, in a static program without relocations: main (_start
       loads it from .got), the constructor and destructor of crtbegin (.init_array,
       .fini_array), a FILE jump table's function (__libc_IO_vtables), glibc's IFUNC
       resolvers (R_ARM_IRELATIVE) and the ARM routines memcpy's resolver returns (its
       pc-relative addresses). */
    assert_non_null(func_at(&p2, sym(&img, "main") | 1));
    static const char *const by_data[] = { "frame_dummy", "__do_global_dtors_aux",
                                           "_IO_new_file_xsputn", "__memcpy_vfp",
                                           "__memcpy_neon" };
    for (size_t k = 0; k < sizeof by_data / sizeof *by_data; k++) {
        const struct xl_function *f = NULL;      /* by address: aliases share one */
        for (size_t i = 0; i < p.nfuncs && !f; i++)
            if ((p.funcs[i].entry & ~1u) == sym(&img, by_data[k]))
                f = &p.funcs[i];
        assert_non_null(f);
        if (!func_at(&p2, f->entry))
            fail_msg("stripped: %s at 0x%x not found", by_data[k], f->entry);
    }
    size_t resolvers = 0;
    for (size_t i = 0; i < img.nsyms; i++)
        if (img.syms[i].ifunc && func_at(&p2, img.syms[i].addr | img.syms[i].thumb))
            resolvers++;
    print_message("stripped hello: %zu IFUNC resolvers found\n", resolvers);
    assert_true(resolvers > 0);
    xl_program_free(&p2);
    xl_image_free(&img2);
    xl_program_free(&p);
    xl_image_free(&img);
}

/* Position-independent Thumb code takes a string's address as `ldr rN, [pc, #k]; add rN,
   pc`, like a callback's; a string at an odd address then has "the Thumb bit" set. Only
   targets inside executable sections are code: Debian's stripped busybox had 1,793
   functions in its .rodata before, from this rule and from tables read too far. */
static void test_odd_data_address(void **state)
{
    (void)state;
    const char *exe = build("oddstr", "c",
                            "const char *odd(int i) { return \"hello, world\" + 1 + 2 * i; }\n"
                            "int main(int c, char **v) { (void)v; return odd(c)[0]; }\n",
                            "-O2 -mthumb -fPIE");
    struct xl_image img, img2;
    struct xl_program p, p2;
    load(exe, &img, &p);
    check_invariants(&img, &p);
    assert_non_null(func_at(&p, sym(&img, "odd") | 1));
    /* stripped: no `$d` mapping symbol marks the data any more */
    load(stripped(exe), &img2, &p2);
    check_invariants(&img2, &p2);
    xl_program_free(&p2);
    xl_image_free(&img2);
    xl_program_free(&p);
    xl_image_free(&img);
}

/* ---- C++ landing pads (ehabi.c) ---- */

static void put32(uint8_t *b, uint32_t base, uint32_t a, uint32_t v)
{
    memcpy(b + (a - base), &v, 4);
}

/* A prel31 field at a pointing to to. */
static void put_prel31(uint8_t *b, uint32_t base, uint32_t a, uint32_t to, uint32_t top)
{
    put32(b, base, a, ((to - a) & 0x7fffffffu) | top);
}

enum { EH_BASE = 0x10000, EH_SIZE = 0x400, EH_EXIDX = 0x10300, EH_NEXIDX = 9 };

/* Nine functions 0x40 bytes apart at EH_BASE, two personality routines, an exidx table at
   EH_EXIDX and extab entries after it, with every kind of entry. */
static void ehabi_table(uint8_t *b)
{
    memset(b, 0, EH_SIZE);
    uint32_t fn[EH_NEXIDX], x = EH_EXIDX;
    for (int i = 0; i < EH_NEXIDX; i++) {
        fn[i] = EH_BASE + (uint32_t)i * 0x40;
        put_prel31(b, EH_BASE, x + (uint32_t)i * 8, fn[i], 0);
    }
    uint32_t gxx = 0x10280, other = 0x10290, ex = EH_EXIDX + EH_NEXIDX * 8;
    /* 0: generic, one extra opcode word, uleb128 call sites: pads +0x10, none, +0x20 */
    static const uint8_t lsda0[] = { 0xff, 0xff, 0x01, 12,  0x00, 0x04, 0x10, 0x00,
                                     0x04, 0x04, 0x00, 0x00,  0x08, 0x04, 0x20, 0x01 };
    put_prel31(b, EH_BASE, EH_EXIDX + 4, ex, 0);
    put_prel31(b, EH_BASE, ex, gxx, 0);
    put32(b, EH_BASE, ex + 4, 0x01b0b0b0);
    memcpy(b + (ex + 12 - EH_BASE), lsda0, sizeof lsda0);
    ex += 12 + sizeof lsda0;
    put32(b, EH_BASE, EH_EXIDX + 8 + 4, 1);              /* 1: EXIDX_CANTUNWIND */
    put32(b, EH_BASE, EH_EXIDX + 16 + 4, 0x80b0b0b0);    /* 2: inline compact entry */
    put_prel31(b, EH_BASE, EH_EXIDX + 24 + 4, ex, 0);    /* 3: compact model in extab */
    put32(b, EH_BASE, ex, 0x8100b0b0);
    put32(b, EH_BASE, ex + 4, 0xb0b0b0b0);
    ex += 8;
    /* 4: TType present, udata4 call sites: pad +8, and +0x50, past the next function */
    static const uint8_t lsda4[] = { 0xff, 0x10, 0x01, 0x03, 26,
                                     0, 0, 0, 0,  4, 0, 0, 0,  8, 0, 0, 0,  0,
                                     4, 0, 0, 0,  4, 0, 0, 0,  0x50, 0, 0, 0,  0 };
    put_prel31(b, EH_BASE, EH_EXIDX + 32 + 4, ex, 0);
    put_prel31(b, EH_BASE, ex, gxx, 0);
    put32(b, EH_BASE, ex + 4, 0x00b0b0b0);
    memcpy(b + (ex + 8 - EH_BASE), lsda4, sizeof lsda4);
    ex += (8 + sizeof lsda4 + 3) & ~3u;
    /* 5: another personality routine's format: not read */
    put_prel31(b, EH_BASE, EH_EXIDX + 40 + 4, ex, 0);
    put_prel31(b, EH_BASE, ex, other, 0);
    put32(b, EH_BASE, ex + 4, 0x00b0b0b0);
    memcpy(b + (ex + 8 - EH_BASE), lsda0, sizeof lsda0);
    ex += 8 + sizeof lsda0;
    /* 6: explicit LPStart (absptr, function 0) and a pad outside function 6 */
    static const uint8_t lsda6[] = { 0x00, 0x00, 0x00, 0x01, 0x00, 0xff, 0x01, 4,
                                     0x00, 0x04, 0x1c, 0x00, 0 };
    put_prel31(b, EH_BASE, EH_EXIDX + 48 + 4, ex, 0);
    put_prel31(b, EH_BASE, ex, gxx, 0);
    put32(b, EH_BASE, ex + 4, 0x00b0b0b0);
    memcpy(b + (ex + 8 - EH_BASE), lsda6, sizeof lsda6);
    ex += (8 + sizeof lsda6 + 3) & ~3u;
    /* 7: a call-site table longer than the segment, 8: a pc-relative call-site encoding */
    static const uint8_t lsda7[] = { 0xff, 0xff, 0x01, 0xff, 0x7f };
    static const uint8_t lsda8[] = { 0xff, 0xff, 0x1b, 16, 0, 0, 0, 0,  4, 0, 0, 0,
                                     8, 0, 0, 0, 0 };
    put_prel31(b, EH_BASE, EH_EXIDX + 56 + 4, ex, 0);
    put_prel31(b, EH_BASE, ex, gxx, 0);
    put32(b, EH_BASE, ex + 4, 0x00b0b0b0);
    memcpy(b + (ex + 8 - EH_BASE), lsda7, sizeof lsda7);
    ex += (8 + sizeof lsda7 + 3) & ~3u;
    put_prel31(b, EH_BASE, EH_EXIDX + 64 + 4, ex, 0);
    put_prel31(b, EH_BASE, ex, gxx, 0);
    put32(b, EH_BASE, ex + 4, 0x00b0b0b0);
    memcpy(b + (ex + 8 - EH_BASE), lsda8, sizeof lsda8);
    ex += 8 + sizeof lsda8;
    assert_true(ex <= EH_BASE + EH_SIZE);
}

static void test_ehabi_table(void **state)
{
    (void)state;
    uint8_t *b = malloc(EH_SIZE);
    assert_non_null(b);
    ehabi_table(b);
    struct xl_segment seg = { .vaddr = EH_BASE, .memsz = EH_SIZE, .filesz = EH_SIZE,
                              .flags = 5, .data = b };
    struct xl_symbol syms[] = {
        { .addr = 0x10280, .size = 16, .func = true, .name = "__gxx_personality_v0" },
        { .addr = 0x10290, .size = 16, .func = true, .name = "__other_handler" },
    };
    struct xl_image img = { .segs = &seg, .nsegs = 1, .syms = syms, .nsyms = 2,
                            .max_sym_size = 16 };
    struct xl_landing_pad *lp;
    size_t n;
    assert_int_equal(xl_ehabi_scan(&img, EH_EXIDX, EH_NEXIDX * 8, &lp, &n), 0);
    static const struct xl_landing_pad want[] = {
        { 0x10000, 0x10010 }, { 0x10180, 0x1001c }, { 0x10000, 0x10020 }, { 0x10100, 0x10108 },
    };
    for (size_t i = 0; i < n; i++)
        print_message("pad 0x%x of 0x%x\n", lp[i].pad, lp[i].func);
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(lp[i].func, want[i].func);
        assert_int_equal(lp[i].pad, want[i].pad);
    }
    free(lp);
    /* No table there, or an empty one. */
    assert_int_equal(xl_ehabi_scan(&img, 0x90000, 64, &lp, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(xl_ehabi_scan(&img, EH_EXIDX, 0, &lp, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(xl_ehabi_landing_pads(&img, &lp, &n), 0);   /* no file: no table */
    assert_int_equal(n, 0);

    /* Truncated at every byte (a copy of exactly filesz bytes, so ASan sees an overread),
       then corrupted at random: never a crash, every pad inside the image's range. */
    uint8_t *t = malloc(EH_SIZE);
    assert_non_null(t);
    for (uint32_t len = 0; len <= EH_SIZE; len++) {
        uint8_t *c = malloc(len + 1);
        assert_non_null(c);
        memcpy(c, b, len);
        struct xl_segment s2 = { .vaddr = EH_BASE, .memsz = EH_SIZE, .filesz = len,
                                 .flags = 5, .data = c };
        struct xl_image i2 = img;
        i2.segs = &s2;
        assert_int_equal(xl_ehabi_scan(&i2, EH_EXIDX, EH_NEXIDX * 8, &lp, &n), 0);
        free(lp);
        free(c);
    }
    uint32_t x = 777;
    for (int round = 0; round < 4000; round++) {
        memcpy(t, b, EH_SIZE);
        for (int k = 0; k < 1 + round % 16; k++) {
            x = x * 1103515245u + 12345u;
            uint32_t at = 0x300 + (x >> 8) % (EH_SIZE - 0x300);
            t[at] = (uint8_t)(x >> 20);
        }
        struct xl_segment s2 = { .vaddr = EH_BASE, .memsz = EH_SIZE, .filesz = EH_SIZE,
                                 .flags = 5, .data = t };
        struct xl_image i2 = img;
        i2.segs = &s2;
        assert_int_equal(xl_ehabi_scan(&i2, EH_EXIDX, EH_NEXIDX * 8 + (round & 8), &lp, &n), 0);
        for (size_t i = 1; i < n; i++)
            assert_true(lp[i - 1].pad <= lp[i].pad);
        free(lp);
    }
    free(t);
    free(b);
}

static const char cxx_src[] =
    "#include <cstdio>\n"
    "#include <stdexcept>\n"
    "struct guard { ~guard(); };\n"
    "guard::~guard() { std::puts(\"cleanup\"); }\n"
    "__attribute__((noinline)) int may_throw(int x)\n"
    "{ if (x > 3) throw std::runtime_error(\"big\"); return x; }\n"
    "extern \"C\" __attribute__((noinline)) int catcher(int x)\n"
    "{\n"
    "    guard g;\n"
    "    try { return may_throw(x); }\n"
    "    catch (const std::exception &e) { std::puts(e.what()); return -1; }\n"
    "}\n"
    "int main(int argc, char **) { return catcher(argc + 4) < 0 ? 0 : 1; }\n";

/* The landing pads inside function symbol fname, each checked to be a function entry of
   p in the given state. Returns how many. */
static size_t check_pads(const struct xl_image *img, const struct xl_program *p,
                         const struct xl_landing_pad *lp, size_t n, uint32_t lo, uint32_t hi,
                         bool thumb)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = lp[i].pad & ~1u;
        if (a < lo || a >= hi)
            continue;
        if (!func_at(p, a | thumb))
            fail_msg("landing pad 0x%x is no function entry", a);
        k++;
    }
    (void)img;
    return k;
}

static void check_cxx(const char *mode, bool thumb)
{
    char flags[64];
    snprintf(flags, sizeof flags, "-O2 %s", mode);
    const char *exe = build(thumb ? "eh_thumb" : "eh_arm", "cc", cxx_src, flags);
    struct xl_image img;
    struct xl_program p;
    load(exe, &img, &p);
    check_invariants(&img, &p);
    struct xl_landing_pad *lp;
    size_t n;
    assert_int_equal(xl_ehabi_landing_pads(&img, &lp, &n), 0);
    uint32_t c = sym(&img, "catcher");
    const struct xl_symbol *cs = xl_image_symbol_at(&img, c);
    assert_non_null(cs);
    /* catcher: the catch and the guard's cleanup on the way out of it */
    size_t k = check_pads(&img, &p, lp, n, c, c + cs->size, thumb);
    print_message("%s: %zu landing pads, %zu in catcher\n", mode, n, k);
    assert_true(k >= 1);
    assert_true(n > 20);            /* libstdc++'s own */
    /* All of them, in their mapping symbol's state. */
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        char m = xl_image_mapping_at(&img, lp[i].pad);
        if (func_at(&p, (lp[i].pad & ~1u) | (m == 't')))
            found++;
    }
    assert_int_equal(found, n);

    /* Stripped: no symbols, no mapping symbols; the state comes from the traversal, and a
       pad of a function it did not reach (catcher: main is called through a pointer) is
       left out rather than guessed. Never a pad in the wrong state. */
    struct xl_image img2;
    struct xl_program p2;
    load(stripped(exe), &img2, &p2);
    check_invariants(&img2, &p2);
    struct xl_landing_pad *lp2;
    size_t n2;
    assert_int_equal(xl_ehabi_landing_pads(&img2, &lp2, &n2), 0);
    assert_int_equal(n2, n);
    size_t right = 0;
    for (size_t i = 0; i < n2; i++) {
        uint32_t a = lp2[i].pad & ~1u;
        char m = xl_image_mapping_at(&img, a);
        assert_null(func_at(&p2, a | (m != 't')));
        right += func_at(&p2, a | (m == 't')) != NULL;
    }
    print_message("stripped: %zu of %zu landing pads\n", right, n2);
    assert_true(right > 0);
    free(lp2);
    xl_program_free(&p2);
    xl_image_free(&img2);
    free(lp);
    xl_program_free(&p);
    xl_image_free(&img);
}

static void test_cxx_thumb(void **state)
{
    (void)state;
    check_cxx("-mthumb", true);
}

static void test_cxx_arm(void **state)
{
    (void)state;
    check_cxx("-marm", false);
}

/* ---- garbage: random bytes in both states, with and without mapping symbols ---- */

static void test_random_bytes(void **state)
{
    (void)state;
    enum { SIZE = 1 << 18 };
    uint8_t *code = malloc(SIZE);
    assert_non_null(code);
    uint32_t x = 12345;
    for (int round = 0; round < 6; round++) {
        for (size_t i = 0; i < SIZE; i++) {
            x = x * 1103515245u + 12345u;
            code[i] = (uint8_t)(x >> 16);
        }
        if (round & 1)          /* many branch-like words */
            for (size_t i = 0; i < SIZE; i += 16)
                code[i + 3] = 0xea, code[i + 6] = 0xf0 | (code[i + 6] & 7);
        struct xl_segment seg = { .vaddr = 0x10000, .memsz = SIZE, .filesz = SIZE,
                                  .flags = 5, .data = code };
        struct xl_symbol syms[64];
        struct xl_mapsym maps[3] = { { 0x10000, 't' }, { 0x20000, 'd' }, { 0x20100, 'a' } };
        for (int i = 0; i < 64; i++)
            syms[i] = (struct xl_symbol){ .addr = 0x10000 + (uint32_t)i * 4096, .func = true,
                                          .thumb = i & 1, .name = "f" };
        struct xl_image img = { .entry = 0x10000 | (round & 1), .segs = &seg, .nsegs = 1,
                                .syms = syms, .nsyms = round >= 2 ? 64 : 0,
                                .mapsyms = maps, .nmapsyms = round >= 4 ? 3 : 0 };
        struct xl_program p;
        char err[128];
        assert_int_equal(xl_discover(&img, &p, err, sizeof err), 0);
        check_invariants(&img, &p);
        xl_program_free(&p);
    }
    /* No executable segment: a refusal, not a crash. */
    struct xl_segment seg = { .vaddr = 0x10000, .memsz = 16, .filesz = 16, .flags = 4,
                              .data = code };
    struct xl_image img = { .entry = 0x10000, .segs = &seg, .nsegs = 1 };
    struct xl_program p;
    char err[128];
    assert_int_equal(xl_discover(&img, &p, err, sizeof err), -1);
    assert_string_equal(err, "no executable segment");
    free(code);
}

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/xl_discover_test.XXXXXX", t && *t ? t : "/tmp");
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
        cmocka_unit_test(test_arm_tables),
        cmocka_unit_test(test_thumb_tables),
        cmocka_unit_test(test_computed_jumps),
        cmocka_unit_test(test_mapping_and_interworking),
        cmocka_unit_test(test_gcc_switch_arm),
        cmocka_unit_test(test_gcc_switch_thumb),
        cmocka_unit_test(test_routines_by_bytes),
        cmocka_unit_test(test_computed_goto_arm),
        cmocka_unit_test(test_computed_goto_thumb),
        cmocka_unit_test(test_glibc_hello),
        cmocka_unit_test(test_odd_data_address),
        cmocka_unit_test(test_ehabi_table),
        cmocka_unit_test(test_cxx_thumb),
        cmocka_unit_test(test_cxx_arm),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
