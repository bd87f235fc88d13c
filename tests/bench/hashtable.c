/* A hash table: open addressing with linear probing and tombstones, u32 keys, insert, lookup
 * (hits and misses) and delete, rebuilt every round. Self-check: the keys are a bijective
 * mix of 0..M-1, so they are distinct and the expected counts and sums are closed forms:
 * after inserting i < M and deleting the even i, looking up i < 2M finds exactly the odd
 * i < M, whose values sum to M*M/4 * 3 + M/2 (value = 3i + 1). */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

enum { M = 1 << 15, CAP = 1 << 16 };    /* load factor 1/2 */
#define EMPTY 0xffffffffu
#define TOMB 0xfffffffeu

struct slot { uint32_t key, val; };
static struct slot tab[CAP];
static uint64_t probes;

/* A bijection of u32 (each step is invertible), so distinct inputs give distinct keys.
   main checks that no key used is one of the two reserved ones. */
static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static uint32_t slot_of(uint32_t key)
{
    return (key * 2654435769u) >> 16;   /* CAP = 2^16 */
}

static void insert(uint32_t key, uint32_t val)
{
    uint32_t i = slot_of(key), tomb = EMPTY;
    for (;; i = (i + 1) & (CAP - 1)) {
        probes++;
        uint32_t k = tab[i].key;
        if (k == key) {
            tab[i].val = val;
            return;
        }
        if (k == TOMB && tomb == EMPTY)
            tomb = i;
        if (k == EMPTY)
            break;
    }
    if (tomb != EMPTY)
        i = tomb;
    tab[i].key = key, tab[i].val = val;
}

static struct slot *find(uint32_t key)
{
    for (uint32_t i = slot_of(key);; i = (i + 1) & (CAP - 1)) {
        probes++;
        if (tab[i].key == key)
            return &tab[i];
        if (tab[i].key == EMPTY)
            return NULL;
    }
}

static void erase(uint32_t key)
{
    struct slot *s = find(key);
    if (s)
        s->key = TOMB;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    uint64_t sum = 0;
    for (int r = 0; r < scale * 2; r++) {
        uint32_t base = (uint32_t)r * 2 * M;    /* every round new keys */
        for (uint32_t i = 0; i < CAP; i++)
            tab[i].key = EMPTY;
        for (uint32_t i = 0; i < M; i++) {
            uint32_t key = mix(base + i);
            if (key == EMPTY || key == TOMB) {
                printf("hashtable: key %u of round %d is reserved; change mix\n", i, r);
                return 1;
            }
            insert(key, 3 * i + 1);
        }
        for (uint32_t i = 0; i < M; i += 2)
            erase(mix(base + i));
        uint64_t found = 0, vsum = 0;
        for (uint32_t i = 0; i < 2 * M; i++) {
            const struct slot *s = find(mix(base + i));
            if (s)
                found++, vsum += s->val;
        }
        uint64_t want_vsum = 3ull * (M / 2) * (M / 2) + M / 2;
        if (found != M / 2 || vsum != want_vsum) {
            printf("hashtable: self-check failed: round %d: found %llu keys (want %u), "
                   "values sum %llu (want %llu)\n", r, (unsigned long long)found, M / 2,
                   (unsigned long long)vsum, (unsigned long long)want_vsum);
            return 1;
        }
        sum = sum * 31 + probes;
    }
    printf("checksum %016llx\n", (unsigned long long)sum);
    return 0;
}
