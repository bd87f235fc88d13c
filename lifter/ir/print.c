/* The µIR printer: one line per op, TCG-like. */
#include <inttypes.h>

#include "ir.h"
#include "vec.h"
#include "../helpers/helpers.h"

void ir_print_temp(FILE *f, const struct ir_block *b, ir_temp t)
{
    const struct ir_temp_info *ti = &b->temps[t];
    switch ((enum ir_temp_kind)ti->kind) {
    case IR_TEMP_GLOBAL:
        fputs(ir_globals[t].name, f);
        return;
    case IR_TEMP_CONST:
        fprintf(f, "$0x%" PRIx64, ti->val);
        return;
    case IR_TEMP_LOCAL:
        fprintf(f, "%s%u", ti->type == IR_I64 ? "q" : "t", t - IR_NUM_GLOBALS);
        return;
    }
}

static void print_const(FILE *f, const struct ir_op *op, unsigned i, uint64_t v)
{
    switch ((enum ir_opc)op->opc) {
    case IR_brcond_i32:
    case IR_setcond_i32:
    case IR_movcond_i32:
        if (i == 0) {
            fputs(v < IR_NUM_CONDS ? ir_cond_name[v] : "?", f);
            return;
        }
        break;
    case IR_call:
        fputs(v < IR_NUM_HELPERS ? ir_helpers[v].name : "?", f);
        return;
    case IR_vec_i64:
        fprintf(f, "%s%s.%u", ir_vec_op(v) < IR_VEC_NUM ? ir_vec_name[ir_vec_op(v)] : "?",
                (v & IR_VEC_SAT) ? ".sat" : "", 8u << ir_vec_esz(v));
        if (ir_vec_imm(v))
            fprintf(f, " #%u", ir_vec_imm(v));
        return;
    case IR_ld_i32:
    case IR_st_i32:
    case IR_ld_i64:
    case IR_st_i64:
    case IR_cmpxchg_i32:
    case IR_xchg_i32:
        fprintf(f, "%c%u", (v & IR_MO_SIGN) ? 's' : 'u', 8u << (v & IR_MO_SIZE));
        return;
    default:
        break;
    }
    if (op->opc == IR_brcond_i32 || op->opc == IR_br || op->opc == IR_set_label)
        fprintf(f, "L%" PRIu64, v);
    else
        fprintf(f, "0x%" PRIx64, v);
}

void ir_print_op(FILE *f, const struct ir_block *b, const struct ir_op *op)
{
    if (op->opc == IR_insn_start) {
        fprintf(f, " ---- %08" PRIx64 "\n", op->args[0]);
        return;
    }
    if (op->opc == IR_set_label) {
        fprintf(f, " L%" PRIu64 ":\n", op->args[0]);
        return;
    }
    fprintf(f, " %-14s", ir_op_info[op->opc].name);
    unsigned n = 0;
    for (unsigned i = 0; i < (unsigned)op->nout + op->nin; i++, n++) {
        fputs(n ? ", " : " ", f);
        ir_print_temp(f, b, (ir_temp)op->args[i]);
    }
    for (unsigned i = 0; i < op->nconst; i++, n++) {
        fputs(n ? ", " : " ", f);
        print_const(f, op, i, op->args[op->nout + op->nin + i]);
    }
    fputc('\n', f);
}

void ir_print_block(FILE *f, const struct ir_block *b)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->n_ops; i++)
        n += b->ops[i].opc != IR_nop;
    fprintf(f, "block %08" PRIx32 " %s, %u guest insns, %u ops\n", b->guest_pc,
            b->thumb ? "thumb" : "arm", b->n_insns, n);
    for (uint32_t i = 0; i < b->n_ops; i++)
        if (b->ops[i].opc != IR_nop)
            ir_print_op(f, b, &b->ops[i]);
}
