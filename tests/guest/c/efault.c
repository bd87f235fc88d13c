/* Bad pointers given to syscalls get EFAULT, as on Linux, whether the kernel or the
 * translator's own conversion code touches them first. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void check(const char *what, long r)
{
    printf("%-14s %ld %s\n", what, r, r < 0 && errno == EFAULT ? "EFAULT" : strerror(errno));
    errno = 0;
}

int main(void)
{
    /* Below the lowest mapping, and a page that was mapped and is not any more. */
    void *bad = (void *)16, *wild = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(wild, 4096);
    int p[2];
    pipe(p);
    write(p[1], "data", 4);
    check("read", syscall(SYS_read, p[0], bad, 4));
    check("clock_gettime", syscall(SYS_clock_gettime, CLOCK_REALTIME, bad));
    check("gettimeofday", syscall(SYS_gettimeofday, wild, NULL));
    check("fstat64", syscall(SYS_fstat64, 1, bad));
    check("stat64", syscall(SYS_stat64, bad, bad));
    check("uname", syscall(SYS_uname, wild));
    check("sigprocmask", syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad, NULL, 8));
    check("sigaction", syscall(SYS_rt_sigaction, SIGUSR1, wild, NULL, 8));
    check("execve", syscall(SYS_execve, "/bin/true", bad, NULL));
    check("writev", syscall(SYS_writev, 1, bad, 2));
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    check("wait4", syscall(SYS_wait4, pid, bad, 0, NULL));
    check("wait again", syscall(SYS_wait4, pid, NULL, 0, NULL));
    printf("still alive\n");
    return 0;
}
