/*
 * The µIR reference interpreter: the meaning of every op, written once in C.
 *
 * The optimizer folds constants with ir_eval_op; tests run whole blocks with
 * ir_interp_block and check the JIT against it. It runs a block the way the JIT does:
 * globals live in struct cpu (ir_globals[g].offset), locals in a scratch array, guest
 * address A is host address A (the caller maps guest memory in the low 4 GiB), helpers are
 * called natively through ir_helpers[h].fn.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "xl_assert.h"
#include "../helpers/helpers.h"

bool ir_cond_holds(enum ir_cond c, uint32_t a, uint32_t b)
{
    switch (c) {
    case IR_EQ: return a == b;
    case IR_NE: return a != b;
    case IR_LT: return (int32_t)a < (int32_t)b;
    case IR_GE: return (int32_t)a >= (int32_t)b;
    case IR_LE: return (int32_t)a <= (int32_t)b;
    case IR_GT: return (int32_t)a > (int32_t)b;
    case IR_LTU: return a < b;
    case IR_GEU: return a >= b;
    case IR_LEU: return a <= b;
    case IR_GTU: return a > b;
    case IR_TSTEQ: return (a & b) == 0;
    case IR_TSTNE: return (a & b) != 0;
    case IR_NUM_CONDS: break;
    }
    xl_unreachable();
}

/* Low len bits set (1 <= len <= 32). */
static uint32_t low_mask(uint64_t len)
{
    return len == 32 ? 0xffffffffu : (1u << len) - 1;
}

bool ir_eval_op(const struct ir_op *op, const uint64_t *v, uint64_t *out)
{
    const uint64_t *c = ir_op_consts_c(op);
    uint32_t a = (uint32_t)v[0], b = (uint32_t)v[1];
    switch ((enum ir_opc)op->opc) {
    case IR_mov_i32: out[0] = a; return true;
    case IR_add_i32: out[0] = (uint32_t)(a + b); return true;
    case IR_sub_i32: out[0] = (uint32_t)(a - b); return true;
    case IR_mul_i32: out[0] = (uint32_t)(a * b); return true;
    case IR_and_i32: out[0] = a & b; return true;
    case IR_or_i32: out[0] = a | b; return true;
    case IR_xor_i32: out[0] = a ^ b; return true;
    case IR_andc_i32: out[0] = a & ~b; return true;
    case IR_shl_i32: out[0] = (uint32_t)(a << (b & 31)); return true;
    case IR_shr_i32: out[0] = a >> (b & 31); return true;
    case IR_sar_i32: out[0] = (uint32_t)((int32_t)a >> (b & 31)); return true;
    case IR_rotr_i32:
        out[0] = (b & 31) ? (a >> (b & 31)) | (a << (32 - (b & 31))) : a;
        return true;
    case IR_not_i32: out[0] = ~a; return true;
    case IR_neg_i32: out[0] = (uint32_t)-a; return true;
    case IR_clz_i32: out[0] = a ? (uint32_t)__builtin_clz(a) : 32; return true;
    case IR_bswap_i32: out[0] = __builtin_bswap32(a); return true;
    case IR_ext8s_i32: out[0] = (uint32_t)(int32_t)(int8_t)a; return true;
    case IR_ext8u_i32: out[0] = (uint8_t)a; return true;
    case IR_ext16s_i32: out[0] = (uint32_t)(int32_t)(int16_t)a; return true;
    case IR_ext16u_i32: out[0] = (uint16_t)a; return true;
    case IR_extract_i32: out[0] = (a >> c[0]) & low_mask(c[1]); return true;
    case IR_sextract_i32:
        out[0] = (uint32_t)((int32_t)(a << (32 - c[0] - c[1])) >> (32 - c[1]));
        return true;
    case IR_deposit_i32: {
        uint32_t m = low_mask(c[1]) << c[0];
        out[0] = (a & ~m) | ((b << c[0]) & m);
        return true;
    }
    case IR_setcond_i32: out[0] = ir_cond_holds((enum ir_cond)c[0], a, b); return true;
    case IR_movcond_i32:
        out[0] = ir_cond_holds((enum ir_cond)c[0], a, b) ? (uint32_t)v[2] : (uint32_t)v[3];
        return true;
    case IR_mulu2_i32:
    case IR_muls2_i32:
    case IR_add2_i32:
    case IR_sub2_i32: {
        uint64_t r;
        if (op->opc == IR_mulu2_i32)
            r = (uint64_t)a * b;
        else if (op->opc == IR_muls2_i32)
            r = (uint64_t)((int64_t)(int32_t)a * (int32_t)b);
        else if (op->opc == IR_add2_i32)
            r = ((uint64_t)b << 32 | a) + ((uint64_t)(uint32_t)v[3] << 32 | (uint32_t)v[2]);
        else
            r = ((uint64_t)b << 32 | a) - ((uint64_t)(uint32_t)v[3] << 32 | (uint32_t)v[2]);
        out[0] = (uint32_t)r;
        out[1] = (uint32_t)(r >> 32);
        return true;
    }
    case IR_mov_i64: out[0] = v[0]; return true;
    case IR_add_i64: out[0] = v[0] + v[1]; return true;
    case IR_sub_i64: out[0] = v[0] - v[1]; return true;
    case IR_mul_i64: out[0] = v[0] * v[1]; return true;
    case IR_and_i64: out[0] = v[0] & v[1]; return true;
    case IR_or_i64: out[0] = v[0] | v[1]; return true;
    case IR_xor_i64: out[0] = v[0] ^ v[1]; return true;
    case IR_shl_i64: out[0] = v[0] << (v[1] & 63); return true;
    case IR_shr_i64: out[0] = v[0] >> (v[1] & 63); return true;
    case IR_sar_i64: out[0] = (uint64_t)((int64_t)v[0] >> (v[1] & 63)); return true;
    case IR_ext_i32_i64: out[0] = (uint64_t)(int64_t)(int32_t)a; return true;
    case IR_extu_i32_i64: out[0] = a; return true;
    case IR_extrl_i64_i32: out[0] = (uint32_t)v[0]; return true;
    case IR_extrh_i64_i32: out[0] = (uint32_t)(v[0] >> 32); return true;
    case IR_concat_i32_i64: out[0] = (uint64_t)a | (uint64_t)b << 32; return true;
    case IR_vec_i64: out[0] = helper_neon(v[0], v[1], v[2], (uint32_t)c[0]); return true;
    /* Not a function of the inputs alone: control flow, memory, calls, block ends. */
    case IR_nop: case IR_insn_start: case IR_set_label: case IR_br: case IR_brcond_i32:
    case IR_ld_i32: case IR_st_i32: case IR_ld_i64: case IR_st_i64: case IR_mb:
    case IR_cmpxchg_i32: case IR_cmpxchg_i64: case IR_xchg_i32:
    case IR_call: case IR_goto_tb: case IR_goto_ptr: case IR_exit_tb: case IR_NUM_OPS:
        return false;
    }
    return false;
}

/* ---- Helper calls ---- */

/* A helper's C signature as one number: the return type, then a1..a4 (enum ir_htype). */
#define SIG(ret, a1, a2, a3, a4) \
    (IR_HT_##ret | IR_HT_##a1 << 2 | IR_HT_##a2 << 4 | IR_HT_##a3 << 6 | IR_HT_##a4 << 8)

/* Every signature that helpers.def uses: X(s, ret, nargs, a1, a2, a3, a4). A helper with
   another one fails the _Static_assert below until its line is added here. */
#define INTERP_SIGS(X, s) \
    X(s, void, 1, i32, void, void, void) \
    X(s, i32, 1, i32, void, void, void) \
    X(s, i32, 2, i32, i32, void, void) \
    X(s, i32, 3, i32, i32, i32, void) \
    X(s, i32, 1, i64, void, void, void) \
    X(s, i32, 2, i64, i64, void, void) \
    X(s, i64, 1, i32, void, void, void) \
    X(s, i64, 2, i32, i32, void, void) \
    X(s, i64, 1, i64, void, void, void) \
    X(s, i64, 2, i64, i64, void, void) \
    X(s, i64, 3, i64, i64, i64, void) \
    X(s, i64, 3, i64, i32, i32, void) \
    X(s, i32, 2, i64, i32, void, void) \
    X(s, i32, 3, i64, i64, i32, void) \
    X(s, i32, 4, i32, i32, i32, i32) \
    X(s, i64, 2, i64, i32, void, void) \
    X(s, i64, 3, i64, i64, i32, void) \
    X(s, i64, 4, i64, i64, i64, i32)

#define SIG_IS(s, ret, n, a1, a2, a3, a4) || (s) == SIG(ret, a1, a2, a3, a4)
#define DEF_HELPER(name, flags, ret, nargs, a1, a2, a3, a4) \
    _Static_assert(0 INTERP_SIGS(SIG_IS, SIG(ret, a1, a2, a3, a4)), \
                   "helper_" #name ": a signature that INTERP_SIGS lacks");
#include "../helpers/helpers.def"
#undef DEF_HELPER
#undef SIG_IS

#define ARG_i32(k) ((uint32_t)a[k])
#define ARG_i64(k) (a[k])
#define ARG_env(k) (cpu)
#define ARGS_0(a1, a2, a3, a4)
#define ARGS_1(a1, a2, a3, a4) ARG_##a1(0)
#define ARGS_2(a1, a2, a3, a4) ARG_##a1(0), ARG_##a2(1)
#define ARGS_3(a1, a2, a3, a4) ARG_##a1(0), ARG_##a2(1), ARG_##a3(2)
#define ARGS_4(a1, a2, a3, a4) ARG_##a1(0), ARG_##a2(1), ARG_##a3(2), ARG_##a4(3)
#define RET_void(call) ((call), (uint64_t)0)
#define RET_i32(call) ((uint64_t)(call))
#define RET_i64(call) ((uint64_t)(call))
#define CALL_CASE(s, ret, n, a1, a2, a3, a4) \
    case SIG(ret, a1, a2, a3, a4): \
        return RET_##ret(((xl_htype_##ret (*)(XL_HPARAMS_##n(a1, a2, a3, a4)))fn)( \
            ARGS_##n(a1, a2, a3, a4)));

/* Calls helper h with a[i] for its i-th argument (env arguments get cpu). */
static uint64_t call_helper(unsigned h, const uint64_t *a, struct cpu *cpu)
{
    const struct ir_helper_info *hi = &ir_helpers[h];
    void *fn = hi->fn;
    (void)cpu;
    switch (hi->ret | hi->args[0] << 2 | hi->args[1] << 4 | hi->args[2] << 6 |
            hi->args[3] << 8) {
    INTERP_SIGS(CALL_CASE, 0)
    }
    xl_assert(!"helper signature not supported by ir_interp_block");
    return 0;
}

#undef CALL_CASE
#undef RET_void
#undef RET_i32
#undef RET_i64
#undef ARGS_0
#undef ARGS_1
#undef ARGS_2
#undef ARGS_3
#undef ARGS_4
#undef ARG_i32
#undef ARG_i64
#undef ARG_env
#undef INTERP_SIGS
#undef SIG

/* ---- Whole blocks ---- */

struct interp {
    const struct ir_block *b;
    struct cpu *cpu;
    uint64_t *local;            /* per temp; only locals are used */
};

static uint64_t get(const struct interp *s, uint64_t t)
{
    const struct ir_temp_info *ti = &s->b->temps[t];
    uint64_t v = 0;
    switch ((enum ir_temp_kind)ti->kind) {
    case IR_TEMP_GLOBAL:
        memcpy(&v, (const uint8_t *)s->cpu + ir_globals[t].offset, ti->type == IR_I64 ? 8 : 4);
        return v;
    case IR_TEMP_CONST:
        return ti->type == IR_I64 ? ti->val : (uint32_t)ti->val;
    case IR_TEMP_LOCAL:
        return s->local[t];
    }
    xl_unreachable();
}

/* i32 temps hold zero-extended values, as in both backends. */
static void set(struct interp *s, uint64_t t, uint64_t v)
{
    const struct ir_temp_info *ti = &s->b->temps[t];
    if (ti->type == IR_I32)
        v = (uint32_t)v;
    switch ((enum ir_temp_kind)ti->kind) {
    case IR_TEMP_GLOBAL:
        memcpy((uint8_t *)s->cpu + ir_globals[t].offset, &v, ti->type == IR_I64 ? 8 : 4);
        return;
    case IR_TEMP_CONST:
        break;
    case IR_TEMP_LOCAL:
        s->local[t] = v;
        return;
    }
    xl_unreachable();
}

/* Guest memory is identity mapped and little-endian, like the host. */
static uint64_t load(uint32_t addr, unsigned memop)
{
    unsigned size = 1u << (memop & IR_MO_SIZE);
    uint64_t v = 0;
    memcpy(&v, (const void *)(uintptr_t)addr, size);
    if ((memop & IR_MO_SIGN) && size < 8)
        v = (uint64_t)((int64_t)(v << (64 - 8 * size)) >> (64 - 8 * size));
    return v;
}

static void store(uint32_t addr, uint64_t v, unsigned memop)
{
    memcpy((void *)(uintptr_t)addr, &v, 1u << (memop & IR_MO_SIZE));
}

/* Atomics: the GCC builtins, seq_cst as the backends' lock-prefixed insns and LLVM ops. */
static uint64_t cmpxchg(uint32_t addr, uint64_t expected, uint64_t val, unsigned memop)
{
    void *p = (void *)(uintptr_t)addr;
    switch (memop & IR_MO_SIZE) {
    case IR_MO_8: {
        uint8_t e = (uint8_t)expected;
        __atomic_compare_exchange_n((uint8_t *)p, &e, (uint8_t)val, false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST);
        return e;
    }
    case IR_MO_16: {
        uint16_t e = (uint16_t)expected;
        __atomic_compare_exchange_n((uint16_t *)p, &e, (uint16_t)val, false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST);
        return e;
    }
    case IR_MO_32: {
        uint32_t e = (uint32_t)expected;
        __atomic_compare_exchange_n((uint32_t *)p, &e, (uint32_t)val, false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST);
        return e;
    }
    default: {
        uint64_t e = expected;
        __atomic_compare_exchange_n((uint64_t *)p, &e, val, false, __ATOMIC_SEQ_CST,
                                    __ATOMIC_SEQ_CST);
        return e;
    }
    }
}

static uint64_t xchg(uint32_t addr, uint64_t val, unsigned memop)
{
    void *p = (void *)(uintptr_t)addr;
    switch (memop & IR_MO_SIZE) {
    case IR_MO_8: return __atomic_exchange_n((uint8_t *)p, (uint8_t)val, __ATOMIC_SEQ_CST);
    case IR_MO_16: return __atomic_exchange_n((uint16_t *)p, (uint16_t)val, __ATOMIC_SEQ_CST);
    default: return __atomic_exchange_n((uint32_t *)p, (uint32_t)val, __ATOMIC_SEQ_CST);
    }
}

enum ir_exit ir_interp_block(const struct ir_block *b, struct cpu *cpu, uint32_t *next_key)
{
    /* Scratch: a value per temp, then the op index of each label. */
    uint64_t *scratch = calloc((size_t)b->n_temps + b->n_labels + 1, sizeof(uint64_t));
    xl_assert(scratch != NULL);
    struct interp s = { b, cpu, scratch };
    uint64_t *label_at = scratch + b->n_temps;
    for (uint32_t l = 0; l < b->n_labels; l++)
        label_at[l] = UINT64_MAX;
    for (uint32_t i = 0; i < b->n_ops; i++)
        if (b->ops[i].opc == IR_set_label)
            label_at[ir_op_consts_c(&b->ops[i])[0]] = i;

    enum ir_exit exit = IR_EXIT_LOOKUP;
    uint32_t key = IR_KEY_NONE;
    uint32_t i;
    for (i = 0; i < b->n_ops; i++) {
        const struct ir_op *op = &b->ops[i];
        const uint64_t *o = ir_op_outs_c(op), *in = ir_op_ins_c(op), *c = ir_op_consts_c(op);
        uint64_t v[IR_MAX_ARGS] = { 0 }, r[2];
        uint64_t label = UINT64_MAX;
        for (unsigned k = 0; k < op->nin; k++)
            v[k] = get(&s, in[k]);
        switch ((enum ir_opc)op->opc) {
        case IR_nop: case IR_insn_start: case IR_set_label:
            break;
        case IR_br:
            label = c[0];
            break;
        case IR_brcond_i32:
            if (ir_cond_holds((enum ir_cond)c[0], (uint32_t)v[0], (uint32_t)v[1]))
                label = c[1];
            break;
        case IR_mov_i32: case IR_add_i32: case IR_sub_i32: case IR_mul_i32: case IR_and_i32:
        case IR_or_i32: case IR_xor_i32: case IR_andc_i32: case IR_shl_i32: case IR_shr_i32:
        case IR_sar_i32: case IR_rotr_i32: case IR_not_i32: case IR_neg_i32: case IR_clz_i32:
        case IR_bswap_i32: case IR_ext8s_i32: case IR_ext8u_i32: case IR_ext16s_i32:
        case IR_ext16u_i32: case IR_extract_i32: case IR_sextract_i32: case IR_deposit_i32:
        case IR_setcond_i32: case IR_movcond_i32: case IR_mulu2_i32: case IR_muls2_i32:
        case IR_add2_i32: case IR_sub2_i32:
        case IR_mov_i64: case IR_add_i64: case IR_sub_i64: case IR_mul_i64: case IR_and_i64:
        case IR_or_i64: case IR_xor_i64: case IR_shl_i64: case IR_shr_i64: case IR_sar_i64:
        case IR_ext_i32_i64: case IR_extu_i32_i64: case IR_extrl_i64_i32:
        case IR_extrh_i64_i32: case IR_concat_i32_i64: case IR_vec_i64: {
            bool ok = ir_eval_op(op, v, r);
            xl_assert(ok);
            for (unsigned k = 0; k < op->nout; k++)
                set(&s, o[k], r[k]);
            break;
        }
        case IR_ld_i32:
        case IR_ld_i64:
            set(&s, o[0], load((uint32_t)v[0], (unsigned)c[0]));
            break;
        case IR_st_i32:
        case IR_st_i64:
            store((uint32_t)v[1], v[0], (unsigned)c[0]);
            break;
        case IR_cmpxchg_i32:
            set(&s, o[0], cmpxchg((uint32_t)v[0], v[1], v[2], (unsigned)c[0]));
            break;
        case IR_cmpxchg_i64:
            set(&s, o[0], cmpxchg((uint32_t)v[0], v[1], v[2], IR_MO_64));
            break;
        case IR_xchg_i32:
            set(&s, o[0], xchg((uint32_t)v[0], v[1], (unsigned)c[0]));
            break;
        case IR_mb:
            atomic_thread_fence(memory_order_seq_cst);
            break;
        case IR_call: {
            const struct ir_helper_info *hi = &ir_helpers[c[0]];
            uint64_t a[4] = { 0 };
            unsigned k = 0;
            for (unsigned j = 0; j < hi->nargs; j++)
                if (hi->args[j] != IR_HT_env)
                    a[j] = v[k++];
            xl_assert(k == op->nin);
            uint64_t ret = call_helper((unsigned)c[0], a, cpu);
            if (op->nout)
                set(&s, o[0], ret);
            break;
        }
        case IR_goto_tb:
            key = (uint32_t)c[0];
            goto done;
        case IR_goto_ptr:
            goto done;
        case IR_exit_tb:
            /* As the JIT: a real exit records the insn; a lookup just goes on at pc. */
            exit = (enum ir_exit)c[0];
            if (exit != IR_EXIT_LOOKUP)
                cpu->exit_pc = op->guest_pc;
            goto done;
        case IR_NUM_OPS:
            xl_unreachable();
        }
        if (label != UINT64_MAX) {
            xl_assert(label < b->n_labels && label_at[label] != UINT64_MAX &&
                      label_at[label] > i);
            i = (uint32_t)label_at[label];
        }
    }
    xl_assert(!"block ran off its end without goto_tb, goto_ptr or exit_tb");
done:
    free(scratch);
    if (next_key)
        *next_key = key;
    return exit;
}
