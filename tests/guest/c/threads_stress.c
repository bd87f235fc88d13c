/* Exclusive-access contention: threads increment shared words with hand-written LDREX/STREX
 * loops (32 bits, and bytes and halfwords with LDREXB/H), LDREXD/STREXD on 64-bit words
 * with carries across the halves, words in one cache line and words far apart, mixed with
 * the compiler's own atomics on the same words; a ticket lock made of LDREX/STREX guards a
 * plain multi-word record. The inline assembly assembles as A32 and as T32. The sums are
 * exact and printed after the joins.
 * guest-repeat: 3 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NT 6
#define ITERS 30000

static void add32(volatile uint32_t *p, uint32_t v)
{
    uint32_t tmp, fail;
    __asm__ volatile("1: ldrex   %0, [%2]\n"
                     "   add     %0, %0, %3\n"
                     "   strex   %1, %0, [%2]\n"
                     "   cmp     %1, #0\n"
                     "   bne     1b\n"
                     : "=&r"(tmp), "=&r"(fail)
                     : "r"(p), "r"(v)
                     : "cc", "memory");
}

static void add16(volatile uint16_t *p, uint32_t v)
{
    uint32_t tmp, fail;
    __asm__ volatile("1: ldrexh  %0, [%2]\n"
                     "   add     %0, %0, %3\n"
                     "   strexh  %1, %0, [%2]\n"
                     "   cmp     %1, #0\n"
                     "   bne     1b\n"
                     : "=&r"(tmp), "=&r"(fail)
                     : "r"(p), "r"(v)
                     : "cc", "memory");
}

static void add8(volatile uint8_t *p, uint32_t v)
{
    uint32_t tmp, fail;
    __asm__ volatile("1: ldrexb  %0, [%2]\n"
                     "   add     %0, %0, %3\n"
                     "   strexb  %1, %0, [%2]\n"
                     "   cmp     %1, #0\n"
                     "   bne     1b\n"
                     : "=&r"(tmp), "=&r"(fail)
                     : "r"(p), "r"(v)
                     : "cc", "memory");
}

/* As the Linux kernel's atomic64_add: %Q/%R are the low/high words of a 64-bit operand,
 * %H the second register of the pair (an even/odd pair, as A32 LDREXD requires). */
static void add64(volatile uint64_t *p, uint64_t v)
{
    uint64_t tmp;
    uint32_t fail;
    __asm__ volatile("1: ldrexd  %0, %H0, [%2]\n"
                     "   adds    %Q0, %Q0, %Q3\n"
                     "   adc     %R0, %R0, %R3\n"
                     "   strexd  %1, %0, %H0, [%2]\n"
                     "   cmp     %1, #0\n"
                     "   bne     1b\n"
                     : "=&r"(tmp), "=&r"(fail)
                     : "r"(p), "r"(v)
                     : "cc", "memory");
}

/* Returns the old value; a compare-and-swap that gives up (CLREX) when it does not match. */
static uint32_t cas32(volatile uint32_t *p, uint32_t old, uint32_t new)
{
    uint32_t cur, fail;
    __asm__ volatile("1: ldrex   %0, [%2]\n"
                     "   cmp     %0, %3\n"
                     "   bne     2f\n"
                     "   strex   %1, %4, [%2]\n"
                     "   cmp     %1, #0\n"
                     "   bne     1b\n"
                     "   b       3f\n"
                     "2: clrex\n"
                     "3:\n"
                     : "=&r"(cur), "=&r"(fail)
                     : "r"(p), "r"(old), "r"(new)
                     : "cc", "memory");
    return cur;
}

/* A ticket lock: the high half of the word is the next ticket, the low half the owner. */
static void ticket_lock(volatile uint32_t *lock)
{
    uint32_t old, new, fail;
    __asm__ volatile("1: ldrex   %0, [%3]\n"
                     "   add     %1, %0, #0x10000\n"
                     "   strex   %2, %1, [%3]\n"
                     "   cmp     %2, #0\n"
                     "   bne     1b\n"
                     : "=&r"(old), "=&r"(new), "=&r"(fail)
                     : "r"(lock)
                     : "cc", "memory");
    uint32_t ticket = old >> 16;
    for (unsigned spins = 0; (*lock & 0xffff) != ticket; spins++)
        if (spins > 100)
            sched_yield();          /* more threads than cores: let the owner run */
    __asm__ volatile("dmb ish" ::: "memory");
}

static void ticket_unlock(volatile uint32_t *lock)
{
    __asm__ volatile("dmb ish" ::: "memory");
    add32(lock, 1);                 /* the owner half; never carries into the ticket half */
}

static struct {
    volatile uint32_t near[4];      /* one cache line */
    volatile uint16_t h;
    volatile uint8_t b;
    volatile uint64_t d __attribute__((aligned(8)));
} line __attribute__((aligned(64)));
static volatile uint32_t far[4][64] __attribute__((aligned(64)));
static volatile uint64_t far64[2][16] __attribute__((aligned(64)));
static volatile uint32_t cas_counter;
static volatile uint32_t lock;
static struct {
    uint32_t a, b, c;
    uint64_t sum;
} record;
static unsigned torn;
static pthread_barrier_t start;

static void *worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg;
    int mine_asm = me % 2 == 0;     /* the odd threads use the compiler's atomics */
    pthread_barrier_wait(&start);
    for (unsigned i = 0; i < ITERS; i++) {
        for (int k = 0; k < 4; k++) {
            if (mine_asm)
                add32(&line.near[k], k + 1);
            else
                __atomic_fetch_add(&line.near[k], k + 1, __ATOMIC_SEQ_CST);
        }
        add32(&far[i % 4][0], 1);
        add16(&line.h, 3);
        add8(&line.b, 5);
        if (mine_asm)
            add64(&line.d, 0x180000001ull);
        else
            __atomic_fetch_add(&line.d, 0x180000001ull, __ATOMIC_SEQ_CST);
        add64(&far64[i % 2][0], me + 1);

        uint32_t cur = cas_counter, seen;
        while ((seen = cas32(&cas_counter, cur, cur + 1)) != cur)
            cur = seen;

        if (i % 8 == 0) {
            ticket_lock(&lock);
            if (record.a != record.b || record.b != record.c)
                torn++;
            record.a++;
            record.b++;
            record.c++;
            record.sum += me;
            ticket_unlock(&lock);
        }
    }
    return NULL;
}

int main(void)
{
    pthread_t t[NT];
    pthread_barrier_init(&start, NULL, NT);
    for (unsigned i = 0; i < NT; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    for (unsigned i = 0; i < NT; i++)
        pthread_join(t[i], NULL);

    uint64_t n = (uint64_t)NT * ITERS;
    printf("near %u %u %u %u (want %llu..%llu)\n", line.near[0], line.near[1], line.near[2],
           line.near[3], (unsigned long long)n, (unsigned long long)(4 * n));
    printf("far %u %u %u %u\n", far[0][0], far[1][0], far[2][0], far[3][0]);
    printf("half %u (want %llu) byte %u (want %llu)\n", line.h, (unsigned long long)(n * 3 % 65536),
           line.b, (unsigned long long)(n * 5 % 256));
    printf("dword %016llx (want %016llx)\n", (unsigned long long)line.d,
           (unsigned long long)(n * 0x180000001ull));
    uint64_t want_far64 = 0;
    for (unsigned me = 0; me < NT; me++)
        want_far64 += (uint64_t)(me + 1) * ITERS / 2;
    printf("far dwords %llu %llu (want %llu each)\n", (unsigned long long)far64[0][0],
           (unsigned long long)far64[1][0], (unsigned long long)want_far64);
    printf("cas %u\n", cas_counter);
    uint32_t rounds = NT * ((ITERS + 7) / 8);
    printf("ticket lock: a %u b %u c %u (want %u) sum %llu torn %u, lock word %08x\n", record.a,
           record.b, record.c, rounds, (unsigned long long)record.sum, torn, lock);
    return 0;
}
