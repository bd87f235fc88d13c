/*
 * Parallel (SIMD-within-a-register) add and subtract on 8- and 16-bit lanes (ARM ARM
 * A8.8: SADD8 ... USAX, QADD8 ... UQSAX, SHADD8 ... UHSAX) and USAD8.
 *
 * One generic lane loop, specialised by constant arguments: the LLVM raiser inlines the
 * helper and folds the loop; the JIT calls the native copy. Every helper here is pure:
 * the ones that set APSR.GE return it in bits 35:32 of an i64, above the 32-bit result.
 * UADD8 has no helper: the frontend emits it inline (glibc's string functions run it in
 * their inner loops).
 */
#include <stdbool.h>

#include "helpers.h"

enum par_kind {
    PAR_GE,     /* wrapping result, GE bits from the exact lane results */
    PAR_SAT,    /* saturating (Q and UQ forms): no flags */
    PAR_HALF,   /* halving (SH and UH forms): exact result >> 1, no flags */
};

/* Lane i of v, w bits wide, sign- or zero-extended. */
static inline int32_t lane(uint32_t v, unsigned i, unsigned w, bool sign)
{
    uint32_t x = (v >> (i * w)) & ((1u << w) - 1);
    if (sign && (x >> (w - 1)))
        return (int32_t)x - (int32_t)(1u << w);
    return (int32_t)x;
}

/*
 * w: lane width (8 or 16); sub: bit i set when lane i subtracts; exch: swap b's halfwords
 * first (the ASX/SAX forms: ASX = lane 0 subtracts b<31:16>, lane 1 adds b<15:0>).
 * GE for a lane: signed result >= 0; unsigned add: result >= 2^w; unsigned sub: a >= b.
 */
static inline uint64_t parallel(uint32_t a, uint32_t b, unsigned w, bool sign, unsigned sub,
                                bool exch, enum par_kind kind)
{
    unsigned n = 32 / w, gebits = 4 / n;
    uint32_t res = 0, ge = 0;
    if (exch)
        b = b >> 16 | b << 16;
    for (unsigned i = 0; i < n; i++) {
        int32_t x = lane(a, i, w, sign), y = lane(b, i, w, sign);
        bool s = sub >> i & 1;
        int32_t r = s ? x - y : x + y;
        bool g = (sign || s) ? r >= 0 : r >= (int32_t)(1u << w);
        int32_t lo = sign ? -(int32_t)(1u << (w - 1)) : 0;
        int32_t hi = sign ? (int32_t)(1u << (w - 1)) - 1 : (int32_t)(1u << w) - 1;
        switch (kind) {
        case PAR_GE:
            if (g)
                ge |= ((1u << gebits) - 1) << (i * gebits);
            break;
        case PAR_SAT:
            r = r < lo ? lo : r > hi ? hi : r;
            break;
        case PAR_HALF:
            r = (int32_t)((uint32_t)r >> 1 | ((uint32_t)r & 0x80000000u));  /* r >> 1, exact */
            break;
        }
        res |= ((uint32_t)r & ((1u << w) - 1)) << (i * w);
    }
    return res | (uint64_t)ge << 32;
}

#define PAR_GE_HELPER(name, w, sign, sub, exch) \
    uint64_t helper_##name(uint32_t a, uint32_t b) \
    { return parallel(a, b, w, sign, sub, exch, PAR_GE); }
#define PAR_HELPER(name, w, sign, sub, exch, kind) \
    uint32_t helper_##name(uint32_t a, uint32_t b) \
    { return (uint32_t)parallel(a, b, w, sign, sub, exch, kind); }

PAR_GE_HELPER(sadd8, 8, true, 0x0, false)
PAR_GE_HELPER(ssub8, 8, true, 0xf, false)
PAR_GE_HELPER(usub8, 8, false, 0xf, false)
PAR_GE_HELPER(sadd16, 16, true, 0x0, false)
PAR_GE_HELPER(uadd16, 16, false, 0x0, false)
PAR_GE_HELPER(ssub16, 16, true, 0x3, false)
PAR_GE_HELPER(usub16, 16, false, 0x3, false)
PAR_GE_HELPER(sasx, 16, true, 0x1, true)
PAR_GE_HELPER(ssax, 16, true, 0x2, true)
PAR_GE_HELPER(uasx, 16, false, 0x1, true)
PAR_GE_HELPER(usax, 16, false, 0x2, true)

#define PAR_FAMILY(p, sign, kind) \
    PAR_HELPER(p##add8, 8, sign, 0x0, false, kind) \
    PAR_HELPER(p##sub8, 8, sign, 0xf, false, kind) \
    PAR_HELPER(p##add16, 16, sign, 0x0, false, kind) \
    PAR_HELPER(p##sub16, 16, sign, 0x3, false, kind) \
    PAR_HELPER(p##asx, 16, sign, 0x1, true, kind) \
    PAR_HELPER(p##sax, 16, sign, 0x2, true, kind)
PAR_FAMILY(q, true, PAR_SAT)
PAR_FAMILY(uq, false, PAR_SAT)
PAR_FAMILY(sh, true, PAR_HALF)
PAR_FAMILY(uh, false, PAR_HALF)
#undef PAR_FAMILY
#undef PAR_HELPER
#undef PAR_GE_HELPER

/* USAD8: sum of the absolute differences of the four unsigned byte pairs. */
uint32_t helper_usad8(uint32_t a, uint32_t b)
{
    uint32_t sum = 0;
    for (unsigned i = 0; i < 4; i++) {
        int32_t d = lane(a, i, 8, false) - lane(b, i, 8, false);
        sum += (uint32_t)(d < 0 ? -d : d);
    }
    return sum;
}
