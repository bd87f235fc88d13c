/*
 * Code discovery for the AOT path: which guest code exists, in which state, and how it
 * splits into functions (regions) of translation blocks.
 *
 * Sources: the entry point, every function symbol, mapping symbols ($a $t $d) for state
 * and for data never to decode (literal pools), then recursive traversal of direct
 * branches and calls, and jump tables (`ldr pc, [pc, rN, lsl #2]`, `add pc, pc, rN`, tbb,
 * tbh) bounded by the compare that guards them, and the C++ landing pads of the EHABI
 * exception tables (ehabi.h). What is missed is the JIT's at run time.
 */
#ifndef XL_DISCOVER_H
#define XL_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../image/image.h"

/* How a discovered block ends (its last guest insn). */
enum xl_dblock_end {
    XL_END_FALL,        /* falls into the next block (block split by a branch target) */
    XL_END_JUMP,        /* direct branch: succ[0] */
    XL_END_COND,        /* conditional direct branch: succ[0] taken, succ[1] fall-through */
    XL_END_CALL,        /* bl/blx imm: callee, then returns to succ[0] (= ret_addr) */
    XL_END_CALL_IND,    /* blx rN: unknown callee, returns to succ[0] */
    XL_END_RETURN,      /* bx lr, pop {..pc}, ldr pc, [sp], ... : a host ret */
    XL_END_TABLE,       /* jump table: succ[] are the targets, in table order */
    XL_END_INDIRECT,    /* any other computed pc: runtime lookup */
    XL_END_EXIT,        /* svc (continues at succ[0]), undefined insn, or end of code */
};

struct xl_dblock {
    uint32_t addr;      /* first insn */
    uint32_t end;       /* address after the last insn */
    bool thumb;
    bool cond;          /* the last insn is conditional (b<c>, bxne lr, ldrls pc, ...): when its
                           condition fails, execution goes on at `end` (for XL_END_COND that is
                           succ[1]; for calls and svc succ[0] already is `end`) */
    enum xl_dblock_end kind;
    uint32_t callee;    /* XL_END_CALL: the target (bit 0 set for Thumb) */
    uint32_t *succ;     /* successor addresses (bit 0 set for Thumb). A successor may have no
                           block (data, unreadable, a target inside an IT block, a state that
                           contradicts the mapping symbols): the runtime looks it up. */
    uint32_t nsucc;
    uint32_t func;      /* index of the function that owns it */
};

/* A function's blocks are those reachable from its entry by jumps, conditional branches,
   fall-throughs, table targets and call continuations, never through another function's
   entry (a tail call stays an XL_END_JUMP to it) but for the labels of a computed goto: a
   table target whose entry only data points at is walked into from a function that has
   another reason to exist (a symbol, a call, the program's entry). A block reachable from
   two functions is listed in both; xl_dblock.func names the one with the lowest entry. */
struct xl_function {
    uint32_t entry;     /* bit 0 set for Thumb */
    const char *name;   /* symbol name (never an IFUNC symbol: its name is what the
                           resolver resolves, not the resolver); without a symbol, the name of
                           a library routine recognized by its bytes (image/routines.h); or
                           NULL */
    uint32_t *blocks;   /* indexes into xl_program.blocks; blocks[0] is the entry block */
    uint32_t nblocks;
};

struct xl_program {
    struct xl_dblock *blocks;   /* sorted by address */
    size_t nblocks;
    struct xl_function *funcs;  /* sorted by entry */
    size_t nfuncs;
    uint32_t *pool;             /* owns every succ[] and blocks[] array above */
};

/* Discovers the program's code. Returns 0, or -1 with a one-line reason in err. */
int xl_discover(const struct xl_image *img, struct xl_program *out, char *err, size_t errlen);
void xl_program_free(struct xl_program *p);

/* The block that starts at addr in the given state, or NULL. */
const struct xl_dblock *xl_program_block(const struct xl_program *p, uint32_t addr, bool thumb);

#endif
