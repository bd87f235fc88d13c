/* The older calls still in the EABI table, by number: 16-bit ids, struct stat and statfs
 * of 32-bit words, getdents, truncate/ftruncate, fcntl with the 32-bit struct flock,
 * sendfile with a 32-bit offset, utimes/futimesat, creat, the old signal calls
 * (sigaction, sigprocmask, sigpending), nice, setrlimit, adjtimex; and the calls whose
 * 64-bit arguments sit in register pairs (readahead, arm_fadvise64_64,
 * arm_sync_file_range) or as two words (preadv/pwritev). Where qemu-arm answers otherwise
 * than Linux (setfsuid16 of -1, nice's result, SIG_SETMASK and the real-time signals,
 * sigsuspend, sendfile at 2 GiB), syscalls_linux.c has the checks. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int err(long r) { return r < 0 ? errno : 0; }

/* arch/arm/include/uapi/asm/stat.h */
struct old_stat {
    uint32_t dev, ino;
    uint16_t mode, nlink, uid, gid;
    uint32_t rdev, size, blksize, blocks, atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
    uint32_t unused[2];
};
struct old_statfs { uint32_t type, bsize, blocks, bfree, bavail, files, ffree, fsid[2],
                    namelen, frsize, flags, spare[4]; };
struct old_sigaction { uint32_t handler, mask, flags, restorer; };
struct flock32 { short type, whence; int32_t start, len, pid; };

static volatile int got;
static void on_usr1(int s) { got = s; }

static void ids(void)
{
    long u = syscall(SYS_getuid), g = syscall(SYS_getgid), eu = syscall(SYS_geteuid);
    printf("getuid16 %d getgid16 %d geteuid16 %d\n", u == (getuid() > 65535 ? 65534 : (long)getuid()),
           g == (getgid() > 65535 ? 65534 : (long)getgid()), eu == syscall(SYS_getuid));
    uint16_t r, e, s;
    printf("getresuid16 %ld same %d\n", syscall(SYS_getresuid, &r, &e, &s), r == u && e == eu);
    /* (u16)-1 leaves an id as it is */
    printf("setresuid16 keep %ld\n", syscall(SYS_setresuid, 0xffff, 0xffff, 0xffff));
    printf("setreuid16 keep %ld uid %d\n", syscall(SYS_setreuid, 0xffff, 0xffff),
           syscall(SYS_getuid) == u);
    long n = syscall(SYS_getgroups, 0, NULL);
    uint16_t gl[256];
    printf("getgroups16 count %d\n", n == getgroups(0, NULL));
    printf("getgroups16 %d\n", n <= 256 && syscall(SYS_getgroups, 256, gl) == n);
    if (n > 1)
        printf("getgroups16 short %d\n", err(syscall(SYS_getgroups, 1, gl)));
}

static void files(void)
{
    int fd = syscall(SYS_creat, "old.tmp", 0640);
    printf("creat %d\n", fd >= 0);
    printf("write %d\n", (int)write(fd, "hello world", 11));
    printf("ftruncate %ld truncate %ld neg %d\n", syscall(SYS_ftruncate, fd, 8),
           syscall(SYS_truncate, "old.tmp", 5), err(syscall(SYS_truncate, "old.tmp", -1)));
    struct old_stat st, lst, fst;
    struct stat64 ref;
    stat64("old.tmp", &ref);
    printf("stat %ld lstat %ld fstat %ld\n", syscall(SYS_stat, "old.tmp", &st),
           syscall(SYS_lstat, "old.tmp", &lst), syscall(SYS_fstat, fd, &fst));
    printf("size %u mode %o nlink %u ino %d dev %d same %d\n", st.size, st.mode, st.nlink,
           st.ino == (uint32_t)ref.st_ino, st.dev == (uint32_t)ref.st_dev,
           memcmp(&st, &fst, sizeof(st)) == 0 && st.mtime == (uint32_t)ref.st_mtime);
    printf("stat missing %d\n", err(syscall(SYS_stat, "no.such", &st)));
    struct old_statfs sf, fsf;
    struct statfs64 rsf;
    statfs64(".", &rsf);
    long r1 = syscall(SYS_statfs, ".", &sf), r2 = syscall(SYS_fstatfs, fd, &fsf);
    printf("statfs %d fstatfs %d\n", r1 == 0 || errno == EOVERFLOW, r2 == 0 || errno == EOVERFLOW);
    if (r1 == 0)
        printf("statfs type %d bsize %d namelen %u\n", sf.type == (uint32_t)rsf.f_type,
               sf.bsize == (uint32_t)rsf.f_bsize, sf.namelen);

    /* fcntl (not fcntl64) with F_SETLK/F_GETLK and the 32-bit struct flock */
    struct flock32 fl = { F_WRLCK, SEEK_SET, 1, 2, 0 };
    printf("fcntl setlk %ld\n", syscall(SYS_fcntl, fd, 6 /* F_SETLK */, &fl));
    fl = (struct flock32){ F_WRLCK, SEEK_SET, 0, 10, 0 };
    printf("fcntl getlk %ld type %d (own lock)\n", syscall(SYS_fcntl, fd, 5, &fl), fl.type);
    printf("fcntl getlk64 %d\n", err(syscall(SYS_fcntl, fd, 12, &fl)));
    printf("fcntl getfl %lo\n", syscall(SYS_fcntl, fd, F_GETFL) & O_ACCMODE);

    /* utimes and futimesat, 32-bit timevals */
    struct timeval tv[2] = { { 1000000000, 5 }, { 1200000000, 7 } };
    printf("utimes %ld\n", syscall(SYS_utimes, "old.tmp", tv));
    stat64("old.tmp", &ref);
    printf("mtime %ld atime %ld\n", (long)ref.st_mtime, (long)ref.st_atime);
    tv[1].tv_sec = 1300000000;
    printf("futimesat %ld\n", syscall(SYS_futimesat, AT_FDCWD, "old.tmp", tv));
    stat64("old.tmp", &ref);
    printf("mtime %ld\n", (long)ref.st_mtime);
    tv[0].tv_usec = 2000000;
    printf("utimes bad usec %d\n", err(syscall(SYS_utimes, "old.tmp", tv)));
    close(fd);

    /* sendfile with a 32-bit off_t */
    fd = open("old.tmp", O_RDWR | O_TRUNC);
    write(fd, "0123456789", 10);
    int p[2];
    pipe2(p, O_NONBLOCK);
    int32_t off = 3;
    printf("sendfile %ld off %d\n", syscall(SYS_sendfile, p[1], fd, &off, 4), off);
    char buf[16] = { 0 };
    read(p[0], buf, sizeof(buf) - 1);
    printf("sent %s\n", buf);
    off = 0x7ffffff0;
    printf("sendfile to 2G %ld\n", syscall(SYS_sendfile, p[1], fd, &off, 0x20));
    close(p[0]);
    close(p[1]);

    /* readahead(fd, pad, offset lo/hi, count), arm_fadvise64_64(fd, advice, offset, len),
       sync_file_range2(fd, flags, offset, nbytes): glibc places the pairs */
    printf("readahead %ld\n", syscall(SYS_readahead, fd, 0, 0, 0, 4096));
    printf("fadvise %d bad %d\n", posix_fadvise(fd, 0, 1 << 20, POSIX_FADV_SEQUENTIAL),
           posix_fadvise(fd, 0, 10, 99));
    printf("sync_file_range %d bad %d\n", sync_file_range(fd, 0, 10, SYNC_FILE_RANGE_WRITE),
           err(sync_file_range(fd, -1, 10, 0)));

    /* preadv/pwritev: offset as two words; beyond 4 GiB the high word matters */
    char a[4] = "abc", b[4] = "def", x[4] = { 0 }, y[4] = { 0 };
    struct iovec wv[2] = { { a, 3 }, { b, 3 } }, rv[2] = { { x, 3 }, { y, 3 } };
    off64_t big = (5LL << 30) + 7;
    printf("pwritev %d\n", (int)pwritev64(fd, wv, 2, big));
    printf("preadv %d %s %s\n", (int)preadv64(fd, rv, 2, big), x, y);
    printf("size %lld\n", (long long)lseek64(fd, 0, SEEK_END));
    printf("preadv bad count %d\n", err(syscall(SYS_preadv, fd, rv, 1025, 0, 0)));
    close(fd);
    unlink("old.tmp");
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* getdents: the 32-bit linux_dirent, d_type in the record's last byte */
static void dents(void)
{
    mkdir("dents.d", 0755);
    close(creat("dents.d/one", 0644));
    close(creat("dents.d/two-longer-name", 0644));
    mkdir("dents.d/sub", 0755);
    int fd = open("dents.d", O_RDONLY | O_DIRECTORY);
    char buf[4096], *names[16];
    int n = 0, calls = 0;
    long r;
    /* a small buffer: several calls, each giving what fits */
    while ((r = syscall(SYS_getdents, fd, buf, 48)) > 0 && calls++ < 16) {
        for (long o = 0; o < r;) {
            uint16_t reclen;
            memcpy(&reclen, buf + o + 8, 2);
            char *name = buf + o + 10;
            if (strcmp(name, ".") && strcmp(name, "..") && n < 16) {
                char *s = malloc(64);
                snprintf(s, 64, "%s:%d", name, buf[o + reclen - 1]);
                names[n++] = s;
            }
            o += reclen;
        }
    }
    printf("getdents end %ld entries %d\n", r, n);
    qsort(names, (size_t)n, sizeof(names[0]), by_name);
    for (int i = 0; i < n; i++)
        printf("  %s\n", names[i]);
    printf("getdents tiny %d\n", err(syscall(SYS_getdents, fd, buf, 8)));
    lseek(fd, 0, SEEK_SET);
    printf("getdents tiny at start %d\n", err(syscall(SYS_getdents, fd, buf, 8)));
    close(fd);
    unlink("dents.d/one");
    unlink("dents.d/two-longer-name");
    rmdir("dents.d/sub");
    rmdir("dents.d");
}

static void signals(void)
{
    struct old_sigaction sa = { (uint32_t)(uintptr_t)on_usr1, 1u << (SIGUSR2 - 1), 0, 0 }, old;
    printf("sigaction %ld\n", syscall(SYS_sigaction, SIGUSR1, &sa, NULL));
    printf("sigaction read %ld handler %d mask %x\n", syscall(SYS_sigaction, SIGUSR1, NULL, &old),
           old.handler == sa.handler, old.mask);
    uint32_t set = 1u << (SIGUSR1 - 1), oset = 0, pend = 0;
    printf("sigprocmask block %ld\n", syscall(SYS_sigprocmask, SIG_BLOCK, &set, &oset));
    raise(SIGUSR1);
    printf("got %d\n", got);
    printf("sigpending %ld usr1 %d\n", syscall(SYS_sigpending, &pend), (pend >> (SIGUSR1 - 1)) & 1);
    sigset_t full;
    sigprocmask(SIG_SETMASK, NULL, &full);
    printf("rt mask has usr1 %d\n", sigismember(&full, SIGUSR1));
    printf("sigprocmask unblock %ld old %x\n", syscall(SYS_sigprocmask, SIG_UNBLOCK, &set, &oset),
           oset);
    printf("got %d\n", got);
    printf("sigprocmask bad how %d\n", err(syscall(SYS_sigprocmask, 99, &set, NULL)));
}

static void misc(void)
{
    printf("nice %d prio %d\n", syscall(SYS_nice, 0) >= 0, getpriority(PRIO_PROCESS, 0));
    printf("nice +3 %d prio %d\n", syscall(SYS_nice, 3) >= 0, getpriority(PRIO_PROCESS, 0));
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    uint32_t w[2] = { (uint32_t)rl.rlim_cur - 1, (uint32_t)rl.rlim_max };
    printf("setrlimit %ld\n", syscall(SYS_setrlimit, RLIMIT_NOFILE, w));
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("nofile lowered %d\n", rl.rlim_cur == w[0]);
    w[0] = w[1] = 0xffffffffu;      /* infinity, for a limit that allows it */
    getrlimit(RLIMIT_CORE, &rl);
    if (rl.rlim_max == RLIM_INFINITY)
        printf("setrlimit core inf %ld\n", syscall(SYS_setrlimit, RLIMIT_CORE, w));
    uint32_t tx[32] = { 0 };        /* struct timex, modes 0: read only */
    printf("adjtimex %d\n", syscall(SYS_adjtimex, tx) >= 0);
    printf("adjtimex tick %d\n", tx[11] > 0);
    struct timespec ts = { 0, 0 };
    printf("clock_settime monotonic %d\n", err(syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts)));
    printf("sched_rr_get_interval %ld\n", syscall(SYS_sched_rr_get_interval, 0, &ts));
    printf("personality %lx\n", syscall(SYS_personality, 0xffffffffUL));
}

int main(void)
{
    ids();
    files();
    dents();
    signals();
    misc();
    return 0;
}
