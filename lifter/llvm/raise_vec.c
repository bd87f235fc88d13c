/*
 * The raiser's Advanced SIMD op (vec_i64, lifter/ir/vec.h): the D register, an i64, is
 * bitcast to a vector of its lanes, operated on and cast back, so that a chain of NEON
 * insns stays in vector registers once instcombine folds the casts between them. Kinds
 * without a direct LLVM form call helper_neon, whose bitcode is inlined with the kind a
 * constant (the same C the JIT and the interpreter run).
 */
#include "raise_internal.h"
#include "../helpers/helpers.h"
#include "../ir/vec.h"

static LLVMValueRef splat(struct rmod *m, LLVMTypeRef vty, uint64_t v)
{
    if (vty == m->i64)          /* one 64-bit lane: no vector */
        return LLVMConstInt(m->i64, v, 0);
    LLVMTypeRef ety = LLVMGetElementType(vty);
    unsigned n = LLVMGetVectorSize(vty);
    LLVMValueRef e[64];
    for (unsigned i = 0; i < n; i++)
        e[i] = LLVMConstInt(ety, v, 0);
    return LLVMConstVector(e, n);
}

/* A comparison's lanes as all ones / all zeros. */
static LLVMValueRef mask_of(struct rmod *m, LLVMValueRef cmp, LLVMTypeRef vty)
{
    return LLVMBuildSExt(m->bld, cmp, vty, "");
}

static LLVMValueRef helper_call(struct rfn *r, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c,
                                uint64_t kind)
{
    struct rmod *m = r->m;
    LLVMValueRef fn = raise_helper_fn(m, &ir_helpers[IR_HELPER_neon]);
    LLVMValueRef args[4] = { a, b, c, LLVMConstInt(m->i32, kind, 0) };
    return LLVMBuildCall2(m->bld, LLVMGlobalGetValueType(fn), fn, args, 4, "");
}

void raise_vec(struct rfn *r, const struct ir_op *op)
{
    struct rmod *m = r->m;
    LLVMBuilderRef bld = m->bld;
    const uint64_t *in = ir_op_ins_c(op);
    uint64_t kind = ir_op_consts_c(op)[0];
    LLVMValueRef a = raise_get(r, in[0]), b = raise_get(r, in[1]), c = raise_get(r, in[2]);
    unsigned bits = 8u << ir_vec_esz(kind), imm = ir_vec_imm(kind);
    LLVMTypeRef vty = bits == 64 ? m->i64
                                 : LLVMVectorType(LLVMIntTypeInContext(m->ctx, bits), 64 / bits);
    /* The bitwise kinds work on the i64 as it is. */
    LLVMValueRef res = NULL;
    if (!(kind & IR_VEC_SAT)) {
        switch ((enum ir_vec)ir_vec_op(kind)) {
        case IR_VEC_AND: res = LLVMBuildAnd(bld, a, b, ""); break;
        case IR_VEC_OR: res = LLVMBuildOr(bld, a, b, ""); break;
        case IR_VEC_XOR: res = LLVMBuildXor(bld, a, b, ""); break;
        case IR_VEC_ANDC: res = LLVMBuildAnd(bld, a, LLVMBuildNot(bld, b, ""), ""); break;
        case IR_VEC_ORC: res = LLVMBuildOr(bld, a, LLVMBuildNot(bld, b, ""), ""); break;
        case IR_VEC_NOT: res = LLVMBuildNot(bld, a, ""); break;
        case IR_VEC_BSL:
            res = LLVMBuildOr(bld, LLVMBuildAnd(bld, a, c, ""),
                              LLVMBuildAnd(bld, b, LLVMBuildNot(bld, c, ""), ""), "");
            break;
        default: break;
        }
    }
    if (res) {
        raise_set(r, op->args[0], res);
        return;
    }
    LLVMValueRef va = LLVMBuildBitCast(bld, a, vty, ""), vb = LLVMBuildBitCast(bld, b, vty, "");
    LLVMValueRef vc = LLVMBuildBitCast(bld, c, vty, "");
    LLVMValueRef v = NULL, args[2] = { va, vb };
    if (!(kind & IR_VEC_SAT)) {
        switch ((enum ir_vec)ir_vec_op(kind)) {
        case IR_VEC_ADD: v = LLVMBuildAdd(bld, va, vb, ""); break;
        case IR_VEC_SUB: v = LLVMBuildSub(bld, va, vb, ""); break;
        case IR_VEC_MUL: v = LLVMBuildMul(bld, va, vb, ""); break;
        case IR_VEC_MLA: v = LLVMBuildAdd(bld, vc, LLVMBuildMul(bld, va, vb, ""), ""); break;
        case IR_VEC_MLS: v = LLVMBuildSub(bld, vc, LLVMBuildMul(bld, va, vb, ""), ""); break;
        case IR_VEC_NEG: v = LLVMBuildNeg(bld, va, ""); break;
        case IR_VEC_MIN_S: v = raise_intrinsic(m, "llvm.smin", vty, args, 2); break;
        case IR_VEC_MIN_U: v = raise_intrinsic(m, "llvm.umin", vty, args, 2); break;
        case IR_VEC_MAX_S: v = raise_intrinsic(m, "llvm.smax", vty, args, 2); break;
        case IR_VEC_MAX_U: v = raise_intrinsic(m, "llvm.umax", vty, args, 2); break;
        case IR_VEC_QADD_S: v = raise_intrinsic(m, "llvm.sadd.sat", vty, args, 2); break;
        case IR_VEC_QADD_U: v = raise_intrinsic(m, "llvm.uadd.sat", vty, args, 2); break;
        case IR_VEC_QSUB_S: v = raise_intrinsic(m, "llvm.ssub.sat", vty, args, 2); break;
        case IR_VEC_QSUB_U: v = raise_intrinsic(m, "llvm.usub.sat", vty, args, 2); break;
        case IR_VEC_CEQ: v = mask_of(m, LLVMBuildICmp(bld, LLVMIntEQ, va, vb, ""), vty); break;
        case IR_VEC_CGT_S: v = mask_of(m, LLVMBuildICmp(bld, LLVMIntSGT, va, vb, ""), vty); break;
        case IR_VEC_CGT_U: v = mask_of(m, LLVMBuildICmp(bld, LLVMIntUGT, va, vb, ""), vty); break;
        case IR_VEC_CGE_S: v = mask_of(m, LLVMBuildICmp(bld, LLVMIntSGE, va, vb, ""), vty); break;
        case IR_VEC_CGE_U: v = mask_of(m, LLVMBuildICmp(bld, LLVMIntUGE, va, vb, ""), vty); break;
        case IR_VEC_TST:
            v = mask_of(m, LLVMBuildICmp(bld, LLVMIntNE, LLVMBuildAnd(bld, va, vb, ""),
                                         LLVMConstNull(vty), ""), vty);
            break;
        case IR_VEC_ABS: {
            LLVMValueRef x[2] = { va, LLVMConstInt(m->i1, 0, 0) };
            v = raise_intrinsic(m, "llvm.abs", vty, x, 2);
            break;
        }
        case IR_VEC_CLZ: {
            LLVMValueRef x[2] = { va, LLVMConstInt(m->i1, 0, 0) };
            v = raise_intrinsic(m, "llvm.ctlz", vty, x, 2);
            break;
        }
        case IR_VEC_CNT: v = raise_intrinsic(m, "llvm.ctpop", vty, &va, 1); break;
        case IR_VEC_SHLI:
            v = imm >= bits ? LLVMConstNull(vty) : LLVMBuildShl(bld, va, splat(m, vty, imm), "");
            break;
        case IR_VEC_SHRI_U:
            v = imm >= bits ? LLVMConstNull(vty) : LLVMBuildLShr(bld, va, splat(m, vty, imm), "");
            break;
        case IR_VEC_SHRI_S:
            v = LLVMBuildAShr(bld, va, splat(m, vty, imm >= bits ? bits - 1 : imm), "");
            break;
        case IR_VEC_DUP:
            if (bits < 64) {
                LLVMValueRef idx[32];
                for (unsigned i = 0; i < 64 / bits; i++)
                    idx[i] = LLVMConstInt(m->i32, imm, 0);
                v = LLVMBuildShuffleVector(bld, va, LLVMGetUndef(vty),
                                           LLVMConstVector(idx, 64 / bits), "");
            } else {
                v = va;
            }
            break;
        default:
            break;
        }
    }
    res = v ? LLVMBuildBitCast(bld, v, m->i64, "") : helper_call(r, a, b, c, kind);
    raise_set(r, op->args[0], res);
}
