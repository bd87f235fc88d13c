/* Library routines recognized by their bytes (routines.h). */
#include <stddef.h>

#include "routines.h"

/*
 * Each entry: a routine's name (one known.c knows), its state, its length in bytes and the
 * hash of those bytes. The whole routine is hashed, up to its symbol's size, so a match is
 * its complete code, not a prefix. These are the routines of glibc 2.36 as Debian builds
 * it for armhf (Thumb-2); tests/unit/discover_test.c checks them against the cross
 * toolchain's libc and prints the line to add for one that no longer matches.
 */
static const struct fingerprint {
    const char *name;
    bool thumb;
    uint32_t len;
    uint64_t hash;
} prints[] = {
#include "routines.def"
};

uint64_t xl_routine_hash(const uint8_t *p, uint32_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

const char *xl_routine_at(const struct xl_image *img, uint32_t addr, bool thumb)
{
    uint32_t avail = 0;
    const uint8_t *p = xl_image_ptr(img, addr, &avail);
    if (!p)
        return NULL;
    for (size_t i = 0; i < sizeof(prints) / sizeof(prints[0]); i++)
        if (prints[i].thumb == thumb && prints[i].len <= avail &&
            xl_routine_hash(p, prints[i].len) == prints[i].hash)
            return prints[i].name;
    return NULL;
}
