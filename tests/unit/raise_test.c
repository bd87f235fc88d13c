/*
 * Raiser tests: hand-built µIR functions raised to an object with raise_program, linked
 * with `cc -shared` (plus stub definitions of the runtime entry points that call back into
 * this test through xl_test_hooks, bound inside the .so with -Bsymbolic so the runtime's
 * own definitions never interpose) and run on a struct cpu with guest memory in the low
 * 2 GiB. Results are checked against values computed by hand / in C.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "lifter/helpers/helpers.h"
#include "lifter/ir/ir.h"
#include "lifter/ir/vec.h"
#include "lifter/llvm/raise.h"
#include "lifter/llvm/raise_internal.h"
#include "runtime/aot.h"

#define MAX_FN 256
#define MAX_BLK 6

/* The program under construction. */
struct tfn {
    struct raise_function rf;
    struct raise_block rb[MAX_BLK];
    struct xl_dblock d[MAX_BLK];
    struct ir_block ir[MAX_BLK];
    uint32_t succ[MAX_BLK][2];
};
static struct tfn *g_fns;
static struct raise_function g_rf[MAX_FN];
static unsigned g_nfns;
static void *g_so;
static char g_dir[64];
static uint8_t *gmem;
#define GMEM_SIZE 0x10000

/* The runtime's AOT entry points, as the .so's stubs forward them. */
struct xl_test_hooks {
    void (*syscall)(struct cpu *);
    void *(*resolve)(struct cpu *);
    void (*exit)(struct cpu *, uint32_t);
    void (*run_until)(struct cpu *, uint32_t, uint32_t);
};
static unsigned n_syscalls, n_resolves, n_exits, last_exit;
/* xl_aot_run_until: what it was asked, and whether it "runs" the guest to the stop (then
   r0 += 1000), else it leaves the state alone (as if the guest went elsewhere). */
static unsigned n_runs;
static uint32_t run_stop, run_sp;
static bool run_reaches;
static uint32_t syscall_divert, syscall_exit_pc;

static void hook_syscall(struct cpu *c)
{
    n_syscalls++;
    syscall_exit_pc = c->exit_pc;
    c->r[0] = 41;
    if (syscall_divert)
        c->r[15] = syscall_divert;
}
static const struct xl_aot_entry *row(uint32_t key);
static void *hook_resolve(struct cpu *c)
{
    n_resolves++;
    const struct xl_aot_entry *e = row(c->r[15] | c->thumb);
    return e ? e->fast : NULL;      /* raised code calls the function itself */
}
static void hook_run_until(struct cpu *c, uint32_t stop_key, uint32_t frame_sp)
{
    n_runs++;
    run_stop = stop_key;
    run_sp = frame_sp;
    if (run_reaches) {
        c->r[0] += 1000;
        c->r[15] = stop_key & ~1u;
        c->thumb = stop_key & 1;
    }
}
static void hook_exit(struct cpu *c, uint32_t reason)
{
    (void)c;
    n_exits++;
    last_exit = reason;
}

static const char stubs_c[] =
    "#include <stdint.h>\n"
    "struct cpu;\n"
    "struct xl_test_hooks { void (*syscall)(struct cpu *); void *(*resolve)(struct cpu *);\n"
    "                       void (*exit)(struct cpu *, uint32_t);\n"
    "                       void (*run)(struct cpu *, uint32_t, uint32_t); } xl_test_hooks;\n"
    "void xl_aot_syscall(struct cpu *c) { xl_test_hooks.syscall(c); }\n"
    "void *xl_aot_resolve(struct cpu *c) { return xl_test_hooks.resolve(c); }\n"
    "void xl_aot_exit(struct cpu *c, uint32_t r) { xl_test_hooks.exit(c, r); }\n"
    "void xl_aot_run_until(struct cpu *c, uint32_t k, uint32_t sp)\n"
    "{ xl_test_hooks.run(c, k, sp); }\n"
    "void (*xl_test_interrupt)(struct cpu *);\n"
    "void xl_aot_interrupt(struct cpu *c) { xl_test_interrupt(c); }\n"
    /* no frame below ever to come back to: a mismatch returns, as before resume existed;
       the last call's arguments are kept */
    "uint32_t xl_test_resume_key, xl_test_resume_sp;\n"
    "int xl_aot_resume(struct cpu *c, uint32_t k, uint32_t sp)\n"
    "{ (void)c; xl_test_resume_key = k; xl_test_resume_sp = sp; return 0; }\n"
    "uint32_t xl_aot_epoch;\n";

/* ---- building ---- */

static struct tfn *new_fn(uint32_t entry, unsigned nblocks)
{
    assert_true(g_nfns < MAX_FN && nblocks <= MAX_BLK);
    struct tfn *f = &g_fns[g_nfns];
    f->rf = (struct raise_function){ .entry = entry, .blocks = f->rb, .nblocks = nblocks };
    g_rf[g_nfns++] = f->rf;
    return f;
}

/* Block i of f at addr, ending `kind` with up to two successors. */
static struct ir_block *blk(struct tfn *f, unsigned i, uint32_t addr, enum xl_dblock_end kind,
                            uint32_t s0, uint32_t s1, uint32_t callee)
{
    struct ir_block *b = &f->ir[i];
    ir_block_init(b, addr & ~1u, addr & 1);
    b->guest_end = (addr & ~1u) + 4;
    f->succ[i][0] = s0;
    f->succ[i][1] = s1;
    f->d[i] = (struct xl_dblock){ .addr = addr & ~1u, .end = b->guest_end, .thumb = addr & 1,
                                  .kind = kind, .callee = callee, .succ = f->succ[i],
                                  .nsucc = s1 ? 2 : s0 ? 1 : 0 };
    f->rb[i] = (struct raise_block){ .d = &f->d[i], .ir = b };
    return b;
}

static ir_temp G(enum ir_global g) { return ir_global(g); }

/* pc = lr; return. */
static void ret_lr(struct ir_block *b)
{
    ir_gen_mov_i32(b, G(IR_G_PC), G(IR_G_R14));
    ir_gen_goto_ptr(b);
}

/* pc = addr; goto_tb addr. */
static void jump(struct ir_block *b, uint32_t addr)
{
    ir_gen_movi_i32(b, G(IR_G_PC), addr);
    ir_gen_goto_tb(b, addr);
}

/* r1 -= 1; on to `again` while r1 != 0, else out to 0x9990 (the loop tests' exit). */
static void count_down_r1(struct ir_block *b, uint32_t again)
{
    uint32_t l = ir_new_label(b);
    ir_gen_sub_i32(b, G(IR_G_R1), G(IR_G_R1), ir_const_i32(b, 1));
    ir_gen_brcond_i32(b, IR_EQ, G(IR_G_R1), ir_const_i32(b, 0), l);
    jump(b, again);
    ir_gen_set_label(b, l);
    jump(b, 0x9990);
}

static void build_and_load(void)
{
    char obj[96], so[96], src[96], cmd[512], err[256];
    snprintf(obj, sizeof(obj), "%s/t.o", g_dir);
    snprintf(so, sizeof(so), "%s/t.so", g_dir);
    snprintf(src, sizeof(src), "%s/stubs.c", g_dir);
    FILE *fp = fopen(src, "w");
    assert_non_null(fp);
    fputs(stubs_c, fp);
    fclose(fp);
    for (unsigned i = 0; i < g_nfns; i++)
        g_rf[i] = g_fns[i].rf;
    struct raise_options o = { .opt_level = 2, .cpu = "x86-64-v2", .jobs = 1 };
    unsigned nfiles = 0;
    int rc = raise_program(g_rf, g_nfns, &o, RAISE_EMIT_OBJ, obj, &nfiles, err, sizeof(err));
    if (rc)
        fail_msg("raise_program: %s", err);
    assert_int_equal(nfiles, 1);
    snprintf(cmd, sizeof(cmd), "cc -shared -fPIC -Wl,-Bsymbolic -o %s %s %s", so, obj, src);
    assert_int_equal(system(cmd), 0);
    g_so = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    if (!g_so)
        fail_msg("dlopen: %s", dlerror());
    struct xl_test_hooks *h = dlsym(g_so, "xl_test_hooks");
    assert_non_null(h);
    *h = (struct xl_test_hooks){ hook_syscall, hook_resolve, hook_exit,
                                        hook_run_until };
}

static const struct xl_aot_entry *row(uint32_t key)
{
    const struct xl_aot_entry *t = dlsym(g_so, "xl_aot_table");
    const uint32_t *n = dlsym(g_so, "xl_aot_count");
    for (uint32_t i = 0; t && n && i < *n; i++)
        if (t[i].key == key)
            return &t[i];
    return NULL;
}

static xl_aot_fn *lookup(uint32_t key)
{
    const struct xl_aot_entry *e = row(key);
    return e ? e->fn : NULL;
}

static xl_aot_fn *fn_at(uint32_t key)
{
    xl_aot_fn *f = lookup(key);
    if (!f)
        fail_msg("no AOT function for %#x", key);
    return f;
}

/* ---- ops against C ---- */

static const uint32_t v32[] = { 0, 1, 2, 31, 32, 33, 63, 0x7fffffff, 0x80000000, 0xffffffff,
                                0x12345678, 0xdeadbeef, 0x8000 };
#define NV (sizeof(v32) / sizeof(v32[0]))
static const uint64_t v64[] = { 0, 1, 63, 64, 65, 0x7fffffffffffffffull, 0x8000000000000000ull,
                                0xffffffffffffffffull, 0x123456789abcdef0ull, 0xffffffffull };
#define NV64 (sizeof(v64) / sizeof(v64[0]))

static uint32_t ror32(uint32_t x, unsigned n) { n &= 31; return n ? x >> n | x << (32 - n) : x; }

static uint64_t ref(enum ir_opc opc, uint64_t x, uint64_t y)
{
    uint32_t a = (uint32_t)x, b = (uint32_t)y;
    switch (opc) {
    case IR_add_i32: return (uint32_t)(a + b);
    case IR_sub_i32: return (uint32_t)(a - b);
    case IR_mul_i32: return (uint32_t)(a * b);
    case IR_and_i32: return a & b;
    case IR_or_i32: return a | b;
    case IR_xor_i32: return a ^ b;
    case IR_andc_i32: return a & ~b;
    case IR_shl_i32: return (uint32_t)(a << (b & 31));
    case IR_shr_i32: return a >> (b & 31);
    case IR_sar_i32: return (uint32_t)((int32_t)a >> (b & 31));
    case IR_rotr_i32: return ror32(a, b);
    case IR_not_i32: return ~a;
    case IR_neg_i32: return -a;
    case IR_clz_i32: return a ? (uint32_t)__builtin_clz(a) : 32;
    case IR_bswap_i32: return __builtin_bswap32(a);
    case IR_ext8s_i32: return (uint32_t)(int32_t)(int8_t)a;
    case IR_ext8u_i32: return (uint8_t)a;
    case IR_ext16s_i32: return (uint32_t)(int32_t)(int16_t)a;
    case IR_ext16u_i32: return (uint16_t)a;
    case IR_add_i64: return x + y;
    case IR_sub_i64: return x - y;
    case IR_mul_i64: return x * y;
    case IR_and_i64: return x & y;
    case IR_or_i64: return x | y;
    case IR_xor_i64: return x ^ y;
    case IR_shl_i64: return x << (y & 63);
    case IR_shr_i64: return x >> (y & 63);
    case IR_sar_i64: return (uint64_t)((int64_t)x >> (y & 63));
    case IR_ext_i32_i64: return (uint64_t)(int64_t)(int32_t)a;
    case IR_extu_i32_i64: return a;
    case IR_extrl_i64_i32: return (uint32_t)x;
    case IR_extrh_i64_i32: return (uint32_t)(x >> 32);
    case IR_concat_i32_i64: return (uint64_t)a | (uint64_t)b << 32;
    default: fail_msg("no reference for %s", ir_op_info[opc].name);
    }
    return 0;
}

static const enum ir_opc bin32[] = { IR_add_i32, IR_sub_i32, IR_mul_i32, IR_and_i32, IR_or_i32,
    IR_xor_i32, IR_andc_i32, IR_shl_i32, IR_shr_i32, IR_sar_i32, IR_rotr_i32 };
static const enum ir_opc un32[] = { IR_not_i32, IR_neg_i32, IR_clz_i32, IR_bswap_i32,
    IR_ext8s_i32, IR_ext8u_i32, IR_ext16s_i32, IR_ext16u_i32 };
static const enum ir_opc bin64[] = { IR_add_i64, IR_sub_i64, IR_mul_i64, IR_and_i64, IR_or_i64,
    IR_xor_i64, IR_shl_i64, IR_shr_i64, IR_sar_i64 };
/* Mixed-width: in types from verify.c ("qw", "wq", "qww"). */
static const enum ir_opc conv[] = { IR_ext_i32_i64, IR_extu_i32_i64, IR_extrl_i64_i32,
    IR_extrh_i64_i32, IR_concat_i32_i64 };

#define A_BIN32 0x10000
#define A_UN32 0x11000
#define A_BIN64 0x12000
#define A_CONV 0x13000
#define A_SETC 0x14000
#define A_MOVC 0x15000
#define A_BRC 0x16000
#define A_BF 0x17000

/* out = op(in1, in2) on globals; constant second operands in a second variant. */
static void def_op(uint32_t addr, enum ir_opc opc, uint64_t *args)
{
    struct tfn *f = new_fn(addr, 1);
    struct ir_block *b = blk(f, 0, addr, XL_END_RETURN, 0, 0, 0);
    ir_emit(b, opc, args);
    ret_lr(b);
}

static struct cpu cpu_init(void)
{
    struct cpu c;
    memset(&c, 0, sizeof(c));
    c.r[14] = 0x8888;
    return c;
}

static void test_i32_ops(void **state)
{
    (void)state;
    for (unsigned k = 0; k < sizeof(bin32) / sizeof(bin32[0]); k++) {
        xl_aot_fn *f = fn_at(A_BIN32 + k * 16);
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++) {
                struct cpu c = cpu_init();
                c.r[1] = v32[i];
                c.r[2] = v32[j];
                c.r[5] = 0x5555;
                f(&c);
                if (c.r[0] != ref(bin32[k], v32[i], v32[j]))
                    fail_msg("%s(%#x, %#x) = %#x", ir_op_info[bin32[k]].name, v32[i], v32[j],
                             c.r[0]);
                assert_int_equal(c.r[15], 0x8888);
                assert_int_equal(c.r[5], 0x5555);
            }
    }
    for (unsigned k = 0; k < sizeof(un32) / sizeof(un32[0]); k++) {
        xl_aot_fn *f = fn_at(A_UN32 + k * 16);
        for (unsigned i = 0; i < NV; i++) {
            struct cpu c = cpu_init();
            c.r[1] = v32[i];
            f(&c);
            if (c.r[0] != ref(un32[k], v32[i], 0))
                fail_msg("%s(%#x) = %#x", ir_op_info[un32[k]].name, v32[i], c.r[0]);
        }
    }
}

static void test_i64_ops(void **state)
{
    (void)state;
    for (unsigned k = 0; k < sizeof(bin64) / sizeof(bin64[0]); k++) {
        xl_aot_fn *f = fn_at(A_BIN64 + k * 16);
        for (unsigned i = 0; i < NV64; i++)
            for (unsigned j = 0; j < NV64; j++) {
                struct cpu c = cpu_init();
                c.d[1] = v64[i];
                c.d[2] = v64[j];
                f(&c);
                if (c.d[0] != ref(bin64[k], v64[i], v64[j]))
                    fail_msg("%s(%#lx, %#lx)", ir_op_info[bin64[k]].name, v64[i], v64[j]);
            }
    }
    for (unsigned k = 0; k < sizeof(conv) / sizeof(conv[0]); k++) {
        xl_aot_fn *f = fn_at(A_CONV + k * 16);
        for (unsigned i = 0; i < NV64; i++) {
            struct cpu c = cpu_init();
            c.d[1] = v64[i];
            c.r[1] = (uint32_t)v64[i];
            c.r[2] = (uint32_t)(v64[i] * 3 >> 7);
            f(&c);
            bool wide_out = conv[k] != IR_extrl_i64_i32 && conv[k] != IR_extrh_i64_i32;
            uint64_t x = conv[k] == IR_extrl_i64_i32 || conv[k] == IR_extrh_i64_i32
                       ? v64[i] : c.r[1];
            uint64_t want = ref(conv[k], x, c.r[2]);
            assert_int_equal(wide_out ? c.d[0] : c.r[0], want);
        }
    }
}

/* 64-bit products and carries: mulu2/muls2 into r0:r3, add2/sub2 of (r1,r2)+(r5,r6). */
#define A_WIDE 0x18000
static void def_wide(void)
{
    static const enum ir_opc ops[] = { IR_mulu2_i32, IR_muls2_i32, IR_add2_i32, IR_sub2_i32 };
    for (unsigned k = 0; k < 4; k++) {
        uint64_t a2[] = { G(IR_G_R0), G(IR_G_R3), G(IR_G_R1), G(IR_G_R2) };
        uint64_t a4[] = { G(IR_G_R0), G(IR_G_R3), G(IR_G_R1), G(IR_G_R2), G(IR_G_R5),
                          G(IR_G_R6) };
        def_op(A_WIDE + k * 16, ops[k], k < 2 ? a2 : a4);
    }
}

static void test_wide(void **state)
{
    (void)state;
    for (unsigned k = 0; k < 4; k++) {
        xl_aot_fn *f = fn_at(A_WIDE + k * 16);
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++) {
                struct cpu c = cpu_init();
                uint32_t a = v32[i], b = v32[j];
                c.r[1] = a;
                c.r[2] = b;
                c.r[5] = b ^ 0x5a5a5a5a;
                c.r[6] = a + 7;
                f(&c);
                uint64_t want;
                uint64_t x = (uint64_t)b << 32 | a, y = (uint64_t)c.r[6] << 32 | c.r[5];
                switch (k) {
                case 0: want = (uint64_t)a * b; break;
                case 1: want = (uint64_t)((int64_t)(int32_t)a * (int32_t)b); break;
                case 2: want = x + y; break;
                default: want = x - y; break;
                }
                assert_int_equal(c.r[0], (uint32_t)want);
                assert_int_equal(c.r[3], (uint32_t)(want >> 32));
            }
    }
}

/* The expected values come from the reference interpreter's condition semantics. */

/* brcond cond r1, r2 -> L; r0 = 10; br L2; L: r0 = 20 + r0; L2: r4 = r0 + 1; return */
static void def_brcond(uint32_t addr, enum ir_cond cond)
{
    struct tfn *f = new_fn(addr, 1);
    struct ir_block *b = blk(f, 0, addr, XL_END_RETURN, 0, 0, 0);
    uint32_t l = ir_new_label(b), l2 = ir_new_label(b);
    ir_gen_brcond_i32(b, cond, G(IR_G_R1), G(IR_G_R2), l);
    ir_gen_movi_i32(b, G(IR_G_R0), 10);
    ir_gen_br(b, l2);
    ir_gen_set_label(b, l);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), ir_const_i32(b, 20));
    ir_gen_set_label(b, l2);
    ir_gen_add_i32(b, G(IR_G_R4), G(IR_G_R0), ir_const_i32(b, 1));
    ret_lr(b);
}

static void test_conds(void **state)
{
    (void)state;
    for (unsigned k = 0; k < IR_NUM_CONDS; k++) {
        xl_aot_fn *fs = fn_at(A_SETC + k * 16), *fm = fn_at(A_MOVC + k * 16);
        xl_aot_fn *fb = fn_at(A_BRC + k * 16);
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++) {
                bool t = ir_cond_holds((enum ir_cond)k, v32[i], v32[j]);
                struct cpu c = cpu_init();
                c.r[1] = v32[i];
                c.r[2] = v32[j];
                c.r[0] = 0xffff;
                fs(&c);
                assert_int_equal(c.r[0], t);
                c.r[3] = 111;
                c.r[4] = 222;
                fm(&c);
                assert_int_equal(c.r[0], t ? 111 : 222);
                c.r[0] = 5;
                fb(&c);
                assert_int_equal(c.r[0], t ? 25 : 10);
                assert_int_equal(c.r[4], t ? 26 : 11);
            }
    }
}

/* extract/sextract/deposit with a few (pos, len), and constants as operands. */
static const unsigned bf[][2] = { { 0, 8 }, { 4, 12 }, { 31, 1 }, { 0, 32 }, { 8, 24 }, { 3, 5 } };
#define NBF (sizeof(bf) / sizeof(bf[0]))
static void def_bitfields(void)
{
    for (unsigned k = 0; k < NBF; k++) {
        struct tfn *f = new_fn(A_BF + k * 16, 1);
        struct ir_block *b = blk(f, 0, A_BF + k * 16, XL_END_RETURN, 0, 0, 0);
        ir_gen_extract_i32(b, G(IR_G_R0), G(IR_G_R1), bf[k][0], bf[k][1]);
        ir_gen_sextract_i32(b, G(IR_G_R3), G(IR_G_R1), bf[k][0], bf[k][1]);
        ir_gen_deposit_i32(b, G(IR_G_R4), G(IR_G_R1), G(IR_G_R2), bf[k][0], bf[k][1]);
        ir_gen_deposit_i32(b, G(IR_G_R5), G(IR_G_R2), ir_const_i32(b, 0xabcdef), bf[k][0],
                           bf[k][1]);
        ret_lr(b);
    }
}

static void test_bitfields(void **state)
{
    (void)state;
    for (unsigned k = 0; k < NBF; k++) {
        xl_aot_fn *f = fn_at(A_BF + k * 16);
        unsigned pos = bf[k][0], len = bf[k][1];
        uint32_t mask = len == 32 ? ~0u : ((1u << len) - 1);
        for (unsigned i = 0; i < NV; i++) {
            struct cpu c = cpu_init();
            uint32_t a = v32[i], b = v32[(i + 3) % NV];
            c.r[1] = a;
            c.r[2] = b;
            f(&c);
            uint32_t u = (a >> pos) & mask;
            uint32_t s = len == 32 ? a : (uint32_t)((int32_t)(a << (32 - pos - len)) >> (32 - len));
            assert_int_equal(c.r[0], u);
            assert_int_equal(c.r[3], s);
            assert_int_equal(c.r[4], (a & ~(mask << pos)) | ((b & mask) << pos));
            assert_int_equal(c.r[5], (b & ~(mask << pos)) | ((0xabcdefu & mask) << pos));
        }
    }
}

/* Loads and stores: sizes, signs, unaligned, i64, a local temp, and a store that must not
   clobber registers (the alias scopes). */
#define A_MEM 0x20000
static void def_mem(void)
{
    struct tfn *f = new_fn(A_MEM, 1);
    struct ir_block *b = blk(f, 0, A_MEM, XL_END_RETURN, 0, 0, 0);
    ir_temp t = ir_new_i32(b), a = ir_new_i32(b);
    ir_gen_ld_i32(b, G(IR_G_R0), G(IR_G_R1), IR_MO_32);
    ir_gen_addi_i32(b, a, G(IR_G_R1), 5);                         /* unaligned */
    ir_gen_ld_i32(b, G(IR_G_R2), a, IR_MO_8 | IR_MO_SIGN);
    ir_gen_ld_i32(b, G(IR_G_R3), a, IR_MO_16);
    ir_gen_ld_i32(b, G(IR_G_R4), a, IR_MO_16 | IR_MO_SIGN);
    ir_gen_ld_i32(b, t, a, IR_MO_32);
    ir_gen_st_i32(b, t, G(IR_G_R6), IR_MO_32);
    ir_gen_st_i32(b, G(IR_G_R0), G(IR_G_R7), IR_MO_16);
    ir_gen_ld_i64(b, G(IR_G_D0), G(IR_G_R1), IR_MO_64);
    ir_gen_ld_i64(b, G(IR_G_D1), G(IR_G_R1), IR_MO_32 | IR_MO_SIGN);
    ir_gen_st_i64(b, G(IR_G_D0), G(IR_G_R8), IR_MO_64);
    ir_gen_st_i64(b, G(IR_G_D0), G(IR_G_R9), IR_MO_8);
    ir_gen_mb(b);
    ir_gen_ld_i32(b, G(IR_G_R5), G(IR_G_R6), IR_MO_8);             /* reads the store back */
    ret_lr(b);
}

static void test_mem(void **state)
{
    (void)state;
    memset(gmem, 0, GMEM_SIZE);
    uint32_t base = (uint32_t)(uintptr_t)gmem;
    static const uint8_t bytes[] = { 0x11, 0x22, 0x33, 0x84, 0x55, 0x96, 0xf7, 0x88, 0x99, 0xaa };
    memcpy(gmem + 0x100, bytes, sizeof(bytes));
    struct cpu c = cpu_init();
    c.r[1] = base + 0x100;
    c.r[6] = base + 0x201;
    c.r[7] = base + 0x303;
    c.r[8] = base + 0x405;
    c.r[9] = base + 0x500;
    gmem[0x501] = 0xee;
    fn_at(A_MEM)(&c);
    assert_int_equal(c.r[0], 0x84332211);
    assert_int_equal(c.r[2], 0xffffff96);
    assert_int_equal(c.r[3], 0xf796);
    assert_int_equal(c.r[4], 0xfffff796);
    uint32_t w;
    memcpy(&w, gmem + 0x201, 4);
    assert_int_equal(w, 0x9988f796);
    assert_int_equal(gmem[0x303], 0x11);
    assert_int_equal(gmem[0x304], 0x22);
    assert_int_equal(gmem[0x305], 0);
    assert_int_equal(c.d[0], 0x88f7965584332211ull);
    assert_int_equal(c.d[1], 0xffffffff84332211ull);
    uint64_t q;
    memcpy(&q, gmem + 0x405, 8);
    assert_int_equal(q, c.d[0]);
    assert_int_equal(gmem[0x500], 0x11);
    assert_int_equal(gmem[0x501], 0xee);
    assert_int_equal(c.r[5], 0x96);
    assert_int_equal(c.r[15], 0x8888);
}

/* Atomics: cmpxchg at 8, 16, 32 and 64 bits that match or not, xchg; the same block as
   interp_test's test_atomics, so the same values. */
#define A_ATOM 0x23000
#define A_ATOM_INC 0x23100
#define A_ATOM_LOCK 0x23200
static void def_atomics(void)
{
    struct tfn *f = new_fn(A_ATOM, 1);
    struct ir_block *b = blk(f, 0, A_ATOM, XL_END_RETURN, 0, 0, 0);
    ir_temp base = G(IR_G_R12);
    ir_temp a8 = ir_new_i32(b), a16 = ir_new_i32(b), a32 = ir_new_i32(b), a64 = ir_new_i32(b);
    ir_gen_addi_i32(b, a8, base, 0x01);
    ir_gen_addi_i32(b, a16, base, 0x12);
    ir_gen_addi_i32(b, a32, base, 0x24);
    ir_gen_addi_i32(b, a64, base, 0x38);
    ir_gen_cmpxchg_i32(b, G(IR_G_R0), a8, ir_const_i32(b, 0x1f0), ir_const_i32(b, 0x35a),
                       IR_MO_8);
    ir_gen_cmpxchg_i32(b, G(IR_G_R1), a16, ir_const_i32(b, 0x1234), ir_const_i32(b, 0x7777),
                       IR_MO_16);
    ir_gen_cmpxchg_i32(b, G(IR_G_R2), a32, G(IR_G_R4), G(IR_G_R5), IR_MO_32);
    ir_gen_cmpxchg_i32(b, G(IR_G_R3), a32, G(IR_G_R4), ir_const_i32(b, 0), IR_MO_32);
    ir_gen_cmpxchg_i64(b, G(IR_G_D0), a64, G(IR_G_D1), G(IR_G_D2));
    ir_gen_cmpxchg_i64(b, G(IR_G_D3), a64, G(IR_G_D1), G(IR_G_D2));
    ir_gen_xchg_i32(b, G(IR_G_R6), a8, ir_const_i32(b, 0x1ff), IR_MO_8);
    ir_gen_xchg_i32(b, G(IR_G_R7), a16, G(IR_G_R5), IR_MO_16);
    ir_gen_xchg_i32(b, G(IR_G_R8), base, G(IR_G_R4), IR_MO_32);
    ret_lr(b);

    /* One attempt at [r0] += 1 by load and cmpxchg; r1 += 1 when it took. */
    f = new_fn(A_ATOM_INC, 1);
    b = blk(f, 0, A_ATOM_INC, XL_END_RETURN, 0, 0, 0);
    ir_temp old = ir_new_i32(b), new = ir_new_i32(b), got = ir_new_i32(b), ok = ir_new_i32(b);
    ir_gen_ld_i32(b, old, G(IR_G_R0), IR_MO_32);
    ir_gen_addi_i32(b, new, old, 1);
    ir_gen_cmpxchg_i32(b, got, G(IR_G_R0), old, new, IR_MO_32);
    ir_gen_setcond_i32(b, IR_EQ, ok, got, old);
    ir_gen_add_i32(b, G(IR_G_R1), G(IR_G_R1), ok);
    ret_lr(b);

    /* if (xchg([r0 + 4], 1) == 0) { [r0 + 8] += 1, plain; mb; [r0 + 4] = 0; r1 += 1 } */
    f = new_fn(A_ATOM_LOCK, 1);
    b = blk(f, 0, A_ATOM_LOCK, XL_END_RETURN, 0, 0, 0);
    ir_temp lock = ir_new_i32(b), cnt = ir_new_i32(b), t = ir_new_i32(b), v = ir_new_i32(b);
    uint32_t busy = ir_new_label(b);
    ir_gen_addi_i32(b, lock, G(IR_G_R0), 4);
    ir_gen_addi_i32(b, cnt, G(IR_G_R0), 8);
    ir_gen_xchg_i32(b, t, lock, ir_const_i32(b, 1), IR_MO_32);
    ir_gen_brcond_i32(b, IR_NE, t, ir_const_i32(b, 0), busy);
    ir_gen_ld_i32(b, v, cnt, IR_MO_32);
    ir_gen_addi_i32(b, v, v, 1);
    ir_gen_st_i32(b, v, cnt, IR_MO_32);
    ir_gen_mb(b);               /* LLVM may not sink the plain store past this */
    ir_gen_st_i32(b, ir_const_i32(b, 0), lock, IR_MO_32);
    ir_gen_addi_i32(b, G(IR_G_R1), G(IR_G_R1), 1);
    ir_gen_set_label(b, busy);
    ret_lr(b);
}

static void test_atomics(void **state)
{
    (void)state;
    uint8_t *m = gmem + 0x800;
    memset(m, 0, 0x40);
    uint16_t h = 0xfedc;
    uint32_t w = 0x89abcdef, w0 = 0x01020304;
    uint64_t q = 0x8877665544332211ull;
    memcpy(m + 0x12, &h, 2);
    memcpy(m + 0x24, &w, 4);
    memcpy(m + 0x38, &q, 8);
    memcpy(m, &w0, 4);
    m[0x01] = 0xf0;
    struct cpu c = cpu_init();
    c.r[4] = 0x89abcdef;
    c.r[5] = 0x13572468;
    c.r[12] = (uint32_t)(uintptr_t)m;
    c.d[1] = q;
    c.d[2] = 0x0123456789abcdefull;
    fn_at(A_ATOM)(&c);
    assert_int_equal(c.r[0], 0xf0);
    assert_int_equal(c.r[1], 0xfedc);
    assert_int_equal(c.r[2], 0x89abcdef);
    assert_int_equal(c.r[3], 0x13572468);
    assert_int_equal(c.d[0], q);
    assert_int_equal(c.d[3], 0x0123456789abcdefull);
    assert_int_equal(c.r[6], 0x5a);
    assert_int_equal(c.r[7], 0xfedc);
    assert_int_equal(c.r[8], 0x0102ff04);
    assert_int_equal(c.r[15], 0x8888);
    memcpy(&w, m, 4);
    assert_int_equal(w, 0x89abcdef);
    memcpy(&h, m + 0x12, 2);
    assert_int_equal(h, 0x2468);
    memcpy(&w, m + 0x24, 4);
    assert_int_equal(w, 0x13572468);
    memcpy(&q, m + 0x38, 8);
    assert_int_equal(q, 0x0123456789abcdefull);
    assert_int_equal(m[0x14], 0);
}

/* The raised cmpxchg and xchg from 4 host threads at once: no increment is lost. */
#define RAISE_THREADS 4
#define RAISE_N 50000

struct raise_thread {
    struct cpu inc, locked;
};

static void *raise_thread(void *arg)
{
    struct raise_thread *t = arg;
    xl_aot_fn *inc = lookup(A_ATOM_INC), *locked = lookup(A_ATOM_LOCK);
    while (t->inc.r[1] < RAISE_N || t->locked.r[1] < RAISE_N) {
        if (t->inc.r[1] < RAISE_N)
            inc(&t->inc);
        if (t->locked.r[1] < RAISE_N)
            locked(&t->locked);
    }
    return NULL;
}

static void test_atomic_threads(void **state)
{
    (void)state;
    uint8_t *m = gmem + 0x1000;     /* word at 0, lock at 4, counter at 8 */
    memset(m, 0, 16);
    assert_non_null(lookup(A_ATOM_INC));
    assert_non_null(lookup(A_ATOM_LOCK));
    struct raise_thread t[RAISE_THREADS];
    pthread_t tid[RAISE_THREADS];
    for (int i = 0; i < RAISE_THREADS; i++) {
        t[i].inc = t[i].locked = cpu_init();
        t[i].inc.r[0] = t[i].locked.r[0] = (uint32_t)(uintptr_t)m;
    }
    for (int i = 0; i < RAISE_THREADS; i++)
        assert_int_equal(pthread_create(&tid[i], NULL, raise_thread, &t[i]), 0);
    for (int i = 0; i < RAISE_THREADS; i++)
        assert_int_equal(pthread_join(tid[i], NULL), 0);
    uint32_t w[3];
    memcpy(w, m, sizeof(w));
    assert_int_equal(w[0], RAISE_THREADS * RAISE_N);
    assert_int_equal(w[1], 0);
    assert_int_equal(w[2], RAISE_THREADS * RAISE_N);
}

static int n_interrupts;
static uint32_t interrupt_r1, interrupt_pc;
static void hook_interrupt(struct cpu *c)
{
    n_interrupts++;
    interrupt_r1 = c->r[1];
    interrupt_pc = c->r[15];
    c->interrupt = 0;           /* as the runtime does before it delivers */
}

/* A helper call (udiv, sdiv) and a loop over two blocks (goto_tb back edge, where a
   pending signal is delivered). */
#define A_DIV 0x21000
#define A_LOOP 0x22000
static void def_div_loop(void)
{
    struct tfn *f = new_fn(A_DIV, 1);
    struct ir_block *b = blk(f, 0, A_DIV, XL_END_RETURN, 0, 0, 0);
    ir_gen_divu_i32(b, G(IR_G_R0), G(IR_G_R1), G(IR_G_R2));
    ir_gen_divs_i32(b, G(IR_G_R3), G(IR_G_R1), G(IR_G_R2));
    ret_lr(b);

    /* A: r0 = 0; goto B.  B: r0 += r1; r1 -= 1; if r1 != 0 goto B; else pc = 0x9990 (out). */
    f = new_fn(A_LOOP, 2);
    b = blk(f, 0, A_LOOP, XL_END_FALL, A_LOOP + 4, 0, 0);
    ir_gen_movi_i32(b, G(IR_G_R0), 0);
    jump(b, A_LOOP + 4);
    b = blk(f, 1, A_LOOP + 4, XL_END_COND, A_LOOP + 4, 0x9990, 0);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), G(IR_G_R1));
    count_down_r1(b, A_LOOP + 4);
}

static void test_div_loop(void **state)
{
    (void)state;
    static const uint32_t cases[][4] = {    /* n, d, udiv, sdiv */
        { 100, 7, 14, 14 }, { 5, 0, 0, 0 }, { 0x80000000, 0xffffffff, 0, 0x80000000 },
        { 0xfffffff6, 3, 0x55555552, 0xfffffffd }, { 0, 0, 0, 0 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cpu c = cpu_init();
        c.r[1] = cases[i][0];
        c.r[2] = cases[i][1];
        fn_at(A_DIV)(&c);
        assert_int_equal(c.r[0], cases[i][2]);
        assert_int_equal(c.r[3], cases[i][3]);
    }
    struct cpu c = cpu_init();
    c.r[1] = 100;
    fn_at(A_LOOP)(&c);
    assert_int_equal(c.r[0], 5050);
    assert_int_equal(c.r[1], 0);
    assert_int_equal(c.r[15], 0x9990);
    assert_int_equal(n_interrupts, 0);

    /* A signal waits (cpu->interrupt): the back edge calls xl_aot_interrupt once, with
       the loop's state in struct cpu and pc at the loop head, and the loop goes on. */
    void (**hook)(struct cpu *) = dlsym(g_so, "xl_test_interrupt");
    assert_non_null(hook);
    *hook = hook_interrupt;
    c = cpu_init();
    c.r[1] = 100;
    c.interrupt = 1;
    fn_at(A_LOOP)(&c);
    assert_int_equal(n_interrupts, 1);
    assert_int_equal(interrupt_r1, 99);         /* after the first turn */
    assert_int_equal(interrupt_pc, A_LOOP + 4);
    assert_int_equal(c.r[0], 5050);
    assert_int_equal(c.r[15], 0x9990);
}

/*
 * Calls. Caller (A_CALL): lr = ret; pc = callee; goto_tb callee | ret: r0 += 100; return.
 * Callee 0x31000 returns to lr; callee 0x31100 "returns" to 0x5000 (the check fails);
 * callee 0x31200 is left to the JIT (not raised: the caller returns with pc = it).
 */
#define A_CALL 0x30000
#define A_CALLEE 0x31000
#define A_ICALL 0x32000
#define A_SVC 0x33000
#define A_UNDEF 0x34000
#define A_BAD 0x35000
#define A_TAIL 0x36000
#define A_IND 0x37000
static void def_caller(uint32_t addr, uint32_t callee)
{
    struct tfn *f = new_fn(addr, 2);
    struct ir_block *b = blk(f, 0, addr, XL_END_CALL, addr + 4, 0, callee);
    ir_gen_movi_i32(b, G(IR_G_R14), addr + 4);
    ir_gen_movi_i32(b, G(IR_G_PC), callee);
    ir_gen_goto_tb(b, callee);
    b = blk(f, 1, addr + 4, XL_END_RETURN, 0, 0, 0);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), ir_const_i32(b, 100));
    ir_gen_movi_i32(b, G(IR_G_PC), 0x7770);
    ir_gen_goto_ptr(b);
}

static void def_calls(void)
{
    def_caller(A_CALL, A_CALLEE);
    def_caller(A_CALL + 0x100, A_CALLEE + 0x100);
    def_caller(A_CALL + 0x200, A_CALLEE + 0x200);
    struct tfn *f = new_fn(A_CALLEE, 1);
    struct ir_block *b = blk(f, 0, A_CALLEE, XL_END_RETURN, 0, 0, 0);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), G(IR_G_R0));
    ret_lr(b);
    f = new_fn(A_CALLEE + 0x100, 1);    /* as a longjmp: sp moves up, registers change */
    b = blk(f, 0, A_CALLEE + 0x100, XL_END_RETURN, 0, 0, 0);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), G(IR_G_R0));
    ir_gen_add_i32(b, G(IR_G_R13), G(IR_G_R13), ir_const_i32(b, 0x40));
    ir_gen_movi_i32(b, G(IR_G_R4), 7);
    ir_gen_movi_i32(b, G(IR_G_R9), 5);
    ir_gen_movi_i32(b, G(IR_G_PC), 0x5000);
    ir_gen_goto_ptr(b);

    /* blx r3: lr = ret; pc = r3; goto_ptr | ret: r0 += 1; return. */
    f = new_fn(A_ICALL, 2);
    b = blk(f, 0, A_ICALL, XL_END_CALL_IND, A_ICALL + 4, 0, 0);
    ir_gen_movi_i32(b, G(IR_G_R14), A_ICALL + 4);
    ir_gen_mov_i32(b, G(IR_G_PC), G(IR_G_R3));
    ir_gen_goto_ptr(b);
    b = blk(f, 1, A_ICALL + 4, XL_END_RETURN, 0, 0, 0);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), ir_const_i32(b, 1));
    ir_gen_movi_i32(b, G(IR_G_PC), 0x7770);
    ir_gen_goto_ptr(b);

    /* svc: r7 = 1; pc = next; exit_tb(SYSCALL) | next: r0 += 1; return. */
    f = new_fn(A_SVC, 2);
    b = blk(f, 0, A_SVC, XL_END_EXIT, A_SVC + 4, 0, 0);
    ir_gen_movi_i32(b, G(IR_G_R7), 1);
    ir_gen_movi_i32(b, G(IR_G_PC), A_SVC + 4);
    ir_gen_exit_tb(b, IR_EXIT_SYSCALL);
    b = blk(f, 1, A_SVC + 4, XL_END_RETURN, 0, 0, 0);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), ir_const_i32(b, 1));
    ret_lr(b);

    /* undefined insn: exit_tb(UNDEF). */
    f = new_fn(A_UNDEF | 1, 1);
    b = blk(f, 0, A_UNDEF | 1, XL_END_EXIT, 0, 0, 0);
    ir_gen_insn_start(b, A_UNDEF + 2);
    ir_gen_movi_i32(b, G(IR_G_R2), 77);
    ir_gen_movi_i32(b, G(IR_G_PC), A_UNDEF + 2);
    ir_gen_exit_tb(b, IR_EXIT_UNDEF);

    /* A tail call to another function (b A_CALLEE): pc written, then call + ret. */
    f = new_fn(A_TAIL, 1);
    b = blk(f, 0, A_TAIL, XL_END_JUMP, A_CALLEE, 0, 0);
    ir_gen_movi_i32(b, G(IR_G_PC), A_CALLEE);
    ir_gen_goto_tb(b, A_CALLEE);

    /* A computed jump (mov pc, r3) that no block of the function is known for: a nested
       run to the entry lr, then ret. Called by A_CALL + 0x300. */
    def_caller(A_CALL + 0x300, A_IND);
    f = new_fn(A_IND, 1);
    b = blk(f, 0, A_IND, XL_END_INDIRECT, 0, 0, 0);
    ir_gen_movi_i32(b, G(IR_G_R13), 0x9000);
    ir_gen_mov_i32(b, G(IR_G_PC), G(IR_G_R3));
    ir_gen_goto_ptr(b);

    /* A function the raiser must refuse: a branch to a label that is never placed. */
    f = new_fn(A_BAD, 1);
    b = blk(f, 0, A_BAD, XL_END_RETURN, 0, 0, 0);
    ir_gen_br(b, ir_new_label(b));
    ret_lr(b);
}

/* Calls to a callee that writes r1 before reading it (the caller need not store its r1
   first: raise_dead_on_entry) and to one that reads it first. Each caller sets r1 = 5,
   calls, then adds r1 to r0. */
#define A_DEAD 0x39000
static void def_dead(void)
{
    for (uint32_t k = 0; k < 2; k++) {
        uint32_t caller = A_DEAD + k * 0x10, callee = A_DEAD + 0x100 * (k + 1);
        struct tfn *f = new_fn(caller, 2);
        struct ir_block *b = blk(f, 0, caller, XL_END_CALL, caller + 4, 0, callee);
        ir_gen_movi_i32(b, G(IR_G_R1), 5);
        ir_gen_movi_i32(b, G(IR_G_R14), caller + 4);
        ir_gen_movi_i32(b, G(IR_G_PC), callee);
        ir_gen_goto_tb(b, callee);
        b = blk(f, 1, caller + 4, XL_END_RETURN, 0, 0, 0);
        ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), G(IR_G_R1));
        ir_gen_movi_i32(b, G(IR_G_PC), 0x7770);
        ir_gen_goto_ptr(b);
    }
    struct tfn *f = new_fn(A_DEAD + 0x100, 1);      /* r1 = 7; r0 += r1 */
    struct ir_block *b = blk(f, 0, A_DEAD + 0x100, XL_END_RETURN, 0, 0, 0);
    ir_gen_movi_i32(b, G(IR_G_R1), 7);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), G(IR_G_R1));
    ret_lr(b);
    f = new_fn(A_DEAD + 0x200, 1);                  /* r0 += r1; r1 = 7 */
    b = blk(f, 0, A_DEAD + 0x200, XL_END_RETURN, 0, 0, 0);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), G(IR_G_R1));
    ir_gen_movi_i32(b, G(IR_G_R1), 7);
    ret_lr(b);
}

static void test_dead_on_entry(void **state)
{
    (void)state;
    uint64_t dead[2] = { 0, 0 };
    for (unsigned i = 0; i < g_nfns; i++)
        for (uint32_t k = 0; k < 2; k++)
            if (g_rf[i].entry == A_DEAD + 0x100 * (k + 1))
                dead[k] = raise_dead_on_entry(&g_rf[i]);
    /* r1 only: pc is written before its read too, but always stored (the runtime resumes
       from it if the callee was not raised). */
    assert_int_equal(dead[0], 1ull << IR_G_R1);
    assert_int_equal(dead[1], 0);

    struct cpu c = cpu_init();
    c.r[0] = 1;
    fn_at(A_DEAD)(&c);
    assert_int_equal(c.r[0], 1 + 7 + 7);
    assert_int_equal(c.r[1], 7);
    assert_int_equal(c.r[15], 0x7770);
    c = cpu_init();
    c.r[0] = 1;
    fn_at(A_DEAD + 0x10)(&c);
    assert_int_equal(c.r[0], 1 + 5 + 7);
    assert_int_equal(c.r[1], 7);
}

/* A computed jump over five ARM targets (a table of block addresses,
   raise_flow.c dispatch_table): each target sets r0 to its number and returns. */
#define A_TABLE 0x38000
static uint32_t table_succ[] = { A_TABLE + 0x10, A_TABLE + 0x18, A_TABLE + 0x40,
                                 A_TABLE + 0x44, A_TABLE + 0x100 };
static void def_table(void)
{
    struct tfn *f = new_fn(A_TABLE, 6);
    struct ir_block *b = blk(f, 0, A_TABLE, XL_END_TABLE, 0, 0, 0);
    f->d[0].succ = table_succ;
    f->d[0].nsucc = 5;
    ir_gen_mov_i32(b, G(IR_G_PC), G(IR_G_R3));
    ir_gen_mov_i32(b, G(IR_G_THUMB), G(IR_G_R2));   /* the state the jump goes to */
    ir_gen_goto_ptr(b);
    for (unsigned i = 0; i < 5; i++) {
        b = blk(f, i + 1, table_succ[i], XL_END_RETURN, 0, 0, 0);
        ir_gen_movi_i32(b, G(IR_G_R0), 10 + i);
        ret_lr(b);
    }
}

static void test_table(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 5; i++) {
        struct cpu c = cpu_init();
        c.r[2] = 0;
        c.r[3] = table_succ[i];
        fn_at(A_TABLE)(&c);
        assert_int_equal(c.r[0], 10 + i);
        assert_int_equal(c.r[15], 0x8888);
    }
    /* Off the targets: in a hole, misaligned, below, past the end, in Thumb state. Each is
       the dispatch's default, a nested run to the return address (which here goes
       elsewhere: the function returns with pc as it was). */
    static const uint32_t off[][2] = { { A_TABLE + 0x14, 0 }, { A_TABLE + 0x12, 0 },
                                       { A_TABLE + 0xc, 0 }, { A_TABLE + 0x104, 0 },
                                       { A_TABLE + 0x10, 1 } };
    run_reaches = false;
    for (unsigned i = 0; i < 5; i++) {
        struct cpu c = cpu_init();
        c.r[0] = 7;
        c.r[2] = off[i][1];
        c.r[3] = off[i][0];
        unsigned runs = n_runs;
        fn_at(A_TABLE)(&c);
        assert_int_equal(n_runs, runs + 1);
        assert_int_equal(run_stop, 0x8888);
        assert_int_equal(c.r[0], 7);
        assert_int_equal(c.r[15], off[i][0]);
    }
}

/*
 * Where the signal checks go: on the edges that close cycles (raise_find_loops), not on
 * every jump to a lower address.
 *   A_FWD: entry -> H; H: r0 += r1 -> T; T: r1 -= 1, r1 == 0 ? out : X; X (below H) -> H.
 *          The cycle's closing edge X -> H goes up in address; T -> X, down, is not one.
 *   A_EPI: entry (above) -> E; E: out. A jump down that closes no cycle: no check.
 *   A_WHILE: entry -> T; T: r1 -= 1, r1 == 0 ? out : C; C: call A_CALLEE, returning to T.
 *          The call's return closes the cycle: the check goes on the edge into C.
 */
#define A_FWD 0x26000
#define A_EPI 0x27000
#define A_WHILE 0x28000
static void def_loop_shapes(void)
{
    struct tfn *f = new_fn(A_FWD, 4);
    struct ir_block *b = blk(f, 0, A_FWD, XL_END_JUMP, A_FWD + 0x10, 0, 0);
    ir_gen_movi_i32(b, G(IR_G_R0), 0);
    ir_gen_goto_tb(b, A_FWD + 0x10);
    b = blk(f, 1, A_FWD + 0x10, XL_END_JUMP, A_FWD + 0x20, 0, 0);
    ir_gen_add_i32(b, G(IR_G_R0), G(IR_G_R0), G(IR_G_R1));
    ir_gen_goto_tb(b, A_FWD + 0x20);
    b = blk(f, 2, A_FWD + 0x20, XL_END_COND, A_FWD + 0x08, 0x9990, 0);
    count_down_r1(b, A_FWD + 0x08);
    b = blk(f, 3, A_FWD + 0x08, XL_END_JUMP, A_FWD + 0x10, 0, 0);
    jump(b, A_FWD + 0x10);

    f = new_fn(A_EPI + 0x10, 2);
    b = blk(f, 0, A_EPI + 0x10, XL_END_JUMP, A_EPI, 0, 0);
    ir_gen_movi_i32(b, G(IR_G_R0), 7);
    jump(b, A_EPI);
    b = blk(f, 1, A_EPI, XL_END_JUMP, 0x9990, 0, 0);
    jump(b, 0x9990);

    f = new_fn(A_WHILE, 3);
    b = blk(f, 0, A_WHILE, XL_END_JUMP, A_WHILE + 0x20, 0, 0);
    ir_gen_goto_tb(b, A_WHILE + 0x20);
    b = blk(f, 1, A_WHILE + 0x20, XL_END_COND, A_WHILE + 0x10, 0x9990, 0);
    count_down_r1(b, A_WHILE + 0x10);
    b = blk(f, 2, A_WHILE + 0x10, XL_END_CALL, A_WHILE + 0x20, 0, A_CALLEE);
    ir_gen_movi_i32(b, G(IR_G_R14), A_WHILE + 0x20);
    ir_gen_movi_i32(b, G(IR_G_PC), A_CALLEE);
    ir_gen_goto_tb(b, A_CALLEE);
}

static void test_loop_checks(void **state)
{
    (void)state;
    void (**hook)(struct cpu *) = dlsym(g_so, "xl_test_interrupt");
    assert_non_null(hook);
    *hook = hook_interrupt;

    n_interrupts = 0;
    struct cpu c = cpu_init();
    c.r[1] = 10;
    c.interrupt = 1;
    fn_at(A_FWD)(&c);
    assert_int_equal(n_interrupts, 1);
    assert_int_equal(interrupt_pc, A_FWD + 0x10);   /* at X -> H, not at T -> X */
    assert_int_equal(interrupt_r1, 9);
    assert_int_equal(c.r[0], 55);
    assert_int_equal(c.r[15], 0x9990);

    n_interrupts = 0;
    c = cpu_init();
    c.interrupt = 1;
    fn_at(A_EPI + 0x10)(&c);
    assert_int_equal(n_interrupts, 0);
    assert_int_equal(c.r[0], 7);
    assert_int_equal(c.r[15], 0x9990);

    n_interrupts = 0;
    c = cpu_init();
    c.r[0] = 1;
    c.r[1] = 3;
    c.interrupt = 1;
    fn_at(A_WHILE)(&c);
    assert_int_equal(n_interrupts, 1);
    assert_int_equal(interrupt_pc, A_WHILE + 0x10);  /* on T -> C */
    assert_int_equal(interrupt_r1, 2);
    assert_int_equal(c.r[0], 4);                    /* A_CALLEE doubled it twice */
    assert_int_equal(c.r[15], 0x9990);
}

/* blx r3 at A_ICALL to target, with r0 = 10 and cpu->interrupt as given. */
static struct cpu icall(uint32_t target, uint32_t interrupt)
{
    struct cpu c = cpu_init();
    c.r[0] = 10;
    c.r[3] = target;
    c.interrupt = interrupt;
    fn_at(A_ICALL)(&c);
    return c;
}

static void test_calls(void **state)
{
    (void)state;
    struct cpu c = cpu_init();
    c.r[0] = 21;
    c.r[9] = 99;
    fn_at(A_CALL)(&c);
    assert_int_equal(c.r[0], 142);
    assert_int_equal(c.r[14], A_CALL + 4);
    assert_int_equal(c.r[15], 0x7770);
    assert_int_equal(c.r[9], 99);

    c = cpu_init();             /* mismatch: the caller returns too, with the state as the */
    c.r[0] = 21;                /* callee left it, in registers (r0, r4, sp) or not (r9) */
    c.r[13] = 0xc000;
    fn_at(A_CALL + 0x100)(&c);
    assert_int_equal(c.r[0], 42);
    assert_int_equal(c.r[4], 7);
    assert_int_equal(c.r[9], 5);
    assert_int_equal(c.r[13], 0xc040);
    assert_int_equal(c.r[15], 0x5000);
    /* xl_aot_resume was asked about the call's frame: its sp, not the callee's */
    assert_int_equal(*(uint32_t *)dlsym(g_so, "xl_test_resume_key"), A_CALL + 0x104);
    assert_int_equal(*(uint32_t *)dlsym(g_so, "xl_test_resume_sp"), 0xc000);

    c = cpu_init();             /* callee not in the program: a nested run, which here */
    c.r[0] = 21;                /* goes elsewhere: back to the dispatcher */
    c.r[13] = 0xa000;
    n_runs = 0;
    fn_at(A_CALL + 0x200)(&c);
    assert_int_equal(n_runs, 1);
    assert_int_equal(run_stop, A_CALL + 0x204);
    assert_int_equal(run_sp, 0xa000);
    assert_int_equal(c.r[0], 21);
    assert_int_equal(c.r[15], A_CALLEE + 0x200);
    assert_int_equal(c.r[14], A_CALL + 0x204);
    run_reaches = true;         /* ... and when it returns there, the caller goes on */
    c = cpu_init();
    c.r[0] = 21;
    fn_at(A_CALL + 0x200)(&c);
    assert_int_equal(c.r[0], 1121);
    assert_int_equal(c.r[15], 0x7770);

    /* mov pc, r3 in the callee: nested run to the callee's entry lr and sp, ret, and the
       caller's check passes. */
    c = cpu_init();
    c.r[0] = 5;
    c.r[3] = 0x4440;
    c.r[13] = 0xb000;
    fn_at(A_CALL + 0x300)(&c);
    assert_int_equal(n_runs, 3);
    assert_int_equal(run_stop, A_CALL + 0x304);
    assert_int_equal(run_sp, 0xb000);           /* the entry sp, not the 0x9000 set later */
    assert_int_equal(c.r[13], 0x9000);
    assert_int_equal(c.r[0], 1105);
    assert_int_equal(c.r[15], 0x7770);
    run_reaches = false;
    c = cpu_init();             /* the run went elsewhere: both return */
    c.r[0] = 5;
    c.r[3] = 0x4440;
    fn_at(A_CALL + 0x300)(&c);
    assert_int_equal(n_runs, 4);
    assert_int_equal(c.r[0], 5);
    assert_int_equal(c.r[15], 0x4440);

    c = cpu_init();             /* tail call */
    c.r[0] = 4;
    fn_at(A_TAIL)(&c);
    assert_int_equal(c.r[0], 8);
    assert_int_equal(c.r[15], 0x8888);

    n_resolves = 0;             /* blx r3 to a raised function */
    c = icall(A_CALLEE, 0);
    assert_int_equal(n_resolves, 1);
    assert_int_equal(c.r[0], 21);
    assert_int_equal(c.r[15], 0x7770);
    c = icall(0x4440, 0);       /* ... and to code the runtime does not know: a nested run */
    assert_int_equal(n_resolves, 2);
    assert_int_equal(n_runs, 5);
    assert_int_equal(run_stop, A_ICALL + 4);
    assert_int_equal(c.r[0], 10);
    assert_int_equal(c.r[15], 0x4440);
    assert_int_equal(c.r[14], A_ICALL + 4);

    /* The site's inline cache still holds A_CALLEE (a miss that found nothing does not
       replace it): no question to the runtime. A new epoch (translated code went away) or
       a signal waiting (cpu->interrupt) asks again; the answer is cached again. */
    c = icall(A_CALLEE, 0);
    assert_int_equal(n_resolves, 2);
    assert_int_equal(c.r[0], 21);
    uint32_t *epoch = dlsym(g_so, "xl_aot_epoch");
    assert_non_null(epoch);
    (*epoch)++;
    c = icall(A_CALLEE, 0);
    assert_int_equal(n_resolves, 3);
    assert_int_equal(c.r[0], 21);
    icall(A_CALLEE, 1);
    assert_int_equal(n_resolves, 4);
    c = icall(A_CALLEE, 0);
    assert_int_equal(n_resolves, 4);
    assert_int_equal(c.r[0], 21);
}

static void test_exits(void **state)
{
    (void)state;
    n_syscalls = 0;
    syscall_divert = 0;
    struct cpu c = cpu_init();
    fn_at(A_SVC)(&c);
    assert_int_equal(n_syscalls, 1);
    assert_int_equal(syscall_exit_pc, A_SVC);
    assert_int_equal(c.r[7], 1);
    assert_int_equal(c.r[0], 42);           /* the syscall's result, then the next block */
    assert_int_equal(c.r[15], 0x8888);

    syscall_divert = 0x6660;                /* a signal handler diverted the pc */
    c = cpu_init();
    fn_at(A_SVC)(&c);
    assert_int_equal(n_syscalls, 2);
    assert_int_equal(c.r[0], 41);
    assert_int_equal(c.r[15], 0x6660);
    syscall_divert = 0;

    n_exits = 0;
    c = cpu_init();
    fn_at(A_UNDEF | 1)(&c);
    assert_int_equal(n_exits, 1);
    assert_int_equal(last_exit, IR_EXIT_UNDEF);
    assert_int_equal(c.r[2], 77);
    assert_int_equal(c.exit_pc, A_UNDEF + 2);
    assert_int_equal(c.r[15], A_UNDEF + 2);
}

/* The refused function: a stub under its name, and not in the table. */
static void test_refused(void **state)
{
    (void)state;
    assert_null(lookup(A_BAD));
    char cmd[300];              /* raised functions are hidden: the linked file's symtab */
    snprintf(cmd, sizeof(cmd), "nm %s/t.so | grep -q ' t xl_aotf_35000_a$'", g_dir);
    assert_int_equal(system(cmd), 0);
    assert_non_null(lookup(A_UNDEF | 1));
    const struct xl_aot_entry *t = dlsym(g_so, "xl_aot_table");
    const uint32_t *n = dlsym(g_so, "xl_aot_count");
    assert_int_equal(*n, g_nfns - 1);
    for (uint32_t i = 1; i < *n; i++)
        assert_true(t[i - 1].key < t[i].key);
}

/* The other emitters and jobs > 1: files appear, the table is in module 0. */
static void test_emitters(void **state)
{
    (void)state;
    char path[96], err[256], cmd[640];
    struct raise_options o = { .opt_level = 1, .cpu = "x86-64", .jobs = 3 };
    unsigned nfiles = 0;
    snprintf(path, sizeof(path), "%s/multi", g_dir);
    assert_int_equal(raise_program(g_rf, g_nfns, &o, RAISE_EMIT_OBJ, path, &nfiles, err,
                                   sizeof(err)), 0);
    assert_int_equal(nfiles, 3);
    snprintf(cmd, sizeof(cmd), "nm %s/multi.0.o | grep -q ' [RD] xl_aot_table'", g_dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "nm %s/multi.2.o | grep -q ' T xl_aot_'", g_dir);
    assert_int_equal(system(cmd), 0);
    o.jobs = 1;
    o.opt_level = 0;            /* the O0 pipeline string too */
    snprintf(path, sizeof(path), "%s/t.ll", g_dir);
    assert_int_equal(raise_program(g_rf, g_nfns, &o, RAISE_EMIT_LLVM, path, &nfiles, err,
                                   sizeof(err)), 0);
    snprintf(cmd, sizeof(cmd), "grep -q 'define hidden void @xl_aot_30000_a' %s", path);
    assert_int_equal(system(cmd), 0);
    /* the atomics and the barrier as LLVM has them: seq_cst, on guest memory */
    snprintf(cmd, sizeof(cmd), "grep -q 'cmpxchg ptr .* seq_cst seq_cst' %s && "
             "grep -q 'atomicrmw xchg ptr .* seq_cst' %s && grep -q 'fence seq_cst' %s",
             path, path, path);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof(path), "%s/t.s", g_dir);
    assert_int_equal(raise_program(g_rf, g_nfns, &o, RAISE_EMIT_ASM, path, &nfiles, err,
                                   sizeof(err)), 0);
    assert_int_equal(nfiles, 1);
    /* ... and as x86: lock cmpxchg (cmpxchg8b never: 64 bits is one cmpxchgq), xchg, mfence */
    snprintf(cmd, sizeof(cmd), "grep -Eq 'lock[[:space:]]+cmpxchgq' %s && "
             "grep -Eq 'lock[[:space:]]+cmpxchgb' %s && grep -q 'xchgl' %s && "
             "grep -q mfence %s", path, path, path, path);
    assert_int_equal(system(cmd), 0);
}

/* ---- Q registers: two vec_i64 halves raised as one 128-bit op (raise_vec.c) ---- */

#define A_QPAIR 0x3a000

static ir_temp vq(struct ir_block *b, enum ir_vec op, unsigned esz, unsigned imm, ir_temp x,
                  ir_temp y)
{
    ir_temp t = ir_new_i64(b), z = ir_const_i64(b, 0);
    ir_gen_vec_i64(b, t, x, y, z, ir_vec_kind(op, esz, imm));
    return t;
}

static ir_temp D(unsigned n) { return G((enum ir_global)(IR_G_D0 + n)); }

static void def_qpair(void)
{
    struct tfn *f = new_fn(A_QPAIR, 1);
    struct ir_block *b = blk(f, 0, A_QPAIR, XL_END_RETURN, 0, 0, 0);
    /* q2 = q0 + q1 (i32): a pair at its first op, then the halves moved to q2 together */
    ir_temp t1 = vq(b, IR_VEC_ADD, 2, 0, D(0), D(2)), t2 = vq(b, IR_VEC_ADD, 2, 0, D(1), D(3));
    ir_gen_mov_i64(b, D(4), t1);
    ir_gen_mov_i64(b, D(5), t2);
    /* q4 = VMULL.S16 d6, d7 as the frontend writes it: the high multiply's inputs are made
       after the low one, so that pair is raised at its second op */
    ir_temp w0 = vq(b, IR_VEC_MOVL_S, 1, 0, D(6), D(6));
    ir_temp x0 = vq(b, IR_VEC_MOVL_S, 1, 0, D(7), D(7));
    ir_temp p0 = vq(b, IR_VEC_MUL, 2, 0, w0, x0);
    ir_temp w1 = vq(b, IR_VEC_MOVL_S, 1, 1, D(6), D(6));
    ir_temp x1 = vq(b, IR_VEC_MOVL_S, 1, 1, D(7), D(7));
    ir_temp p1 = vq(b, IR_VEC_MUL, 2, 0, w1, x1);
    ir_gen_mov_i64(b, D(8), p0);
    ir_gen_mov_i64(b, D(9), p1);
    /* d11 written between the halves of q5 - q6 (i16): the high half sees the new d11 */
    ir_temp s0 = vq(b, IR_VEC_SUB, 1, 0, D(10), D(12));
    ir_gen_mov_i64(b, D(11), D(13));
    ir_temp s1 = vq(b, IR_VEC_SUB, 1, 0, D(11), D(13));
    ir_gen_mov_i64(b, D(14), s0);
    ir_gen_mov_i64(b, D(15), s1);
    /* no pair: the low half's result is read, and the high half's input written, between */
    ir_temp a0 = vq(b, IR_VEC_ADD, 0, 0, D(16), D(18));
    ir_gen_mov_i64(b, D(20), a0);
    ir_gen_mov_i64(b, D(17), a0);
    ir_temp a1 = vq(b, IR_VEC_ADD, 0, 0, D(17), D(19));
    ir_gen_mov_i64(b, D(21), a1);
    /* VEXT.8 q14, q12, q13, #3: bytes 3 .. 10 of d24:d25, then of d25:d26 */
    ir_temp e0 = vq(b, IR_VEC_EXT, 0, 3, D(24), D(25));
    ir_temp e1 = vq(b, IR_VEC_EXT, 0, 3, D(25), D(26));
    ir_gen_mov_i64(b, D(28), e0);
    ir_gen_mov_i64(b, D(29), e1);
    /* stores of q2 to [r0] and [r0 + 8] with a load of [r0 + 8] between, and of q4 to [r1]
       and [r1 + 8] with a load of [r1] between: neither moves past the load */
    ir_temp hi = ir_new_i32(b), hi1 = ir_new_i32(b), hi2 = ir_new_i32(b);
    ir_gen_add_i32(b, hi, G(IR_G_R0), ir_const_i32(b, 8));
    ir_gen_st_i64(b, D(4), G(IR_G_R0), IR_MO_64);
    ir_gen_ld_i64(b, D(22), hi, IR_MO_64);
    ir_gen_st_i64(b, D(5), hi, IR_MO_64);
    ir_gen_st_i64(b, D(8), G(IR_G_R1), IR_MO_64);
    ir_gen_ld_i64(b, D(23), G(IR_G_R1), IR_MO_64);
    ir_gen_add_i32(b, hi1, G(IR_G_R1), ir_const_i32(b, 8));
    ir_gen_st_i64(b, D(9), hi1, IR_MO_64);
    /* q7 to [r2] and [r2 + 8]: one 16-byte store */
    ir_gen_st_i64(b, D(14), G(IR_G_R2), IR_MO_64);
    ir_gen_add_i32(b, hi2, G(IR_G_R2), ir_const_i32(b, 8));
    ir_gen_st_i64(b, D(15), hi2, IR_MO_64);
    /* [r3 + 8] with r3 changed before the store to [r3]: not 16 adjacent bytes */
    ir_temp hi3 = ir_new_i32(b);
    ir_gen_add_i32(b, hi3, G(IR_G_R3), ir_const_i32(b, 8));
    ir_gen_mov_i32(b, G(IR_G_R3), G(IR_G_R4));
    ir_gen_st_i64(b, D(16), G(IR_G_R3), IR_MO_64);
    ir_gen_st_i64(b, D(17), hi3, IR_MO_64);
    ret_lr(b);
}

/* Lane i (of `bits`) of v. */
static uint64_t lane(uint64_t v, unsigned bits, unsigned i)
{
    return bits == 64 ? v : v >> (i * bits) & ((1ull << bits) - 1);
}

/* v with lanes of `bits` computed by op from the lanes of x and y. */
static uint64_t lanes(uint64_t x, uint64_t y, unsigned bits, int op)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64 / bits; i++) {
        uint64_t a = lane(x, bits, i), b = lane(y, bits, i);
        uint64_t v = op == '+' ? a + b : a - b;
        r |= (v & (bits == 64 ? ~0ull : (1ull << bits) - 1)) << (i * bits);
    }
    return r;
}

/* Lanes 2h, 2h + 1 of VMULL.S16 x, y (two 32-bit products). */
static uint64_t mull16(uint64_t x, uint64_t y, unsigned h)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 2; i++) {
        int32_t p = (int32_t)(int16_t)lane(x, 16, 2 * h + i) * (int16_t)lane(y, 16, 2 * h + i);
        r |= (uint64_t)(uint32_t)p << (32 * i);
    }
    return r;
}

static void test_qpair(void **state)
{
    (void)state;
    memset(gmem, 0, GMEM_SIZE);
    struct cpu c = cpu_init();
    for (unsigned i = 0; i < 27; i++)
        c.d[i] = 0x9e3779b97f4a7c15ull * (i + 1) ^ 0x8000800080008000ull >> (i % 3);
    struct cpu in = c;
    uint32_t base = (uint32_t)(uintptr_t)gmem;
    c.r[0] = base + 0x100;
    c.r[1] = base + 0x200;
    c.r[2] = base + 0x300;
    c.r[3] = base + 0x400;
    c.r[4] = base + 0x500;
    uint64_t old = 0x0123456789abcdefull;
    memcpy(gmem + 0x108, &old, 8);
    fn_at(A_QPAIR)(&c);
    assert_int_equal(c.d[4], lanes(in.d[0], in.d[2], 32, '+'));
    assert_int_equal(c.d[5], lanes(in.d[1], in.d[3], 32, '+'));
    assert_int_equal(c.d[8], mull16(in.d[6], in.d[7], 0));
    assert_int_equal(c.d[9], mull16(in.d[6], in.d[7], 1));
    assert_int_equal(c.d[11], in.d[13]);
    assert_int_equal(c.d[14], lanes(in.d[10], in.d[12], 16, '-'));
    assert_int_equal(c.d[15], lanes(in.d[13], in.d[13], 16, '-'));     /* 0 */
    assert_int_equal(c.d[20], lanes(in.d[16], in.d[18], 8, '+'));
    assert_int_equal(c.d[17], c.d[20]);
    assert_int_equal(c.d[21], lanes(c.d[20], in.d[19], 8, '+'));
    uint8_t bytes[24];
    memcpy(bytes, &in.d[24], 24);
    uint64_t ext[2];
    memcpy(ext, bytes + 3, 16);
    assert_int_equal(c.d[28], ext[0]);
    assert_int_equal(c.d[29], ext[1]);
    assert_int_equal(c.d[22], old);
    assert_int_equal(c.d[23], c.d[8]);
    uint64_t m[6];
    memcpy(m, gmem + 0x100, 16);
    memcpy(m + 2, gmem + 0x200, 16);
    memcpy(m + 4, gmem + 0x300, 16);
    assert_int_equal(m[0], c.d[4]);
    assert_int_equal(m[1], c.d[5]);
    assert_int_equal(m[2], c.d[8]);
    assert_int_equal(m[3], c.d[9]);
    assert_int_equal(m[4], c.d[14]);
    assert_int_equal(m[5], c.d[15]);
    memcpy(m, gmem + 0x500, 16);
    memcpy(m + 2, gmem + 0x400, 16);
    assert_int_equal(m[0], c.d[16]);
    assert_int_equal(m[1], 0);
    assert_int_equal(m[2], 0);
    assert_int_equal(m[3], c.d[17]);
    /* and the pairs are there: 128-bit operations, Q slots, a 16-byte store */
    char path[96], cmd[512], err[256];
    unsigned nfiles = 0;
    struct raise_options o = { .opt_level = 0, .cpu = "x86-64-v2", .jobs = 1 };
    snprintf(path, sizeof(path), "%s/q.ll", g_dir);
    struct raise_function only = g_rf[g_nfns - 1];
    assert_int_equal(only.entry, A_QPAIR);
    assert_int_equal(raise_program(&only, 1, &o, RAISE_EMIT_LLVM, path, &nfiles, err,
                                   sizeof(err)), 0);
    snprintf(cmd, sizeof(cmd),
             "cd %s && grep -q 'add <4 x i32>' q.ll && grep -q 'mul <4 x i32>' q.ll && "
             "grep -q 'sub <8 x i16>' q.ll && grep -q 'sext <4 x i16> .* to <4 x i32>' q.ll && "
             "grep -q 'shufflevector <16 x i8>' q.ll && grep -q 'alloca <2 x i64>' q.ll && "
             "test $(grep -c 'store <2 x i64>' q.ll) -ge 4 && ! grep -q 'add <16 x i8>' q.ll",
             g_dir);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    (void)state;
    gmem = mmap(NULL, GMEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                -1, 0);
    if (gmem == MAP_FAILED)
        return -1;
    g_fns = calloc(MAX_FN, sizeof(*g_fns));
    snprintf(g_dir, sizeof(g_dir), "/tmp/raise_test.XXXXXX");
    if (!g_fns || !mkdtemp(g_dir))
        return -1;

    for (unsigned k = 0; k < sizeof(bin32) / sizeof(bin32[0]); k++)
        def_op(A_BIN32 + k * 16, bin32[k], (uint64_t[]){ G(IR_G_R0), G(IR_G_R1), G(IR_G_R2) });
    for (unsigned k = 0; k < sizeof(un32) / sizeof(un32[0]); k++)
        def_op(A_UN32 + k * 16, un32[k], (uint64_t[]){ G(IR_G_R0), G(IR_G_R1) });
    for (unsigned k = 0; k < sizeof(bin64) / sizeof(bin64[0]); k++)
        def_op(A_BIN64 + k * 16, bin64[k], (uint64_t[]){ G(IR_G_D0), G(IR_G_D1), G(IR_G_D2) });
    def_op(A_CONV + 0, IR_ext_i32_i64, (uint64_t[]){ G(IR_G_D0), G(IR_G_R1) });
    def_op(A_CONV + 16, IR_extu_i32_i64, (uint64_t[]){ G(IR_G_D0), G(IR_G_R1) });
    def_op(A_CONV + 32, IR_extrl_i64_i32, (uint64_t[]){ G(IR_G_R0), G(IR_G_D1) });
    def_op(A_CONV + 48, IR_extrh_i64_i32, (uint64_t[]){ G(IR_G_R0), G(IR_G_D1) });
    def_op(A_CONV + 64, IR_concat_i32_i64, (uint64_t[]){ G(IR_G_D0), G(IR_G_R1), G(IR_G_R2) });
    for (unsigned k = 0; k < IR_NUM_CONDS; k++) {
        def_op(A_SETC + k * 16, IR_setcond_i32,
               (uint64_t[]){ G(IR_G_R0), G(IR_G_R1), G(IR_G_R2), k });
        def_op(A_MOVC + k * 16, IR_movcond_i32,
               (uint64_t[]){ G(IR_G_R0), G(IR_G_R1), G(IR_G_R2), G(IR_G_R3), G(IR_G_R4), k });
        def_brcond(A_BRC + k * 16, (enum ir_cond)k);
    }
    def_wide();
    def_bitfields();
    def_mem();
    def_atomics();
    def_div_loop();
    def_loop_shapes();
    def_calls();
    def_dead();
    def_table();
    def_qpair();
    build_and_load();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (g_so)
        dlclose(g_so);
    for (unsigned i = 0; i < g_nfns; i++)
        for (unsigned k = 0; k < g_fns[i].rf.nblocks; k++)
            ir_block_free(&g_fns[i].ir[k]);
    free(g_fns);
    char cmd[96];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
    if (getenv("XL_TEST_KEEP"))     /* keep the .o/.ll/.s for a look */
        fprintf(stderr, "raise_test: files kept in %s\n", g_dir);
    else if (system(cmd) != 0)
        return -1;
    munmap(gmem, GMEM_SIZE);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i32_ops),
        cmocka_unit_test(test_i64_ops),
        cmocka_unit_test(test_wide),
        cmocka_unit_test(test_conds),
        cmocka_unit_test(test_bitfields),
        cmocka_unit_test(test_mem),
        cmocka_unit_test(test_atomics),
        cmocka_unit_test(test_atomic_threads),
        cmocka_unit_test(test_div_loop),
        cmocka_unit_test(test_loop_checks),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_dead_on_entry),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_exits),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_emitters),
        cmocka_unit_test(test_qpair),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
