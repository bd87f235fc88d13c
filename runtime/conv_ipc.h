/*
 * ARM EABI layouts of the System V IPC and POSIX message queue structures and their
 * conversions (conv_ipc.c). The *ctl calls of ARM take IPC_64 (0x100) in cmd for the
 * 64-bit layouts (semid64_ds and friends, what glibc and musl use) and the old layouts
 * without it (16-bit ids and modes); both are here. Pure functions over byte buffers, for
 * tests/unit/systab_test.c.
 */
#ifndef XL_CONV_IPC_H
#define XL_CONV_IPC_H

#include <stdbool.h>
#include <stdint.h>

#define RT_ARM_IPC_64 0x100
#define RT_ARM_SEMID64_SIZE 64
#define RT_ARM_SEMID_OLD_SIZE 44
#define RT_ARM_MSQID64_SIZE 88
#define RT_ARM_MSQID_OLD_SIZE 56
#define RT_ARM_SHMID64_SIZE 84
#define RT_ARM_SHMID_OLD_SIZE 48
#define RT_ARM_SHMINFO64_SIZE 36    /* 9 unsigned longs */
#define RT_ARM_SHMINFO_OLD_SIZE 20  /* 5 ints */
#define RT_ARM_SHM_INFO_SIZE 24     /* int, 5 unsigned longs */
#define RT_ARM_MQ_ATTR_SIZE 32      /* 8 longs */
#define RT_ARM_SHMLBA 0x4000u       /* 4 pages (asm/shmparam.h), enforced by shmat */

/* The host's structures are glibc's x86-64 ones, which are the kernel's. */
struct semid_ds;
struct msqid_ds;
struct shmid_ds;
struct shminfo;
struct shm_info;
struct mq_attr;

/* STAT: host → ARM, 64-bit (v64) or old layout. */
void rt_semid_to_arm(const struct semid_ds *h, bool v64, uint8_t *out);
void rt_msqid_to_arm(const struct msqid_ds *h, bool v64, uint8_t *out);
void rt_shmid_to_arm(const struct shmid_ds *h, bool v64, uint8_t *out);
/* IPC_SET: the fields it changes (uid, gid, mode; msg_qbytes), ARM → host. */
void rt_semid_from_arm(const uint8_t *in, bool v64, struct semid_ds *h);
void rt_msqid_from_arm(const uint8_t *in, bool v64, struct msqid_ds *h);
void rt_shmid_from_arm(const uint8_t *in, bool v64, struct shmid_ds *h);
/* shmctl IPC_INFO (shminfo64, or the old one of ints) and SHM_INFO. */
void rt_shminfo_to_arm(const struct shminfo *h, bool v64, uint8_t *out);
void rt_shm_info_to_arm(const struct shm_info *h, uint8_t out[RT_ARM_SHM_INFO_SIZE]);

void rt_mq_attr_to_host(const uint8_t in[RT_ARM_MQ_ATTR_SIZE], struct mq_attr *h);
void rt_mq_attr_to_arm(const struct mq_attr *h, uint8_t out[RT_ARM_MQ_ATTR_SIZE]);

#endif
