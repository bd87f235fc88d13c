/*
 * File syscalls: open, seek, read/write vectors, stat and statfs (ARM layouts from conv.c),
 * ioctl, fcntl, readlink (/proc/self/exe is the guest program), uname, utimensat, truncate.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../lifter/ir/xl_log.h"
#include "sys_internal.h"

SYSCALL(sys_openat)
{
    const char *path = gp(a[1]);
    int flags = rt_open_flags_to_host(a[2]);
    int fd = path[0] == '/' ? rt_proc_self_open(rt, path, flags, (int)a[3]) : RT_PROC_HOST;
    if (fd != RT_PROC_HOST)
        return fd;
    return ret(syscall(SYS_openat, si(a[0]), path, flags, a[3]));
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
    return ret(pread(si(a[0]), gp(a[1]), a[2], (off_t)pair(a[4], a[5])));
}

SYSCALL(sys_pwrite64)
{
    return ret(pwrite(si(a[0]), gp(a[1]), a[2], (off_t)pair(a[4], a[5])));
}

static int64_t rw_iov(const uint32_t *a, bool write)
{
    int n = si(a[2]);
    if (n < 0 || n > IOV_MAX)
        return -EINVAL;
    struct iovec iov[IOV_MAX > 1024 ? 1024 : IOV_MAX];
    rt_iov_to_host(gp(a[1]), (unsigned)n, iov);
    return ret(write ? writev(si(a[0]), iov, n) : readv(si(a[0]), iov, n));
}

SYSCALL(sys_readv)
{
    return rw_iov(a, false);
}

SYSCALL(sys_writev)
{
    return rw_iov(a, true);
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
    return put_stat(fstatat(si(a[0]), gp(a[1]), &st, si(a[3])), &st, a[2]);
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

static int64_t put_statfs(long r, const struct statfs *st, uint32_t size, uint32_t buf)
{
    if (r < 0)
        return -errno;
    if (size != RT_ARM_STATFS64_SIZE)
        return -EINVAL;
    rt_conv_statfs64(st, gp(buf));
    return 0;
}

SYSCALL(sys_statfs64)
{
    struct statfs st;
    return put_statfs(statfs(gp(a[0]), &st), &st, a[1], a[2]);
}

SYSCALL(sys_fstatfs64)
{
    struct statfs st;
    return put_statfs(fstatfs(si(a[0]), &st), &st, a[1], a[2]);
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
    if (xl_log_enabled(XL_LOG_UNIMP))
        xl_log("unimplemented ioctl 0x%x at 0x%x", a[1], cpu->exit_pc);
    return -ENOSYS;
}

SYSCALL(sys_fcntl64)
{
    int fd = si(a[0]), cmd = si(a[1]);
    switch (cmd) {
    case F_GETFL: {
        int r = fcntl(fd, F_GETFL);
        return r < 0 ? -errno : (int64_t)rt_open_flags_from_host(r);
    }
    case F_SETFL:
        return ret(fcntl(fd, F_SETFL, rt_open_flags_to_host(a[2])));
    case 12: return ret(fcntl(fd, F_GETLK, gp(a[2])));     /* F_GETLK64: same flock64 */
    case 13: return ret(fcntl(fd, F_SETLK, gp(a[2])));     /* F_SETLK64 */
    case 14: return ret(fcntl(fd, F_SETLKW, gp(a[2])));    /* F_SETLKW64 */
    case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
        return ret(fcntl(fd, cmd, gp(a[2])));
    case F_DUPFD: case F_GETFD: case F_SETFD: case F_SETOWN: case F_GETOWN:
    case F_DUPFD_CLOEXEC: case F_SETPIPE_SZ: case F_GETPIPE_SZ: case F_ADD_SEALS:
    case F_GET_SEALS:
        return ret(fcntl(fd, cmd, (long)si(a[2])));
    }
    if (xl_log_enabled(XL_LOG_UNIMP))
        xl_log("unimplemented fcntl64 command %d at 0x%x", cmd, cpu->exit_pc);
    return -EINVAL;
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
    return ret(readlinkat(dirfd, p, gp(buf), n));
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
