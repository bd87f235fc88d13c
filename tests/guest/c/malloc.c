/* malloc/realloc/free heavily: small bins, brk growth, mmap'd chunks (> 128 KiB), calloc,
 * realloc growth across the mmap threshold, posix_memalign. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static unsigned rng = 1;
static unsigned rnd(void) { return rng = rng * 1103515245u + 12345u, rng >> 8; }

static unsigned fill_check(unsigned char *p, size_t n, unsigned seed, int check)
{
    unsigned bad = 0;
    for (size_t i = 0; i < n; i += 97) {
        unsigned char v = (unsigned char)(seed + i * 13);
        if (check)
            bad += p[i] != v;
        else
            p[i] = v;
    }
    return bad;
}

int main(void)
{
    enum { SLOTS = 256 };
    unsigned char *slot[SLOTS] = { 0 };
    size_t size[SLOTS] = { 0 };
    unsigned bad = 0, allocs = 0;
    for (int it = 0; it < 6000; it++) {
        unsigned i = rnd() % SLOTS;
        if (slot[i]) {
            bad += fill_check(slot[i], size[i], i, 1);
            if (rnd() % 3 == 0) {
                size_t ns = size[i] * 2 + rnd() % 64;
                unsigned char *q = realloc(slot[i], ns);
                if (!q)
                    return 2;
                slot[i] = q;
                bad += fill_check(q, size[i], i, 1);
                size[i] = ns;
                fill_check(q, ns, i, 0);
                continue;
            }
            free(slot[i]);
            slot[i] = NULL;
        } else {
            unsigned r = rnd() % 100;
            size_t n = r < 70 ? 1 + rnd() % 200 : r < 95 ? 256 + rnd() % 8000
                                                         : 130000 + rnd() % 400000;
            slot[i] = r & 1 ? malloc(n) : calloc(1, n);
            if (!slot[i])
                return 3;
            if (!(r & 1))
                for (size_t k = 0; k < n; k += 511)
                    bad += slot[i][k] != 0;
            size[i] = n;
            allocs++;
            fill_check(slot[i], n, i, 0);
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        bad += slot[i] ? fill_check(slot[i], size[i], (unsigned)i, 1) : 0;
        free(slot[i]);
    }
    printf("allocs %u bad %u\n", allocs, bad);

    /* big blocks: mmap path, touched all over, then grown and shrunk */
    size_t big = 3u << 20;
    unsigned char *p = malloc(big);
    memset(p, 0xab, big);
    p = realloc(p, big * 2);
    memset(p + big, 0xcd, big);
    unsigned long s = 0;
    for (size_t k = 0; k < big * 2; k += 4096)
        s += p[k];
    p = realloc(p, 1000);
    printf("big sum %lu first %02x\n", s, p[999]);
    free(p);

    void *al = NULL;
    int r = posix_memalign(&al, 4096, 10000);
    printf("memalign %d aligned %d\n", r, ((uintptr_t)al & 4095) == 0);
    free(al);
    /* many small frees coalescing, then one large allocation */
    char *v[1000];
    for (int i = 0; i < 1000; i++)
        v[i] = malloc(100 + i % 50);
    for (int i = 0; i < 1000; i += 2)
        free(v[i]);
    for (int i = 1; i < 1000; i += 2)
        free(v[i]);
    char *w = malloc(90000);
    memset(w, 1, 90000);
    printf("w %d\n", w[89999]);
    free(w);
    return 0;
}
