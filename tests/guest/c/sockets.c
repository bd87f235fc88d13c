/* Sockets in one process, on 127.0.0.1 and AF_UNIX only: TCP connect/accept4, UDP
 * sendto/recvfrom, sendmsg/recvmsg with iovecs, sendmmsg/recvmmsg (both timespec forms),
 * SCM_RIGHTS and SCM_CREDENTIALS control data (whole and truncated: MSG_CTRUNC),
 * SO_RCVTIMEO/SO_SNDTIMEO and other options, send/recv as raw syscalls, and bad pointers
 * (EFAULT). Prints no descriptor numbers, ports or pids: only comparisons of them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* Never mapped; volatile, or the compiler warns about the calls that pass it. */
static void *volatile bad_ptr = (void *)16;
#define BAD bad_ptr

/* Prints a result: the value, or -1 and the errno's name. */
static long show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s: %ld\n", what, r);
    return r;
}

/* For calls that return a descriptor: only whether they did. */
static int fd_ok(const char *what, int fd)
{
    if (fd < 0)
        printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s: fd\n", what);
    return fd;
}

static struct sockaddr_in loopback(void)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static uint16_t port_of(int fd, int peer)
{
    struct sockaddr_in a;
    socklen_t n = sizeof(a);
    struct sockaddr *sa = (struct sockaddr *)&a;
    if ((peer ? getpeername(fd, sa, &n) : getsockname(fd, sa, &n)) < 0)
        return 0;
    return ntohs(a.sin_port);
}

static void tcp(void)
{
    printf("-- tcp\n");
    int ls = fd_ok("socket", socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    show("SO_REUSEADDR", setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
    struct sockaddr_in a = loopback();
    show("bind", bind(ls, (struct sockaddr *)&a, sizeof(a)));
    show("listen", listen(ls, 4));
    socklen_t n = sizeof(a);
    show("getsockname", getsockname(ls, (struct sockaddr *)&a, &n));
    printf("family %d len %u port assigned %d addr %s\n", a.sin_family, n, a.sin_port != 0,
           inet_ntoa(a.sin_addr));
    printf("listener cloexec %d\n", fcntl(ls, F_GETFD) & FD_CLOEXEC);

    int c = fd_ok("client", socket(AF_INET, SOCK_STREAM, 0));
    show("connect", connect(c, (struct sockaddr *)&a, sizeof(a)));
    struct sockaddr_in peer;
    socklen_t pn = sizeof(peer);
    int s = fd_ok("accept4", accept4(ls, (struct sockaddr *)&peer, &pn, SOCK_NONBLOCK));
    printf("accepted nonblock %d, peer is the client %d, client's peer is the listener %d\n",
           (fcntl(s, F_GETFL) & O_NONBLOCK) != 0, ntohs(peer.sin_port) == port_of(c, 0),
           port_of(c, 1) == ntohs(a.sin_port));
    printf("getpeername matches %d\n", port_of(s, 1) == port_of(c, 0));

    char buf[64];
    show("recv empty nonblocking", recv(s, buf, sizeof(buf), 0));
    show("send", send(c, "over tcp", 8, 0));
    memset(buf, 0, sizeof(buf));
    show("recv", recv(s, buf, sizeof(buf), 0));
    printf("got '%s'\n", buf);
    show("shutdown", shutdown(c, SHUT_WR));
    show("recv at eof", recv(s, buf, sizeof(buf), 0));
    show("accept4 bad flags", accept4(ls, NULL, NULL, 0x40));
    fcntl(ls, F_SETFL, O_NONBLOCK);
    show("accept nothing pending", accept(ls, NULL, NULL));
    show("accept (285) nothing pending", syscall(285, ls, NULL, NULL));
    close(s);
    close(c);
    close(ls);
}

static void udp(void)
{
    printf("-- udp\n");
    int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback(), b = loopback();
    bind(r, (struct sockaddr *)&a, sizeof(a));
    bind(w, (struct sockaddr *)&b, sizeof(b));
    socklen_t n = sizeof(a);
    getsockname(r, (struct sockaddr *)&a, &n);
    show("sendto", sendto(w, "datagram", 8, 0, (struct sockaddr *)&a, sizeof(a)));
    char buf[32] = { 0 };
    struct sockaddr_in from;
    socklen_t fn = sizeof(from);
    show("recvfrom", recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fn));
    printf("got '%s' from the sender %d (len %u)\n", buf, ntohs(from.sin_port) == port_of(w, 0),
           fn);

    /* sendmsg/recvmsg with three iovecs each way and a name */
    char p1[] = "scat", p2[] = "ter-", p3[] = "gather";
    struct iovec out[3] = { { p1, 4 }, { p2, 4 }, { p3, 6 } };
    struct msghdr m;
    memset(&m, 0, sizeof(m));
    m.msg_name = &a;
    m.msg_namelen = sizeof(a);
    m.msg_iov = out;
    m.msg_iovlen = 3;
    show("sendmsg", sendmsg(w, &m, 0));
    char q1[5] = { 0 }, q2[3] = { 0 }, q3[16] = { 0 };
    struct iovec in[3] = { { q1, 4 }, { q2, 2 }, { q3, 15 } };
    memset(&from, 0, sizeof(from));
    memset(&m, 0, sizeof(m));
    m.msg_name = &from;
    m.msg_namelen = sizeof(from) + 4;
    m.msg_iov = in;
    m.msg_iovlen = 3;
    m.msg_flags = -1;
    show("recvmsg", recvmsg(r, &m, 0));
    printf("'%s' '%s' '%s' namelen %u flags %d from the sender %d\n", q1, q2, q3, m.msg_namelen,
           m.msg_flags, ntohs(from.sin_port) == port_of(w, 0));
    /* truncated datagram: MSG_TRUNC in msg_flags */
    sendto(w, "0123456789", 10, 0, (struct sockaddr *)&a, sizeof(a));
    struct iovec small = { q1, 4 };
    memset(&m, 0, sizeof(m));
    m.msg_iov = &small;
    m.msg_iovlen = 1;
    show("recvmsg short", recvmsg(r, &m, 0));
    printf("trunc %d\n", (m.msg_flags & MSG_TRUNC) != 0);

    /* sendmmsg three, recvmmsg (libc: recvmmsg_time64 first) with a timeout */
    struct mmsghdr mm[4];
    struct iovec v[4];
    char bufs[4][16];
    const char *words[3] = { "one", "three", "fifteen" };
    memset(mm, 0, sizeof(mm));
    for (int i = 0; i < 3; i++) {
        v[i].iov_base = (void *)words[i];
        v[i].iov_len = strlen(words[i]);
        mm[i].msg_hdr.msg_iov = &v[i];
        mm[i].msg_hdr.msg_iovlen = 1;
        mm[i].msg_hdr.msg_name = &a;
        mm[i].msg_hdr.msg_namelen = sizeof(a);
    }
    show("sendmmsg", sendmmsg(w, mm, 3, 0));
    printf("msg_len %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
    memset(mm, 0, sizeof(mm));
    memset(bufs, 0, sizeof(bufs));
    for (int i = 0; i < 4; i++) {
        v[i].iov_base = bufs[i];
        v[i].iov_len = sizeof(bufs[i]) - 1;
        mm[i].msg_hdr.msg_iov = &v[i];
        mm[i].msg_hdr.msg_iovlen = 1;
    }
    struct timespec t = { 1, 0 };
    show("recvmmsg", recvmmsg(r, mm, 4, MSG_WAITFORONE, &t));
    for (int i = 0; i < 3; i++)
        printf("  %u '%s'\n", mm[i].msg_len, bufs[i]);
    printf("timeout written back, at most 1s: %d\n", t.tv_sec <= 1 && t.tv_nsec >= 0);

    /* the same with the 32-bit timespec call */
    memcpy(bufs[3], "raw call", 9);
    v[3].iov_len = 8;
    struct mmsghdr one = { { &a, sizeof(a), &v[3], 1, 0, 0, 0 }, 0 };
    sendmmsg(w, &one, 1, 0);
    memset(bufs[0], 0, 16);
    struct { int32_t s, ns; } t32 = { 2, 0 };
    show("recvmmsg (365)", syscall(365, r, mm, 1, 0, &t32));
    printf("  %u '%s' t32 written back %d\n", mm[0].msg_len, bufs[0],
           t32.s <= 2 && (t32.s < 2 || t32.ns == 0));
    show("recvmmsg nothing nonblocking", recvmmsg(r, mm, 4, MSG_DONTWAIT, NULL));
    close(r);
    close(w);
}

/* Sends fds[0..n) and one byte over s. */
static void send_fds(int s, const int *fds, int n)
{
    char byte = 'F';
    struct iovec v = { &byte, 1 };
    union {
        char buf[CMSG_SPACE(4 * sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr m;
    memset(&m, 0, sizeof(m));
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    m.msg_control = u.buf;
    m.msg_controllen = CMSG_SPACE(n * sizeof(int));
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(n * sizeof(int));
    memcpy(CMSG_DATA(c), fds, n * sizeof(int));
    show("sendmsg rights", sendmsg(s, &m, 0));
}

/* Receives one byte with room for `room` bytes of control data; prints what came. MSG_CTRUNC
 * only when `ctrunc`: qemu-arm 7.2 loses the one it sets itself when it cuts the control data
 * to the guest's size (it overwrites msg_flags with the host's); tests/unit/net_test.c
 * checks those cases. */
static int recv_fds(int s, size_t room, int *fds, int ctrunc)
{
    char byte = 0;
    struct iovec v = { &byte, 1 };
    union {
        char buf[256];
        struct cmsghdr align;
    } u;
    memset(u.buf, 0x5a, sizeof(u.buf));
    struct msghdr m;
    memset(&m, 0, sizeof(m));
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    m.msg_control = room ? u.buf : NULL;
    m.msg_controllen = room;
    show("recvmsg", recvmsg(s, &m, 0));
    printf("  byte %c controllen %u", byte, m.msg_controllen);
    if (ctrunc)
        printf(" ctrunc %d", (m.msg_flags & MSG_CTRUNC) != 0);
    printf("\n");
    int n = 0, cut_creds = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        printf("  cmsg level %d type %d len %u\n", c->cmsg_level, c->cmsg_type, c->cmsg_len);
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(fds, CMSG_DATA(c), n * sizeof(int));
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
            struct ucred cr;
            memcpy(&cr, CMSG_DATA(c), sizeof(cr));
            if (c->cmsg_len < CMSG_LEN(sizeof(cr)))     /* cut: the pid only */
                printf("  creds cut: pid is mine %d\n", cr.pid == getpid());
            else
                printf("  creds: pid is mine %d uid %d gid %d\n", cr.pid == getpid(),
                       cr.uid == getuid(), cr.gid == getgid());
            cut_creds = c->cmsg_len < CMSG_LEN(sizeof(cr));
        }
    }
    /* (qemu-arm writes a cut ucred whole: not compared) */
    if (room > m.msg_controllen && !cut_creds)
        printf("  byte past controllen untouched %d\n", (uint8_t)u.buf[m.msg_controllen] == 0x5a);
    return n;
}

/* A pipe's ends travel over the socket; the received copies still work. */
static void rights(void)
{
    printf("-- SCM_RIGHTS\n");
    int sv[2], p[2], got[8];
    show("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    pipe(p);
    int three[3] = { p[0], p[1], p[1] };
    send_fds(sv[0], three, 3);
    int n = recv_fds(sv[1], CMSG_SPACE(3 * sizeof(int)), got, 1);
    printf("  %d fds\n", n);
    if (n == 3) {
        write(got[1], "via fd", 6);
        char buf[8] = { 0 };
        read(got[0], buf, 6);
        printf("  pipe through received fds: '%s'\n", buf);
        for (int i = 0; i < 3; i++)
            close(got[i]);
    }
    /* room for one descriptor of three: MSG_CTRUNC, the other two are never installed */
    send_fds(sv[0], three, 3);
    n = recv_fds(sv[1], CMSG_SPACE(sizeof(int)), got, 0);
    printf("  %d fds\n", n);
    if (n == 1) {
        write(p[1], "x", 1);
        char c = 0;
        read(got[0], &c, 1);
        printf("  received read end works %d\n", c == 'x');
        close(got[0]);
    }
    /* no control buffer */
    send_fds(sv[0], three, 2);
    printf("  %d fds\n", recv_fds(sv[1], 0, got, 1));
    /* MSG_CMSG_CLOEXEC */
    send_fds(sv[0], three, 1);
    char byte;
    struct iovec v = { &byte, 1 };
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr m = { 0, 0, &v, 1, u.buf, sizeof(u.buf), 0 };
    show("recvmsg MSG_CMSG_CLOEXEC", recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC));
    int fd;
    memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
    printf("  cloexec %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close(fd);
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

static void credentials(void)
{
    printf("-- SCM_CREDENTIALS\n");
    int sv[2], got[8], one = 1;
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    show("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
    /* explicit credentials with a descriptor in one message */
    union {
        char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))];
        struct cmsghdr a;
    } u;
    char byte = 'C';
    struct iovec v = { &byte, 1 };
    struct msghdr m = { 0, 0, &v, 1, u.buf, sizeof(u.buf), 0 };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
    struct ucred cr = { getpid(), getuid(), getgid() };
    memcpy(CMSG_DATA(c), &cr, sizeof(cr));
    c = CMSG_NXTHDR(&m, c);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &sv[0], sizeof(int));
    show("sendmsg creds+rights", sendmsg(sv[0], &m, 0));
    int n = recv_fds(sv[1], 128, got, 1);
    printf("  %d fds\n", n);
    if (n == 1)
        close(got[0]);
    /* room for the credentials only: the descriptor is cut (MSG_CTRUNC) */
    show("sendmsg creds+rights", sendmsg(sv[0], &m, 0));
    printf("  %d fds\n", recv_fds(sv[1], CMSG_SPACE(sizeof(struct ucred)), got, 1));
    /* the kernel adds credentials by itself; cut short, then with no room */
    show("send", send(sv[0], "k", 1, 0));
    printf("  %d fds\n", recv_fds(sv[1], CMSG_LEN(4), got, 0));
    send(sv[0], "k", 1, 0);
    printf("  %d fds\n", recv_fds(sv[1], 8, got, 1));
    struct ucred pc;
    socklen_t pl = sizeof(pc);
    show("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &pc, &pl));
    printf("  len %u pid is mine %d uid %d\n", pl, pc.pid == getpid(), pc.uid == getuid());
    close(sv[0]);
    close(sv[1]);
}

static void options(void)
{
    printf("-- options\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct timeval tv = { 0, 200000 }, back;
    show("SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
    show("SO_RCVTIMEO short", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 4));
    show("SO_RCVTIMEO bad", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, BAD, sizeof(tv)));
    tv.tv_sec = 3;
    tv.tv_usec = 0;
    show("SO_SNDTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
    socklen_t n = 16;
    memset(&back, 0x77, sizeof(back));
    show("get SO_SNDTIMEO", getsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &back, &n));
    printf("  len %u %ld.%06ld\n", n, (long)back.tv_sec, (long)back.tv_usec);
    n = sizeof(back);
    show("get SO_RCVTIMEO", getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &back, &n));
    printf("  len %u nonzero %d under 1s %d\n", n, back.tv_usec > 0, back.tv_sec == 0);
    n = 4;
    show("get SO_SNDTIMEO len 4", getsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &back, &n));
    printf("  len %u sec %ld\n", n, (long)back.tv_sec);
    show("get SO_SNDTIMEO bad len ptr", getsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &back, BAD));
    char c;
    show("recv times out", recv(sv[0], &c, 1, 0));

    struct linger l = { 1, 7 };
    show("SO_LINGER", setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
    memset(&l, 0, sizeof(l));
    n = sizeof(l);
    show("get SO_LINGER", getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &l, &n));
    printf("  len %u onoff %d linger %d\n", n, l.l_onoff, l.l_linger);
    int v = 0;
    n = sizeof(v);
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &n);
    printf("SO_TYPE %d len %u\n", v, n);
    n = sizeof(v);
    getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &v, &n);
    printf("SO_ERROR %d\n", v);
    v = 65536;
    show("SO_RCVBUF", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
    close(sv[0]);
    close(sv[1]);
}

/* send and recv (289, 291) as the raw calls: x86-64 has neither. */
static void raw_send_recv(void)
{
    printf("-- send/recv syscalls\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    show("send (289)", syscall(289, sv[0], "packet!", 7, 0));
    char buf[16] = { 0 };
    show("recv (291) MSG_PEEK", syscall(291, sv[1], buf, 3, MSG_PEEK));
    show("recv (291)", syscall(291, sv[1], buf, sizeof(buf) - 1, 0));
    printf("got '%s'\n", buf);
    show("recv (291) MSG_DONTWAIT", syscall(291, sv[1], buf, sizeof(buf), MSG_DONTWAIT));
    show("sendto (290)", syscall(290, sv[0], "p2", 2, 0, NULL, 0));
    show("recvfrom (292)", syscall(292, sv[1], buf, sizeof(buf), 0, NULL, NULL));
    close(sv[0]);
    close(sv[1]);
}

static void bad_pointers(void)
{
    printf("-- bad pointers\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    show("sendmsg bad msghdr", sendmsg(sv[0], BAD, 0));
    show("recvmsg bad msghdr", recvmsg(sv[1], BAD, 0));
    char byte = 'b';
    struct iovec v = { &byte, 1 };
    struct msghdr m = { 0, 0, BAD, 1, 0, 0, 0 };
    show("sendmsg bad iov", sendmsg(sv[0], &m, 0));
    m.msg_iov = &v;
    m.msg_control = BAD;
    m.msg_controllen = 16;
    show("sendmsg bad control", sendmsg(sv[0], &m, 0));
    m.msg_control = NULL;
    m.msg_controllen = 0;
    struct iovec badbuf = { BAD, 4 };
    m.msg_iov = &badbuf;
    m.msg_iovlen = 1;
    show("sendmsg bad data", sendmsg(sv[0], &m, 0));
    show("sendmmsg bad vector", sendmmsg(sv[0], BAD, 2, 0));
    show("recvmmsg bad vector", recvmmsg(sv[1], BAD, 2, MSG_DONTWAIT, NULL));
    show("bind bad address", bind(sv[0], BAD, sizeof(struct sockaddr_in)));
    show("getsockname bad len", getsockname(sv[0], (struct sockaddr *)&v, BAD));
    show("socketpair bad array", socketpair(AF_UNIX, SOCK_STREAM, 0, BAD));
    show("send bad buffer", send(sv[0], BAD, 4, 0));
    show("socket bad family", socket(12345, SOCK_STREAM, 0));
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    tcp();
    udp();
    rights();
    credentials();
    options();
    raw_send_recv();
    bad_pointers();
    return 0;
}
