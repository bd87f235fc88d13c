/*
 * The raiser: µIR functions -> LLVM IR, through the LLVM C API only (raise.h, docs/aot.md).
 *
 *  - One LLVM function `xl_aotf_<hex>_<a|t>(ptr noalias %cpu, r0..r7, sp, lr)` per
 *    raise_function, returning {cpu, r0..r7, sp, lr} (raise_internal.h, "Calls in host
 *    registers"), and its wrapper `void xl_aot_<hex>_<a|t>(ptr %cpu)` for the runtime.
 *    Its entry block holds one alloca per µIR global the function touches, set from the
 *    arguments or loaded from struct cpu, and one alloca per local temp; every other µIR
 *    temp access is a load or store of those allocas, so any block order is valid IR and
 *    mem2reg/SROA turn it into SSA. Each µIR block is split into LLVM blocks at labels and
 *    brconds.
 *  - Guest memory is `inttoptr (zext addr)` with align 1 and !alias.scope "xl.guest";
 *    struct cpu accesses carry !noalias "xl.guest", so guest stores never force registers
 *    back to memory. Raised functions are null_pointer_is_valid: guest address 0 faults
 *    at run time, it is not undefined behaviour to optimize away.
 *  - Globals go back to struct cpu ("sync") before every call out, every helper that
 *    takes env, and every return (but the registers a call passes or returns); they are
 *    reloaded after calls that return.
 *  - Helpers come from the bitcode embedded at build time (cmake/llvm.cmake), linked into
 *    every module, internal + alwaysinline; their mutable globals (the VFP exception
 *    accumulator) become external declarations, so the runtime's native copy is shared.
 *  - A function that fails (an op it cannot raise, the verifier) becomes a stub returning
 *    its arguments under the same name, so calls to it from other modules still link and
 *    fall back to the dispatcher (the caller's return-address check fails); it is left out
 *    of the table.
 *  - jobs > 1: functions are dealt round-robin to modules, one LLVMContext and one thread
 *    each. Phase 1 raises; the table (module 0) is built once every failure is known;
 *    phase 2 optimizes and emits.
 *
 * This file is the driver: raising one function (raise_one), module setup and helper
 * linking, the two thread phases and emission. raise_state.c, raise_flow.c and
 * raise_ops.c generate the code; raise_internal.h holds what they share.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/Core.h>
#include <llvm-c/Support.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "known.h"
#include "raise.h"
#include "raise_internal.h"

#define XL_TRIPLE "x86_64-pc-linux-gnu"

/* The helpers' bitcode (generated helpers_bc.S). */
extern const char xl_helpers_bc[], xl_helpers_bc_end[];

/* ---- functions ---- */

/* The same-named stub that replaces a function that failed: it returns its arguments
   with cpu for the key, which is no key (struct cpu holds pc = its entry, so the caller's
   check fails and control goes back to the dispatcher; the registers go with it). */
static void stub_out(struct rmod *m, LLVMValueRef *fnp, const char *name)
{
    LLVMValueRef old = *fnp;
    LLVMSetValueName2(old, "xl_aot_failed", 13);
    LLVMValueRef fn = LLVMAddFunction(m->mod, name, m->fastty);
    raise_fast_cc(m, fn, false);
    raise_hide(fn);
    raise_add_fn_attr(m, fn, LLVMAttributeFunctionIndex, "nounwind");
    LLVMPositionBuilderAtEnd(m->bld, LLVMAppendBasicBlockInContext(m->ctx, fn, "entry"));
    LLVMValueRef agg = LLVMGetUndef(m->retty);
    agg = LLVMBuildInsertValue(m->bld, agg,
                               LLVMBuildPtrToInt(m->bld, LLVMGetParam(fn, 0), m->i64, ""), 0, "");
    for (unsigned i = 1; i <= RAISE_NREGS; i++)
        agg = LLVMBuildInsertValue(m->bld, agg, LLVMGetParam(fn, i), i, "");
    LLVMBuildRet(m->bld, agg);
    LLVMReplaceAllUsesWith(old, fn);
    LLVMDeleteFunction(old);
    *fnp = fn;
}

/* The body of wrapper `void xl_aot_*(ptr cpu)` of the raised function fast: raise_regs
   from struct cpu, the call, and its results back, pc and thumb from its key. */
static void define_wrapper(struct rmod *m, LLVMValueRef w, LLVMValueRef fast)
{
    LLVMPositionBuilderAtEnd(m->bld, LLVMAppendBasicBlockInContext(m->ctx, w, "entry"));
    struct rfn r = { .m = m, .fn = w, .cpu = LLVMGetParam(w, 0) };
    LLVMValueRef args[1 + RAISE_NREGS] = { r.cpu };
    for (unsigned i = 0; i < RAISE_NREGS; i++)
        args[1 + i] = raise_reg_to_arg(m, m->bld, i, raise_cpu_load(&r, m->bld, m->i32,
                                                                    ir_globals[raise_regs[i]].offset));
    LLVMValueRef c = LLVMBuildCall2(m->bld, m->fastty, fast, args, 1 + RAISE_NREGS, "");
    raise_fast_cc(m, c, true);
    for (unsigned i = 0; i < RAISE_NREGS; i++)
        raise_cpu_store(&r, raise_reg_from_arg(m, m->bld, i,
                                               LLVMBuildExtractValue(m->bld, c, 1 + i, "")),
                        ir_globals[raise_regs[i]].offset);
    raise_store_key(&r, LLVMBuildExtractValue(m->bld, c, 0, ""));
    LLVMBuildRetVoid(m->bld);
}

static void warn(struct rprog *p, uint32_t entry, const char *why)
{
    pthread_mutex_lock(&p->lock);
    if (p->progress)
        fputc('\n', stderr);
    fprintf(stderr, "xlate: warning: function 0x%x%s left to the JIT: %s\n", entry & ~1u,
            (entry & 1) ? " (thumb)" : "", why);
    pthread_mutex_unlock(&p->lock);
}

static void progress(struct rprog *p, const char *what)
{
    unsigned n = atomic_fetch_add(&p->done, 1) + 1;
    if (!p->progress)
        return;
    pthread_mutex_lock(&p->lock);
    fprintf(stderr, "\rxlate: %s %u/%zu functions", what, n, p->nfns);
    pthread_mutex_unlock(&p->lock);
}

static void mark_entered(struct rfn *r, LLVMBasicBlockRef first);

/* Raises f into its (already added) LLVM function. Returns NULL or why it failed. */
static const char *raise_one(struct rmod *m, const struct raise_function *f, LLVMValueRef fn)
{
    struct rfn r = { .m = m, .f = f, .fn = fn };
    if (!f->nblocks)
        return "no blocks";
    r.cpu = LLVMGetParam(fn, 0);
    r.bb = calloc(f->nblocks, sizeof(*r.bb));
    r.keys = calloc(f->nblocks, sizeof(*r.keys));
    if (!r.bb || !r.keys) {
        free(r.bb);
        free(r.keys);
        return "out of memory";
    }

    /* What the function touches; blocks by address. raise_regs come and go as arguments
       and results: always there, and never what struct cpu holds. */
    uint32_t maxtemps = 0, maxlabels = 0, maxops = 0;
    r.gused[IR_G_PC] = r.gused[IR_G_THUMB] = true;
    for (unsigned i = 0; i < RAISE_NREGS; i++)
        r.gused[raise_regs[i]] = r.gwritten[raise_regs[i]] = true;
    for (uint32_t i = 0; i < f->nblocks; i++) {
        const struct ir_block *b = f->blocks[i].ir;
        if (!b) {
            raise_fail(&r, "block without µIR");
            continue;
        }
        uint32_t where;
        const char *bad = ir_verify(b, &where);
        if (bad)
            raise_fail(&r, bad);
        maxtemps = b->n_temps > maxtemps ? b->n_temps : maxtemps;
        maxlabels = b->n_labels > maxlabels ? b->n_labels : maxlabels;
        maxops = b->n_ops > maxops ? b->n_ops : maxops;
        for (uint32_t k = 0; k < b->n_ops; k++) {
            const struct ir_op *op = &b->ops[k];
            for (unsigned a = 0; a < (unsigned)op->nout + op->nin && a < IR_MAX_ARGS; a++)
                if (op->args[a] < IR_NUM_GLOBALS) {
                    r.gused[op->args[a]] = true;
                    r.gwritten[op->args[a]] |= a < op->nout;
                }
        }
        r.keys[r.nkeys++] = (struct bkey){ b->guest_pc | b->thumb, i };
    }
    enum known_routine kr = raise_known_of(m->p, f);
    /* A `bl` of a known routine put in line (known_inline) writes pc and thumb; r0-r3,
       which it reads and writes, are raise_regs and always there. The function's own host
       version (raise_known_block) works on its arguments and no slot. */
    for (uint32_t i = 0; i < f->nblocks; i++) {
        const struct xl_dblock *d = f->blocks[i].d;
        if (d && d->kind == XL_END_CALL && raise_known_at(m->p, d->callee) != KNOWN_NONE)
            r.gwritten[IR_G_PC] = r.gwritten[IR_G_THUMB] = true;
    }
    qsort(r.keys, r.nkeys, sizeof(*r.keys), raise_cmp_bkey);
    for (uint32_t i = 1; i < r.nkeys; i++)
        if (r.keys[i].key == r.keys[i - 1].key)
            raise_fail(&r, "two blocks at one address");
    raise_find_loops(&r);
    r.nloc = maxtemps;
    r.loc[0] = calloc(maxtemps + 1, sizeof(LLVMValueRef));
    r.loc[1] = calloc(maxtemps + 1, sizeof(LLVMValueRef));
    r.lc[0] = calloc(maxtemps + 1, sizeof(struct tcache));
    r.lc[1] = calloc(maxtemps + 1, sizeof(struct tcache));
    r.cap_labels = maxlabels;
    r.labels = calloc(maxlabels + 1, sizeof(*r.labels));
    r.vpair = calloc(maxops + 1, sizeof(*r.vpair));
    r.vhigh = calloc(maxops + 1, sizeof(*r.vhigh));
    if (!r.loc[0] || !r.loc[1] || !r.lc[0] || !r.lc[1] || !r.labels || !r.vpair || !r.vhigh)
        raise_fail(&r, "out of memory");
    for (uint32_t i = 0; i < f->nblocks && !r.fail; i++)
        if (f->blocks[i].ir)
            raise_vec_pairs(f->blocks[i].ir, r.vpair, r.qslot);

    if (!r.fail) {
        r.entry = LLVMAppendBasicBlockInContext(m->ctx, fn, "entry");
        LLVMPositionBuilderAtEnd(m->abld, r.entry);
        for (unsigned g = 0; g < IR_NUM_GLOBALS; g++)
            if (r.gused[g]) {
                LLVMTypeRef ty = raise_ty_of(m, ir_globals[g].type);
                unsigned d = g - IR_G_D0;
                bool q = g >= IR_G_D0 && d < 32 && r.qslot[d / 2];
                if (q && d % 2) {   /* the high half of the slot just made */
                    LLVMValueRef one = LLVMConstInt(m->i32, 1, 0);
                    r.gslot[g] = LLVMBuildInBoundsGEP2(m->abld, ty, r.gslot[g - 1], &one, 1,
                                                       ir_globals[g].name);
                } else {
                    r.gslot[g] = LLVMBuildAlloca(m->abld, q ? LLVMVectorType(ty, 2) : ty,
                                                 ir_globals[g].name);
                }
                LLVMValueRef v = raise_reg_param(&r, m->abld, g);
                if (g == IR_G_PC || g == IR_G_THUMB)    /* entered at its entry, always */
                    v = LLVMConstInt(m->i32, g == IR_G_PC ? f->entry & ~1u : f->entry & 1u, 0);
                LLVMBuildStore(m->abld, v ? v : raise_cpu_load(&r, m->abld, ty,
                                                                ir_globals[g].offset),
                               r.gslot[g]);
            }
        for (uint32_t i = 0; i < f->nblocks; i++) {
            char nm[32];
            snprintf(nm, sizeof(nm), "b%x", f->blocks[i].ir->guest_pc);
            r.bb[i] = LLVMAppendBasicBlockInContext(m->ctx, fn, nm);
        }
        for (uint32_t i = 0; i < f->nblocks && !r.fail; i++) {
            r.rb = &f->blocks[i];
            r.b = r.rb->ir;
            memset(r.labels, 0, (maxlabels + 1) * sizeof(*r.labels));
            raise_vec_pairs(r.b, r.vpair, NULL);
            LLVMPositionBuilderAtEnd(m->bld, r.bb[i]);
            for (uint32_t k = 0; k < r.b->n_ops; k++)
                raise_op(&r, &r.b->ops[k]);
            if (!raise_terminated(m->bld)) {
                /* Reachable only if the µIR block did not end in a block end. */
                LLVMBasicBlockRef cur = LLVMGetInsertBlock(m->bld);
                if (LLVMGetFirstUse(LLVMBasicBlockAsValue(cur)) || cur == r.bb[i]) {
                    raise_sync_globals_but(&r, RAISE_REGS_MASK);
                    raise_ret_regs(&r);
                } else {
                    LLVMBuildUnreachable(m->bld);
                }
            }
            for (uint32_t l = 0; l < r.b->n_labels; l++)
                if (r.labels[l] && !LLVMGetBasicBlockTerminator(r.labels[l])) {
                    raise_fail(&r, "label never placed");
                }
        }
        LLVMBasicBlockRef first = r.bb[0];
        if (m->p->recursive[f - m->p->fns] && !r.fail) {
            LLVMBasicBlockRef check = LLVMAppendBasicBlockInContext(m->ctx, fn, "check");
            LLVMPositionBuilderAtEnd(m->bld, check);
            raise_entry_check(&r);
            LLVMBuildBr(m->bld, first);
            first = check;
        }
        if (!r.fail) {
            /* The entered mark goes first, before the entry block's loads of struct cpu:
               a branch after them kept every loaded register live across it (6% more code
               for the static hello). The loads move to a block of their own, which LLVM
               merges into the body's first block as before; a known routine's host
               version comes before them. */
            LLVMBasicBlockRef init = LLVMAppendBasicBlockInContext(m->ctx, fn, "init");
            LLVMPositionBuilderAtEnd(m->abld, init);
            for (LLVMValueRef i = LLVMGetFirstInstruction(r.entry), next; i; i = next) {
                next = LLVMGetNextInstruction(i);
                if (!LLVMIsAAllocaInst(i)) {
                    LLVMInstructionRemoveFromParent(i);
                    LLVMInsertIntoBuilder(m->abld, i);
                }
            }
            LLVMBuildBr(m->abld, first);
            if (kr != KNOWN_NONE)
                init = raise_known_block(&r, kr, init);
            LLVMPositionBuilderAtEnd(m->bld, r.entry);
            mark_entered(&r, init);
        } else {
            LLVMPositionBuilderAtEnd(m->abld, r.entry);
            LLVMBuildBr(m->abld, first);
        }
    }
    free(r.bb);
    free(r.back);
    free(r.back_off);
    free(r.keys);
    free(r.loc[0]);
    free(r.loc[1]);
    free(r.lc[0]);
    free(r.lc[1]);
    free(r.labels);
    free(r.vpair);
    free(r.vhigh);
    if (!r.fail && LLVMVerifyFunction(fn, LLVMReturnStatusAction))
        r.fail = "LLVM verifier rejected the function";
    return r.fail;
}

/*
 * Without --cpu, code is for x86-64-v2 but tuned as gcc's and clang's default, generic
 * x86-64: x86-64-v2's own tuning is Sandy Bridge's, which rotates with shld, several times
 * slower than ror on AMD cores (sha256 ran 1.6x slower here on an EPYC).
 */
static void set_tuning(struct rmod *m, LLVMValueRef f)
{
    const char *cpu = m->p->o->cpu;
    if (cpu && *cpu)
        return;
    LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(m->ctx, "tune-cpu", 8, "generic", 7));
}

/* Helpers never touch guest memory: their loads and stores (the VFP state in TLS, struct
   cpu through env) get !noalias "xl.guest", so that guest stores do not pin them. */
static void mark_helper_body(struct rmod *m, LLVMValueRef f)
{
    for (LLVMBasicBlockRef b = LLVMGetFirstBasicBlock(f); b; b = LLVMGetNextBasicBlock(b))
        for (LLVMValueRef i = LLVMGetFirstInstruction(b); i; i = LLVMGetNextInstruction(i))
            if (LLVMIsALoadInst(i) || LLVMIsAStoreInst(i))
                LLVMSetMetadata(i, m->md_noalias, m->guest_scopes);
}

/* Links a fresh copy of the helpers' bitcode into m: internal, alwaysinline but for cold
   paths. */
static int link_helpers(struct rmod *m)
{
    size_t n = (size_t)(xl_helpers_bc_end - xl_helpers_bc);
    LLVMMemoryBufferRef buf =
        LLVMCreateMemoryBufferWithMemoryRange(xl_helpers_bc, n, "helpers.bc", 0);
    LLVMModuleRef hm;
    if (LLVMParseBitcodeInContext2(m->ctx, buf, &hm)) {
        LLVMDisposeMemoryBuffer(buf);
        snprintf(m->err, sizeof(m->err), "cannot parse the embedded helper bitcode");
        return -1;
    }
    LLVMDisposeMemoryBuffer(buf);
    LLVMSetTarget(hm, LLVMGetTarget(m->mod));
    LLVMSetDataLayout(hm, LLVMGetDataLayoutStr(m->mod));
    if (LLVMLinkModules2(m->mod, hm)) {
        snprintf(m->err, sizeof(m->err), "cannot link the helper bitcode");
        return -1;
    }
    for (LLVMValueRef f = LLVMGetFirstFunction(m->mod); f; f = LLVMGetNextFunction(f)) {
        if (LLVMIsDeclaration(f))
            continue;
        LLVMSetLinkage(f, LLVMInternalLinkage);
        LLVMSetVisibility(f, LLVMDefaultVisibility);
        static const char *const drop[] = { "target-cpu", "target-features", "tune-cpu" };
        for (unsigned i = 0; i < 3; i++)
            LLVMRemoveStringAttributeAtIndex(f, LLVMAttributeFunctionIndex, drop[i],
                                             (unsigned)strlen(drop[i]));
        set_tuning(m, f);
        mark_helper_body(m, f);
        /* Cold paths (NaN operands) stay out of line: inlined, they would keep the values
           of the default path in integer registers as well as in SSE ones. */
        unsigned cold = LLVMGetEnumAttributeKindForName("cold", 4);
        if (LLVMGetEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, cold))
            continue;
        unsigned ni = LLVMGetEnumAttributeKindForName("noinline", 8);
        LLVMRemoveEnumAttributeAtIndex(f, LLVMAttributeFunctionIndex, ni);
        raise_add_fn_attr(m, f, LLVMAttributeFunctionIndex, "alwaysinline");
    }
    for (LLVMValueRef g = LLVMGetFirstGlobal(m->mod); g; g = LLVMGetNextGlobal(g)) {
        LLVMLinkage l = LLVMGetLinkage(g);
        if (LLVMIsDeclaration(g) || l == LLVMInternalLinkage || l == LLVMPrivateLinkage)
            continue;
        /* Shared state (the VFP exception accumulator): use the runtime's native copy. */
        LLVMSetInitializer(g, NULL);
        LLVMSetLinkage(g, LLVMExternalLinkage);
    }
    return 0;
}

static LLVMTargetMachineRef make_tm(const struct raise_options *o, char *err, size_t errlen)
{
    LLVMTargetRef t;
    char *msg = NULL;
    if (LLVMGetTargetFromTriple(XL_TRIPLE, &t, &msg)) {
        snprintf(err, errlen, "no LLVM target for %s: %s", XL_TRIPLE, msg ? msg : "?");
        LLVMDisposeMessage(msg);
        return NULL;
    }
    LLVMCodeGenOptLevel lv = o->opt_level <= 0 ? LLVMCodeGenLevelNone
                           : o->opt_level == 1 ? LLVMCodeGenLevelLess
                           : o->opt_level == 2 ? LLVMCodeGenLevelDefault
                                               : LLVMCodeGenLevelAggressive;
    /* "native": this machine's CPU and features. Another name gets +64bit: LLVM ignores an
       unknown name (with a warning line of its own) and would then abort, finding no
       64-bit support, instead of generating generic x86-64 code. */
    bool native = o->cpu && !strcmp(o->cpu, "native");
    char *cpu = native ? LLVMGetHostCPUName() : NULL;
    char *features = native ? LLVMGetHostCPUFeatures() : NULL;
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(t, XL_TRIPLE,
        native ? cpu : o->cpu && *o->cpu ? o->cpu : "x86-64-v2",
        native ? features : o->cpu && *o->cpu ? "+64bit" : "", lv, LLVMRelocPIC,
        LLVMCodeModelDefault);
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
    if (!tm)
        snprintf(err, errlen, "cannot create an LLVM target machine");
    return tm;
}

/* Phase 1: module setup and raising of the functions dealt to this module. */
static void *phase_raise(void *arg)
{
    struct rmod *m = arg;
    struct rprog *p = m->p;
    m->ctx = LLVMContextCreate();
    char mname[32];
    snprintf(mname, sizeof(mname), "xl_aot.%u", m->index);
    m->mod = LLVMModuleCreateWithNameInContext(mname, m->ctx);
    m->tm = make_tm(p->o, m->err, sizeof(m->err));
    if (!m->tm) {
        m->rc = -1;
        return NULL;
    }
    LLVMSetTarget(m->mod, XL_TRIPLE);
    LLVMTargetDataRef td = LLVMCreateTargetDataLayout(m->tm);
    LLVMSetModuleDataLayout(m->mod, td);
    LLVMDisposeTargetData(td);
    m->bld = LLVMCreateBuilderInContext(m->ctx);
    m->abld = LLVMCreateBuilderInContext(m->ctx);
    m->i1 = LLVMInt1TypeInContext(m->ctx);
    m->i8 = LLVMInt8TypeInContext(m->ctx);
    m->i16 = LLVMInt16TypeInContext(m->ctx);
    m->i32 = LLVMInt32TypeInContext(m->ctx);
    m->i64 = LLVMInt64TypeInContext(m->ctx);
    m->ptr = LLVMPointerTypeInContext(m->ctx, 0);
    m->vd = LLVMVoidTypeInContext(m->ctx);
    m->fnty = LLVMFunctionType(m->vd, &m->ptr, 1, 0);
    LLVMTypeRef regs[1 + RAISE_NREGS] = { m->i64 };
    for (unsigned i = 0; i < RAISE_NREGS; i++)
        regs[1 + i] = raise_reg_type(m, i);
    m->retty = LLVMStructTypeInContext(m->ctx, regs, 1 + RAISE_NREGS, 0);   /* key, regs */
    regs[0] = m->ptr;
    m->fastty = LLVMFunctionType(m->retty, regs, 1 + RAISE_NREGS, 0);       /* cpu, regs */
    m->md_scope = LLVMGetMDKindIDInContext(m->ctx, "alias.scope", 11);
    m->md_noalias = LLVMGetMDKindIDInContext(m->ctx, "noalias", 7);
    LLVMMetadataRef dom_s = LLVMMDStringInContext2(m->ctx, "xl.domain", 9);
    LLVMMetadataRef dom = LLVMMDNodeInContext2(m->ctx, &dom_s, 1);
    LLVMMetadataRef sc[2] = { LLVMMDStringInContext2(m->ctx, "xl.guest", 8), dom };
    LLVMMetadataRef scope = LLVMMDNodeInContext2(m->ctx, sc, 2);
    m->guest_scopes = LLVMMetadataAsValue(m->ctx, LLVMMDNodeInContext2(m->ctx, &scope, 1));
    if (link_helpers(m)) {
        m->rc = -1;
        return NULL;
    }

    /* Define every function of this module first: calls between them need no declaration. */
    size_t nmine = 0;
    for (size_t i = m->index; i < p->nfns; i += p->jobs)
        nmine++;
    LLVMValueRef *fns = calloc(nmine + 1, sizeof(*fns));
    if (!fns) {
        snprintf(m->err, sizeof(m->err), "out of memory");
        m->rc = -1;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = m->index; i < p->nfns; i += p->jobs, k++) {
        if (p->skip[i])
            continue;
        fns[k] = raise_prog_fast(m, p->fns[i].entry);
        raise_add_fn_attr(m, fns[k], 1, "noalias");
        /* The VFP helpers are strictfp (FENV_ACCESS, helpers/vfp.c): LLVM inlines them
           only into functions that are too. */
        raise_add_fn_attr(m, fns[k], LLVMAttributeFunctionIndex, "strictfp");
        /* Guest address 0 is an address like any other: a guest store through a NULL
           pointer must fault as the guest's does, not be deleted as undefined. */
        raise_add_fn_attr(m, fns[k], LLVMAttributeFunctionIndex, "null_pointer_is_valid");
        set_tuning(m, fns[k]);
    }
    k = 0;
    for (size_t i = m->index; i < p->nfns; i += p->jobs, k++) {
        if (p->skip[i])
            continue;
        const char *why = raise_one(m, &p->fns[i], fns[k]);
        if (why) {
            char name[64];
            raise_fast_name(name, sizeof(name), p->fns[i].entry);
            stub_out(m, &fns[k], name);
            p->failed[i] = true;
            warn(p, p->fns[i].entry, why);
        } else {
            LLVMValueRef w = raise_prog_fn(m, p->fns[i].entry);
            raise_add_fn_attr(m, w, LLVMAttributeFunctionIndex, "strictfp");
            define_wrapper(m, w, fns[k]);
        }
        progress(p, "raising");
    }
    free(fns);
    return NULL;
}

/*
 * xl_aot_entered: a byte per function of the program (the index in raise_program's fns),
 * set when the function is first entered; the runtime adds up the instructions of those
 * that ran (XLATE_STATS, docs/aot.md). Defined by module 0, declared by the others.
 */
static LLVMValueRef entered_array(struct rmod *m)
{
    LLVMValueRef g = LLVMGetNamedGlobal(m->mod, "xl_aot_entered");
    if (!g)
        g = LLVMAddGlobal(m->mod, LLVMArrayType2(m->i8, m->p->nfns + 1), "xl_aot_entered");
    return g;
}

/* Where m->bld is (r's entry block): marks its function entered, then goes on at first. A
   load and a branch once it is: the store, to a line every thread reads, is made once.
   Monotonic: threads race on the byte. */
static void mark_entered(struct rfn *r, LLVMBasicBlockRef first)
{
    struct rmod *m = r->m;
    LLVMBasicBlockRef set = LLVMAppendBasicBlockInContext(m->ctx, r->fn, "");
    LLVMValueRef idx = LLVMConstInt(m->i64, (unsigned long long)(r->f - m->p->fns), 0);
    LLVMValueRef p = LLVMBuildGEP2(m->bld, m->i8, entered_array(m), &idx, 1, "");
    LLVMValueRef v = LLVMBuildLoad2(m->bld, m->i8, p, "");
    LLVMSetOrdering(v, LLVMAtomicOrderingMonotonic);
    LLVMSetMetadata(v, m->md_noalias, m->guest_scopes);
    raise_unlikely(m, LLVMBuildCondBr(m->bld,
        LLVMBuildICmp(m->bld, LLVMIntEQ, v, LLVMConstInt(m->i8, 0, 0), ""), set, first));
    LLVMPositionBuilderAtEnd(m->bld, set);
    LLVMValueRef st = LLVMBuildStore(m->bld, LLVMConstInt(m->i8, 1, 0), p);
    LLVMSetOrdering(st, LLVMAtomicOrderingMonotonic);
    LLVMSetMetadata(st, m->md_noalias, m->guest_scopes);
    LLVMBuildBr(m->bld, first);
}

/* The AOT table (runtime/aot.h) in module 0: every function that was raised. */
static void add_table(struct rmod *m)
{
    struct rprog *p = m->p;
    LLVMTypeRef et[3] = { m->i32, m->ptr, m->ptr };
    LLVMTypeRef ety = LLVMStructTypeInContext(m->ctx, et, 3, 0);
    LLVMValueRef *rows = calloc(p->nents + 1, sizeof(*rows));
    unsigned n = 0;
    for (size_t i = 0; i < p->nents; i++) {
        if (p->failed[p->ents[i].idx])
            continue;
        LLVMValueRef f[3] = { LLVMConstInt(m->i32, p->ents[i].key, 0),
                              raise_prog_fn(m, p->ents[i].key),
                              raise_prog_fast(m, p->ents[i].key) };
        rows[n++] = LLVMConstNamedStruct(ety, f, 3);
    }
    LLVMTypeRef aty = LLVMArrayType2(ety, n);
    LLVMValueRef tab = LLVMAddGlobal(m->mod, aty, "xl_aot_table");
    LLVMSetInitializer(tab, LLVMConstArray2(ety, rows, n));
    LLVMSetGlobalConstant(tab, 1);
    LLVMSetAlignment(tab, 8);
    LLVMValueRef cnt = LLVMAddGlobal(m->mod, m->i32, "xl_aot_count");
    LLVMSetInitializer(cnt, LLVMConstInt(m->i32, n, 0));
    LLVMSetGlobalConstant(cnt, 1);
    LLVMValueRef entered = entered_array(m);
    LLVMSetInitializer(entered, LLVMConstNull(LLVMGlobalGetValueType(entered)));
    free(rows);
}

/* Phase 2: optimize and write. */
static void *phase_emit(void *arg)
{
    struct rmod *m = arg;
    struct rprog *p = m->p;
    /*
     * Per level (docs/aot.md). -O1/-O2 are function pipelines for translated code: the
     * guest compiler already inlined and unrolled, so the module passes of default<O2>
     * (inliner, IPSCCP, SLP vectorizer, ...) cost most of the time and gain nothing
     * measurable. Helpers are inlined by always-inline, the unused ones dropped by globaldce.
     * -O2 unswitches loops on invariant conditions: a VFP helper's test of FPSCR's control
     * bits, a register in the loop, leaves the loop (matmul 20% faster).
     */
#define XL_FN_O1 "sroa<modify-cfg>,early-cse<memssa>,simplifycfg,instcombine<no-verify-fixpoint>"
    /* Every level ends by removing unreachable blocks (which codegen would do anyway), then
       globaldce: a dispatch table whose jump was unreachable goes with it, since its
       offsets would name deleted blocks (raise_flow.c dispatch_table). */
#define XL_TAIL "function(simplifycfg),globaldce"
    static const char *const pipelines[] = {
        "default<O0>," XL_TAIL,
        "always-inline,function(" XL_FN_O1 ")," XL_TAIL,
        "always-inline,function(" XL_FN_O1 ",loop-mssa(licm,simple-loop-unswitch<nontrivial>),"
            "gvn,dse,simplifycfg,"
            "instcombine<no-verify-fixpoint>)," XL_TAIL,
        "default<O3>," XL_TAIL,
    };
#undef XL_TAIL
#undef XL_FN_O1
    int lv = p->o->opt_level < 0 ? 0 : p->o->opt_level > 3 ? 3 : p->o->opt_level;
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef e = LLVMRunPasses(m->mod, pipelines[lv], m->tm, po);
    LLVMDisposePassBuilderOptions(po);
    if (e) {
        char *msg = LLVMGetErrorMessage(e);
        snprintf(m->err, sizeof(m->err), "LLVM passes failed: %s", msg);
        LLVMDisposeErrorMessage(msg);
        m->rc = -1;
        return NULL;
    }
    char *msg = NULL;
    LLVMBool bad;
    if (p->emit == RAISE_EMIT_LLVM)
        bad = LLVMPrintModuleToFile(m->mod, m->path, &msg);
    else
        bad = LLVMTargetMachineEmitToFile(m->tm, m->mod, m->path,
                                          p->emit == RAISE_EMIT_ASM ? LLVMAssemblyFile
                                                                    : LLVMObjectFile, &msg);
    if (bad) {
        snprintf(m->err, sizeof(m->err), "cannot write %.120s: %.100s", m->path, msg ? msg : "?");
        m->rc = -1;
    }
    LLVMDisposeMessage(msg);
    return NULL;
}

static void run_phase(struct rmod *ms, unsigned n, void *(*fn)(void *))
{
    if (n == 1) {
        fn(&ms[0]);
        return;
    }
    pthread_t *t = calloc(n, sizeof(*t));
    bool *started = calloc(n, sizeof(*started));
    for (unsigned i = 0; i < n; i++)
        started[i] = t && started && pthread_create(&t[i], NULL, fn, &ms[i]) == 0;
    for (unsigned i = 0; i < n; i++) {
        if (started && started[i])
            pthread_join(t[i], NULL);
        else
            fn(&ms[i]);     /* no thread: do it here */
    }
    free(t);
    free(started);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_llvm(void)
{
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser();
    /* No merging of consecutive stores in codegen: it turns a pop's loads of registers
       from the guest stack, stored on to struct cpu, into one 16-byte load and store, and
       a 16-byte load of what the push stored 4 bytes at a time a few instructions before
       cannot be forwarded from the store buffer (fib: 0.80 -> 0.69 s, docs/aot.md). */
    const char *argv[2] = { "xlate", "-combiner-store-merging=false" };
    LLVMParseCommandLineOptions(2, argv, NULL);
}

/*
 * LLVM takes an unknown CPU name with a warning line for every function it compiles and
 * then generates generic code: a typo would flood stderr. One empty function compiled for
 * the CPU, with stderr sent to a temporary file, tells. Other output is passed on.
 */
static int check_cpu(const struct raise_options *o, char *err, size_t errlen)
{
    if (!o->cpu || !*o->cpu || !strcmp(o->cpu, "native"))
        return 0;
    FILE *tmp = tmpfile();
    int saved = tmp ? dup(2) : -1;
    if (saved < 0) {
        if (tmp)
            fclose(tmp);
        return 0;                       /* cannot check: LLVM's own lines will tell */
    }
    fflush(stderr);
    dup2(fileno(tmp), 2);
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("xl_cpu_check", ctx);
    LLVMSetTarget(mod, XL_TRIPLE);
    LLVMValueRef f = LLVMAddFunction(mod, "f",
                                     LLVMFunctionType(LLVMVoidTypeInContext(ctx), NULL, 0, 0));
    LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
    LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, f, ""));
    LLVMBuildRetVoid(b);
    char why[64];
    LLVMTargetMachineRef tm = make_tm(o, why, sizeof(why));
    LLVMMemoryBufferRef obj = NULL;
    char *msg = NULL;
    if (tm && !LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMObjectFile, &msg, &obj))
        LLVMDisposeMemoryBuffer(obj);
    LLVMDisposeMessage(msg);
    if (tm)
        LLVMDisposeTargetMachine(tm);
    LLVMDisposeBuilder(b);
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    dup2(saved, 2);
    close(saved);
    char text[1024];
    rewind(tmp);
    size_t n = fread(text, 1, sizeof(text) - 1, tmp);
    text[n] = 0;
    fclose(tmp);
    if (strstr(text, "not a recognized processor")) {
        snprintf(err, errlen, "unknown host CPU '%s' (an LLVM x86-64 CPU name, or native)",
                 o->cpu);
        return -1;
    }
    fputs(text, stderr);
    return 0;
}

int raise_program(const struct raise_function *fns, size_t nfns, const struct raise_options *o,
                  enum raise_emit emit, const char *path, unsigned *nfiles,
                  char *err, size_t errlen)
{
    struct raise_options defaults = { .opt_level = 2, .jobs = 1 };
    if (!o)
        o = &defaults;
    if (nfiles)
        *nfiles = 0;
    pthread_once(&init_once, init_llvm);
    if (check_cpu(o, err, errlen))
        return -1;

    bool prefix = emit == RAISE_EMIT_OBJ && o->jobs > 1;
    unsigned jobs = emit == RAISE_EMIT_OBJ && o->jobs > 1 ? o->jobs : 1;
    if (jobs > nfns)
        jobs = nfns ? (unsigned)nfns : 1;

    struct rprog p = { .fns = fns, .nfns = nfns, .o = o, .emit = emit, .jobs = jobs,
                       .progress = o->progress && isatty(2) };
    pthread_mutex_init(&p.lock, NULL);
    atomic_init(&p.done, 0);
    p.ents = calloc(nfns + 1, sizeof(*p.ents));
    p.skip = calloc(nfns + 1, sizeof(*p.skip));
    p.failed = calloc(nfns + 1, sizeof(*p.failed));
    p.dead_in = calloc(nfns + 1, sizeof(*p.dead_in));
    struct rmod *ms = calloc(jobs, sizeof(*ms));
    int rc = -1;
    if (!p.ents || !p.skip || !p.failed || !p.dead_in || !ms) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nfns; i++) {
        p.ents[i] = (struct pent){ fns[i].entry, (uint32_t)i };
        /* A known routine's host version, in front of its body, reads r0-r3 and lr. */
        bool known = raise_known_of(&p, &fns[i]) != KNOWN_NONE;
        p.dead_in[i] = known ? 0 : raise_dead_on_entry(&fns[i]);
    }
    qsort(p.ents, nfns, sizeof(*p.ents), raise_cmp_pent);
    for (size_t i = 0; i < nfns; i++) {
        if (p.nents && p.ents[p.nents - 1].key == p.ents[i].key) {
            p.skip[p.ents[i].idx] = p.failed[p.ents[i].idx] = true;
            warn(&p, p.ents[i].key, "a second function with the same entry");
            continue;
        }
        p.ents[p.nents++] = p.ents[i];
    }
    p.recursive = raise_find_recursion(&p);
    if (!p.recursive || raise_flags_analysis(&p) != 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < jobs; i++) {
        ms[i].p = &p;
        ms[i].index = i;
        if (prefix)
            snprintf(ms[i].path, sizeof(ms[i].path), "%s.%u.o", path, i);
        else
            snprintf(ms[i].path, sizeof(ms[i].path), "%s", path);
    }

    run_phase(ms, jobs, phase_raise);
    for (unsigned i = 0; i < jobs; i++)
        if (ms[i].rc) {
            snprintf(err, errlen, "%s", ms[i].err);
            goto out;
        }
    add_table(&ms[0]);
    if (p.progress)
        fprintf(stderr, "\rxlate: optimizing and emitting %u module(s)...\033[K", jobs);
    run_phase(ms, jobs, phase_emit);
    if (p.progress)
        fprintf(stderr, "\r\033[K");
    for (unsigned i = 0; i < jobs; i++)
        if (ms[i].rc) {
            snprintf(err, errlen, "%s", ms[i].err);
            goto out;
        }
    if (nfiles)
        *nfiles = jobs;
    rc = 0;
out:
    for (unsigned i = 0; ms && i < jobs; i++) {
        if (ms[i].bld)
            LLVMDisposeBuilder(ms[i].bld);
        if (ms[i].abld)
            LLVMDisposeBuilder(ms[i].abld);
        if (ms[i].mod)
            LLVMDisposeModule(ms[i].mod);
        if (ms[i].tm)
            LLVMDisposeTargetMachine(ms[i].tm);
        if (ms[i].ctx)
            LLVMContextDispose(ms[i].ctx);
    }
    free(ms);
    free(p.ents);
    free(p.skip);
    free(p.failed);
    free(p.dead_in);
    free(p.dead_out);
    for (size_t i = 0; p.flags_live && i < nfns; i++)
        free(p.flags_live[i]);
    free(p.flags_live);
    free(p.recursive);
    pthread_mutex_destroy(&p.lock);
    return rc;
}
