/* execve of ARM programs (itself through /proc/self/exe and through its path, a `#!` script
 * whose interpreter is itself), of host programs and host scripts, with argv, envp and open
 * descriptors carried over; and the errors Linux gives. qemu-arm cannot exec an ARM program
 * without binfmt_misc, so the expected output is exec.expected. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int child(int argc, char **argv)
{
    printf("child:");
    bool fd = argc > 2 && strcmp(argv[1], "fd") == 0;
    for (int i = 1; i < argc && !fd; i++)    /* the descriptor's number is the runtime's */
        printf(" [%s]", argv[i]);
    const char *foo = getenv("FOO"), *want = getenv("ENV_COUNT");
    int n = 0;
    for (char **e = environ; *e; e++)
        n++;
    printf(" FOO=%s", foo ? foo : "(unset)");
    if (want)       /* the parent's environment, unchanged */
        printf(" env %s", atoi(want) == n ? "same" : "differs");
    else
        printf(" env=%d", n);
    if (fd) {
        int fd = atoi(argv[2]);
        printf(" wrote %d", (int)write(fd, "via inherited fd", 16));
    }
    printf("\n");
    return 5;
}

/* Runs fn in a child, waits, prints its exit status. */
static void run(const char *what, void (*fn)(const char *), const char *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn(arg);
        printf("%s: exec failed: %s\n", what, strerror(errno));
        fflush(stdout);
        _exit(99);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("%s: status %d\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

static char self[4096];
static void exec_proc_self(const char *a) { execl("/proc/self/exe", "again", "child", a, (char *)0); }
static void exec_path(const char *a) { execl(self, "bypath", "child", a, (char *)0); }
static void exec_env(const char *a)
{
    char *env[] = { "FOO=bar", "X=1", NULL };
    execle(self, "withenv", "child", a, (char *)0, env);
}
static void exec_script(const char *a) { execl(a, "script-argv0", "one", "two", (char *)0); }
static void exec_host(const char *a) { execl("/bin/sh", "sh", "-c", a, (char *)0); }
static void exec_fail(const char *a) { execl(a, a, (char *)0); }

static void write_file(const char *name, const char *text, mode_t mode)
{
    FILE *f = fopen(name, "w");
    fputs(text, f);
    fclose(f);
    chmod(name, mode);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return child(argc - 1, argv + 1);
    if (!realpath(argv[0], self))
        return 1;
    int n = 1;
    for (char **e = environ; *e; e++)
        n++;
    char count[16];
    snprintf(count, sizeof count, "%d", n);
    setenv("ENV_COUNT", count, 1);
    run("/proc/self/exe", exec_proc_self, "a b");
    run("own path", exec_path, "x");
    run("envp", exec_env, "e");

    int p[2];
    pipe(p);
    char fdarg[16];
    snprintf(fdarg, sizeof fdarg, "%d", p[1]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        execl(self, "fd", "child", "fd", fdarg, (char *)0);
        _exit(99);
    }
    close(p[1]);
    char buf[64] = { 0 };
    int st;
    waitpid(pid, &st, 0);
    printf("parent read '%.*s'\n", (int)read(p[0], buf, sizeof buf - 1), buf);

    char text[4200];
    snprintf(text, sizeof text, "#!%s child\n", self);
    write_file("arm-script", text, 0755);
    run("arm script", exec_script, "./arm-script");
    write_file("host-script", "#!/bin/sh\necho host script \"$0\" \"$1\" \"$2\"\nexit 3\n", 0755);
    run("host script", exec_script, "./host-script");
    run("host program", exec_host, "echo host sh; exit 4");

    write_file("garbage", "\x01\x02 not a program\n", 0755);
    run("garbage", exec_fail, "./garbage");
    write_file("noexec", "#!/bin/sh\n", 0644);
    run("not executable", exec_fail, "./noexec");
    run("missing", exec_fail, "./missing");
    run("directory", exec_fail, ".");
    return 0;
}
