/* getpid/getppid/uid relations and uname (machine must be armv7l). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sys/syscall.h>

int main(void)
{
    pid_t p = getpid();
    printf("pid positive %d stable %d tid==pid %d ppid differs %d\n", p > 0, p == getpid(),
           (pid_t)syscall(SYS_gettid) == p, getppid() != p);
    printf("uid==euid %d gid==egid %d\n", getuid() == geteuid(), getgid() == getegid());
    struct utsname u;
    printf("uname %d\n", uname(&u));
    printf("sysname %s\nmachine %s\n", u.sysname, u.machine);
    printf("release nonempty %d\n", strlen(u.release) > 0);
    long ps = sysconf(_SC_PAGESIZE);
    printf("pagesize %ld\n", ps);
    char cwd[4096];
    printf("getcwd ok %d\n", getcwd(cwd, sizeof(cwd)) != NULL && cwd[0] == '/');
    return 0;
}
