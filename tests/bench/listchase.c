/* Memory: pointer chasing through a shuffled linked list larger than the caches.
 * Self-check: step s visits the node at list position s mod N, so the same sum comes out of
 * an array walked in order (no pointers). */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

struct node { struct node *next; uint32_t val; uint32_t pad[2]; };

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    enum { N = 1 << 19 };
    struct node *nodes = malloc(N * sizeof(*nodes));
    uint32_t *perm = malloc(N * sizeof(*perm));
    uint32_t x = 12345;
    for (uint32_t i = 0; i < N; i++)
        perm[i] = i;
    for (uint32_t i = N - 1; i > 0; i--) {
        x = x * 1664525u + 1013904223u;
        uint32_t j = x % (i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (uint32_t i = 0; i < N; i++) {
        nodes[perm[i]].next = &nodes[perm[(i + 1) % N]];
        nodes[perm[i]].val = i * 7;
    }
    uint64_t sum = 0;
    struct node *p = &nodes[perm[0]];
    for (long s = 0; s < scale * 30000L; s++) {
        sum += p->val;
        p->val ^= (uint32_t)s;
        p = p->next;
    }
    uint32_t *val = malloc(N * sizeof(*val));
    for (uint32_t i = 0; i < N; i++)
        val[i] = i * 7;
    uint64_t want = 0;
    for (long s = 0; s < scale * 30000L; s++) {
        want += val[s % N];
        val[s % N] ^= (uint32_t)s;
    }
    if (sum != want) {
        printf("listchase: self-check failed: %llu, the array walk says %llu\n",
               (unsigned long long)sum, (unsigned long long)want);
        return 1;
    }
    printf("checksum %016llx\n", (unsigned long long)sum);
    return 0;
}
