/*
 * C++ exception landing pads from the ARM EHABI tables (.ARM.exidx, .ARM.extab and the GCC
 * LSDA inside them). Landing pads are reached only through the unwinder (the personality
 * routine sets pc there), never by a branch, so recursive traversal cannot see them;
 * discovery seeds each one as a function entry.
 */
#ifndef XL_EHABI_H
#define XL_EHABI_H

#include <stddef.h>
#include <stdint.h>

#include "../image/image.h"

struct xl_landing_pad {
    uint32_t func;      /* the exidx entry's function start, as the table gives it (GCC's
                           tables leave bit 0 clear even for Thumb functions) */
    uint32_t pad;       /* LPStart + the call-site record's landing pad offset */
};

/*
 * The landing pads of the exidx table at [exidx, exidx + size) in img. Every read is bounded
 * by the image's file data; malformed entries are skipped. Only extab entries of the generic
 * model whose personality routine is unnamed (a stripped file) or named *_personality_v0
 * (GCC's LSDA format) are parsed; the compact models (__aeabi_unwind_cpp_pr0-2) carry no
 * LSDA in GCC's output. Sets *out (malloc'ed, sorted by pad, unique; NULL when none) and
 * *n. Returns 0, or -1 when out of memory.
 */
int xl_ehabi_scan(const struct xl_image *img, uint32_t exidx, uint32_t size,
                  struct xl_landing_pad **out, size_t *n);

/* The same for the table the PT_ARM_EXIDX program header of img's file names (none: 0 pads). */
int xl_ehabi_landing_pads(const struct xl_image *img, struct xl_landing_pad **out, size_t *n);

#endif
