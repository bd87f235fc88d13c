/*
 * File syscalls: open, seek, read/write vectors, stat and statfs (ARM layouts from conv.c,
 * the old 32-bit ones from conv_old.c), getdents, ioctl, fcntl, readlink (/proc/self/exe
 * is the guest program), uname, utimensat, truncate, the calls with 64-bit offsets in
 * register pairs (EABI puts each in an even/odd pair: r2:r3 or r4:r5), fanotify.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../lifter/ir/xl_log.h"
#include "bytes.h"
#include "conv_old.h"
#include "sys_internal.h"

SYSCALL(sys_openat)
{
    const char *path = gp(a[1]);
    int flags = rt_open_flags_to_host(a[2]);
    int fd = path[0] == '/' ? rt_proc_self_open(rt, path, flags, (int)a[3]) : RT_PROC_HOST;
    if (fd != RT_PROC_HOST)
        return fd;
    char buf[PATH_MAX];
    int64_t r = RT_BLOCK(SYS_openat, si(a[0]), sys_path(rt, a[1], buf), flags, a[3]);
    if (r >= 0)
        rt_libcache_opened(rt, cpu->r[15], (int)r);
    return r;
}

SYSCALL(sys_open)
{
    uint32_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], a[2] };
    return sys_openat(rt, cpu, b);
}

SYSCALL(sys_lseek)
{
    off_t r = lseek(si(a[0]), (off_t)si(a[1]), si(a[2]));
    if (r < 0)
        return -errno;
    return r > INT32_MAX ? -EOVERFLOW : r;
}

SYSCALL(sys_llseek)
{
    off_t r = lseek(si(a[0]), (off_t)pair(a[2], a[1]), si(a[4]));
    if (r < 0)
        return -errno;
    int64_t v = r;
    memcpy(gp(a[3]), &v, 8);
    return 0;
}

SYSCALL(sys_pread64)
{
    /* EABI: the 64-bit offset sits in the even/odd pair r4:r5 (r3 is padding). */
    return RT_BLOCK(SYS_pread64, si(a[0]), gp(a[1]), a[2], (off_t)pair(a[4], a[5]));
}

SYSCALL(sys_pwrite64)
{
    return ret(pwrite(si(a[0]), gp(a[1]), a[2], (off_t)pair(a[4], a[5])));
}

int64_t sys_iov_in(struct rt_thread *rt, uint32_t p, uint32_t n, struct iovec *out)
{
    if (n > SYS_MAX_IOV)
        return -EINVAL;
    if (!sys_gok(rt, p, 8ull * n, RT_PROT_R))
        return -EFAULT;
    rt_iov_to_host(gp(p), n, out);
    return 0;
}

/* readv, writev; preadv, pwritev (offset in r3 low, r4 high: two longs, not a pair);
   preadv2, pwritev2 (and flags in r5). An offset of -1 is the file position. */
enum rw { RW_V, RW_PV, RW_PV2 };

static int64_t rw_iov(struct rt_thread *rt, const uint32_t *a, bool write, enum rw kind)
{
    if (si(a[2]) < 0)
        return -EINVAL;
    struct iovec iov[SYS_MAX_IOV];
    int64_t r = sys_iov_in(rt, a[1], a[2], iov);
    if (r < 0)
        return r;
    int fd = si(a[0]), n = si(a[2]);
    off_t off = (off_t)pair(a[3], a[4]);
    switch (kind) {
    case RW_V: return RT_BLOCK(write ? SYS_writev : SYS_readv, fd, iov, n);
    /* x86-64's pos_l holds the whole offset, pos_h is 0 */
    case RW_PV: return RT_BLOCK(write ? SYS_pwritev : SYS_preadv, fd, iov, n, off, 0);
    case RW_PV2:
        return RT_BLOCK(write ? SYS_pwritev2 : SYS_preadv2, fd, iov, n, off, 0, si(a[5]));
    }
    return -EINVAL;
}

static bool is_signalfd(int fd)
{
    char target[32];
    ssize_t n = rt_fd_path(fd, target, sizeof target);
    return n > 0 && (size_t)n == strlen("anon_inode:[signalfd]") &&
           memcmp(target, "anon_inode:[signalfd]", (size_t)n) == 0;
}

/* read: once the process has a signalfd, records read from one get the guest's ssi_signo
   (a descriptor inherited through exec is not known to be one: its numbers stay the
   host's). readv of a signalfd is not converted. */
SYSCALL(sys_read)
{
    int64_t r = RT_BLOCK(SYS_read, si(a[0]), gp(a[1]), a[2]);
    if (r >= (int64_t)sizeof(struct signalfd_siginfo) &&
        __atomic_load_n(&rt->proc->made_signalfd, __ATOMIC_RELAXED) && is_signalfd(si(a[0])))
        for (int64_t off = 0; off + (int64_t)sizeof(struct signalfd_siginfo) <= r;
             off += (int64_t)sizeof(struct signalfd_siginfo)) {
            uint8_t *p = (uint8_t *)gp(a[1] + (uint32_t)off);
            rt_put32(p, 0, (uint32_t)rt_sig_from_host((int)rt_get32(p, 0)));
        }
    return r;
}

SYSCALL(sys_readv) { return rw_iov(rt, a, false, RW_V); }
SYSCALL(sys_writev) { return rw_iov(rt, a, true, RW_V); }
SYSCALL(sys_preadv) { return rw_iov(rt, a, false, RW_PV); }
SYSCALL(sys_pwritev) { return rw_iov(rt, a, true, RW_PV); }
SYSCALL(sys_preadv2) { return rw_iov(rt, a, false, RW_PV2); }
SYSCALL(sys_pwritev2) { return rw_iov(rt, a, true, RW_PV2); }

SYSCALL(sys_vmsplice)
{
    struct iovec iov[SYS_MAX_IOV];
    int64_t r = sys_iov_in(rt, a[1], a[2], iov);
    return r < 0 ? r : ret(syscall(SYS_vmsplice, si(a[0]), iov, (unsigned long)a[2], a[3]));
}

static int64_t put_stat(long r, const struct stat *st, uint32_t buf)
{
    if (r < 0)
        return -errno;
    rt_conv_stat64(st, gp(buf));
    return 0;
}

SYSCALL(sys_fstatat64)
{
    struct stat st;
    char buf[PATH_MAX];
    return put_stat(fstatat(si(a[0]), sys_path(rt, a[1], buf), &st, si(a[3])), &st, a[2]);
}

SYSCALL(sys_stat64)
{
    uint32_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], 0 };
    return sys_fstatat64(rt, cpu, b);
}

SYSCALL(sys_lstat64)
{
    uint32_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW };
    return sys_fstatat64(rt, cpu, b);
}

SYSCALL(sys_fstat64)
{
    struct stat st;
    return put_stat(fstat(si(a[0]), &st), &st, a[1]);
}

/* The old struct stat of 32-bit words and 16-bit ids: EOVERFLOW for what does not fit. */
static int64_t put_stat32(long r, const struct stat *st, uint32_t buf)
{
    if (r < 0)
        return -errno;
    uint8_t out[RT_ARM_STAT_SIZE];
    int e = rt_conv_stat32(st, out);
    if (e == 0)
        memcpy(gp(buf), out, sizeof(out));
    return e;
}

SYSCALL(sys_stat)
{
    struct stat st;
    char buf[PATH_MAX];
    return put_stat32(stat(sys_path(rt, a[0], buf), &st), &st, a[1]);
}

SYSCALL(sys_lstat)
{
    struct stat st;
    char buf[PATH_MAX];
    return put_stat32(lstat(sys_path(rt, a[0], buf), &st), &st, a[1]);
}

SYSCALL(sys_fstat)
{
    struct stat st;
    return put_stat32(fstat(si(a[0]), &st), &st, a[1]);
}

/* statfs64(path, size, buf): glibc passes sizeof(struct statfs64), which is 88 for it
   and 84 for the kernel's packed one; ARM's sys_statfs64_wrapper takes both. */
static int64_t put_statfs(long r, const struct statfs *st, uint32_t size, uint32_t buf)
{
    if (r < 0)
        return -errno;
    if (size != RT_ARM_STATFS64_SIZE && size != 88)
        return -EINVAL;
    rt_conv_statfs64(st, gp(buf));
    return 0;
}

SYSCALL(sys_statfs64)
{
    struct statfs st;
    char buf[PATH_MAX];
    return put_statfs(statfs(sys_path(rt, a[0], buf), &st), &st, a[1], a[2]);
}

SYSCALL(sys_fstatfs64)
{
    struct statfs st;
    return put_statfs(fstatfs(si(a[0]), &st), &st, a[1], a[2]);
}

static int64_t put_statfs32(long r, const struct statfs *st, uint32_t buf)
{
    if (r < 0)
        return -errno;
    uint8_t out[RT_ARM_STATFS_SIZE];
    int e = rt_conv_statfs32(st, out);
    if (e == 0)
        memcpy(gp(buf), out, sizeof(out));
    return e;
}

SYSCALL(sys_statfs)
{
    struct statfs st;
    char buf[PATH_MAX];
    return put_statfs32(statfs(sys_path(rt, a[0], buf), &st), &st, a[1]);
}

SYSCALL(sys_fstatfs)
{
    struct statfs st;
    return put_statfs32(fstatfs(si(a[0]), &st), &st, a[1]);
}

/* ustat(dev, buf): f_tfree 0, f_tinode 4 (32 bits), f_fname and f_fpack zero; x86-64's
   has an 8-byte f_tinode at 8. */
SYSCALL(sys_ustat)
{
    struct { int tfree; unsigned long tinode; char fname[6], fpack[6]; } h;
    if (syscall(SYS_ustat, a[0], &h) < 0)
        return -errno;
    uint8_t out[RT_ARM_USTAT_SIZE] = { 0 };
    rt_put32(out, 0, (uint32_t)h.tfree);
    rt_put32(out, 4, (uint32_t)h.tinode);
    memcpy(gp(a[1]), out, sizeof(out));
    return 0;
}

/*
 * getdents: the host's getdents64 records as 32-bit linux_dirent ones, which are never
 * longer. When not all of them fit (the host buffer is a little larger, so that a small
 * guest buffer still takes one), or one has an inode number above 32 bits (EOVERFLOW,
 * unless records came before it), the directory is put back at the last record given.
 */
SYSCALL(sys_getdents)
{
    int fd = si(a[0]);
    uint32_t cap = a[2];
    if (!sys_gok(rt, a[1], cap, RT_PROT_W))
        return -EFAULT;
    off_t start = lseek(fd, 0, SEEK_CUR);
    size_t hcap = (size_t)(cap < (1u << 20) ? cap : 1u << 20) + 64;
    uint8_t *h = malloc(hcap);
    if (!h)
        return -ENOMEM;
    long n = syscall(SYS_getdents64, fd, h, hcap);
    if (n < 0) {
        int e = errno;
        free(h);
        return -e;
    }
    size_t used;
    int64_t next = start;
    int overflow;
    size_t out = rt_dirents_to_arm(h, (size_t)n, gp(a[1]), cap, &used, &next, &overflow);
    free(h);
    if (used < (size_t)n && start >= 0)
        lseek(fd, out ? (off_t)next : start, SEEK_SET);
    if (out == 0 && used < (size_t)n)
        return overflow ? -EOVERFLOW : -EINVAL;
    return (int64_t)out;
}

SYSCALL(sys_ioctl)
{
    switch (a[1]) {
    case 0x5401: case 0x5402: case 0x5403: case 0x5404:   /* TCGETS, TCSETS, TCSETSW/F */
    case 0x540f: case 0x5410:                             /* TIOCGPGRP, TIOCSPGRP */
    case 0x5413: case 0x5414:                             /* TIOCGWINSZ, TIOCSWINSZ */
    case 0x541b: case 0x5421:                             /* FIONREAD, FIONBIO */
        /* struct termios (36 bytes), winsize and int agree between ARM and x86-64. */
        return ret(syscall(SYS_ioctl, si(a[0]), (unsigned long)a[1], gp(a[2])));
    }
    /* userfaultfd's UFFDIO_* (type 0xAA): their structures are u64 fields alone, and the
       ranges they name are guest addresses, which are host ones. */
    if ((a[1] >> 8 & 0xff) == 0xaa)
        return ret(syscall(SYS_ioctl, si(a[0]), (unsigned long)a[1], gp(a[2])));
    if (xl_log_enabled(XL_LOG_UNIMP))
        xl_log("unimplemented ioctl 0x%x at 0x%x", a[1], cpu->exit_pc);
    return -ENOSYS;
}

/* F_GETLK, F_SETLK, F_SETLKW (and fcntl's OFD ones) with the struct flock of 32-bit
   off_t, as the host's 64-bit one. */
static int64_t lock32(int fd, int hcmd, uint32_t p)
{
    struct flock fl;
    rt_flock32_to_host(gp(p), &fl);
    int64_t r = RT_BLOCK(SYS_fcntl, fd, hcmd, &fl);    /* F_SETLKW waits */
    if (r < 0)
        return r;
    if (hcmd == F_GETLK || hcmd == F_OFD_GETLK) {
        uint8_t out[RT_ARM_FLOCK_SIZE];
        int e = rt_flock32_to_arm(&fl, out);
        if (e)
            return e;
        memcpy(gp(p), out, sizeof(out));
    }
    return 0;
}

/* fcntl64 and fcntl. They differ in the locks: fcntl64 has the F_*LK64 commands (12-14)
   and OFD locks on struct flock64, which agrees with x86-64's struct flock; fcntl has
   neither F_*LK64 nor a 64-bit OFD struct. Both have F_GETLK (5-7) on the 32-bit one. */
static int64_t do_fcntl(struct cpu *cpu, const uint32_t *a, bool is64)
{
    int fd = si(a[0]), cmd = si(a[1]);
    switch (cmd) {
    case F_GETFL: {
        int r = fcntl(fd, F_GETFL);
        return r < 0 ? -errno : (int64_t)rt_open_flags_from_host(r);
    }
    case F_SETFL:
        return ret(fcntl(fd, F_SETFL, rt_open_flags_to_host(a[2])));
    case 5: return lock32(fd, F_GETLK, a[2]);     /* ARM F_GETLK: 32-bit struct flock */
    case 6: return lock32(fd, F_SETLK, a[2]);
    case 7: return lock32(fd, F_SETLKW, a[2]);
    case 12: case 13: case 14:                    /* F_GETLK64, F_SETLK64, F_SETLKW64 */
        if (!is64)
            return -EINVAL;
        return RT_BLOCK(SYS_fcntl, fd, cmd - 12 + F_GETLK, gp(a[2]));
    case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
        return is64 ? RT_BLOCK(SYS_fcntl, fd, cmd, gp(a[2])) : lock32(fd, cmd, a[2]);
    case F_SETSIG: {
        int h = sys_host_signo(si(a[2]));
        return h < 0 ? -EINVAL : ret(fcntl(fd, F_SETSIG, h));
    }
    case F_GETSIG: {
        int r = fcntl(fd, F_GETSIG);
        return r <= 0 ? ret(r) : rt_sig_from_host(r) > 0 ? rt_sig_from_host(r) : r;
    }
    case F_DUPFD: case F_GETFD: case F_SETFD: case F_SETOWN: case F_GETOWN:
    case F_DUPFD_CLOEXEC: case F_SETPIPE_SZ: case F_GETPIPE_SZ: case F_ADD_SEALS:
    case F_GET_SEALS: case F_SETLEASE: case F_GETLEASE: case F_NOTIFY:
        return ret(fcntl(fd, cmd, (long)si(a[2])));
    case F_GETOWN_EX: case F_SETOWN_EX:           /* struct f_owner_ex: two ints */
    case F_GET_RW_HINT: case F_SET_RW_HINT:       /* a u64 */
    case F_GET_FILE_RW_HINT: case F_SET_FILE_RW_HINT:
        return ret(fcntl(fd, cmd, gp(a[2])));
    }
    if (xl_log_enabled(XL_LOG_UNIMP))
        xl_log("unimplemented fcntl%s command %d at 0x%x", is64 ? "64" : "", cmd, cpu->exit_pc);
    return -EINVAL;
}

SYSCALL(sys_fcntl64)
{
    return do_fcntl(cpu, a, true);
}

SYSCALL(sys_fcntl)
{
    return do_fcntl(cpu, a, false);
}

SYSCALL(sys_pipe2)
{
    return ret(syscall(SYS_pipe2, gp(a[0]), rt_open_flags_to_host(a[1])));
}

static int64_t do_readlinkat(struct rt_thread *rt, int dirfd, uint32_t path, uint32_t buf, uint32_t n)
{
    const char *p = gp(path), *self = rt_proc_self_name(p);
    if (self && strcmp(self, "exe") == 0 && rt->proc->exe_path) {
        size_t len = strlen(rt->proc->exe_path);
        if (len > n)
            len = n;
        memcpy(gp(buf), rt->proc->exe_path, len);
        return (int64_t)len;
    }
    char pbuf[PATH_MAX];
    return ret(readlinkat(dirfd, sys_path(rt, path, pbuf), gp(buf), n));
}

SYSCALL(sys_readlink)
{
    return do_readlinkat(rt, AT_FDCWD, a[0], a[1], a[2]);
}

SYSCALL(sys_readlinkat)
{
    return do_readlinkat(rt, si(a[0]), a[1], a[2], a[3]);
}

SYSCALL(sys_uname)
{
    struct utsname u;     /* six 65-byte strings on both sides */
    if (uname(&u) < 0)
        return -errno;
    snprintf(u.machine, sizeof(u.machine), "armv7l");
    memcpy(gp(a[0]), &u, sizeof(u));
    return 0;
}

static int64_t do_utimensat(const uint32_t *a, bool t64)
{
    struct timespec ts[2];
    if (a[2]) {
        sys_ts_in(a[2], t64, &ts[0]);
        sys_ts_in(a[2] + (t64 ? 16 : 8), t64, &ts[1]);
    }
    return ret(syscall(SYS_utimensat, si(a[0]), gp(a[1]), a[2] ? ts : NULL, si(a[3])));
}

SYSCALL(sys_utimensat)
{
    return do_utimensat(a, false);
}

SYSCALL(sys_utimensat64)
{
    return do_utimensat(a, true);
}
SYSCALL(sys_truncate64)
{
    return ret(truncate(gp(a[0]), (off_t)pair(a[2], a[3])));     /* r1 is padding */
}

SYSCALL(sys_ftruncate64)
{
    return ret(ftruncate(si(a[0]), (off_t)pair(a[2], a[3])));
}

/* fallocate(fd, mode, offset, len): EABI passes the two 64-bit values in r2:r3 and r4:r5. */
SYSCALL(sys_fallocate)
{
    return ret(fallocate(si(a[0]), si(a[1]), (off_t)pair(a[2], a[3]), (off_t)pair(a[4], a[5])));
}

/* readahead(fd, offset, count): r1 is padding, the offset in r2:r3, count in r4. */
SYSCALL(sys_readahead)
{
    return ret(syscall(SYS_readahead, si(a[0]), (off_t)pair(a[2], a[3]), (size_t)a[4]));
}

/* arm_fadvise64_64(fd, advice, offset, len): ARM moves advice up to r1 so that both 64-bit
   values get a pair (r2:r3, r4:r5); x86-64's fadvise64 takes advice last. */
SYSCALL(sys_arm_fadvise64_64)
{
    return ret(syscall(SYS_fadvise64, si(a[0]), (off_t)pair(a[2], a[3]),
                       (off_t)pair(a[4], a[5]), si(a[1])));
}

/* sync_file_range2(fd, flags, offset, nbytes): flags up front for the same reason. */
SYSCALL(sys_arm_sync_file_range)
{
    return ret(syscall(SYS_sync_file_range, si(a[0]), (off_t)pair(a[2], a[3]),
                       (off_t)pair(a[4], a[5]), a[1]));
}

/* sendfile with a 32-bit off_t: the kernel stops at 2^31 - 1 (EOVERFLOW at or past it). */
SYSCALL(sys_sendfile)
{
    if (!a[2])
        return ret(sendfile(si(a[0]), si(a[1]), NULL, a[3]));
    int32_t o;
    memcpy(&o, gp(a[2]), 4);
    off_t pos = o;
    size_t count = a[3];
    if (pos >= INT32_MAX)
        return -EOVERFLOW;
    if (pos + (off_t)count > INT32_MAX)
        count = (size_t)(INT32_MAX - pos);
    ssize_t r = sendfile(si(a[0]), si(a[1]), &pos, count);
    int e = errno;
    o = (int32_t)pos;
    memcpy(gp(a[2]), &o, 4);
    return r < 0 ? -e : r;
}

/* openat2(dirfd, path, how, size): struct open_how is three u64s (flags, mode, resolve),
   the flags ARM's open flags. A larger struct is fine if the rest is zero (E2BIG if not),
   as copy_struct_from_user. */
SYSCALL(sys_openat2)
{
    uint32_t size = a[3];
    if (size < sizeof(struct open_how))
        return -EINVAL;
    if (size > RT_PAGE)
        return -E2BIG;
    if (!sys_gok(rt, a[2], size, RT_PROT_R))
        return -EFAULT;
    const uint8_t *g = gp(a[2]);
    for (uint32_t i = sizeof(struct open_how); i < size; i++)
        if (g[i])
            return -E2BIG;
    uint64_t flags = rt_get64(g, 0);
    struct open_how how = {
        .flags = (flags & ~0xffffffffull) | (uint32_t)rt_open_flags_to_host((uint32_t)flags),
        .mode = rt_get64(g, 8), .resolve = rt_get64(g, 16),
    };
    const char *path = gp(a[1]);
    if (path[0] == '/' && how.resolve == 0 && !(how.flags >> 32)) {
        int fd = rt_proc_self_open(rt, path, (int)how.flags, (int)how.mode);
        if (fd != RT_PROC_HOST)
            return fd;
    }
    char buf[PATH_MAX];
    return ret(syscall(SYS_openat2, si(a[0]), sys_path(rt, a[1], buf), &how, sizeof(how)));
}

SYSCALL(sys_open_by_handle_at)
{
    return ret(syscall(SYS_open_by_handle_at, si(a[0]), gp(a[1]), rt_open_flags_to_host(a[2])));
}

/* fanotify_init(flags, event_f_flags): the second is open flags. */
SYSCALL(sys_fanotify_init)
{
    return ret(syscall(SYS_fanotify_init, a[0], rt_open_flags_to_host(a[1])));
}

/* fanotify_mark(fd, flags, mask, dirfd, path): the 64-bit mask in r2:r3. */
SYSCALL(sys_fanotify_mark)
{
    return ret(syscall(SYS_fanotify_mark, si(a[0]), a[1], (uint64_t)pair(a[2], a[3]), si(a[4]),
                       gp(a[5])));
}
