/*
 * The µIR verifier: temps in range and of the right type, outputs never globals-of-the-
 * wrong-type or constants, labels set once and only jumped to forwards, a block that ends
 * in a block-ending op, helper calls that match the helper table.
 */
#include <stdlib.h>

#include "ir.h"
#include "../helpers/helpers.h"

/* Type of every temp operand, outs then ins: 'w' i32, 'q' i64. */
static const char *op_types(const struct ir_op *op)
{
    switch ((enum ir_opc)op->opc) {
    case IR_nop: case IR_insn_start: case IR_set_label: case IR_br: case IR_mb:
    case IR_goto_tb: case IR_goto_ptr: case IR_exit_tb: case IR_call:
        return "";
    case IR_brcond_i32: return "ww";
    case IR_mov_i32: case IR_not_i32: case IR_neg_i32: case IR_clz_i32: case IR_bswap_i32:
    case IR_ext8s_i32: case IR_ext8u_i32: case IR_ext16s_i32: case IR_ext16u_i32:
    case IR_extract_i32: case IR_sextract_i32:
        return "ww";
    case IR_add_i32: case IR_sub_i32: case IR_mul_i32: case IR_and_i32: case IR_or_i32:
    case IR_xor_i32: case IR_andc_i32: case IR_shl_i32: case IR_shr_i32: case IR_sar_i32:
    case IR_rotr_i32: case IR_deposit_i32: case IR_setcond_i32:
        return "www";
    case IR_movcond_i32: return "wwwww";
    case IR_mulu2_i32: case IR_muls2_i32: return "wwww";
    case IR_add2_i32: case IR_sub2_i32: return "wwwwww";
    case IR_mov_i64: return "qq";
    case IR_add_i64: case IR_sub_i64: case IR_mul_i64: case IR_and_i64: case IR_or_i64:
    case IR_xor_i64: case IR_shl_i64: case IR_shr_i64: case IR_sar_i64:
        return "qqq";
    case IR_ext_i32_i64: case IR_extu_i32_i64: return "qw";
    case IR_extrl_i64_i32: case IR_extrh_i64_i32: return "wq";
    case IR_concat_i32_i64: return "qww";
    case IR_vec_i64: return "qqqq";
    case IR_ld_i32: return "ww";
    case IR_st_i32: return "ww";
    case IR_ld_i64: return "qw";
    case IR_st_i64: return "qw";
    case IR_cmpxchg_i32: return "wwww";
    case IR_cmpxchg_i64: return "qwqq";
    case IR_xchg_i32: return "www";
    case IR_NUM_OPS: break;
    }
    return NULL;
}

static bool check_call(const struct ir_block *b, const struct ir_op *op)
{
    uint64_t h = ir_op_consts_c(op)[0];
    if (h >= IR_NUM_HELPERS)
        return false;
    const struct ir_helper_info *hi = &ir_helpers[h];
    unsigned k = 0;
    if ((hi->ret != IR_HT_void) != (op->nout == 1))
        return false;
    if (op->nout && b->temps[op->args[k++]].type != (hi->ret == IR_HT_i64 ? IR_I64 : IR_I32))
        return false;
    unsigned nin = 0;
    for (unsigned i = 0; i < hi->nargs; i++) {
        if (hi->args[i] == IR_HT_env)
            continue;
        nin++;
        if (b->temps[op->args[k++]].type != (hi->args[i] == IR_HT_i64 ? IR_I64 : IR_I32))
            return false;
    }
    return nin == op->nin;
}

/* Checks one op; label_state per label: 0 untouched, 1 jumped to, 2 set. */
static const char *check_op(const struct ir_block *b, const struct ir_op *op, uint8_t *label_state)
{
    if (op->opc >= IR_NUM_OPS)
        return "bad opcode";
    const struct ir_op_info *info = &ir_op_info[op->opc];
    if (info->nout != IR_VARIADIC &&
        (op->nout != info->nout || op->nin != info->nin || op->nconst != info->nconst))
        return "operand counts differ from the op table";
    for (unsigned k = 0; k < (unsigned)op->nout + op->nin; k++)
        if (op->args[k] >= b->n_temps)
            return "temp out of range";
    for (unsigned k = 0; k < op->nout; k++)
        if (b->temps[op->args[k]].kind == IR_TEMP_CONST)
            return "constant written";
    if (op->opc == IR_call)
        return check_call(b, op) ? NULL : "call does not match the helper table";
    const char *ty = op_types(op);
    for (unsigned k = 0; ty[k]; k++)
        if (b->temps[op->args[k]].type != (ty[k] == 'q' ? IR_I64 : IR_I32))
            return "operand of the wrong type";
    const uint64_t *c = ir_op_consts_c(op);
    switch ((enum ir_opc)op->opc) {
    case IR_set_label:
        if (c[0] >= b->n_labels || label_state[c[0]] == 2)
            return "label out of range or set twice";
        label_state[c[0]] = 2;
        return NULL;
    case IR_br:
    case IR_brcond_i32: {
        uint64_t l = op->opc == IR_br ? c[0] : c[1];
        if (l >= b->n_labels || label_state[l] == 2)
            return "branch to a label out of range or backwards";
        label_state[l] = 1;
        if (op->opc == IR_brcond_i32 && c[0] >= IR_NUM_CONDS)
            return "bad condition";
        return NULL;
    }
    case IR_setcond_i32:
    case IR_movcond_i32:
        return c[0] >= IR_NUM_CONDS ? "bad condition" : NULL;
    case IR_ld_i32:
    case IR_st_i32:
        return ((c[0] & IR_MO_SIZE) > IR_MO_32 || c[0] > (IR_MO_SIZE | IR_MO_SIGN))
                   ? "bad memop" : NULL;
    case IR_cmpxchg_i32:
    case IR_xchg_i32:
        return c[0] > IR_MO_32 ? "bad memop (atomics: 8, 16 or 32 bits, unsigned)" : NULL;
    case IR_extract_i32:
    case IR_sextract_i32:
    case IR_deposit_i32:
        return (c[1] < 1 || c[0] + c[1] > 32) ? "bitfield out of range" : NULL;
    default:
        return NULL;
    }
}

const char *ir_verify(const struct ir_block *b, uint32_t *where)
{
    const char *err = NULL;
    uint8_t *label_state = calloc(b->n_labels + 1, 1);
    uint32_t i;
    for (i = 0; i < b->n_ops && !err; i++)
        err = check_op(b, &b->ops[i], label_state);
    if (err) {
        i--;                            /* the offending op */
    } else {
        i = b->n_ops ? b->n_ops - 1 : 0;
        for (uint32_t l = 0; l < b->n_labels && !err; l++)
            if (label_state[l] == 1)
                err = "branch to a label that is never set";
        if (!err && (b->n_ops == 0 ||
                     !(ir_op_info[b->ops[b->n_ops - 1].opc].flags & IR_F_BLOCK_END)))
            err = "block does not end in goto_tb, goto_ptr or exit_tb";
    }
    free(label_state);
    if (err && where)
        *where = i;
    return err;
}
