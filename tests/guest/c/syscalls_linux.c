/* What an ARM EABI Linux kernel answers where qemu-arm does not, so the expected output is
 * syscalls_linux.expected: the numbers xlate refuses (runtime/syscalls_refused.def; the
 * OABI-only ones, which qemu-arm implements, included) and the ARM-private traps; the old
 * IPC layouts without IPC_64 and shmat's fixed addresses; a 32-bit sendfile at 2 GiB;
 * setfsuid16's "unchanged"; nice's return; the old sigprocmask and sigsuspend on a 32-bit
 * mask; prctl's refusals, GET_TID_ADDRESS and GET_AUXV; and calls qemu-arm lacks
 * (openat2, preadv2/pwritev2, process_vm_readv, mlock2, mq_notify).
 * guest-max-jit-blocks: 60
 * (Why more than 20: the breakpoint's handler siglongjmps out of the nested run that the
 * svc's signal is handled in, which drops the host frames of main's AOT code, so main's
 * tail after traps() runs in the JIT: about 40 blocks at -O2.) */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <mqueue.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

static const char *e(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void refused(void)
{
    static const struct { int nr; const char *name; } calls[] = {
        { 7, "waitpid" }, { 13, "time" }, { 17, "break" }, { 26, "ptrace" },
        { 27, "alarm" }, { 76, "getrlimit" }, { 82, "select" }, { 90, "mmap" },
        { 102, "socketcall" }, { 113, "syscall" }, { 117, "ipc" }, { 128, "init_module" },
        { 149, "_sysctl" }, { 243, "io_setup" }, { 319, "mbind" }, { 347, "kexec_load" },
        { 364, "perf_event_open" }, { 383, "seccomp" }, { 395, "pkey_alloc" },
        { 398, "rseq" }, { 425, "io_uring_setup" }, { 435, "clone3" }, { 462, "mseal" },
        { 470, "(none)" }, { 1000, "(none)" }, { 0xf0007, "(private)" },
        { 0xf07ff, "(private)" },
    };
    for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        errno = 0;
        long r = syscall(calls[i].nr, 0, 0, 0, 0, 0, 0);
        printf("%-16s %s\n", calls[i].name, e(r));
    }
    printf("restart_syscall  %s\n", e(syscall(SYS_restart_syscall)));
    printf("PR_SET_SECCOMP   %s\n", e(prctl(PR_SET_SECCOMP, 1, 0, 0, 0)));
    printf("PR_GET_SECCOMP   %s\n", e(prctl(PR_GET_SECCOMP, 0, 0, 0, 0)));
    printf("PR_SET_MDWE      %s\n", e(prctl(65, 1, 0, 0, 0)));
}

/* ---- the ARM-private traps ---- */

static sigjmp_buf jb;
static volatile int sig, code;
static volatile uintptr_t addr, pc;

static void on_trap(int s, siginfo_t *si, void *uc)
{
    sig = s;
    code = si->si_code;
    addr = (uintptr_t)si->si_addr;
    pc = ((ucontext_t *)uc)->uc_mcontext.arm_pc;
    if (s == SIGTRAP)
        siglongjmp(jb, 1);      /* the frame's pc is the svc itself: it would trap again */
}

static void traps(void)
{
    struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0)
        syscall(0xf0001);
    printf("breakpoint: sig %d code %d at the svc %d\n", sig, code, addr == pc && addr != 0);
    sig = 0;
    long r = syscall(0xf0003);
    printf("usr26: sig %d code %d after the svc %d r0 %ld\n", sig, code, pc == addr + 2 ||
           pc == addr + 4, r);
    sig = 0;
    r = syscall(0xf0004);
    printf("usr32: sig %d r0 %ld\n", sig, r);
    sig = 0;
    r = syscall(0xf0800);
    printf("0xf0800: sig %d code %d r0 %ld\n", sig, code, r);
    sig = 0;
    r = syscall(0xf0000);
    printf("0xf0000: sig %d code %d addr %lx r0 %ld\n", sig, code, (unsigned long)addr, r);
    signal(SIGTRAP, SIG_DFL);
    signal(SIGILL, SIG_DFL);
    signal(SIGSEGV, SIG_DFL);
}

/* ---- IPC: the old layouts (cmd without IPC_64), shmat's addresses ---- */

static void ipc(void)
{
    unshare(CLONE_NEWIPC);      /* as root; else the private objects are removed below */
    int s = semget(IPC_PRIVATE, 3, 0640);
    uint8_t old[64];
    memset(old, 0xee, sizeof(old));
    long r = syscall(SYS_semctl, s, 0, IPC_STAT, old);
    uint16_t mode, nsems, uid;
    memcpy(&uid, old + 4, 2);
    memcpy(&mode, old + 12, 2);
    memcpy(&nsems, old + 40, 2);
    printf("old semid_ds %ld mode %o nsems %u uid %d\n", r, mode & 0777, nsems, uid == getuid());
    semctl(s, 0, IPC_RMID);

    int q = msgget(IPC_PRIVATE, 0600);
    struct { long type; char t[8]; } m = { 1, "abcd" };
    msgsnd(q, &m, 4, 0);
    memset(old, 0xee, sizeof(old));
    r = syscall(SYS_msgctl, q, IPC_STAT, old);
    uint16_t qnum, cbytes;
    uint32_t lcbytes;
    memcpy(&cbytes, old + 44, 2);
    memcpy(&qnum, old + 46, 2);
    memcpy(&lcbytes, old + 36, 4);
    printf("old msqid_ds %ld qnum %u cbytes %u lcbytes %u\n", r, qnum, cbytes, lcbytes);
    msgctl(q, IPC_RMID, NULL);

    int id = shmget(IPC_PRIVATE, 5000, 0600);
    char *area = mmap(NULL, 0x20000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *at = (char *)(((uintptr_t)area + 0x3fff) & ~(uintptr_t)0x3fff);
    munmap(area, 0x20000);
    printf("shmat fixed %d\n", shmat(id, at, 0) == at);
    errno = 0;
    printf("shmat busy %s\n", e((long)shmat(id, at, 0)));
    printf("shmat rnd busy %s\n", e((long)shmat(id, at + 0x1000, SHM_RND)));
    printf("shmat rnd remap %d\n", shmat(id, at + 0x1000, SHM_RND | SHM_REMAP) == at);
    memset(old, 0xee, sizeof(old));
    r = syscall(SYS_shmctl, id, IPC_STAT, old);
    int32_t segsz;
    uint16_t nattch;
    memcpy(&segsz, old + 16, 4);
    memcpy(&nattch, old + 36, 2);
    printf("old shmid_ds %ld segsz %d nattch %u\n", r, segsz, nattch);
    printf("shmdt %d\n", shmdt(at));
    shmctl(id, IPC_RMID, NULL);
}

/* ---- the rest ---- */

static volatile int got, got_code;
static void on_sig(int s, siginfo_t *si, void *uc)
{
    (void)uc;
    got = s;
    got_code = si->si_code;
}

static void old_abi(void)
{
    int p[2];
    pipe2(p, O_NONBLOCK);
    int fd = open("linux.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    int32_t off = 0x7fffffff;
    printf("sendfile at 2G %s\n", e(syscall(SYS_sendfile, p[1], fd, &off, 4)));
    close(p[0]);
    close(p[1]);

    long fsuid = syscall(SYS_setfsuid32, -1);
    printf("setfsuid16 keep: old %d now %d\n", syscall(SYS_setfsuid, 0xffff) == fsuid,
           syscall(SYS_setfsuid32, -1) == fsuid);
    printf("nice returns %ld\n", syscall(SYS_nice, 1));

    /* SIG_SETMASK on 32 bits keeps the real-time signals blocked */
    sigset_t rt, cur;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    uint32_t set = 0;
    syscall(SYS_sigprocmask, SIG_SETMASK, &set, NULL);
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("sigprocmask keeps rt %d\n", sigismember(&cur, SIGRTMIN + 2));
    sigprocmask(SIG_UNBLOCK, &rt, NULL);

    /* sigsuspend(0, 0, mask): the mask is in r2 */
    struct sigaction sa = { .sa_sigaction = on_sig, .sa_flags = SA_SIGINFO };
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t u;
    sigemptyset(&u);
    sigaddset(&u, SIGUSR1);
    sigprocmask(SIG_BLOCK, &u, NULL);
    raise(SIGUSR1);
    printf("sigsuspend %s got %d\n", e(syscall(SYS_sigsuspend, 0, 0, 0)), got);
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("usr1 blocked again %d\n", sigismember(&cur, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &u, NULL);

    int *tid = NULL;
    printf("PR_GET_TID_ADDRESS %ld set %d\n", (long)prctl(PR_GET_TID_ADDRESS, &tid), tid != NULL);
    uint32_t auxv[128] = { 0 };
    long n = prctl(0x41555856 /* PR_GET_AUXV */, auxv, sizeof(auxv), 0, 0);
    uint32_t pagesz = 0;
    for (int i = 0; n > 0 && i + 1 < 128 && auxv[i] != AT_NULL; i += 2)
        if (auxv[i] == AT_PAGESZ)
            pagesz = auxv[i + 1];
    printf("PR_GET_AUXV %d pagesz %u\n", n > 0, pagesz);

    /* calls qemu-arm lacks */
    symlink("linux.tmp", "linux.lnk");
    struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_NO_SYMLINKS };
    long o = syscall(SYS_openat2, AT_FDCWD, "linux.tmp", &how, sizeof(how));
    printf("openat2 %d", o >= 0);
    printf(" symlink %s", e(syscall(SYS_openat2, AT_FDCWD, "linux.lnk", &how, sizeof(how))));
    printf(" small %s\n", e(syscall(SYS_openat2, AT_FDCWD, "linux.tmp", &how, 8)));
    close((int)o);
    unlink("linux.lnk");

    char a[4] = { 0 }, b[4] = { 0 };
    struct iovec v[2] = { { a, 3 }, { b, 3 } };
    lseek(fd, 2, SEEK_SET);
    printf("preadv2 at pos %d", (int)preadv2(fd, v, 2, -1, 0));
    printf(" %s %s pos %d\n", a, b, (int)lseek(fd, 0, SEEK_CUR));
    printf("pwritev2 at 1 %d\n", (int)pwritev2(fd, v, 1, 1, 0));
    struct iovec l = { a, 3 }, rv = { (void *)"xyz", 3 };
    printf("process_vm_readv self %d", (int)process_vm_readv(getpid(), &l, 1, &rv, 1, 0));
    printf(" %s\n", a);
    printf("mlock2 %ld munlock %d\n", syscall(SYS_mlock2, a, 4, 0), munlock(a, 4));
    close(fd);
    unlink("linux.tmp");

    char name[64];
    snprintf(name, sizeof(name), "/xlate-linux-%d", getpid());
    mqd_t mq = mq_open(name, O_CREAT | O_RDWR, 0600, NULL);
    struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
    sigaction(SIGUSR2, &sa, NULL);
    got = 0;
    printf("mq_notify %s", e(mq_notify(mq, &ev)));
    mq_send(mq, "m", 1, 0);
    printf(" got %d code %d\n", got, got_code == SI_MESGQ);
    mq_close(mq);
    mq_unlink(name);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    refused();
    traps();
    ipc();
    old_abi();
    return 0;
}
