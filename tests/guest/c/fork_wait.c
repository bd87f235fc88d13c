/* Processes: fork with a pipe, exit statuses and signal deaths through wait4/waitpid/waitid,
 * vfork, clone with a new stack, a two-process pipeline into a host program, system(),
 * popen() and posix_spawn(); WNOHANG and ECHILD. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void show(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by %d\n", what, WTERMSIG(st));
    else
        printf("%s: status %#x\n", what, st);
}

static int counter = 10;

static int clone_child(void *arg)
{
    counter += *(int *)arg;     /* the child's copy: the parent's stays 10 */
    return counter;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2], st;
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        counter = 99;
        dprintf(p[1], "child says %d\n", counter);
        _exit(3);
    }
    close(p[1]);
    char buf[128] = { 0 };
    read(p[0], buf, sizeof buf - 1);
    close(p[0]);
    struct rusage ru;
    pid_t w = wait4(pid, &st, 0, &ru);
    printf("%sparent still %d, wait4 same %d, rusage sane %d\n", buf, counter, w == pid,
           ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec < 1000000);
    show("fork", st);

    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGKILL);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    show("SIGKILL", st);

    pid = fork();
    if (pid == 0) {
        abort();
    }
    waitpid(pid, &st, 0);
    show("abort", st);

    pid = vfork();
    if (pid == 0)
        _exit(12);
    waitpid(pid, &st, 0);
    show("vfork", st);

    /* clone without CLONE_VM, on a stack of its own. */
    static char stack[64 * 1024] __attribute__((aligned(16)));
    int add = 5;
    pid = clone(clone_child, stack + sizeof stack, SIGCHLD, &add);
    waitpid(pid, &st, 0);
    show("clone", st);
    printf("counter after clone %d\n", counter);

    /* waitid with WNOHANG before the child is done, then for real. */
    int go[2];
    pipe(go);
    pid = fork();
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(7);
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PID, pid, &si, WEXITED | WNOHANG);
    printf("waitid WNOHANG: %d pid %d\n", r, si.si_pid);
    write(go[1], "x", 1);
    r = waitid(P_PID, pid, &si, WEXITED);
    printf("waitid: %d same %d code %s status %d\n", r, si.si_pid == pid,
           si.si_code == CLD_EXITED ? "CLD_EXITED" : "?", si.si_status);
    r = waitpid(-1, &st, WNOHANG);
    printf("no children left: %d %s\n", r, errno == ECHILD ? "ECHILD" : "?");

    /* A pipeline: an ARM child writes, a host program (sort) reads. */
    int q[2];
    pipe(q);
    pid_t a = fork();
    if (a == 0) {
        dup2(q[1], 1);
        close(q[0]);
        close(q[1]);
        printf("pear\napple\nfig\n");
        fflush(stdout);
        _exit(0);
    }
    pid_t b = fork();
    if (b == 0) {
        dup2(q[0], 0);
        close(q[0]);
        close(q[1]);
        execlp("sort", "sort", (char *)0);
        _exit(127);
    }
    close(q[0]);
    close(q[1]);
    waitpid(a, &st, 0);
    waitpid(b, &st, 0);
    show("pipeline", st);

    r = system("echo from system; exit 4");
    show("system", r);
    FILE *f = popen("echo one; echo two", "r");
    while (fgets(buf, sizeof buf, f))
        printf("popen: %s", buf);
    show("pclose", pclose(f));

    char *args[] = { "echo", "spawned", NULL };
    r = posix_spawnp(&pid, "echo", NULL, NULL, args, environ);
    waitpid(pid, &st, 0);
    printf("posix_spawnp %d\n", r);
    show("spawn", st);
    return 0;
}
