/* The helper table (helpers.def) and the helpers' C prototypes. */
#ifndef XL_HELPERS_H
#define XL_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include "../ir/cpu.h"

#define IR_H_PURE  0x1
#define IR_H_NOENV 0x2

enum ir_helper {
#define DEF_HELPER(name, flags, ret, nargs, a1, a2, a3, a4) IR_HELPER_##name,
#include "helpers.def"
#undef DEF_HELPER
    IR_NUM_HELPERS
};

enum ir_htype { IR_HT_void, IR_HT_i32, IR_HT_i64, IR_HT_env };

struct ir_helper_info {
    const char *name;
    void *fn;                   /* native entry point, for the JIT */
    uint8_t flags;
    uint8_t ret;                /* enum ir_htype */
    uint8_t nargs;
    uint8_t args[4];            /* enum ir_htype */
};
extern const struct ir_helper_info ir_helpers[IR_NUM_HELPERS];

/* Whether helper h may read or write globals through env (neither PURE nor NOENV): around
   a call of it, globals held in host registers go to struct cpu and come back. */
static inline bool ir_helper_takes_env(const struct ir_helper_info *h)
{
    return !(h->flags & (IR_H_PURE | IR_H_NOENV));
}

/* C types of the table's type words. */
typedef void xl_htype_void;
typedef uint32_t xl_htype_i32;
typedef uint64_t xl_htype_i64;
typedef struct cpu *xl_htype_env;

#define XL_HPARAMS_0(a1, a2, a3, a4) void
#define XL_HPARAMS_1(a1, a2, a3, a4) xl_htype_##a1
#define XL_HPARAMS_2(a1, a2, a3, a4) xl_htype_##a1, xl_htype_##a2
#define XL_HPARAMS_3(a1, a2, a3, a4) xl_htype_##a1, xl_htype_##a2, xl_htype_##a3
#define XL_HPARAMS_4(a1, a2, a3, a4) xl_htype_##a1, xl_htype_##a2, xl_htype_##a3, xl_htype_##a4

#define DEF_HELPER(name, flags, ret, nargs, a1, a2, a3, a4) \
    xl_htype_##ret helper_##name(XL_HPARAMS_##nargs(a1, a2, a3, a4));
#include "helpers.def"
#undef DEF_HELPER

/* FPSCR bits the helpers read and raise. */
enum {
    FPSCR_IOC = 0x01, FPSCR_DZC = 0x02, FPSCR_OFC = 0x04, FPSCR_UFC = 0x08,
    FPSCR_IXC = 0x10, FPSCR_IDC = 0x80,
    FPSCR_EXC = 0x9f,
    FPSCR_RMODE_SHIFT = 22,
    FPSCR_FZ = 0x01000000, FPSCR_DN = 0x02000000,
    FPSCR_CTL = 0x03c00000,     /* DN FZ RMode */
    FPSCR_STANDARD = FPSCR_FZ | FPSCR_DN,   /* StandardFPSCRValue(): Advanced SIMD's */
};

/* The cumulative exception flags the helpers work out themselves (lifter/helpers/vfp.c
   says which, and where the rest live). */
extern __attribute__((tls_model("initial-exec"))) _Thread_local uint32_t xl_fp_exc;

/* desc of vcvt_tofix / vcvt_fromfix (helpers.def): fbits in bits 7:0, then these flags. */
enum {
    VFP_FIX_U = 0x100,      /* unsigned integer */
    VFP_FIX_16 = 0x200,     /* 16-bit integer (in the low half, extended) */
    VFP_FIX_RMODE = 0x400,  /* round in FPSCR.RMode (VCVTR; VCVT from integer), else
                               tofix toward zero, fromfix to nearest */
};

/* The whole FPSCR of the guest thread running on this host thread: cpu->fpscr with the
   cumulative exception flags the VFP helpers keep outside struct cpu: a thread-local word
   and the host's MXCSR exception flags (lifter/helpers/vfp.c).
   The runtime uses these where it saves or restores FPSCR (signal frames). xl_fpscr_set
   also makes the flags of fpscr the thread's current ones. */
uint32_t xl_fpscr_get(const struct cpu *cpu);
void xl_fpscr_set(struct cpu *cpu, uint32_t fpscr);
/* A host signal handler that leaves by siglongjmp (the handler runs with a fresh MXCSR)
   passes the interrupted context's MXCSR (uc_mcontext.fpregs->mxcsr) here first, so that
   the guest keeps the exception flags accumulated there. */
void xl_fp_keep_host_flags(uint32_t mxcsr);

#endif
