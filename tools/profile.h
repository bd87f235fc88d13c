/*
 * Reading the block counts that `xlate run --profile FILE` writes (runtime/profile.c), for
 * `xlate IN -o OUT --profile FILE` (docs/aot.md, "Profiles").
 */
#ifndef XL_TOOLS_PROFILE_H
#define XL_TOOLS_PROFILE_H

#include <stddef.h>
#include <stdint.h>

struct xl_image;

struct profile_block {
    uint32_t key;               /* guest address as img has it | thumb */
    uint64_t count;             /* executions */
};

struct profile {
    struct profile_block *b;    /* sorted by key */
    size_t n;
};

/*
 * The blocks that FILE counted in the module whose content is in_path's (its SHA-256 in
 * hex: in_hash), at img's addresses (img loaded from in_path and rebased as it will run).
 * 0, or -1 with a one-line reason in err (unreadable, not a profile, no module of that
 * content).
 */
int profile_read(const char *file, const char *in_path, const char *in_hash,
                 const struct xl_image *img, struct profile *out, char *err, size_t errlen);
void profile_free(struct profile *p);

/* Executions counted at keys in [start, end) of one state (thumb: 0 or 1). */
uint64_t profile_count_in(const struct profile *p, uint32_t start, uint32_t end, int thumb);

#endif
