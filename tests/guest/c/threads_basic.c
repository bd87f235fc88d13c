/* Guest threads, the basics: create and join with return values and pthread_exit values;
 * __thread variables (initialised and zeroed, one copy per thread, errno among them); thread
 * ids (gettid, pthread_self, pthread_equal, getpid shared); threads creating threads; a
 * thread on a stack the program allocated and one with a small stack size; detached threads
 * synchronised by a semaphore; thread-specific data with destructors run at thread exit;
 * thread names through prctl; many create/join cycles. Printed after the joins.
 * guest-repeat: 3 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "threads.h"

#define NT 6

/* --- return values ------------------------------------------------------------------- */
static void *ret_square(void *arg)
{
    uintptr_t n = (uintptr_t)arg;
    if (n % 2)
        pthread_exit((void *)(n * n + 1000));   /* from a nested call: never returns */
    return (void *)(n * n);
}

static volatile int exit_deep = 1;     /* the compiler cannot see that the recursion ends */

static void *ret_deep(void *arg)
{
    uintptr_t n = (uintptr_t)arg;
    if (n == 0 && exit_deep)
        pthread_exit((void *)0x5eed);           /* 50 frames down */
    return n == 0 ? NULL : ret_deep((void *)(n - 1));
}

static void test_returns(void)
{
    pthread_t t[NT];
    for (int i = 0; i < NT; i++)
        t[i] = spawn(ret_square, i);
    printf("returns:");
    for (int i = 0; i < NT; i++) {
        void *r;
        int e = pthread_join(t[i], &r);
        printf(" %d:%ld", e, (long)(intptr_t)r);
    }
    void *r;
    pthread_join(spawn(ret_deep, 50), &r);
    printf(" deep:%#lx\n", (long)(intptr_t)r);
    printf("join self: %s\n", pthread_join(pthread_self(), NULL) == EDEADLK ? "EDEADLK" : "?");
}

/* --- __thread ------------------------------------------------------------------------ */
static __thread int tls_init = 42;
static __thread long long tls_big = 0x1122334455667788ll;
static __thread char tls_buf[48];
static __thread int tls_zero;
static pthread_barrier_t tls_bar;
static uintptr_t tls_addr[NT + 1];

static void *tls_worker(void *arg)
{
    int me = (int)(uintptr_t)arg;
    int ok = tls_init == 42 && tls_big == 0x1122334455667788ll && tls_zero == 0 &&
             tls_buf[0] == 0;                     /* a fresh copy, not main's modified one */
    tls_init = me * 10;
    tls_big += me;
    tls_zero = -me;
    snprintf(tls_buf, sizeof tls_buf, "thread %d", me);
    tls_addr[me] = (uintptr_t)&tls_init;
    errno = 100 + me;
    pthread_barrier_wait(&tls_bar);             /* all threads have written theirs */
    for (volatile int i = 0; i < 20000; i++)
        ;
    char want[48];
    snprintf(want, sizeof want, "thread %d", me);
    ok = ok && tls_init == me * 10 && tls_big == 0x1122334455667788ll + me && tls_zero == -me &&
         strcmp(tls_buf, want) == 0 && errno == 100 + me;
    return (void *)(uintptr_t)ok;
}

static void test_tls(void)
{
    tls_init = 7;
    tls_zero = 9;
    strcpy(tls_buf, "main");
    tls_addr[NT] = (uintptr_t)&tls_init;
    pthread_barrier_init(&tls_bar, NULL, NT);
    pthread_t t[NT];
    for (int i = 0; i < NT; i++)
        t[i] = spawn(tls_worker, i);
    int good = 0;
    for (int i = 0; i < NT; i++) {
        void *r;
        pthread_join(t[i], &r);
        good += (uintptr_t)r == 1;
    }
    int distinct = 1;
    for (int i = 0; i <= NT; i++)
        for (int j = 0; j < i; j++)
            distinct &= tls_addr[i] != tls_addr[j];
    printf("__thread: %d of %d threads saw their own copies, addresses distinct %d, "
           "main's still %d %s %d\n", good, NT, distinct, tls_init, tls_buf, tls_zero);
}

/* --- ids ----------------------------------------------------------------------------- */
static pid_t ids_tid[NT];
static pthread_t ids_self[NT];

static void *ids_worker(void *arg)
{
    int me = (int)(uintptr_t)arg;
    ids_tid[me] = (pid_t)syscall(SYS_gettid);
    ids_self[me] = pthread_self();
    return NULL;
}

static void test_ids(void)
{
    pthread_t t[NT];
    for (int i = 0; i < NT; i++)
        t[i] = spawn(ids_worker, i);
    for (int i = 0; i < NT; i++)
        pthread_join(t[i], NULL);
    pid_t pid = getpid(), main_tid = (pid_t)syscall(SYS_gettid);
    int distinct = 1, self_match = 1;
    for (int i = 0; i < NT; i++) {
        distinct &= ids_tid[i] != pid && ids_tid[i] > 0;
        for (int j = 0; j < i; j++)
            distinct &= ids_tid[i] != ids_tid[j];
        self_match &= pthread_equal(ids_self[i], t[i]) && !pthread_equal(t[i], pthread_self());
    }
    printf("ids: main tid is pid %d, thread tids distinct %d, pthread_self matches %d\n",
           main_tid == pid, distinct, self_match);
}

/* A worker's getpid() and getppid() are the process's. */
static pid_t main_pid, main_ppid;
static void *getpid_worker(void *arg)
{
    (void)arg;
    return (void *)(uintptr_t)(getpid() == main_pid && getppid() == main_ppid);
}

/* --- nested creation, own stacks --------------------------------------------------- */
static void *leaf(void *arg)
{
    return (void *)((uintptr_t)arg * 3);
}

static void *nested(void *arg)
{
    uintptr_t depth = (uintptr_t)arg;
    if (depth == 0)
        return (void *)1;
    pthread_t a = spawn(nested, depth - 1), b = spawn(leaf, depth);
    void *ra, *rb;
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    return (void *)((uintptr_t)ra + (uintptr_t)rb);
}

static char *own_stack;
#define OWN_STACK_SIZE (256 * 1024)

static void *on_own_stack(void *arg)
{
    char local[64];
    snprintf(local, sizeof local, "%s", (char *)arg);
    uintptr_t at = (uintptr_t)local;
    int inside = at > (uintptr_t)own_stack && at < (uintptr_t)own_stack + OWN_STACK_SIZE;
    return (void *)(uintptr_t)(inside * 100 + (int)strlen(local));
}

/* 256 bytes a frame, kept live below the callee (up): no tail call, no loop */
static int recurse(int n, volatile char *up)
{
    volatile char pad[256];
    pad[0] = (char)n;
    if (n == 0)
        return 0;
    return recurse(n - 1, pad) + (up[0] == (char)(n + 1));
}

static void *small_stack(void *arg)
{
    int n = (int)(uintptr_t)arg;
    volatile char top[1] = { (char)(n + 1) };
    return (void *)(uintptr_t)recurse(n, top);
}

static void test_stacks(void)
{
    void *r;
    pthread_join(spawn(nested, 5), &r);
    printf("nested creation: %lu\n", (unsigned long)(uintptr_t)r);

    pthread_attr_t a;
    pthread_attr_init(&a);
    own_stack = malloc(OWN_STACK_SIZE);
    pthread_attr_setstack(&a, own_stack, OWN_STACK_SIZE);
    pthread_join(spawn_attr(on_own_stack, (uintptr_t) "hello", &a), &r);
    printf("own stack: %lu\n", (unsigned long)(uintptr_t)r);
    pthread_attr_destroy(&a);
    free(own_stack);

    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 64 * 1024);
    pthread_join(spawn_attr(small_stack, 100, &a), &r);
    size_t sz;
    pthread_attr_getstacksize(&a, &sz);
    printf("64 KiB stack: depth %lu, size %zu\n", (unsigned long)(uintptr_t)r, sz);
    pthread_attr_destroy(&a);

    main_pid = getpid();
    main_ppid = getppid();
    pthread_join(spawn(getpid_worker, 0), &r);
    printf("getpid in a thread: %s\n", (uintptr_t)r ? "same" : "differs");
}

/* --- detached threads ----------------------------------------------------------------- */
static sem_t det_done;
static int det_results[NT];

static void *detached_worker(void *arg)
{
    int me = (int)(uintptr_t)arg;
    det_results[me] = me * me + 1;
    sem_post(&det_done);
    return NULL;
}

static void *self_detach(void *arg)
{
    pthread_detach(pthread_self());
    return detached_worker(arg);
}

static void test_detached(void)
{
    sem_init(&det_done, 0, 0);
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < NT; i++) {
        if (i % 3 == 0)
            spawn_attr(detached_worker, i, &a);
        else if (i % 3 == 1)
            spawn(self_detach, i);
        else
            pthread_detach(spawn(detached_worker, i));
    }
    pthread_attr_destroy(&a);
    for (int i = 0; i < NT; i++)
        sem_wait(&det_done);
    printf("detached:");
    for (int i = 0; i < NT; i++)
        printf(" %d", det_results[i]);
    printf("\n");
}

/* --- thread-specific data ------------------------------------------------------------- */
static pthread_key_t key;
static int destructed[NT];
static int key_ok[NT];

static void key_destructor(void *v)
{
    int *slot = v;
    __atomic_fetch_add(slot, 1, __ATOMIC_SEQ_CST);
}

static void *key_worker(void *arg)
{
    int me = (int)(uintptr_t)arg;
    key_ok[me] = pthread_getspecific(key) == NULL;
    pthread_setspecific(key, &destructed[me]);
    for (volatile int i = 0; i < 10000; i++)
        ;
    key_ok[me] &= pthread_getspecific(key) == &destructed[me];
    if (me == 0)
        pthread_setspecific(key, NULL);          /* no destructor for a NULL value */
    return NULL;
}

static void test_keys(void)
{
    pthread_key_create(&key, key_destructor);
    pthread_t t[NT];
    for (int i = 0; i < NT; i++)
        t[i] = spawn(key_worker, i);
    for (int i = 0; i < NT; i++)
        pthread_join(t[i], NULL);
    printf("keys: values");
    for (int i = 0; i < NT; i++)
        printf(" %d", key_ok[i]);
    printf(", destructors");
    for (int i = 0; i < NT; i++)
        printf(" %d", destructed[i]);
    printf("\n");
    pthread_key_delete(key);
}

/* --- names ---------------------------------------------------------------------------- */
static void *named(void *arg)
{
    char buf[16];
    pthread_setname_np(pthread_self(), arg);
    pthread_getname_np(pthread_self(), buf, sizeof buf);
    return strdup(buf);
}

static void test_names(void)
{
    void *r;
    pthread_join(spawn(named, (uintptr_t) "worker-7"), &r);
    char buf[16];
    pthread_setname_np(pthread_self(), "main-thread");
    pthread_getname_np(pthread_self(), buf, sizeof buf);
    printf("names: %s %s\n", (char *)r, buf);
    free(r);
}

/* --- churn ------------------------------------------------------------------------------ */
static void *add_one(void *arg)
{
    return (void *)((uintptr_t)arg + 1);
}

static void test_churn(void)
{
    unsigned long sum = 0;
    for (int round = 0; round < 100; round++) {
        pthread_t t[4];
        for (int i = 0; i < 4; i++)
            t[i] = spawn(add_one, round * 4 + i);
        for (int i = 0; i < 4; i++) {
            void *r;
            pthread_join(t[i], &r);
            sum += (uintptr_t)r;
        }
    }
    printf("churn: 400 threads, sum %lu\n", sum);
}

int main(void)
{
    test_returns();
    test_tls();
    test_ids();
    test_stacks();
    test_detached();
    test_keys();
    test_names();
    test_churn();
    return 0;
}
