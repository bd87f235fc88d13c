/*
 * The JIT backend: one µIR block -> x86-64 code in the code cache.
 *
 * Design (after QEMU's TCG):
 *  - rbp holds struct cpu * while guest code runs. Blocks are jumped to from the enter
 *    trampoline (exec/cache.c), which saves the callee-saved registers and reserves a fixed
 *    frame of 8-byte spill slots; rsp is 16-byte aligned inside blocks, so helper calls need
 *    no adjustment. Blocks leave through one shared epilogue with a jit_ret in rax:rdx.
 *  - Registers are a cache over the temps' homes (regalloc.c). r11 is a scratch register
 *    the allocator never hands out. Constants are never allocated: ops use imm8/imm32 forms
 *    where they fit. i32 temps are kept zero-extended in 64-bit registers.
 *  - Guest memory is identity mapped: a load is one mov/movzx/movsx from [reg].
 *  - goto_tb ends in a 4-byte-aligned `jmp rel32` that first goes to a per-slot stub
 *    returning IR_EXIT_CHAIN; jit_exec then patches it to the target block (chaining).
 *    goto_ptr probes the inline jump cache (pc|thumb -> code) and jumps on a hit.
 *  - Control flow inside a block: brcond compares and jumps straight to its label; labels
 *    are forward only, so branches are fixed up when the label is placed.
 *  - insn_start emits nothing but records (host offset, guest pc) after the block's code,
 *    for jit_guest_pc (host fault -> guest pc).
 * This file is the op switch (no default: a new op in ops.def fails to compile here).
 */
#include <stdlib.h>
#include <string.h>

#include "regalloc.h"
#include "../helpers/helpers.h"
#include "../ir/xl_assert.h"

static bool is_const(const struct jit_cg *cg, ir_temp t)
{
    return cg->b->temps[t].kind == IR_TEMP_CONST;
}
static uint64_t cval(const struct jit_cg *cg, ir_temp t) { return cg->b->temps[t].val; }
static bool fits_s32(uint64_t v) { return (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX; }

/* An operand: a register, or an immediate that the instruction can take directly. */
struct opnd {
    bool imm;
    int reg;
    int32_t val;
};

static struct opnd opnd(struct jit_cg *cg, ir_temp t, bool w)
{
    if (is_const(cg, t) && (!w || fits_s32(cval(cg, t))))
        return (struct opnd){ .imm = true, .val = (int32_t)(uint32_t)cval(cg, t) };
    return (struct opnd){ .reg = ra_in(cg, t) };
}

/* The destination of an op that computes `out` from a copy of `a`. When `out` is also
   another input (`other`), the result is built in r11 and moved at dst_end. */
struct dst {
    int r;
    ir_temp out;
    bool w, via_scratch;
};

static struct dst dst_begin(struct jit_cg *cg, ir_temp out, ir_temp a, bool w, ir_temp other)
{
    struct dst d = { .out = out, .w = w };
    if (out == a && !is_const(cg, a)) {
        d.r = ra_in(cg, a);
        ra_out(cg, out);
        return d;
    }
    if (out == other) {
        d.r = JIT_SCRATCH;
        d.via_scratch = true;
        if (is_const(cg, a))
            x86_mov_ri(&cg->e, w, d.r, cval(cg, a));
        else
            x86_mov_rr(&cg->e, w, d.r, ra_in(cg, a));
        return d;
    }
    if (is_const(cg, a)) {
        d.r = ra_out(cg, out);
        x86_mov_ri(&cg->e, w, d.r, cval(cg, a));
        return d;
    }
    int ra = ra_in(cg, a);
    if (ra_reusable(cg, a, ra)) {
        ra_bind_out(cg, out, ra);
        d.r = ra;
        return d;
    }
    d.r = ra_out(cg, out);
    x86_mov_rr(&cg->e, w, d.r, ra);
    return d;
}

static void dst_end(struct jit_cg *cg, struct dst d)
{
    if (d.via_scratch)
        x86_mov_rr(&cg->e, d.w, ra_out(cg, d.out), JIT_SCRATCH);
}

/* A destination register for a single instruction that reads all its inputs before it
   writes (lzcnt, movzx, imul r,r,imm, shlx ...): reuse a dying input's register. */
static int dst_any(struct jit_cg *cg, ir_temp out, ir_temp a, int ra, ir_temp b, int rb)
{
    if (ra >= 0 && ra_reusable(cg, a, ra)) {
        ra_bind_out(cg, out, ra);
        return ra;
    }
    if (rb >= 0 && ra_reusable(cg, b, rb)) {
        ra_bind_out(cg, out, rb);
        return rb;
    }
    return ra_out(cg, out);
}

static void apply_alu(struct jit_cg *cg, enum x86_alu op, bool w, int d, struct opnd s)
{
    if (s.imm)
        x86_alu_ri(&cg->e, op, w, d, s.val);
    else
        x86_alu_rr(&cg->e, op, w, d, s.reg);
}

/* `lea_ok`: an add may be one lea (no flags); otherwise the host flags are the ALU op's. */
static void gen_alu_lea(struct jit_cg *cg, enum x86_alu op, bool w, bool commutative,
                        ir_temp out, ir_temp a, ir_temp b, bool lea_ok)
{
    if (commutative && is_const(cg, a) && !is_const(cg, b)) {
        ir_temp t = a;
        a = b;
        b = t;
    }
    if (commutative && out == b && out != a) {
        ir_temp t = a;
        a = b;
        b = t;
    }
    struct opnd s = opnd(cg, b, w);
    /* add out, a, b|imm with out distinct from a (kept live): one lea. */
    if (lea_ok && op == X_ADD && out != a && !is_const(cg, a) && (s.imm || out != b)) {
        int ra = ra_in(cg, a);
        if (!ra_reusable(cg, a, ra)) {
            int d = ra_out(cg, out);
            x86_lea(&cg->e, w, d, s.imm ? x86_base(ra, s.val) : x86_bix(ra, s.reg, 1, 0));
            return;
        }
    }
    struct dst d = dst_begin(cg, out, a, w, s.imm ? RA_NONE : b);
    apply_alu(cg, op, w, d.r, s);
    dst_end(cg, d);
}

static void gen_alu(struct jit_cg *cg, enum x86_alu op, bool w, bool commutative,
                    ir_temp out, ir_temp a, ir_temp b)
{
    gen_alu_lea(cg, op, w, commutative, out, a, b, true);
}

/*
 * The carry of ADDS/SUBS/CMP: the frontend writes `add r, a, b; setcond ltu C, r, a` and
 * `sub r, a, b; setcond geu C, a, b`. When the setcond comes next, the add or sub is one
 * x86 add/sub and the setcond a setcc of the flags it left (nothing between them but
 * register moves), instead of a lea, a cmp and a setcc. Returns the condition, or -1.
 */
static int carry_of_next(const struct jit_cg *cg, const struct ir_op *op)
{
    if (cg->op + 1 >= cg->b->n_ops)
        return -1;
    const struct ir_op *n = &cg->b->ops[cg->op + 1];
    const uint64_t *o = ir_op_outs_c(op), *in = ir_op_ins_c(op);
    const uint64_t *nin = ir_op_ins_c(n);
    if (n->opc != IR_setcond_i32 || o[0] == in[0] || o[0] == in[1])
        return -1;
    uint64_t f = ir_op_outs_c(n)[0];
    if (f == o[0] || f == in[0] || f == in[1])
        return -1;
    enum ir_cond c = (enum ir_cond)ir_op_consts_c(n)[0];
    if (op->opc == IR_add_i32 && c == IR_LTU && nin[0] == o[0] &&
        (nin[1] == in[0] || nin[1] == in[1]))
        return X_CC_B;
    if (op->opc == IR_sub_i32 && c == IR_GEU && nin[0] == in[0] && nin[1] == in[1])
        return X_CC_AE;
    return -1;
}

/*
 * The overflow flag of the same add or sub: after the setcond, the frontend computes V as
 * `xor t, a, b; xor VF, a, r; and VF, VF, t` (sub) or `xor t, a, b; xor VF, r, a;
 * andc VF, VF, t` (add), V in bit 31. When those three ops follow, V is the x86 OF of the
 * same instruction: seto and a shift, and the three ops are skipped.
 */
static bool overflow_follows(const struct jit_cg *cg, const struct ir_op *op)
{
    if (cg->op + 4 >= cg->b->n_ops)
        return false;
    const struct ir_op *x1 = op + 2, *x2 = op + 3, *x3 = op + 4;
    const uint64_t *o = ir_op_outs_c(op), *in = ir_op_ins_c(op);
    uint64_t a = in[0], b = in[1], r = o[0], v = IR_G_VF;
    if (x1->opc != IR_xor_i32 || x2->opc != IR_xor_i32 ||
        x3->opc != (op->opc == IR_add_i32 ? IR_andc_i32 : IR_and_i32))
        return false;
    uint64_t t = ir_op_outs_c(x1)[0];
    const uint64_t *i1 = ir_op_ins_c(x1), *i2 = ir_op_ins_c(x2), *i3 = ir_op_ins_c(x3);
    if (t < IR_NUM_GLOBALS || t == a || t == b || t == r || a == v || b == v || r == v ||
        cg->t[t].last_use != cg->op + 4)
        return false;
    bool ab = (i1[0] == a && i1[1] == b) || (i1[0] == b && i1[1] == a);
    bool ar = (i2[0] == a && i2[1] == r) || (i2[0] == r && i2[1] == a);
    bool and_ok = op->opc == IR_add_i32 ? i3[0] == v && i3[1] == t
                                        : (i3[0] == v && i3[1] == t) || (i3[0] == t && i3[1] == v);
    return ab && ar && ir_op_outs_c(x2)[0] == v && ir_op_outs_c(x3)[0] == v && and_ok;
}

/* sub of a constant from a value that stays live: lea out, [a - k]. */
static void gen_sub(struct jit_cg *cg, bool w, ir_temp out, ir_temp a, ir_temp b)
{
    if (is_const(cg, b) && !is_const(cg, a) && out != a) {
        uint64_t k = -cval(cg, b);
        if (!w || fits_s32(k)) {
            int ra = ra_in(cg, a);
            if (!ra_reusable(cg, a, ra)) {
                x86_lea(&cg->e, w, ra_out(cg, out), x86_base(ra, (int32_t)(uint32_t)k));
                return;
            }
        }
    }
    gen_alu(cg, X_SUB, w, false, out, a, b);
}

static void gen_mul(struct jit_cg *cg, bool w, ir_temp out, ir_temp a, ir_temp b)
{
    if (is_const(cg, a) && !is_const(cg, b)) {
        ir_temp t = a;
        a = b;
        b = t;
    }
    if (is_const(cg, b) && fits_s32(w ? cval(cg, b) : (uint64_t)(int64_t)(int32_t)cval(cg, b))) {
        int ra = ra_in(cg, a);
        int d = dst_any(cg, out, a, ra, RA_NONE, -1);
        x86_imul_rri(&cg->e, w, d, ra, (int32_t)(uint32_t)cval(cg, b));
        return;
    }
    if (out == b && out != a) {
        ir_temp t = a;
        a = b;
        b = t;
    }
    int rb = ra_in(cg, b);
    struct dst d = dst_begin(cg, out, a, w, b);
    x86_imul_rr(&cg->e, w, d.r, rb);
    dst_end(cg, d);
}

static void gen_shift(struct jit_cg *cg, enum x86_shift op, bool w, ir_temp out, ir_temp a,
                      ir_temp b)
{
    unsigned width = w ? 64 : 32;
    if (is_const(cg, b)) {
        unsigned n = (unsigned)cval(cg, b) & (width - 1);
        struct dst d = dst_begin(cg, out, a, w, RA_NONE);
        if (n)
            x86_shift_ri(&cg->e, op, w, d.r, (uint8_t)n);
        dst_end(cg, d);
        return;
    }
    if (cg->j->has_bmi2 && op != X_ROR) {
        int ra = ra_in(cg, a), rb = ra_in(cg, b);
        int d = dst_any(cg, out, a, ra, b, rb);
        x86_shiftx(&cg->e, op, w, d, ra, rb);   /* count mod width in hardware */
        return;
    }
    ra_evict(cg, X_RCX);
    x86_mov_rr(&cg->e, false, X_RCX, ra_in(cg, b));
    struct dst d = dst_begin(cg, out, a, w, b);
    x86_shift_cl(&cg->e, op, w, d.r);
    dst_end(cg, d);
}

static void gen_unary(struct jit_cg *cg, void (*fn)(struct x86 *, bool, int), bool w,
                      ir_temp out, ir_temp a)
{
    struct dst d = dst_begin(cg, out, a, w, RA_NONE);
    fn(&cg->e, w, d.r);
    dst_end(cg, d);
}

static void gen_ext(struct jit_cg *cg, unsigned size, bool sign, ir_temp out, ir_temp a)
{
    int ra = ra_in(cg, a);
    int d = dst_any(cg, out, a, ra, RA_NONE, -1);
    x86_ext_rr(&cg->e, false, size, sign, d, ra);
}

/* The next op is a goto_tb to pc (either instruction set). */
static bool goto_tb_next(const struct jit_cg *cg, uint32_t pc)
{
    if (cg->op + 1 >= cg->b->n_ops)
        return false;
    const struct ir_op *n = &cg->b->ops[cg->op + 1];
    return n->opc == IR_goto_tb && ((uint32_t)ir_op_consts_c(n)[0] & ~1u) == pc;
}

static void gen_mov(struct jit_cg *cg, bool w, ir_temp out, ir_temp a)
{
    if (out == a)
        return;
    bool out_cached = cg->t[out].reg >= 0;
    if (is_const(cg, a)) {
        /* pc before a goto_tb to that pc: the slot's stub stores it when the jump exits,
           a linked jump does not need it (the target's interrupt check sets its own). */
        if (out == IR_G_PC && !out_cached && goto_tb_next(cg, (uint32_t)cval(cg, a))) {
            cg->t[out].in_mem = true;
            return;
        }
        /* A constant into an uncached global (pc before goto_tb): straight to its home. */
        if (out < IR_NUM_GLOBALS && !out_cached && (!w || fits_s32(cval(cg, a)))) {
            x86_mov_store_imm(&cg->e, w ? 8 : 4, ra_home(cg, out), (uint32_t)cval(cg, a));
            cg->t[out].in_mem = true;
            return;
        }
        x86_mov_ri(&cg->e, w, ra_out(cg, out), cval(cg, a));
        return;
    }
    if (!out_cached && cg->t[a].reg < 0 && (a < IR_NUM_GLOBALS || cg->t[a].slot >= 0)) {
        /* Neither cached: load a's home straight into out's new register. */
        struct x86_mem home = ra_home(cg, a);
        x86_mov_load(&cg->e, w, ra_out(cg, out), home);
        return;
    }
    int ra = ra_in(cg, a);
    if (ra_reusable(cg, a, ra)) {
        ra_bind_out(cg, out, ra);
        return;
    }
    x86_mov_rr(&cg->e, w, ra_out(cg, out), ra);
}

static void gen_clz(struct jit_cg *cg, ir_temp out, ir_temp a)
{
    int ra = ra_in(cg, a);
    int d = dst_any(cg, out, a, ra, RA_NONE, -1);
    if (cg->j->has_lzcnt) {
        x86_lzcnt(&cg->e, false, d, ra);
        return;
    }
    /* bsr leaves ZF set (and dst undefined) for 0: pick 63, and 63 ^ 31 = 32. */
    x86_bsr(&cg->e, false, d, ra);
    x86_mov_ri(&cg->e, false, JIT_SCRATCH, 63);
    x86_cmov(&cg->e, X_CC_E, false, d, JIT_SCRATCH);
    x86_alu_ri(&cg->e, X_XOR, false, d, 31);
}

static uint32_t mask32(unsigned len) { return len >= 32 ? 0xffffffffu : (1u << len) - 1; }

static void gen_extract(struct jit_cg *cg, bool sign, ir_temp out, ir_temp a, unsigned pos,
                        unsigned len)
{
    if (len == 32) {
        gen_mov(cg, false, out, a);
        return;
    }
    if (pos == 0 && (len == 8 || len == 16)) {
        gen_ext(cg, len / 8, sign, out, a);
        return;
    }
    struct dst d = dst_begin(cg, out, a, false, RA_NONE);
    if (sign) {
        if (32 - pos - len)
            x86_shift_ri(&cg->e, X_SHL, false, d.r, (uint8_t)(32 - pos - len));
        x86_shift_ri(&cg->e, X_SAR, false, d.r, (uint8_t)(32 - len));
    } else {
        if (pos)
            x86_shift_ri(&cg->e, X_SHR, false, d.r, (uint8_t)pos);
        if (pos + len < 32)
            x86_alu_ri(&cg->e, X_AND, false, d.r, (int32_t)mask32(len));
    }
    dst_end(cg, d);
}

static void gen_deposit(struct jit_cg *cg, ir_temp out, ir_temp a, ir_temp b, unsigned pos,
                        unsigned len)
{
    if (len == 32) {
        gen_mov(cg, false, out, b);
        return;
    }
    uint32_t m = mask32(len) << pos;
    struct opnd v;
    if (is_const(cg, b)) {
        v = (struct opnd){ .imm = true, .val = (int32_t)(((uint32_t)cval(cg, b) << pos) & m) };
    } else {
        v = (struct opnd){ .reg = JIT_SCRATCH };
        x86_mov_rr(&cg->e, false, JIT_SCRATCH, ra_in(cg, b));
        if (pos + len < 32)
            x86_alu_ri(&cg->e, X_AND, false, JIT_SCRATCH, (int32_t)mask32(len));
        if (pos)
            x86_shift_ri(&cg->e, X_SHL, false, JIT_SCRATCH, (uint8_t)pos);
    }
    /* b is in r11 (or an immediate), so out may alias it freely. */
    struct dst d = dst_begin(cg, out, a, false, RA_NONE);
    x86_alu_ri(&cg->e, X_AND, false, d.r, (int32_t)~m);
    if (!v.imm || v.val)
        apply_alu(cg, X_OR, false, d.r, v);
    dst_end(cg, d);
}

static enum x86_cc cc_of(enum ir_cond c)
{
    switch (c) {
    case IR_EQ: return X_CC_E;
    case IR_NE: return X_CC_NE;
    case IR_LT: return X_CC_L;
    case IR_GE: return X_CC_GE;
    case IR_LE: return X_CC_LE;
    case IR_GT: return X_CC_G;
    case IR_LTU: return X_CC_B;
    case IR_GEU: return X_CC_AE;
    case IR_LEU: return X_CC_BE;
    case IR_GTU: return X_CC_A;
    case IR_TSTEQ: return X_CC_E;
    case IR_TSTNE: return X_CC_NE;
    case IR_NUM_CONDS: break;
    }
    xl_unreachable();
}

static enum ir_cond cond_swap(enum ir_cond c)
{
    switch (c) {
    case IR_LT: return IR_GT;
    case IR_GT: return IR_LT;
    case IR_LE: return IR_GE;
    case IR_GE: return IR_LE;
    case IR_LTU: return IR_GTU;
    case IR_GTU: return IR_LTU;
    case IR_LEU: return IR_GEU;
    case IR_GEU: return IR_LEU;
    case IR_EQ: case IR_NE: case IR_TSTEQ: case IR_TSTNE: case IR_NUM_CONDS: break;
    }
    return c;
}

/* A prepared comparison: operands in registers/immediates, emitted by cmp_emit. */
struct cmp {
    enum ir_cond c;
    int ra;
    struct opnd b;
};

static struct cmp cmp_prepare(struct jit_cg *cg, enum ir_cond c, ir_temp a, ir_temp b)
{
    if (is_const(cg, a) && !is_const(cg, b)) {
        ir_temp t = a;
        a = b;
        b = t;
        c = cond_swap(c);
    }
    struct cmp k = { .c = c };
    k.ra = ra_in(cg, a);
    k.b = opnd(cg, b, false);
    return k;
}

static enum x86_cc cmp_emit(struct jit_cg *cg, struct cmp k)
{
    bool tst = k.c == IR_TSTEQ || k.c == IR_TSTNE;
    if (k.b.imm && k.b.val == 0 && (k.c == IR_EQ || k.c == IR_NE))
        x86_test_rr(&cg->e, false, k.ra, k.ra);
    else if (tst && k.b.imm)
        x86_test_ri(&cg->e, false, k.ra, k.b.val);
    else if (tst)
        x86_test_rr(&cg->e, false, k.ra, k.b.reg);
    else
        apply_alu(cg, X_CMP, false, k.ra, k.b);
    return cc_of(k.c);
}

static void add_fixup(struct jit_cg *cg, uint32_t at, uint32_t label)
{
    if (cg->n_fix == cg->cap_fix) {
        cg->cap_fix = cg->cap_fix ? cg->cap_fix * 2 : 32;
        cg->fix = realloc(cg->fix, cg->cap_fix * sizeof(*cg->fix));
        xl_assert(cg->fix != NULL);
    }
    cg->fix[cg->n_fix++] = (struct cg_fixup){ at, label };
}

static void place_label(struct jit_cg *cg, uint32_t label)
{
    uint32_t here = x86_pos(&cg->e);
    cg->label_pos[label] = here;
    for (uint32_t k = 0; k < cg->n_fix; k++)
        if (cg->fix[k].label == label) {
            x86_patch_rel32(&cg->e, cg->fix[k].at, here);
            cg->fix[k] = cg->fix[--cg->n_fix];
            k--;
        }
}

/* Guest memory operand for an i32 address temp (zero-extended, identity mapped). */
static struct x86_mem guest_addr(struct jit_cg *cg, ir_temp addr, int *reg)
{
    *reg = -1;
    if (is_const(cg, addr) && cval(cg, addr) < 0x80000000u)
        return x86_abs((int32_t)cval(cg, addr));
    *reg = ra_in(cg, addr);
    return x86_base(*reg, 0);
}

static void gen_load(struct jit_cg *cg, bool w, ir_temp out, ir_temp addr, unsigned memop)
{
    int ra;
    struct x86_mem m = guest_addr(cg, addr, &ra);
    int d = dst_any(cg, out, addr, ra, RA_NONE, -1);
    x86_load_ext(&cg->e, w, 1u << (memop & IR_MO_SIZE), memop & IR_MO_SIGN, d, m);
}

static void gen_store(struct jit_cg *cg, ir_temp val, ir_temp addr, unsigned memop)
{
    unsigned size = 1u << (memop & IR_MO_SIZE);
    bool w = cg->b->temps[val].type == IR_I64;
    int ra;
    struct x86_mem m = guest_addr(cg, addr, &ra);
    if (is_const(cg, val) && (size < 8 || fits_s32(cval(cg, val)))) {
        x86_mov_store_imm(&cg->e, size, m, (uint32_t)cval(cg, val));
        return;
    }
    int rv = ra_in(cg, val);
    if (size <= 2)
        x86_store_narrow(&cg->e, size, m, rv);
    else
        x86_mov_store(&cg->e, w && size == 8, m, rv);
}

/*
 * lock cmpxchg [m], r compares [m] with rax (eax, ax, al) and leaves the old value there.
 * rax is evicted first, as rcx is for shifts: no other operand of the op can then be in it,
 * and the output is bound to it afterwards. On success a 32-bit cmpxchg leaves rax as it
 * was (expected, zero-extended by its mov); on failure it loads eax, zeroing bits 63:32.
 * The 8- and 16-bit forms keep expected's upper bits, hence the movzx.
 */
static void gen_cmpxchg(struct jit_cg *cg, bool w, unsigned size, ir_temp out, ir_temp addr,
                        ir_temp expected, ir_temp val)
{
    ra_evict(cg, X_RAX);
    int ra;
    struct x86_mem m = guest_addr(cg, addr, &ra);
    int rv = ra_in(cg, val);
    if (is_const(cg, expected))
        x86_mov_ri(&cg->e, w, X_RAX, cval(cg, expected));
    else
        x86_mov_rr(&cg->e, w, X_RAX, ra_in(cg, expected));
    x86_lock_cmpxchg(&cg->e, size, m, rv);
    if (size < 4)
        x86_ext_rr(&cg->e, false, size, false, X_RAX, X_RAX);
    ra_bind_out(cg, out, X_RAX);
}

/* xchg [m], r (locked by itself) overwrites r: the new value goes in through r11. */
static void gen_xchg(struct jit_cg *cg, unsigned size, ir_temp out, ir_temp addr, ir_temp val)
{
    int ra;
    struct x86_mem m = guest_addr(cg, addr, &ra);
    if (is_const(cg, val))
        x86_mov_ri(&cg->e, false, JIT_SCRATCH, cval(cg, val));
    else
        x86_mov_rr(&cg->e, false, JIT_SCRATCH, ra_in(cg, val));
    x86_xchg_m(&cg->e, size, m, JIT_SCRATCH);
    if (size < 4)
        x86_ext_rr(&cg->e, false, size, false, JIT_SCRATCH, JIT_SCRATCH);
    x86_mov_rr(&cg->e, false, ra_out(cg, out), JIT_SCRATCH);
}

void jit_load_arg(struct jit_cg *cg, int r, ir_temp t, bool w)
{
    if (is_const(cg, t))
        x86_mov_ri(&cg->e, w, r, cval(cg, t));
    else if (cg->t[t].reg >= 0)
        x86_mov_rr(&cg->e, w, r, cg->t[t].reg);
    else
        x86_mov_load(&cg->e, w, r, ra_home(cg, t));
}

static void gen_call(struct jit_cg *cg, const struct ir_op *op)
{
    static const int8_t argreg[] = { X_RDI, X_RSI, X_RDX, X_RCX, X_R8, X_R9 };
    const uint64_t *ins = ir_op_ins_c(op);
    const struct ir_helper_info *h = &ir_helpers[ir_op_consts_c(op)[0]];
    ra_before_call(cg, ir_helper_takes_env(h));
    /* Caller-saved registers are all free now: inputs come from callee-saved registers,
       homes or immediates, so the argument moves cannot clobber each other. */
    unsigned k = 0;
    for (unsigned i = 0; i < h->nargs; i++) {
        int r = argreg[i];
        if (h->args[i] == IR_HT_env) {
            x86_mov_rr(&cg->e, true, r, JIT_ENV);
            continue;
        }
        jit_load_arg(cg, r, (ir_temp)ins[k++], h->args[i] == IR_HT_i64);
    }
    x86_call(&cg->e, h->fn);
    if (op->nout) {
        ir_temp out = (ir_temp)op->args[0];
        if (h->ret == IR_HT_i32)
            x86_mov_rr(&cg->e, false, X_RAX, X_RAX);    /* the ABI leaves bits 63:32 */
        ra_bind_out(cg, out, X_RAX);
    }
}

static void jmp_epilogue(struct jit_cg *cg)
{
    x86_jmp_rel32(&cg->e, cg->j->epilogue);
}

static void gen_goto_ptr(struct jit_cg *cg)
{
    struct x86 *e = &cg->e;
    if (cg->j->hooks.no_chain) {
        x86_jmp_rel32(e, cg->j->exit_lookup);
        return;
    }
    /* key = pc | thumb; entry = jc[(key >> 1) & mask], at byte offset (key << 3) & mask'. */
    x86_mov_load(e, false, X_RAX, x86_base(JIT_ENV, offsetof(struct cpu, r[15])));
    x86_alu_rm(e, X_OR, false, X_RAX, x86_base(JIT_ENV, offsetof(struct cpu, thumb)));
    x86_lea(e, false, X_RCX, x86_bix(X_NOREG, X_RAX, 8, 0));
    x86_alu_ri(e, X_AND, false, X_RCX, (int32_t)((JIT_JC_SIZE - 1) << 4));
    x86_lea(e, true, X_RDX, x86_rip(cg->j->jc));
    x86_alu_rm(e, X_CMP, false, X_RAX, x86_bix(X_RDX, X_RCX, 1, 0));
    x86_jcc_rel32(e, X_CC_NE, cg->j->exit_lookup);
    x86_jmp_m(e, x86_bix(X_RDX, X_RCX, 1, 8));
}

static void gen_op(struct jit_cg *cg, const struct ir_op *op, struct jit_tb *tb)
{
    const uint64_t *o = ir_op_outs_c(op), *in = ir_op_ins_c(op), *c = ir_op_consts_c(op);
    struct x86 *e = &cg->e;
#define T(x) ((ir_temp)(x))
    switch ((enum ir_opc)op->opc) {
    case IR_nop:
        break;
    case IR_insn_start:
        if (cg->n_pcmap == cg->cap_pcmap) {
            cg->cap_pcmap = cg->cap_pcmap ? cg->cap_pcmap * 2 : 64;
            cg->pcmap = realloc(cg->pcmap, cg->cap_pcmap * sizeof(*cg->pcmap));
            xl_assert(cg->pcmap != NULL);
        }
        cg->pcmap[cg->n_pcmap++] = (struct jit_pcmap){ x86_pos(e), (uint32_t)c[0] };
        break;
    case IR_set_label:
        ra_flush(cg, true, true);
        place_label(cg, (uint32_t)c[0]);
        break;
    case IR_br:
        ra_flush(cg, true, true);
        add_fixup(cg, x86_jmp_rel32(e, NULL), (uint32_t)c[0]);
        break;
    case IR_brcond_i32: {
        struct cmp k = cmp_prepare(cg, (enum ir_cond)c[0], T(in[0]), T(in[1]));
        /* Stores only (flags untouched); the fall-through keeps the now clean registers. */
        ra_flush(cg, true, false);
        enum x86_cc cc = cmp_emit(cg, k);
        add_fixup(cg, x86_jcc_rel32(e, cc, NULL), (uint32_t)c[1]);
        break;
    }
    case IR_mov_i32: gen_mov(cg, false, T(o[0]), T(in[0])); break;
    case IR_add_i32:
    case IR_sub_i32: {
        bool add = op->opc == IR_add_i32;
        int cc = carry_of_next(cg, op);
        if (cc >= 0) {
            /* The setcond's register, zeroed before the flags are made: setcc then writes
               its low byte with no merge and no movzx after it. */
            int f = ra_out(cg, T(ir_op_outs_c(op + 1)[0]));
            x86_alu_rr(e, X_XOR, false, f, f);
            cg->v_reg = -1;
            if (overflow_follows(cg, op)) {
                cg->v_reg = ra_out(cg, IR_G_VF);
                x86_alu_rr(e, X_XOR, false, cg->v_reg, cg->v_reg);
            }
            gen_alu_lea(cg, add ? X_ADD : X_SUB, false, add, T(o[0]), T(in[0]), T(in[1]), false);
            cg->flags_op = cg->op + 1;
            cg->flags_cc = (enum x86_cc)cc;
        } else if (add) {
            gen_alu(cg, X_ADD, false, true, T(o[0]), T(in[0]), T(in[1]));
        } else {
            gen_sub(cg, false, T(o[0]), T(in[0]), T(in[1]));
        }
        break;
    }
    case IR_mul_i32: gen_mul(cg, false, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_and_i32: gen_alu(cg, X_AND, false, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_or_i32: gen_alu(cg, X_OR, false, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_xor_i32: gen_alu(cg, X_XOR, false, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_andc_i32: {
        if (is_const(cg, T(in[1]))) {
            struct dst d = dst_begin(cg, T(o[0]), T(in[0]), false, RA_NONE);
            x86_alu_ri(e, X_AND, false, d.r, (int32_t)~(uint32_t)cval(cg, T(in[1])));
            dst_end(cg, d);
            break;
        }
        x86_mov_rr(e, false, JIT_SCRATCH, ra_in(cg, T(in[1])));
        x86_not(e, false, JIT_SCRATCH);
        struct dst d = dst_begin(cg, T(o[0]), T(in[0]), false, RA_NONE);
        x86_alu_rr(e, X_AND, false, d.r, JIT_SCRATCH);
        dst_end(cg, d);
        break;
    }
    case IR_shl_i32: gen_shift(cg, X_SHL, false, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_shr_i32: gen_shift(cg, X_SHR, false, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_sar_i32: gen_shift(cg, X_SAR, false, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_rotr_i32: gen_shift(cg, X_ROR, false, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_not_i32: gen_unary(cg, x86_not, false, T(o[0]), T(in[0])); break;
    case IR_neg_i32: gen_unary(cg, x86_neg, false, T(o[0]), T(in[0])); break;
    case IR_clz_i32: gen_clz(cg, T(o[0]), T(in[0])); break;
    case IR_bswap_i32: gen_unary(cg, x86_bswap, false, T(o[0]), T(in[0])); break;
    case IR_ext8s_i32: gen_ext(cg, 1, true, T(o[0]), T(in[0])); break;
    case IR_ext8u_i32: gen_ext(cg, 1, false, T(o[0]), T(in[0])); break;
    case IR_ext16s_i32: gen_ext(cg, 2, true, T(o[0]), T(in[0])); break;
    case IR_ext16u_i32: gen_ext(cg, 2, false, T(o[0]), T(in[0])); break;
    case IR_extract_i32:
        gen_extract(cg, false, T(o[0]), T(in[0]), (unsigned)c[0], (unsigned)c[1]);
        break;
    case IR_sextract_i32:
        gen_extract(cg, true, T(o[0]), T(in[0]), (unsigned)c[0], (unsigned)c[1]);
        break;
    case IR_deposit_i32:
        gen_deposit(cg, T(o[0]), T(in[0]), T(in[1]), (unsigned)c[0], (unsigned)c[1]);
        break;
    case IR_setcond_i32: {
        if (cg->flags_op == cg->op) {   /* the add or sub just before made the flags */
            x86_setcc(e, cg->flags_cc, ra_out(cg, T(o[0])));
            if (cg->v_reg >= 0) {       /* overflow_follows */
                int v = ra_out(cg, IR_G_VF);
                x86_setcc(e, X_CC_O, v);
                if (v != cg->v_reg)
                    x86_ext_rr(e, false, 1, false, v, v);
                x86_shift_ri(e, X_SHL, false, v, 31);
                cg->skip_to = cg->op + 3;
            }
            break;
        }
        struct cmp k = cmp_prepare(cg, (enum ir_cond)c[0], T(in[0]), T(in[1]));
        if (o[0] != in[0] && o[0] != in[1]) {
            int d = ra_out(cg, T(o[0]));    /* zeroed first, as above */
            x86_alu_rr(e, X_XOR, false, d, d);
            x86_setcc(e, cmp_emit(cg, k), d);
            break;
        }
        enum x86_cc cc = cmp_emit(cg, k);
        int d = ra_out(cg, T(o[0]));        /* may spill: movs only, flags survive */
        x86_setcc(e, cc, d);
        x86_ext_rr(e, false, 1, false, d, d);
        break;
    }
    case IR_movcond_i32: {
        struct cmp k = cmp_prepare(cg, (enum ir_cond)c[0], T(in[0]), T(in[1]));
        int rt = ra_in(cg, T(in[2]));
        if (is_const(cg, T(in[3])))
            x86_mov_ri(e, false, JIT_SCRATCH, cval(cg, T(in[3])));
        else
            x86_mov_rr(e, false, JIT_SCRATCH, ra_in(cg, T(in[3])));
        enum x86_cc cc = cmp_emit(cg, k);
        x86_cmov(e, cc, false, JIT_SCRATCH, rt);
        x86_mov_rr(e, false, ra_out(cg, T(o[0])), JIT_SCRATCH);
        break;
    }
    case IR_mulu2_i32:
    case IR_muls2_i32: {
        bool sign = op->opc == IR_muls2_i32;
        ir_temp a = T(in[0]), b = T(in[1]);
        if (is_const(cg, a)) {
            ir_temp t = a;
            a = b;
            b = t;
        }
        /* One 64-bit imul of the extended operands gives the exact 64-bit product. */
        if (sign)
            x86_movsxd_rr(e, JIT_SCRATCH, ra_in(cg, a));
        else
            x86_mov_rr(e, false, JIT_SCRATCH, ra_in(cg, a));
        if (is_const(cg, b) && (sign || cval(cg, b) < 0x80000000u)) {
            x86_imul_rri(e, true, JIT_SCRATCH, JIT_SCRATCH, (int32_t)(uint32_t)cval(cg, b));
        } else {
            int rb = ra_in(cg, b);
            if (sign) {
                int s = ra_scratch(cg);
                x86_movsxd_rr(e, s, rb);
                rb = s;
            }
            x86_imul_rr(e, true, JIT_SCRATCH, rb);
        }
        x86_mov_rr(e, false, ra_out(cg, T(o[0])), JIT_SCRATCH);
        x86_shift_ri(e, X_SHR, true, JIT_SCRATCH, 32);
        x86_mov_rr(e, false, ra_out(cg, T(o[1])), JIT_SCRATCH);
        break;
    }
    case IR_add2_i32:
    case IR_sub2_i32: {
        bool add = op->opc == IR_add2_i32;
        struct opnd al = opnd(cg, T(in[0]), false), ah = opnd(cg, T(in[1]), false);
        struct opnd bl = opnd(cg, T(in[2]), false), bh = opnd(cg, T(in[3]), false);
        int hi = ra_scratch(cg);
        if (al.imm)
            x86_mov_ri(e, false, JIT_SCRATCH, (uint32_t)al.val);
        else
            x86_mov_rr(e, false, JIT_SCRATCH, al.reg);
        if (ah.imm)
            x86_mov_ri(e, false, hi, (uint32_t)ah.val);
        else
            x86_mov_rr(e, false, hi, ah.reg);
        apply_alu(cg, add ? X_ADD : X_SUB, false, JIT_SCRATCH, bl);
        apply_alu(cg, add ? X_ADC : X_SBB, false, hi, bh);
        x86_mov_rr(e, false, ra_out(cg, T(o[0])), JIT_SCRATCH);
        ra_bind_out(cg, T(o[1]), hi);
        break;
    }

    case IR_mov_i64: gen_mov(cg, true, T(o[0]), T(in[0])); break;
    case IR_add_i64: gen_alu(cg, X_ADD, true, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_sub_i64: gen_sub(cg, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_mul_i64: gen_mul(cg, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_and_i64: gen_alu(cg, X_AND, true, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_or_i64: gen_alu(cg, X_OR, true, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_xor_i64: gen_alu(cg, X_XOR, true, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_shl_i64: gen_shift(cg, X_SHL, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_shr_i64: gen_shift(cg, X_SHR, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_sar_i64: gen_shift(cg, X_SAR, true, T(o[0]), T(in[0]), T(in[1])); break;
    case IR_ext_i32_i64: {
        int ra = ra_in(cg, T(in[0]));
        x86_movsxd_rr(e, dst_any(cg, T(o[0]), T(in[0]), ra, RA_NONE, -1), ra);
        break;
    }
    case IR_extu_i32_i64:   /* i32 temps are zero-extended already */
    case IR_extrl_i64_i32: {
        int ra = ra_in(cg, T(in[0]));
        int d = dst_any(cg, T(o[0]), T(in[0]), ra, RA_NONE, -1);
        if (d != ra || op->opc == IR_extrl_i64_i32)
            x86_mov_rr(e, false, d, ra);
        break;
    }
    case IR_extrh_i64_i32: {
        struct dst d = dst_begin(cg, T(o[0]), T(in[0]), true, RA_NONE);
        x86_shift_ri(e, X_SHR, true, d.r, 32);
        dst_end(cg, d);
        break;
    }
    case IR_concat_i32_i64: {
        int rl = ra_in(cg, T(in[0])), rh = ra_in(cg, T(in[1]));
        x86_mov_rr(e, false, JIT_SCRATCH, rh);
        x86_shift_ri(e, X_SHL, true, JIT_SCRATCH, 32);
        x86_alu_rr(e, X_OR, true, JIT_SCRATCH, rl);
        x86_mov_rr(e, true, ra_out(cg, T(o[0])), JIT_SCRATCH);
        break;
    }

    case IR_ld_i32: gen_load(cg, false, T(o[0]), T(in[0]), (unsigned)c[0]); break;
    case IR_ld_i64: gen_load(cg, true, T(o[0]), T(in[0]), (unsigned)c[0]); break;
    case IR_st_i32:
    case IR_st_i64:
        gen_store(cg, T(in[0]), T(in[1]), (unsigned)c[0]);
        break;
    case IR_cmpxchg_i32:
        gen_cmpxchg(cg, false, 1u << (c[0] & IR_MO_SIZE), T(o[0]), T(in[0]), T(in[1]),
                    T(in[2]));
        break;
    case IR_cmpxchg_i64:
        gen_cmpxchg(cg, true, 8, T(o[0]), T(in[0]), T(in[1]), T(in[2]));
        break;
    case IR_xchg_i32:
        gen_xchg(cg, 1u << (c[0] & IR_MO_SIZE), T(o[0]), T(in[0]), T(in[1]));
        break;
    case IR_mb:
        /* dmb/dsb: x86 (TSO) keeps every order but store->load, which mfence adds. */
        x86_mfence(e);
        break;
    case IR_call:
        gen_call(cg, op);
        break;
    case IR_vec_i64:
        jit_gen_vec(cg, op);
        break;

    case IR_goto_tb: {
        ra_flush(cg, false, true);
        unsigned slot = (unsigned)c[1];
        xl_assert(slot < JIT_MAX_SLOTS);
        x86_align_jmp_rel32(e);
        tb->jmp_at[slot] = x86_jmp_rel32(e, NULL);      /* to the slot's stub, for now */
        tb->target[slot] = (uint32_t)c[0];
        if (slot + 1 > tb->n_slots)
            tb->n_slots = slot + 1;
        break;
    }
    case IR_goto_ptr:
        ra_flush(cg, false, true);
        gen_goto_ptr(cg);
        break;
    case IR_exit_tb:
        ra_flush(cg, false, true);
        if (c[0] == IR_EXIT_LOOKUP) {
            x86_jmp_rel32(e, cg->j->exit_lookup);
            break;
        }
        x86_mov_store_imm(e, 4, x86_base(JIT_ENV, offsetof(struct cpu, exit_pc)), op->guest_pc);
        x86_mov_ri(e, false, X_RAX, c[0]);
        jmp_epilogue(cg);
        break;
    case IR_NUM_OPS:
        xl_unreachable();
    }
#undef T
}

struct jit_tb *jit_codegen(struct jit *j, const struct ir_block *b)
{
    if (!j->cg) {
        j->cg = calloc(1, sizeof(*j->cg));
        xl_assert(j->cg != NULL);
    }
    struct jit_cg *cg = j->cg;
    cg->j = j;
    cg->b = b;
    cg->n_fix = 0;
    cg->n_pcmap = 0;
    if (cg->cap_labels < b->n_labels) {
        cg->cap_labels = b->n_labels * 2;
        cg->label_pos = realloc(cg->label_pos, cg->cap_labels * sizeof(*cg->label_pos));
        xl_assert(cg->label_pos != NULL);
    }

    uintptr_t p = ((uintptr_t)j->code_ptr + 15) & ~(uintptr_t)15;
    struct jit_tb *tb = (struct jit_tb *)p;
    uint8_t *code = (uint8_t *)(((uintptr_t)(tb + 1) + 15) & ~(uintptr_t)15);
    if (code >= j->code_end)
        return NULL;
    memset(tb, 0, sizeof(*tb));
    x86_init(&cg->e, code, j->code_end);
    ra_begin(cg);
    /* An asynchronous signal waits for this thread (cpu->interrupt, set by the runtime's
       handler): leave before the block runs, through a stub that sets cpu->r[15] to the
       block's pc (a linked goto_tb into it stores no pc), so that a chained loop cannot
       keep the signal waiting. The scratch register holds nothing at a block's start. */
    x86_mov_load(&cg->e, false, JIT_SCRATCH, x86_base(JIT_ENV, offsetof(struct cpu, interrupt)));
    x86_test_rr(&cg->e, false, JIT_SCRATCH, JIT_SCRATCH);
    uint32_t interrupt_at = x86_jcc_rel32(&cg->e, X_CC_NE, NULL);
    uint64_t *count = j->hooks.counter ? j->hooks.counter(j->hooks.ctx, b->guest_pc, b->thumb)
                                       : NULL;
    if (count) {
        x86_mov_ri(&cg->e, true, JIT_SCRATCH, (uint64_t)(uintptr_t)count);
        x86_inc_m(&cg->e, true, x86_base(JIT_SCRATCH, 0));
    }

    cg->flags_op = UINT32_MAX;
    cg->skip_to = 0;
    for (cg->op = 0; cg->op < b->n_ops; cg->op++) {
        const struct ir_op *op = &b->ops[cg->op];
        if (cg->op > cg->skip_to || cg->skip_to == 0)
            gen_op(cg, op, tb);     /* (ops up to skip_to were done by an earlier one) */
        ra_end_op(cg, op);
        if (cg->e.overflow)
            return NULL;
    }
    xl_assert(cg->n_fix == 0);

    x86_patch_rel32(&cg->e, interrupt_at, x86_pos(&cg->e));
    x86_mov_store_imm(&cg->e, 4, x86_base(JIT_ENV, offsetof(struct cpu, r[15])), b->guest_pc);
    x86_jmp_rel32(&cg->e, j->exit_interrupt);
    /* Chain stubs: the target's pc (gen_mov left it to them), then IR_EXIT_CHAIN with the
       slot, and the block in rdx. */
    for (unsigned s = 0; s < tb->n_slots; s++) {
        tb->stub_at[s] = x86_pos(&cg->e);
        x86_patch_rel32(&cg->e, tb->jmp_at[s], tb->stub_at[s]);
        x86_mov_store_imm(&cg->e, 4, x86_base(JIT_ENV, offsetof(struct cpu, r[15])),
                          tb->target[s] & ~1u);
        x86_mov_ri(&cg->e, false, X_RAX, IR_EXIT_CHAIN | s << 8);
        x86_mov_ri(&cg->e, true, X_RDX, (uint64_t)(uintptr_t)tb);
        jmp_epilogue(cg);
    }
    tb->code_size = x86_pos(&cg->e);
    x86_align(&cg->e, 4);
    struct jit_pcmap *map = (struct jit_pcmap *)(void *)cg->e.p;
    for (uint32_t k = 0; k < cg->n_pcmap; k++) {
        x86_u32(&cg->e, cg->pcmap[k].host_off);
        x86_u32(&cg->e, cg->pcmap[k].guest_pc);
    }
    if (cg->e.overflow)
        return NULL;

    tb->pcmap = map;
    tb->n_pcmap = cg->n_pcmap;
    tb->pc = b->guest_pc;
    tb->guest_end = b->guest_end > b->guest_pc ? b->guest_end : b->guest_pc + 1;
    tb->thumb = b->thumb;
    tb->code = code;
    j->code_ptr = cg->e.p;
    return tb;
}

void jit_cg_free(struct jit_cg *cg)
{
    if (!cg)
        return;
    free(cg->t);
    free(cg->label_pos);
    free(cg->fix);
    free(cg->pcmap);
    free(cg);
}
