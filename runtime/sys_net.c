/*
 * Socket and fd-polling syscalls (syscalls_net.def): the calls whose structures differ
 * between ARM and x86-64 (msghdr and control data, epoll_event, select's timeval and fd_set
 * words, pselect6's sigset pair, timeout and filter socket options) converted with
 * conv_net.c; send and recv, which x86-64 lacks, as sendto and recvfrom. Every guest
 * structure read or written here is checked first (gok): a bad pointer is EFAULT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "conv_net.h"
#include "sys_internal.h"

/* The PASS lines take these flags as they are: ARM's are O_NONBLOCK (04000) and O_CLOEXEC
   (02000000), as on x86-64. */
_Static_assert(SOCK_NONBLOCK == 04000 && SOCK_CLOEXEC == 02000000, "socket type flags");
_Static_assert(EFD_NONBLOCK == 04000 && EFD_CLOEXEC == 02000000, "eventfd flags");
_Static_assert(SFD_NONBLOCK == 04000 && SFD_CLOEXEC == 02000000, "signalfd flags");
_Static_assert(IN_NONBLOCK == 04000 && IN_CLOEXEC == 02000000, "inotify flags");
_Static_assert(EPOLL_CLOEXEC == 02000000, "epoll flags");
_Static_assert(sizeof(struct epoll_event) == 12, "x86-64 epoll_event is packed");

#define RW (RT_PROT_R | RT_PROT_W)
#define MAX_IOV 1024u               /* UIO_MAXIOV */
#define MAX_CTL (1u << 20)          /* control data or option bigger than this: ENOBUFS */
#define RECV_CTL_ROOM (64u << 10)   /* more than any host control data for one message */
#define SELECT_MAX_FDS 8192u        /* select's n is clamped to this (Linux: to the fd table) */
#define EPOLL_CHUNK 256             /* events taken from the host per epoll_wait */
/* asm-generic/socket.h and in.h values, shared by ARM and x86-64. */
#define ARM_SO_RCVTIMEO_OLD 20
#define ARM_SO_SNDTIMEO_OLD 21
#define ARM_SO_ATTACH_FILTER 26
#define ARM_SO_ATTACH_REUSEPORT_CBPF 51
#define ARM_MCAST_JOIN_GROUP 42
#define ARM_MCAST_MSFILTER 48

/* True when the guest may access [p, p + n) with prot: mapped, with those rights. */
static bool gok(struct rt_thread *rt, uint32_t p, uint64_t n, unsigned prot)
{
    return rt_mem_access(rt->proc, p, n, prot);
}

/* A guest signal mask (pselect6, ppoll, epoll_pwait, signalfd) in the host's numbering. */
static int64_t guest_sigset(struct rt_thread *rt, uint32_t p, uint32_t size, uint64_t *mask)
{
    if (size != 8)
        return -EINVAL;
    if (!gok(rt, p, 8, RT_PROT_R))
        return -EFAULT;
    uint64_t g;
    memcpy(&g, gp(p), 8);
    *mask = rt_sigmask_to_host(g);
    return 0;
}

/* A guest timespec (32- or 64-bit fields) for the host, when it can be read. */
static int64_t ts_in(struct rt_thread *rt, uint32_t p, bool t64, struct timespec *ts)
{
    if (!gok(rt, p, t64 ? 16 : 8, RT_PROT_R))
        return -EFAULT;
    sys_ts_in(p, t64, ts);
    return 0;
}

/* Linux writes the time left back, and ignores a failure to. */
static void ts_back(struct rt_thread *rt, uint32_t p, bool t64, const struct timespec *ts)
{
    if (gok(rt, p, t64 ? 16 : 8, RW))
        sys_ts_out(ts, t64, p);
}

/* ---------------- send, recv ---------------- */

SYSCALL(sys_send)
{
    return RT_BLOCK(SYS_sendto, si(a[0]), gp(a[1]), (size_t)a[2], a[3], NULL, 0);
}

SYSCALL(sys_recv)
{
    return RT_BLOCK(SYS_recvfrom, si(a[0]), gp(a[1]), (size_t)a[2], a[3], NULL, NULL);
}

/* ---------------- sendmsg, recvmsg and their vectors ---------------- */

/* A guest msghdr made ready for the host: the iovecs and control data in buffers of its
   own, the name and the data buffers left in guest memory. */
struct hmsg {
    struct rt_gmsghdr g;
    struct iovec *iov;
    uint8_t *ctl;
    int *drop;                  /* recv: room for the descriptors rt_cmsg_to_arm drops */
    uint32_t gctl;              /* recv: the guest control bytes the host data may fill */
};

static void msg_free(struct hmsg *m)
{
    free(m->iov);
    free(m->ctl);
    free(m->drop);
    m->iov = NULL;
    m->ctl = NULL;
    m->drop = NULL;
}

static int64_t iov_in(struct rt_thread *rt, struct hmsg *m, struct msghdr *h)
{
    uint32_t n = m->g.iovlen;
    if (n > MAX_IOV)
        return -EMSGSIZE;
    if (!gok(rt, m->g.iov, 8ull * n, RT_PROT_R))
        return -EFAULT;
    m->iov = malloc(sizeof(struct iovec) * (n ? n : 1));
    if (!m->iov)
        return -ENOMEM;
    rt_iov_to_host(gp(m->g.iov), n, m->iov);
    for (uint32_t i = 0; i < n; i++)
        if (m->iov[i].iov_len > INT32_MAX)      /* a negative ssize_t on ARM */
            return -EINVAL;
    h->msg_iov = m->iov;
    h->msg_iovlen = n;
    return 0;
}

static int64_t ctl_in_send(struct rt_thread *rt, struct hmsg *m, struct msghdr *h)
{
    uint32_t n = m->g.controllen;
    if (n == 0)
        return 0;
    if (n > MAX_CTL)
        return -ENOBUFS;
    if (!gok(rt, m->g.control, n, RT_PROT_R))
        return -EFAULT;
    size_t room = rt_cmsg_host_room(n);
    if (!(m->ctl = malloc(room)))
        return -ENOMEM;
    long hn = rt_cmsg_to_host(gp(m->g.control), n, m->ctl, room);
    if (hn < 0)
        return hn;
    h->msg_control = hn ? m->ctl : NULL;
    h->msg_controllen = (size_t)hn;
    return 0;
}

/* The host gets twice the guest's room and more: whatever the ARM kernel would put in the
   guest's buffer fits, and rt_cmsg_to_arm cuts it to size. */
static int64_t ctl_in_recv(struct rt_thread *rt, struct hmsg *m, struct msghdr *h)
{
    uint32_t n = m->g.controllen;
    if (!m->g.control || n == 0)
        return 0;
    size_t room = 2 * (size_t)n + 64;
    if (room > RECV_CTL_ROOM)
        room = RECV_CTL_ROOM;
    m->gctl = n < room ? n : (uint32_t)room;
    if (!gok(rt, m->g.control, m->gctl, RW))
        return -EFAULT;
    m->ctl = calloc(1, room);
    m->drop = malloc(room / 4 * sizeof(int));
    if (!m->ctl || !m->drop)
        return -ENOMEM;
    h->msg_control = m->ctl;
    h->msg_controllen = room;
    return 0;
}

static int64_t msg_in(struct rt_thread *rt, uint32_t p, bool recv, struct hmsg *m, struct msghdr *h)
{
    memset(m, 0, sizeof(*m));
    memset(h, 0, sizeof(*h));
    if (!gok(rt, p, RT_ARM_MSGHDR_SIZE, recv ? RW : RT_PROT_R))
        return -EFAULT;
    rt_msghdr_from_arm(gp(p), &m->g);
    h->msg_name = gp(m->g.name);
    h->msg_namelen = m->g.namelen;
    int64_t r = iov_in(rt, m, h);
    if (r == 0)
        r = recv ? ctl_in_recv(rt, m, h) : ctl_in_send(rt, m, h);
    if (r < 0)
        msg_free(m);
    return r;
}

/* After a host recvmsg: the control data in ARM layout, descriptors that do not fit
   closed (as the ARM kernel never installs them), namelen, controllen and flags back. */
static void msg_out(uint32_t p, struct hmsg *m, const struct msghdr *h)
{
    uint32_t used = 0, flags = (uint32_t)h->msg_flags;
    if (m->ctl) {
        struct rt_cmsg_out o = { .drop = m->drop };
        used = rt_cmsg_to_arm(m->ctl, h->msg_controllen, gp(m->g.control), m->gctl, &o);
        for (unsigned i = 0; i < o.ndrop; i++)
            close(o.drop[i]);
        if (o.ctrunc)
            flags |= MSG_CTRUNC;
    }
    uint32_t namelen = m->g.name ? h->msg_namelen : m->g.namelen;
    rt_msghdr_result_to_arm(namelen, used, flags, gp(p));
}

SYSCALL(sys_sendmsg)
{
    struct hmsg m;
    struct msghdr h;
    int64_t r = msg_in(rt, a[1], false, &m, &h);
    if (r < 0)
        return r;
    r = RT_BLOCK(SYS_sendmsg, si(a[0]), &h, si(a[2]));
    msg_free(&m);
    return r;
}

SYSCALL(sys_recvmsg)
{
    struct hmsg m;
    struct msghdr h;
    int64_t r = msg_in(rt, a[1], true, &m, &h);
    if (r < 0)
        return r;
    r = RT_BLOCK(SYS_recvmsg, si(a[0]), &h, si(a[2]));
    if (r >= 0)
        msg_out(a[1], &m, &h);
    msg_free(&m);
    return r;
}

/* The messages of an mmsghdr vector (32 bytes each on ARM) converted up to the first bad
   one; as Linux, a bad one after good ones only ends the vector. */
static int64_t mmsg_in(struct rt_thread *rt, uint32_t vec, uint32_t n, bool recv, struct hmsg *m,
                       struct mmsghdr *h)
{
    if (!gok(rt, vec, (uint64_t)n * RT_ARM_MMSGHDR_SIZE, RW))
        return -EFAULT;
    uint32_t i = 0;
    int64_t r = 0;
    for (; i < n; i++) {
        r = msg_in(rt, vec + i * RT_ARM_MMSGHDR_SIZE, recv, &m[i], &h[i].msg_hdr);
        if (r < 0)
            break;
    }
    return i ? (int64_t)i : r;
}

static int64_t do_mmsg(struct rt_thread *rt, const uint32_t *a, bool recv, struct timespec *t)
{
    uint32_t vec = a[1], vlen = a[2] < MAX_IOV ? a[2] : MAX_IOV;
    if (vlen == 0)
        return recv ? RT_BLOCK(SYS_recvmmsg, si(a[0]), NULL, 0, si(a[3]), t)
                    : RT_BLOCK(SYS_sendmmsg, si(a[0]), NULL, 0, si(a[3]));
    struct hmsg *m = calloc(vlen, sizeof(*m));
    struct mmsghdr *h = calloc(vlen, sizeof(*h));
    int64_t n = m && h ? mmsg_in(rt, vec, vlen, recv, m, h) : -ENOMEM;
    int64_t r = n;
    if (n > 0)
        r = recv ? RT_BLOCK(SYS_recvmmsg, si(a[0]), h, n, si(a[3]), t)
                 : RT_BLOCK(SYS_sendmmsg, si(a[0]), h, n, si(a[3]));
    for (int64_t i = 0; i < r; i++) {
        uint32_t p = vec + (uint32_t)i * RT_ARM_MMSGHDR_SIZE;
        if (recv)
            msg_out(p, &m[i], &h[i].msg_hdr);
        memcpy(gp(p + RT_ARM_MSGHDR_SIZE), &h[i].msg_len, 4);
    }
    for (int64_t i = 0; i < n; i++)
        msg_free(&m[i]);
    free(m);
    free(h);
    return r;
}

SYSCALL(sys_sendmmsg)
{
    return do_mmsg(rt, a, false, NULL);
}

/* The timeout is written back when something arrived (Linux's do_recvmmsg). */
static int64_t recvmmsg_t(struct rt_thread *rt, const uint32_t *a, bool t64)
{
    struct timespec ts;
    if (!a[4])
        return do_mmsg(rt, a, true, NULL);
    int64_t r = ts_in(rt, a[4], t64, &ts);
    if (r < 0)
        return r;
    r = do_mmsg(rt, a, true, &ts);
    if (r > 0)
        ts_back(rt, a[4], t64, &ts);
    return r;
}

SYSCALL(sys_recvmmsg)
{
    return recvmmsg_t(rt, a, false);
}

SYSCALL(sys_recvmmsg64)
{
    return recvmmsg_t(rt, a, true);
}

/* ---------------- socket options ---------------- */

/* SO_RCVTIMEO/SO_SNDTIMEO: a 32-bit struct timeval on ARM. */
static int64_t set_timeo(struct rt_thread *rt, int fd, int name, uint32_t val, uint32_t len)
{
    struct timeval tv;
    if ((int32_t)len < RT_ARM_TIMEVAL_SIZE)
        return -EINVAL;
    if (!gok(rt, val, RT_ARM_TIMEVAL_SIZE, RT_PROT_R))
        return -EFAULT;
    rt_tv32_to_host(gp(val), &tv);
    return ret(setsockopt(fd, SOL_SOCKET, name, &tv, sizeof(tv)));
}

/* As Linux's sk_getsockopt: the value cut to the caller's length, which comes back. */
static int64_t get_timeo(struct rt_thread *rt, int fd, int name, uint32_t val, uint32_t lenp)
{
    if (!gok(rt, lenp, 4, RW))
        return -EFAULT;
    int32_t len;
    memcpy(&len, gp(lenp), 4);
    if (len < 0)
        return -EINVAL;
    struct timeval tv;
    socklen_t hl = sizeof(tv);
    if (getsockopt(fd, SOL_SOCKET, name, &tv, &hl) < 0)
        return -errno;
    uint8_t v[RT_ARM_TIMEVAL_SIZE];
    rt_tv32_from_host(&tv, v);
    uint32_t n = len < RT_ARM_TIMEVAL_SIZE ? (uint32_t)len : RT_ARM_TIMEVAL_SIZE;
    if (!gok(rt, val, n, RW))
        return -EFAULT;
    memcpy(gp(val), v, n);
    memcpy(gp(lenp), &n, 4);
    return 0;
}

/* SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF: struct sock_fprog has a pointer. */
static int64_t set_fprog(struct rt_thread *rt, int fd, int name, uint32_t val, uint32_t len)
{
    if (len != RT_ARM_SOCK_FPROG_SIZE)
        return -EINVAL;
    if (!gok(rt, val, len, RT_PROT_R))
        return -EFAULT;
    struct sock_fprog f;
    rt_sock_fprog_to_host(gp(val), &f);
    return ret(setsockopt(fd, SOL_SOCKET, name, &f, sizeof(f)));
}

/* MCAST_* group requests: the sockaddr_storages sit 4 bytes further on x86-64. */
static int64_t set_group(struct rt_thread *rt, int fd, int level, int name, uint32_t val,
                         uint32_t len)
{
    if ((int32_t)len < 0)
        return -EINVAL;
    if (len > MAX_CTL)
        return -ENOBUFS;
    if (!gok(rt, val, len, RT_PROT_R))
        return -EFAULT;
    uint8_t *h = malloc(len + 4);
    if (!h)
        return -ENOMEM;
    uint32_t hl = rt_group_req_to_host(gp(val), len, h);
    int64_t r = ret(setsockopt(fd, level, name, h, hl));
    free(h);
    return r;
}

/* getsockopt(MCAST_MSFILTER) reads the group_filter it then fills. */
static int64_t get_group(struct rt_thread *rt, int fd, int level, int name, uint32_t val,
                         uint32_t lenp)
{
    if (!gok(rt, lenp, 4, RW))
        return -EFAULT;
    int32_t len;
    memcpy(&len, gp(lenp), 4);
    if (len < 0)
        return -EINVAL;
    if ((uint32_t)len > MAX_CTL)
        return -ENOBUFS;
    if (!gok(rt, val, (uint32_t)len, RW))
        return -EFAULT;
    uint8_t *h = malloc((uint32_t)len + 4);
    if (!h)
        return -ENOMEM;
    socklen_t room = rt_group_req_to_host(gp(val), (uint32_t)len, h), hl = room;
    int64_t r = ret(getsockopt(fd, level, name, h, &hl));
    if (r == 0) {
        hl = hl < room ? hl : room;
        uint32_t n = rt_group_req_to_arm(h, hl, gp(val));
        memcpy(gp(lenp), &n, 4);
    }
    free(h);
    return r;
}

static bool is_group_opt(int level, int name)
{
    return (level == IPPROTO_IP || level == IPPROTO_IPV6) && name >= ARM_MCAST_JOIN_GROUP &&
           name <= ARM_MCAST_MSFILTER;
}

static bool is_timeo_opt(int level, int name)
{
    return level == SOL_SOCKET && (name == ARM_SO_RCVTIMEO_OLD || name == ARM_SO_SNDTIMEO_OLD);
}

SYSCALL(sys_setsockopt)
{
    int fd = si(a[0]), level = si(a[1]), name = si(a[2]);
    if (is_timeo_opt(level, name))
        return set_timeo(rt, fd, name, a[3], a[4]);
    if (level == SOL_SOCKET &&
        (name == ARM_SO_ATTACH_FILTER || name == ARM_SO_ATTACH_REUSEPORT_CBPF))
        return set_fprog(rt, fd, name, a[3], a[4]);
    if (is_group_opt(level, name))
        return set_group(rt, fd, level, name, a[3], a[4]);
    return ret(syscall(SYS_setsockopt, fd, level, name, gp(a[3]), a[4]));
}

SYSCALL(sys_getsockopt)
{
    int fd = si(a[0]), level = si(a[1]), name = si(a[2]);
    if (is_timeo_opt(level, name))
        return get_timeo(rt, fd, name, a[3], a[4]);
    if (is_group_opt(level, name) && name == ARM_MCAST_MSFILTER)
        return get_group(rt, fd, level, name, a[3], a[4]);
    return ret(syscall(SYS_getsockopt, fd, level, name, gp(a[3]), gp(a[4])));
}

/* ---------------- select ---------------- */

/* The three fd_sets of select, copied whole 32-bit words at a time, as ARM Linux reads and
   writes them; x86-64 would touch 64-bit words, 4 bytes past a small guest set. */
struct fdsets {
    uint32_t p[3];
    uint32_t bytes;
    void *h[3];
    uint8_t b[3][SELECT_MAX_FDS / 8];
};

static int64_t sets_in(struct rt_thread *rt, const uint32_t *a, struct fdsets *s)
{
    if (si(a[0]) < 0)
        return -EINVAL;
    uint32_t n = a[0] < SELECT_MAX_FDS ? a[0] : SELECT_MAX_FDS;
    s->bytes = rt_fdset_bytes(n);
    for (int i = 0; i < 3; i++) {
        s->p[i] = a[1 + i];
        s->h[i] = NULL;
        if (!s->p[i])
            continue;
        if (!gok(rt, s->p[i], s->bytes, RW))
            return -EFAULT;
        memset(s->b[i], 0, sizeof(s->b[i]));
        memcpy(s->b[i], gp(s->p[i]), s->bytes);
        s->h[i] = s->b[i];
    }
    return n;
}

static void sets_out(const struct fdsets *s)
{
    for (int i = 0; i < 3; i++)
        if (s->p[i])
            memcpy(gp(s->p[i]), s->b[i], s->bytes);
}

/* _newselect: the 32-bit timeval is read (first, as Linux does), and written back as Linux
   updates it. */
SYSCALL(sys_newselect)
{
    struct timeval tv;
    if (a[4]) {
        if (!gok(rt, a[4], RT_ARM_TIMEVAL_SIZE, RT_PROT_R))
            return -EFAULT;
        rt_tv32_to_host(gp(a[4]), &tv);
    }
    struct fdsets s;
    int64_t n = sets_in(rt, a, &s);
    if (n < 0)
        return n;
    int64_t r = RT_BLOCK(SYS_select, (int)n, s.h[0], s.h[1], s.h[2], a[4] ? &tv : NULL);
    if (r >= 0)
        sets_out(&s);
    if (a[4] && gok(rt, a[4], RT_ARM_TIMEVAL_SIZE, RW))
        rt_tv32_from_host(&tv, gp(a[4]));
    return r;
}

/* The host's form of pselect6's sixth argument. */
struct host_sigarg {
    const uint64_t *set;
    size_t size;
};

/* pselect6's sixth argument, {u32 sigset pointer, u32 size} on ARM. */
static int64_t pselect_sig(struct rt_thread *rt, uint32_t p, uint64_t *mask, struct host_sigarg *h)
{
    *h = (struct host_sigarg){ NULL, 8 };
    if (!p)
        return 0;
    if (!gok(rt, p, 8, RT_PROT_R))
        return -EFAULT;
    uint32_t set, size;
    rt_pselect_sig_from_arm(gp(p), &set, &size);
    if (!set)
        return 0;
    h->set = mask;
    return guest_sigset(rt, set, size, mask);
}

/* In Linux's order: the timespec, the mask, then the sets. */
static int64_t do_pselect6(struct rt_thread *rt, const uint32_t *a, bool t64)
{
    struct timespec ts;
    uint64_t mask;
    struct host_sigarg sig;
    struct fdsets s;
    int64_t n = a[4] ? ts_in(rt, a[4], t64, &ts) : 0;
    if (n == 0)
        n = pselect_sig(rt, a[5], &mask, &sig);
    if (n == 0)
        n = sets_in(rt, a, &s);
    if (n < 0)
        return n;
    int64_t r = RT_BLOCK(SYS_pselect6, (int)n, s.h[0], s.h[1], s.h[2], a[4] ? &ts : NULL,
                         a[5] ? &sig : NULL);
    if (r == -EINTR && sig.set)
        rt_signal_temp_mask(rt, rt_sigmask_from_host(mask));
    if (r >= 0)
        sets_out(&s);
    if (a[4])
        ts_back(rt, a[4], t64, &ts);
    return r;
}

SYSCALL(sys_pselect6)
{
    return do_pselect6(rt, a, false);
}

SYSCALL(sys_pselect6_64)
{
    return do_pselect6(rt, a, true);
}

/* ---------------- ppoll ---------------- */

/* struct pollfd agrees; the timespec and the mask are converted, the time left written
   back. */
static int64_t do_ppoll(struct rt_thread *rt, const uint32_t *a, bool t64)
{
    struct timespec ts;
    uint64_t mask;
    int64_t r = 0;
    if (a[2])
        r = ts_in(rt, a[2], t64, &ts);
    if (r == 0 && a[3])
        r = guest_sigset(rt, a[3], a[4], &mask);
    if (r < 0)
        return r;
    r = RT_BLOCK(SYS_ppoll, gp(a[0]), a[1], a[2] ? &ts : NULL, a[3] ? &mask : NULL, 8);
    if (r == -EINTR && a[3])
        rt_signal_temp_mask(rt, rt_sigmask_from_host(mask));
    if (a[2])
        ts_back(rt, a[2], t64, &ts);
    return r;
}

SYSCALL(sys_ppoll)
{
    return do_ppoll(rt, a, false);
}

SYSCALL(sys_ppoll64)
{
    return do_ppoll(rt, a, true);
}

/* ---------------- epoll ---------------- */

SYSCALL(sys_epoll_ctl)
{
    struct epoll_event ev;
    int op = si(a[1]);
    if (op != EPOLL_CTL_DEL) {      /* Linux reads the event for any other op */
        if (!gok(rt, a[3], RT_ARM_EPOLL_EVENT_SIZE, RT_PROT_R))
            return -EFAULT;
        rt_epoll_event_to_host(gp(a[3]), &ev);
    }
    return ret(epoll_ctl(si(a[0]), op, si(a[2]), op != EPOLL_CTL_DEL ? &ev : NULL));
}

/* epoll_wait and the pwaits: at most EPOLL_CHUNK events at once (the rest stay ready for
   the next call), converted to 16 bytes each. A NULL mask is none; pwait2 has a 64-bit
   timespec (NULL: wait for ever) instead of milliseconds. */
static int64_t do_epoll_wait(struct rt_thread *rt, const uint32_t *a, uint32_t mask_p,
                             uint32_t mask_size, bool ts, uint32_t ts_p)
{
    int max = si(a[2]);
    if (max <= 0 || max > INT_MAX / RT_ARM_EPOLL_EVENT_SIZE)
        return -EINVAL;
    int n = max < EPOLL_CHUNK ? max : EPOLL_CHUNK;
    uint64_t mask;
    struct timespec t;
    int64_t r = mask_p ? guest_sigset(rt, mask_p, mask_size, &mask) : 0;
    if (r == 0 && !gok(rt, a[1], (uint64_t)n * RT_ARM_EPOLL_EVENT_SIZE, RW))
        r = -EFAULT;
    if (r == 0 && ts && ts_p)
        r = ts_in(rt, ts_p, true, &t);
    if (r < 0)
        return r;
    struct epoll_event ev[EPOLL_CHUNK];
    void *m = mask_p ? &mask : NULL;
    if (ts)
        r = RT_BLOCK(SYS_epoll_pwait2, si(a[0]), ev, n, ts_p ? &t : NULL, m, 8);
    else
        r = RT_BLOCK(SYS_epoll_pwait, si(a[0]), ev, n, si(a[3]), m, 8);
    if (r == -EINTR && m)
        rt_signal_temp_mask(rt, rt_sigmask_from_host(mask));
    for (int64_t i = 0; i < r; i++)
        rt_epoll_event_to_arm(&ev[i], gp(a[1] + (uint32_t)i * RT_ARM_EPOLL_EVENT_SIZE));
    return r;
}

SYSCALL(sys_epoll_wait)
{
    return do_epoll_wait(rt, a, 0, 0, false, 0);
}

SYSCALL(sys_epoll_pwait)
{
    return do_epoll_wait(rt, a, a[4], a[5], false, 0);
}

SYSCALL(sys_epoll_pwait2)
{
    return do_epoll_wait(rt, a, a[4], a[5], true, a[3]);
}

/* ---------------- signalfd ---------------- */

/* The mask is 8 bytes on both sides, struct signalfd_siginfo (128 bytes) agrees but for
   ssi_signo, which sys_read converts (real-time signals are numbered apart). */
SYSCALL(sys_signalfd4)
{
    uint64_t mask;
    int64_t r = guest_sigset(rt, a[1], a[2], &mask);
    if (r < 0)
        return r;
    r = ret(syscall(SYS_signalfd4, si(a[0]), &mask, 8, si(a[3])));
    if (r >= 0)
        __atomic_store_n(&rt->proc->made_signalfd, true, __ATOMIC_RELAXED);
    return r;
}

SYSCALL(sys_signalfd)
{
    uint32_t b[4] = { a[0], a[1], a[2], 0 };
    return sys_signalfd4(rt, cpu, b);
}
