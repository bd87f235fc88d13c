/*
 * ARM EABI structure layouts and their conversions from/to the x86-64 host's. Pure
 * functions over byte buffers, written from the ARM kernel headers (offsets in comments),
 * so tests/unit/syscall_test.c can check them field by field.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <time.h>

#include "rt_internal.h"
#include "bytes.h"

/* st_atime, st_atime_nsec, st_mtime ... st_ctime_nsec: six 32-bit words from off, in both
   ARM stat layouts. */
void rt_conv_stat_times(const struct stat *h, uint8_t *out, size_t off)
{
    const struct timespec *t[3] = { &h->st_atim, &h->st_mtim, &h->st_ctim };
    for (int i = 0; i < 3; i++) {
        rt_put32(out, off + 8 * (size_t)i, (uint32_t)t[i]->tv_sec);
        rt_put32(out, off + 8 * (size_t)i + 4, (uint32_t)t[i]->tv_nsec);
    }
}

/* arch/arm/include/uapi/asm/stat.h struct stat64 (EABI: long longs 8-aligned). */
void rt_conv_stat64(const struct stat *h, uint8_t out[RT_ARM_STAT64_SIZE])
{
    memset(out, 0, RT_ARM_STAT64_SIZE);
    rt_put64(out, 0, h->st_dev);                   /* st_dev, then 4 bytes of pad */
    rt_put32(out, 12, (uint32_t)h->st_ino);        /* __st_ino */
    rt_put32(out, 16, h->st_mode);
    rt_put32(out, 20, (uint32_t)h->st_nlink);
    rt_put32(out, 24, h->st_uid);
    rt_put32(out, 28, h->st_gid);
    rt_put64(out, 32, h->st_rdev);                 /* then 8 bytes of pad */
    rt_put64(out, 48, (uint64_t)h->st_size);
    rt_put32(out, 56, (uint32_t)h->st_blksize);    /* then 4 bytes of pad */
    rt_put64(out, 64, (uint64_t)h->st_blocks);
    rt_conv_stat_times(h, out, 72);
    rt_put64(out, 96, h->st_ino);
}

/* arch/arm/include/uapi/asm/statfs.h struct statfs64, packed to 4 bytes in EABI. */
void rt_conv_statfs64(const struct statfs *h, uint8_t out[RT_ARM_STATFS64_SIZE])
{
    memset(out, 0, RT_ARM_STATFS64_SIZE);
    rt_put32(out, 0, (uint32_t)h->f_type);
    rt_put32(out, 4, (uint32_t)h->f_bsize);
    rt_put64(out, 8, h->f_blocks);
    rt_put64(out, 16, h->f_bfree);
    rt_put64(out, 24, h->f_bavail);
    rt_put64(out, 32, h->f_files);
    rt_put64(out, 40, h->f_ffree);
    memcpy(out + 48, &h->f_fsid, 8);
    rt_put32(out, 56, (uint32_t)h->f_namelen);
    rt_put32(out, 60, (uint32_t)h->f_frsize);
    rt_put32(out, 64, (uint32_t)h->f_flags);
}

/* include/uapi/linux/sysinfo.h with 32-bit longs. Memory sizes that do not fit in 32 bits
   are scaled by a larger mem_unit, as the kernel's compat sysinfo does. */
void rt_conv_sysinfo(const struct sysinfo *h, uint8_t out[RT_ARM_SYSINFO_SIZE])
{
    uint64_t v[8] = { h->totalram, h->freeram, h->sharedram, h->bufferram,
                      h->totalswap, h->freeswap, h->totalhigh, h->freehigh };
    uint32_t unit = h->mem_unit ? h->mem_unit : 1;
    if ((v[0] >> 32) || (v[4] >> 32)) {
        int shift = 0;
        while (unit < RT_PAGE) {
            unit <<= 1;
            shift++;
        }
        for (int i = 0; i < 8; i++)
            v[i] >>= shift;
    }
    memset(out, 0, RT_ARM_SYSINFO_SIZE);
    rt_put32(out, 0, (uint32_t)h->uptime);
    for (int i = 0; i < 3; i++)
        rt_put32(out, 4 + 4 * (uint32_t)i, (uint32_t)h->loads[i]);
    for (int i = 0; i < 6; i++)                 /* totalram .. freeswap at 16..36 */
        rt_put32(out, 16 + 4 * (uint32_t)i, (uint32_t)v[i]);
    rt_put16(out, 40, h->procs);                   /* then 2 bytes of pad */
    rt_put32(out, 44, (uint32_t)v[6]);             /* totalhigh */
    rt_put32(out, 48, (uint32_t)v[7]);             /* freehigh */
    rt_put32(out, 52, unit);
}

void rt_ts32_to_host(const uint8_t in[8], struct timespec *h)
{
    h->tv_sec = (int32_t)rt_get32(in, 0);
    h->tv_nsec = (int32_t)rt_get32(in, 4);
}

void rt_ts32_from_host(const struct timespec *h, uint8_t out[8])
{
    rt_put32(out, 0, (uint32_t)h->tv_sec);
    rt_put32(out, 4, (uint32_t)h->tv_nsec);
}

void rt_ts64_to_host(const uint8_t in[16], struct timespec *h)
{
    h->tv_sec = (int64_t)rt_get64(in, 0);
    /* The kernel ignores the upper half of tv_nsec for 32-bit callers. */
    h->tv_nsec = (int32_t)rt_get32(in, 8);
}

void rt_ts64_from_host(const struct timespec *h, uint8_t out[16])
{
    rt_put64(out, 0, (uint64_t)h->tv_sec);
    rt_put64(out, 8, (uint64_t)h->tv_nsec);
}

void rt_iov_to_host(const uint8_t *in, unsigned n, struct iovec *h)
{
    for (unsigned i = 0; i < n; i++) {
        h[i].iov_base = (void *)(uintptr_t)rt_get32(in, 8 * i);
        h[i].iov_len = rt_get32(in, 8 * i + 4);
    }
}

void rt_rlimit32_from_host(uint64_t cur, uint64_t max, uint8_t out[8])
{
    rt_put32(out, 0, cur > 0xffffffffu ? 0xffffffffu : (uint32_t)cur);
    rt_put32(out, 4, max > 0xffffffffu ? 0xffffffffu : (uint32_t)max);
}

/* Bits that differ: ARM (asm/fcntl.h) vs x86-64 (asm-generic/fcntl.h). */
static const struct { uint32_t arm, host; } open_bits[] = {
    { 040000, 0200000 },        /* O_DIRECTORY */
    { 0100000, 0400000 },       /* O_NOFOLLOW */
    { 0200000, 040000 },        /* O_DIRECT */
    { 0400000, 0100000 },       /* O_LARGEFILE */
};
#define OPEN_DIFF (040000u | 0100000u | 0200000u | 0400000u)

int rt_open_flags_to_host(uint32_t arm)
{
    uint32_t h = arm & ~OPEN_DIFF;
    for (size_t i = 0; i < sizeof(open_bits) / sizeof(open_bits[0]); i++)
        if (arm & open_bits[i].arm)
            h |= open_bits[i].host;
    return (int)h;
}

uint32_t rt_open_flags_from_host(int host)
{
    uint32_t a = (uint32_t)host & ~OPEN_DIFF;
    for (size_t i = 0; i < sizeof(open_bits) / sizeof(open_bits[0]); i++)
        if ((uint32_t)host & open_bits[i].host)
            a |= open_bits[i].arm;
    return a;
}

/* ARM kernel struct sigaction: handler, flags, restorer, mask[2] (20 bytes). */
void rt_sigaction_from_arm(const uint8_t in[RT_ARM_SIGACTION_SIZE], struct rt_gsigaction *a)
{
    a->handler = rt_get32(in, 0);
    a->flags = rt_get32(in, 4);
    a->restorer = rt_get32(in, 8);
    a->mask = rt_get64(in, 12);
}

void rt_sigaction_to_arm(const struct rt_gsigaction *a, uint8_t out[RT_ARM_SIGACTION_SIZE])
{
    rt_put32(out, 0, a->handler);
    rt_put32(out, 4, a->flags);
    rt_put32(out, 8, a->restorer);
    rt_put64(out, 12, a->mask);
}

/* struct rusage with 32-bit longs: ru_utime, ru_stime (timeval 8 bytes each), then 14
   longs from ru_maxrss (offset 16) to ru_nivcsw (offset 68). */
void rt_conv_rusage(const struct rusage *h, uint8_t out[RT_ARM_RUSAGE_SIZE])
{
    rt_put32(out, 0, (uint32_t)h->ru_utime.tv_sec);
    rt_put32(out, 4, (uint32_t)h->ru_utime.tv_usec);
    rt_put32(out, 8, (uint32_t)h->ru_stime.tv_sec);
    rt_put32(out, 12, (uint32_t)h->ru_stime.tv_usec);
    const long rest[14] = { h->ru_maxrss, h->ru_ixrss, h->ru_idrss, h->ru_isrss, h->ru_minflt,
                            h->ru_majflt, h->ru_nswap, h->ru_inblock, h->ru_oublock,
                            h->ru_msgsnd, h->ru_msgrcv, h->ru_nsignals, h->ru_nvcsw,
                            h->ru_nivcsw };
    for (uint32_t i = 0; i < 14; i++)
        rt_put32(out, 16 + 4 * i, (uint32_t)rest[i]);
}

/* Signal numbers: the standard ones agree; host glibc keeps 32 and 33 for itself, so the
   guest's real-time signals sit two above theirs on the host (guest 32 = SIGCANCEL of the
   guest's libc = host 34 = SIGRTMIN), as under qemu-arm. Guest 63 and 64 have no host
   number; host 32 and 33 no guest one. */
int rt_sig_to_host(int g)
{
    return g >= 1 && g < 32 ? g : g >= 32 && g <= 62 ? g + 2 : -1;
}

int rt_sig_from_host(int h)
{
    return h >= 1 && h < 32 ? h : h >= 34 && h <= 64 ? h - 2 : -1;
}

uint64_t rt_sigmask_to_host(uint64_t g)
{
    return (g & 0x7fffffffull) | (g >> 31 & 0x7fffffffull) << 33;
}

uint64_t rt_sigmask_from_host(uint64_t h)
{
    return (h & 0x7fffffffull) | (h >> 33) << 31;
}

void rt_host_sigset(uint64_t h, sigset_t *out)
{
    sigemptyset(out);
    for (int s = 1; s <= 64; s++)
        if (h >> (s - 1) & 1)
            sigaddset(out, s);
}

/* The fields of the host's siginfo that a guest siginfo carries. The x86-64 unions put
   pid/timer id at 16, uid/overrun at 20, si_value/status at 24, a child's utime and stime
   at 32 and 40; glibc names them. */
struct rt_siginfo rt_siginfo_from_host(const siginfo_t *h)
{
    struct rt_siginfo si = { .signo = rt_sig_from_host(h->si_signo), .code = h->si_code,
                             .addr = (uint32_t)(uintptr_t)h->si_addr, .pid = h->si_pid,
                             .uid = (int)h->si_uid, .value = (uint32_t)h->si_value.sival_int };
    if (h->si_signo == SIGCHLD) {
        si.value = (uint32_t)h->si_status;
        si.utime = (uint32_t)h->si_utime;
        si.stime = (uint32_t)h->si_stime;
    }
    return si;
}

/* The ARM siginfo (128 bytes): signo@0, errno@4, code@8, then the union from 12: a fault's
   address; or pid/timer id@12, uid/overrun@16, si_value/status@20, and for SIGCHLD utime@24
   and stime@28 (32-bit clock_t). */
void rt_siginfo_to_arm(const struct rt_siginfo *si, uint8_t out[RT_ARM_SIGINFO_SIZE])
{
    int sig = si->signo;
    memset(out, 0, RT_ARM_SIGINFO_SIZE);
    rt_put32(out, 0, (uint32_t)sig);
    rt_put32(out, 8, (uint32_t)si->code);
    if (si->code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
                         sig == SIGTRAP)) {
        rt_put32(out, 12, si->addr);
        return;
    }
    rt_put32(out, 12, (uint32_t)si->pid);
    rt_put32(out, 16, (uint32_t)si->uid);
    rt_put32(out, 20, si->value);
    if (sig == SIGCHLD) {
        rt_put32(out, 24, si->utime);
        rt_put32(out, 28, si->stime);
    }
}
