/* fork and exec in a multi-threaded guest: forks while other threads run guest code (the
 * child has only the forking thread, keeps its TLS and pthread_self, can start threads of
 * its own; pthread_atfork handlers run on both sides); fork from a thread that is not the
 * main one; one thread waits for a child that another thread forked; system() from a
 * thread; execve of a host program from a thread and from the main thread while other
 * threads run (the kernel ends them). Children's output comes before the parent's next line.
 * guest-repeat: 3 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "threads.h"

static const char *status(int st)
{
    static char buf[32];
    if (WIFEXITED(st))
        snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, sizeof buf, "signal %d", WTERMSIG(st));
    else
        snprintf(buf, sizeof buf, "status %#x", st);
    return buf;
}

static __thread int my_id = -1;
static int prepared, in_parent, in_child;
static void at_prepare(void) { prepared++; }
static void at_parent(void) { in_parent++; }
static void at_child(void) { in_child++; }

/* --- fork while other threads run ---------------------------------------------------- */
#define BUSY 3
static volatile int stop;
static unsigned long busy_count[BUSY];

static void *busy(void *arg)
{
    int me = (int)(uintptr_t)arg;
    my_id = 100 + me;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED))
        __atomic_fetch_add(&busy_count[me], 1, __ATOMIC_RELAXED);
    return (void *)(uintptr_t)my_id;
}

static void *child_thread(void *arg)
{
    return (void *)((uintptr_t)arg * 2);
}

/* The busy threads are still running during both fork tests. */
static pthread_t busy_t[BUSY];

static void test_fork_busy(void)
{
    for (int i = 0; i < BUSY; i++)
        busy_t[i] = spawn(busy, i);
    pthread_t self = pthread_self();
    int ok = 0;
    for (int round = 0; round < 10; round++) {
        fflush(stdout);
        int before = in_child;
        pid_t pid = fork();
        if (pid < 0) {
            printf("fork: %s\n", strerror(errno));
            exit(1);
        }
        if (pid == 0) {
            /* Only this thread is here: the busy threads' counters no longer move. (The
             * child starts no thread here: qemu-arm 7.2 aborts on a new thread in a child
             * forked by an older thread than the others; the next test does it.) */
            unsigned long c0 = busy_count[0];
            for (volatile int i = 0; i < 2000; i++)
                ;
            int same = c0 == busy_count[0] && pthread_equal(pthread_self(), self) &&
                       my_id == 0 && in_child == before + 1;
            if (round == 0)
                printf("child: alone with main's TLS and pthread_self %d\n", same);
            fflush(stdout);
            _exit(same ? 10 + round : 1);
        }
        int st;
        waitpid(pid, &st, 0);
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 10 + round;
    }
    printf("fork with %d busy threads: %d of 10 children right\n", BUSY, ok);
    printf("atfork: prepare %d parent %d child %d (in the parent)\n", prepared, in_parent,
           in_child);
}

/* --- fork from a thread ---------------------------------------------------------------- */
static void *forking_thread(void *arg)
{
    my_id = (int)(uintptr_t)arg;
    pthread_t self = pthread_self();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        unsigned long c0 = busy_count[0];
        int same = pthread_equal(pthread_self(), self) && my_id == (int)(uintptr_t)arg;
        uintptr_t r = join(spawn(child_thread, 21));
        printf("child of thread %d: same thread %d, own thread returned %lu, "
               "busy threads gone %d\n", my_id, same, (unsigned long)r, c0 == busy_count[0]);
        fflush(stdout);
        exit(7);        /* exit, not _exit: atexit and stdio work in a child of a thread */
    }
    int st;
    waitpid(pid, &st, 0);
    return (void *)(uintptr_t)st;
}

static void test_fork_from_thread(void)
{
    int st = (int)join(spawn(forking_thread, 5));
    printf("fork from a thread: child %s\n", status(st));
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    int ids = 0;
    for (int i = 0; i < BUSY; i++)
        ids += join(busy_t[i]) == (uintptr_t)(100 + i);
    printf("busy threads joined after the forks: %d\n", ids);
}

/* --- a thread waits for another thread's child ------------------------------------------ */
static pid_t other_child;
static sem_t forked;

static void *waiter(void *arg)
{
    (void)arg;
    sem_wait(&forked);
    int st;
    pid_t r = waitpid(other_child, &st, 0);
    return (void *)(uintptr_t)(r == other_child ? st : -1);
}

static void test_wait_other(void)
{
    sem_init(&forked, 0, 0);
    pthread_t t = spawn(waiter, 0);
    int p[2];
    pipe(p);
    fflush(stdout);
    other_child = fork();
    if (other_child == 0) {
        char c;
        close(p[1]);
        _exit(read(p[0], &c, 1) == 0 ? 33 : 1);     /* until the parent closes the pipe */
    }
    close(p[0]);
    sem_post(&forked);
    close(p[1]);
    int st = (int)join(t);
    printf("waitpid in a thread for the main thread's child: %s\n", status(st));
}

/* --- system() and exec from threads ------------------------------------------------------- */
static void *system_thread(void *arg)
{
    fflush(stdout);
    return (void *)(uintptr_t)system(arg);
}

static sem_t never;

static void *idle(void *arg)
{
    (void)arg;
    sem_wait(&never);
    return NULL;
}

static void *spin(void *arg)
{
    (void)arg;
    for (;;)
        __atomic_fetch_add(&busy_count[0], 1, __ATOMIC_RELAXED);
    return NULL;
}

static void *exec_thread(void *arg)
{
    fflush(stdout);
    execl("/bin/sh", "sh", "-c", arg, "sh", "ok", (char *)0);
    printf("execl: %s\n", strerror(errno));
    fflush(stdout);
    _exit(99);
}

static void test_exec(void)
{
    int st = (int)join(spawn(system_thread, (uintptr_t) "echo system in a thread; exit 3"));
    printf("system() from a thread: %s\n", status(st));

    sem_init(&never, 0, 0);
    for (int from_main = 0; from_main < 2; from_main++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            spawn(idle, 0);
            spawn(spin, 0);
            const char *cmd = from_main ? "echo exec from the main thread: $1; exit 5"
                                        : "echo exec from a thread: $1; exit 4";
            if (from_main)
                exec_thread((void *)cmd);
            join(spawn(exec_thread, (uintptr_t)cmd));    /* never returns */
            _exit(98);
        }
        waitpid(pid, &st, 0);
        printf("exec with other threads running (%s): %s\n",
               from_main ? "main thread" : "a thread", status(st));
    }
}

int main(void)
{
    my_id = 0;
    pthread_atfork(at_prepare, at_parent, at_child);
    test_fork_busy();
    test_fork_from_thread();
    test_wait_other();
    test_exec();
    return 0;
}
