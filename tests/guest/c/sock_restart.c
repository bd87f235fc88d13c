/* SA_RESTART and socket timeouts (socket(7)): a recv interrupted by a handler with
 * SA_RESTART starts again, as a recvmmsg with a timeout of its own does (Linux restarts it),
 * but not when the socket has SO_RCVTIMEO (EINTR); a send with SO_SNDTIMEO is not restarted
 * either. The handler (a SIGALRM 50 ms in) writes one byte to the peer, which a restarted
 * call then reads. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int peer;

static void on_alarm(int sig)
{
    (void)sig;
    char c = 'x';
    write(peer, &c, 1);
}

static void arm_timer(void)
{
    struct itimerval it = { { 0, 0 }, { 0, 50000 } };
    setitimer(ITIMER_REAL, &it, NULL);
}

static void drain(int fd)
{
    char buf[64];
    while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
        ;
}

static const char *result(long r)
{
    static char buf[64];
    if (r < 0)
        snprintf(buf, sizeof buf, "-1 %s", errno == EINTR ? "EINTR" : strerror(errno));
    else
        snprintf(buf, sizeof buf, "%ld", r);
    return buf;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 1;
    peer = sv[1];
    char buf[64];

    arm_timer();
    printf("recv, no timeout: %s\n", result(recv(sv[0], buf, sizeof buf, 0)));

    struct timeval tv = { 5, 0 };
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    arm_timer();
    printf("recv, SO_RCVTIMEO: %s\n", result(recv(sv[0], buf, sizeof buf, 0)));
    drain(sv[0]);
    arm_timer();
    printf("recvfrom, SO_RCVTIMEO: %s\n", result(recvfrom(sv[0], buf, sizeof buf, 0, NULL, NULL)));
    drain(sv[0]);
    tv.tv_sec = 0;
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

    struct iovec iov = { buf, sizeof buf };
    struct mmsghdr m;
    memset(&m, 0, sizeof m);
    m.msg_hdr.msg_iov = &iov;
    m.msg_hdr.msg_iovlen = 1;
    struct timespec ts = { 5, 0 };
    arm_timer();
    printf("recvmmsg, own timeout: %s\n", result(recvmmsg(sv[0], &m, 1, 0, &ts)));
    drain(sv[0]);
    arm_timer();
    printf("recvmmsg, no timeout: %s\n", result(recvmmsg(sv[0], &m, 1, 0, NULL)));

    /* A full send buffer: send blocks until the handler... which cannot drain it, so only
       the timed form is tried, and it must come back with EINTR rather than restart. */
    int one = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &one, sizeof one);
    static char big[1 << 16];
    while (send(sv[1], big, sizeof big, MSG_DONTWAIT) > 0)
        ;
    tv.tv_sec = 5;
    setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    peer = sv[0];           /* the handler's byte goes the other way now */
    arm_timer();
    printf("send, SO_SNDTIMEO: %s\n", result(send(sv[1], big, sizeof big, 0)));
    return 0;
}
