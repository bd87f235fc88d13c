/* pthread synchronisation between guest threads: a mutex-protected counter (normal,
 * recursive and error-checking mutexes, trylock from another thread), condition-variable
 * ping-pong between two threads, a barrier over several rounds, a bounded buffer with POSIX
 * semaphores, pthread_once from many threads, a reader-writer lock, and the timed waits
 * that must time out (futex with a timeout). Everything printed is exact.
 * guest-repeat: 3 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NT 8

#include "threads.h"

/* --- mutexes ------------------------------------------------------------------------- */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rec;
static long long mu_counter;
static unsigned mu_words[4];          /* updated together: a torn update shows inside */
static unsigned rec_count;            /* under rec */

static void *mutex_worker(void *arg)
{
    unsigned bad = 0;
    for (int i = 0; i < 5000; i++) {
        pthread_mutex_lock(&mu);
        mu_counter += (uintptr_t)arg + 1;
        for (int k = 1; k < 4; k++)
            bad += mu_words[k] != mu_words[0];
        for (int k = 0; k < 4; k++)
            mu_words[k]++;
        pthread_mutex_unlock(&mu);
        if (i % 64 == 0) {
            pthread_mutex_lock(&rec);
            pthread_mutex_lock(&rec);       /* recursive: the owner may lock again */
            rec_count++;
            pthread_mutex_unlock(&rec);
            pthread_mutex_unlock(&rec);
        }
    }
    return (void *)(uintptr_t)bad;
}

static void *try_other(void *arg)
{
    int r = pthread_mutex_trylock(arg);
    if (r == 0)
        pthread_mutex_unlock(arg);
    return (void *)(uintptr_t)r;
}

static void *timed_other(void *arg)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    return (void *)(uintptr_t)pthread_mutex_timedlock(arg, &ts);
}

static void test_mutex(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &a);
    pthread_t t[NT];
    for (int i = 0; i < NT; i++)
        t[i] = spawn(mutex_worker, i);
    unsigned bad = 0;
    for (int i = 0; i < NT; i++)
        bad += join(t[i]);
    printf("mutex: counter %lld words %u %u %u %u torn %u, recursive %u\n", mu_counter,
           mu_words[0], mu_words[1], mu_words[2], mu_words[3], bad, rec_count);

    /* held here: another thread's trylock fails, and succeeds once it is released */
    pthread_mutex_lock(&mu);
    int busy = (int)join(spawn(try_other, (uintptr_t)&mu));
    pthread_mutex_unlock(&mu);
    int free_ = (int)join(spawn(try_other, (uintptr_t)&mu));
    printf("trylock from another thread: held %s, free %s\n", busy == EBUSY ? "EBUSY" : "?",
           free_ == 0 ? "ok" : "?");

    pthread_mutex_t ec;
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&ec, &a);
    pthread_mutex_lock(&ec);
    int relock = pthread_mutex_lock(&ec);
    pthread_mutex_unlock(&ec);
    int unlock2 = pthread_mutex_unlock(&ec);
    printf("errorcheck: relock %s, unlock unowned %s\n", relock == EDEADLK ? "EDEADLK" : "?",
           unlock2 == EPERM ? "EPERM" : "?");

    pthread_mutex_lock(&mu);
    int tl = (int)join(spawn(timed_other, (uintptr_t)&mu));
    pthread_mutex_unlock(&mu);
    printf("timedlock from another thread: %s\n", tl == ETIMEDOUT ? "ETIMEDOUT" : strerror(tl));
    pthread_mutexattr_destroy(&a);
}

/* --- condition variable ping-pong ----------------------------------------------------- */
#define ROUNDS 2000
static pthread_mutex_t pp_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cv = PTHREAD_COND_INITIALIZER;
static int turn, ball;              /* turn: whose move (0 or 1); ball: moves so far */
static unsigned pp_trace[2];

static void *pinger(void *arg)
{
    int me = (int)(uintptr_t)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&pp_mu);
        while (turn != me)
            pthread_cond_wait(&pp_cv, &pp_mu);
        pp_trace[me] = pp_trace[me] * 31 + ball;
        ball++;
        turn = !me;
        pthread_cond_signal(&pp_cv);
        pthread_mutex_unlock(&pp_mu);
    }
    return NULL;
}

static void test_condvar(void)
{
    pthread_t a = spawn(pinger, 0), b = spawn(pinger, 1);
    join(a);
    join(b);
    unsigned want[2] = { 0, 0 };
    for (int i = 0; i < 2 * ROUNDS; i++)
        want[i & 1] = want[i & 1] * 31 + i;
    printf("condvar ping-pong: %d moves, traces %s\n", ball,
           pp_trace[0] == want[0] && pp_trace[1] == want[1] ? "alternate" : "BAD");

    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += 10 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_t cv;
    pthread_cond_init(&cv, &ca);
    pthread_mutex_lock(&pp_mu);
    int r = pthread_cond_timedwait(&cv, &pp_mu, &ts);
    pthread_mutex_unlock(&pp_mu);
    printf("cond_timedwait with nobody signalling: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "?");
}

/* --- barrier --------------------------------------------------------------------------- */
#define BT 4
#define BROUNDS 50
static pthread_barrier_t bar;
static unsigned slots[BT];
static int serial_count;

static void *barrier_worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg, bad = 0;
    for (unsigned r = 0; r < BROUNDS; r++) {
        slots[me] = r * 100 + me;
        if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD)
            __atomic_fetch_add(&serial_count, 1, __ATOMIC_RELAXED);
        for (unsigned k = 0; k < BT; k++)        /* everyone's write of this round is seen */
            bad += slots[k] != r * 100 + k;
        pthread_barrier_wait(&bar);             /* nobody writes the next round early */
    }
    return (void *)(uintptr_t)bad;
}

static void test_barrier(void)
{
    pthread_barrier_init(&bar, NULL, BT);
    pthread_t t[BT];
    for (int i = 0; i < BT; i++)
        t[i] = spawn(barrier_worker, i);
    unsigned bad = 0;
    for (int i = 0; i < BT; i++)
        bad += join(t[i]);
    pthread_barrier_destroy(&bar);
    printf("barrier: %d rounds, %u stale reads, serial thread %d times\n", BROUNDS, bad,
           serial_count);
}

/* --- semaphores: bounded buffer --------------------------------------------------------- */
#define QSIZE 8
#define ITEMS 3000
#define PRODUCERS 3
#define CONSUMERS 3
static sem_t q_empty, q_full;
static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned queue[QSIZE], q_head, q_tail;

static void *producer(void *arg)
{
    unsigned base = (unsigned)(uintptr_t)arg * ITEMS;
    for (unsigned i = 1; i <= ITEMS; i++) {
        sem_wait(&q_empty);
        pthread_mutex_lock(&q_mu);
        queue[q_tail++ % QSIZE] = base + i;
        pthread_mutex_unlock(&q_mu);
        sem_post(&q_full);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    unsigned long long sum = 0;
    for (unsigned i = 0; i < ITEMS * PRODUCERS / CONSUMERS; i++) {
        while (sem_wait(&q_full) != 0)
            ;
        pthread_mutex_lock(&q_mu);
        sum += queue[q_head++ % QSIZE];
        pthread_mutex_unlock(&q_mu);
        sem_post(&q_empty);
    }
    return (void *)(uintptr_t)sum;      /* below 2^32 with these sizes */
}

static void test_semaphores(void)
{
    sem_init(&q_empty, 0, QSIZE);
    sem_init(&q_full, 0, 0);
    pthread_t p[PRODUCERS], c[CONSUMERS];
    for (int i = 0; i < CONSUMERS; i++)
        c[i] = spawn(consumer, i);
    for (int i = 0; i < PRODUCERS; i++)
        p[i] = spawn(producer, i);
    unsigned long long sum = 0;
    for (int i = 0; i < PRODUCERS; i++)
        join(p[i]);
    for (int i = 0; i < CONSUMERS; i++)
        sum += join(c[i]);
    unsigned long long n = ITEMS * PRODUCERS;
    int ve, vf;
    sem_getvalue(&q_empty, &ve);
    sem_getvalue(&q_full, &vf);
    printf("semaphores: sum %llu (want %llu), empty %d full %d\n", sum, n * (n + 1) / 2, ve, vf);

    int r = sem_trywait(&q_full);
    printf("sem_trywait on 0: %d %s\n", r, errno == EAGAIN ? "EAGAIN" : "?");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 10 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    r = sem_timedwait(&q_full, &ts);
    printf("sem_timedwait on 0: %d %s\n", r, errno == ETIMEDOUT ? "ETIMEDOUT" : "?");
    sem_destroy(&q_empty);
    sem_destroy(&q_full);
}

/* --- pthread_once ------------------------------------------------------------------------ */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs, once_value;
static pthread_barrier_t once_bar;

static void once_init(void)
{
    once_runs++;
    for (volatile int i = 0; i < 100000; i++)   /* the others wait for it to finish */
        ;
    once_value = 1234;
}

static void *once_worker(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&once_bar);
    pthread_once(&once, once_init);
    return (void *)(uintptr_t)once_value;       /* never the value before init */
}

static void test_once(void)
{
    pthread_barrier_init(&once_bar, NULL, NT);
    pthread_t t[NT];
    for (int i = 0; i < NT; i++)
        t[i] = spawn(once_worker, i);
    unsigned good = 0;
    for (int i = 0; i < NT; i++)
        good += join(t[i]) == 1234;
    printf("pthread_once: init ran %d time(s), %u of %d threads saw its result\n", once_runs,
           good, NT);
}

/* --- reader-writer lock ------------------------------------------------------------------- */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static unsigned rw_a, rw_b;         /* a writer keeps them equal */

static void *rw_worker(void *arg)
{
    unsigned me = (unsigned)(uintptr_t)arg, bad = 0;
    for (int i = 0; i < 3000; i++) {
        if (me % 4 == 0) {
            pthread_rwlock_wrlock(&rw);
            rw_a++;
            rw_b++;
            pthread_rwlock_unlock(&rw);
        } else {
            pthread_rwlock_rdlock(&rw);
            bad += rw_a != rw_b;
            pthread_rwlock_unlock(&rw);
        }
    }
    return (void *)(uintptr_t)bad;
}

static void *rw_try(void *arg)
{
    (void)arg;
    return (void *)(uintptr_t)pthread_rwlock_trywrlock(&rw);
}

static void test_rwlock(void)
{
    pthread_t t[NT];
    for (int i = 0; i < NT; i++)
        t[i] = spawn(rw_worker, i);
    unsigned bad = 0;
    for (int i = 0; i < NT; i++)
        bad += join(t[i]);
    pthread_rwlock_rdlock(&rw);
    int busy = (int)join(spawn(rw_try, 0));
    pthread_rwlock_unlock(&rw);
    printf("rwlock: a %u b %u inconsistent reads %u, trywrlock under a reader %s\n", rw_a,
           rw_b, bad, busy == EBUSY ? "EBUSY" : "?");
}

int main(void)
{
    test_mutex();
    test_condvar();
    test_barrier();
    test_semaphores();
    test_once();
    test_rwlock();
    return 0;
}
