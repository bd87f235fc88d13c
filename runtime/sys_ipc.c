/*
 * System V IPC and POSIX message queues. The IPC objects are the host's; what differs is
 * the layout of the *ctl structures (conv_ipc.c: 32-bit longs, and the old 16-bit ids when
 * cmd lacks IPC_64), msgbuf's long mtype, the timespecs, and shmat, which must map the
 * segment inside the guest's 4 GiB and record it in the region list as mmap2 does
 * (runtime/mem.c). semop, semget, msgget, shmget and mq_unlink pass (syscalls.def).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bytes.h"
#include "conv_ipc.h"
#include "sys_internal.h"

/* The host's cmd, and whether the guest asked for the 64-bit layouts. */
static int ipc_cmd(uint32_t cmd, bool *v64)
{
    *v64 = (cmd & RT_ARM_IPC_64) != 0;
    return (int)(cmd & ~(uint32_t)RT_ARM_IPC_64);
}

/* ---------------- semaphores ---------------- */

/* semctl(id, num, cmd, arg): arg is union semun by value, an int or a pointer. */
SYSCALL(sys_semctl)
{
    int id = si(a[0]), num = si(a[1]);
    bool v64;
    int cmd = ipc_cmd(a[2], &v64);
    uint32_t arg = a[3], size = v64 ? RT_ARM_SEMID64_SIZE : RT_ARM_SEMID_OLD_SIZE;
    struct semid_ds ds;
    switch (cmd) {
    case IPC_STAT: case SEM_STAT: case SEM_STAT_ANY: {
        if (!sys_gok(rt, arg, size, RT_PROT_W))
            return -EFAULT;
        long r = syscall(SYS_semctl, id, num, cmd, &ds);
        if (r < 0)
            return -errno;
        rt_semid_to_arm(&ds, v64, gp(arg));
        return r;
    }
    case IPC_SET:
        if (!sys_gok(rt, arg, size, RT_PROT_R))
            return -EFAULT;
        rt_semid_from_arm(gp(arg), v64, &ds);
        return ret(syscall(SYS_semctl, id, num, cmd, &ds));
    }
    /* IPC_INFO and SEM_INFO (struct seminfo: ints), GETALL and SETALL (u16s), SETVAL (an
       int), and the calls without an argument agree. */
    return ret(syscall(SYS_semctl, id, num, cmd, (unsigned long)arg));
}

static int64_t semtimedop_(const uint32_t *a, bool t64)
{
    struct timespec ts;
    if (a[3])
        sys_ts_in(a[3], t64, &ts);
    return RT_BLOCK(SYS_semtimedop, si(a[0]), gp(a[1]), (size_t)a[2], a[3] ? &ts : NULL);
}

SYSCALL(sys_semtimedop) { return semtimedop_(a, false); }
SYSCALL(sys_semtimedop64) { return semtimedop_(a, true); }

/* ---------------- messages ---------------- */

/* struct msgbuf starts with a long mtype: 4 bytes on ARM, 8 on x86-64. */
SYSCALL(sys_msgsnd)
{
    uint32_t n = a[2];
    if (n > INT32_MAX)
        return -EINVAL;
    if (!sys_gok(rt, a[1], 4ull + n, RT_PROT_R))
        return -EFAULT;
    long *h = malloc(sizeof(long) + n);
    if (!h)
        return -ENOMEM;
    h[0] = (int32_t)rt_get32(gp(a[1]), 0);
    memcpy(h + 1, (uint8_t *)gp(a[1]) + 4, n);
    int64_t r = RT_BLOCK(SYS_msgsnd, si(a[0]), h, (size_t)n, si(a[3]));
    free(h);
    return r;
}

SYSCALL(sys_msgrcv)
{
    uint32_t n = a[2];
    if (n > INT32_MAX)
        return -EINVAL;
    if (!sys_gok(rt, a[1], 4ull + n, RT_PROT_W))
        return -EFAULT;
    long *h = malloc(sizeof(long) + n);
    if (!h)
        return -ENOMEM;
    int64_t r = RT_BLOCK(SYS_msgrcv, si(a[0]), h, (size_t)n, (long)si(a[3]), si(a[4]));
    if (r >= 0) {
        rt_put32(gp(a[1]), 0, (uint32_t)h[0]);
        memcpy((uint8_t *)gp(a[1]) + 4, h + 1, (size_t)r);
    }
    free(h);
    return r;
}

SYSCALL(sys_msgctl)
{
    int id = si(a[0]);
    bool v64;
    int cmd = ipc_cmd(a[1], &v64);
    uint32_t buf = a[2], size = v64 ? RT_ARM_MSQID64_SIZE : RT_ARM_MSQID_OLD_SIZE;
    struct msqid_ds ds;
    switch (cmd) {
    case IPC_STAT: case MSG_STAT: case MSG_STAT_ANY: {
        if (!sys_gok(rt, buf, size, RT_PROT_W))
            return -EFAULT;
        long r = syscall(SYS_msgctl, id, cmd, &ds);
        if (r < 0)
            return -errno;
        rt_msqid_to_arm(&ds, v64, gp(buf));
        return r;
    }
    case IPC_SET:
        if (!sys_gok(rt, buf, size, RT_PROT_R))
            return -EFAULT;
        rt_msqid_from_arm(gp(buf), v64, &ds);
        return ret(syscall(SYS_msgctl, id, cmd, &ds));
    }
    /* IPC_INFO and MSG_INFO (struct msginfo: ints and a u16) and IPC_RMID agree. */
    return ret(syscall(SYS_msgctl, id, cmd, gp(buf)));
}

/* ---------------- shared memory ---------------- */

/* The segments attached with shmat, for shmdt to know their length (mem_lock). */
struct shm_att {
    uint32_t addr, len;
};
static struct shm_att *atts;
static size_t natts, catts;

static void att_forget(uint32_t start, uint64_t end)
{
    for (size_t i = 0; i < natts;)
        if (atts[i].addr < end && start < (uint64_t)atts[i].addr + atts[i].len)
            atts[i] = atts[--natts];
        else
            i++;
}

/* Room for one more entry, made before the attach so that recording it cannot fail. */
static bool att_room(void)
{
    if (natts < catts)
        return true;
    size_t c = catts ? 2 * catts : 16;
    struct shm_att *n = realloc(atts, c * sizeof(*n));
    if (!n)
        return false;
    atts = n;
    catts = c;
    return true;
}

/* shmat without SHM_REMAP over guest mappings is EINVAL; with addr 0 the segment goes
   where mmap2 would put it. The host attaches with SHM_REMAP to replace the reservation. */
static int64_t shmat_locked(struct rt_thread *rt, int id, uint32_t addr, int flags)
{
    struct rt_mem *m = &rt->proc->mem;
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0)
        return -errno;
    uint64_t len = RT_PAGE_UP((uint64_t)ds.shm_segsz);
    if (len == 0 || len > RT_KUSER_PAGE - RT_GUEST_LO)
        return -ENOMEM;
    uint32_t start;
    if (addr) {
        if ((uint64_t)addr + len > RT_KUSER_PAGE || addr < RT_GUEST_LO)
            return -EINVAL;
        if (!(flags & SHM_REMAP) && !rt_mem_free(m, addr, addr + len))
            return -EINVAL;
        start = addr;
    } else {
        start = rt_mem_find_free(m, (uint32_t)len, (uint32_t)RT_PAGE_UP(m->brk_cur), m->mmap_top);
        if (!start)
            start = rt_mem_find_free(m, (uint32_t)len, RT_GUEST_LO, RT_KUSER_PAGE);
        if (!start)
            return -ENOMEM;
    }
    if (!att_room())
        return -ENOMEM;
    void *p = shmat(id, gp(start), (flags & ~SHM_RND) | SHM_REMAP);
    if (p == (void *)-1) {
        int e = errno;
        if (rt_mem_free(m, start, start + len))    /* a failed attach may leave a hole */
            mmap(gp(start), len, PROT_NONE, MAP_FIXED | MAP_NORESERVE | MAP_PRIVATE |
                 MAP_ANONYMOUS, -1, 0);
        return -e;
    }
    if (rt_mem_has_prot(m, start, start + len, RT_PROT_X))
        rt_code_changed(rt->proc, start, start + len);
    unsigned prot = (flags & SHM_RDONLY) ? RT_PROT_R : RT_PROT_R | RT_PROT_W;
    if (flags & SHM_EXEC)
        prot |= RT_PROT_X;
    rt_mem_set(m, start, start + len, prot);
    att_forget(start, start + len);
    atts[natts++] = (struct shm_att){ start, (uint32_t)len };
    return start;
}

/* ARM enforces SHMLBA (4 pages) on the address: SHM_RND rounds down to it, else EINVAL. */
SYSCALL(sys_shmat)
{
    uint32_t addr = a[1];
    int flags = si(a[2]);
    if (addr & (RT_ARM_SHMLBA - 1)) {
        if (!(flags & SHM_RND))
            return -EINVAL;
        addr &= ~(RT_ARM_SHMLBA - 1);
        if (!addr)
            return -EINVAL;
    } else if (!addr && (flags & SHM_REMAP)) {
        return -EINVAL;
    }
    pthread_mutex_lock(&rt->proc->mem_lock);
    int64_t r = shmat_locked(rt, si(a[0]), addr, flags);
    pthread_mutex_unlock(&rt->proc->mem_lock);
    return r;
}

/* shmdt: the host detaches, and the range goes back to the reservation. An address that
   no shmat returned is EINVAL, as Linux's when no segment starts there. */
SYSCALL(sys_shmdt)
{
    struct rt_process *p = rt->proc;
    int64_t r = -EINVAL;
    pthread_mutex_lock(&p->mem_lock);
    for (size_t i = 0; i < natts; i++) {
        if (atts[i].addr != a[0])
            continue;
        struct shm_att at = atts[i];
        atts[i] = atts[--natts];
        r = ret(shmdt(gp(at.addr)));
        if (r == 0) {
            if (rt_mem_has_prot(&p->mem, at.addr, (uint64_t)at.addr + at.len, RT_PROT_X))
                rt_code_changed(p, at.addr, (uint64_t)at.addr + at.len);
            rt_mem_unmap(&p->mem, at.addr, at.len);
        }
        break;
    }
    pthread_mutex_unlock(&p->mem_lock);
    return r;
}

SYSCALL(sys_shmctl)
{
    int id = si(a[0]);
    bool v64;
    int cmd = ipc_cmd(a[1], &v64);
    uint32_t buf = a[2];
    switch (cmd) {
    case IPC_STAT: case SHM_STAT: case SHM_STAT_ANY: {
        struct shmid_ds ds;
        if (!sys_gok(rt, buf, v64 ? RT_ARM_SHMID64_SIZE : RT_ARM_SHMID_OLD_SIZE, RT_PROT_W))
            return -EFAULT;
        long r = syscall(SYS_shmctl, id, cmd, &ds);
        if (r < 0)
            return -errno;
        rt_shmid_to_arm(&ds, v64, gp(buf));
        return r;
    }
    case IPC_SET: {
        struct shmid_ds ds;
        if (!sys_gok(rt, buf, v64 ? RT_ARM_SHMID64_SIZE : RT_ARM_SHMID_OLD_SIZE, RT_PROT_R))
            return -EFAULT;
        rt_shmid_from_arm(gp(buf), v64, &ds);
        return ret(syscall(SYS_shmctl, id, cmd, &ds));
    }
    case IPC_INFO: {
        struct shminfo info;
        if (!sys_gok(rt, buf, v64 ? RT_ARM_SHMINFO64_SIZE : RT_ARM_SHMINFO_OLD_SIZE,
                     RT_PROT_W))
            return -EFAULT;
        long r = syscall(SYS_shmctl, id, cmd, &info);
        if (r < 0)
            return -errno;
        rt_shminfo_to_arm(&info, v64, gp(buf));
        return r;
    }
    case SHM_INFO: {
        struct shm_info info;
        if (!sys_gok(rt, buf, RT_ARM_SHM_INFO_SIZE, RT_PROT_W))
            return -EFAULT;
        long r = syscall(SYS_shmctl, id, cmd, &info);
        if (r < 0)
            return -errno;
        rt_shm_info_to_arm(&info, gp(buf));
        return r;
    }
    }
    /* IPC_RMID, SHM_LOCK, SHM_UNLOCK take no structure. */
    return ret(syscall(SYS_shmctl, id, cmd, gp(buf)));
}

/* ---------------- POSIX message queues ---------------- */

/* mq_open(name, oflag, mode, attr): attr is read with O_CREAT only. */
SYSCALL(sys_mq_open)
{
    struct mq_attr h, *hp = NULL;
    if ((a[1] & O_CREAT) && a[3]) {
        if (!sys_gok(rt, a[3], RT_ARM_MQ_ATTR_SIZE, RT_PROT_R))
            return -EFAULT;
        rt_mq_attr_to_host(gp(a[3]), &h);
        hp = &h;
    }
    return ret(syscall(SYS_mq_open, gp(a[0]), rt_open_flags_to_host(a[1]), a[2], hp));
}

/* mq_timedsend(mqd, msg, len, prio, timeout) and mq_timedreceive(mqd, msg, len, &prio,
   timeout): the timeout in either timespec layout. */
static int64_t mq_io(const uint32_t *a, bool send, bool t64)
{
    struct timespec ts;
    if (a[4])
        sys_ts_in(a[4], t64, &ts);
    if (send)
        return RT_BLOCK(SYS_mq_timedsend, si(a[0]), gp(a[1]), (size_t)a[2], a[3],
                        a[4] ? &ts : NULL);
    return RT_BLOCK(SYS_mq_timedreceive, si(a[0]), gp(a[1]), (size_t)a[2], gp(a[3]),
                    a[4] ? &ts : NULL);
}

SYSCALL(sys_mq_timedsend) { return mq_io(a, true, false); }
SYSCALL(sys_mq_timedsend64) { return mq_io(a, true, true); }
SYSCALL(sys_mq_timedreceive) { return mq_io(a, false, false); }
SYSCALL(sys_mq_timedreceive64) { return mq_io(a, false, true); }

/* mq_notify(mqd, sigevent): glibc's SIGEV_THREAD is a netlink socket in sigev_signo and a
   32-byte cookie at sigev_value, which the kernel reads there (sys_sigevent_in keeps
   both). */
SYSCALL(sys_mq_notify)
{
    struct sigevent ev;
    if (a[1]) {
        int64_t e = sys_sigevent_in(a[1], &ev);
        if (e)
            return e;
    }
    return ret(syscall(SYS_mq_notify, si(a[0]), a[1] ? &ev : NULL));
}

SYSCALL(sys_mq_getsetattr)
{
    struct mq_attr n, o;
    if (a[1]) {
        if (!sys_gok(rt, a[1], RT_ARM_MQ_ATTR_SIZE, RT_PROT_R))
            return -EFAULT;
        rt_mq_attr_to_host(gp(a[1]), &n);
    }
    if (a[2] && !sys_gok(rt, a[2], RT_ARM_MQ_ATTR_SIZE, RT_PROT_W))
        return -EFAULT;
    if (syscall(SYS_mq_getsetattr, si(a[0]), a[1] ? &n : NULL, a[2] ? &o : NULL) < 0)
        return -errno;
    if (a[2])
        rt_mq_attr_to_arm(&o, gp(a[2]));
    return 0;
}
