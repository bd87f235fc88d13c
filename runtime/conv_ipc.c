/*
 * System V IPC and mqueue structures of ARM EABI (conv_ipc.h), written from
 * asm-generic/{ipcbuf,sembuf,msgbuf,shmbuf}.h with 32-bit longs, the old layouts of
 * linux/{ipc,sem,msg,shm}.h with ARM's 16-bit __kernel_uid_t, mode_t and ipc_pid_t, and
 * ipc/{sem,msg,shm}.c's copy_*_to_user / copy_*_from_user (offsets in comments).
 */
#include <mqueue.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "bytes.h"
#include "conv_ipc.h"
#include "conv_old.h"

/* ipc64_perm: key 0, uid 4, gid 8, cuid 12, cgid 16, mode 20 (u16), seq 24 (u16), two
   unused words to 36. The old ipc_perm: key 0, then uid, gid, cuid, cgid, mode and seq as
   u16 from 4 to 16; ids that do not fit read as the overflow id. */
static void perm_to_arm(const struct ipc_perm *h, bool v64, uint8_t *out)
{
    rt_put32(out, 0, (uint32_t)h->__key);
    if (v64) {
        rt_put32(out, 4, h->uid);
        rt_put32(out, 8, h->gid);
        rt_put32(out, 12, h->cuid);
        rt_put32(out, 16, h->cgid);
        rt_put16(out, 20, (uint16_t)h->mode);
        rt_put16(out, 24, h->__seq);
    } else {
        rt_put16(out, 4, rt_id_to16(h->uid));
        rt_put16(out, 6, rt_id_to16(h->gid));
        rt_put16(out, 8, rt_id_to16(h->cuid));
        rt_put16(out, 10, rt_id_to16(h->cgid));
        rt_put16(out, 12, (uint16_t)h->mode);
        rt_put16(out, 14, h->__seq);
    }
}

/* IPC_SET takes uid, gid and mode; old ids are taken as they are (no -1 mapping). */
static void perm_from_arm(const uint8_t *in, bool v64, struct ipc_perm *h)
{
    if (v64) {
        h->uid = rt_get32(in, 4);
        h->gid = rt_get32(in, 8);
        h->mode = rt_get16(in, 20);
    } else {
        h->uid = rt_get16(in, 4);
        h->gid = rt_get16(in, 6);
        h->mode = rt_get16(in, 12);
    }
}

/* A time as a 32-bit kernel's two words: low, then high. */
static void put_time(uint8_t *out, uint32_t off, int64_t t)
{
    rt_put32(out, off, (uint32_t)t);
    rt_put32(out, off + 4, (uint32_t)((uint64_t)t >> 32));
}

static uint16_t clamp16(uint64_t v)
{
    return v > 0xffff ? 0xffff : (uint16_t)v;
}

/* semid64_ds: otime 36/40, ctime 44/48, nsems 52. Old semid_ds: otime 16, ctime 20, four
   kernel pointers (zero), nsems 40 (u16). */
void rt_semid_to_arm(const struct semid_ds *h, bool v64, uint8_t *out)
{
    memset(out, 0, v64 ? RT_ARM_SEMID64_SIZE : RT_ARM_SEMID_OLD_SIZE);
    perm_to_arm(&h->sem_perm, v64, out);
    if (v64) {
        put_time(out, 36, h->sem_otime);
        put_time(out, 44, h->sem_ctime);
        rt_put32(out, 52, (uint32_t)h->sem_nsems);
    } else {
        rt_put32(out, 16, (uint32_t)h->sem_otime);
        rt_put32(out, 20, (uint32_t)h->sem_ctime);
        rt_put16(out, 40, (uint16_t)h->sem_nsems);
    }
}

void rt_semid_from_arm(const uint8_t *in, bool v64, struct semid_ds *h)
{
    memset(h, 0, sizeof(*h));
    perm_from_arm(in, v64, &h->sem_perm);
}

/* msqid64_ds: stime 36/40, rtime 44/48, ctime 52/56, cbytes 60, qnum 64, qbytes 68,
   lspid 72, lrpid 76. Old msqid_ds: two kernel pointers 16/20, stime 24, rtime 28,
   ctime 32, lcbytes 36, lqbytes 40, then u16 cbytes 44, qnum 46, qbytes 48 (clamped),
   lspid 50, lrpid 52. */
void rt_msqid_to_arm(const struct msqid_ds *h, bool v64, uint8_t *out)
{
    memset(out, 0, v64 ? RT_ARM_MSQID64_SIZE : RT_ARM_MSQID_OLD_SIZE);
    perm_to_arm(&h->msg_perm, v64, out);
    if (v64) {
        put_time(out, 36, h->msg_stime);
        put_time(out, 44, h->msg_rtime);
        put_time(out, 52, h->msg_ctime);
        rt_put32(out, 60, (uint32_t)h->__msg_cbytes);
        rt_put32(out, 64, (uint32_t)h->msg_qnum);
        rt_put32(out, 68, (uint32_t)h->msg_qbytes);
        rt_put32(out, 72, (uint32_t)h->msg_lspid);
        rt_put32(out, 76, (uint32_t)h->msg_lrpid);
    } else {
        rt_put32(out, 24, (uint32_t)h->msg_stime);
        rt_put32(out, 28, (uint32_t)h->msg_rtime);
        rt_put32(out, 32, (uint32_t)h->msg_ctime);
        rt_put32(out, 36, (uint32_t)h->__msg_cbytes);
        rt_put32(out, 40, (uint32_t)h->msg_qbytes);
        rt_put16(out, 44, clamp16(h->__msg_cbytes));
        rt_put16(out, 46, clamp16(h->msg_qnum));
        rt_put16(out, 48, clamp16(h->msg_qbytes));
        rt_put16(out, 50, (uint16_t)h->msg_lspid);
        rt_put16(out, 52, (uint16_t)h->msg_lrpid);
    }
}

/* IPC_SET also takes msg_qbytes; the old form's u16 one, or lqbytes when that is 0. */
void rt_msqid_from_arm(const uint8_t *in, bool v64, struct msqid_ds *h)
{
    memset(h, 0, sizeof(*h));
    perm_from_arm(in, v64, &h->msg_perm);
    if (v64)
        h->msg_qbytes = rt_get32(in, 68);
    else
        h->msg_qbytes = rt_get16(in, 48) ? rt_get16(in, 48) : rt_get32(in, 40);
}

/* shmid64_ds: segsz 36, atime 40/44, dtime 48/52, ctime 56/60, cpid 64, lpid 68,
   nattch 72. Old shmid_ds: segsz 16 (int), atime 20, dtime 24, ctime 28, u16 cpid 32,
   lpid 34, nattch 36, then unused fields to 48. */
void rt_shmid_to_arm(const struct shmid_ds *h, bool v64, uint8_t *out)
{
    memset(out, 0, v64 ? RT_ARM_SHMID64_SIZE : RT_ARM_SHMID_OLD_SIZE);
    perm_to_arm(&h->shm_perm, v64, out);
    if (v64) {
        rt_put32(out, 36, (uint32_t)h->shm_segsz);
        put_time(out, 40, h->shm_atime);
        put_time(out, 48, h->shm_dtime);
        put_time(out, 56, h->shm_ctime);
        rt_put32(out, 64, (uint32_t)h->shm_cpid);
        rt_put32(out, 68, (uint32_t)h->shm_lpid);
        rt_put32(out, 72, (uint32_t)h->shm_nattch);
    } else {
        rt_put32(out, 16, (uint32_t)h->shm_segsz);
        rt_put32(out, 20, (uint32_t)h->shm_atime);
        rt_put32(out, 24, (uint32_t)h->shm_dtime);
        rt_put32(out, 28, (uint32_t)h->shm_ctime);
        rt_put16(out, 32, (uint16_t)h->shm_cpid);
        rt_put16(out, 34, (uint16_t)h->shm_lpid);
        rt_put16(out, 36, (uint16_t)h->shm_nattch);
    }
}

void rt_shmid_from_arm(const uint8_t *in, bool v64, struct shmid_ds *h)
{
    memset(h, 0, sizeof(*h));
    perm_from_arm(in, v64, &h->shm_perm);
}

/* shminfo64: shmmax, shmmin, shmmni, shmseg, shmall as 32-bit words (a 32-bit kernel's
   size_t), then four unused. The old shminfo is five ints, shmmax clamped to INT_MAX. */
void rt_shminfo_to_arm(const struct shminfo *h, bool v64, uint8_t *out)
{
    memset(out, 0, v64 ? RT_ARM_SHMINFO64_SIZE : RT_ARM_SHMINFO_OLD_SIZE);
    uint64_t max = h->shmmax;
    rt_put32(out, 0, v64 || max <= 0x7fffffff ? (uint32_t)max : 0x7fffffffu);
    rt_put32(out, 4, (uint32_t)h->shmmin);
    rt_put32(out, 8, (uint32_t)h->shmmni);
    rt_put32(out, 12, (uint32_t)h->shmseg);
    rt_put32(out, 16, (uint32_t)h->shmall);
}

/* struct shm_info: used_ids 0, then shm_tot, shm_rss, shm_swp, swap_attempts and
   swap_successes as 32-bit words. */
void rt_shm_info_to_arm(const struct shm_info *h, uint8_t out[RT_ARM_SHM_INFO_SIZE])
{
    rt_put32(out, 0, (uint32_t)h->used_ids);
    rt_put32(out, 4, (uint32_t)h->shm_tot);
    rt_put32(out, 8, (uint32_t)h->shm_rss);
    rt_put32(out, 12, (uint32_t)h->shm_swp);
    rt_put32(out, 16, (uint32_t)h->swap_attempts);
    rt_put32(out, 20, (uint32_t)h->swap_successes);
}

/* struct mq_attr: flags, maxmsg, msgsize, curmsgs, four reserved; 32-bit longs. */
void rt_mq_attr_to_host(const uint8_t in[RT_ARM_MQ_ATTR_SIZE], struct mq_attr *h)
{
    memset(h, 0, sizeof(*h));
    h->mq_flags = (int32_t)rt_get32(in, 0);
    h->mq_maxmsg = (int32_t)rt_get32(in, 4);
    h->mq_msgsize = (int32_t)rt_get32(in, 8);
    h->mq_curmsgs = (int32_t)rt_get32(in, 12);
}

void rt_mq_attr_to_arm(const struct mq_attr *h, uint8_t out[RT_ARM_MQ_ATTR_SIZE])
{
    memset(out, 0, RT_ARM_MQ_ATTR_SIZE);
    rt_put32(out, 0, (uint32_t)h->mq_flags);
    rt_put32(out, 4, (uint32_t)h->mq_maxmsg);
    rt_put32(out, 8, (uint32_t)h->mq_msgsize);
    rt_put32(out, 12, (uint32_t)h->mq_curmsgs);
}
