/*
 * Computed jumps: the targets a jump through a register (`mov pc, rN`, `bx rN`,
 * `add pc, pc, rN, lsl #1`, `ldr pc, [rN, #k]`, `bx pc`) can reach, found by evaluating the
 * straight line of code before it over small sets of values. Used by discovery for the
 * jumps that are not a guarded jump table.
 */
#ifndef XL_COMPUTED_H
#define XL_COMPUTED_H

#include <stdbool.h>
#include <stdint.h>

#include "../decode/decode.h"
#include "../image/image.h"

#define XL_MAX_COMPUTED 256     /* targets of one computed jump, at most */

/* A function's entry line [from, end) and the registers (bit n: rn) that keep the values
   it leaves in them for the rest of the function. */
struct xl_entry_line {
    uint32_t from, end;
    uint16_t keep;
    bool keep_stack;        /* and the stack words it stored (nothing stores to them later) */
};

/*
 * Evaluates the insns in [from, end) in one state; the last one is the jump. With entry,
 * the registers entry->keep names start with the values entry's line leaves in them;
 * every other register starts unknown. Writes the jump's possible targets (address | 1
 * for Thumb, sorted, unique) to out and returns how many, or 0 when the target is not
 * bounded. The set may hold values the program never produces, and may miss some: a
 * loaded word can change at run time, and the code before `from` is not seen. Callers
 * keep a fallback for any other value.
 */
unsigned xl_computed_targets(struct xl_decoder *dec, const struct xl_image *img,
                             const struct xl_entry_line *entry, uint32_t from, uint32_t end,
                             bool thumb, uint32_t out[XL_MAX_COMPUTED]);

#endif
