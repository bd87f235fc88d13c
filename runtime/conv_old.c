/*
 * The ARM EABI layouts of the older calls (conv_old.h) and their conversions from/to the
 * x86-64 host's, written from the ARM kernel headers and fs/stat.c, fs/statfs.c,
 * fs/readdir.c, kernel/time/time.c (offsets in comments). The checks are a 32-bit
 * kernel's: what does not fit in a field is EOVERFLOW, or clamped where Linux clamps.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/timex.h>

#include "bytes.h"
#include "conv_old.h"
#include "rt_internal.h"

uint32_t rt_id_from16(uint32_t reg)
{
    uint16_t v = (uint16_t)reg;      /* old_uid_t: the kernel takes the low half */
    return v == 0xffff ? 0xffffffffu : v;
}

uint16_t rt_id_to16(uint32_t id)
{
    return id & ~0xffffu ? (uint16_t)RT_OVERFLOW_ID : (uint16_t)id;
}

/* arch/arm/include/uapi/asm/stat.h struct stat (little-endian): dev 0, ino 4, mode 8,
   nlink 10, uid 12, gid 14, rdev 16, size 20, blksize 24, blocks 28, atime 32/36,
   mtime 40/44, ctime 48/52, two unused words. */
int rt_conv_stat32(const struct stat *h, uint8_t out[RT_ARM_STAT_SIZE])
{
    if (h->st_size > 0x7fffffff || (h->st_ino >> 32) || (h->st_nlink >> 16))
        return -EOVERFLOW;
    memset(out, 0, RT_ARM_STAT_SIZE);
    rt_put32(out, 0, (uint32_t)h->st_dev);
    rt_put32(out, 4, (uint32_t)h->st_ino);
    rt_put16(out, 8, (uint16_t)h->st_mode);
    rt_put16(out, 10, (uint16_t)h->st_nlink);
    rt_put16(out, 12, rt_id_to16(h->st_uid));
    rt_put16(out, 14, rt_id_to16(h->st_gid));
    rt_put32(out, 16, (uint32_t)h->st_rdev);
    rt_put32(out, 20, (uint32_t)h->st_size);
    rt_put32(out, 24, (uint32_t)h->st_blksize);
    rt_put32(out, 28, (uint32_t)h->st_blocks);
    rt_conv_stat_times(h, out, 32);
    return 0;
}

/* asm-generic/statfs.h with 32-bit words: type 0, bsize 4, blocks 8, bfree 12, bavail 16,
   files 20, ffree 24, fsid 28, namelen 36, frsize 40, flags 44, spare 48..63. f_files and
   f_ffree may be -1 (unknown), which 32 bits hold. */
int rt_conv_statfs32(const struct statfs *h, uint8_t out[RT_ARM_STATFS_SIZE])
{
    uint64_t hi = 0xffffffff00000000ull;
    if (((uint64_t)h->f_blocks | (uint64_t)h->f_bfree | (uint64_t)h->f_bavail |
         (uint64_t)h->f_bsize | (uint64_t)h->f_frsize) & hi)
        return -EOVERFLOW;
    if (((uint64_t)h->f_files != ~0ull && ((uint64_t)h->f_files & hi)) ||
        ((uint64_t)h->f_ffree != ~0ull && ((uint64_t)h->f_ffree & hi)))
        return -EOVERFLOW;
    memset(out, 0, RT_ARM_STATFS_SIZE);
    rt_put32(out, 0, (uint32_t)h->f_type);
    rt_put32(out, 4, (uint32_t)h->f_bsize);
    rt_put32(out, 8, (uint32_t)h->f_blocks);
    rt_put32(out, 12, (uint32_t)h->f_bfree);
    rt_put32(out, 16, (uint32_t)h->f_bavail);
    rt_put32(out, 20, (uint32_t)h->f_files);
    rt_put32(out, 24, (uint32_t)h->f_ffree);
    memcpy(out + 28, &h->f_fsid, 8);
    rt_put32(out, 36, (uint32_t)h->f_namelen);
    rt_put32(out, 40, (uint32_t)h->f_frsize);
    rt_put32(out, 44, (uint32_t)h->f_flags);
    return 0;
}

/* linux_dirent64: ino 0, off 8, reclen 16, type 18, name 19. The ARM linux_dirent: ino 0,
   off 4, reclen 8, name 10, then a NUL and d_type in the record's last byte; reclen is
   10 + namelen + 2 rounded up to 4 (fs/readdir.c filldir). d_off keeps its low 32 bits,
   as a 32-bit kernel's unsigned long would. */
size_t rt_dirents_to_arm(const uint8_t *h, size_t hlen, uint8_t *out, size_t cap, size_t *used,
                         int64_t *next_off, int *overflow)
{
    size_t hi = 0, o = 0;
    *overflow = 0;
    while (hi + 19 <= hlen) {
        uint16_t hrec = rt_get16(h, hi + 16);
        if (hrec < 20 || hi + hrec > hlen)
            break;
        const char *name = (const char *)h + hi + 19;
        size_t nlen = strnlen(name, hrec - 19u);
        size_t rec = (10 + nlen + 2 + 3) & ~(size_t)3;
        uint64_t ino = rt_get64(h, hi);
        if (ino >> 32) {
            *overflow = 1;
            break;
        }
        if (o + rec > cap)
            break;
        memset(out + o, 0, rec);
        rt_put32(out, o, (uint32_t)ino);
        rt_put32(out, o + 4, (uint32_t)rt_get64(h, hi + 8));
        rt_put16(out, o + 8, (uint16_t)rec);
        memcpy(out + o + 10, name, nlen);
        out[o + rec - 1] = h[hi + 18];
        *next_off = (int64_t)rt_get64(h, hi + 8);
        o += rec;
        hi += hrec;
    }
    *used = hi;
    return o;
}

/* struct flock (asm-generic/fcntl.h, 32-bit off_t): type 0, whence 2, start 4, len 8,
   pid 12. */
void rt_flock32_to_host(const uint8_t in[RT_ARM_FLOCK_SIZE], struct flock *h)
{
    memset(h, 0, sizeof(*h));
    h->l_type = (short)rt_get16(in, 0);
    h->l_whence = (short)rt_get16(in, 2);
    h->l_start = (int32_t)rt_get32(in, 4);
    h->l_len = (int32_t)rt_get32(in, 8);
    h->l_pid = (int32_t)rt_get32(in, 12);
}

int rt_flock32_to_arm(const struct flock *h, uint8_t out[RT_ARM_FLOCK_SIZE])
{
    if (h->l_start != (int32_t)h->l_start || h->l_len != (int32_t)h->l_len)
        return -EOVERFLOW;
    rt_put16(out, 0, (uint16_t)h->l_type);
    rt_put16(out, 2, (uint16_t)h->l_whence);
    rt_put32(out, 4, (uint32_t)h->l_start);
    rt_put32(out, 8, (uint32_t)h->l_len);
    rt_put32(out, 12, (uint32_t)h->l_pid);
    return 0;
}

/* struct timex with 32-bit longs: modes 0, offset 4, freq 8, maxerror 12, esterror 16,
   status 20, constant 24, precision 28, tolerance 32, time 36 (sec, usec), tick 44,
   ppsfreq 48, jitter 52, shift 56, stabil 60, jitcnt 64, calcnt 68, errcnt 72, stbcnt 76,
   tai 80, then 11 ints of padding. Every field is a signed word but modes. */
#define TIMEX_FIELDS(X)                                                                  \
    X(4, offset) X(8, freq) X(12, maxerror) X(16, esterror) X(20, status)                \
    X(24, constant) X(28, precision) X(32, tolerance) X(36, time.tv_sec)                 \
    X(40, time.tv_usec) X(44, tick) X(48, ppsfreq) X(52, jitter) X(56, shift)            \
    X(60, stabil) X(64, jitcnt) X(68, calcnt) X(72, errcnt) X(76, stbcnt) X(80, tai)

void rt_timex32_to_host(const uint8_t in[RT_ARM_TIMEX_SIZE], struct timex *h)
{
    memset(h, 0, sizeof(*h));
    h->modes = rt_get32(in, 0);
#define IN(off, f) h->f = (int32_t)rt_get32(in, off);
    TIMEX_FIELDS(IN)
#undef IN
}

void rt_timex32_to_arm(const struct timex *h, uint8_t out[RT_ARM_TIMEX_SIZE])
{
    memset(out, 0, RT_ARM_TIMEX_SIZE);
    rt_put32(out, 0, h->modes);
#define OUT(off, f) rt_put32(out, off, (uint32_t)h->f);
    TIMEX_FIELDS(OUT)
#undef OUT
}

/* ARM siginfo: signo 0, errno 4, code 8, pid 12, uid 16, sigval 20. The x86-64 one has
   pid at 16, uid at 20, an 8-byte sigval at 24 (glibc names them). */
void rt_siginfo_user_to_host(const uint8_t in[128], siginfo_t *h)
{
    memset(h, 0, sizeof(*h));
    h->si_signo = rt_sig_to_host((int)rt_get32(in, 0));
    h->si_errno = (int)rt_get32(in, 4);
    h->si_code = (int)rt_get32(in, 8);
    h->si_pid = (pid_t)rt_get32(in, 12);
    h->si_uid = rt_get32(in, 16);
    h->si_value.sival_ptr = (void *)(uintptr_t)rt_get32(in, 20);
}
