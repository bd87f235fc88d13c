/*
 * ARM EABI socket and polling structures and their conversions from/to the x86-64 host's
 * (conv_net.h). Pure functions over byte buffers, written from the ARM kernel and glibc
 * headers (offsets in comments). Layouts made of fixed-width fields alone (sockaddr_*,
 * linger, ucred, pollfd, signalfd_siginfo, inotify_event, tcp_info) agree and are not here:
 * ARM EABI aligns u64 to 8 as x86-64 does; only long, size_t and pointers differ.
 */
#include <errno.h>
#include <linux/filter.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "conv_net.h"
#include "bytes.h"

/* ---------------- msghdr ---------------- */

/* ARM: name 0, namelen 4, iov 8, iovlen 12, control 16, controllen 20, flags 24. */
void rt_msghdr_from_arm(const uint8_t in[RT_ARM_MSGHDR_SIZE], struct rt_gmsghdr *m)
{
    m->name = rt_get32(in, 0);
    m->namelen = rt_get32(in, 4);
    m->iov = rt_get32(in, 8);
    m->iovlen = rt_get32(in, 12);
    m->control = rt_get32(in, 16);
    m->controllen = rt_get32(in, 20);
    m->flags = rt_get32(in, 24);
}

void rt_msghdr_result_to_arm(uint32_t namelen, uint32_t controllen, uint32_t flags,
                             uint8_t out[RT_ARM_MSGHDR_SIZE])
{
    rt_put32(out, 4, namelen);
    rt_put32(out, 20, controllen);
    rt_put32(out, 24, flags);
}

/* ---------------- control data ---------------- */

#define HOST_CMSG_HDR 16u           /* u64 len, int level, int type */
#define HOST_ALIGN(x) (((size_t)(x) + 7) & ~(size_t)7)
#define ARM_ALIGN(x) (((uint64_t)(x) + 3) & ~(uint64_t)3)
/* SOL_SOCKET types with a struct timeval/timespec payload of 32-bit fields on ARM
   (asm-generic/socket.h, shared by ARM and x86-64). */
#define ARM_SCM_TIMESTAMP_OLD 29
#define ARM_SCM_TIMESTAMPNS_OLD 35
#define ARM_SCM_TIMESTAMPING_OLD 37

/* Each guest cmsg of n bytes (at least 12) needs at most n + 11 host bytes: 4 more of
   header and up to 7 of alignment. */
size_t rt_cmsg_host_room(uint32_t glen)
{
    return 2 * (size_t)glen + HOST_CMSG_HDR;
}

/* Walks as the ARM kernel's for_each_cmsghdr: a header must fit whole; CMSG_OK refuses a
   cmsg_len below the header or past the end. No payload sent from user space has a long
   or a pointer, so payloads are copied as they are. */
long rt_cmsg_to_host(const uint8_t *g, uint32_t glen, uint8_t *h, size_t hroom)
{
    size_t ho = 0;
    for (uint64_t go = 0; go + RT_ARM_CMSGHDR_SIZE <= glen; go += ARM_ALIGN(rt_get32(g, go))) {
        uint32_t len = rt_get32(g, go);
        if (len < RT_ARM_CMSGHDR_SIZE || len > glen - go)
            return -EINVAL;
        uint32_t d = len - RT_ARM_CMSGHDR_SIZE;
        size_t need = HOST_ALIGN(HOST_CMSG_HDR + d);
        if (ho + need > hroom)
            return -ENOBUFS;
        memset(h + ho, 0, need);
        rt_put64(h, ho, HOST_CMSG_HDR + d);
        rt_put32(h, ho + 8, rt_get32(g, go + 4));     /* level */
        rt_put32(h, ho + 12, rt_get32(g, go + 8));    /* type */
        memcpy(h + ho + HOST_CMSG_HDR, g + go + RT_ARM_CMSGHDR_SIZE, d);
        ho += need;
    }
    return (long)ho;
}

/* The ARM kernel's put_cmsg: a header that does not fit is dropped, data that does not fit
   is cut (both set MSG_CTRUNC); returns the room used. */
static uint32_t put_cmsg(uint8_t *g, uint32_t room, uint32_t level, uint32_t type,
                         const uint8_t *d, uint32_t dlen, struct rt_cmsg_out *o)
{
    if (room < RT_ARM_CMSGHDR_SIZE) {
        o->ctrunc = true;
        return 0;
    }
    uint32_t cmlen = RT_ARM_CMSGHDR_SIZE + dlen;
    if (room < cmlen) {
        o->ctrunc = true;
        cmlen = room;
    }
    rt_put32(g, 0, cmlen);
    rt_put32(g, 4, level);
    rt_put32(g, 8, type);
    memcpy(g + RT_ARM_CMSGHDR_SIZE, d, cmlen - RT_ARM_CMSGHDR_SIZE);
    uint64_t space = ARM_ALIGN(RT_ARM_CMSGHDR_SIZE + dlen);
    return space < room ? (uint32_t)space : room;
}

/* The ARM kernel's scm_detach_fds: as many descriptors as fit whole, the rest dropped. */
static uint32_t put_rights(uint8_t *g, uint32_t room, const uint8_t *d, uint32_t dlen,
                           struct rt_cmsg_out *o)
{
    uint32_t count = dlen / 4;
    uint32_t fit = room > RT_ARM_CMSGHDR_SIZE ? (room - RT_ARM_CMSGHDR_SIZE) / 4 : 0;
    uint32_t n = count < fit ? count : fit;
    for (uint32_t i = n; i < count; i++)
        o->drop[o->ndrop++] = (int)rt_get32(d, 4 * i);
    if (n < count)
        o->ctrunc = true;
    if (n == 0)
        return 0;
    rt_put32(g, 0, RT_ARM_CMSGHDR_SIZE + 4 * n);
    rt_put32(g, 4, SOL_SOCKET);
    rt_put32(g, 8, SCM_RIGHTS);
    memcpy(g + RT_ARM_CMSGHDR_SIZE, d, 4 * n);
    return RT_ARM_CMSGHDR_SIZE + 4 * n;
}

/* Old-style timestamps: host {s64, s64} pairs → ARM {s32, s32}; returns the new length. */
static uint32_t shrink_times(const uint8_t *d, uint32_t dlen, uint8_t *out)
{
    uint32_t n = dlen / 16;
    for (uint32_t i = 0; i < n; i++) {
        rt_put32(out, 8 * i, (uint32_t)rt_get64(d, 16 * i));
        rt_put32(out, 8 * i + 4, (uint32_t)rt_get64(d, 16 * i + 8));
    }
    return 8 * n;
}

static bool is_old_time(uint32_t level, uint32_t type)
{
    return level == SOL_SOCKET && (type == ARM_SCM_TIMESTAMP_OLD ||
                                   type == ARM_SCM_TIMESTAMPNS_OLD ||
                                   type == ARM_SCM_TIMESTAMPING_OLD);
}

uint32_t rt_cmsg_to_arm(const uint8_t *h, size_t hlen, uint8_t *g, uint32_t gcap,
                        struct rt_cmsg_out *o)
{
    uint32_t go = 0;
    o->ctrunc = false;
    o->ndrop = 0;
    for (size_t ho = 0; ho + HOST_CMSG_HDR <= hlen; ho += HOST_ALIGN(rt_get64(h, ho))) {
        uint64_t len = rt_get64(h, ho);
        if (len < HOST_CMSG_HDR || len > hlen - ho)
            break;
        uint32_t level = rt_get32(h, ho + 8), type = rt_get32(h, ho + 12);
        const uint8_t *d = h + ho + HOST_CMSG_HDR;
        uint32_t dlen = (uint32_t)(len - HOST_CMSG_HDR);
        uint8_t times[3 * 8];
        if (level == SOL_SOCKET && type == SCM_RIGHTS) {
            go += put_rights(g + go, gcap - go, d, dlen, o);
            continue;
        }
        if (is_old_time(level, type) && dlen <= 3 * 16) {
            dlen = shrink_times(d, dlen, times);
            d = times;
        }
        go += put_cmsg(g + go, gcap - go, level, type, d, dlen, o);
    }
    return go;
}

/* ---------------- epoll, select, pselect6 ---------------- */

/* ARM: events 0, pad 4, data 8. */
void rt_epoll_event_to_host(const uint8_t in[RT_ARM_EPOLL_EVENT_SIZE], struct epoll_event *h)
{
    h->events = rt_get32(in, 0);
    h->data.u64 = rt_get64(in, 8);
}

void rt_epoll_event_to_arm(const struct epoll_event *h, uint8_t out[RT_ARM_EPOLL_EVENT_SIZE])
{
    rt_put32(out, 0, h->events);
    rt_put64(out, 8, h->data.u64);
}

/* ARM: tv_sec 0, tv_usec 4 (longs). */
void rt_tv32_to_host(const uint8_t in[RT_ARM_TIMEVAL_SIZE], struct timeval *h)
{
    h->tv_sec = (int32_t)rt_get32(in, 0);
    h->tv_usec = (int32_t)rt_get32(in, 4);
}

void rt_tv32_from_host(const struct timeval *h, uint8_t out[RT_ARM_TIMEVAL_SIZE])
{
    rt_put32(out, 0, (uint32_t)h->tv_sec);
    rt_put32(out, 4, (uint32_t)h->tv_usec);
}

uint32_t rt_fdset_bytes(uint32_t n)
{
    return (uint32_t)(((uint64_t)n + 31) / 32 * 4);
}

/* ARM: sigset pointer 0, size 4. */
void rt_pselect_sig_from_arm(const uint8_t in[8], uint32_t *set, uint32_t *size)
{
    *set = rt_get32(in, 0);
    *size = rt_get32(in, 4);
}

/* ---------------- socket options ---------------- */

/* ARM: len 0 (u16), pad 2, filter 4. */
void rt_sock_fprog_to_host(const uint8_t in[RT_ARM_SOCK_FPROG_SIZE], struct sock_fprog *h)
{
    h->len = rt_get16(in, 0);
    h->filter = (struct sock_filter *)(uintptr_t)rt_get32(in, 4);
}

/* ARM: interface 0, the rest from 4; x86-64: interface 0, pad 4, the rest from 8. */
uint32_t rt_group_req_to_host(const uint8_t *in, uint32_t len, uint8_t *out)
{
    if (len < 4) {
        memcpy(out, in, len);
        return len;
    }
    memcpy(out, in, 4);
    memset(out + 4, 0, 4);
    memcpy(out + 8, in + 4, len - 4);
    return len + 4;
}

uint32_t rt_group_req_to_arm(const uint8_t *in, uint32_t hlen, uint8_t *out)
{
    if (hlen <= 8) {
        uint32_t n = hlen < 4 ? hlen : 4;
        memcpy(out, in, n);
        return n;
    }
    memcpy(out, in, 4);
    memcpy(out + 4, in + 8, hlen - 8);
    return hlen - 4;
}
