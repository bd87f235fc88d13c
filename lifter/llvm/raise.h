/*
 * The raiser: µIR functions → LLVM IR (one LLVM function per discovered guest function),
 * optimized with the new pass manager and emitted as one object (or .ll / .s).
 * Only the `xlate` tool links LLVM; nothing in the runtime does.
 */
#ifndef XL_RAISE_H
#define XL_RAISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../discover/discover.h"
#include "../ir/ir.h"

struct raise_block {
    const struct xl_dblock *d;      /* what discovery knows: kind, successors, callee */
    struct ir_block *ir;            /* its optimized µIR (arm_translate_range + ir_optimize) */
};

struct raise_function {
    uint32_t entry;                 /* bit 0 set for Thumb */
    const char *name;               /* guest symbol, or NULL */
    struct raise_block *blocks;     /* blocks[0] is the entry block */
    uint32_t nblocks;
};

enum raise_emit { RAISE_EMIT_OBJ, RAISE_EMIT_ASM, RAISE_EMIT_LLVM };

struct raise_options {
    int opt_level;                  /* 0..3 */
    const char *cpu;                /* host CPU, e.g. "znver3", "native"; NULL: x86-64-v2
                                       tuned for generic x86-64 */
    unsigned jobs;                  /* threads; functions are split across modules */
    bool progress;                  /* a progress line on stderr */
    bool no_known;                  /* no host code for known routines (known.h) */
    bool closed;                    /* every caller of fns is among them or the runtime (a
                                       static executable): flags no caller reads after a
                                       return are not stored there (raise_flags.c) */
};

/*
 * Raises fns, optimizes, and writes the result to path (for RAISE_EMIT_OBJ with jobs > 1,
 * path is a prefix: path.0.o, path.1.o, ...; *nfiles says how many). Every function is
 * emitted as `xl_aot_<hex address>_<a|t>` and the module(s) also define the AOT table
 * (runtime/aot.h). A function whose raising fails is left out with one warning line and
 * left to the JIT. Returns 0, or -1 with a one-line reason in err.
 */
typedef int raise_program_fn(const struct raise_function *fns, size_t nfns,
                             const struct raise_options *o, enum raise_emit emit,
                             const char *path, unsigned *nfiles, char *err, size_t errlen);
raise_program_fn raise_program;

#endif
