/*
 * The raiser's ops (raise_internal.h): each µIR op becomes LLVM instructions at the
 * builder's position (raise_op). Guest loads and stores, helper calls and conditions have
 * functions of their own here; the block ends (goto_tb, goto_ptr, exit_tb) are in
 * raise_flow.c.
 */
#include <stdio.h>
#include <string.h>

#include "raise_internal.h"
#include "../helpers/helpers.h"

/* ---- ops ---- */

LLVMValueRef raise_intrinsic(struct rmod *m, const char *name, LLVMTypeRef ty,
                             LLVMValueRef *args, unsigned n)
{
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(m->mod, id, &ty, 1);
    return LLVMBuildCall2(m->bld, LLVMIntrinsicGetType(m->ctx, id, &ty, 1), fn, args, n, "");
}

static LLVMValueRef gen_cmp(struct rfn *r, uint64_t c, LLVMValueRef a, LLVMValueRef b)
{
    LLVMBuilderRef bld = r->m->bld;
    LLVMIntPredicate p = LLVMIntEQ;
    switch ((enum ir_cond)c) {
    case IR_EQ: p = LLVMIntEQ; break;
    case IR_NE: p = LLVMIntNE; break;
    case IR_LT: p = LLVMIntSLT; break;
    case IR_GE: p = LLVMIntSGE; break;
    case IR_LE: p = LLVMIntSLE; break;
    case IR_GT: p = LLVMIntSGT; break;
    case IR_LTU: p = LLVMIntULT; break;
    case IR_GEU: p = LLVMIntUGE; break;
    case IR_LEU: p = LLVMIntULE; break;
    case IR_GTU: p = LLVMIntUGT; break;
    case IR_TSTEQ:
    case IR_TSTNE:
        return LLVMBuildICmp(bld, c == IR_TSTEQ ? LLVMIntEQ : LLVMIntNE,
                             LLVMBuildAnd(bld, a, b, ""), LLVMConstNull(LLVMTypeOf(a)), "");
    case IR_NUM_CONDS:
        break;
    }
    if (c >= IR_NUM_CONDS)
        raise_fail(r, "bad condition");
    return LLVMBuildICmp(bld, p, a, b, "");
}

/* i32 shift/rotate counts modulo 32, i64 modulo 64 (ops.def). */
static LLVMValueRef count(struct rfn *r, LLVMValueRef n)
{
    LLVMTypeRef ty = LLVMTypeOf(n);
    unsigned w = ty == r->m->i64 ? 63 : 31;
    return LLVMBuildAnd(r->m->bld, n, LLVMConstInt(ty, w, 0), "");
}

/*
 * Guest address a + k (k a small constant, as in [rN, #k]) becomes host (zext a) + k, so
 * that the offset folds into the x86 addressing mode. It differs from zext(a + k) only when
 * a + k wraps around 2^32: then it lands in [4 GiB, 4 GiB + 64 KiB), which the runtime
 * keeps PROT_NONE, or below 0, never mapped; the guest gets the SIGSEGV it would get on
 * Linux, whose low 64 KiB are never mapped either (docs/aot.md).
 */
#define FOLD_LIMIT 0x10000

LLVMValueRef raise_guest_ptr(struct rfn *r, uint64_t addr)
{
    struct rmod *m = r->m;
    LLVMValueRef a = raise_get_as(r, addr, m->i32), off = NULL;
    LLVMOpcode op = LLVMIsAInstruction(a) ? LLVMGetInstructionOpcode(a) : LLVMRet;
    if ((op == LLVMAdd || op == LLVMSub) && LLVMIsAConstantInt(LLVMGetOperand(a, 1))) {
        int64_t k = LLVMConstIntGetSExtValue(LLVMGetOperand(a, 1));
        if (op == LLVMSub)
            k = -k;
        if (k > -FOLD_LIMIT && k < FOLD_LIMIT) {
            off = LLVMConstInt(m->i64, (uint64_t)k, 1);
            a = LLVMGetOperand(a, 0);
        }
    }
    LLVMValueRef p = LLVMBuildIntToPtr(m->bld, LLVMBuildZExt(m->bld, a, m->i64, ""), m->ptr, "");
    return off ? LLVMBuildGEP2(m->bld, m->i8, p, &off, 1, "") : p;
}

static LLVMTypeRef mem_ty(struct rmod *m, unsigned memop)
{
    switch (memop & IR_MO_SIZE) {
    case IR_MO_8: return m->i8;
    case IR_MO_16: return m->i16;
    case IR_MO_32: return m->i32;
    default: return m->i64;
    }
}

static void gen_load(struct rfn *r, const uint64_t *o, const uint64_t *in, unsigned memop,
                     LLVMTypeRef rty)
{
    struct rmod *m = r->m;
    LLVMTypeRef ty = mem_ty(m, memop);
    LLVMValueRef v = LLVMBuildLoad2(m->bld, ty, raise_guest_ptr(r, in[0]), "");
    LLVMSetAlignment(v, 1);
    LLVMSetMetadata(v, m->md_scope, m->guest_scopes);
    if (LLVMGetIntTypeWidth(ty) > LLVMGetIntTypeWidth(rty))
        v = LLVMBuildTrunc(m->bld, v, rty, "");
    else if (ty != rty)
        v = (memop & IR_MO_SIGN) ? LLVMBuildSExt(m->bld, v, rty, "")
                                 : LLVMBuildZExt(m->bld, v, rty, "");
    raise_set(r, o[0], v);
}

/* v (an i32 or i64 temp's value) as an integer of memory type ty. */
static LLVMValueRef to_mem_ty(struct rmod *m, LLVMValueRef v, LLVMTypeRef ty)
{
    if (LLVMGetIntTypeWidth(LLVMTypeOf(v)) > LLVMGetIntTypeWidth(ty))
        return LLVMBuildTrunc(m->bld, v, ty, "");
    if (LLVMTypeOf(v) != ty)
        return LLVMBuildZExt(m->bld, v, ty, "");
    return v;
}

static void gen_store(struct rfn *r, const uint64_t *in, unsigned memop)
{
    struct rmod *m = r->m;
    LLVMValueRef v = to_mem_ty(m, raise_get(r, in[0]), mem_ty(m, memop));
    LLVMValueRef s = LLVMBuildStore(m->bld, v, raise_guest_ptr(r, in[1]));
    LLVMSetAlignment(s, 1);
    LLVMSetMetadata(s, m->md_scope, m->guest_scopes);
}

/*
 * cmpxchg_i32/i64 and xchg_i32: an LLVM cmpxchg (seq_cst on success and failure) or an
 * atomicrmw xchg (seq_cst) on the guest pointer that loads and stores use. Their alignment
 * is the natural one (the C API's default): ARM's exclusives and swp fault on anything else.
 * The old value is zero-extended into the output, as an unsigned load's.
 */
static void gen_atomic(struct rfn *r, const struct ir_op *op, unsigned memop, LLVMTypeRef rty)
{
    struct rmod *m = r->m;
    const uint64_t *o = ir_op_outs_c(op), *in = ir_op_ins_c(op);
    LLVMTypeRef ty = mem_ty(m, memop);
    LLVMValueRef p = raise_guest_ptr(r, in[0]), old;
    if (op->opc == IR_xchg_i32) {
        LLVMValueRef v = to_mem_ty(m, raise_get(r, in[1]), ty);
        old = LLVMBuildAtomicRMW(m->bld, LLVMAtomicRMWBinOpXchg, p, v,
                                 LLVMAtomicOrderingSequentiallyConsistent, 0);
        LLVMSetMetadata(old, m->md_scope, m->guest_scopes);
    } else {
        LLVMValueRef e = to_mem_ty(m, raise_get(r, in[1]), ty);
        LLVMValueRef v = to_mem_ty(m, raise_get(r, in[2]), ty);
        LLVMValueRef x = LLVMBuildAtomicCmpXchg(m->bld, p, e, v,
                                                LLVMAtomicOrderingSequentiallyConsistent,
                                                LLVMAtomicOrderingSequentiallyConsistent, 0);
        LLVMSetMetadata(x, m->md_scope, m->guest_scopes);
        old = LLVMBuildExtractValue(m->bld, x, 0, "");
    }
    if (ty != rty)
        old = LLVMBuildZExt(m->bld, old, rty, "");
    raise_set(r, o[0], old);
}

LLVMValueRef raise_helper_fn(struct rmod *m, const struct ir_helper_info *h)
{
    char name[96];
    snprintf(name, sizeof(name), "helper_%s", h->name);
    LLVMValueRef fn = LLVMGetNamedFunction(m->mod, name);
    if (fn)
        return fn;
    LLVMTypeRef at[4];
    for (unsigned i = 0; i < h->nargs && i < 4; i++)
        at[i] = h->args[i] == IR_HT_env ? m->ptr : raise_ty_of(m, h->args[i] == IR_HT_i64);
    LLVMTypeRef rt = h->ret == IR_HT_void ? m->vd : raise_ty_of(m, h->ret == IR_HT_i64);
    fn = LLVMAddFunction(m->mod, name, LLVMFunctionType(rt, at, h->nargs, 0));
    raise_add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "nounwind");
    return fn;
}

static void gen_call(struct rfn *r, const struct ir_op *op)
{
    struct rmod *m = r->m;
    uint64_t hi = ir_op_consts_c(op)[0];
    if (hi >= IR_NUM_HELPERS || op->nout > 1) {
        raise_fail(r, "bad helper call");
        return;
    }
    const struct ir_helper_info *h = &ir_helpers[hi];
    const uint64_t *ins = ir_op_ins_c(op);
    LLVMValueRef fn = raise_helper_fn(m, h);
    LLVMTypeRef fty = LLVMGlobalGetValueType(fn);
    if (LLVMCountParamTypes(fty) != h->nargs || h->nargs > 4) {
        raise_fail(r, "helper prototype mismatch");
        return;
    }
    LLVMTypeRef pt[4];
    LLVMGetParamTypes(fty, pt);
    LLVMValueRef args[4];
    unsigned k = 0;
    for (unsigned i = 0; i < h->nargs; i++) {
        if (h->args[i] == IR_HT_env) {
            args[i] = r->cpu;
            continue;
        }
        if (k >= op->nin) {
            raise_fail(r, "helper call with too few inputs");
            return;
        }
        args[i] = raise_get_as(r, ins[k++], pt[i]);
    }
    bool env = ir_helper_takes_env(h);
    if (env)
        raise_sync_globals(r);
    LLVMValueRef v = LLVMBuildCall2(m->bld, fty, fn, args, h->nargs, "");
    if (env)
        raise_reload_globals(r);
    if (op->nout && h->ret != IR_HT_void)
        raise_set(r, op->args[0], v);
}

static uint32_t mask32(unsigned len) { return len >= 32 ? 0xffffffffu : (1u << len) - 1; }

void raise_op(struct rfn *r, const struct ir_op *op)
{
    struct rmod *m = r->m;
    LLVMBuilderRef bld = m->bld;
    const uint64_t *o = ir_op_outs_c(op), *in = ir_op_ins_c(op), *c = ir_op_consts_c(op);
    if (op->opc != IR_set_label)
        raise_ensure_open(r);
#define A raise_get(r, in[0])
#define B raise_get(r, in[1])
#define I32(v) LLVMConstInt(m->i32, (v), 0)
#define BIN(fn) raise_set(r, o[0], fn(bld, A, B, ""))
    switch ((enum ir_opc)op->opc) {
    case IR_nop:
    case IR_insn_start:
        break;
    case IR_set_label: {
        LLVMBasicBlockRef l = raise_label_bb(r, c[0]);
        if (!raise_terminated(bld))
            LLVMBuildBr(bld, l);
        LLVMPositionBuilderAtEnd(bld, l);
        break;
    }
    case IR_br:
        LLVMBuildBr(bld, raise_label_bb(r, c[0]));
        break;
    case IR_brcond_i32: {
        LLVMValueRef k = gen_cmp(r, c[0], A, B);
        LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
        LLVMBuildCondBr(bld, k, raise_label_bb(r, c[1]), next);
        LLVMPositionBuilderAtEnd(bld, next);
        break;
    }
    case IR_mov_i32:
    case IR_mov_i64:
        if (!raise_vec_paired(r, op))   /* to both halves of a Q register */
            raise_set(r, o[0], A);
        break;
    case IR_add_i32:
    case IR_add_i64: BIN(LLVMBuildAdd); break;
    case IR_sub_i32:
    case IR_sub_i64: BIN(LLVMBuildSub); break;
    case IR_mul_i32:
    case IR_mul_i64: BIN(LLVMBuildMul); break;
    case IR_and_i32:
    case IR_and_i64: BIN(LLVMBuildAnd); break;
    case IR_or_i32:
    case IR_or_i64: BIN(LLVMBuildOr); break;
    case IR_xor_i32:
    case IR_xor_i64: BIN(LLVMBuildXor); break;
    case IR_andc_i32: raise_set(r, o[0], LLVMBuildAnd(bld, A, LLVMBuildNot(bld, B, ""), "")); break;
    case IR_shl_i32:
    case IR_shl_i64: raise_set(r, o[0], LLVMBuildShl(bld, A, count(r, B), "")); break;
    case IR_shr_i32:
    case IR_shr_i64: raise_set(r, o[0], LLVMBuildLShr(bld, A, count(r, B), "")); break;
    case IR_sar_i32:
    case IR_sar_i64: raise_set(r, o[0], LLVMBuildAShr(bld, A, count(r, B), "")); break;
    case IR_rotr_i32: {
        LLVMValueRef a = A;
        LLVMValueRef args[3] = { a, a, B };     /* fshr takes the count modulo 32 */
        raise_set(r, o[0], raise_intrinsic(m, "llvm.fshr", m->i32, args, 3));
        break;
    }
    case IR_not_i32: raise_set(r, o[0], LLVMBuildNot(bld, A, "")); break;
    case IR_neg_i32: raise_set(r, o[0], LLVMBuildNeg(bld, A, "")); break;
    case IR_clz_i32: {
        LLVMValueRef args[2] = { A, LLVMConstInt(m->i1, 0, 0) };   /* clz(0) = 32 */
        raise_set(r, o[0], raise_intrinsic(m, "llvm.ctlz", m->i32, args, 2));
        break;
    }
    case IR_bswap_i32: {
        LLVMValueRef a = A;
        raise_set(r, o[0], raise_intrinsic(m, "llvm.bswap", m->i32, &a, 1));
        break;
    }
    case IR_ext8s_i32:
        raise_set(r, o[0], LLVMBuildSExt(bld, LLVMBuildTrunc(bld, A, m->i8, ""), m->i32, ""));
        break;
    case IR_ext8u_i32:
        raise_set(r, o[0], LLVMBuildZExt(bld, LLVMBuildTrunc(bld, A, m->i8, ""), m->i32, ""));
        break;
    case IR_ext16s_i32:
        raise_set(r, o[0], LLVMBuildSExt(bld, LLVMBuildTrunc(bld, A, m->i16, ""), m->i32, ""));
        break;
    case IR_ext16u_i32:
        raise_set(r, o[0], LLVMBuildZExt(bld, LLVMBuildTrunc(bld, A, m->i16, ""), m->i32, ""));
        break;
    case IR_extract_i32:
    case IR_sextract_i32: {
        unsigned pos = (unsigned)c[0], len = (unsigned)c[1];
        if (len == 0 || pos + len > 32) {
            raise_fail(r, "bad bitfield");
            break;
        }
        LLVMValueRef v = A;
        if (op->opc == IR_sextract_i32) {
            if (32 - pos - len)
                v = LLVMBuildShl(bld, v, I32(32 - pos - len), "");
            if (32 - len)
                v = LLVMBuildAShr(bld, v, I32(32 - len), "");
        } else {
            if (pos)
                v = LLVMBuildLShr(bld, v, I32(pos), "");
            if (len < 32)
                v = LLVMBuildAnd(bld, v, I32(mask32(len)), "");
        }
        raise_set(r, o[0], v);
        break;
    }
    case IR_deposit_i32: {
        unsigned pos = (unsigned)c[0], len = (unsigned)c[1];
        if (len == 0 || pos + len > 32) {
            raise_fail(r, "bad bitfield");
            break;
        }
        uint32_t mk = mask32(len) << pos;
        LLVMValueRef a = LLVMBuildAnd(bld, A, I32(~mk), "");
        LLVMValueRef v = LLVMBuildAnd(bld, LLVMBuildShl(bld, B, I32(pos), ""), I32(mk), "");
        raise_set(r, o[0], LLVMBuildOr(bld, a, v, ""));
        break;
    }
    case IR_setcond_i32:
        raise_set(r, o[0], LLVMBuildZExt(bld, gen_cmp(r, c[0], A, B), m->i32, ""));
        break;
    case IR_movcond_i32: {
        LLVMValueRef k = gen_cmp(r, c[0], A, B);
        raise_set(r, o[0], LLVMBuildSelect(bld, k, raise_get(r, in[2]), raise_get(r, in[3]), ""));
        break;
    }
    case IR_mulu2_i32:
    case IR_muls2_i32: {
        LLVMValueRef (*ext)(LLVMBuilderRef, LLVMValueRef, LLVMTypeRef, const char *) =
            op->opc == IR_muls2_i32 ? LLVMBuildSExt : LLVMBuildZExt;
        LLVMValueRef p = LLVMBuildMul(bld, ext(bld, A, m->i64, ""), ext(bld, B, m->i64, ""), "");
        raise_set(r, o[0], LLVMBuildTrunc(bld, p, m->i32, ""));
        LLVMValueRef hi = LLVMBuildLShr(bld, p, LLVMConstInt(m->i64, 32, 0), "");
        raise_set(r, o[1], LLVMBuildTrunc(bld, hi, m->i32, ""));
        break;
    }
    case IR_add2_i32:
    case IR_sub2_i32: {
        LLVMValueRef k32 = LLVMConstInt(m->i64, 32, 0);
        LLVMValueRef x = LLVMBuildOr(bld, LLVMBuildZExt(bld, A, m->i64, ""),
            LLVMBuildShl(bld, LLVMBuildZExt(bld, B, m->i64, ""), k32, ""), "");
        LLVMValueRef y = LLVMBuildOr(bld, LLVMBuildZExt(bld, raise_get(r, in[2]), m->i64, ""),
            LLVMBuildShl(bld, LLVMBuildZExt(bld, raise_get(r, in[3]), m->i64, ""), k32, ""), "");
        LLVMValueRef s = op->opc == IR_add2_i32 ? LLVMBuildAdd(bld, x, y, "")
                                                : LLVMBuildSub(bld, x, y, "");
        raise_set(r, o[0], LLVMBuildTrunc(bld, s, m->i32, ""));
        raise_set(r, o[1], LLVMBuildTrunc(bld, LLVMBuildLShr(bld, s, k32, ""), m->i32, ""));
        break;
    }
    case IR_ext_i32_i64:
        raise_set(r, o[0], LLVMBuildSExt(bld, raise_get_as(r, in[0], m->i32), m->i64, ""));
        break;
    case IR_extu_i32_i64:
        raise_set(r, o[0], LLVMBuildZExt(bld, raise_get_as(r, in[0], m->i32), m->i64, ""));
        break;
    case IR_extrl_i64_i32:
        raise_set(r, o[0], LLVMBuildTrunc(bld, raise_get_as(r, in[0], m->i64), m->i32, ""));
        break;
    case IR_extrh_i64_i32: {
        LLVMValueRef v = raise_get_as(r, in[0], m->i64);
        v = LLVMBuildLShr(bld, v, LLVMConstInt(m->i64, 32, 0), "");
        raise_set(r, o[0], LLVMBuildTrunc(bld, v, m->i32, ""));
        break;
    }
    case IR_concat_i32_i64: {
        LLVMValueRef hi = LLVMBuildZExt(bld, raise_get_as(r, in[1], m->i32), m->i64, "");
        hi = LLVMBuildShl(bld, hi, LLVMConstInt(m->i64, 32, 0), "");
        LLVMValueRef lo = LLVMBuildZExt(bld, raise_get_as(r, in[0], m->i32), m->i64, "");
        raise_set(r, o[0], LLVMBuildOr(bld, lo, hi, ""));
        break;
    }
    case IR_ld_i32: gen_load(r, o, in, (unsigned)c[0], m->i32); break;
    case IR_ld_i64: gen_load(r, o, in, (unsigned)c[0], m->i64); break;
    case IR_st_i32:
    case IR_st_i64:
        if (!raise_vec_paired(r, op))   /* to 16 adjacent bytes */
            gen_store(r, in, (unsigned)c[0]);
        break;
    case IR_cmpxchg_i32:
    case IR_xchg_i32:
        gen_atomic(r, op, (unsigned)c[0], m->i32);
        break;
    case IR_cmpxchg_i64:
        gen_atomic(r, op, IR_MO_64, m->i64);
        break;
    case IR_mb:
        /* dmb/dsb; x86 lowers it to mfence, the one fence TSO needs (store->load). */
        LLVMBuildFence(bld, LLVMAtomicOrderingSequentiallyConsistent, 0, "");
        break;
    case IR_call:
        gen_call(r, op);
        break;
    case IR_vec_i64:
        raise_vec(r, op);
        break;
    case IR_goto_tb:
        raise_goto_tb(r, (uint32_t)c[0]);
        break;
    case IR_goto_ptr:
        raise_goto_ptr(r);
        break;
    case IR_exit_tb:
        raise_exit_tb(r, op, c[0]);
        break;
    case IR_NUM_OPS:
        raise_fail(r, "bad op");
        break;
    }
#undef A
#undef B
#undef I32
#undef BIN
}
