/*
 * `xlate IN -o OUT --profile FILE`: the block counts of FILE (tools/profile.h), one section
 * per process of the profiled run, each with its own module numbers; the counts of a block
 * in several sections add up. A line that does not parse is an error naming its number: a
 * truncated or edited profile should not quietly raise less than it says.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifter/image/image.h"
#include "tools/profile.h"

static int cmp_block(const void *a, const void *b)
{
    uint32_t x = ((const struct profile_block *)a)->key, y = ((const struct profile_block *)b)->key;
    return x < y ? -1 : x > y;
}

static int push(struct profile *p, size_t *cap, uint32_t key, uint64_t count)
{
    if (p->n == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        struct profile_block *b = realloc(p->b, c * sizeof *b);
        if (!b)
            return -1;
        p->b = b;
        *cap = c;
    }
    p->b[p->n++] = (struct profile_block){ key, count };
    return 0;
}

int profile_read(const char *file, const char *in_path, const char *in_hash,
                 const struct xl_image *img, struct profile *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, errlen, "profile %s: %s", file, strerror(errno));
        return -1;
    }
    uint64_t lo, hi;
    xl_image_span(img, &lo, &hi);
    char line[4352];
    unsigned lineno = 0, mine = ~0u;    /* in_path's module's index in this section */
    bool any_module = false, found = false;
    size_t cap = 0;
    int rc = -1;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        unsigned idx;
        uint32_t start, off;
        uint64_t count;
        char hash[65];
        int end = 0;
        if (strcmp(line, "xlate-profile 1\n") == 0) {
            mine = ~0u;                 /* a section: module numbers start again */
        } else if (lineno == 1) {
            snprintf(err, errlen, "profile %s: not a profile of xlate run --profile", file);
            goto out;
        } else if (line[0] == '#' || line[0] == '\n') {
            continue;
        } else if (sscanf(line, "module %u 0x%" SCNx32 " %64s %n", &idx, &start, hash, &end) == 3
                   && end) {
            any_module = true;
            if (mine == ~0u && strcmp(hash, in_hash) == 0)
                mine = idx, found = true;
        } else if (sscanf(line, "block %u 0x%" SCNx32 " %" SCNu64 "%n", &idx, &off, &count,
                          &end) == 3 && (line[end] == '\n' || line[end] == '\0')) {
            if (idx == mine && push(out, &cap, (uint32_t)(lo + off), count) != 0) {
                snprintf(err, errlen, "out of memory");
                goto out;
            }
        } else {
            snprintf(err, errlen, "profile %s: line %u is not a module or block line", file,
                     lineno);
            goto out;
        }
    }
    if (ferror(f) || lineno == 0) {
        snprintf(err, errlen, "profile %s: %s", file, lineno ? "read error" : "empty");
        goto out;
    }
    if (!found) {
        snprintf(err, errlen, "profile %s has no counts of %s (%s)", file, in_path,
                 any_module ? "it was made from other programs or another build of it"
                            : "nothing ran in a module");
        goto out;
    }
    if (out->n)
        qsort(out->b, out->n, sizeof *out->b, cmp_block);
    rc = 0;
out:
    fclose(f);
    if (rc)
        profile_free(out);
    return rc;
}

void profile_free(struct profile *p)
{
    free(p->b);
    memset(p, 0, sizeof *p);
}

uint64_t profile_count_in(const struct profile *p, uint32_t start, uint32_t end, int thumb)
{
    size_t lo = 0, hi = p->n;           /* the first key >= start */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->b[mid].key < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint64_t sum = 0;
    for (size_t i = lo; i < p->n && p->b[i].key < end; i++)
        if ((int)(p->b[i].key & 1) == thumb)
            sum += p->b[i].count;
    return sum;
}
