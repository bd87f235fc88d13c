/*
 * The raiser's Advanced SIMD op (vec_i64, lifter/ir/vec.h): the D register, an i64, is
 * bitcast to a vector of its lanes (<1 x i64> for 64-bit ones), operated on and cast back,
 * so that a chain of NEON insns stays in vector registers once instcombine folds the casts
 * between them. Widening, narrowing, pairwise and permuting kinds are shufflevectors and
 * casts between lane sizes. Kinds without a direct LLVM form call helper_neon, whose
 * bitcode is inlined with the kind a constant (the same C the JIT and the interpreter run).
 */
#include "raise_internal.h"
#include "../helpers/helpers.h"
#include "../ir/vec.h"

struct vx {
    struct rmod *m;
    LLVMBuilderRef bld;
    unsigned bits, n;       /* lane size, lanes in 64 bits */
    LLVMTypeRef vty;        /* <n x i bits> */
};

static LLVMTypeRef vec_of(struct rmod *m, unsigned bits, unsigned n)
{
    return LLVMVectorType(LLVMIntTypeInContext(m->ctx, bits), n);
}

static LLVMValueRef splat_of(LLVMTypeRef vty, uint64_t v)
{
    LLVMTypeRef ety = LLVMGetElementType(vty);
    unsigned n = LLVMGetVectorSize(vty);
    LLVMValueRef e[64];
    for (unsigned i = 0; i < n; i++)
        e[i] = LLVMConstInt(ety, v, 0);
    return LLVMConstVector(e, n);
}

static LLVMValueRef splat(const struct vx *x, uint64_t v) { return splat_of(x->vty, v); }

/* Lanes idx[0..k) of the 2n lanes p:q (q may be NULL: poison). */
static LLVMValueRef shuffle(const struct vx *x, LLVMValueRef p, LLVMValueRef q,
                            const unsigned *idx, unsigned k)
{
    LLVMValueRef e[64];
    for (unsigned i = 0; i < k; i++)
        e[i] = LLVMConstInt(x->m->i32, idx[i], 0);
    if (!q)
        q = LLVMGetPoison(LLVMTypeOf(p));
    return LLVMBuildShuffleVector(x->bld, p, q, LLVMConstVector(e, k), "");
}

/* The half h of v's lanes, as a vector of n/2 lanes. */
static LLVMValueRef half(const struct vx *x, LLVMValueRef v, unsigned h)
{
    unsigned idx[32];
    for (unsigned i = 0; i < x->n / 2; i++)
        idx[i] = h * x->n / 2 + i;
    return shuffle(x, v, NULL, idx, x->n / 2);
}

/* Lanes `first`, first + 2, ... of p:q (n of them): the even or odd lanes of both. */
static LLVMValueRef every_other(const struct vx *x, LLVMValueRef p, LLVMValueRef q,
                                unsigned first)
{
    unsigned idx[32];
    for (unsigned i = 0; i < x->n; i++)
        idx[i] = 2 * i + first;
    return shuffle(x, p, q, idx, x->n);
}

static LLVMValueRef ext_to(const struct vx *x, LLVMValueRef v, bool sign, unsigned bits)
{
    LLVMTypeRef t = vec_of(x->m, bits, LLVMGetVectorSize(LLVMTypeOf(v)));
    return sign ? LLVMBuildSExt(x->bld, v, t, "") : LLVMBuildZExt(x->bld, v, t, "");
}

static LLVMValueRef call2(const struct vx *x, const char *name, LLVMValueRef p, LLVMValueRef q)
{
    LLVMValueRef args[2] = { p, q };
    return raise_intrinsic(x->m, name, LLVMTypeOf(p), args, 2);
}

/* Lanes of a, b held in 2 * bits: (a op b [+ 1]) >> 1, back in bits. */
static LLVMValueRef halving(const struct vx *x, LLVMValueRef a, LLVMValueRef b, bool sign,
                            bool sub, bool round)
{
    LLVMBuilderRef bld = x->bld;
    LLVMValueRef wa = ext_to(x, a, sign, 2 * x->bits), wb = ext_to(x, b, sign, 2 * x->bits);
    LLVMValueRef s = sub ? LLVMBuildSub(bld, wa, wb, "") : LLVMBuildAdd(bld, wa, wb, "");
    LLVMTypeRef wty = LLVMTypeOf(wa);
    if (round)
        s = LLVMBuildAdd(bld, s, splat_of(wty, 1), "");
    s = sign || sub ? LLVMBuildAShr(bld, s, splat_of(wty, 1), "")
                    : LLVMBuildLShr(bld, s, splat_of(wty, 1), "");
    return LLVMBuildTrunc(bld, s, x->vty, "");
}

/* |a - b| as the larger minus the smaller. */
static LLVMValueRef absdiff(const struct vx *x, LLVMValueRef a, LLVMValueRef b, bool sign)
{
    LLVMValueRef hi = call2(x, sign ? "llvm.smax" : "llvm.umax", a, b);
    LLVMValueRef lo = call2(x, sign ? "llvm.smin" : "llvm.umin", a, b);
    return LLVMBuildSub(x->bld, hi, lo, "");
}

/* The wide lanes (2 * bits) of p and q narrowed to bits, p's in the low half; saturated
   to the signed (sat 1) or unsigned (2: from unsigned, 3: from signed) range first. */
static LLVMValueRef narrow(const struct vx *x, LLVMValueRef a, LLVMValueRef b, unsigned sat)
{
    LLVMTypeRef wty = vec_of(x->m, 2 * x->bits, x->n / 2);
    LLVMValueRef p = LLVMBuildBitCast(x->bld, a, wty, ""), q = LLVMBuildBitCast(x->bld, b, wty, "");
    uint64_t umax = x->bits == 64 ? ~0ull : (1ull << x->bits) - 1, smax = umax >> 1;
    if (sat == 2) {
        p = call2(x, "llvm.umin", p, splat_of(wty, umax));
        q = call2(x, "llvm.umin", q, splat_of(wty, umax));
    } else if (sat) {       /* clamp to [lo, hi] as signed wide lanes */
        LLVMValueRef lo = splat_of(wty, sat == 1 ? ~smax : 0);
        LLVMValueRef hi = splat_of(wty, sat == 1 ? smax : umax);
        p = call2(x, "llvm.smin", call2(x, "llvm.smax", p, lo), hi);
        q = call2(x, "llvm.smin", call2(x, "llvm.smax", q, lo), hi);
    }
    LLVMTypeRef hty = vec_of(x->m, x->bits, x->n / 2);
    p = LLVMBuildTrunc(x->bld, p, hty, "");
    q = LLVMBuildTrunc(x->bld, q, hty, "");
    unsigned idx[32];
    for (unsigned i = 0; i < x->n; i++)
        idx[i] = i;
    return shuffle(x, p, q, idx, x->n);
}

/* (a + 2^(imm-1)) >> imm without overflow: (a >> imm) + bit imm - 1 of a. */
static LLVMValueRef round_shr(const struct vx *x, LLVMValueRef a, unsigned imm, bool sign)
{
    LLVMBuilderRef bld = x->bld;
    LLVMValueRef bit = LLVMBuildAnd(bld, LLVMBuildLShr(bld, a, splat(x, imm - 1), ""),
                                    splat(x, 1), "");
    if (imm >= x->bits)     /* a >> size: 0 (or -1, which the rounding bit makes 0) */
        return sign ? LLVMConstNull(x->vty) : bit;
    LLVMValueRef s = sign ? LLVMBuildAShr(bld, a, splat(x, imm), "")
                          : LLVMBuildLShr(bld, a, splat(x, imm), "");
    return LLVMBuildAdd(bld, s, bit, "");
}

static LLVMValueRef mask_of(const struct vx *x, LLVMIntPredicate p, LLVMValueRef a,
                            LLVMValueRef b)
{
    return LLVMBuildSExt(x->bld, LLVMBuildICmp(x->bld, p, a, b, ""), x->vty, "");
}

/* The vector form of kind on va, vb, vc (already <n x i bits>), or NULL. */
static LLVMValueRef vector_form(const struct vx *x, unsigned op, unsigned imm, LLVMValueRef va,
                                LLVMValueRef vb, LLVMValueRef vc)
{
    LLVMBuilderRef bld = x->bld;
    struct rmod *m = x->m;
    unsigned bits = x->bits, n = x->n, idx[32];
    switch ((enum ir_vec)op) {
    case IR_VEC_ADD: return LLVMBuildAdd(bld, va, vb, "");
    case IR_VEC_SUB: return LLVMBuildSub(bld, va, vb, "");
    case IR_VEC_MUL: return LLVMBuildMul(bld, va, vb, "");
    case IR_VEC_MLA: return LLVMBuildAdd(bld, vc, LLVMBuildMul(bld, va, vb, ""), "");
    case IR_VEC_MLS: return LLVMBuildSub(bld, vc, LLVMBuildMul(bld, va, vb, ""), "");
    case IR_VEC_NEG: return LLVMBuildNeg(bld, va, "");
    case IR_VEC_MIN_S: return call2(x, "llvm.smin", va, vb);
    case IR_VEC_MIN_U: return call2(x, "llvm.umin", va, vb);
    case IR_VEC_MAX_S: return call2(x, "llvm.smax", va, vb);
    case IR_VEC_MAX_U: return call2(x, "llvm.umax", va, vb);
    case IR_VEC_QADD_S: return call2(x, "llvm.sadd.sat", va, vb);
    case IR_VEC_QADD_U: return call2(x, "llvm.uadd.sat", va, vb);
    case IR_VEC_QSUB_S: return call2(x, "llvm.ssub.sat", va, vb);
    case IR_VEC_QSUB_U: return call2(x, "llvm.usub.sat", va, vb);
    case IR_VEC_CEQ: return mask_of(x, LLVMIntEQ, va, vb);
    case IR_VEC_CGT_S: return mask_of(x, LLVMIntSGT, va, vb);
    case IR_VEC_CGT_U: return mask_of(x, LLVMIntUGT, va, vb);
    case IR_VEC_CGE_S: return mask_of(x, LLVMIntSGE, va, vb);
    case IR_VEC_CGE_U: return mask_of(x, LLVMIntUGE, va, vb);
    case IR_VEC_TST:
        return mask_of(x, LLVMIntNE, LLVMBuildAnd(bld, va, vb, ""), LLVMConstNull(x->vty));
    case IR_VEC_HADD_S: case IR_VEC_HADD_U:
        return halving(x, va, vb, op == IR_VEC_HADD_S, false, false);
    case IR_VEC_RHADD_S: case IR_VEC_RHADD_U:
        return halving(x, va, vb, op == IR_VEC_RHADD_S, false, true);
    case IR_VEC_HSUB_S: case IR_VEC_HSUB_U:
        return halving(x, va, vb, op == IR_VEC_HSUB_S, true, false);
    case IR_VEC_ABD_S: case IR_VEC_ABD_U: return absdiff(x, va, vb, op == IR_VEC_ABD_S);
    case IR_VEC_ABA_S: case IR_VEC_ABA_U:
        return LLVMBuildAdd(bld, vc, absdiff(x, va, vb, op == IR_VEC_ABA_S), "");
    case IR_VEC_ABS: {
        LLVMValueRef args[2] = { va, LLVMConstInt(m->i1, 0, 0) };
        return raise_intrinsic(m, "llvm.abs", x->vty, args, 2);
    }
    case IR_VEC_CLZ: {
        LLVMValueRef args[2] = { va, LLVMConstInt(m->i1, 0, 0) };
        return raise_intrinsic(m, "llvm.ctlz", x->vty, args, 2);
    }
    case IR_VEC_CNT: return raise_intrinsic(m, "llvm.ctpop", x->vty, &va, 1);
    case IR_VEC_SHLI:
        return imm >= bits ? LLVMConstNull(x->vty) : LLVMBuildShl(bld, va, splat(x, imm), "");
    case IR_VEC_SHRI_U:
        return imm >= bits ? LLVMConstNull(x->vty) : LLVMBuildLShr(bld, va, splat(x, imm), "");
    case IR_VEC_SHRI_S:
        return LLVMBuildAShr(bld, va, splat(x, imm >= bits ? bits - 1 : imm), "");
    case IR_VEC_RSHRI_S: case IR_VEC_RSHRI_U:
        return round_shr(x, va, imm, op == IR_VEC_RSHRI_S);
    case IR_VEC_SRI: case IR_VEC_SLI: {
        uint64_t ones = bits == 64 ? ~0ull : (1ull << bits) - 1, keep;
        LLVMValueRef s;
        if (op == IR_VEC_SRI) {
            keep = imm >= bits ? ones : ~(ones >> imm) & ones;
            s = imm >= bits ? LLVMConstNull(x->vty) : LLVMBuildLShr(bld, va, splat(x, imm), "");
        } else {
            keep = imm >= bits ? ones : (1ull << imm) - 1;
            s = imm >= bits ? LLVMConstNull(x->vty) : LLVMBuildShl(bld, va, splat(x, imm), "");
        }
        return LLVMBuildOr(bld, LLVMBuildAnd(bld, vc, splat(x, keep), ""), s, "");
    }
    case IR_VEC_DUP:
        for (unsigned i = 0; i < n; i++)
            idx[i] = imm;
        return shuffle(x, va, NULL, idx, n);
    case IR_VEC_EXT:        /* (8-bit lanes) */
        for (unsigned i = 0; i < n; i++)
            idx[i] = imm + i;
        return shuffle(x, va, vb, idx, n);
    case IR_VEC_REV: {
        unsigned per = (8u << imm) / bits;
        for (unsigned i = 0; i < n; i++)
            idx[i] = i / per * per + (per - 1 - i % per);
        return shuffle(x, va, NULL, idx, n);
    }
    case IR_VEC_ZIPLO: case IR_VEC_ZIPHI:
        for (unsigned i = 0; i < n; i++)
            idx[i] = (op == IR_VEC_ZIPHI ? n / 2 : 0) + i / 2 + (i & 1 ? n : 0);
        return shuffle(x, va, vb, idx, n);
    case IR_VEC_UZPE: case IR_VEC_UZPO: return every_other(x, va, vb, op == IR_VEC_UZPO);
    case IR_VEC_TRNE: case IR_VEC_TRNO:
        for (unsigned i = 0; i < n; i++)
            idx[i] = (i & ~1u) + (op == IR_VEC_TRNO) + (i & 1 ? n : 0);
        return shuffle(x, va, vb, idx, n);
    case IR_VEC_PADD:
        return LLVMBuildAdd(bld, every_other(x, va, vb, 0), every_other(x, va, vb, 1), "");
    case IR_VEC_PMAX_S: case IR_VEC_PMAX_U: case IR_VEC_PMIN_S: case IR_VEC_PMIN_U: {
        static const char *const f[] = { "llvm.smax", "llvm.umax", "llvm.smin", "llvm.umin" };
        return call2(x, f[op - IR_VEC_PMAX_S], every_other(x, va, vb, 0),
                     every_other(x, va, vb, 1));
    }
    case IR_VEC_PADDL_S: case IR_VEC_PADDL_U: {
        bool sign = op == IR_VEC_PADDL_S;
        LLVMValueRef ev = half(x, every_other(x, va, va, 0), 0);
        LLVMValueRef od = half(x, every_other(x, va, va, 1), 0);
        return LLVMBuildAdd(bld, ext_to(x, ev, sign, 2 * bits), ext_to(x, od, sign, 2 * bits), "");
    }
    case IR_VEC_MOVL_S: case IR_VEC_MOVL_U:
        return ext_to(x, half(x, va, imm & 1), op == IR_VEC_MOVL_S, 2 * bits);
    default:
        return NULL;
    }
}

static LLVMValueRef helper_call(struct rmod *m, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c,
                                uint64_t kind)
{
    LLVMValueRef fn = raise_helper_fn(m, &ir_helpers[IR_HELPER_neon]);
    LLVMValueRef args[4] = { a, b, c, LLVMConstInt(m->i32, kind, 0) };
    return LLVMBuildCall2(m->bld, LLVMGlobalGetValueType(fn), fn, args, 4, "");
}

/* The bitwise kinds on a, b, c as they are (an i64, or <2 x i64> for a pair), or NULL. */
static LLVMValueRef bitwise_form(LLVMBuilderRef bld, unsigned o, LLVMValueRef a, LLVMValueRef b,
                                 LLVMValueRef c)
{
    switch ((enum ir_vec)o) {
    case IR_VEC_AND: return LLVMBuildAnd(bld, a, b, "");
    case IR_VEC_OR: return LLVMBuildOr(bld, a, b, "");
    case IR_VEC_XOR: return LLVMBuildXor(bld, a, b, "");
    case IR_VEC_ANDC: return LLVMBuildAnd(bld, a, LLVMBuildNot(bld, b, ""), "");
    case IR_VEC_ORC: return LLVMBuildOr(bld, a, LLVMBuildNot(bld, b, ""), "");
    case IR_VEC_NOT: return LLVMBuildNot(bld, a, "");
    case IR_VEC_BSL:
        return LLVMBuildOr(bld, LLVMBuildAnd(bld, a, c, ""),
                           LLVMBuildAnd(bld, b, LLVMBuildNot(bld, c, ""), ""), "");
    default: return NULL;
    }
}

void raise_vec(struct rfn *r, const struct ir_op *op)
{
    struct rmod *m = r->m;
    LLVMBuilderRef bld = m->bld;
    if (raise_vec_paired(r, op))
        return;
    const uint64_t *in = ir_op_ins_c(op);
    uint64_t kind = ir_op_consts_c(op)[0];
    LLVMValueRef a = raise_get(r, in[0]), b = raise_get(r, in[1]), c = raise_get(r, in[2]);
    unsigned o = ir_vec_op(kind), bits = 8u << ir_vec_esz(kind), imm = ir_vec_imm(kind);
    struct vx x = { m, bld, bits, 64 / bits, vec_of(m, bits, 64 / bits) };
    LLVMValueRef res = NULL;
    if (!(kind & IR_VEC_SAT)) {
        res = bitwise_form(bld, o, a, b, c);    /* on the i64 as it is */
        if (!res) switch ((enum ir_vec)o) {
        case IR_VEC_MOVN: case IR_VEC_QMOVN_S: case IR_VEC_QMOVN_U: case IR_VEC_QMOVUN: {
            static const unsigned sat[] = { 0, 1, 2, 3 };
            res = LLVMBuildBitCast(bld, narrow(&x, a, b, sat[o - IR_VEC_MOVN]), m->i64, "");
            break;
        }
        default: {
            LLVMValueRef v = vector_form(&x, o, imm, LLVMBuildBitCast(bld, a, x.vty, ""),
                                         LLVMBuildBitCast(bld, b, x.vty, ""),
                                         LLVMBuildBitCast(bld, c, x.vty, ""));
            if (v)
                res = LLVMBuildBitCast(bld, v, m->i64, "");
            break;
        }
        }
    }
    if (!res)
        res = helper_call(m, a, b, c, kind);
    raise_set(r, op->args[0], res);
}

/* ---- Q registers as 128-bit values: the pairs of raise_pairs.c ---- */

/* The 128-bit value of temps x (low half) and y: a load of its Q register's shared slot,
   or the two i64 put together (which instcombine folds away when they were taken apart
   from one vector). */
static LLVMValueRef get_q(struct rfn *r, uint64_t x, uint64_t y)
{
    struct rmod *m = r->m;
    LLVMTypeRef v2 = LLVMVectorType(m->i64, 2);
    if (raise_is_d(x) && y == x + 1 && r->qslot[(x - IR_G_D0) / 2])
        return LLVMBuildLoad2(m->bld, v2, r->gslot[x], "");
    LLVMValueRef v = LLVMBuildInsertElement(m->bld, LLVMGetPoison(v2), raise_get_as(r, x, m->i64),
                                            LLVMConstInt(m->i32, 0, 0), "");
    return LLVMBuildInsertElement(m->bld, v, raise_get_as(r, y, m->i64),
                                  LLVMConstInt(m->i32, 1, 0), "");
}

/* Ops lo and hi (raise_vec_pairs) as one 128-bit operation: its <2 x i64> result. */
static LLVMValueRef raise_pair(struct rfn *r, const struct ir_op *lo, const struct ir_op *hi)
{
    struct rmod *m = r->m;
    LLVMBuilderRef bld = m->bld;
    const uint64_t *il = ir_op_ins_c(lo), *ih = ir_op_ins_c(hi);
    LLVMTypeRef v2 = LLVMVectorType(m->i64, 2);
    if (lo->opc == IR_mov_i64 || lo->opc == IR_st_i64)
        return get_q(r, il[0], ih[0]);
    uint64_t kind = ir_op_consts_c(lo)[0];
    unsigned o = ir_vec_op(kind), bits = 8u << ir_vec_esz(kind), imm = ir_vec_imm(kind);
    LLVMValueRef res;
    if (o == IR_VEC_EXT) {  /* bytes imm .. imm + 15 of x0:x1:y (y: hi's second input) */
        LLVMTypeRef b16 = vec_of(m, 8, 16);
        struct vx x = { m, bld, 8, 16, b16 };
        LLVMValueRef y = LLVMBuildInsertElement(bld, LLVMGetPoison(v2),
                                                raise_get_as(r, ih[1], m->i64),
                                                LLVMConstInt(m->i32, 0, 0), "");
        unsigned idx[16];
        for (unsigned i = 0; i < 16; i++)
            idx[i] = imm + i;
        res = shuffle(&x, LLVMBuildBitCast(bld, get_q(r, il[0], il[1]), b16, ""),
                      LLVMBuildBitCast(bld, y, b16, ""), idx, 16);
    } else if (o == IR_VEC_MOVL_S || o == IR_VEC_MOVL_U) {   /* the whole D widened */
        struct vx x = { m, bld, bits, 64 / bits, vec_of(m, bits, 64 / bits) };
        LLVMValueRef a = LLVMBuildBitCast(bld, raise_get_as(r, il[0], m->i64), x.vty, "");
        res = ext_to(&x, a, o == IR_VEC_MOVL_S, 2 * bits);
    } else {
        LLVMValueRef a = get_q(r, il[0], ih[0]), b = get_q(r, il[1], ih[1]);
        LLVMValueRef c = get_q(r, il[2], ih[2]);
        res = bitwise_form(bld, o, a, b, c);
        if (!res) {
            struct vx x = { m, bld, bits, 128 / bits, vec_of(m, bits, 128 / bits) };
            res = vector_form(&x, o, imm, LLVMBuildBitCast(bld, a, x.vty, ""),
                              LLVMBuildBitCast(bld, b, x.vty, ""),
                              LLVMBuildBitCast(bld, c, x.vty, ""));
            if (!res) {
                raise_fail(r, "no 128-bit form of a paired vec_i64 kind");
                return LLVMGetPoison(v2);
            }
        }
    }
    return LLVMBuildBitCast(bld, res, v2, "");
}

bool raise_vec_paired(struct rfn *r, const struct ir_op *op)
{
    struct rmod *m = r->m;
    int32_t k = (int32_t)(op - r->b->ops);     /* raise_op's ops are r->b's */
    if (r->vpair[k].mate < 0)
        return false;
    int32_t mate = r->vpair[k].mate;
    bool first = mate > k;
    const struct ir_op *lo = first ? op : &r->b->ops[mate], *hi = first ? &r->b->ops[mate] : op;
    int32_t h = first ? mate : k;
    if (first != r->vpair[k].late) {        /* where the pair is raised */
        LLVMValueRef v = raise_pair(r, lo, hi);
        LLVMValueRef e0 = LLVMConstInt(m->i32, 0, 0), e1 = LLVMConstInt(m->i32, 1, 0);
        if (lo->opc == IR_st_i64) {         /* one 16-byte store */
            LLVMValueRef st = LLVMBuildStore(m->bld, v, raise_guest_ptr(r, ir_op_ins_c(lo)[1]));
            LLVMSetAlignment(st, 1);
            LLVMSetMetadata(st, m->md_scope, m->guest_scopes);
            r->vhigh[h] = NULL;
        } else if (lo->opc == IR_mov_i64 && r->qslot[(lo->args[0] - IR_G_D0) / 2]) {
            /* both halves of the Q register at once: SROA sees the whole slot written */
            LLVMBuildStore(m->bld, v, r->gslot[lo->args[0]]);
            r->gc[lo->args[0]].v = r->gc[hi->args[0]].v = NULL;
            r->vhigh[h] = NULL;
        } else {
            raise_set(r, lo->args[0], LLVMBuildExtractElement(m->bld, v, e0, ""));
            r->vhigh[h] = LLVMBuildExtractElement(m->bld, v, e1, "");
        }
    }
    if (!first && r->vhigh[h])
        raise_set(r, hi->args[0], r->vhigh[h]);
    return true;
}
