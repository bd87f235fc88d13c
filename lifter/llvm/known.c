/*
 * Known routines (known.h). Guest address A is host address A (runtime/mem.c), so the host
 * libc works on guest memory directly; a bad pointer faults there as it would in the
 * guest's copy, and the runtime turns the fault into the guest's SIGSEGV.
 */
#include <stdbool.h>
#include <string.h>

#include "known.h"

static const struct {
    const char *name;
    enum known_routine k;
} names[] = {
    { "__aeabi_uidiv", KNOWN_UDIV }, { "__udivsi3", KNOWN_UDIV },
    { "__aeabi_uidivmod", KNOWN_UDIVMOD },
    { "__aeabi_idiv", KNOWN_SDIV }, { "__divsi3", KNOWN_SDIV },
    { "__aeabi_idivmod", KNOWN_SDIVMOD },
    { "__aeabi_uldivmod", KNOWN_ULDIVMOD }, { "__aeabi_ldivmod", KNOWN_LDIVMOD },
    { "strlen", KNOWN_STRLEN }, { "strnlen", KNOWN_STRNLEN }, { "__strnlen", KNOWN_STRNLEN },
    { "strchr", KNOWN_STRCHR }, { "index", KNOWN_STRCHR }, { "memchr", KNOWN_MEMCHR },
    { "__memchr", KNOWN_MEMCHR }, { "__memchr_neon", KNOWN_MEMCHR },
    { "__memchr_noneon", KNOWN_MEMCHR }, { "strstr", KNOWN_STRSTR },
    { "memset", KNOWN_MEMSET }, { "__memset_arm", KNOWN_MEMSET },
    { "__memset_vfp", KNOWN_MEMSET }, { "__memset_neon", KNOWN_MEMSET },
    { "memcpy", KNOWN_MEMCPY }, { "__memcpy_arm", KNOWN_MEMCPY },
    { "__memcpy_vfp", KNOWN_MEMCPY }, { "__memcpy_neon", KNOWN_MEMCPY },
    { "memmove", KNOWN_MEMMOVE }, { "__memmove_arm", KNOWN_MEMMOVE },
};

enum known_routine known_routine(const char *name)
{
    for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].k;
    return KNOWN_NONE;
}

/* A host libc function: ret fn(ptr or i64 or i32 args...). */
static LLVMValueRef libc(LLVMModuleRef mod, LLVMBuilderRef bld, const char *name,
                         LLVMTypeRef ret, LLVMTypeRef *pt, LLVMValueRef *args, unsigned n)
{
    LLVMTypeRef fty = LLVMFunctionType(ret, pt, n, 0);
    LLVMValueRef fn = LLVMGetNamedFunction(mod, name);
    if (!fn)
        fn = LLVMAddFunction(mod, name, fty);
    return LLVMBuildCall2(bld, fty, fn, args, n, "");
}

void known_emit(enum known_routine k, LLVMModuleRef mod, LLVMBuilderRef bld,
                LLVMBasicBlockRef fallback, LLVMValueRef a[4], LLVMValueRef out[4])
{
    LLVMContextRef ctx = LLVMGetModuleContext(mod);
    LLVMTypeRef i32 = LLVMInt32TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
    LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
    LLVMValueRef zero32 = LLVMConstInt(i32, 0, 0), zero64 = LLVMConstInt(i64, 0, 0);
    LLVMValueRef x = a[0], y = a[1], ok = NULL;
    LLVMValueRef p[3], w[2] = { 0, 0 };
    for (int i = 0; i < 3; i++)
        p[i] = LLVMBuildIntToPtr(bld, LLVMBuildZExt(bld, a[i], i64, ""), ptr, "");
    for (int i = 0; i < 4; i++)
        out[i] = NULL;

    /* The guard: what the contract defines. */
    switch (k) {
    case KNOWN_UDIV: case KNOWN_UDIVMOD:
        ok = LLVMBuildICmp(bld, LLVMIntNE, y, zero32, "");
        break;
    case KNOWN_SDIV: case KNOWN_SDIVMOD:      /* and not INT_MIN / -1 (x86 traps) */
        ok = LLVMBuildAnd(bld, LLVMBuildICmp(bld, LLVMIntNE, y, zero32, ""),
                          LLVMBuildOr(bld,
                              LLVMBuildICmp(bld, LLVMIntNE, x, LLVMConstInt(i32, 0x80000000u, 0), ""),
                              LLVMBuildICmp(bld, LLVMIntNE, y, LLVMConstInt(i32, ~0ull, 1), ""), ""), "");
        break;
    case KNOWN_ULDIVMOD: case KNOWN_LDIVMOD:
        for (int i = 0; i < 2; i++)             /* r0:r1 and r2:r3, low word first */
            w[i] = LLVMBuildOr(bld, LLVMBuildZExt(bld, a[2 * i], i64, ""),
                               LLVMBuildShl(bld, LLVMBuildZExt(bld, a[2 * i + 1], i64, ""),
                                            LLVMConstInt(i64, 32, 0), ""), "");
        ok = LLVMBuildICmp(bld, LLVMIntNE, w[1], zero64, "");
        if (k == KNOWN_LDIVMOD)
            ok = LLVMBuildAnd(bld, ok, LLVMBuildOr(bld,
                     LLVMBuildICmp(bld, LLVMIntNE, w[0], LLVMConstInt(i64, 1ull << 63, 0), ""),
                     LLVMBuildICmp(bld, LLVMIntNE, w[1], LLVMConstInt(i64, ~0ull, 1), ""), ""), "");
        break;
    case KNOWN_MEMCPY: {        /* overlapping copies are the implementation's business */
        LLVMValueRef d = LLVMBuildZExt(bld, a[0], i64, ""), s = LLVMBuildZExt(bld, a[1], i64, "");
        LLVMValueRef n = LLVMBuildZExt(bld, a[2], i64, "");
        ok = LLVMBuildOr(bld, LLVMBuildICmp(bld, LLVMIntULE, LLVMBuildAdd(bld, d, n, ""), s, ""),
                         LLVMBuildICmp(bld, LLVMIntULE, LLVMBuildAdd(bld, s, n, ""), d, ""), "");
        break;
    }
    default:
        break;
    }
    if (ok) {
        LLVMValueRef fn = LLVMGetBasicBlockParent(LLVMGetInsertBlock(bld));
        LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(ctx, fn, "known");
        LLVMBuildCondBr(bld, ok, fast, fallback);
        LLVMPositionBuilderAtEnd(bld, fast);
    }

    LLVMTypeRef pt[3];
    LLVMValueRef args[3], r;
    switch (k) {
    case KNOWN_UDIV: case KNOWN_UDIVMOD:
        out[0] = LLVMBuildUDiv(bld, x, y, "");
        if (k == KNOWN_UDIVMOD)
            out[1] = LLVMBuildURem(bld, x, y, "");
        break;
    case KNOWN_SDIV: case KNOWN_SDIVMOD:
        out[0] = LLVMBuildSDiv(bld, x, y, "");
        if (k == KNOWN_SDIVMOD)
            out[1] = LLVMBuildSRem(bld, x, y, "");
        break;
    case KNOWN_ULDIVMOD: case KNOWN_LDIVMOD: {
        bool s = k == KNOWN_LDIVMOD;
        LLVMValueRef q = s ? LLVMBuildSDiv(bld, w[0], w[1], "") : LLVMBuildUDiv(bld, w[0], w[1], "");
        LLVMValueRef m = s ? LLVMBuildSRem(bld, w[0], w[1], "") : LLVMBuildURem(bld, w[0], w[1], "");
        LLVMValueRef sh = LLVMConstInt(i64, 32, 0);
        out[0] = LLVMBuildTrunc(bld, q, i32, "");
        out[1] = LLVMBuildTrunc(bld, LLVMBuildLShr(bld, q, sh, ""), i32, "");
        out[2] = LLVMBuildTrunc(bld, m, i32, "");
        out[3] = LLVMBuildTrunc(bld, LLVMBuildLShr(bld, m, sh, ""), i32, "");
        break;
    }
    case KNOWN_STRLEN:
        pt[0] = ptr, args[0] = p[0];
        out[0] = LLVMBuildTrunc(bld, libc(mod, bld, "strlen", i64, pt, args, 1), i32, "");
        break;
    case KNOWN_STRNLEN:
        pt[0] = ptr, args[0] = p[0], pt[1] = i64, args[1] = LLVMBuildZExt(bld, a[1], i64, "");
        out[0] = LLVMBuildTrunc(bld, libc(mod, bld, "strnlen", i64, pt, args, 2), i32, "");
        break;
    case KNOWN_STRCHR: case KNOWN_MEMCHR: case KNOWN_STRSTR: {
        pt[0] = ptr, args[0] = p[0];
        pt[1] = k == KNOWN_STRSTR ? ptr : i32, args[1] = k == KNOWN_STRSTR ? p[1] : a[1];
        pt[2] = i64, args[2] = LLVMBuildZExt(bld, a[2], i64, "");
        const char *nm = k == KNOWN_STRCHR ? "strchr" : k == KNOWN_MEMCHR ? "memchr" : "strstr";
        r = libc(mod, bld, nm, ptr, pt, args, k == KNOWN_MEMCHR ? 3 : 2);
        out[0] = LLVMBuildTrunc(bld, LLVMBuildPtrToInt(bld, r, i64, ""), i32, "");
        break;
    }
    case KNOWN_MEMSET: case KNOWN_MEMCPY: case KNOWN_MEMMOVE: {   /* they return r0 */
        pt[0] = ptr, args[0] = p[0];
        pt[1] = k == KNOWN_MEMSET ? i32 : ptr, args[1] = k == KNOWN_MEMSET ? a[1] : p[1];
        pt[2] = i64, args[2] = LLVMBuildZExt(bld, a[2], i64, "");
        const char *nm = k == KNOWN_MEMSET ? "memset" : k == KNOWN_MEMCPY ? "memcpy" : "memmove";
        libc(mod, bld, nm, ptr, pt, args, 3);
        break;
    }
    case KNOWN_NONE:
        break;
    }
}
