/* Threads: a producer/consumer queue, for the speedup from one thread to two (queue1.c and
 * queue2.c define NTHREADS). An item is a block of BLOCK words (32 KiB): the producer fills
 * it from a pseudo-random generator (a 32-bit LCG with a multiply-xorshift output mix), the
 * consumer hashes it (MurmurHash3's 32-bit block loop) and folds the hash, in FIFO order,
 * into the checksum; the two loops cost about the same natively. The queue is a bounded
 * ring of SLOTS items under a pthread mutex with two condition variables (not full, not
 * empty); items are made and hashed in place, so each item's data crosses from one core to
 * the other. With NTHREADS 1 one thread fills the ring and then empties it, ringful by
 * ringful; with NTHREADS 2 a producer thread and a consumer thread run at once and sleep on
 * the condition variables when the ring is full or empty. Both make, queue and hash the
 * same items in the same order, so the output is the same. Self-check: the consumer checks
 * each item's sequence number (none lost, repeated or out of order), and the main thread
 * makes and hashes every CHECK_EVERY-th item again without the queue (1/64 of the work). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BLOCK 8192              /* words an item */
#define SLOTS 8                 /* the ring's capacity, in items */
#define ITEMS_PER_SCALE 150
#define CHECK_EVERY 64

struct item {
    uint32_t seq;
    uint32_t words[BLOCK];
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_full, not_empty;
    unsigned head, count;       /* the oldest item's slot; items in the ring */
    int closed;                 /* the producer is done */
    struct item slot[SLOTS];
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
        0, 0, 0, {{0, {0}}} };

static unsigned nitems, consumed;
static uint32_t *hashes;        /* each item's hash, by sequence number */
static uint64_t checksum;
static int out_of_order;

/* A slot belongs to the producer while it is free and to the consumer while it holds an
 * item, so items are made and hashed in place and the lock guards only head, count and
 * closed.
 * A side that finds the ring full (empty) sleeps until it is half empty (half full) again,
 * or closed: one wake-up for every SLOTS/2 items instead of one an item. */

/* The producer's next slot, once there is room. */
static struct item *reserve(void)
{
    pthread_mutex_lock(&q.lock);
    if (q.count == SLOTS) {
        do
            pthread_cond_wait(&q.not_full, &q.lock);
        while (q.count > SLOTS / 2);
    }
    struct item *it = &q.slot[(q.head + q.count) % SLOTS];
    pthread_mutex_unlock(&q.lock);
    return it;
}

/* The reserved slot holds an item: it is the consumer's. */
static void push(void)
{
    pthread_mutex_lock(&q.lock);
    if (++q.count == SLOTS / 2)
        pthread_cond_signal(&q.not_empty);
    pthread_mutex_unlock(&q.lock);
}

/* No more items: wakes a consumer that waits for the ring to fill to half. */
static void close_queue(void)
{
    pthread_mutex_lock(&q.lock);
    q.closed = 1;
    pthread_cond_signal(&q.not_empty);
    pthread_mutex_unlock(&q.lock);
}

/* The oldest item, once there is one; NULL when the ring is empty and closed. */
static struct item *front(void)
{
    pthread_mutex_lock(&q.lock);
    while (q.count == 0 && !q.closed) {
        do
            pthread_cond_wait(&q.not_empty, &q.lock);
        while (q.count < SLOTS / 2 && !q.closed);
    }
    struct item *it = q.count ? &q.slot[q.head] : NULL;
    pthread_mutex_unlock(&q.lock);
    return it;
}

/* The consumer is done with the oldest item: its slot is the producer's again. */
static void pop(void)
{
    pthread_mutex_lock(&q.lock);
    q.head = (q.head + 1) % SLOTS;
    if (--q.count == SLOTS / 2)
        pthread_cond_signal(&q.not_full);
    pthread_mutex_unlock(&q.lock);
}

static void make(uint32_t seq, struct item *it)
{
    uint32_t x = seq * 0x9e3779b9u;
    it->seq = seq;
    for (int i = 0; i < BLOCK; i++) {
        x = x * 1664525u + 1013904223u;
        uint32_t z = x ^ (x >> 16);
        z *= 0x85ebca6bu;
        z ^= z >> 13;
        z *= 0xc2b2ae35u;
        it->words[i] = z ^ (z >> 16);
    }
}

static uint32_t rotl(uint32_t v, int r)
{
    return v << r | v >> (32 - r);
}

/* MurmurHash3_x86_32 of the words (little-endian bytes), seeded with the sequence number. */
static uint32_t hash(const struct item *it)
{
    uint32_t h = it->seq;
    for (int i = 0; i < BLOCK; i++) {
        uint32_t k = it->words[i] * 0xcc9e2d51u;
        k = rotl(k, 15) * 0x1b873593u;
        h ^= k;
        h = rotl(h, 13) * 5 + 0xe6546b64u;
    }
    h ^= BLOCK * 4;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    return h ^ (h >> 16);
}

/* Items must arrive as they were made: 0, 1, 2, ... */
static void consume(const struct item *it)
{
    if (it->seq != consumed || consumed >= nitems) {
        out_of_order = 1;
        return;
    }
    uint32_t h = hash(it);
    hashes[consumed++] = h;
    checksum = checksum * 0x100000001b3ull + h;
}

static void *producer(void *arg)
{
    (void)arg;
    for (uint32_t s = 0; s < nitems; s++) {
        make(s, reserve());
        push();
    }
    close_queue();
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    struct item *it;
    while ((it = front())) {
        consume(it);
        pop();
    }
    return NULL;
}

/* Both roles on one thread: a ringful made and queued, then taken and hashed. */
static void *both(void *arg)
{
    (void)arg;
    for (uint32_t base = 0; base < nitems; base += SLOTS) {
        uint32_t end = nitems - base < SLOTS ? nitems : base + SLOTS;
        for (uint32_t s = base; s < end; s++) {
            make(s, reserve());
            push();
        }
        for (uint32_t s = base; s < end; s++) {
            consume(front());
            pop();
        }
    }
    close_queue();
    if (front())
        out_of_order = 1;       /* not reached: the ring is empty */
    return NULL;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    nitems = (unsigned)scale * ITEMS_PER_SCALE;
    hashes = calloc(nitems ? nitems : 1, sizeof *hashes);
    if (!hashes) {
        printf("queue: out of memory\n");
        return 1;
    }
    void *(*role[2])(void *) = { producer, consumer };
    if (NTHREADS == 1)
        role[0] = both;
    pthread_t t[NTHREADS];
    for (int k = 0; k < NTHREADS; k++) {
        if (pthread_create(&t[k], NULL, role[k], NULL) != 0) {
            printf("queue: pthread_create failed\n");
            return 1;
        }
    }
    for (int k = 0; k < NTHREADS; k++)
        pthread_join(t[k], NULL);
    if (out_of_order || consumed != nitems) {
        printf("queue: self-check failed: %u of %u items taken in order\n", consumed, nitems);
        return 1;
    }
    static struct item again;
    for (uint32_t s = 0; s < nitems; s += CHECK_EVERY) {
        make(s, &again);
        if (hash(&again) != hashes[s]) {
            printf("queue: self-check failed at item %u\n", (unsigned)s);
            return 1;
        }
    }
    printf("checksum %llu\n", (unsigned long long)checksum);
    return 0;
}
