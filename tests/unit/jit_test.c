/*
 * JIT backend tests: hand-built µIR blocks compiled to x86-64 and run on a struct cpu,
 * checked against the reference interpreter's ir_eval_op (and hand-derived values). Every op of ops.def, with register,
 * constant, in-place and dying-local operands, on host paths with and without
 * lzcnt/BMI2 (XLATE_JIT_BASELINE=1); plus spilling, labels, memory, atomics (also from
 * four host threads at once), helper calls, chaining, the goto_ptr jump cache and exits.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "lifter/helpers/helpers.h"
#include "lifter/ir/ir.h"
#include "lifter/jit/jit.h"

typedef void (*build_fn)(struct ir_block *b, const void *arg);

#define MAX_FIXED 8
struct env {
    struct jit *j;
    struct cpu cpu;
    build_fn build;                 /* one-off blocks: any pc not in `fixed` */
    const void *arg;
    struct { uint32_t pc; build_fn fn; const void *arg; unsigned n; } fixed[MAX_FIXED];
    unsigned n_fixed;
    unsigned translations, before_calls;
    uint32_t next_pc;
};

static bool g_baseline;             /* force the plain x86-64 paths */
static uint8_t *gmem;               /* guest memory in the low 2 GiB */
#define GMEM_SIZE 0x10000

static bool translate(void *ctx, uint32_t pc, bool thumb, struct ir_block *b)
{
    struct env *e = ctx;
    e->translations++;
    ir_block_init(b, pc, thumb);
    b->n_insns = 1;
    ir_gen_insn_start(b, pc);
    for (unsigned i = 0; i < e->n_fixed; i++)
        if (e->fixed[i].pc == pc) {
            e->fixed[i].n++;
            e->fixed[i].fn(b, e->fixed[i].arg);
            return true;
        }
    e->build(b, e->arg);
    ir_gen_exit_tb(b, IR_EXIT_SYSCALL);
    return true;
}

static void before_block(void *ctx, struct cpu *cpu)
{
    (void)cpu;
    ((struct env *)ctx)->before_calls++;
}

static struct env *env_new(bool no_chain)
{
    struct env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    if (g_baseline)
        setenv("XLATE_JIT_BASELINE", "1", 1);
    else
        unsetenv("XLATE_JIT_BASELINE");
    struct jit_hooks h = { .translate = translate, .ctx = e, .no_chain = no_chain,
                           .before_block = before_block };
    e->j = jit_new(&h);
    assert_non_null(e->j);
    e->next_pc = 0x10000;
    return e;
}

static void env_free(struct env *e)
{
    jit_free(e->j);
    free(e);
}

static void add_fixed(struct env *e, uint32_t pc, build_fn fn, const void *arg)
{
    assert_true(e->n_fixed < MAX_FIXED);
    e->fixed[e->n_fixed++] = (typeof(e->fixed[0])){ pc, fn, arg, 0 };
}

/* Runs a one-off block (a fresh pc) that ends in exit_tb(SYSCALL). */
static void run(struct env *e, build_fn fn, const void *arg)
{
    e->build = fn;
    e->arg = arg;
    e->next_pc += 4;
    e->cpu.r[15] = e->next_pc;
    e->cpu.thumb = 0;
    assert_int_equal(jit_exec(e->j, &e->cpu), IR_EXIT_SYSCALL);
    assert_int_equal(e->cpu.exit_pc, e->next_pc);
}

static ir_temp G(enum ir_global g) { return ir_global(g); }

/* ir_gen_goto_ptr passes memcpy a NULL source (UB that UBSan reports): emit it directly. */
static void gen_goto_ptr(struct ir_block *b)
{
    static const uint64_t none[1];
    ir_emit(b, IR_goto_ptr, none);
}

/* ---- reference semantics: the reference interpreter (lifter/ir/interp.c) ---- */

/* ir_eval_op on op opc with input values in[] and constants k[]; outputs in out[]. */
static void eval_op(enum ir_opc opc, const uint64_t *in, const uint64_t *k, uint64_t *out)
{
    const struct ir_op_info *info = &ir_op_info[opc];
    struct ir_op op = { .opc = (uint16_t)opc, .nout = info->nout, .nin = info->nin,
                        .nconst = info->nconst };
    for (unsigned i = 0; i < info->nconst; i++)
        ir_op_consts(&op)[i] = k[i];
    assert_true(ir_eval_op(&op, in, out));
}

static uint64_t ref(enum ir_opc opc, uint64_t x, uint64_t y)
{
    uint64_t out[2];
    eval_op(opc, (const uint64_t[]){ x, y }, NULL, out);
    return out[0];
}

static const uint32_t v32[] = {
    0, 1, 2, 7, 31, 32, 33, 63, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x12345678,
    0x7fffffff, 0x80000000, 0x80000001, 0xdeadbeef, 0xfffffffe, 0xffffffff,
};
static const uint64_t v64[] = {
    0, 1, 31, 32, 63, 64, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
    0x123456789abcdef0ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
    0xfffffffffffffff0ull, 0xffffffffffffffffull,
};
#define N32 (sizeof(v32) / sizeof(v32[0]))
#define N64 (sizeof(v64) / sizeof(v64[0]))

/* ---- binary ops ---- */

struct bin_case {
    enum ir_opc opc;
    bool w;
    int variant;
    uint64_t a, b;
};
#define BIN_VARIANTS 7

static void build_bin(struct ir_block *b, const void *arg)
{
    const struct bin_case *c = arg;
    ir_temp A = c->w ? G(IR_G_D0) : G(IR_G_R0), B = c->w ? G(IR_G_D1) : G(IR_G_R1);
    ir_temp OUT = c->w ? G(IR_G_D2) : G(IR_G_R2);
    ir_temp ka = c->w ? ir_const_i64(b, c->a) : ir_const_i32(b, (uint32_t)c->a);
    ir_temp kb = c->w ? ir_const_i64(b, c->b) : ir_const_i32(b, (uint32_t)c->b);
    switch (c->variant) {
    case 0: ir_emit(b, c->opc, (uint64_t[]){ OUT, A, B }); break;
    case 1: ir_emit(b, c->opc, (uint64_t[]){ OUT, A, kb }); break;
    case 2: ir_emit(b, c->opc, (uint64_t[]){ OUT, ka, B }); break;
    case 3: ir_emit(b, c->opc, (uint64_t[]){ A, A, B }); break;
    case 4: ir_emit(b, c->opc, (uint64_t[]){ B, A, B }); break;
    case 5: {   /* dying locals */
        ir_temp ta = c->w ? ir_new_i64(b) : ir_new_i32(b);
        ir_temp tb = c->w ? ir_new_i64(b) : ir_new_i32(b);
        ir_temp tc = c->w ? ir_new_i64(b) : ir_new_i32(b);
        ir_emit(b, c->w ? IR_mov_i64 : IR_mov_i32, (uint64_t[]){ ta, A });
        ir_emit(b, c->w ? IR_mov_i64 : IR_mov_i32, (uint64_t[]){ tb, B });
        ir_emit(b, c->opc, (uint64_t[]){ tc, ta, tb });
        ir_emit(b, c->w ? IR_mov_i64 : IR_mov_i32, (uint64_t[]){ OUT, tc });
        break;
    }
    case 6: {   /* same temp twice, and a local that stays live */
        ir_temp ta = c->w ? ir_new_i64(b) : ir_new_i32(b);
        ir_temp tc = c->w ? ir_new_i64(b) : ir_new_i32(b);
        ir_emit(b, c->w ? IR_mov_i64 : IR_mov_i32, (uint64_t[]){ ta, A });
        ir_emit(b, c->opc, (uint64_t[]){ tc, ta, ta });
        ir_emit(b, c->w ? IR_mov_i64 : IR_mov_i32, (uint64_t[]){ OUT, tc });
        ir_emit(b, c->w ? IR_mov_i64 : IR_mov_i32, (uint64_t[]){ B, ta });
        break;
    }
    }
}

static void check_bin(struct env *e, enum ir_opc opc, bool w, int variant, uint64_t a,
                      uint64_t b)
{
    struct bin_case c = { opc, w, variant, a, b };
    memset(&e->cpu, 0, sizeof(e->cpu));
    if (w) {
        e->cpu.d[0] = a;
        e->cpu.d[1] = b;
        e->cpu.d[2] = 0x5555;
    } else {
        e->cpu.r[0] = (uint32_t)a;
        e->cpu.r[1] = (uint32_t)b;
        e->cpu.r[2] = 0x5555;
    }
    run(e, build_bin, &c);
    uint64_t want = variant == 6 ? ref(opc, a, a) : ref(opc, a, b);
    uint64_t got, a_after, b_after;
    if (w) {
        got = variant == 3 ? e->cpu.d[0] : variant == 4 ? e->cpu.d[1] : e->cpu.d[2];
        a_after = e->cpu.d[0];
        b_after = e->cpu.d[1];
    } else {
        got = variant == 3 ? e->cpu.r[0] : variant == 4 ? e->cpu.r[1] : e->cpu.r[2];
        a_after = e->cpu.r[0];
        b_after = e->cpu.r[1];
    }
    if (got != want) {
        print_error("%s variant %d: a=%#llx b=%#llx got %#llx want %#llx\n",
                    ir_op_info[opc].name, variant, (unsigned long long)a,
                    (unsigned long long)b, (unsigned long long)got, (unsigned long long)want);
        fail();
    }
    if (variant != 3)
        assert_int_equal(a_after, a);
    if (variant != 4)
        assert_int_equal(b_after, variant == 6 ? a : b);
}

static void test_bin_i32(void **state)
{
    (void)state;
    static const enum ir_opc ops[] = {
        IR_add_i32, IR_sub_i32, IR_mul_i32, IR_and_i32, IR_or_i32, IR_xor_i32, IR_andc_i32,
        IR_shl_i32, IR_shr_i32, IR_sar_i32, IR_rotr_i32,
    };
    struct env *e = env_new(false);
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        for (int v = 0; v < BIN_VARIANTS; v++)
            for (unsigned i = 0; i < N32; i++)
                for (unsigned k = 0; k < N32; k++)
                    check_bin(e, ops[o], false, v, v32[i], v32[k]);
    env_free(e);
}

static void test_bin_i64(void **state)
{
    (void)state;
    static const enum ir_opc ops[] = {
        IR_add_i64, IR_sub_i64, IR_mul_i64, IR_and_i64, IR_or_i64, IR_xor_i64,
        IR_shl_i64, IR_shr_i64, IR_sar_i64,
    };
    struct env *e = env_new(false);
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        for (int v = 0; v < BIN_VARIANTS; v++)
            for (unsigned i = 0; i < N64; i++)
                for (unsigned k = 0; k < N64; k++)
                    check_bin(e, ops[o], true, v, v64[i], v64[k]);
    env_free(e);
}

/* ---- unary and width-changing ops ---- */

struct un_case {
    enum ir_opc opc;
    int variant;
    uint64_t a;
};

static bool in64(enum ir_opc o)
{
    return o == IR_mov_i64 || o == IR_extrl_i64_i32 || o == IR_extrh_i64_i32;
}
static bool out64(enum ir_opc o)
{
    return o == IR_mov_i64 || o == IR_ext_i32_i64 || o == IR_extu_i32_i64;
}

static void build_un(struct ir_block *b, const void *arg)
{
    const struct un_case *c = arg;
    bool wi = in64(c->opc), wo = out64(c->opc);
    ir_temp A = wi ? G(IR_G_D0) : G(IR_G_R0), OUT = wo ? G(IR_G_D1) : G(IR_G_R1);
    switch (c->variant) {
    case 0: ir_emit(b, c->opc, (uint64_t[]){ OUT, A }); break;
    case 1:
        ir_emit(b, c->opc, (uint64_t[]){ wi == wo ? A : OUT, A });
        break;
    case 2: {
        ir_temp t = wi ? ir_new_i64(b) : ir_new_i32(b), u = wo ? ir_new_i64(b) : ir_new_i32(b);
        ir_emit(b, wi ? IR_mov_i64 : IR_mov_i32, (uint64_t[]){ t, A });
        ir_emit(b, c->opc, (uint64_t[]){ u, t });
        ir_emit(b, wo ? IR_mov_i64 : IR_mov_i32, (uint64_t[]){ OUT, u });
        break;
    }
    case 3: {
        ir_temp k = wi ? ir_const_i64(b, c->a) : ir_const_i32(b, (uint32_t)c->a);
        ir_emit(b, c->opc, (uint64_t[]){ OUT, k });
        break;
    }
    }
}

static void test_unary(void **state)
{
    (void)state;
    static const enum ir_opc ops[] = {
        IR_mov_i32, IR_not_i32, IR_neg_i32, IR_clz_i32, IR_bswap_i32, IR_ext8s_i32,
        IR_ext8u_i32, IR_ext16s_i32, IR_ext16u_i32, IR_mov_i64, IR_ext_i32_i64,
        IR_extu_i32_i64, IR_extrl_i64_i32, IR_extrh_i64_i32,
    };
    struct env *e = env_new(false);
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
        for (int v = 0; v < 4; v++)
            for (unsigned i = 0; i < N64 + N32; i++) {
                enum ir_opc opc = ops[o];
                uint64_t a = i < N32 ? v32[i] : v64[i - N32];
                if (!in64(opc))
                    a = (uint32_t)a;
                struct un_case c = { opc, v, a };
                memset(&e->cpu, 0, sizeof(e->cpu));
                e->cpu.r[1] = 0xaaaaaaaa;
                e->cpu.d[1] = 0xaaaaaaaaaaaaaaaaull;
                if (in64(opc))
                    e->cpu.d[0] = a;
                else
                    e->cpu.r[0] = (uint32_t)a;
                run(e, build_un, &c);
                bool same = v == 1 && in64(opc) == out64(opc);
                uint64_t got = out64(opc) ? (same ? e->cpu.d[0] : e->cpu.d[1])
                                          : (same ? e->cpu.r[0] : e->cpu.r[1]);
                if (got != ref(opc, a, 0)) {
                    print_error("%s variant %d a=%#llx got %#llx\n", ir_op_info[opc].name, v,
                                (unsigned long long)a, (unsigned long long)got);
                    fail();
                }
            }
    env_free(e);
}

static void build_concat(struct ir_block *b, const void *arg)
{
    int v = *(const int *)arg;
    if (v == 0)
        ir_gen_concat_i32_i64(b, G(IR_G_D0), G(IR_G_R0), G(IR_G_R1));
    else
        ir_gen_concat_i32_i64(b, G(IR_G_D0), ir_const_i32(b, 0x89abcdef), G(IR_G_R1));
}

static void test_concat(void **state)
{
    (void)state;
    struct env *e = env_new(false);
    for (int v = 0; v < 2; v++)
        for (unsigned i = 0; i < N32; i++) {
            memset(&e->cpu, 0, sizeof(e->cpu));
            e->cpu.r[0] = v32[i];
            e->cpu.r[1] = v32[N32 - 1 - i];
            run(e, build_concat, &v);
            uint64_t lo = v ? 0x89abcdef : v32[i];
            assert_int_equal(e->cpu.d[0], lo | (uint64_t)v32[N32 - 1 - i] << 32);
        }
    env_free(e);
}

/* ---- bitfields ---- */

struct bf_case {
    enum ir_opc opc;
    int variant;
    unsigned pos, len;
    uint32_t a, b;
};

static void build_bf(struct ir_block *b, const void *arg)
{
    const struct bf_case *c = arg;
    ir_temp A = G(IR_G_R0), B = G(IR_G_R1), OUT = G(IR_G_R2);
    if (c->variant == 1)
        OUT = A;
    if (c->variant == 2)
        OUT = B;
    if (c->variant == 3) {
        A = ir_const_i32(b, c->a);
        B = ir_const_i32(b, c->b);
    }
    if (c->opc == IR_deposit_i32)
        ir_gen_deposit_i32(b, OUT, A, B, c->pos, c->len);
    else
        ir_emit(b, c->opc, (uint64_t[]){ OUT, A, c->pos, c->len });
}

static void test_bitfield(void **state)
{
    (void)state;
    static const uint32_t vals[][2] = {
        { 0, 0xffffffff }, { 0xffffffff, 0 }, { 0x80000001, 0x12345678 },
        { 0xdeadbeef, 0x55aa55aa }, { 0x7fffffff, 0x80000000 },
    };
    struct env *e = env_new(false);
    for (int opi = 0; opi < 3; opi++)
        for (unsigned pos = 0; pos < 32; pos++)
            for (unsigned len = 1; pos + len <= 32; len++)
                for (int v = 0; v < 4; v++)
                    for (unsigned i = 0; i < 5; i++) {
                        enum ir_opc opc = opi == 0 ? IR_extract_i32
                                        : opi == 1 ? IR_sextract_i32 : IR_deposit_i32;
                        if (opc != IR_deposit_i32 && v == 2)
                            continue;
                        uint32_t a = vals[i][0], b = vals[i][1];
                        struct bf_case c = { opc, v, pos, len, a, b };
                        memset(&e->cpu, 0, sizeof(e->cpu));
                        e->cpu.r[0] = a;
                        e->cpu.r[1] = b;
                        run(e, build_bf, &c);
                        uint64_t want64;
                        eval_op(opc, (const uint64_t[]){ a, b }, (const uint64_t[]){ pos, len },
                                &want64);
                        uint32_t want = (uint32_t)want64;
                        uint32_t got = v == 1 ? e->cpu.r[0] : v == 2 ? e->cpu.r[1] : e->cpu.r[2];
                        if (got != want) {
                            print_error("%s v%d pos %u len %u a %#x b %#x: %#x want %#x\n",
                                        ir_op_info[opc].name, v, pos, len, a, b, got, want);
                            fail();
                        }
                    }
    env_free(e);
}

/* ---- conditions: setcond, movcond, brcond ---- */

struct cond_case {
    enum ir_cond c;
    int kind, variant;
    uint32_t a, b;
};

static void build_cond(struct ir_block *b, const void *arg)
{
    const struct cond_case *c = arg;
    ir_temp A = G(IR_G_R0), B = G(IR_G_R1);
    if (c->variant == 1)
        B = ir_const_i32(b, c->b);
    if (c->variant == 2)
        A = ir_const_i32(b, c->a);
    switch (c->kind) {
    case 0:
        ir_gen_setcond_i32(b, c->c, c->variant == 3 ? G(IR_G_R0) : G(IR_G_R2), A, B);
        break;
    case 1: {
        ir_temp vt = c->variant == 3 ? ir_const_i32(b, 111) : G(IR_G_R3);
        ir_temp vf = c->variant == 3 ? ir_const_i32(b, 222) : G(IR_G_R4);
        ir_gen_movcond_i32(b, c->c, c->variant == 3 ? G(IR_G_R3) : G(IR_G_R2), A, B, vt, vf);
        break;
    }
    case 2: {
        /* a local that lives across the label, plus a global changed on one path */
        uint32_t l = ir_new_label(b);
        ir_temp t = ir_new_i32(b);
        ir_gen_add_i32(b, t, G(IR_G_R0), ir_const_i32(b, 5));
        ir_gen_movi_i32(b, G(IR_G_R2), 1);
        ir_gen_brcond_i32(b, c->c, A, B, l);
        ir_gen_movi_i32(b, G(IR_G_R2), 0);
        ir_gen_add_i32(b, t, t, ir_const_i32(b, 100));
        ir_gen_set_label(b, l);
        ir_gen_mov_i32(b, G(IR_G_R5), t);
        break;
    }
    }
}

static void test_conditions(void **state)
{
    (void)state;
    struct env *e = env_new(false);
    for (int kind = 0; kind < 3; kind++)
        for (int cc = 0; cc < IR_NUM_CONDS; cc++)
            for (int v = 0; v < 4; v++)
                for (unsigned i = 0; i < N32; i++)
                    for (unsigned k = 0; k < N32; k += (i % 3) + 1) {
                        uint32_t a = v32[i], b = v32[k];
                        struct cond_case c = { (enum ir_cond)cc, kind, v, a, b };
                        memset(&e->cpu, 0, sizeof(e->cpu));
                        e->cpu.r[0] = a;
                        e->cpu.r[1] = b;
                        e->cpu.r[3] = 333;
                        e->cpu.r[4] = 444;
                        run(e, build_cond, &c);
                        bool t = ir_cond_holds((enum ir_cond)cc, a, b);
                        if (kind == 0 && v == 3)
                            assert_int_equal(e->cpu.r[0], t);
                        else if (kind == 0)
                            assert_int_equal(e->cpu.r[2], t);
                        else if (kind == 1 && v == 3)
                            assert_int_equal(e->cpu.r[3], t ? 111 : 222);
                        else if (kind == 1)
                            assert_int_equal(e->cpu.r[2], t ? 333 : 444);
                        else {
                            assert_int_equal(e->cpu.r[2], t);
                            assert_int_equal(e->cpu.r[5], a + 5 + (t ? 0 : 100));
                        }
                    }
    env_free(e);
}

/* ---- double-word ops ---- */

struct dw_case {
    enum ir_opc opc;
    int variant;
    uint32_t k0, k1;
};

static void build_dw(struct ir_block *b, const void *arg)
{
    const struct dw_case *c = arg;
    ir_temp r[6];
    for (int i = 0; i < 6; i++)
        r[i] = G((enum ir_global)(IR_G_R0 + i));
    if (c->opc == IR_mulu2_i32 || c->opc == IR_muls2_i32) {
        ir_temp y = c->variant == 1 ? ir_const_i32(b, c->k0) : r[1];
        if (c->variant == 2)        /* in place */
            ir_emit(b, c->opc, (uint64_t[]){ r[0], r[1], r[0], r[1] });
        else if (c->variant == 3) { /* local outputs */
            ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b);
            ir_emit(b, c->opc, (uint64_t[]){ lo, hi, r[0], r[1] });
            ir_gen_mov_i32(b, r[2], lo);
            ir_gen_mov_i32(b, r[3], hi);
        } else
            ir_emit(b, c->opc, (uint64_t[]){ r[2], r[3], r[0], y });
        return;
    }
    if (c->variant == 1)
        ir_emit(b, c->opc, (uint64_t[]){ r[4], r[5], r[0], r[1], ir_const_i32(b, c->k0),
                                         ir_const_i32(b, c->k1) });
    else if (c->variant == 2)
        ir_emit(b, c->opc, (uint64_t[]){ r[0], r[1], r[0], r[1], r[2], r[3] });
    else
        ir_emit(b, c->opc, (uint64_t[]){ r[4], r[5], r[0], r[1], r[2], r[3] });
}

static void test_double_word(void **state)
{
    (void)state;
    struct env *e = env_new(false);
    static const enum ir_opc ops[] = { IR_mulu2_i32, IR_muls2_i32, IR_add2_i32, IR_sub2_i32 };
    for (unsigned o = 0; o < 4; o++)
        for (int v = 0; v < 4; v++)
            for (unsigned i = 0; i < N32; i++)
                for (unsigned k = 0; k < N32; k++) {
                    enum ir_opc opc = ops[o];
                    uint32_t x = v32[i], y = v32[k];
                    uint32_t z = v32[(i + k) % N32], q = v32[(i * 7 + k) % N32];
                    struct dw_case c = { opc, v, y, q };
                    memset(&e->cpu, 0, sizeof(e->cpu));
                    uint32_t *r = e->cpu.r;
                    r[0] = x;
                    r[1] = y;
                    r[2] = z;
                    r[3] = q;
                    run(e, build_dw, &c);
                    /* variant 1: the constants y (k0) and q (k1) stand for r2 and r3 */
                    uint64_t lohi[2];
                    bool mul = opc == IR_mulu2_i32 || opc == IR_muls2_i32;
                    eval_op(opc, (const uint64_t[]){ x, y, v == 1 ? y : z, q }, NULL, lohi);
                    uint64_t want = lohi[1] << 32 | lohi[0];
                    uint64_t got;
                    if (v == 2)
                        got = (uint64_t)r[1] << 32 | r[0];
                    else if (mul)
                        got = (uint64_t)r[3] << 32 | r[2];
                    else
                        got = (uint64_t)r[5] << 32 | r[4];
                    if (got != want) {
                        print_error("%s v%d x %#x y %#x z %#x q %#x: %#llx want %#llx\n",
                                    ir_op_info[opc].name, v, x, y, z, q,
                                    (unsigned long long)got, (unsigned long long)want);
                        fail();
                    }
                }
    env_free(e);
}

/* ---- guest memory ---- */

struct mem_case {
    bool store, w, const_addr, const_val;
    unsigned memop;
    uint32_t addr;
    uint64_t val;
};

static void build_mem(struct ir_block *b, const void *arg)
{
    const struct mem_case *c = arg;
    ir_temp addr = c->const_addr ? ir_const_i32(b, c->addr) : G(IR_G_R0);
    if (c->store) {
        ir_temp v = c->w ? (c->const_val ? ir_const_i64(b, c->val) : G(IR_G_D0))
                         : (c->const_val ? ir_const_i32(b, (uint32_t)c->val) : G(IR_G_R1));
        if (c->w)
            ir_gen_st_i64(b, v, addr, c->memop);
        else
            ir_gen_st_i32(b, v, addr, c->memop);
    } else if (c->w) {
        ir_gen_ld_i64(b, G(IR_G_D0), addr, c->memop);
    } else {
        /* the address temp dies here: a local */
        ir_temp t = ir_new_i32(b);
        ir_gen_mov_i32(b, t, addr);
        ir_gen_ld_i32(b, G(IR_G_R1), t, c->memop);
    }
}

static void test_memory(void **state)
{
    (void)state;
    struct env *e = env_new(false);
    uint32_t base = (uint32_t)(uintptr_t)gmem;
    static const uint64_t vals[] = { 0x8091a2b3c4d5e6f7ull, 0x0102030405060708ull,
                                     0xfffffffffffffffeull, 0x7f };
    for (int w = 0; w < 2; w++)
        for (unsigned size = 0; size <= (w ? 3u : 2u); size++)
            for (int sign = 0; sign < 2; sign++)
                for (int store = 0; store < 2; store++)
                    for (int ca = 0; ca < 2; ca++)
                        for (int cv = 0; cv < 2; cv++)
                            for (unsigned vi = 0; vi < 4; vi++) {
                                if ((!store && cv) || (store && sign))
                                    continue;
                                uint32_t off = 0x100 + size * 8 + (vi & 1);   /* unaligned too */
                                struct mem_case c = { store, w, ca, cv, size | (sign ? IR_MO_SIGN : 0),
                                                      base + off, vals[vi] };
                                memset(gmem, 0xcc, 0x400);
                                memset(&e->cpu, 0, sizeof(e->cpu));
                                e->cpu.r[0] = base + off;
                                e->cpu.r[1] = (uint32_t)vals[vi];
                                e->cpu.d[0] = vals[vi];
                                unsigned n = 1u << size;
                                if (!store)
                                    memcpy(gmem + off, &vals[vi], n);
                                run(e, build_mem, &c);
                                if (store) {
                                    uint64_t v = vals[vi];
                                    assert_memory_equal(gmem + off, &v, n);
                                    assert_int_equal(gmem[off - 1], 0xcc);
                                    assert_int_equal(gmem[off + n], 0xcc);
                                    continue;
                                }
                                uint64_t raw = 0;
                                memcpy(&raw, &vals[vi], n);
                                uint64_t want = raw;
                                if (sign && n < 8)
                                    want = (uint64_t)((int64_t)(raw << (64 - 8 * n)) >> (64 - 8 * n));
                                if (!w)
                                    assert_int_equal(e->cpu.r[1], (uint32_t)want);
                                else
                                    assert_int_equal(e->cpu.d[0], want);
                            }
    env_free(e);
}

/* ---- atomics: rax for cmpxchg, r11 for xchg ---- */

struct atomic_case {
    int variant;
    uint32_t base;
};

static void build_atomic(struct ir_block *b, const void *arg)
{
    const struct atomic_case *c = arg;
    ir_temp t = ir_new_i32(b), q = ir_new_i64(b);
    switch (c->variant) {
    case 0:     /* expected comes out of a helper (rax), and the output replaces it */
        ir_gen_divu_i32(b, t, G(IR_G_R1), G(IR_G_R2));
        ir_gen_cmpxchg_i32(b, t, G(IR_G_R0), t, G(IR_G_R3), IR_MO_32);
        ir_gen_mov_i32(b, G(IR_G_R4), t);
        break;
    case 1:     /* constant address, expected and new value, 8 and 16 bits */
        ir_gen_cmpxchg_i32(b, G(IR_G_R4), ir_const_i32(b, c->base + 0x11),
                           ir_const_i32(b, 0xffffff80), ir_const_i32(b, 0x17f), IR_MO_8);
        ir_gen_cmpxchg_i32(b, G(IR_G_R5), ir_const_i32(b, c->base + 0x12),
                           ir_const_i32(b, 0x8001), ir_const_i32(b, 0xabcd), IR_MO_16);
        ir_gen_xchg_i32(b, G(IR_G_R6), ir_const_i32(b, c->base + 0x14),
                        ir_const_i32(b, 0x12345678), IR_MO_32);
        break;
    case 2:     /* 64 bits in place; the new value is the old one plus the address */
        ir_gen_extu_i32_i64(b, q, G(IR_G_R0));
        ir_gen_add_i64(b, q, q, G(IR_G_D0));
        ir_gen_cmpxchg_i64(b, G(IR_G_D0), G(IR_G_R0), G(IR_G_D0), q);
        break;
    default:    /* xchg whose output and address are one temp, in rax after a call */
        ir_gen_divu_i32(b, t, G(IR_G_R0), ir_const_i32(b, 1));
        ir_gen_xchg_i32(b, t, t, G(IR_G_R3), IR_MO_8);
        ir_gen_mov_i32(b, G(IR_G_R4), t);
        break;
    }
}

static void test_atomics(void **state)
{
    (void)state;
    struct env *e = env_new(false);
    uint32_t base = (uint32_t)(uintptr_t)gmem + 0x800;
    uint8_t *m = gmem + 0x800;
    for (int v = 0; v < 4; v++)
        for (int hit = 0; hit < 2; hit++) {
            struct atomic_case c = { v, base };
            memset(m, 0, 0x40);
            memset(&e->cpu, 0, sizeof(e->cpu));
            e->cpu.r[0] = base + 8;
            e->cpu.r[1] = 1000;
            e->cpu.r[2] = 7;                        /* 1000 / 7 = 142 */
            e->cpu.r[3] = 0xcafe0042;
            uint32_t w = hit ? 142 : 143;
            memcpy(m + 8, &w, 4);
            m[0x11] = hit ? 0x80 : 0x81;
            uint16_t h = hit ? 0x8001 : 0x8002;
            memcpy(m + 0x12, &h, 2);
            uint64_t q = hit ? 0x1122334455667788ull : 7;
            if (v == 2)
                memcpy(m + 8, &q, 8);
            e->cpu.d[0] = 0x1122334455667788ull;
            run(e, build_atomic, &c);
            uint32_t got;
            switch (v) {
            case 0:
                assert_int_equal(e->cpu.r[4], hit ? 142 : 143);
                memcpy(&got, m + 8, 4);
                assert_int_equal(got, hit ? 0xcafe0042 : 143);
                break;
            case 1:
                assert_int_equal(e->cpu.r[4], hit ? 0x80 : 0x81);
                assert_int_equal(m[0x11], hit ? 0x7f : 0x81);
                assert_int_equal(e->cpu.r[5], hit ? 0x8001 : 0x8002);
                memcpy(&h, m + 0x12, 2);
                assert_int_equal(h, hit ? 0xabcd : 0x8002);
                assert_int_equal(e->cpu.r[6], 0);
                memcpy(&got, m + 0x14, 4);
                assert_int_equal(got, 0x12345678);
                break;
            case 2: {
                uint64_t now;
                memcpy(&now, m + 8, 8);
                assert_int_equal(e->cpu.d[0], q);
                assert_int_equal(now, hit ? q + base + 8 : 7);
                break;
            }
            default:
                assert_int_equal(e->cpu.r[4], hit ? 142 : 143);     /* the low byte */
                assert_int_equal(m[8], 0x42);
                assert_int_equal(m[9], 0);
                break;
            }
        }
    env_free(e);
}

/*
 * Atomicity across host threads: 4 threads, each with its own JIT, run blocks that
 * increment shared words with cmpxchg_i32 and cmpxchg_i64 (load, add, compare-and-swap; a
 * lost race counts nothing) and a plain counter under an xchg spinlock. Each block chains
 * to itself (goto_tb) until its thread has N successes, so the threads race in JIT code
 * alone. Any non-atomic step loses increments and the totals come out short (without the
 * lock prefix, cmpxchg loses some in every run).
 */
#define ATOMIC_THREADS 4
#define ATOMIC_N 1000000
#define PC_INC32 0x4000
#define PC_INC64 0x4100
#define PC_LOCKED 0x4200

/* Loops to pc while the success count in g is below ATOMIC_N, else exits. */
static void loop_until_n(struct ir_block *b, enum ir_global g, uint32_t pc)
{
    uint32_t again = ir_new_label(b);
    ir_gen_brcond_i32(b, IR_LTU, G(g), ir_const_i32(b, ATOMIC_N), again);
    ir_gen_exit_tb(b, IR_EXIT_SYSCALL);
    ir_gen_set_label(b, again);
    ir_gen_movi_i32(b, G(IR_G_PC), pc);
    ir_gen_goto_tb(b, pc);
}

static void build_inc32(struct ir_block *b, const void *arg)
{
    (void)arg;
    ir_temp old = ir_new_i32(b), new = ir_new_i32(b), got = ir_new_i32(b), ok = ir_new_i32(b);
    ir_gen_ld_i32(b, old, G(IR_G_R0), IR_MO_32);
    ir_gen_addi_i32(b, new, old, 1);
    ir_gen_cmpxchg_i32(b, got, G(IR_G_R0), old, new, IR_MO_32);
    ir_gen_setcond_i32(b, IR_EQ, ok, got, old);
    ir_gen_add_i32(b, G(IR_G_R1), G(IR_G_R1), ok);
    loop_until_n(b, IR_G_R1, PC_INC32);
}

static void build_inc64(struct ir_block *b, const void *arg)
{
    (void)arg;
    ir_temp a = ir_new_i32(b), old = ir_new_i64(b), new = ir_new_i64(b), got = ir_new_i64(b);
    ir_temp x = ir_new_i64(b), lo = ir_new_i32(b), hi = ir_new_i32(b), ok = ir_new_i32(b);
    ir_gen_addi_i32(b, a, G(IR_G_R0), 8);
    ir_gen_ld_i64(b, old, a, IR_MO_64);
    ir_gen_add_i64(b, new, old, ir_const_i64(b, 0x100000001ull));
    ir_gen_cmpxchg_i64(b, got, a, old, new);
    ir_gen_xor_i64(b, x, got, old);
    ir_gen_extrl_i64_i32(b, lo, x);
    ir_gen_extrh_i64_i32(b, hi, x);
    ir_gen_or_i32(b, lo, lo, hi);
    ir_gen_setcond_i32(b, IR_EQ, ok, lo, ir_const_i32(b, 0));
    ir_gen_add_i32(b, G(IR_G_R2), G(IR_G_R2), ok);
    loop_until_n(b, IR_G_R2, PC_INC64);
}

/* if (xchg(lock, 1) == 0) { counter += 1 (plain load and store); lock = 0; r3 += 1 } */
static void build_locked(struct ir_block *b, const void *arg)
{
    (void)arg;
    ir_temp lock = ir_new_i32(b), cnt = ir_new_i32(b), t = ir_new_i32(b), v = ir_new_i32(b);
    uint32_t busy = ir_new_label(b);
    ir_gen_addi_i32(b, lock, G(IR_G_R0), 16);
    ir_gen_addi_i32(b, cnt, G(IR_G_R0), 20);
    ir_gen_xchg_i32(b, t, lock, ir_const_i32(b, 1), IR_MO_32);
    ir_gen_brcond_i32(b, IR_NE, t, ir_const_i32(b, 0), busy);
    ir_gen_ld_i32(b, v, cnt, IR_MO_32);
    ir_gen_addi_i32(b, v, v, 1);
    ir_gen_st_i32(b, v, cnt, IR_MO_32);
    ir_gen_st_i32(b, ir_const_i32(b, 0), lock, IR_MO_32);  /* a release store on x86 */
    ir_gen_addi_i32(b, G(IR_G_R3), G(IR_G_R3), 1);
    ir_gen_set_label(b, busy);
    loop_until_n(b, IR_G_R3, PC_LOCKED);
}

struct atomic_thread {
    struct env *e;
    pthread_barrier_t *start;       /* each block starts in all threads at once */
    bool bad_exit;
};

static void *atomic_thread(void *arg)
{
    struct atomic_thread *t = arg;
    struct cpu *c = &t->e->cpu;
    static const uint32_t pcs[3] = { PC_INC32, PC_INC64, PC_LOCKED };
    for (int k = 0; k < 3; k++) {
        pthread_barrier_wait(t->start);
        c->r[15] = pcs[k];
        c->thumb = 0;
        if (jit_exec(t->e->j, c) != IR_EXIT_SYSCALL || c->r[1 + k] != ATOMIC_N)
            t->bad_exit = true;
    }
    return NULL;
}

static void test_atomic_threads(void **state)
{
    (void)state;
    uint8_t *m = gmem + 0x1000;     /* word at 0, i64 at 8, lock at 16, counter at 20 */
    memset(m, 0, 64);
    struct atomic_thread t[ATOMIC_THREADS];
    pthread_t tid[ATOMIC_THREADS];
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, ATOMIC_THREADS), 0);
    for (int i = 0; i < ATOMIC_THREADS; i++) {
        t[i] = (struct atomic_thread){ env_new(false), &start, false };
        add_fixed(t[i].e, PC_INC32, build_inc32, NULL);
        add_fixed(t[i].e, PC_INC64, build_inc64, NULL);
        add_fixed(t[i].e, PC_LOCKED, build_locked, NULL);
        memset(&t[i].e->cpu, 0, sizeof(t[i].e->cpu));
        t[i].e->cpu.r[0] = (uint32_t)(uintptr_t)m;
    }
    for (int i = 0; i < ATOMIC_THREADS; i++)
        assert_int_equal(pthread_create(&tid[i], NULL, atomic_thread, &t[i]), 0);
    for (int i = 0; i < ATOMIC_THREADS; i++)
        assert_int_equal(pthread_join(tid[i], NULL), 0);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < ATOMIC_THREADS; i++) {
        assert_false(t[i].bad_exit);
        for (int k = 0; k < 3; k++)
            assert_int_equal(t[i].e->fixed[k].n, 1);    /* one translation, then chained */
        env_free(t[i].e);
    }
    uint32_t w, lock, cnt;
    uint64_t q;
    memcpy(&w, m, 4);
    memcpy(&q, m + 8, 8);
    memcpy(&lock, m + 16, 4);
    memcpy(&cnt, m + 20, 4);
    assert_int_equal(w, ATOMIC_THREADS * ATOMIC_N);
    assert_int_equal(q, 0x100000001ull * ATOMIC_THREADS * ATOMIC_N);
    assert_int_equal(lock, 0);
    assert_int_equal(cnt, ATOMIC_THREADS * ATOMIC_N);
}

/* ---- register pressure, with a helper call in the middle ---- */

#define NLIVE 24

static void build_pressure(struct ir_block *b, const void *arg)
{
    (void)arg;
    ir_temp t[NLIVE];
    for (int i = 0; i < NLIVE; i++) {
        t[i] = ir_new_i32(b);
        ir_gen_mul_i32(b, t[i], G(IR_G_R0), ir_const_i32(b, (uint32_t)(i + 3)));
        ir_gen_xor_i32(b, t[i], t[i], G((enum ir_global)(IR_G_R1 + i % 12)));
    }
    for (int g = 1; g < 13; g++)
        ir_gen_add_i32(b, G((enum ir_global)g), G((enum ir_global)g), ir_const_i32(b, 1));
    ir_gen_divu_i32(b, G(IR_G_R13), t[3], G(IR_G_R14));
    ir_temp acc = ir_new_i32(b);
    ir_gen_movi_i32(b, acc, 0);
    for (int i = NLIVE; i-- > 0;) {
        ir_gen_shl_i32(b, acc, acc, ir_const_i32(b, 1));
        ir_gen_add_i32(b, acc, acc, t[i]);
    }
    ir_gen_mov_i32(b, G(IR_G_R0), acc);
    for (int k = 0; k < 8; k++)
        ir_gen_add_i64(b, G((enum ir_global)(IR_G_D0 + k)), G((enum ir_global)(IR_G_D0 + k)),
                       G((enum ir_global)(IR_G_D8 + k)));
}

static void test_pressure(void **state)
{
    (void)state;
    struct env *e = env_new(false);
    memset(&e->cpu, 0, sizeof(e->cpu));
    uint32_t r[16];
    for (int i = 0; i < 16; i++)
        r[i] = e->cpu.r[i] = 0x1000 * (uint32_t)i + 0x37 * (uint32_t)i + 5;
    for (int k = 0; k < 16; k++)
        e->cpu.d[k] = 0x100000001ull * (uint64_t)(k + 1);
    run(e, build_pressure, NULL);
    uint32_t t[NLIVE], acc = 0;
    for (int i = 0; i < NLIVE; i++)
        t[i] = (r[0] * (uint32_t)(i + 3)) ^ r[1 + i % 12];
    for (int i = NLIVE; i-- > 0;)
        acc = (acc << 1) + t[i];
    assert_int_equal(e->cpu.r[0], acc);
    for (int g = 1; g < 13; g++)
        assert_int_equal(e->cpu.r[g], r[g] + 1);
    assert_int_equal(e->cpu.r[13], t[3] / r[14]);
    assert_int_equal(e->cpu.r[14], r[14]);
    for (int k = 0; k < 8; k++)
        assert_int_equal(e->cpu.d[k], 0x100000001ull * (uint64_t)(k + 1 + k + 9));
    env_free(e);
}

/* ---- helper calls ---- */

struct div_case {
    int variant;
    uint32_t n, d;
};

static void build_div(struct ir_block *b, const void *arg)
{
    const struct div_case *c = arg;
    ir_temp n = c->variant == 1 ? ir_const_i32(b, c->n) : G(IR_G_R0);
    ir_temp d = c->variant == 2 ? ir_const_i32(b, c->d) : G(IR_G_R1);
    ir_temp keep = ir_new_i32(b);    /* live across the calls */
    ir_gen_add_i32(b, keep, G(IR_G_R0), G(IR_G_R1));
    ir_gen_divu_i32(b, G(IR_G_R2), n, d);
    ir_gen_divs_i32(b, G(IR_G_R3), n, d);
    ir_gen_mov_i32(b, G(IR_G_R4), keep);
}

static void test_helpers(void **state)
{
    (void)state;
    struct env *e = env_new(false);
    for (int v = 0; v < 3; v++)
        for (unsigned i = 0; i < N32; i++)
            for (unsigned k = 0; k < N32; k++) {
                struct div_case c = { v, v32[i], v32[k] };
                memset(&e->cpu, 0, sizeof(e->cpu));
                e->cpu.r[0] = v32[i];
                e->cpu.r[1] = v32[k];
                run(e, build_div, &c);
                assert_int_equal(e->cpu.r[2], helper_udiv(v32[i], v32[k]));
                assert_int_equal(e->cpu.r[3], helper_sdiv(v32[i], v32[k]));
                assert_int_equal(e->cpu.r[4], v32[i] + v32[k]);
            }
    env_free(e);
}

/* ---- block ends: chaining, jump cache, exits ---- */

#define PC_A 0x2000
#define PC_B 0x3000

/* A: r0 -= 1; r1 += 2; if r0 != 0 goto_tb A else goto_tb B */
static void build_loop_a(struct ir_block *b, const void *arg)
{
    (void)arg;
    uint32_t l = ir_new_label(b);
    ir_gen_sub_i32(b, G(IR_G_R0), G(IR_G_R0), ir_const_i32(b, 1));
    ir_gen_add_i32(b, G(IR_G_R1), G(IR_G_R1), ir_const_i32(b, 2));
    ir_gen_brcond_i32(b, IR_EQ, G(IR_G_R0), ir_const_i32(b, 0), l);
    ir_gen_movi_i32(b, G(IR_G_PC), PC_A);
    ir_gen_goto_tb(b, PC_A);
    ir_gen_set_label(b, l);
    ir_gen_movi_i32(b, G(IR_G_PC), PC_B);
    ir_gen_goto_tb(b, PC_B);
}

/* B: exit with a syscall at PC_B, pc then PC_B + *arg (4 if arg is NULL) */
static void build_exit_b(struct ir_block *b, const void *arg)
{
    b->guest_end = PC_B + 8;            /* two insns: a change at PC_B + 4 is B's too */
    ir_gen_movi_i32(b, G(IR_G_PC), PC_B + (arg ? *(const uint32_t *)arg : 4));
    ir_gen_exit_tb(b, IR_EXIT_SYSCALL);
}

static void test_chaining(void **state)
{
    (void)state;
    for (int no_chain = 0; no_chain < 2; no_chain++) {
        struct env *e = env_new(no_chain);
        uint32_t b_next = 4;
        add_fixed(e, PC_A, build_loop_a, NULL);
        add_fixed(e, PC_B, build_exit_b, &b_next);
        for (int run_i = 0; run_i < 2; run_i++) {
            uint64_t exits0 = jit_stats(e->j)->exits;
            memset(&e->cpu, 0, sizeof(e->cpu));
            e->cpu.r[15] = PC_A;
            e->cpu.r[0] = 1000;
            e->before_calls = 0;
            assert_int_equal(jit_exec(e->j, &e->cpu), IR_EXIT_SYSCALL);
            assert_int_equal(e->cpu.r[0], 0);
            assert_int_equal(e->cpu.r[1], 2000);
            assert_int_equal(e->cpu.r[15], PC_B + 4);
            assert_int_equal(e->cpu.exit_pc, PC_B);
            uint64_t exits = jit_stats(e->j)->exits - exits0;
            if (no_chain) {
                assert_int_equal(exits, 1001);
                assert_int_equal(e->before_calls, 1001);
            } else {
                /* first run: A->A and A->B links; then no return to the dispatcher */
                assert_true(exits <= (run_i == 0 ? 3u : 1u));
            }
        }
        assert_int_equal(e->fixed[0].n, 1);     /* translated once */
        assert_int_equal(e->fixed[1].n, 1);
        assert_int_equal(jit_stats(e->j)->blocks, 2);
        assert_int_equal(jit_stats(e->j)->links, no_chain ? 0 : 2);
        /* invalidation drops the blocks in the range only: A is translated again, B not */
        jit_invalidate(e->j, PC_A, PC_A + 4);
        e->cpu.r[15] = PC_A;
        e->cpu.r[0] = 3;
        assert_int_equal(jit_exec(e->j, &e->cpu), IR_EXIT_SYSCALL);
        assert_int_equal(e->fixed[0].n, 2);
        assert_int_equal(e->fixed[1].n, 1);
        assert_int_equal(jit_stats(e->j)->dropped, 1);
        /* B's code changes: the jump from A that was linked to the old B is unlinked, and
           the new B runs (a stale link would still leave with pc PC_B + 4) */
        b_next = 8;
        jit_invalidate(e->j, PC_B + 2, PC_B + 3);
        e->cpu.r[15] = PC_A;
        e->cpu.r[0] = 3;
        assert_int_equal(jit_exec(e->j, &e->cpu), IR_EXIT_SYSCALL);
        assert_int_equal(e->cpu.r[15], PC_B + 8);
        assert_int_equal(e->fixed[0].n, 2);
        assert_int_equal(e->fixed[1].n, 2);
        assert_int_equal(jit_stats(e->j)->dropped, 2);
        assert_int_equal(jit_stats(e->j)->flushes, 0);
        b_next = 4;
        /* a signal waits (cpu->interrupt): the linked loop leaves at its next block, with
           pc that block's, and goes on where it was once the flag is clear */
        memset(&e->cpu, 0, sizeof(e->cpu));
        e->cpu.r[15] = PC_A;
        e->cpu.r[0] = 1000;
        e->cpu.interrupt = 1;
        assert_int_equal(jit_exec(e->j, &e->cpu), IR_EXIT_INTERRUPT);
        assert_int_equal(e->cpu.r[15], PC_A);
        assert_int_equal(e->cpu.r[0], 1000);
        e->cpu.interrupt = 0;
        assert_int_equal(jit_exec(e->j, &e->cpu), IR_EXIT_SYSCALL);
        assert_int_equal(e->cpu.r[1], 2000);
        env_free(e);
    }
}

#define PC_CALL 0x4000
#define PC_FUNC 0x5000
#define PC_RET  0x4004
#define PC_RETT 0x6000

/* CALL: r0 -= 1; lr = PC_RET; if r0 == 0 exit; goto_tb FUNC (a `bl`) */
static void build_call(struct ir_block *b, const void *arg)
{
    (void)arg;
    uint32_t l = ir_new_label(b);
    ir_gen_sub_i32(b, G(IR_G_R0), G(IR_G_R0), ir_const_i32(b, 1));
    ir_gen_brcond_i32(b, IR_EQ, G(IR_G_R0), ir_const_i32(b, 0), l);
    ir_gen_movi_i32(b, G(IR_G_R14), (uint32_t)(uintptr_t)((const uint32_t *)arg)[0]);
    ir_gen_movi_i32(b, G(IR_G_PC), PC_FUNC);
    ir_gen_goto_tb(b, PC_FUNC);
    ir_gen_set_label(b, l);
    ir_gen_movi_i32(b, G(IR_G_PC), PC_CALL + 8);
    ir_gen_exit_tb(b, IR_EXIT_BKPT);
}

/* FUNC: r2 += 1; bx lr (pc = lr & ~1, thumb = lr & 1; goto_ptr) */
static void build_func(struct ir_block *b, const void *arg)
{
    (void)arg;
    ir_gen_add_i32(b, G(IR_G_R2), G(IR_G_R2), ir_const_i32(b, 1));
    ir_gen_andc_i32(b, G(IR_G_PC), G(IR_G_R14), ir_const_i32(b, 1));
    ir_gen_and_i32(b, G(IR_G_THUMB), G(IR_G_R14), ir_const_i32(b, 1));
    gen_goto_ptr(b);
}

/* RET (ARM or Thumb): r3 += 10; goto_tb CALL (thumb = 0) */
static void build_ret(struct ir_block *b, const void *arg)
{
    (void)arg;
    ir_gen_add_i32(b, G(IR_G_R3), G(IR_G_R3), ir_const_i32(b, 10));
    ir_gen_movi_i32(b, G(IR_G_THUMB), 0);
    ir_gen_movi_i32(b, G(IR_G_PC), PC_CALL);
    ir_gen_goto_tb(b, PC_CALL);
}

static void test_goto_ptr(void **state)
{
    (void)state;
    static const uint32_t lr_arm = PC_RET, lr_thumb = PC_RETT | 1;
    for (int thumb = 0; thumb < 2; thumb++) {
        struct env *e = env_new(false);
        add_fixed(e, PC_CALL, build_call, thumb ? &lr_thumb : &lr_arm);
        add_fixed(e, PC_FUNC, build_func, NULL);
        add_fixed(e, thumb ? PC_RETT : PC_RET, build_ret, NULL);
        memset(&e->cpu, 0, sizeof(e->cpu));
        e->cpu.r[15] = PC_CALL;
        e->cpu.r[0] = 500;
        assert_int_equal(jit_exec(e->j, &e->cpu), IR_EXIT_BKPT);
        assert_int_equal(e->cpu.exit_pc, PC_CALL);
        assert_int_equal(e->cpu.r[2], 499);
        assert_int_equal(e->cpu.r[3], 4990);
        assert_int_equal(e->cpu.thumb, 0);
        /* one miss of the jump cache, three links, the final exit */
        assert_true(jit_stats(e->j)->exits <= 5);
        for (int k = 0; k < 3; k++)
            assert_int_equal(e->fixed[k].n, 1);
        env_free(e);
    }
}

static void build_exit(struct ir_block *b, const void *arg)
{
    enum ir_exit reason = *(const enum ir_exit *)arg;
    ir_gen_insn_start(b, 0x7004);
    ir_gen_movi_i32(b, G(IR_G_R0), 42);
    ir_gen_movi_i32(b, G(IR_G_PC), reason == IR_EXIT_LOOKUP ? PC_B : 0x7008);
    ir_gen_exit_tb(b, reason);
}

static void test_exits(void **state)
{
    (void)state;
    static const enum ir_exit reasons[] = {
        IR_EXIT_SYSCALL, IR_EXIT_UNDEF, IR_EXIT_BKPT, IR_EXIT_FAULT, IR_EXIT_ALIGN,
        IR_EXIT_LOOKUP,
    };
    for (unsigned i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        struct env *e = env_new(false);
        add_fixed(e, 0x7000, build_exit, &reasons[i]);
        add_fixed(e, PC_B, build_exit_b, NULL);
        memset(&e->cpu, 0, sizeof(e->cpu));
        e->cpu.r[15] = 0x7000;
        enum ir_exit got = jit_exec(e->j, &e->cpu);
        assert_int_equal(e->cpu.r[0], 42);
        if (reasons[i] == IR_EXIT_LOOKUP) {     /* handled inside: continues at PC_B */
            assert_int_equal(got, IR_EXIT_SYSCALL);
            assert_int_equal(e->cpu.exit_pc, PC_B);
        } else {
            assert_int_equal(got, reasons[i]);
            assert_int_equal(e->cpu.exit_pc, 0x7004);
            assert_int_equal(e->cpu.r[15], 0x7008);
        }
        env_free(e);
    }
}

/* jit_compile directly, stats, and a block that fills most of a cache flush cycle */
static void test_compile_stats(void **state)
{
    (void)state;
    struct env *e = env_new(false);
    struct ir_block b;
    ir_block_init(&b, 0x9000, false);
    b.n_insns = 3;
    ir_gen_insn_start(&b, 0x9000);
    ir_gen_add_i32(&b, G(IR_G_R0), G(IR_G_R0), ir_const_i32(&b, 1));
    ir_gen_insn_start(&b, 0x9004);
    ir_gen_exit_tb(&b, IR_EXIT_SYSCALL);
    size_t size = 0;
    void *code = jit_compile(e->j, &b, &size);
    assert_non_null(code);
    assert_true(size > 0 && size < 64);
    ir_block_free(&b);
    uint32_t gpc = 0;
    assert_true(jit_guest_pc(e->j, code, &gpc));
    assert_int_equal(gpc, 0x9000);
    assert_true(jit_guest_pc(e->j, (uint8_t *)code + size - 1, &gpc));
    assert_int_equal(gpc, 0x9004);
    assert_false(jit_guest_pc(e->j, (uint8_t *)code + size, &gpc));
    assert_false(jit_guest_pc(e->j, &gpc, &gpc));
    const struct jit_stats *s = jit_stats(e->j);
    assert_int_equal(s->blocks, 1);
    assert_int_equal(s->guest_insns, 3);
    assert_int_equal(s->code_bytes, size);
    /* the compiled block is found by jit_exec without the translate hook */
    memset(&e->cpu, 0, sizeof(e->cpu));
    e->cpu.r[15] = 0x9000;
    assert_int_equal(jit_exec(e->j, &e->cpu), IR_EXIT_SYSCALL);
    assert_int_equal(e->cpu.r[0], 1);
    assert_int_equal(e->translations, 0);
    env_free(e);
}

static int baseline_on(void **state)
{
    (void)state;
    g_baseline = true;
    return 0;
}

static int baseline_off(void **state)
{
    (void)state;
    g_baseline = false;
    return 0;
}

#define BOTH(t) cmocka_unit_test(t), \
                cmocka_unit_test_setup_teardown(t, baseline_on, baseline_off)

int main(void)
{
    gmem = mmap(NULL, GMEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                -1, 0);
    if (gmem == MAP_FAILED || (uintptr_t)gmem + GMEM_SIZE > 0x80000000u)
        return 1;
    const struct CMUnitTest tests[] = {
        BOTH(test_bin_i32),
        BOTH(test_bin_i64),
        BOTH(test_unary),
        cmocka_unit_test(test_concat),
        cmocka_unit_test(test_bitfield),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_double_word),
        cmocka_unit_test(test_memory),
        BOTH(test_atomics),
        cmocka_unit_test(test_atomic_threads),
        BOTH(test_pressure),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_chaining),
        cmocka_unit_test(test_goto_ptr),
        cmocka_unit_test(test_exits),
        cmocka_unit_test(test_compile_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
