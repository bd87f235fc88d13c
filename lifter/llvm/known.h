/*
 * Host code for guest library routines with a fixed contract: libgcc's integer division
 * (the AEABI run-time helpers) and C string and memory functions. When a function's symbol
 * names one, the raiser puts the host version in front of its translated body, behind a
 * guard for the cases the contract leaves to the implementation (division by zero,
 * overlapping memcpy): those still run the guest's own code. Only the result registers
 * change; the scratch registers the AAPCS lets the routine clobber (r2, r3, ip, flags)
 * keep their values. docs/aot.md, "Known routines".
 */
#ifndef XL_KNOWN_H
#define XL_KNOWN_H

#include <llvm-c/Core.h>

enum known_routine {
    KNOWN_NONE,
    KNOWN_UDIV, KNOWN_UDIVMOD, KNOWN_SDIV, KNOWN_SDIVMOD,     /* __aeabi_[u]idiv[mod] */
    KNOWN_ULDIVMOD, KNOWN_LDIVMOD,                           /* __aeabi_[u]ldivmod */
    KNOWN_STRLEN, KNOWN_STRNLEN, KNOWN_STRCHR, KNOWN_MEMCHR, KNOWN_STRSTR,
    KNOWN_MEMSET, KNOWN_MEMCPY, KNOWN_MEMMOVE,
};

/* The routine a guest symbol names, or KNOWN_NONE (also for name == NULL). */
enum known_routine known_routine(const char *name);

/*
 * At bld's position: the guard on the argument registers a[0..3] (i32), a branch to
 * fallback when it fails, then the host routine in a new block where bld is left. out[i]
 * is the new value of r<i>, or NULL when r<i> keeps its value.
 */
void known_emit(enum known_routine k, LLVMModuleRef mod, LLVMBuilderRef bld,
                LLVMBasicBlockRef fallback, LLVMValueRef a[4], LLVMValueRef out[4]);

#endif
