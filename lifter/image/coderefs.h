/* lifter/image/coderefs.c: code addresses that a file's data points at. */
#ifndef XL_IMAGE_CODEREFS_H
#define XL_IMAGE_CODEREFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* The code (bit 0: Thumb) that img's data points at, inside its executable sections:
   R_ARM_RELATIVE targets, R_ARM_IRELATIVE resolvers, .preinit/.init/.fini_array entries;
   at img's addresses (its bias added), into a malloc'ed *out (NULL, 0 when there are none;
   repeats possible). Returns 0, or -1 when out of memory. */
int xl_code_refs(const struct xl_image *img, uint32_t **out, size_t *nout);

/* The executable sections' address ranges [lo, hi) at img's addresses (the first 64;
   truncated when there are more), for telling code from the read-only data that shares
   its segment. */
struct xl_exec_ranges {
    uint32_t lo[64], hi[64];
    size_t n;
    bool truncated;
};
void xl_exec_sections(const struct xl_image *img, struct xl_exec_ranges *r);

/* t (a pointer without the Thumb bit) is plausibly ARM code: word-aligned, inside one of
   the ranges, and its word an unconditional instruction (condition field 0xe). */
bool xl_arm_code_ptr(const struct xl_image *img, const struct xl_exec_ranges *r, uint32_t t);

/* a may be code: inside one of the ranges, or anywhere when the file names no executable
   section (it has no section headers) or more than the ranges hold. */
bool xl_may_be_code(const struct xl_exec_ranges *r, uint32_t a);

#endif
