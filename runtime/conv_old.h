/*
 * ARM EABI layouts that the older calls still in the EABI table use (32-bit off_t, 16-bit
 * ids, struct stat and statfs of 32-bit words, linux_dirent, struct flock, struct timex of
 * 32-bit longs), and their conversions (conv_old.c). Pure functions over byte buffers, so
 * that tests/unit/systab_test.c checks them field by field.
 */
#ifndef XL_CONV_OLD_H
#define XL_CONV_OLD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define RT_ARM_STAT_SIZE 64         /* struct stat (asm/stat.h) */
#define RT_ARM_STATFS_SIZE 64       /* struct statfs, 32-bit words */
#define RT_ARM_FLOCK_SIZE 16        /* struct flock: short, short, long, long, int */
#define RT_ARM_TIMEX_SIZE 128       /* struct timex with 32-bit longs */
#define RT_ARM_USTAT_SIZE 20
#define RT_OVERFLOW_ID 65534u       /* overflowuid/overflowgid: an id a 16-bit field cannot hold */

/* 16-bit uid/gid calls: (u16)-1 means "unchanged" (-1); ids above 65535 read as 65534. */
uint32_t rt_id_from16(uint32_t reg);
uint16_t rt_id_to16(uint32_t id);

/* cp_new_stat of a 32-bit kernel: -EOVERFLOW when the size, inode or link count does not
   fit, else 0 with out filled. */
struct stat;
int rt_conv_stat32(const struct stat *h, uint8_t out[RT_ARM_STAT_SIZE]);
/* do_statfs_native of a 32-bit kernel: -EOVERFLOW when a count does not fit. */
struct statfs;
int rt_conv_statfs32(const struct statfs *h, uint8_t out[RT_ARM_STATFS_SIZE]);

/* getdents: the host's linux_dirent64 records in [h, h + hlen) as the ARM kernel's 32-bit
   linux_dirent records (d_ino, d_off, d_reclen, name, NUL, d_type at the end) in out,
   which holds cap bytes. Stops at the first record that does not fit or whose inode
   number needs more than 32 bits. Returns the bytes written; *used is the host bytes
   taken, *next_off the d_off of the last record written, *overflow whether it stopped
   at a large inode number. */
size_t rt_dirents_to_arm(const uint8_t *h, size_t hlen, uint8_t *out, size_t cap, size_t *used,
                         int64_t *next_off, int *overflow);

/* struct flock of 32-bit off_t. to_arm: -EOVERFLOW when l_start or l_len does not fit. */
struct flock;
void rt_flock32_to_host(const uint8_t in[RT_ARM_FLOCK_SIZE], struct flock *h);
int rt_flock32_to_arm(const struct flock *h, uint8_t out[RT_ARM_FLOCK_SIZE]);

/* adjtimex and clock_adjtime: struct timex with 32-bit longs (the kernel's old_timex32). */
struct timex;
void rt_timex32_to_host(const uint8_t in[RT_ARM_TIMEX_SIZE], struct timex *h);
void rt_timex32_to_arm(const struct timex *h, uint8_t out[RT_ARM_TIMEX_SIZE]);

/* A siginfo that the guest sends (pidfd_send_signal): signo, errno, code, and the _rt
   fields (pid@12, uid@16, sigval@20) moved to the x86-64 places; the signal number in the
   host's numbering. */
void rt_siginfo_user_to_host(const uint8_t in[128], siginfo_t *h);

#endif
