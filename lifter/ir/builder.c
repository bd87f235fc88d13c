/* The µIR builder: block memory, temps, labels and one ir_gen_<op> per op. */
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "vec.h"
#include "../helpers/helpers.h"
#include "xl_assert.h"

const struct ir_op_info ir_op_info[IR_NUM_OPS] = {
#define DEF(name, nout, nin, nconst, flags) [IR_##name] = { #name, nout, nin, nconst, flags },
#include "ops.def"
#undef DEF
};

const struct ir_global_info ir_globals[IR_NUM_GLOBALS] = {
#define DEF_GLOBAL(id, type, field, name) \
    [IR_G_##id] = { type, (uint16_t)offsetof(struct cpu, field), name },
#include "globals.def"
#undef DEF_GLOBAL
};

const char *const ir_cond_name[IR_NUM_CONDS] = {
    "eq", "ne", "lt", "ge", "le", "gt", "ltu", "geu", "leu", "gtu", "tsteq", "tstne",
};

enum ir_cond ir_cond_invert(enum ir_cond c)
{
    static const uint8_t inv[IR_NUM_CONDS] = {
        [IR_EQ] = IR_NE, [IR_NE] = IR_EQ, [IR_LT] = IR_GE, [IR_GE] = IR_LT,
        [IR_LE] = IR_GT, [IR_GT] = IR_LE, [IR_LTU] = IR_GEU, [IR_GEU] = IR_LTU,
        [IR_LEU] = IR_GTU, [IR_GTU] = IR_LEU, [IR_TSTEQ] = IR_TSTNE, [IR_TSTNE] = IR_TSTEQ,
    };
    return (enum ir_cond)inv[c];
}

static void *xl_grow(void *p, uint32_t *cap, size_t elem, uint32_t need)
{
    if (need <= *cap)
        return p;
    uint32_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    p = realloc(p, n * elem);
    xl_assert(p != NULL);
    *cap = n;
    return p;
}

void ir_block_init(struct ir_block *b, uint32_t guest_pc, bool thumb)
{
    memset(b, 0, sizeof(*b));
    b->guest_pc = guest_pc;
    b->guest_end = guest_pc;
    b->cur_pc = guest_pc;
    b->thumb = thumb;
    b->temps = xl_grow(NULL, &b->cap_temps, sizeof(*b->temps), 256);
    for (int g = 0; g < IR_NUM_GLOBALS; g++)
        b->temps[g] = (struct ir_temp_info){ .type = ir_globals[g].type, .kind = IR_TEMP_GLOBAL };
    b->n_temps = IR_NUM_GLOBALS;
}

void ir_block_free(struct ir_block *b)
{
    free(b->ops);
    free(b->temps);
    memset(b, 0, sizeof(*b));
}

static ir_temp new_temp(struct ir_block *b, uint8_t type, uint8_t kind, uint64_t val)
{
    b->temps = xl_grow(b->temps, &b->cap_temps, sizeof(*b->temps), b->n_temps + 1);
    b->temps[b->n_temps] = (struct ir_temp_info){ .type = type, .kind = kind, .val = val };
    return b->n_temps++;
}

ir_temp ir_new_i32(struct ir_block *b) { return new_temp(b, IR_I32, IR_TEMP_LOCAL, 0); }
ir_temp ir_new_i64(struct ir_block *b) { return new_temp(b, IR_I64, IR_TEMP_LOCAL, 0); }

/* Constants are interned: a block has at most a few dozen, so a linear search is fine. */
static ir_temp intern_const(struct ir_block *b, uint8_t type, uint64_t v)
{
    for (ir_temp t = IR_NUM_GLOBALS; t < b->n_temps; t++)
        if (b->temps[t].kind == IR_TEMP_CONST && b->temps[t].type == type && b->temps[t].val == v)
            return t;
    return new_temp(b, type, IR_TEMP_CONST, v);
}

ir_temp ir_const_i32(struct ir_block *b, uint32_t v) { return intern_const(b, IR_I32, v); }
ir_temp ir_const_i64(struct ir_block *b, uint64_t v) { return intern_const(b, IR_I64, v); }

uint32_t ir_new_label(struct ir_block *b) { return b->n_labels++; }

static struct ir_op *emit_counts(struct ir_block *b, enum ir_opc opc, unsigned nout, unsigned nin,
                                 unsigned nconst, const uint64_t *args)
{
    xl_assert(nout + nin + nconst <= IR_MAX_ARGS);
    b->ops = xl_grow(b->ops, &b->cap_ops, sizeof(*b->ops), b->n_ops + 1);
    struct ir_op *op = &b->ops[b->n_ops++];
    memset(op, 0, sizeof(*op));
    op->opc = (uint16_t)opc;
    op->nout = (uint8_t)nout;
    op->nin = (uint8_t)nin;
    op->nconst = (uint8_t)nconst;
    op->guest_pc = b->cur_pc;
    if (nout + nin + nconst)
        memcpy(op->args, args, (nout + nin + nconst) * sizeof(uint64_t));
    return op;
}

struct ir_op *ir_emit(struct ir_block *b, enum ir_opc opc, const uint64_t *args)
{
    const struct ir_op_info *i = &ir_op_info[opc];
    xl_assert(i->nout != IR_VARIADIC);
    return emit_counts(b, opc, i->nout, i->nin, i->nconst, args);
}

#define EMIT(opc, ...) ir_emit(b, IR_##opc, (const uint64_t[]){ __VA_ARGS__ })

void ir_gen_nop(struct ir_block *b) { ir_emit(b, IR_nop, NULL); }
void ir_gen_insn_start(struct ir_block *b, uint32_t pc)
{
    b->cur_pc = pc;
    EMIT(insn_start, pc);
}
void ir_gen_set_label(struct ir_block *b, uint32_t l) { EMIT(set_label, l); }
void ir_gen_br(struct ir_block *b, uint32_t l) { EMIT(br, l); }
void ir_gen_brcond_i32(struct ir_block *b, enum ir_cond c, ir_temp x, ir_temp y, uint32_t l)
{
    EMIT(brcond_i32, x, y, c, l);
}
void ir_gen_mb(struct ir_block *b) { ir_emit(b, IR_mb, NULL); }
void ir_gen_goto_tb(struct ir_block *b, uint32_t target)
{
    EMIT(goto_tb, target, b->n_goto_tb++);
}
void ir_gen_goto_ptr(struct ir_block *b) { ir_emit(b, IR_goto_ptr, NULL); }
void ir_gen_exit_tb(struct ir_block *b, enum ir_exit reason) { EMIT(exit_tb, reason); }

#define IR_UN(name) \
    void ir_gen_##name(struct ir_block *b, ir_temp out, ir_temp a) { EMIT(name, out, a); }
#define IR_BIN(name) \
    void ir_gen_##name(struct ir_block *b, ir_temp out, ir_temp a, ir_temp c) \
    { EMIT(name, out, a, c); }
IR_SIMPLE_OPS(IR_UN, IR_BIN)
#undef IR_UN
#undef IR_BIN

void ir_gen_extract_i32(struct ir_block *b, ir_temp out, ir_temp a, unsigned pos, unsigned len)
{
    xl_assert(len >= 1 && pos + len <= 32);
    EMIT(extract_i32, out, a, pos, len);
}
void ir_gen_sextract_i32(struct ir_block *b, ir_temp out, ir_temp a, unsigned pos, unsigned len)
{
    xl_assert(len >= 1 && pos + len <= 32);
    EMIT(sextract_i32, out, a, pos, len);
}
void ir_gen_deposit_i32(struct ir_block *b, ir_temp out, ir_temp a, ir_temp v,
                        unsigned pos, unsigned len)
{
    xl_assert(len >= 1 && pos + len <= 32);
    EMIT(deposit_i32, out, a, v, pos, len);
}
void ir_gen_setcond_i32(struct ir_block *b, enum ir_cond c, ir_temp out, ir_temp x, ir_temp y)
{
    EMIT(setcond_i32, out, x, y, c);
}
void ir_gen_movcond_i32(struct ir_block *b, enum ir_cond c, ir_temp out, ir_temp x, ir_temp y,
                        ir_temp vt, ir_temp vf)
{
    EMIT(movcond_i32, out, x, y, vt, vf, c);
}
void ir_gen_mulu2_i32(struct ir_block *b, ir_temp lo, ir_temp hi, ir_temp x, ir_temp y)
{
    EMIT(mulu2_i32, lo, hi, x, y);
}
void ir_gen_muls2_i32(struct ir_block *b, ir_temp lo, ir_temp hi, ir_temp x, ir_temp y)
{
    EMIT(muls2_i32, lo, hi, x, y);
}
void ir_gen_add2_i32(struct ir_block *b, ir_temp lo, ir_temp hi, ir_temp al, ir_temp ah,
                     ir_temp bl, ir_temp bh)
{
    EMIT(add2_i32, lo, hi, al, ah, bl, bh);
}
void ir_gen_sub2_i32(struct ir_block *b, ir_temp lo, ir_temp hi, ir_temp al, ir_temp ah,
                     ir_temp bl, ir_temp bh)
{
    EMIT(sub2_i32, lo, hi, al, ah, bl, bh);
}
void ir_gen_ld_i32(struct ir_block *b, ir_temp out, ir_temp addr, unsigned memop)
{
    xl_assert((memop & IR_MO_SIZE) <= IR_MO_32);
    EMIT(ld_i32, out, addr, memop);
}
void ir_gen_st_i32(struct ir_block *b, ir_temp val, ir_temp addr, unsigned memop)
{
    xl_assert((memop & IR_MO_SIZE) <= IR_MO_32);
    EMIT(st_i32, val, addr, memop);
}
void ir_gen_ld_i64(struct ir_block *b, ir_temp out, ir_temp addr, unsigned memop)
{
    EMIT(ld_i64, out, addr, memop);
}
void ir_gen_st_i64(struct ir_block *b, ir_temp val, ir_temp addr, unsigned memop)
{
    EMIT(st_i64, val, addr, memop);
}
void ir_gen_cmpxchg_i32(struct ir_block *b, ir_temp out, ir_temp addr, ir_temp expected,
                        ir_temp val, unsigned memop)
{
    xl_assert(memop <= IR_MO_32);
    EMIT(cmpxchg_i32, out, addr, expected, val, memop);
}
void ir_gen_cmpxchg_i64(struct ir_block *b, ir_temp out, ir_temp addr, ir_temp expected,
                        ir_temp val)
{
    EMIT(cmpxchg_i64, out, addr, expected, val);
}
void ir_gen_xchg_i32(struct ir_block *b, ir_temp out, ir_temp addr, ir_temp val, unsigned memop)
{
    xl_assert(memop <= IR_MO_32);
    EMIT(xchg_i32, out, addr, val, memop);
}

void ir_gen_vec_i64(struct ir_block *b, ir_temp out, ir_temp x, ir_temp y, ir_temp z,
                    uint32_t kind)
{
    xl_assert(ir_vec_op(kind) < IR_VEC_NUM);
    EMIT(vec_i64, out, x, y, z, kind);
}

const char *const ir_vec_name[IR_VEC_NUM] = {
#define IR_VEC_NAME(name) #name,
    IR_VEC_OPS(IR_VEC_NAME)
#undef IR_VEC_NAME
};

void ir_gen_call(struct ir_block *b, unsigned helper, const ir_temp *outs, const ir_temp *ins)
{
    xl_assert(helper < IR_NUM_HELPERS);
    const struct ir_helper_info *h = &ir_helpers[helper];
    uint64_t args[IR_MAX_ARGS];
    unsigned n = 0, nout = h->ret != IR_HT_void, nin = 0;
    if (nout)
        args[n++] = outs[0];
    for (unsigned i = 0; i < h->nargs; i++)
        if (h->args[i] != IR_HT_env)    /* env is implicit: the backend passes the cpu */
            args[n++] = ins[nin++];
    args[n++] = helper;
    emit_counts(b, IR_call, nout, nin, 1, args);
}

void ir_gen_movi_i32(struct ir_block *b, ir_temp out, uint32_t v)
{
    ir_gen_mov_i32(b, out, ir_const_i32(b, v));
}

void ir_gen_addi_i32(struct ir_block *b, ir_temp out, ir_temp a, uint32_t v)
{
    if (v == 0)
        ir_gen_mov_i32(b, out, a);
    else
        ir_gen_add_i32(b, out, a, ir_const_i32(b, v));
}

/* x86 traps on division by zero and INT_MIN/-1; ARM does not, so division is a helper. */
void ir_gen_divs_i32(struct ir_block *b, ir_temp out, ir_temp a, ir_temp c)
{
    ir_gen_call(b, IR_HELPER_sdiv, &out, (const ir_temp[]){ a, c });
}

void ir_gen_divu_i32(struct ir_block *b, ir_temp out, ir_temp a, ir_temp c)
{
    ir_gen_call(b, IR_HELPER_udiv, &out, (const ir_temp[]){ a, c });
}
