/* Threads: a parallel reduction over NTHREADS pthreads (reduce1.c and reduce2.c define
 * NTHREADS), for the speedup from one thread to two. Each thread mixes its share of a
 * table of pseudo-random words through a 64-bit hash; the partial results meet under a
 * mutex. Self-check: each part's first round again, in the main thread (1/rounds of the
 * work, so the check hardly dilutes the speedup). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define WORDS (1u << 16)
static uint32_t table[WORDS];
static uint64_t total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static int rounds;

struct part {
    uint32_t lo, hi;
    uint64_t first;         /* the hash of round 0 */
};

static uint64_t mix(uint32_t lo, uint32_t hi, int nrounds, uint64_t *first)
{
    uint64_t sum = 0;
    for (int r = 0; r < nrounds; r++) {
        uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)r;
        for (uint32_t i = lo; i < hi; i++) {
            h ^= table[i] + (h << 6) + (h >> 2);
            h *= 0xff51afd7ed558ccdull;
        }
        if (r == 0)
            *first = h;
        sum += h;
    }
    return sum;
}

static void *worker(void *arg)
{
    struct part *p = arg;
    uint64_t s = mix(p->lo, p->hi, rounds, &p->first);
    pthread_mutex_lock(&total_lock);
    total += s;
    pthread_mutex_unlock(&total_lock);
    return NULL;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    rounds = scale * 24;
    uint32_t x = 12345;
    for (uint32_t i = 0; i < WORDS; i++) {
        x = x * 1103515245u + 12345u;
        table[i] = x;
    }
    pthread_t t[NTHREADS];
    struct part parts[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        parts[k].lo = WORDS / NTHREADS * (uint32_t)k;
        parts[k].hi = WORDS / NTHREADS * (uint32_t)(k + 1);
        if (pthread_create(&t[k], NULL, worker, &parts[k]) != 0) {
            printf("reduce: pthread_create failed\n");
            return 1;
        }
    }
    for (int k = 0; k < NTHREADS; k++)
        pthread_join(t[k], NULL);
    for (int k = 0; k < NTHREADS; k++) {
        uint64_t first;
        if (mix(parts[k].lo, parts[k].hi, 1, &first) != parts[k].first) {
            printf("reduce: self-check failed in part %d\n", k);
            return 1;
        }
    }
    printf("checksum %llu\n", (unsigned long long)total);
    return 0;
}
