/*
 * Unit tests of the µIR (lifter/ir): builder, printer, verifier (one test per refusal),
 * optimizer (folding of each foldable op, copy propagation, brcond, dead temps, identities).
 * Expected values are computed by hand from ops.def's semantics, not by running the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lifter/ir/ir.h"
#include "lifter/helpers/helpers.h"

#define G(r) ir_global(IR_G_##r)

static struct ir_block *new_block(void)
{
    struct ir_block *b = malloc(sizeof(*b));
    ir_block_init(b, 0x1000, false);
    return b;
}

static void free_block(struct ir_block *b)
{
    ir_block_free(b);
    free(b);
}

/* The printed form of a block or an op, in a malloc'd string. */
static char *print_block(const struct ir_block *b)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    ir_print_block(f, b);
    fclose(f);
    return s;
}

static char *print_op(const struct ir_block *b, uint32_t i)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    ir_print_op(f, b, &b->ops[i]);
    fclose(f);
    return s;
}

static void assert_op_text(const struct ir_block *b, uint32_t i, const char *want)
{
    char *s = print_op(b, i);
    assert_string_equal(s, want);
    free(s);
}

static const char *verify(const struct ir_block *b, uint32_t *where)
{
    uint32_t w = ~0u;
    const char *e = ir_verify(b, &w);
    if (where)
        *where = w;
    return e;
}

/* ---- builder ---- */

static void test_block_init(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    assert_int_equal(b->guest_pc, 0x1000);
    assert_int_equal(b->n_ops, 0);
    assert_int_equal(b->n_temps, IR_NUM_GLOBALS);
    assert_int_equal(b->n_labels, 0);
    for (unsigned g = 0; g < IR_NUM_GLOBALS; g++) {
        assert_int_equal(b->temps[g].kind, IR_TEMP_GLOBAL);
        assert_int_equal(b->temps[g].type, ir_globals[g].type);
    }
    assert_int_equal(b->temps[G(R0)].type, IR_I32);
    assert_string_equal(ir_globals[IR_G_R13].name, "sp");
    free_block(b);
}

static void test_temps_and_consts(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_temp t0 = ir_new_i32(b), q0 = ir_new_i64(b);
    assert_int_equal(t0, IR_NUM_GLOBALS);
    assert_int_equal(q0, IR_NUM_GLOBALS + 1);
    assert_int_equal(b->temps[t0].kind, IR_TEMP_LOCAL);
    assert_int_equal(b->temps[q0].type, IR_I64);
    ir_temp c5 = ir_const_i32(b, 5), c5b = ir_const_i32(b, 5), c6 = ir_const_i32(b, 6);
    ir_temp q5 = ir_const_i64(b, 5);
    assert_int_equal(c5, c5b);                 /* interned */
    assert_int_not_equal(c5, c6);
    assert_int_not_equal(c5, q5);              /* per type */
    assert_true(ir_is_const(b, c5));
    assert_false(ir_is_const(b, t0));
    assert_int_equal(b->temps[q5].type, IR_I64);
    assert_int_equal(b->temps[c6].val, 6);
    assert_int_equal(ir_const_i64(b, 5), q5);
    /* many temps: the table grows and keeps the old entries */
    for (int i = 0; i < 1000; i++)
        ir_new_i32(b);
    assert_int_equal(ir_const_i32(b, 5), c5);
    assert_int_equal(b->temps[c6].val, 6);
    free_block(b);
}

static void test_labels_and_ops(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    assert_int_equal(ir_new_label(b), 0);
    assert_int_equal(ir_new_label(b), 1);
    assert_int_equal(b->n_labels, 2);
    ir_gen_insn_start(b, 0x1004);
    ir_temp t = ir_new_i32(b);
    ir_gen_add_i32(b, t, G(R1), G(R2));
    assert_int_equal(b->n_ops, 2);
    struct ir_op *op = &b->ops[1];
    assert_int_equal(op->opc, IR_add_i32);
    assert_int_equal(op->nout, 1);
    assert_int_equal(op->nin, 2);
    assert_int_equal(op->nconst, 0);
    assert_int_equal(op->guest_pc, 0x1004);  /* stamped by insn_start */
    assert_int_equal(ir_op_outs(op)[0], t);
    assert_int_equal(ir_op_ins(op)[0], G(R1));
    assert_int_equal(ir_op_ins(op)[1], G(R2));
    ir_gen_brcond_i32(b, IR_LTU, t, G(R3), 1);
    op = &b->ops[2];
    assert_int_equal(ir_op_consts(op)[0], IR_LTU);
    assert_int_equal(ir_op_consts(op)[1], 1);
    ir_gen_goto_tb(b, 0x2000);
    ir_gen_goto_tb(b, 0x3001);
    assert_int_equal(b->n_goto_tb, 2);
    assert_int_equal(ir_op_consts(&b->ops[4])[1], 1);    /* chain slot */
    ir_gen_addi_i32(b, t, t, 0);                          /* lowered to a mov */
    assert_int_equal(b->ops[5].opc, IR_mov_i32);
    ir_gen_addi_i32(b, t, t, 7);
    assert_int_equal(b->ops[6].opc, IR_add_i32);
    assert_int_equal(b->temps[ir_op_ins(&b->ops[6])[1]].val, 7);
    ir_gen_movi_i32(b, t, 0x1234);
    assert_int_equal(b->ops[7].opc, IR_mov_i32);
    assert_true(ir_is_const(b, (ir_temp)ir_op_ins(&b->ops[7])[0]));
    free_block(b);
}

static void test_call_builder(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_temp t = ir_new_i32(b);
    ir_gen_divs_i32(b, t, G(R0), G(R1));
    ir_gen_divu_i32(b, G(R2), t, G(R1));
    struct ir_op *op = &b->ops[0];
    assert_int_equal(op->opc, IR_call);
    assert_int_equal(op->nout, 1);
    assert_int_equal(op->nin, 2);
    assert_int_equal(op->nconst, 1);
    assert_int_equal(op->args[0], t);
    assert_int_equal(op->args[1], G(R0));
    assert_int_equal(op->args[2], G(R1));
    assert_int_equal(op->args[3], IR_HELPER_sdiv);
    assert_int_equal(b->ops[1].args[3], IR_HELPER_udiv);
    free_block(b);
}

static void test_cond_invert(void **state)
{
    (void)state;
    for (int c = 0; c < IR_NUM_CONDS; c++) {
        enum ir_cond i = ir_cond_invert((enum ir_cond)c);
        assert_int_not_equal(i, c);
        assert_int_equal(ir_cond_invert(i), c);
    }
    assert_int_equal(ir_cond_invert(IR_LT), IR_GE);
    assert_int_equal(ir_cond_invert(IR_GTU), IR_LEU);
    assert_int_equal(ir_cond_invert(IR_TSTEQ), IR_TSTNE);
}

/* ---- printer ---- */

static void test_print_ops(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_gen_insn_start(b, 0x1000);                            /* 0 */
    ir_temp t0 = ir_new_i32(b);                              /* t0 */
    ir_gen_add_i32(b, t0, G(R0), ir_const_i32(b, 5));        /* 1; the const is temp "t1" */
    uint32_t l = ir_new_label(b);
    ir_gen_brcond_i32(b, IR_GEU, t0, G(R14), l);             /* 2 */
    ir_temp q = ir_new_i64(b);                               /* q2 */
    ir_gen_ld_i32(b, G(R1), t0, IR_MO_16 | IR_MO_SIGN);      /* 3 */
    ir_gen_st_i32(b, G(R2), G(R13), IR_MO_8);                /* 4 */
    ir_gen_ld_i64(b, q, G(R13), IR_MO_64);                   /* 5 */
    ir_gen_set_label(b, l);                                  /* 6 */
    ir_gen_call(b, IR_HELPER_sdiv, &t0, (const ir_temp[]){ G(R0), G(R1) });     /* 7 */
    ir_gen_extract_i32(b, G(R3), t0, 4, 8);                  /* 8 */
    ir_gen_setcond_i32(b, IR_TSTNE, G(R4), t0, G(R11));      /* 9 */
    ir_gen_goto_tb(b, 0x1008);                               /* 10 */
    ir_gen_exit_tb(b, IR_EXIT_SYSCALL);                      /* 11 */

    assert_op_text(b, 0, " ---- 00001000\n");
    assert_op_text(b, 1, " add_i32        t0, r0, $0x5\n");
    assert_op_text(b, 2, " brcond_i32     t0, lr, geu, L0\n");
    assert_op_text(b, 3, " ld_i32         r1, t0, s16\n");
    assert_op_text(b, 4, " st_i32         r2, sp, u8\n");
    assert_op_text(b, 5, " ld_i64         q2, sp, u64\n");
    assert_op_text(b, 6, " L0:\n");
    assert_op_text(b, 7, " call           t0, r0, r1, sdiv\n");
    assert_op_text(b, 8, " extract_i32    r3, t0, 0x4, 0x8\n");
    assert_op_text(b, 9, " setcond_i32    r4, t0, fp, tstne\n");
    assert_op_text(b, 10, " goto_tb        0x1008, 0x0\n");
    assert_op_text(b, 11, " exit_tb        0x1\n");

    /* the whole block: a header, then every op except nops */
    ir_gen_nop(b);
    char *s = print_block(b);
    assert_true(strncmp(s, "block 00001000 arm, 0 guest insns, 12 ops\n ---- 00001000\n"
                           " add_i32        t0, r0, $0x5\n", 86) == 0);
    assert_null(strstr(s, "nop"));
    free(s);
    free_block(b);

    b = malloc(sizeof(*b));
    ir_block_init(b, 0x8001, true);
    ir_gen_br(b, ir_new_label(b));
    s = print_block(b);
    assert_string_equal(s, "block 00008001 thumb, 0 guest insns, 1 ops\n br             L0\n");
    free(s);
    free_block(b);
}

static void test_print_atomics(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_temp q = ir_new_i64(b);                                                   /* q0 */
    ir_gen_cmpxchg_i32(b, G(R0), G(R1), G(R2), ir_const_i32(b, 7), IR_MO_16);    /* 0 */
    ir_gen_cmpxchg_i64(b, q, G(R1), G(EXCL_VAL), G(D0));                         /* 1 */
    ir_gen_xchg_i32(b, G(R3), G(R1), G(R4), IR_MO_8);                            /* 2 */
    assert_op_text(b, 0, " cmpxchg_i32    r0, r1, r2, $0x7, u16\n");
    assert_op_text(b, 1, " cmpxchg_i64    q0, r1, excl_val, d0\n");
    assert_op_text(b, 2, " xchg_i32       r3, r1, r4, u8\n");
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_null(verify(b, NULL));
    free_block(b);
}

/* ---- verifier ---- */

/* A small well-formed block: r0 = (r0 + 1) * r1; if r0 == 0 skip; r2 = ld [r0]; goto_tb. */
static struct ir_block *good_block(void)
{
    struct ir_block *b = new_block();
    ir_gen_insn_start(b, 0x1000);
    ir_temp t = ir_new_i32(b);
    ir_gen_addi_i32(b, t, G(R0), 1);
    ir_gen_mul_i32(b, G(R0), t, G(R1));
    uint32_t l = ir_new_label(b);
    ir_gen_brcond_i32(b, IR_EQ, G(R0), ir_const_i32(b, 0), l);
    ir_gen_ld_i32(b, G(R2), G(R0), IR_MO_32);
    ir_temp q = ir_new_i64(b);
    ir_gen_extu_i32_i64(b, q, G(R2));
    ir_gen_extrh_i64_i32(b, G(R3), q);
    ir_gen_call(b, IR_HELPER_udiv, &t, (const ir_temp[]){ G(R2), G(R3) });
    ir_gen_set_label(b, l);
    ir_gen_movi_i32(b, G(R12), 0x1004);
    ir_gen_goto_tb(b, 0x1004);
    return b;
}

static void test_verify_accepts_good_block(void **state)
{
    (void)state;
    struct ir_block *b = good_block();
    assert_null(verify(b, NULL));
    free_block(b);
    /* the smallest block */
    b = new_block();
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_null(verify(b, NULL));
    free_block(b);
}

static void test_verify_wrong_type(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_temp q = ir_new_i64(b);
    ir_gen_add_i32(b, G(R0), q, G(R1));
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    uint32_t w;
    assert_string_equal(verify(b, &w), "operand of the wrong type");
    assert_int_equal(w, 0);
    free_block(b);
    /* an i64 op writing an i32 global */
    b = new_block();
    q = ir_new_i64(b);
    ir_gen_add_i64(b, G(R0), q, q);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "operand of the wrong type");
    free_block(b);
}

static void test_verify_const_written(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_gen_mov_i32(b, ir_const_i32(b, 3), G(R0));
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    uint32_t w;
    assert_string_equal(verify(b, &w), "constant written");
    assert_int_equal(w, 0);
    free_block(b);
}

static void test_verify_label_set_twice(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    uint32_t l = ir_new_label(b);
    ir_gen_set_label(b, l);
    ir_gen_set_label(b, l);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "label out of range or set twice");
    free_block(b);
}

static void test_verify_backward_branch(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    uint32_t l = ir_new_label(b);
    ir_gen_set_label(b, l);
    ir_gen_brcond_i32(b, IR_NE, G(R0), G(R1), l);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "branch to a label out of range or backwards");
    free_block(b);
    b = new_block();
    l = ir_new_label(b);
    ir_gen_set_label(b, l);
    ir_gen_br(b, l);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "branch to a label out of range or backwards");
    free_block(b);
}

static void test_verify_unset_label(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_gen_br(b, ir_new_label(b));
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "branch to a label that is never set");
    free_block(b);
    /* a label that is allocated but neither used nor set is harmless */
    b = new_block();
    ir_new_label(b);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_null(verify(b, NULL));
    free_block(b);
}

static void test_verify_label_out_of_range(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_gen_br(b, 3);                    /* no label allocated */
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "branch to a label out of range or backwards");
    free_block(b);
}

static void test_verify_missing_block_end(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_gen_mov_i32(b, G(R0), G(R1));
    assert_string_equal(verify(b, NULL), "block does not end in goto_tb, goto_ptr or exit_tb");
    free_block(b);
    b = new_block();                    /* an empty block does not end either */
    assert_string_equal(verify(b, NULL), "block does not end in goto_tb, goto_ptr or exit_tb");
    free_block(b);
    b = new_block();                    /* a br is a BB end, not a block end */
    uint32_t l = ir_new_label(b);
    ir_gen_br(b, l);
    ir_gen_set_label(b, l);
    assert_string_equal(verify(b, NULL), "block does not end in goto_tb, goto_ptr or exit_tb");
    free_block(b);
}

static void test_verify_call_mismatch(void **state)
{
    (void)state;
    /* one input too few */
    struct ir_block *b = new_block();
    ir_temp t = ir_new_i32(b);
    ir_gen_divs_i32(b, t, G(R0), G(R1));
    b->ops[0].nin = 1;
    b->ops[0].args[2] = IR_HELPER_sdiv;
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "call does not match the helper table");
    free_block(b);
    /* an i64 input where the helper takes i32 */
    b = new_block();
    t = ir_new_i32(b);
    ir_temp q = ir_new_i64(b);
    ir_gen_call(b, IR_HELPER_udiv, &t, (const ir_temp[]){ q, G(R1) });
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "call does not match the helper table");
    free_block(b);
    /* an i64 output where the helper returns i32 */
    b = new_block();
    q = ir_new_i64(b);
    ir_gen_call(b, IR_HELPER_udiv, &q, (const ir_temp[]){ G(R0), G(R1) });
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "call does not match the helper table");
    free_block(b);
    /* no output where the helper returns one */
    b = new_block();
    ir_gen_divu_i32(b, G(R0), G(R1), G(R2));
    b->ops[0].nout = 0;
    memmove(b->ops[0].args, b->ops[0].args + 1, 3 * sizeof(uint64_t));
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "call does not match the helper table");
    free_block(b);
    /* a helper index beyond the table */
    b = new_block();
    ir_gen_divu_i32(b, G(R0), G(R1), G(R2));
    b->ops[0].args[3] = IR_NUM_HELPERS;
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "call does not match the helper table");
    free_block(b);
}

static void test_verify_counts_and_range(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_gen_add_i32(b, G(R0), G(R1), G(R2));
    b->ops[0].nin = 1;
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "operand counts differ from the op table");
    free_block(b);
    b = new_block();
    ir_gen_add_i32(b, G(R0), G(R1), b->n_temps + 5);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "temp out of range");
    free_block(b);
    b = new_block();
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    b->ops[0].opc = IR_NUM_OPS;
    assert_string_equal(verify(b, NULL), "bad opcode");
    free_block(b);
}

static void test_verify_bad_consts(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_emit(b, IR_ld_i32, (const uint64_t[]){ G(R0), G(R1), IR_MO_64 });
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "bad memop");
    free_block(b);
    /* atomics: 8, 16 or 32 bits, never signed; cmpxchg_i64's operands are i64 */
    static const uint64_t bad_atomic_memop[] = { IR_MO_64, IR_MO_32 | IR_MO_SIGN };
    for (unsigned k = 0; k < 2; k++) {
        b = new_block();
        ir_emit(b, IR_cmpxchg_i32,
                (const uint64_t[]){ G(R0), G(R1), G(R2), G(R3), bad_atomic_memop[k] });
        ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
        assert_string_equal(verify(b, NULL), "bad memop (atomics: 8, 16 or 32 bits, unsigned)");
        free_block(b);
        b = new_block();
        ir_emit(b, IR_xchg_i32, (const uint64_t[]){ G(R0), G(R1), G(R2), bad_atomic_memop[k] });
        ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
        assert_string_equal(verify(b, NULL), "bad memop (atomics: 8, 16 or 32 bits, unsigned)");
        free_block(b);
    }
    b = new_block();
    ir_emit(b, IR_cmpxchg_i64, (const uint64_t[]){ G(D0), G(R1), G(D1), G(R2) });
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "operand of the wrong type");
    free_block(b);
    b = new_block();
    ir_emit(b, IR_extract_i32, (const uint64_t[]){ G(R0), G(R1), 30, 3 });
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "bitfield out of range");
    free_block(b);
    b = new_block();
    ir_emit(b, IR_deposit_i32, (const uint64_t[]){ G(R0), G(R1), G(R2), 0, 0 });
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "bitfield out of range");
    free_block(b);
    b = new_block();
    ir_emit(b, IR_setcond_i32, (const uint64_t[]){ G(R0), G(R1), G(R2), IR_NUM_CONDS });
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    assert_string_equal(verify(b, NULL), "bad condition");
    free_block(b);
}

/* `where` names the offending op, for errors found in the op's constants too. */
static void test_verify_where(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    uint32_t l = ir_new_label(b);
    ir_gen_set_label(b, l);         /* 0 */
    ir_gen_set_label(b, l);         /* 1: the offender */
    ir_gen_nop(b);                  /* 2 */
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    uint32_t w;
    assert_non_null(verify(b, &w));
    assert_int_equal(w, 1);
    free_block(b);
}

/* ---- optimizer ---- */

/* Index of the first op of opcode opc at or after i, or -1. */
static int find_op(const struct ir_block *b, enum ir_opc opc, uint32_t i)
{
    for (; i < b->n_ops; i++)
        if (b->ops[i].opc == opc)
            return (int)i;
    return -1;
}

/* After optimization, the last write of global g must be `mov g, $want`. */
static void assert_global_const(const struct ir_block *b, ir_temp g, uint64_t want)
{
    for (uint32_t i = b->n_ops; i-- > 0;) {
        const struct ir_op *op = &b->ops[i];
        if (op->nout >= 1 && op->args[0] == g) {
            assert_true(op->opc == IR_mov_i32 || op->opc == IR_mov_i64);
            ir_temp src = (ir_temp)op->args[1];
            if (!ir_is_const(b, src))
                print_message("not folded: %s", print_op(b, i));
            assert_true(ir_is_const(b, src));
            assert_int_equal(b->temps[src].val, want);
            return;
        }
    }
    fail_msg("global %u never written", g);
}

struct fold_case {
    enum ir_opc opc;
    uint32_t a, b;
    uint32_t want;
};

static void test_fold_i32_binary(void **state)
{
    (void)state;
    static const struct fold_case cases[] = {
        { IR_add_i32, 0xfffffff0u, 0x20, 0x10 },
        { IR_sub_i32, 5, 7, 0xfffffffeu },
        { IR_mul_i32, 0x10001, 0x10001, 0x00020001 },
        { IR_and_i32, 0xff00ff00u, 0x0ff00ff0, 0x0f000f00 },
        { IR_or_i32, 0xff00ff00u, 0x0ff00ff0, 0xfff0fff0u },
        { IR_xor_i32, 0xff00ff00u, 0x0ff00ff0, 0xf0f0f0f0u },
        { IR_andc_i32, 0xff00ff00u, 0x0ff00ff0, 0xf000f000u },
        { IR_shl_i32, 0x80000001u, 1, 2 },
        { IR_shl_i32, 1, 33, 2 },                   /* counts modulo 32 */
        { IR_shr_i32, 0x80000000u, 31, 1 },
        { IR_sar_i32, 0x80000000u, 4, 0xf8000000u },
        { IR_sar_i32, 0x40000000u, 36, 0x04000000 },
        { IR_rotr_i32, 0x12345678, 8, 0x78123456 },
        { IR_rotr_i32, 0x12345678, 32, 0x12345678 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ir_block *b = new_block();
        ir_temp t = ir_new_i32(b);
        ir_emit(b, cases[i].opc, (const uint64_t[]){ t, ir_const_i32(b, cases[i].a),
                                                     ir_const_i32(b, cases[i].b) });
        ir_gen_mov_i32(b, G(R0), t);
        ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
        ir_optimize(b);
        assert_null(verify(b, NULL));
        assert_global_const(b, G(R0), cases[i].want);
        assert_int_equal(b->n_ops, 2);      /* mov r0, $k; exit_tb: t is dead */
        free_block(b);
    }
}

static void test_fold_i32_unary(void **state)
{
    (void)state;
    static const struct fold_case cases[] = {
        { IR_not_i32, 0x0f0f0000, 0, 0xf0f0ffffu },
        { IR_neg_i32, 1, 0, 0xffffffffu },
        { IR_clz_i32, 0x00010000, 0, 15 },
        { IR_clz_i32, 0, 0, 32 },
        { IR_bswap_i32, 0x11223344, 0, 0x44332211 },
        { IR_ext8s_i32, 0x1280, 0, 0xffffff80u },
        { IR_ext8u_i32, 0x12f0, 0, 0xf0 },
        { IR_ext16s_i32, 0x18000, 0, 0xffff8000u },
        { IR_ext16u_i32, 0xabcd8000u, 0, 0x8000 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ir_block *b = new_block();
        ir_temp t = ir_new_i32(b);
        ir_emit(b, cases[i].opc, (const uint64_t[]){ t, ir_const_i32(b, cases[i].a) });
        ir_gen_mov_i32(b, G(R0), t);
        ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
        ir_optimize(b);
        assert_global_const(b, G(R0), cases[i].want);
        free_block(b);
    }
}

static void test_fold_bitfields_and_conds(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_temp k = ir_const_i32(b, 0xabcd1234u);
    ir_gen_extract_i32(b, G(R0), k, 8, 12);
    ir_gen_sextract_i32(b, G(R1), k, 8, 12);
    ir_gen_sextract_i32(b, G(R2), k, 0, 32);
    ir_gen_deposit_i32(b, G(R3), ir_const_i32(b, 0xffffffffu), ir_const_i32(b, 0x5), 4, 8);
    ir_gen_extract_i32(b, G(R4), k, 0, 32);
    ir_gen_setcond_i32(b, IR_LTU, G(R5), ir_const_i32(b, 1), ir_const_i32(b, 0xffffffffu));
    ir_gen_setcond_i32(b, IR_LT, G(R6), ir_const_i32(b, 1), ir_const_i32(b, 0xffffffffu));
    ir_gen_setcond_i32(b, IR_TSTNE, G(R7), ir_const_i32(b, 6), ir_const_i32(b, 9));
    ir_gen_movcond_i32(b, IR_GE, G(R8), ir_const_i32(b, 0xffffffffu), ir_const_i32(b, 0),
                       ir_const_i32(b, 11), ir_const_i32(b, 22));
    ir_gen_movcond_i32(b, IR_GEU, G(R9), ir_const_i32(b, 0xffffffffu), ir_const_i32(b, 0),
                       ir_const_i32(b, 11), ir_const_i32(b, 22));
    ir_gen_setcond_i32(b, IR_LEU, G(R10), ir_const_i32(b, 7), ir_const_i32(b, 7));
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_global_const(b, G(R0), 0xd12);
    assert_global_const(b, G(R1), 0xfffffd12u);
    assert_global_const(b, G(R2), 0xabcd1234u);
    assert_global_const(b, G(R3), 0xfffff05fu);
    assert_global_const(b, G(R4), 0xabcd1234u);
    assert_global_const(b, G(R5), 1);
    assert_global_const(b, G(R6), 0);
    assert_global_const(b, G(R7), 0);
    assert_global_const(b, G(R8), 22);
    assert_global_const(b, G(R9), 11);
    assert_global_const(b, G(R10), 1);
    free_block(b);
}

struct fold64_case {
    enum ir_opc opc;
    uint64_t a, b;
    uint64_t want;
};

static void test_fold_i64(void **state)
{
    (void)state;
    static const struct fold64_case cases[] = {
        { IR_add_i64, 0xffffffffffffffffull, 2, 1 },
        { IR_sub_i64, 0x100000000ull, 1, 0xffffffffull },
        { IR_mul_i64, 0x100000001ull, 0x100000001ull, 0x200000001ull },
        { IR_and_i64, 0xff000000ff000000ull, 0xf0f0f0f0f0f0f0f0ull, 0xf0000000f0000000ull },
        { IR_or_i64, 0x1ull << 63, 1, 0x8000000000000001ull },
        { IR_xor_i64, 0xffffffffffffffffull, 0x1, 0xfffffffffffffffeull },
        { IR_shl_i64, 1, 40, 0x10000000000ull },
        { IR_shl_i64, 1, 65, 2 },                   /* modulo 64 */
        { IR_shr_i64, 0x8000000000000000ull, 63, 1 },
        { IR_sar_i64, 0x8000000000000000ull, 63, 0xffffffffffffffffull },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ir_block *b = new_block();
        ir_temp q = ir_new_i64(b);
        ir_emit(b, cases[i].opc, (const uint64_t[]){ q, ir_const_i64(b, cases[i].a),
                                                     ir_const_i64(b, cases[i].b) });
        ir_gen_extrl_i64_i32(b, G(R0), q);
        ir_gen_extrh_i64_i32(b, G(R1), q);
        ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
        ir_optimize(b);
        assert_null(verify(b, NULL));
        assert_global_const(b, G(R0), (uint32_t)cases[i].want);
        assert_global_const(b, G(R1), (uint32_t)(cases[i].want >> 32));
        free_block(b);
    }
    /* conversions */
    struct ir_block *b = new_block();
    ir_temp q1 = ir_new_i64(b), q2 = ir_new_i64(b), q3 = ir_new_i64(b);
    ir_gen_ext_i32_i64(b, q1, ir_const_i32(b, 0x80000000u));
    ir_gen_extu_i32_i64(b, q2, ir_const_i32(b, 0x80000000u));
    ir_gen_concat_i32_i64(b, q3, ir_const_i32(b, 0x11), ir_const_i32(b, 0x22));
    ir_gen_extrh_i64_i32(b, G(R0), q1);
    ir_gen_extrh_i64_i32(b, G(R1), q2);
    ir_gen_extrl_i64_i32(b, G(R2), q2);
    ir_gen_extrh_i64_i32(b, G(R3), q3);
    ir_gen_extrl_i64_i32(b, G(R4), q3);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_global_const(b, G(R0), 0xffffffffu);
    assert_global_const(b, G(R1), 0);
    assert_global_const(b, G(R2), 0x80000000u);
    assert_global_const(b, G(R3), 0x22);
    assert_global_const(b, G(R4), 0x11);
    /* the i64 temps were folded too, then removed as dead */
    assert_int_equal(find_op(b, IR_ext_i32_i64, 0), -1);
    assert_int_equal(find_op(b, IR_mov_i64, 0), -1);
    free_block(b);
}

static void test_copy_propagation(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_temp t = ir_new_i32(b), u = ir_new_i32(b);
    ir_gen_mov_i32(b, t, G(R0));
    ir_gen_mov_i32(b, u, t);
    ir_gen_add_i32(b, G(R1), u, G(R2));     /* becomes add r1, r0, r2 */
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_null(verify(b, NULL));
    assert_int_equal(b->n_ops, 2);
    assert_int_equal(b->ops[0].opc, IR_add_i32);
    assert_int_equal(b->ops[0].args[1], G(R0));
    assert_int_equal(b->ops[0].args[2], G(R2));
    free_block(b);
}

static void test_copy_invalidated_by_write(void **state)
{
    (void)state;
    /* t = r0; r0 = 1; r1 = t + r2: t still holds the old r0 and must be kept */
    struct ir_block *b = new_block();
    ir_temp t = ir_new_i32(b);
    ir_gen_mov_i32(b, t, G(R0));
    ir_gen_movi_i32(b, G(R0), 1);
    ir_gen_add_i32(b, G(R1), t, G(R2));
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    int add = find_op(b, IR_add_i32, 0);
    assert_true(add >= 0);
    assert_int_equal(b->ops[add].args[1], t);
    assert_int_equal(b->ops[0].opc, IR_mov_i32);
    assert_int_equal(b->ops[0].args[0], t);
    assert_int_equal(b->ops[0].args[1], G(R0));
    free_block(b);
    /* t = r0; t = t + 1 (t written): r1 = t must not become r1 = r0 */
    b = new_block();
    t = ir_new_i32(b);
    ir_gen_mov_i32(b, t, G(R0));
    ir_gen_addi_i32(b, t, t, 1);
    ir_gen_mov_i32(b, G(R1), t);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    int last = (int)b->n_ops - 2;
    assert_int_equal(b->ops[last].opc, IR_mov_i32);
    assert_int_equal(b->ops[last].args[0], G(R1));
    assert_int_equal(b->ops[last].args[1], t);
    free_block(b);
}

static void test_facts_forgotten_at_labels(void **state)
{
    (void)state;
    /* t = 5; brcond r0 == 0 -> L; t = 6; L: r1 = t + 1 (t is 5 or 6: not foldable) */
    struct ir_block *b = new_block();
    ir_temp t = ir_new_i32(b);
    uint32_t l = ir_new_label(b);
    ir_gen_movi_i32(b, t, 5);
    ir_gen_brcond_i32(b, IR_EQ, G(R0), ir_const_i32(b, 0), l);
    ir_gen_movi_i32(b, t, 6);
    ir_gen_set_label(b, l);
    ir_gen_addi_i32(b, G(R1), t, 1);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_null(verify(b, NULL));
    int add = find_op(b, IR_add_i32, 0);
    assert_true(add >= 0);
    assert_int_equal(b->ops[add].args[1], t);
    /* both writes of t are live (one per path) */
    int n_mov_t = 0;
    for (uint32_t i = 0; i < b->n_ops; i++)
        n_mov_t += b->ops[i].opc == IR_mov_i32 && b->ops[i].args[0] == t;
    assert_int_equal(n_mov_t, 2);
    free_block(b);
}

static void test_brcond_constant(void **state)
{
    (void)state;
    /* always taken: becomes br */
    struct ir_block *b = new_block();
    uint32_t l = ir_new_label(b);
    ir_gen_brcond_i32(b, IR_LT, ir_const_i32(b, 0xffffffffu), ir_const_i32(b, 1), l);
    ir_gen_movi_i32(b, G(R0), 1);
    ir_gen_set_label(b, l);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_null(verify(b, NULL));
    assert_int_equal(b->ops[0].opc, IR_br);
    assert_int_equal(b->ops[0].nin, 0);
    assert_int_equal(b->ops[0].nconst, 1);
    assert_int_equal(b->ops[0].args[0], l);
    free_block(b);
    /* never taken: removed */
    b = new_block();
    l = ir_new_label(b);
    ir_gen_brcond_i32(b, IR_LTU, ir_const_i32(b, 0xffffffffu), ir_const_i32(b, 1), l);
    ir_gen_movi_i32(b, G(R0), 1);
    ir_gen_set_label(b, l);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_null(verify(b, NULL));
    assert_int_equal(find_op(b, IR_brcond_i32, 0), -1);
    assert_int_equal(find_op(b, IR_br, 0), -1);
    assert_global_const(b, G(R0), 1);
    free_block(b);
    /* inputs that become constant by propagation */
    b = new_block();
    l = ir_new_label(b);
    ir_temp t = ir_new_i32(b);
    ir_gen_movi_i32(b, t, 8);
    ir_gen_brcond_i32(b, IR_TSTEQ, t, ir_const_i32(b, 7), l);
    ir_gen_set_label(b, l);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_int_equal(b->ops[0].opc, IR_br);
    free_block(b);
}

static void test_dead_temps(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_gen_insn_start(b, 0x1000);
    ir_temp t = ir_new_i32(b), u = ir_new_i32(b), v = ir_new_i32(b), w = ir_new_i32(b);
    ir_gen_add_i32(b, t, G(R0), G(R1));         /* dead local: removed */
    ir_gen_mul_i32(b, G(R2), G(R0), G(R1));     /* global: kept */
    ir_gen_ld_i32(b, u, G(R3), IR_MO_32);       /* unused load: kept (may fault) */
    ir_gen_st_i32(b, G(R4), G(R5), IR_MO_8);    /* store: kept */
    ir_gen_divu_i32(b, v, G(R0), G(R1));        /* pure call, unused: removed */
    ir_gen_xor_i32(b, w, G(R6), G(R7));         /* used by the store below: kept */
    ir_gen_st_i32(b, w, G(R5), IR_MO_32);
    ir_gen_mb(b);
    ir_temp x = ir_new_i32(b), y = ir_new_i32(b), z = ir_new_i64(b);
    ir_gen_cmpxchg_i32(b, x, G(R5), G(R6), G(R7), IR_MO_32);   /* atomics, unused: kept */
    ir_gen_xchg_i32(b, y, G(R5), G(R6), IR_MO_8);
    ir_gen_cmpxchg_i64(b, z, G(R5), G(D0), G(D1));
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_null(verify(b, NULL));
    assert_int_equal(find_op(b, IR_insn_start, 0), 0);
    assert_int_equal(find_op(b, IR_add_i32, 0), -1);
    assert_true(find_op(b, IR_mul_i32, 0) >= 0);
    assert_true(find_op(b, IR_ld_i32, 0) >= 0);
    assert_int_equal(find_op(b, IR_call, 0), -1);
    assert_true(find_op(b, IR_xor_i32, 0) >= 0);
    int st = find_op(b, IR_st_i32, 0);
    assert_true(st >= 0 && find_op(b, IR_st_i32, (uint32_t)st + 1) > st);
    assert_true(find_op(b, IR_mb, 0) >= 0);
    assert_true(find_op(b, IR_cmpxchg_i32, 0) > find_op(b, IR_mb, 0));
    assert_true(find_op(b, IR_xchg_i32, 0) > find_op(b, IR_cmpxchg_i32, 0));
    assert_true(find_op(b, IR_cmpxchg_i64, 0) > find_op(b, IR_xchg_i32, 0));
    assert_int_equal(b->n_ops, 11);
    free_block(b);
}

static void test_dead_chain_and_overwrite(void **state)
{
    (void)state;
    /* a chain of locals that ends unused disappears entirely; the last write of a local
     * read by a global survives */
    struct ir_block *b = new_block();
    ir_temp t = ir_new_i32(b), u = ir_new_i32(b);
    ir_gen_add_i32(b, t, G(R0), G(R1));
    ir_gen_shl_i32(b, u, t, G(R2));
    ir_gen_sub_i32(b, t, u, G(R3));
    ir_gen_mul_i32(b, t, G(R4), G(R4));
    ir_gen_mov_i32(b, G(R5), t);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_int_equal(find_op(b, IR_add_i32, 0), -1);
    assert_int_equal(find_op(b, IR_shl_i32, 0), -1);
    assert_int_equal(find_op(b, IR_sub_i32, 0), -1);
    assert_true(find_op(b, IR_mul_i32, 0) >= 0);
    free_block(b);
}

static void test_identities(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_temp z = ir_const_i32(b, 0), one = ir_const_i32(b, 1), ones = ir_const_i32(b, ~0u);
    ir_gen_add_i32(b, G(R0), G(R8), z);
    ir_gen_sub_i32(b, G(R1), G(R8), z);
    ir_gen_or_i32(b, G(R2), G(R8), z);
    ir_gen_xor_i32(b, G(R3), G(R8), z);
    ir_gen_shl_i32(b, G(R4), G(R8), z);
    ir_gen_sar_i32(b, G(R5), G(R8), z);
    ir_gen_mul_i32(b, G(R6), G(R8), one);
    ir_gen_and_i32(b, G(R7), G(R8), ones);
    ir_gen_and_i32(b, G(R9), G(R8), z);
    ir_gen_rotr_i32(b, G(R10), G(R8), z);
    ir_temp q = ir_new_i64(b);
    ir_gen_concat_i32_i64(b, q, G(R8), G(R8));
    ir_gen_add_i64(b, q, q, ir_const_i64(b, 0));
    ir_gen_extrl_i64_i32(b, G(R11), q);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_null(verify(b, NULL));
    for (unsigned r = 0; r < 10; r++) {
        const struct ir_op *op = &b->ops[r];
        assert_int_equal(op->opc, IR_mov_i32);
        assert_int_equal(op->args[0], r + (r >= 8));
        if (r + (r >= 8) == 9)
            assert_int_equal(op->args[1], z);       /* x & 0 = 0 */
        else
            assert_int_equal(op->args[1], G(R8));
    }
    assert_int_equal(find_op(b, IR_add_i64, 0), -1);
    free_block(b);
    /* not identities: x - y with y nonzero, x * 2, x & 1 */
    b = new_block();
    one = ir_const_i32(b, 1);       /* temps belong to their block */
    ir_gen_sub_i32(b, G(R0), G(R8), one);
    ir_gen_mul_i32(b, G(R1), G(R8), ir_const_i32(b, 2));
    ir_gen_and_i32(b, G(R2), G(R8), one);
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_int_equal(b->ops[0].opc, IR_sub_i32);
    assert_int_equal(b->ops[1].opc, IR_mul_i32);
    assert_int_equal(b->ops[2].opc, IR_and_i32);
    free_block(b);
}

static void test_optimize_keeps_good_block_valid(void **state)
{
    (void)state;
    struct ir_block *b = good_block();
    ir_optimize(b);
    assert_null(verify(b, NULL));
    /* the udiv result t is dead after the label: its pure call is gone */
    assert_int_equal(find_op(b, IR_call, 0), -1);
    assert_true(find_op(b, IR_ld_i32, 0) >= 0);
    assert_true(find_op(b, IR_goto_tb, 0) == (int)b->n_ops - 1);
    free_block(b);
}

static void test_self_mov_removed(void **state)
{
    (void)state;
    struct ir_block *b = new_block();
    ir_temp t = ir_new_i32(b);
    ir_gen_mov_i32(b, t, G(R0));
    ir_gen_mov_i32(b, G(R0), t);                /* r0 = r0 */
    ir_gen_mov_i32(b, G(R1), G(R1));
    ir_gen_exit_tb(b, IR_EXIT_LOOKUP);
    ir_optimize(b);
    assert_int_equal(b->n_ops, 1);
    assert_int_equal(b->ops[0].opc, IR_exit_tb);
    free_block(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_init),
        cmocka_unit_test(test_temps_and_consts),
        cmocka_unit_test(test_labels_and_ops),
        cmocka_unit_test(test_call_builder),
        cmocka_unit_test(test_cond_invert),
        cmocka_unit_test(test_print_ops),
        cmocka_unit_test(test_print_atomics),
        cmocka_unit_test(test_verify_accepts_good_block),
        cmocka_unit_test(test_verify_wrong_type),
        cmocka_unit_test(test_verify_const_written),
        cmocka_unit_test(test_verify_label_set_twice),
        cmocka_unit_test(test_verify_backward_branch),
        cmocka_unit_test(test_verify_unset_label),
        cmocka_unit_test(test_verify_label_out_of_range),
        cmocka_unit_test(test_verify_missing_block_end),
        cmocka_unit_test(test_verify_call_mismatch),
        cmocka_unit_test(test_verify_counts_and_range),
        cmocka_unit_test(test_verify_bad_consts),
        cmocka_unit_test(test_verify_where),
        cmocka_unit_test(test_fold_i32_binary),
        cmocka_unit_test(test_fold_i32_unary),
        cmocka_unit_test(test_fold_bitfields_and_conds),
        cmocka_unit_test(test_fold_i64),
        cmocka_unit_test(test_copy_propagation),
        cmocka_unit_test(test_copy_invalidated_by_write),
        cmocka_unit_test(test_facts_forgotten_at_labels),
        cmocka_unit_test(test_brcond_constant),
        cmocka_unit_test(test_dead_temps),
        cmocka_unit_test(test_dead_chain_and_overwrite),
        cmocka_unit_test(test_identities),
        cmocka_unit_test(test_optimize_keeps_good_block_valid),
        cmocka_unit_test(test_self_mov_removed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
