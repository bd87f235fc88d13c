/* Atomics under contention: 8 threads add to shared counters with C11 atomics (8, 16, 32 and
 * 64 bits: ldrexb/h, ldrex, ldrexd), the __sync and __atomic builtins, compare-and-swap
 * loops (a maximum, a 64-bit multiply-add), exchange; a spin lock from atomic_flag guards a
 * plain two-word counter. Every old value that fetch_add returned is recorded: each one of
 * 0..total-1 must come back exactly once. All results are printed after the joins.
 * guest-repeat: 3 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NTHREADS 8
#define ITERS 20000
#define TOTAL (NTHREADS * ITERS)

static _Atomic int c11_int;
static atomic_uint_fast64_t c11_u64;         /* 64 bits on ARM: ldrexd/strexd */
static _Atomic uint16_t c11_u16;
static _Atomic uint8_t c11_u8 = 200;
static int sync_int;
static unsigned sync_bits;                   /* each thread sets and clears its own bit */
static uint64_t gnu_u64;
static long long gnu_s64 = 1ll << 40;
static unsigned cas_max;
static uint64_t cas_hash;                    /* x = x * 3 + 1, done TOTAL times by CAS */
static _Atomic unsigned xchg_slot;
static unsigned char seen[TOTAL];            /* old values of c11_int's fetch_add */
static atomic_flag spin = ATOMIC_FLAG_INIT;
static struct { unsigned lo, hi; } guarded;  /* both words change together under the lock */
static int torn;
static pthread_barrier_t start;             /* all threads begin together: contention */

static void *worker(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    unsigned long long xchg_sum = 0;
    pthread_barrier_wait(&start);
    for (unsigned i = 0; i < ITERS; i++) {
        int old = atomic_fetch_add(&c11_int, 1);
        seen[old]++;        /* old values are unique, so no two threads touch one byte */
        atomic_fetch_add_explicit(&c11_u64, 0x100000001ull, memory_order_relaxed);
        atomic_fetch_add(&c11_u16, 3);
        atomic_fetch_sub(&c11_u8, 3);
        __sync_fetch_and_add(&sync_int, 2);
        __sync_fetch_and_or(&sync_bits, 1u << id);
        __sync_fetch_and_and(&sync_bits, ~(1u << id));
        __atomic_add_fetch(&gnu_u64, 0x123456789ull, __ATOMIC_SEQ_CST);
        __atomic_fetch_sub(&gnu_s64, 7, __ATOMIC_ACQ_REL);

        unsigned cand = (id * ITERS + i) * 2654435761u % 1000003u;
        unsigned cur = __atomic_load_n(&cas_max, __ATOMIC_RELAXED);
        while (cand > cur && !__atomic_compare_exchange_n(&cas_max, &cur, cand, 1,
                                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            ;
        uint64_t h = __atomic_load_n(&cas_hash, __ATOMIC_RELAXED);
        while (!__sync_bool_compare_and_swap(&cas_hash, h, h * 3 + 1))
            h = __atomic_load_n(&cas_hash, __ATOMIC_RELAXED);

        xchg_sum += atomic_exchange(&xchg_slot, id * ITERS + i + 1);

        while (atomic_flag_test_and_set_explicit(&spin, memory_order_acquire))
            ;
        if (guarded.lo != guarded.hi)
            torn++;
        guarded.lo++;
        guarded.hi++;
        atomic_flag_clear_explicit(&spin, memory_order_release);
    }
    return (void *)(uintptr_t)xchg_sum;     /* < ITERS * TOTAL: fits in 32 bits */
}

int main(void)
{
    pthread_t t[NTHREADS];
    pthread_barrier_init(&start, NULL, NTHREADS);
    for (unsigned i = 0; i < NTHREADS; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    /* Every value stored by an exchange is read back once, by a later exchange or here. */
    unsigned long long xsum = 0;
    for (unsigned i = 0; i < NTHREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        xsum += (uintptr_t)r;
    }
    xsum += atomic_load(&xchg_slot);

    printf("c11 int %d u64 %016llx u16 %u u8 %u\n", atomic_load(&c11_int),
           (unsigned long long)atomic_load(&c11_u64), (unsigned)atomic_load(&c11_u16),
           (unsigned)atomic_load(&c11_u8));
    printf("sync int %d bits %#x\n", sync_int, sync_bits);
    printf("gnu u64 %016llx s64 %lld\n", (unsigned long long)gnu_u64, gnu_s64);

    int missing = 0, dup = 0;
    for (int i = 0; i < TOTAL; i++) {
        missing += seen[i] == 0;
        dup += seen[i] > 1;
    }
    printf("fetch_add old values: missing %d duplicated %d\n", missing, dup);

    unsigned want_max = 0;
    uint64_t want_hash = 0;
    for (unsigned v = 0; v < TOTAL; v++) {
        unsigned cand = v * 2654435761u % 1000003u;
        if (cand > want_max)
            want_max = cand;
        want_hash = want_hash * 3 + 1;
    }
    printf("cas max %u (%s) hash %016llx (%s)\n", cas_max, cas_max == want_max ? "ok" : "BAD",
           (unsigned long long)cas_hash, cas_hash == want_hash ? "ok" : "BAD");
    /* The values stored are 1..TOTAL, each read back once. */
    unsigned long long want_x = (unsigned long long)TOTAL * (TOTAL + 1) / 2;
    printf("xchg sum %llu (%s)\n", xsum, xsum == want_x ? "ok" : "BAD");
    printf("spin lock lo %u hi %u torn %d\n", guarded.lo, guarded.hi, torn);
    return 0;
}
