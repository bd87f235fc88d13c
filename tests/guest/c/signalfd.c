/* A blocked, queued SIGUSR1 taken from a signalfd: seen by poll and by epoll first, then read
 * as a 128-byte signalfd_siginfo (same layout on ARM and x86-64) with its sender and value;
 * then two real-time signals, whose numbers differ between guest and host.
 * Relies on the host's blocked mask being the guest's (runtime/signal.c): the signal waits
 * in the host kernel, where the host's signalfd finds it. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    int fd = signalfd(-1, &s, SFD_NONBLOCK);
    struct signalfd_siginfo si;
    printf("read before: %zd %s\n", read(fd, &si, sizeof(si)), strerrorname_np(errno));
    union sigval v = { .sival_int = 4242 };
    sigqueue(getpid(), SIGUSR1, v);
    struct pollfd p = { fd, POLLIN, 0 };
    printf("poll %d revents %#x\n", poll(&p, 1, 1000), p.revents);
    int ep = epoll_create1(0);
    struct epoll_event ev = { EPOLLIN, { .u64 = 0xabcdef0123456789ull } }, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    printf("epoll_wait %d data %#llx\n", epoll_wait(ep, &out, 1, 1000),
           (unsigned long long)out.data.u64);
    memset(&si, 0, sizeof(si));
    printf("read %zd\n", read(fd, &si, sizeof(si)));
    printf("  signo %u code is SI_QUEUE %d pid is mine %d uid is mine %d int %d\n",
           si.ssi_signo, si.ssi_code == SI_QUEUE, si.ssi_pid == (uint32_t)getpid(),
           si.ssi_uid == getuid(), si.ssi_int);
    printf("read after: %zd %s\n", read(fd, &si, sizeof(si)), strerrorname_np(errno));
    close(ep);
    close(fd);

    /* Real-time signals are numbered apart on the guest and the host (runtime/signal.c):
       two of them, queued, come back from the signalfd with the guest's numbers. */
    sigemptyset(&s);
    sigaddset(&s, SIGRTMIN + 1);
    sigaddset(&s, SIGRTMIN + 5);
    sigprocmask(SIG_BLOCK, &s, NULL);
    fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
    sigqueue(getpid(), SIGRTMIN + 5, v);
    sigqueue(getpid(), SIGRTMIN + 1, v);
    for (int k = 0; k < 2; k++) {       /* the lower number first, as Linux dequeues */
        memset(&si, 0, sizeof(si));
        ssize_t n = read(fd, &si, sizeof(si));
        printf("read rt %zd: SIGRTMIN+%d\n", n, (int)si.ssi_signo - SIGRTMIN);
    }
    close(fd);
    return 0;
}
