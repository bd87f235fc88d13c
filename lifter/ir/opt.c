/*
 * The per-block µIR optimizer.
 *
 * Rules (each keeps types and terminates, since every pass is one linear sweep):
 *  1. Copy propagation: after `mov x, y` an input x becomes y until x or y is written again.
 *  2. Constant folding: an op whose inputs are all constants becomes a mov of its value
 *     (ir_eval_op, the reference interpreter in interp.c, computes it);
 *     brcond with constant inputs becomes br or nop. Algebraic identities (x+0, x&0, x|0,
 *     x^0, x*1, shifts by 0) become movs.
 *  3. Dead-temp removal: an op without side effects whose outputs nothing reads afterwards
 *     is removed. Globals are live at the end of the block and at helper calls that may read
 *     struct cpu, so a global written twice with no read between loses the first write
 *     (a flag that the next insn sets again costs nothing). Stores, atomics (cmpxchg, xchg)
 *     and barriers have side effects and stay, as do loads (they may fault); no pass moves
 *     an op, so guest memory accesses keep their order. An atomic's output is never folded.
 * What is known about temps is forgotten at labels (a join point), and facts about globals
 * are forgotten at helper calls that may touch struct cpu.
 */
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "xl_assert.h"
#include "../helpers/helpers.h"

struct opt {
    struct ir_block *b;
    ir_temp *copy_of;   /* per temp; self when unknown */
};

static void forget_all(struct opt *o)
{
    for (ir_temp t = 0; t < o->b->n_temps; t++)
        o->copy_of[t] = t;
}

static void forget_globals(struct opt *o)
{
    for (ir_temp t = 0; t < o->b->n_temps; t++)
        if (t < IR_NUM_GLOBALS || o->copy_of[t] < IR_NUM_GLOBALS)
            o->copy_of[t] = t;
}

/* Temp x is written: nothing may still stand for it, and it stands for nothing. */
static void written(struct opt *o, ir_temp x)
{
    for (ir_temp t = 0; t < o->b->n_temps; t++)
        if (o->copy_of[t] == x)
            o->copy_of[t] = t;
    o->copy_of[x] = x;
}

static void make_mov(struct ir_block *b, struct ir_op *op, ir_temp out, ir_temp src)
{
    bool i64 = b->temps[out].type == IR_I64;
    uint32_t pc = op->guest_pc;
    memset(op, 0, sizeof(*op));
    op->opc = i64 ? IR_mov_i64 : IR_mov_i32;
    op->nout = op->nin = 1;
    op->guest_pc = pc;
    op->args[0] = out;
    op->args[1] = src;
}

static void make_nop(struct ir_op *op)
{
    uint32_t pc = op->guest_pc;
    memset(op, 0, sizeof(*op));
    op->opc = IR_nop;
    op->guest_pc = pc;
}

/* Rule 2's identities: returns the temp the op's output equals, or none (~0). */
static ir_temp identity(struct ir_block *b, const struct ir_op *op)
{
    const uint64_t *in = ir_op_ins_c(op);
    if (op->nin != 2 || !ir_is_const(b, (ir_temp)in[1]))
        return ~0u;
    uint64_t k = b->temps[in[1]].val;
    switch ((enum ir_opc)op->opc) {
    case IR_add_i32: case IR_sub_i32: case IR_or_i32: case IR_xor_i32:
    case IR_shl_i32: case IR_shr_i32: case IR_sar_i32: case IR_rotr_i32:
    case IR_add_i64: case IR_sub_i64: case IR_or_i64: case IR_xor_i64:
    case IR_shl_i64: case IR_shr_i64: case IR_sar_i64:
        return k == 0 ? (ir_temp)in[0] : ~0u;
    case IR_mul_i32: case IR_mul_i64:
        return k == 1 ? (ir_temp)in[0] : ~0u;
    case IR_and_i32:
        return k == 0xffffffffu ? (ir_temp)in[0] : k == 0 ? (ir_temp)in[1] : ~0u;
    default:
        return ~0u;
    }
}

static void propagate(struct ir_block *b)
{
    struct opt o = { .b = b, .copy_of = malloc(b->n_temps * sizeof(ir_temp)) };
    forget_all(&o);
    for (uint32_t i = 0; i < b->n_ops; i++) {
        struct ir_op *op = &b->ops[i];
        const struct ir_op_info *info = &ir_op_info[op->opc];
        uint64_t *in = ir_op_ins(op);
        if (op->opc == IR_set_label) {
            forget_all(&o);
            continue;
        }
        bool all_const = true;
        uint64_t v[6] = { 0 };
        for (unsigned k = 0; k < op->nin; k++) {
            in[k] = o.copy_of[in[k]];
            if (ir_is_const(b, (ir_temp)in[k]))
                v[k < 6 ? k : 5] = b->temps[in[k]].val;
            else
                all_const = false;
        }
        if (op->opc == IR_brcond_i32 && all_const) {
            const uint64_t *c = ir_op_consts_c(op);
            if (ir_cond_holds((enum ir_cond)c[0], (uint32_t)v[0], (uint32_t)v[1])) {
                uint64_t label = c[1];
                memset(op->args, 0, sizeof(op->args));
                op->opc = IR_br;
                op->nin = 0;
                op->nconst = 1;
                op->args[0] = label;
            } else {
                make_nop(op);
            }
            continue;
        }
        if (op->nout == 1 && !(info->flags & (IR_F_MEM | IR_F_CALL | IR_F_SIDE))) {
            uint64_t val;
            ir_temp out = (ir_temp)op->args[0];
            ir_temp same = identity(b, op);
            if (all_const && op->opc != IR_mov_i32 && op->opc != IR_mov_i64 &&
                ir_eval_op(op, v, &val)) {
                ir_temp k = b->temps[out].type == IR_I64 ? ir_const_i64(b, val)
                                                         : ir_const_i32(b, (uint32_t)val);
                /* ir_const_* may have grown the temp table. */
                o.copy_of = realloc(o.copy_of, b->n_temps * sizeof(ir_temp));
                o.copy_of[k] = k;
                op = &b->ops[i];
                make_mov(b, op, out, k);
            } else if (same != ~0u && b->temps[same].type == b->temps[out].type) {
                make_mov(b, op, out, same);
            }
        }
        if (op->opc == IR_call && ir_helper_takes_env(&ir_helpers[ir_op_consts(op)[0]]))
            forget_globals(&o);
        for (unsigned k = 0; k < op->nout; k++)
            written(&o, (ir_temp)op->args[k]);
        if ((op->opc == IR_mov_i32 || op->opc == IR_mov_i64) && op->args[0] != op->args[1])
            o.copy_of[op->args[0]] = (ir_temp)op->args[1];
        if (op->opc == IR_mov_i32 || op->opc == IR_mov_i64) {
            if (op->args[0] == op->args[1])
                make_nop(op);
        }
    }
    free(o.copy_of);
}

/* Rule 3: backward liveness; labels are forward, so a label is seen before its branches. */
static void remove_dead(struct ir_block *b)
{
    uint32_t nt = b->n_temps;
    uint8_t *live = calloc(nt, 1);
    uint8_t *at_label = calloc((size_t)(b->n_labels + 1) * nt, 1);
    for (ir_temp t = 0; t < IR_NUM_GLOBALS; t++)
        live[t] = 1;
    for (uint32_t i = b->n_ops; i-- > 0;) {
        struct ir_op *op = &b->ops[i];
        const struct ir_op_info *info = &ir_op_info[op->opc];
        if (op->opc == IR_set_label) {
            memcpy(at_label + ir_op_consts(op)[0] * nt, live, nt);
            continue;
        }
        if (op->opc == IR_br || op->opc == IR_brcond_i32) {
            uint64_t l = ir_op_consts(op)[op->opc == IR_br ? 0 : 1];
            for (ir_temp t = 0; t < nt; t++)
                live[t] |= at_label[l * nt + t];
        }
        if (info->flags & IR_F_BLOCK_END)
            for (ir_temp t = 0; t < IR_NUM_GLOBALS; t++)
                live[t] = 1;
        bool needed = (info->flags & (IR_F_SIDE | IR_F_BB_END | IR_F_CALL | IR_F_MEM)) ||
                      op->opc == IR_insn_start || op->nout == 0;
        if (op->opc == IR_call && (ir_helpers[ir_op_consts(op)[0]].flags & IR_H_PURE))
            needed = false;
        if (op->opc == IR_ld_i32 || op->opc == IR_ld_i64)
            needed = true;  /* a load may fault: keep it, as the guest would fault */
        for (unsigned k = 0; k < op->nout; k++)
            if (live[op->args[k]])
                needed = true;
        if (!needed) {
            make_nop(op);
            continue;
        }
        for (unsigned k = 0; k < op->nout; k++)
            live[op->args[k]] = 0;
        for (unsigned k = 0; k < op->nin; k++)
            live[op->args[op->nout + k]] = 1;
        if (op->opc == IR_call && ir_helper_takes_env(&ir_helpers[ir_op_consts(op)[0]]))
            for (ir_temp t = 0; t < IR_NUM_GLOBALS; t++)
                live[t] = 1;
    }
    free(live);
    free(at_label);
}

/* Drops nops so that backends walk fewer ops. */
static void compact(struct ir_block *b)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->n_ops; i++)
        if (b->ops[i].opc != IR_nop)
            b->ops[n++] = b->ops[i];
    b->n_ops = n;
}

void ir_optimize(struct ir_block *b)
{
    propagate(b);
    remove_dead(b);
    compact(b);
}
