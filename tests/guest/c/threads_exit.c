/* How a multi-threaded guest ends, each case in a child process: exit() from a thread while
 * the others wait (atexit handlers once, stdio flushed), _exit() from a thread, return from
 * main while threads run, the main thread's pthread_exit with the last thread returning or
 * calling exit(), exit_group straight from a thread, and deaths by a fault, abort() or a
 * default-action signal in one thread. Then the program itself ends the same way: main calls
 * pthread_exit and the last thread calls exit(3), which is the status checked.
 * guest-repeat: 3 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "threads.h"

static sem_t never, started;

static void *blocked(void *arg)
{
    (void)arg;
    sem_post(&started);
    sem_wait(&never);
    return NULL;
}

static void *spinning(void *arg)
{
    (void)arg;
    sem_post(&started);
    for (volatile unsigned long n = 0;; n++)
        ;
    return NULL;
}

/* Bystanders before the case itself: one blocked, and one running unless the process
 * is to end when its last thread does. */
static void bystanders(int spinner)
{
    spawn(blocked, 0);
    sem_wait(&started);
    if (spinner) {
        spawn(spinning, 0);
        sem_wait(&started);
    }
}

static void at_exit_handler(void)
{
    printf("  atexit handler ran\n");
}

static int *volatile bad_ptr;

static void *case_thread(void *arg)
{
    switch ((uintptr_t)arg) {
    case 0:
        printf("  exit(5) from a thread, unflushed line\n");
        exit(5);
    case 1:
        _exit(9);
    case 2:
        printf("  last thread returns after main's pthread_exit\n");
        return NULL;
    case 3:
        printf("  last thread calls exit(6) after main's pthread_exit\n");
        exit(6);
    case 4:
        fflush(stdout);
        syscall(SYS_exit_group, 8);
        break;
    case 5:
        fflush(stdout);
        *bad_ptr = 1;
        break;
    case 6:
        fflush(stdout);
        abort();
    case 7:
        fflush(stdout);
        pthread_kill(pthread_self(), SIGTERM);
        for (;;)
            pause();
    }
    return NULL;
}

static void *after_main(void *arg)
{
    usleep(20 * 1000);          /* main has called pthread_exit by now, most likely */
    return case_thread(arg);
}

static void run_case(const char *what, int kind)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        atexit(at_exit_handler);
        bystanders(kind != 2 && kind != 3);
        if (kind == 2 || kind == 3) {       /* main leaves first */
            sem_post(&never);               /* the bystander returns too */
            pthread_detach(spawn(after_main, kind));
            pthread_exit(NULL);
        }
        if (kind == 8) {
            printf("  main returns 12 with threads running\n");
            return;                         /* to main, which returns */
        }
        pthread_join(spawn(case_thread, kind), NULL);
        printf("  case %d: main should not get here\n", kind);
        exit(1);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st))
        printf("%s: exit %d\n", what, WEXITSTATUS(st));
    else
        printf("%s: signal %d\n", what, WIFSIGNALED(st) ? WTERMSIG(st) : -1);
}

static int parent_pid;

static void *final_thread(void *arg)
{
    (void)arg;
    usleep(20 * 1000);
    printf("the last thread exits the program with 3\n");
    exit(3);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOFBF, 4096);    /* as into a pipe or file, also on a terminal */
    sem_init(&never, 0, 0);
    sem_init(&started, 0, 0);
    parent_pid = getpid();
    run_case("exit() from a thread", 0);
    run_case("_exit() from a thread", 1);
    run_case("main's pthread_exit, last thread returns", 2);
    run_case("main's pthread_exit, last thread exit()s", 3);
    run_case("exit_group from a thread", 4);
    run_case("SIGSEGV in a thread", 5);
    run_case("abort() in a thread", 6);
    run_case("default SIGTERM sent to a thread", 7);
    run_case("return from main", 8);
    if (getpid() != parent_pid)
        return 12;                          /* case 8's child */
    spawn(final_thread, 0);
    pthread_exit(NULL);
}
