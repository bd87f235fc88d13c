/* Newer calls that pass to the host or convert little: scheduling (setscheduler,
 * setparam, sched_getattr/setattr), xattrs, pidfds and close_range, capget/capset, kcmp,
 * file handles, vmsplice, membarrier, clock_adjtime, prctl (name, parent-death signal),
 * and in namespaces of its own (as root; a forked child, so that nothing
 * outlives it): sethostname, and mount/umount2 of a tmpfs. (PR_GET_TID_ADDRESS, which
 * qemu-arm refuses, is in syscalls_linux.c.) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

static int err(long r) { return r < 0 ? errno : 0; }

struct sched_attr32 {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};

static void sched(void)
{
    struct sched_param sp = { 0 };
    printf("getscheduler %d\n", sched_getscheduler(0));
    printf("setscheduler %d\n", sched_setscheduler(0, SCHED_OTHER, &sp));
    printf("setparam %d getparam %d prio %d\n", sched_setparam(0, &sp), sched_getparam(0, &sp),
           sp.sched_priority);
    printf("setscheduler fifo 0 %d\n", err(sched_setscheduler(0, SCHED_FIFO, &sp)));
    struct sched_attr32 at;
    memset(&at, 0, sizeof(at));
    printf("getattr %ld size %u policy %u\n", syscall(SYS_sched_getattr, 0, &at, sizeof(at), 0),
           at.size, at.policy);
    printf("setattr %ld\n", syscall(SYS_sched_setattr, 0, &at, 0));
    struct timespec ts;
    printf("rr_interval %d\n", sched_rr_get_interval(0, &ts));
    cpu_set_t set;
    printf("getaffinity %d\n", sched_getaffinity(0, sizeof(set), &set));
}

static void xattrs(void)
{
    int fd = open("xattr.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
    long r = setxattr("xattr.tmp", "user.k", "value", 5, 0);
    printf("setxattr %d\n", err(r));
    if (r == 0) {
        char buf[64] = { 0 };
        printf("getxattr %d %s\n", (int)getxattr("xattr.tmp", "user.k", buf, sizeof(buf)), buf);
        printf("getxattr size %d\n", (int)lgetxattr("xattr.tmp", "user.k", NULL, 0));
        printf("fsetxattr %d create again %d\n", fsetxattr(fd, "user.j", "x", 1, 0),
               err(fsetxattr(fd, "user.j", "y", 1, XATTR_CREATE)));
        int n = (int)flistxattr(fd, buf, sizeof(buf));
        int users = 0;
        for (int o = 0; o < n; o += (int)strlen(buf + o) + 1)
            users += strncmp(buf + o, "user.", 5) == 0;
        printf("flistxattr users %d\n", users);
        printf("removexattr %d fremovexattr %d missing %d\n", removexattr("xattr.tmp", "user.k"),
               fremovexattr(fd, "user.j"), err(getxattr("xattr.tmp", "user.k", buf, 64)));
    }
    close(fd);
    unlink("xattr.tmp");
}

static volatile int got;
static void on_sig(int s) { got = s; }

static void pidfds(void)
{
    int pfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    printf("pidfd_open %d\n", pfd >= 0);
    signal(SIGUSR2, on_sig);
    printf("pidfd_send_signal probe %ld\n", syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0));
    printf("pidfd_send_signal %ld", syscall(SYS_pidfd_send_signal, pfd, SIGUSR2, NULL, 0));
    printf(" got %d\n", got);
    int fd = (int)syscall(SYS_pidfd_getfd, pfd, 1, 0);
    printf("pidfd_getfd %d\n", fd > 2);
    int d = dup(fd);
    printf("kcmp same file %ld\n", syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, fd, d));
    printf("close_range cloexec %ld flags %d\n",
           syscall(SYS_close_range, fd, d, CLOSE_RANGE_CLOEXEC), fcntl(d, F_GETFD));
    printf("close_range %ld closed %d\n", syscall(SYS_close_range, fd, d, 0),
           err(fcntl(d, F_GETFD)));
    close(pfd);
}

static void misc(void)
{
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct c[2];
    printf("capget %ld capset same %ld\n", syscall(SYS_capget, &h, c), syscall(SYS_capset, &h, c));

    int fd = open("handle.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
    struct { struct file_handle h; unsigned char b[128]; } fh = { { 128, 0 }, { 0 } };
    int mnt;
    long r = name_to_handle_at(AT_FDCWD, "handle.tmp", &fh.h, &mnt, 0);
    printf("name_to_handle_at %d\n", err(r));
    if (r == 0) {
        int hfd = open_by_handle_at(fd, &fh.h, O_RDONLY);
        struct stat a, b;
        fstat(fd, &a);
        fstat(hfd, &b);
        printf("open_by_handle_at %d same %d\n", err(hfd), hfd >= 0 && a.st_ino == b.st_ino);
        close(hfd);
    }
    close(fd);
    unlink("handle.tmp");

    int p[2];
    pipe(p);
    char a[] = "vm", b[] = "splice", buf[16] = { 0 };
    struct iovec iov[2] = { { a, 2 }, { b, 6 } };
    printf("vmsplice %d", (int)vmsplice(p[1], iov, 2, 0));
    printf(" read %d %s\n", (int)read(p[0], buf, sizeof(buf)), buf);
    close(p[0]);
    close(p[1]);

    printf("membarrier query %d\n", syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0) >= 0);
    struct timex tx = { 0 };
    printf("clock_adjtime %d tick %d\n", clock_adjtime(CLOCK_REALTIME, &tx) >= 0, tx.tick > 0);

    char name[16] = { 0 };
    printf("pr_set_name %d", prctl(PR_SET_NAME, "xl-test"));
    printf(" get %d %s\n", prctl(PR_GET_NAME, name), name);
    int sig = -1;
    printf("pdeathsig %d", prctl(PR_SET_PDEATHSIG, SIGRTMIN + 3));
    printf(" get %d %d\n", prctl(PR_GET_PDEATHSIG, &sig), sig == SIGRTMIN + 3);
    prctl(PR_SET_PDEATHSIG, 0);
}

/* A child in new UTS and mount namespaces: its hostname and mounts are its own. */
static void namespaces(void)
{
    pid_t c = fork();
    if (c == 0) {
        if (unshare(CLONE_NEWUTS | CLONE_NEWNS) != 0) {
            printf("(no namespaces)\n");
            _exit(0);
        }
        struct utsname u;
        printf("sethostname %d", sethostname("xlate-guest", 11));
        uname(&u);
        printf(" %s\n", u.nodename);
        /* nothing mounted here may reach the parent's mount namespace */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
            _exit(0);
        mkdir("mnt.d", 0755);
        printf("mount %d\n", mount("none", "mnt.d", "tmpfs", MS_NOSUID, "size=64k"));
        int fd = open("mnt.d/f", O_CREAT | O_WRONLY, 0644);
        printf("write in tmpfs %d\n", (int)write(fd, "x", 1));
        close(fd);
        printf("umount2 busy %d\n", err(umount2("mnt.d", MNT_EXPIRE)));
        printf("umount2 %d\n", umount2("mnt.d", 0));
        printf("gone %d\n", err(access("mnt.d/f", F_OK)));
        rmdir("mnt.d");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("child %d\n", WEXITSTATUS(st));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sched();
    xattrs();
    pidfds();
    misc();
    namespaces();
    return 0;
}
