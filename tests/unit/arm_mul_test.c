/*
 * Unit tests for lifter/arm/mul.c and lifter/arm/bits.c: multiplies, divides, bitfields,
 * extension, saturation, the parallel add/sub family, SEL, PKH and MRS/MSR.
 *
 * Each case is one or two hand-encoded instructions (A32 and T32 encodings from
 * arm-linux-gnueabihf-as, the assembly next to them), translated with arm_translate_block,
 * verified with ir_verify, and run on a struct cpu by the reference interpreter
 * (ir_interp_block).
 * Expected values are worked out by hand from the ARM ARM pseudocode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lifter/arm/arm_internal.h"

/* The other instruction classes may still be placeholders or absent while they are
   written; weak empty tables keep this test linkable either way. */
__attribute__((weak)) const struct arm_handler_entry arm_dp_handlers[] = { { 0, NULL } };
__attribute__((weak)) const struct arm_handler_entry arm_branch_handlers[] = { { 0, NULL } };
/* IT itself emits nothing: the decoder gives the insns inside it their conditions. */
static enum arm_result trans_IT(struct arm_ctx *c)
{
    (void)c;
    return ARM_NEXT;
}
__attribute__((weak)) const struct arm_handler_entry arm_misc_handlers[] = {
    { ARM_INS_IT, trans_IT }, { 0, NULL }
};
__attribute__((weak)) const struct arm_handler_entry arm_mem_handlers[] = { { 0, NULL } };
__attribute__((weak)) const struct arm_handler_entry arm_vfp_handlers[] = { { 0, NULL } };

#define BASE 0x10000u

/* ---- Guest code in a local buffer ---- */

struct code_buf {
    uint8_t bytes[64];
    uint32_t len;
};

static const uint8_t *fetch(void *ctx, uint32_t addr, uint32_t *avail)
{
    struct code_buf *cb = ctx;
    if (addr < BASE || addr >= BASE + cb->len)
        return NULL;
    *avail = BASE + cb->len - addr;
    return cb->bytes + (addr - BASE);
}

static void put16(struct code_buf *cb, uint32_t hw)
{
    cb->bytes[cb->len++] = (uint8_t)hw;
    cb->bytes[cb->len++] = (uint8_t)(hw >> 8);
}

/* A32: words. T32: a value <= 0xffff is a 16-bit insn, else hw1 << 16 | hw2. 0 ends. */
static void encode(struct code_buf *cb, bool thumb, const uint32_t *code)
{
    cb->len = 0;
    for (; *code; code++) {
        if (!thumb || *code > 0xffff) {
            put16(cb, thumb ? *code >> 16 : *code & 0xffff);
            put16(cb, thumb ? *code & 0xffff : *code >> 16);
        } else {
            put16(cb, *code);
        }
    }
}

/* ---- Running a block: the reference interpreter, and how its block ended ---- */

struct exit_info {
    enum ir_opc how;        /* goto_tb, goto_ptr or exit_tb */
    uint64_t arg;           /* goto_tb target | thumb, or the exit reason */
};

static struct exit_info eval_block(const struct ir_block *b, struct cpu *cpu)
{
    for (uint32_t i = 0; i < b->n_ops; i++)
        if (ir_op_info[b->ops[i].opc].flags & IR_F_MEM)
            fail_msg("guest memory op in a test that has no guest memory");
    uint32_t key;
    enum ir_exit x = ir_interp_block(b, cpu, &key);
    if (x != IR_EXIT_LOOKUP)
        return (struct exit_info){ IR_exit_tb, x };
    if (key != IR_KEY_NONE)
        return (struct exit_info){ IR_goto_tb, key };
    return (struct exit_info){ IR_goto_ptr, 0 };
}

/* ---- Flags as an APSR word (N Z C V Q, GE in 19:16) ---- */

static void set_apsr(struct cpu *cpu, uint32_t apsr)
{
    cpu->NF = apsr & 0x80000000u;
    cpu->ZF = (apsr >> 30 & 1) ? 0 : 1;
    cpu->CF = apsr >> 29 & 1;
    cpu->VF = (apsr >> 28 & 1) << 31;
    cpu->QF = apsr >> 27 & 1;
    cpu->GE = apsr >> 16 & 0xf;
}

static uint32_t get_apsr(const struct cpu *cpu)
{
    /* The cheap forms must stay canonical where it matters: CF and QF are 0/1, GE 4 bits. */
    assert_true(cpu->CF <= 1);
    assert_true(cpu->QF <= 1);
    assert_true(cpu->GE <= 0xf);
    return (cpu->NF & 0x80000000u) | (uint32_t)(cpu->ZF == 0) << 30 | cpu->CF << 29 |
           (cpu->VF >> 31) << 28 | cpu->QF << 27 | cpu->GE << 16;
}

/* ---- Running a snippet ---- */

static struct arm_frontend *fe;

static int setup(void **state)
{
    (void)state;
    fe = arm_frontend_new();
    return fe ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arm_frontend_free(fe);
    return 0;
}

/* Translates code at BASE into b (optimized or not) and checks that it verifies. */
static void translate(struct code_buf *cb, bool thumb, bool optimize, struct ir_block *b)
{
    struct arm_code src = { fetch, cb };
    arm_translate_block(fe, &src, BASE, thumb, 0, b);
    if (optimize)
        ir_optimize(b);
    uint32_t where = 0;
    const char *err = ir_verify(b, &where);
    if (err) {
        ir_print_block(stderr, b);
        fail_msg("ir_verify%s: %s at op %u", optimize ? " after ir_optimize" : "", err, where);
    }
}

/* Translates code at BASE and runs the block on cpu; returns how it ended. The optimized
   block must leave exactly the same state. */
static struct exit_info run(bool thumb, const uint32_t *code, struct cpu *cpu, uint32_t *len)
{
    struct code_buf cb;
    struct ir_block b;
    struct cpu opt_cpu = *cpu;
    encode(&cb, thumb, code);
    translate(&cb, thumb, false, &b);
    struct exit_info ex = eval_block(&b, cpu);
    ir_block_free(&b);
    translate(&cb, thumb, true, &b);
    struct exit_info opt_ex = eval_block(&b, &opt_cpu);
    if (memcmp(&opt_cpu, cpu, offsetof(struct cpu, rt)) || opt_ex.how != ex.how ||
        opt_ex.arg != ex.arg) {
        ir_print_block(stderr, &b);
        fail_msg("the optimized block leaves a different state");
    }
    ir_block_free(&b);
    *len = cb.len;
    return ex;
}

/* Guest state a case sets up and expects: r0..r3 and the APSR (r12 is always -1). */
struct state {
    uint32_t r[4];
    uint32_t apsr;
};

struct tcase {
    const char *text;
    uint32_t a32[3], t32[3];    /* 0-terminated; an empty list: no such encoding */
    struct state in, out;
};

#define S(r0, r1, r2, r3, apsr) { { r0, r1, r2, r3 }, apsr }

static void check_case(const struct tcase *tc, bool thumb)
{
    const uint32_t *code = thumb ? tc->t32 : tc->a32;
    if (!code[0])
        return;
    struct cpu cpu;
    memset(&cpu, 0, sizeof(cpu));
    memcpy(cpu.r, tc->in.r, sizeof(tc->in.r));
    cpu.r[12] = 0xffffffffu;
    cpu.r[13] = 0x7fff0000u;
    cpu.thumb = thumb;
    set_apsr(&cpu, tc->in.apsr);
    uint32_t len;
    struct exit_info ex = run(thumb, code, &cpu, &len);
    const char *mode = thumb ? "T32" : "A32";
    if (ex.how != IR_goto_tb || ex.arg != ((BASE + len) | thumb))
        fail_msg("%s %s: block did not run to its end (exit %d, arg %#llx)", mode, tc->text,
                 ex.how, (unsigned long long)ex.arg);
    for (int i = 0; i < 4; i++)
        if (cpu.r[i] != tc->out.r[i])
            fail_msg("%s %s: r%d = %#x, expected %#x", mode, tc->text, i, cpu.r[i],
                     tc->out.r[i]);
    if (cpu.r[12] != 0xffffffffu || cpu.r[13] != 0x7fff0000u)
        fail_msg("%s %s: r12/sp clobbered", mode, tc->text);
    if (get_apsr(&cpu) != tc->out.apsr)
        fail_msg("%s %s: APSR = %#x, expected %#x", mode, tc->text, get_apsr(&cpu),
                 tc->out.apsr);
}

static void run_cases(const struct tcase *tc, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_case(&tc[i], false);
        check_case(&tc[i], true);
    }
}

#define RUN_CASES(t) run_cases(t, sizeof(t) / sizeof(t[0]))

/* ---- Multiplies ---- */

static void test_long_multiply(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        { "umull r0, r1, r2, r3", { 0xe0810392 }, { 0xfba20103 },
          S(0, 0, 0xffffffff, 0xffffffff, 0), S(1, 0xfffffffe, 0xffffffff, 0xffffffff, 0) },
        { "umull r0, r1, r2, r3", { 0xe0810392 }, { 0xfba20103 },
          S(0, 0, 0x80000000, 0x80000000, 0), S(0, 0x40000000, 0x80000000, 0x80000000, 0) },
        { "smull r0, r1, r2, r3", { 0xe0c10392 }, { 0xfb820103 },
          S(0, 0, 0x80000000, 0xffffffff, 0), S(0x80000000, 0, 0x80000000, 0xffffffff, 0) },
        { "smull r0, r1, r2, r3", { 0xe0c10392 }, { 0xfb820103 },
          S(0, 0, 0x80000000, 0x80000000, 0), S(0, 0x40000000, 0x80000000, 0x80000000, 0) },
        { "smull r0, r1, r2, r3", { 0xe0c10392 }, { 0xfb820103 },
          S(7, 7, 0xffffffff, 2, 0), S(0xfffffffe, 0xffffffff, 0xffffffff, 2, 0) },
        /* S forms: N and Z from the 64-bit result, C and V kept */
        { "umulls r0, r1, r2, r3", { 0xe0910392 }, { 0 },
          S(0, 0, 0x10000, 0x10000, 0x30000000), S(0, 1, 0x10000, 0x10000, 0x30000000) },
        { "umulls r0, r1, r2, r3", { 0xe0910392 }, { 0 },
          S(5, 5, 0, 0x1234, 0xa0000000), S(0, 0, 0, 0x1234, 0x60000000) },
        { "smulls r0, r1, r2, r3", { 0xe0d10392 }, { 0 },
          S(0, 0, 0xffffffff, 1, 0x10000000), S(0xffffffff, 0xffffffff, 0xffffffff, 1,
                                                0x90000000) },
        { "umlal r0, r1, r2, r3", { 0xe0a10392 }, { 0xfbe20103 },
          S(0xffffffff, 0, 1, 1, 0), S(0, 1, 1, 1, 0) },
        { "smlal r0, r1, r2, r3", { 0xe0e10392 }, { 0xfbc20103 },
          S(0, 0, 0xffffffff, 1, 0), S(0xffffffff, 0xffffffff, 0xffffffff, 1, 0) },
        { "smlal r0, r1, r2, r3", { 0xe0e10392 }, { 0xfbc20103 },
          S(1, 0, 0xffffffff, 1, 0), S(0, 0, 0xffffffff, 1, 0) },
        { "umaal r0, r1, r2, r3", { 0xe0410392 }, { 0xfbe20163 },
          S(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0),
          S(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0) },
        { "umaal r0, r1, r2, r3", { 0xe0410392 }, { 0xfbe20163 },
          S(3, 4, 0x10000, 0x10000, 0), S(7, 1, 0x10000, 0x10000, 0) },
        /* conditional: the driver skips it when the condition fails */
        { "umullne r0, r1, r2, r3 (Z set)", { 0x10810392 }, { 0xbf18, 0xfba20103 },
          S(5, 6, 7, 8, 0x40000000), S(5, 6, 7, 8, 0x40000000) },
        { "umullne r0, r1, r2, r3 (Z clear)", { 0x10810392 }, { 0xbf18, 0xfba20103 },
          S(5, 6, 7, 8, 0), S(56, 0, 7, 8, 0) },
    };
    RUN_CASES(t);
}

static void test_multiply(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        { "mul r0, r1, r2", { 0xe0000291 }, { 0xfb01f002 },
          S(0, 0x10001, 0x10001, 0, 0), S(0x20001, 0x10001, 0x10001, 0, 0) },
        { "muls r0, r1, r2", { 0xe0100291 }, { 0 },
          S(0, 0x80000000, 1, 0, 0x20000000), S(0x80000000, 0x80000000, 1, 0, 0xa0000000) },
        { "muls r0, r1, r2", { 0xe0100291 }, { 0 },
          S(9, 0x10000, 0x10000, 0, 0x90000000), S(0, 0x10000, 0x10000, 0, 0x50000000) },
        { "muls r0, r1, r0 (16-bit)", { 0 }, { 0x4348 },
          S(3, 0xfffffffe, 0, 0, 0x10000000), S(0xfffffffa, 0xfffffffe, 0, 0, 0x90000000) },
        { "mla r0, r1, r2, r3", { 0xe0203291 }, { 0xfb013002 },
          S(0, 3, 4, 5, 0), S(17, 3, 4, 5, 0) },
        { "mls r0, r1, r2, r3", { 0xe0603291 }, { 0xfb013012 },
          S(0, 3, 4, 5, 0), S(0xfffffff9, 3, 4, 5, 0) },
        { "smulbb r0, r1, r2", { 0xe1600281 }, { 0xfb11f002 },
          S(0, 0x0002fffe, 0x80000003, 0, 0), S(0xfffffffa, 0x0002fffe, 0x80000003, 0, 0) },
        { "smulbt r0, r1, r2", { 0xe16002c1 }, { 0xfb11f012 },
          S(0, 0x0002fffe, 0x80000003, 0, 0), S(0x10000, 0x0002fffe, 0x80000003, 0, 0) },
        { "smultb r0, r1, r2", { 0xe16002a1 }, { 0xfb11f022 },
          S(0, 0x0002fffe, 0x80000003, 0, 0), S(6, 0x0002fffe, 0x80000003, 0, 0) },
        { "smultt r0, r1, r2", { 0xe16002e1 }, { 0xfb11f032 },
          S(0, 0x0002fffe, 0x80000003, 0, 0), S(0xffff0000, 0x0002fffe, 0x80000003, 0, 0) },
        /* 0x40000000 + 0x40000000 overflows: Q, the other flags kept */
        { "smlabb r0, r1, r2, r3", { 0xe1003281 }, { 0xfb113002 },
          S(0, 0x8000, 0x8000, 0x40000000, 0x80000000),
          S(0x80000000, 0x8000, 0x8000, 0x40000000, 0x88000000) },
        { "smlatt r0, r1, r2, r3", { 0xe10032e1 }, { 0xfb113032 },
          S(0, 0x7fff0000, 0x7fff0000, 1, 0), S(0x3fff0002, 0x7fff0000, 0x7fff0000, 1, 0) },
        { "smulwb r0, r1, r2", { 0xe12002a1 }, { 0xfb31f002 },
          S(0, 0x80000000, 0x8000, 0, 0), S(0x40000000, 0x80000000, 0x8000, 0, 0) },
        { "smulwt r0, r1, r2", { 0xe12002e1 }, { 0xfb31f012 },
          S(0, 0x12345678, 0x10000, 0, 0), S(0x1234, 0x12345678, 0x10000, 0, 0) },
        { "smulwt r0, r1, r2", { 0xe12002e1 }, { 0xfb31f012 },
          S(0, 0xffffffff, 0x10000, 0, 0), S(0xffffffff, 0xffffffff, 0x10000, 0, 0) },
        { "smlawb r0, r1, r2, r3", { 0xe1203281 }, { 0xfb313002 },
          S(0, 0x7fffffff, 0x7fff, 0x7fffffff, 0),
          S(0xbfff7ffe, 0x7fffffff, 0x7fff, 0x7fffffff, 0x08000000) },
        { "smlalbb r0, r1, r2, r3", { 0xe1410382 }, { 0xfbc20183 },
          S(0xffffffff, 0, 0xffff, 1, 0), S(0xfffffffe, 0, 0xffff, 1, 0) },
        { "smlaltt r0, r1, r2, r3", { 0xe14103e2 }, { 0xfbc201b3 },
          S(0, 0, 0x80000000, 0x80000000, 0), S(0x40000000, 0, 0x80000000, 0x80000000, 0) },
        /* 0x8000 * 0x8000 twice is 2^31: Q */
        { "smuad r0, r1, r2", { 0xe700f211 }, { 0xfb21f002 },
          S(0, 0x80008000, 0x80008000, 0, 0),
          S(0x80000000, 0x80008000, 0x80008000, 0, 0x08000000) },
        { "smuadx r0, r1, r2", { 0xe700f231 }, { 0xfb21f012 },
          S(0, 0x00020003, 0x00050007, 0, 0), S(29, 0x00020003, 0x00050007, 0, 0) },
        { "smusd r0, r1, r2", { 0xe700f251 }, { 0xfb41f002 },
          S(0, 0x00020003, 0x00050007, 0, 0), S(11, 0x00020003, 0x00050007, 0, 0) },
        { "smusdx r0, r1, r2", { 0xe700f271 }, { 0xfb41f012 },
          S(0, 0x00020003, 0x00050007, 0, 0), S(1, 0x00020003, 0x00050007, 0, 0) },
        /* 2^31 - 1 fits: no Q although the products alone overflow */
        { "smlad r0, r1, r2, r3", { 0xe7003211 }, { 0xfb213002 },
          S(0, 0x80008000, 0x80008000, 0xffffffff, 0),
          S(0x7fffffff, 0x80008000, 0x80008000, 0xffffffff, 0) },
        { "smladx r0, r1, r2, r3", { 0xe7003231 }, { 0xfb213012 },
          S(0, 0x00020003, 0x00050007, 100, 0), S(129, 0x00020003, 0x00050007, 100, 0) },
        { "smlsd r0, r1, r2, r3", { 0xe7003251 }, { 0xfb413002 },
          S(0, 0x80000000, 0x7fff0000, 0x7fffffff, 0),
          S(0xbfff7fff, 0x80000000, 0x7fff0000, 0x7fffffff, 0x08000000) },
        { "smlald r0, r1, r2, r3", { 0xe7410312 }, { 0xfbc201c3 },
          S(0xffffffff, 0x7fffffff, 0x80008000, 0x80008000, 0),
          S(0x7fffffff, 0x80000000, 0x80008000, 0x80008000, 0) },
        { "smlsldx r0, r1, r2, r3", { 0xe7410372 }, { 0xfbd201d3 },
          S(0, 0, 0x00020003, 0x00050007, 0), S(1, 0, 0x00020003, 0x00050007, 0) },
        { "smlsldx r0, r1, r2, r3", { 0xe7410372 }, { 0xfbd201d3 },
          S(0, 0, 0x00010000, 1, 0), S(0xffffffff, 0xffffffff, 0x00010000, 1, 0) },
    };
    RUN_CASES(t);
}

static void test_most_significant_word(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        /* 0x40000000 * 3 = 0x0_c0000000: the rounding constant carries into the top */
        { "smmul r0, r1, r2", { 0xe750f211 }, { 0xfb51f002 },
          S(9, 0x40000000, 3, 0, 0), S(0, 0x40000000, 3, 0, 0) },
        { "smmulr r0, r1, r2", { 0xe750f231 }, { 0xfb51f012 },
          S(9, 0x40000000, 3, 0, 0), S(1, 0x40000000, 3, 0, 0) },
        { "smmul r0, r1, r2", { 0xe750f211 }, { 0xfb51f002 },
          S(9, 0xffffffff, 1, 0, 0), S(0xffffffff, 0xffffffff, 1, 0, 0) },
        { "smmulr r0, r1, r2", { 0xe750f231 }, { 0xfb51f012 },
          S(9, 0xffffffff, 1, 0, 0), S(0, 0xffffffff, 1, 0, 0) },
        { "smmla r0, r1, r2, r3", { 0xe7503211 }, { 0xfb513002 },
          S(9, 0x40000000, 3, 5, 0), S(5, 0x40000000, 3, 5, 0) },
        { "smmlar r0, r1, r2, r3", { 0xe7503231 }, { 0xfb513012 },
          S(9, 0x40000000, 3, 5, 0), S(6, 0x40000000, 3, 5, 0) },
        /* (5 << 32) - 0x80000000 = 4.5 * 2^32 */
        { "smmls r0, r1, r2, r3", { 0xe75032d1 }, { 0xfb613002 },
          S(9, 0x40000000, 2, 5, 0), S(4, 0x40000000, 2, 5, 0) },
        { "smmlsr r0, r1, r2, r3", { 0xe75032f1 }, { 0xfb613012 },
          S(9, 0x40000000, 2, 5, 0), S(5, 0x40000000, 2, 5, 0) },
    };
    RUN_CASES(t);
}

static void test_divide(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        { "sdiv r0, r1, r2", { 0xe710f211 }, { 0xfb91f0f2 },
          S(9, 0x80000000, 0xffffffff, 0, 0), S(0x80000000, 0x80000000, 0xffffffff, 0, 0) },
        { "sdiv r0, r1, r2", { 0xe710f211 }, { 0xfb91f0f2 },
          S(9, 5, 0, 0, 0), S(0, 5, 0, 0, 0) },
        { "sdiv r0, r1, r2", { 0xe710f211 }, { 0xfb91f0f2 },
          S(9, 0xfffffff9, 2, 0, 0), S(0xfffffffd, 0xfffffff9, 2, 0, 0) },
        { "udiv r0, r1, r2", { 0xe730f211 }, { 0xfbb1f0f2 },
          S(9, 0xffffffff, 2, 0, 0), S(0x7fffffff, 0xffffffff, 2, 0, 0) },
        { "udiv r0, r1, r2", { 0xe730f211 }, { 0xfbb1f0f2 },
          S(9, 0xffffffff, 0, 0, 0), S(0, 0xffffffff, 0, 0, 0) },
    };
    RUN_CASES(t);
}

/* ---- Bits ---- */

static void test_bitfield(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        { "ubfx r0, r1, #0, #32", { 0xe7ff0051 }, { 0xf3c1001f },
          S(0, 0xdeadbeef, 0, 0, 0), S(0xdeadbeef, 0xdeadbeef, 0, 0, 0) },
        { "ubfx r0, r2, #30, #2", { 0xe7e10f52 }, { 0xf3c27081 },
          S(0, 0, 0xc0000000, 0, 0), S(3, 0, 0xc0000000, 0, 0) },
        { "sbfx r0, r1, #28, #4", { 0xe7a30e51 }, { 0xf3417003 },
          S(0, 0x80000000, 0, 0, 0), S(0xfffffff8, 0x80000000, 0, 0, 0) },
        { "sbfx r0, r1, #0, #32", { 0xe7bf0051 }, { 0xf341001f },
          S(0, 0x80000001, 0, 0, 0), S(0x80000001, 0x80000001, 0, 0, 0) },
        { "bfi r0, r1, #31, #1", { 0xe7df0f91 }, { 0xf36170df },
          S(0x12345678, 0xffffffff, 0, 0, 0), S(0x92345678, 0xffffffff, 0, 0, 0) },
        { "bfi r0, r1, #4, #8", { 0xe7cb0211 }, { 0xf361100b },
          S(0xffffffff, 0x12, 0, 0, 0), S(0xfffff12f, 0x12, 0, 0, 0) },
        { "bfc r0, #3, #4", { 0xe7c6019f }, { 0xf36f00c6 },
          S(0xffffffff, 0, 0, 0, 0), S(0xffffff87, 0, 0, 0, 0) },
        { "clz r0, r1", { 0xe16f0f11 }, { 0xfab1f081 },
          S(9, 0, 0, 0, 0), S(32, 0, 0, 0, 0) },
        { "clz r0, r1", { 0xe16f0f11 }, { 0xfab1f081 },
          S(9, 0x10000, 0, 0, 0), S(15, 0x10000, 0, 0, 0) },
        { "rbit r0, r1", { 0xe6ff0f31 }, { 0xfa91f0a1 },
          S(9, 1, 0, 0, 0), S(0x80000000, 1, 0, 0, 0) },
        { "rbit r0, r1", { 0xe6ff0f31 }, { 0xfa91f0a1 },
          S(9, 0x12345678, 0, 0, 0), S(0x1e6a2c48, 0x12345678, 0, 0, 0) },
        { "rev r0, r1", { 0xe6bf0f31 }, { 0xba08 },
          S(9, 0x12345678, 0, 0, 0), S(0x78563412, 0x12345678, 0, 0, 0) },
        { "rev16 r0, r1", { 0xe6bf0fb1 }, { 0xba48 },
          S(9, 0x12345678, 0, 0, 0), S(0x34127856, 0x12345678, 0, 0, 0) },
        { "revsh r0, r1", { 0xe6ff0fb1 }, { 0xbac8 },
          S(9, 0x123480ff, 0, 0, 0), S(0xffffff80, 0x123480ff, 0, 0, 0) },
        { "revsh r0, r1", { 0xe6ff0fb1 }, { 0xbac8 },
          S(9, 0x12345678, 0, 0, 0), S(0x7856, 0x12345678, 0, 0, 0) },
    };
    RUN_CASES(t);
}

static void test_extend(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        { "uxtb r0, r1, ror #8", { 0xe6ef0471 }, { 0xfa5ff091 },
          S(9, 0x11223344, 0, 0, 0), S(0x33, 0x11223344, 0, 0, 0) },
        { "sxth r0, r1, ror #24", { 0xe6bf0c71 }, { 0xfa0ff0b1 },
          S(9, 0x1122338a, 0, 0, 0), S(0xffff8a11, 0x1122338a, 0, 0, 0) },
        { "uxtb16 r0, r1, ror #16", { 0xe6cf0871 }, { 0xfa3ff0a1 },
          S(9, 0x11223344, 0, 0, 0), S(0x00440022, 0x11223344, 0, 0, 0) },
        { "sxtb16 r0, r1", { 0xe68f0071 }, { 0xfa2ff081 },
          S(9, 0x80ff7f01, 0, 0, 0), S(0xffff0001, 0x80ff7f01, 0, 0, 0) },
        { "uxtab16 r0, r1, r2", { 0xe6c10072 }, { 0xfa31f082 },
          S(9, 0xffff0001, 0x00020003, 0, 0), S(0x00010004, 0xffff0001, 0x00020003, 0, 0) },
        { "sxtab16 r0, r1, r2", { 0xe6810072 }, { 0xfa21f082 },
          S(9, 0x00010000, 0x00ff0080, 0, 0), S(0x0000ff80, 0x00010000, 0x00ff0080, 0, 0) },
        { "sxtah r0, r1, r2, ror #16", { 0xe6b10872 }, { 0xfa01f0a2 },
          S(9, 10, 0xfffe0000, 0, 0), S(8, 10, 0xfffe0000, 0, 0) },
        { "uxtah r0, r1, r2", { 0xe6f10072 }, { 0xfa11f082 },
          S(9, 0xffffffff, 0x00018000, 0, 0), S(0x7fff, 0xffffffff, 0x00018000, 0, 0) },
        { "sxtab r0, r1, r2", { 0xe6a10072 }, { 0xfa41f082 },
          S(9, 1, 0x80, 0, 0), S(0xffffff81, 1, 0x80, 0, 0) },
        { "pkhbt r0, r1, r2, lsl #16", { 0xe6810812 }, { 0xeac14002 },
          S(9, 0x11112222, 0x33334444, 0, 0), S(0x44442222, 0x11112222, 0x33334444, 0, 0) },
        { "pkhtb r0, r1, r2, asr #16", { 0xe6810852 }, { 0xeac14022 },
          S(9, 0x11112222, 0x80004444, 0, 0), S(0x11118000, 0x11112222, 0x80004444, 0, 0) },
        { "pkhtb r0, r1, r2, asr #32", { 0xe6810052 }, { 0 },
          S(9, 0x11112222, 0x80000000, 0, 0), S(0x1111ffff, 0x11112222, 0x80000000, 0, 0) },
    };
    RUN_CASES(t);
}

static void test_saturate(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        { "ssat r0, #8, r1", { 0xe6a70011 }, { 0xf3010007 },
          S(9, 200, 0, 0, 0), S(127, 200, 0, 0, 0x08000000) },
        { "ssat r0, #8, r1", { 0xe6a70011 }, { 0xf3010007 },
          S(9, 0xffffff38, 0, 0, 0), S(0xffffff80, 0xffffff38, 0, 0, 0x08000000) },
        { "ssat r0, #8, r1", { 0xe6a70011 }, { 0xf3010007 },
          S(9, 0xffffff80, 0, 0, 0x20000000), S(0xffffff80, 0xffffff80, 0, 0, 0x20000000) },
        { "ssat r0, #8, r1 (Q is sticky)", { 0xe6a70011 }, { 0xf3010007 },
          S(9, 127, 0, 0, 0x08000000), S(127, 127, 0, 0, 0x08000000) },
        { "usat r0, #8, r1", { 0xe6e80011 }, { 0xf3810008 },
          S(9, 0xfffffffb, 0, 0, 0), S(0, 0xfffffffb, 0, 0, 0x08000000) },
        { "usat r0, #8, r1", { 0xe6e80011 }, { 0xf3810008 },
          S(9, 300, 0, 0, 0), S(255, 300, 0, 0, 0x08000000) },
        { "usat r0, #8, r1", { 0xe6e80011 }, { 0xf3810008 },
          S(9, 255, 0, 0, 0), S(255, 255, 0, 0, 0) },
        { "ssat r0, #16, r1, lsl #4", { 0xe6af0211 }, { 0xf301100f },
          S(9, 0x1000, 0, 0, 0), S(0x7fff, 0x1000, 0, 0, 0x08000000) },
        { "ssat r0, #16, r1, lsl #4", { 0xe6af0211 }, { 0xf301100f },
          S(9, 0x7ff, 0, 0, 0), S(0x7ff0, 0x7ff, 0, 0, 0) },
        { "usat r0, #7, r1, asr #32", { 0xe6e70051 }, { 0 },
          S(9, 0x80000000, 0, 0, 0), S(0, 0x80000000, 0, 0, 0x08000000) },
        { "usat r0, #7, r1, asr #32", { 0xe6e70051 }, { 0 },
          S(9, 0x7fffffff, 0, 0, 0), S(0, 0x7fffffff, 0, 0, 0) },
        { "ssat16 r0, #8, r1", { 0xe6a70f31 }, { 0xf3210007 },
          S(9, 0x7fff8000, 0, 0, 0), S(0x007fff80, 0x7fff8000, 0, 0, 0x08000000) },
        { "usat16 r0, #4, r1", { 0xe6e40f31 }, { 0xf3a10004 },
          S(9, 0xffff0010, 0, 0, 0), S(0x0000000f, 0xffff0010, 0, 0, 0x08000000) },
        { "usat16 r0, #4, r1", { 0xe6e40f31 }, { 0xf3a10004 },
          S(9, 0x000f0003, 0, 0, 0), S(0x000f0003, 0x000f0003, 0, 0, 0) },
        { "qadd r0, r1, r2", { 0xe1020051 }, { 0xfa82f081 },
          S(9, 0x7fffffff, 1, 0, 0), S(0x7fffffff, 0x7fffffff, 1, 0, 0x08000000) },
        { "qadd r0, r1, r2", { 0xe1020051 }, { 0xfa82f081 },
          S(9, 5, 0xfffffffd, 0, 0), S(2, 5, 0xfffffffd, 0, 0) },
        { "qsub r0, r1, r2", { 0xe1220051 }, { 0xfa82f0a1 },
          S(9, 0x80000000, 1, 0, 0), S(0x80000000, 0x80000000, 1, 0, 0x08000000) },
        { "qsub r0, r1, r2", { 0xe1220051 }, { 0xfa82f0a1 },
          S(9, 0, 0x80000000, 0, 0), S(0x7fffffff, 0, 0x80000000, 0, 0x08000000) },
        { "qdadd r0, r1, r2", { 0xe1420051 }, { 0xfa82f091 },
          S(9, 1, 0x40000000, 0, 0), S(0x7fffffff, 1, 0x40000000, 0, 0x08000000) },
        { "qdadd r0, r1, r2", { 0xe1420051 }, { 0xfa82f091 },
          S(9, 1, 3, 0, 0), S(7, 1, 3, 0, 0) },
        { "qdsub r0, r1, r2", { 0xe1620051 }, { 0xfa82f0b1 },
          S(9, 0, 0x40000000, 0, 0), S(0x80000001, 0, 0x40000000, 0, 0x08000000) },
    };
    RUN_CASES(t);
}

static void test_parallel(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        /* glibc strlen: GE[i] = byte i of r1 is not zero; sel keeps 0xff where it is */
        { "uadd8 r0, r1, ip; sel r0, r2, ip", { 0xe6510f9c, 0xe6820fbc },
          { 0xfa81f04c, 0xfaa2f08c },
          S(9, 0x64006261, 0, 0, 0), S(0x00ff0000, 0x64006261, 0, 0, 0x000b0000) },
        { "uadd8 r0, r1, ip", { 0xe6510f9c }, { 0xfa81f04c },
          S(9, 0x64006261, 0, 0, 0xf00f0000), S(0x63ff6160, 0x64006261, 0, 0, 0xf00b0000) },
        { "uadd8 r0, r1, ip", { 0xe6510f9c }, { 0xfa81f04c },
          S(9, 0, 0, 0, 0x000f0000), S(0xffffffff, 0, 0, 0, 0) },
        { "sel r0, r2, ip", { 0xe6820fbc }, { 0xfaa2f08c },
          S(9, 0, 0x11223344, 0, 0x00050000), S(0xff22ff44, 0, 0x11223344, 0, 0x00050000) },
        { "sadd8 r0, r1, r2", { 0xe6110f92 }, { 0xfa81f002 },
          S(9, 0x7f80ff01, 0x01ff0101, 0, 0),
          S(0x807f0002, 0x7f80ff01, 0x01ff0101, 0, 0x000b0000) },
        { "usub8 r0, r1, r2", { 0xe6510ff2 }, { 0xfac1f042 },
          S(9, 0x05000310, 0x06000110, 0, 0),
          S(0xff000200, 0x05000310, 0x06000110, 0, 0x00070000) },
        { "sasx r0, r1, r2", { 0xe6110f32 }, { 0xfaa1f002 },
          S(9, 0x00050003, 0x00070002, 0, 0),
          S(0x0007fffc, 0x00050003, 0x00070002, 0, 0x000c0000) },
        { "usax r0, r1, r2", { 0xe6510f52 }, { 0xfae1f042 },
          S(9, 0x0005fff0, 0x00200003, 0, 0),
          S(0x00020010, 0x0005fff0, 0x00200003, 0, 0x000f0000) },
        { "uqadd8 r0, r1, r2", { 0xe6610f92 }, { 0xfa81f052 },
          S(9, 0xff80017f, 0x02800101, 0, 0x00050000),
          S(0xffff0280, 0xff80017f, 0x02800101, 0, 0x00050000) },
        { "qsub16 r0, r1, r2", { 0xe6210f72 }, { 0xfad1f012 },
          S(9, 0x80000005, 0x00010007, 0, 0), S(0x8000fffe, 0x80000005, 0x00010007, 0, 0) },
        { "shadd8 r0, r1, r2", { 0xe6310f92 }, { 0xfa81f022 },
          S(9, 0x7f80fe02, 0x7f80fc04, 0, 0), S(0x7f80fd03, 0x7f80fe02, 0x7f80fc04, 0, 0) },
        { "uhsub8 r0, r1, r2", { 0xe6710ff2 }, { 0xfac1f062 },
          S(9, 0x00ff0a03, 0x01000307, 0, 0), S(0xff7f03fe, 0x00ff0a03, 0x01000307, 0, 0) },
        { "usad8 r0, r1, r2", { 0xe780f211 }, { 0xfb71f002 },
          S(9, 0x0a00ff01, 0x01ff0003, 0, 0), S(521, 0x0a00ff01, 0x01ff0003, 0, 0) },
        { "usada8 r0, r1, r2, r3", { 0xe7803211 }, { 0xfb713002 },
          S(9, 0x0a00ff01, 0x01ff0003, 1000, 0), S(1521, 0x0a00ff01, 0x01ff0003, 1000, 0) },
    };
    RUN_CASES(t);
}

/* UADD8 is inline µIR: compare it with the ARM ARM pseudocode over many inputs. */
static void test_uadd8_random(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int i = 0; i < 2000; i++) {
        uint32_t a, b, res = 0, ge = 0;
        seed = seed * 1103515245u + 12345u;
        a = seed;
        seed = seed * 1103515245u + 12345u;
        b = i & 1 ? 0xffffffffu : seed ^ (seed >> 13);
        for (int k = 0; k < 4; k++) {
            uint32_t s = (a >> (8 * k) & 0xff) + (b >> (8 * k) & 0xff);
            res |= (s & 0xff) << (8 * k);
            ge |= (s >= 0x100) << k;
        }
        struct tcase tc = { "uadd8 r0, r1, r2", { 0xe6510f92 }, { 0xfa81f042 },
                            S(0, a, b, 0, 0), S(res, a, b, 0, ge << 16) };
        check_case(&tc, false);
        check_case(&tc, true);
    }
}

/* ---- The APSR ---- */

static void test_apsr(void **state)
{
    (void)state;
    static const struct tcase t[] = {
        { "mrs r0, apsr", { 0xe10f0000 }, { 0xf3ef8000 },
          S(9, 0, 0, 0, 0xe8050000), S(0xe8050010, 0, 0, 0, 0xe8050000) },
        { "mrs r0, apsr", { 0xe10f0000 }, { 0xf3ef8000 },
          S(9, 0, 0, 0, 0x10000000), S(0x10000010, 0, 0, 0, 0x10000000) },
        { "msr APSR_nzcvqg, r1", { 0xe12cf001 }, { 0xf3818c00 },
          S(9, 0x98030000, 0, 0, 0x600c0000), S(9, 0x98030000, 0, 0, 0x98030000) },
        { "msr APSR_nzcvq, r1", { 0xe128f001 }, { 0xf3818800 },
          S(9, 0x48ff0000, 0, 0, 0x00050000), S(9, 0x48ff0000, 0, 0, 0x48050000) },
        { "msr APSR_g, r1", { 0xe124f001 }, { 0xf3818400 },
          S(9, 0xf00a0000, 0, 0, 0x20000000), S(9, 0xf00a0000, 0, 0, 0x200a0000) },
        { "msr APSR_nzcvq, #0xa8000000", { 0xe328f32a }, { 0 },
          S(9, 0, 0, 0, 0x00050000), S(9, 0, 0, 0, 0xa8050000) },
        { "msr APSR_g, #0xa0000", { 0xe324f80a }, { 0 },
          S(9, 0, 0, 0, 0x80000000), S(9, 0, 0, 0, 0x800a0000) },
        { "msr APSR_nzcvqg, r1; mrs r0, apsr", { 0xe12cf001, 0xe10f0000 },
          { 0xf3818c00, 0xf3ef8000 },
          S(9, 0xf80f0000, 0, 0, 0), S(0xf80f0010, 0xf80f0000, 0, 0, 0xf80f0000) },
    };
    RUN_CASES(t);
}

/* An UNPREDICTABLE shape (pc as a multiply's destination) is refused: the block is the
   UNDEF exit at the insn, and it verifies. */
static void test_refused(void **state)
{
    (void)state;
    static const uint32_t mul_pc[] = { 0xe00f0291, 0 };    /* mul pc, r1, r2 */
    struct cpu cpu;
    memset(&cpu, 0, sizeof(cpu));
    uint32_t len;
    struct exit_info ex = run(false, mul_pc, &cpu, &len);
    assert_int_equal(ex.how, IR_exit_tb);
    assert_int_equal(ex.arg, IR_EXIT_UNDEF);
    assert_int_equal(cpu.exit_pc, BASE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_multiply),
        cmocka_unit_test(test_multiply),
        cmocka_unit_test(test_most_significant_word),
        cmocka_unit_test(test_divide),
        cmocka_unit_test(test_bitfield),
        cmocka_unit_test(test_extend),
        cmocka_unit_test(test_saturate),
        cmocka_unit_test(test_parallel),
        cmocka_unit_test(test_uadd8_random),
        cmocka_unit_test(test_apsr),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
