/*
 * Library routines recognized by their bytes. A stripped static program (Debian's
 * busybox-static) names none of its functions, so the known routines of the AOT path
 * (lifter/llvm/known.h: strlen, memchr, memcpy ...) would be translated instruction by
 * instruction. glibc's hand-written ARM string routines are position-independent leaf
 * code, the same bytes in every program linked against the same glibc: a function whose
 * first `len` bytes hash to one of the fingerprints here is that routine.
 */
#ifndef XL_IMAGE_ROUTINES_H
#define XL_IMAGE_ROUTINES_H

#include <stdbool.h>
#include <stdint.h>

#include "image.h"

/* The name of the routine whose code starts at addr in img (thumb: in Thumb state), or
   NULL when none of the fingerprints matches. */
const char *xl_routine_at(const struct xl_image *img, uint32_t addr, bool thumb);

/* The fingerprint hash of n bytes (FNV-1a, 64 bits): what the table holds. */
uint64_t xl_routine_hash(const uint8_t *p, uint32_t n);

#endif
