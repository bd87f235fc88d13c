/* System V semaphores, messages and shared memory, and POSIX message queues: the *ctl
 * structures of 32-bit longs (IPC_64), msgbuf's 4-byte mtype, shmat into the guest's
 * address space (shared with a forked child, at a fixed address with ARM's 16 KiB SHMLBA,
 * and free again after shmdt), the mqueue attributes and timeouts. In an IPC namespace of
 * its own when it may make one (as root), so that nothing is left on the machine.
 * Where qemu-arm differs from Linux (shmat at a fixed address without SHM_REMAP, SHM_RND,
 * the old layouts without IPC_64), syscalls_linux.c has the checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int err(long r) { return r < 0 ? errno : 0; }

static void sem(void)
{
    int id = semget(IPC_PRIVATE, 2, 0600);
    printf("semget %d\n", id >= 0);
    printf("setval %d\n", semctl(id, 0, SETVAL, 5));
    struct sembuf op = { 0, -2, 0 };
    printf("semop %d getval %d\n", semop(id, &op, 1), semctl(id, 0, GETVAL));
    unsigned short all[2] = { 7, 9 }, back[2];
    printf("setall %d getall %d %u %u\n", semctl(id, 0, SETALL, all), semctl(id, 0, GETALL, back),
           back[0], back[1]);
    struct semid_ds ds;
    printf("ipc_stat %d nsems %lu mode %o uid %d\n", semctl(id, 0, IPC_STAT, &ds),
           (unsigned long)ds.sem_nsems, ds.sem_perm.mode & 0777, ds.sem_perm.uid == getuid());
    ds.sem_perm.mode = 0640;
    printf("ipc_set %d\n", semctl(id, 0, IPC_SET, &ds));
    semctl(id, 0, IPC_STAT, &ds);
    printf("mode %o otime set %d\n", ds.sem_perm.mode & 0777, ds.sem_otime != 0);
    /* wait for zero on a semaphore that is 7: the timeout ends it */
    struct sembuf z = { 0, 0, 0 };
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    printf("semtimedop %d\n", err(semtimedop(id, &z, 1, &ts)));
    int32_t ts32[2] = { 0, 20 * 1000 * 1000 };
    printf("semtimedop32 %d\n", err(syscall(SYS_semtimedop, id, &z, 1, ts32)));
    struct seminfo si;
    printf("sem_info %d semmsl %d\n", semctl(id, 0, SEM_INFO, &si) >= 0, si.semmsl > 0);
    printf("rmid %d again %d\n", semctl(id, 0, IPC_RMID), err(semctl(id, 0, IPC_RMID)));
}

struct msg { long type; char text[16]; };

static void msg(void)
{
    int q = msgget(IPC_PRIVATE, 0600);
    printf("msgget %d\n", q >= 0);
    struct msg m = { 7, "hello" };
    printf("msgsnd %d", msgsnd(q, &m, 5, 0));
    m = (struct msg){ 3, "abc" };
    printf(" %d\n", msgsnd(q, &m, 3, 0));
    struct msqid_ds ds;
    printf("ipc_stat %d qnum %lu cbytes %lu lspid %d\n", msgctl(q, IPC_STAT, &ds),
           (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes, ds.msg_lspid == getpid());
    memset(&m, 0, sizeof(m));
    printf("msgrcv type 3: %d", (int)msgrcv(q, &m, sizeof(m.text), 3, 0));
    printf(" %ld %s\n", m.type, m.text);
    printf("msgrcv small %d\n", err(msgrcv(q, &m, 2, 0, 0)));
    memset(&m, 0, sizeof(m));
    printf("msgrcv any: %d", (int)msgrcv(q, &m, sizeof(m.text), 0, 0));
    printf(" %ld %s\n", m.type, m.text);
    printf("msgrcv empty %d\n", err(msgrcv(q, &m, sizeof(m.text), 0, IPC_NOWAIT)));
    m.type = 0;
    printf("msgsnd type 0 %d\n", err(msgsnd(q, &m, 1, 0)));
    ds.msg_qbytes = 1000;
    printf("ipc_set %d", msgctl(q, IPC_SET, &ds));
    msgctl(q, IPC_STAT, &ds);
    printf(" qbytes %lu\n", (unsigned long)ds.msg_qbytes);
    struct msginfo mi;
    printf("msg_info %d\n", msgctl(q, MSG_INFO, (struct msqid_ds *)&mi) >= 0);
    printf("rmid %d\n", msgctl(q, IPC_RMID, NULL));
}

static void shm(void)
{
    int id = shmget(IPC_PRIVATE, 10000, 0600);
    printf("shmget %d\n", id >= 0);
    char *p = shmat(id, NULL, 0);
    printf("shmat %d aligned %d\n", p != (void *)-1, ((uintptr_t)p & 4095) == 0);
    strcpy(p, "parent");
    pid_t c = fork();
    if (c == 0) {
        strcpy(p, "child");
        _exit(0);
    }
    waitpid(c, NULL, 0);
    printf("after child: %s\n", p);
    char *r = shmat(id, NULL, SHM_RDONLY);
    printf("shmat rdonly %d same %d\n", r != (void *)-1 && r != p, strcmp(r, "child") == 0);
    struct shmid_ds ds;
    printf("ipc_stat %d segsz %lu nattch %lu cpid %d\n", shmctl(id, IPC_STAT, &ds),
           (unsigned long)ds.shm_segsz, (unsigned long)ds.shm_nattch, ds.shm_cpid == getpid());
    printf("shmdt %d again %d\n", shmdt(r), err(shmdt(r)));

    /* a fixed address: ARM wants it 16 KiB aligned, SHM_RND rounds down to that */
    char *area = mmap(NULL, 0x20000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *at = (char *)(((uintptr_t)area + 0x3fff) & ~(uintptr_t)0x3fff);
    munmap(area, 0x20000);
    printf("shmat unaligned %d\n", err((long)shmat(id, at + 0x1000, 0)));
    printf("shmat remap %d\n", shmat(id, at, SHM_REMAP) == at);
    printf("shared %d\n", strcmp(at, "child") == 0);
    printf("shmdt %d\n", shmdt(at));
    /* the range is free again */
    char *m = mmap(at, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
                   MAP_FIXED_NOREPLACE, -1, 0);
    printf("mmap there %d\n", m == at);
    munmap(m, 4096);

    struct shminfo info;
    printf("ipc_info %d shmmni %d\n", shmctl(id, IPC_INFO, (struct shmid_ds *)&info) >= 0,
           info.shmmni > 0);
    struct shm_info sinfo;
    printf("shm_info %d used %d\n", shmctl(id, SHM_INFO, (struct shmid_ds *)&sinfo) >= 0,
           sinfo.used_ids >= 1);
    printf("rmid %d\n", shmctl(id, IPC_RMID, NULL));
    printf("shmdt %d\n", shmdt(p));
}

static void mq(void)
{
    char name[64];
    snprintf(name, sizeof(name), "/xlate-test-%d", getpid());
    struct mq_attr attr = { 0, 4, 32, 0 }, got;
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    printf("mq_open %d\n", q >= 0);
    printf("mq_getattr %d maxmsg %ld msgsize %ld cur %ld\n", mq_getattr(q, &got), got.mq_maxmsg,
           got.mq_msgsize, got.mq_curmsgs);
    printf("mq_send %d %d\n", mq_send(q, "one", 3, 1), mq_send(q, "two", 3, 5));
    mq_getattr(q, &got);
    printf("cur %ld\n", got.mq_curmsgs);
    char buf[32] = { 0 };
    unsigned prio;
    printf("mq_receive %d", (int)mq_receive(q, buf, sizeof(buf), &prio));
    printf(" %s prio %u\n", buf, prio);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    memset(buf, 0, sizeof(buf));
    printf("mq_timedreceive %d", (int)mq_timedreceive(q, buf, sizeof(buf), &prio, &ts));
    printf(" %s prio %u\n", buf, prio);
    ts.tv_sec -= 10;
    printf("mq_timedreceive past %d\n", err(mq_timedreceive(q, buf, sizeof(buf), &prio, &ts)));
    printf("mq_receive small %d\n", err(mq_receive(q, buf, 8, &prio)));
    struct mq_attr nb = { O_NONBLOCK, 0, 0, 0 };
    printf("mq_setattr %d old flags %ld\n", mq_setattr(q, &nb, &got), got.mq_flags);
    printf("mq_receive nonblock %d\n", err(mq_receive(q, buf, sizeof(buf), &prio)));
    printf("mq_close %d mq_unlink %d again %d\n", mq_close(q), mq_unlink(name),
           err(mq_unlink(name)));
}

int main(void)
{
    unshare(CLONE_NEWIPC);
    sem();
    msg();
    shm();
    mq();
    return 0;
}
