/*
 * The µIR: a TCG-style micro-op IR for one translation block (TB).
 *
 * A block is a list of ops over temps. Temps 0 .. IR_NUM_GLOBALS-1 are the globals
 * (fields of struct cpu, globals.def); then come constants (interned per block) and
 * locals (mutable, dead at the end of the block). Labels are forward only.
 */
#ifndef XL_IR_H
#define XL_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu.h"

typedef uint32_t ir_temp;

enum ir_type { IR_I32, IR_I64 };
enum ir_temp_kind { IR_TEMP_GLOBAL, IR_TEMP_CONST, IR_TEMP_LOCAL };

enum ir_global {
#define DEF_GLOBAL(id, type, field, name) IR_G_##id,
#include "globals.def"
#undef DEF_GLOBAL
    IR_NUM_GLOBALS
};

/* Op flags. */
#define IR_F_BB_END     0x01    /* ends a basic block inside the TB (label, branch) */
#define IR_F_BLOCK_END  0x02    /* ends the translation block */
#define IR_F_MEM        0x04    /* touches guest memory */
#define IR_F_SIDE       0x08    /* has a side effect: never removed */
#define IR_F_CALL       0x10    /* helper call */
#define IR_VARIADIC     0xff

enum ir_opc {
#define DEF(name, nout, nin, nconst, flags) IR_##name,
#include "ops.def"
#undef DEF
    IR_NUM_OPS
};

struct ir_op_info {
    const char *name;
    uint8_t nout, nin, nconst, flags;
};
extern const struct ir_op_info ir_op_info[IR_NUM_OPS];

/* Conditions of brcond/setcond/movcond (as in TCG). */
enum ir_cond {
    IR_EQ, IR_NE,
    IR_LT, IR_GE, IR_LE, IR_GT,         /* signed */
    IR_LTU, IR_GEU, IR_LEU, IR_GTU,     /* unsigned */
    IR_TSTEQ, IR_TSTNE,                 /* (a & b) == 0, (a & b) != 0 */
    IR_NUM_CONDS
};
extern const char *const ir_cond_name[IR_NUM_CONDS];
enum ir_cond ir_cond_invert(enum ir_cond c);

/* Memory op descriptor: size and sign (guest memory is little-endian, as is the host). */
enum {
    IR_MO_8 = 0, IR_MO_16 = 1, IR_MO_32 = 2, IR_MO_64 = 3,
    IR_MO_SIZE = 3,
    IR_MO_SIGN = 4,
};

#define IR_MAX_ARGS 12

struct ir_op {
    uint16_t opc;
    uint8_t nout, nin, nconst;  /* copied from the op table, or set by the call builder */
    uint32_t guest_pc;          /* the guest insn this op belongs to */
    uint64_t args[IR_MAX_ARGS]; /* outs, ins (temps), then constants */
};

struct ir_temp_info {
    uint8_t type;               /* enum ir_type */
    uint8_t kind;               /* enum ir_temp_kind */
    uint64_t val;               /* IR_TEMP_CONST: the value */
};

struct ir_block {
    uint32_t guest_pc;          /* first guest insn */
    uint32_t guest_end;         /* address after the last guest insn */
    bool thumb;
    uint32_t n_insns;           /* guest insns */

    struct ir_op *ops;
    uint32_t n_ops, cap_ops;
    struct ir_temp_info *temps;
    uint32_t n_temps, cap_temps;
    uint32_t n_labels;
    uint32_t n_goto_tb;         /* chain slots used */
    uint32_t cur_pc;            /* guest pc stamped on new ops */
};

/* Globals table: type, offset in struct cpu, name. */
struct ir_global_info {
    uint8_t type;
    uint16_t offset;
    const char *name;
};
extern const struct ir_global_info ir_globals[IR_NUM_GLOBALS];

/* Block life cycle. A block's memory is one allocation set freed by ir_block_free. */
void ir_block_init(struct ir_block *b, uint32_t guest_pc, bool thumb);
void ir_block_free(struct ir_block *b);

/* Temps. */
ir_temp ir_new_i32(struct ir_block *b);
ir_temp ir_new_i64(struct ir_block *b);
ir_temp ir_const_i32(struct ir_block *b, uint32_t v);
ir_temp ir_const_i64(struct ir_block *b, uint64_t v);
static inline ir_temp ir_global(enum ir_global g) { return (ir_temp)g; }
static inline const struct ir_temp_info *ir_temp_get(const struct ir_block *b, ir_temp t)
{
    return &b->temps[t];
}
static inline bool ir_is_const(const struct ir_block *b, ir_temp t)
{
    return b->temps[t].kind == IR_TEMP_CONST;
}
uint32_t ir_new_label(struct ir_block *b);

/* Raw emission: outs, ins and constants in order. Returns the new op. */
struct ir_op *ir_emit(struct ir_block *b, enum ir_opc opc, const uint64_t *args);

/* The builder: one ir_gen_<op> per op (generated from ops.def, see builder.c). */
void ir_gen_nop(struct ir_block *b);
void ir_gen_insn_start(struct ir_block *b, uint32_t pc);
void ir_gen_set_label(struct ir_block *b, uint32_t label);
void ir_gen_br(struct ir_block *b, uint32_t label);
void ir_gen_brcond_i32(struct ir_block *b, enum ir_cond c, ir_temp x, ir_temp y, uint32_t label);
void ir_gen_mb(struct ir_block *b);
void ir_gen_goto_tb(struct ir_block *b, uint32_t target_pc_and_thumb);
void ir_gen_goto_ptr(struct ir_block *b);
void ir_gen_exit_tb(struct ir_block *b, enum ir_exit reason);

/* The ops whose builder is just "outs, then ins": UN(out, a) and BIN(out, a, b). */
#define IR_SIMPLE_OPS(UN, BIN) \
    UN(mov_i32) UN(not_i32) UN(neg_i32) UN(clz_i32) UN(bswap_i32) \
    UN(ext8s_i32) UN(ext8u_i32) UN(ext16s_i32) UN(ext16u_i32) \
    BIN(add_i32) BIN(sub_i32) BIN(mul_i32) BIN(and_i32) BIN(or_i32) \
    BIN(xor_i32) BIN(andc_i32) BIN(shl_i32) BIN(shr_i32) BIN(sar_i32) BIN(rotr_i32) \
    UN(mov_i64) UN(ext_i32_i64) UN(extu_i32_i64) UN(extrl_i64_i32) UN(extrh_i64_i32) \
    BIN(add_i64) BIN(sub_i64) BIN(mul_i64) BIN(and_i64) BIN(or_i64) \
    BIN(xor_i64) BIN(shl_i64) BIN(shr_i64) BIN(sar_i64) BIN(concat_i32_i64)

#define IR_UN(name) void ir_gen_##name(struct ir_block *b, ir_temp out, ir_temp a);
#define IR_BIN(name) void ir_gen_##name(struct ir_block *b, ir_temp out, ir_temp a, ir_temp c);
IR_SIMPLE_OPS(IR_UN, IR_BIN)
#undef IR_UN
#undef IR_BIN

void ir_gen_extract_i32(struct ir_block *b, ir_temp out, ir_temp a, unsigned pos, unsigned len);
void ir_gen_sextract_i32(struct ir_block *b, ir_temp out, ir_temp a, unsigned pos, unsigned len);
void ir_gen_deposit_i32(struct ir_block *b, ir_temp out, ir_temp a, ir_temp v,
                        unsigned pos, unsigned len);
void ir_gen_setcond_i32(struct ir_block *b, enum ir_cond c, ir_temp out, ir_temp x, ir_temp y);
void ir_gen_movcond_i32(struct ir_block *b, enum ir_cond c, ir_temp out, ir_temp x, ir_temp y,
                        ir_temp vtrue, ir_temp vfalse);
void ir_gen_mulu2_i32(struct ir_block *b, ir_temp lo, ir_temp hi, ir_temp x, ir_temp y);
void ir_gen_muls2_i32(struct ir_block *b, ir_temp lo, ir_temp hi, ir_temp x, ir_temp y);
void ir_gen_add2_i32(struct ir_block *b, ir_temp lo, ir_temp hi, ir_temp al, ir_temp ah,
                     ir_temp bl, ir_temp bh);
void ir_gen_sub2_i32(struct ir_block *b, ir_temp lo, ir_temp hi, ir_temp al, ir_temp ah,
                     ir_temp bl, ir_temp bh);
void ir_gen_ld_i32(struct ir_block *b, ir_temp out, ir_temp addr, unsigned memop);
void ir_gen_st_i32(struct ir_block *b, ir_temp val, ir_temp addr, unsigned memop);
void ir_gen_ld_i64(struct ir_block *b, ir_temp out, ir_temp addr, unsigned memop);
void ir_gen_st_i64(struct ir_block *b, ir_temp val, ir_temp addr, unsigned memop);
/* Atomics (ops.def): out = the old value. memop: IR_MO_8, IR_MO_16 or IR_MO_32. */
void ir_gen_cmpxchg_i32(struct ir_block *b, ir_temp out, ir_temp addr, ir_temp expected,
                        ir_temp val, unsigned memop);
void ir_gen_cmpxchg_i64(struct ir_block *b, ir_temp out, ir_temp addr, ir_temp expected,
                        ir_temp val);
void ir_gen_xchg_i32(struct ir_block *b, ir_temp out, ir_temp addr, ir_temp val, unsigned memop);
/* Advanced SIMD: out = kind(x, y, z) (lifter/ir/vec.h: ir_vec_kind). */
void ir_gen_vec_i64(struct ir_block *b, ir_temp out, ir_temp x, ir_temp y, ir_temp z,
                    uint32_t kind);

/* Helper call: outs and ins as the helper table (lifter/helpers/helpers.def) declares. */
void ir_gen_call(struct ir_block *b, unsigned helper, const ir_temp *outs, const ir_temp *ins);

/* Convenience forms that the builder lowers (style rule 4: missing host ops here). */
void ir_gen_movi_i32(struct ir_block *b, ir_temp out, uint32_t v);
void ir_gen_addi_i32(struct ir_block *b, ir_temp out, ir_temp a, uint32_t v);
void ir_gen_divs_i32(struct ir_block *b, ir_temp out, ir_temp a, ir_temp c); /* ARM sdiv */
void ir_gen_divu_i32(struct ir_block *b, ir_temp out, ir_temp a, ir_temp c); /* ARM udiv */

/* Printer, verifier, optimizer. */
void ir_print_op(FILE *f, const struct ir_block *b, const struct ir_op *op);
void ir_print_temp(FILE *f, const struct ir_block *b, ir_temp t);
void ir_print_block(FILE *f, const struct ir_block *b);
/* Returns NULL when the block is well formed, else a static message (op index in *where). */
const char *ir_verify(const struct ir_block *b, uint32_t *where);
void ir_optimize(struct ir_block *b);

/*
 * The reference interpreter (interp.c): the µIR's meaning, once, in C.
 * ir_cond_holds: the conditions of brcond/setcond/movcond.
 * ir_eval_op: a value op (no memory, call, control flow or block end) on input values
 *   in[0..nin); writes out[0..nout) (i32 results zero-extended). False for other ops.
 * ir_interp_block: runs b on cpu as the JIT would: globals in cpu, guest address A at host
 *   address A (the caller maps guest memory in the low 4 GiB), helpers called natively.
 *   goto_tb: IR_EXIT_LOOKUP and *next_key = its target (pc | thumb); goto_ptr:
 *   IR_EXIT_LOOKUP; exit_tb: its reason (cpu->exit_pc = the op's guest pc unless LOOKUP).
 *   *next_key (may be NULL) is IR_KEY_NONE unless the block ended in goto_tb.
 */
#define IR_KEY_NONE 0xffffffffu
bool ir_cond_holds(enum ir_cond c, uint32_t a, uint32_t b);
bool ir_eval_op(const struct ir_op *op, const uint64_t *in, uint64_t *out);
enum ir_exit ir_interp_block(const struct ir_block *b, struct cpu *cpu, uint32_t *next_key);

/* Op argument accessors. */
static inline uint64_t *ir_op_outs(struct ir_op *op) { return op->args; }
static inline uint64_t *ir_op_ins(struct ir_op *op) { return op->args + op->nout; }
static inline uint64_t *ir_op_consts(struct ir_op *op) { return op->args + op->nout + op->nin; }
static inline const uint64_t *ir_op_outs_c(const struct ir_op *op) { return op->args; }
static inline const uint64_t *ir_op_ins_c(const struct ir_op *op) { return op->args + op->nout; }
static inline const uint64_t *ir_op_consts_c(const struct ir_op *op)
{
    return op->args + op->nout + op->nin;
}

#endif
