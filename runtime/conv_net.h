/*
 * ARM EABI layouts of the socket and fd-polling structures that differ from x86-64, and
 * their conversions (conv_net.c). Pure functions over byte buffers, so that
 * tests/unit/net_test.c checks them field by field.
 */
#ifndef XL_CONV_NET_H
#define XL_CONV_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_ARM_MSGHDR_SIZE 28       /* 7 x 32 bits */
#define RT_ARM_MMSGHDR_SIZE 32      /* msghdr, then msg_len */
#define RT_ARM_CMSGHDR_SIZE 12      /* u32 len, int level, int type; 4-byte CMSG_ALIGN */
#define RT_ARM_EPOLL_EVENT_SIZE 16  /* u32 events, 4 bytes of pad, u64 data */
#define RT_ARM_TIMEVAL_SIZE 8
#define RT_ARM_SOCK_FPROG_SIZE 8    /* u16 len, 2 bytes of pad, u32 filter */

/* The guest's struct msghdr, field by field. */
struct rt_gmsghdr {
    uint32_t name, namelen, iov, iovlen, control, controllen, flags;
};
void rt_msghdr_from_arm(const uint8_t in[RT_ARM_MSGHDR_SIZE], struct rt_gmsghdr *m);
/* What recvmsg writes back: msg_namelen, msg_controllen and msg_flags only. */
void rt_msghdr_result_to_arm(uint32_t namelen, uint32_t controllen, uint32_t flags,
                             uint8_t out[RT_ARM_MSGHDR_SIZE]);

/* Control data. Guest → host (sendmsg): the host bytes written, or -EINVAL for a cmsg_len
   the ARM kernel would refuse; h must hold rt_cmsg_host_room(glen) bytes. */
size_t rt_cmsg_host_room(uint32_t glen);
long rt_cmsg_to_host(const uint8_t *g, uint32_t glen, uint8_t *h, size_t hroom);

/* Host → guest (recvmsg), laid out in gcap bytes as the ARM kernel's put_cmsg and
   scm_detach_fds would: what does not fit is truncated and sets ctrunc, and the SCM_RIGHTS
   descriptors that do not fit go to drop[] (room for hlen / 4) for the caller to close.
   Old-style timestamps shrink to 32-bit fields. Returns the guest's msg_controllen. */
struct rt_cmsg_out {
    bool ctrunc;
    unsigned ndrop;
    int *drop;
};
uint32_t rt_cmsg_to_arm(const uint8_t *h, size_t hlen, uint8_t *g, uint32_t gcap,
                        struct rt_cmsg_out *o);

/* epoll_event: ARM 16 bytes (data at 8), x86-64 packed, 12 bytes (data at 4). The ARM
   kernel writes events and data only, so the pad is left as it was. */
struct epoll_event;
void rt_epoll_event_to_host(const uint8_t in[RT_ARM_EPOLL_EVENT_SIZE], struct epoll_event *h);
void rt_epoll_event_to_arm(const struct epoll_event *h, uint8_t out[RT_ARM_EPOLL_EVENT_SIZE]);

/* struct timeval with 32-bit fields (select, SO_RCVTIMEO/SO_SNDTIMEO). */
struct timeval;
void rt_tv32_to_host(const uint8_t in[RT_ARM_TIMEVAL_SIZE], struct timeval *h);
void rt_tv32_from_host(const struct timeval *h, uint8_t out[RT_ARM_TIMEVAL_SIZE]);

/* Bytes of an fd_set that select(n, ...) reads and writes on ARM: whole 32-bit words. */
uint32_t rt_fdset_bytes(uint32_t n);

/* pselect6's sixth argument: {u32 sigset pointer, u32 size}. */
void rt_pselect_sig_from_arm(const uint8_t in[8], uint32_t *set, uint32_t *size);

/* SO_ATTACH_FILTER's struct sock_fprog; the sock_filter array agrees. */
struct sock_fprog;
void rt_sock_fprog_to_host(const uint8_t in[RT_ARM_SOCK_FPROG_SIZE], struct sock_fprog *h);

/* struct group_req, group_source_req, group_filter (MCAST_*): a u32 interface, then
   sockaddr_storages, 4-aligned on ARM and 8-aligned on x86-64, so the host copy has 4 more
   bytes of pad at offset 4 and the rest unchanged. Return the other side's length. */
uint32_t rt_group_req_to_host(const uint8_t *in, uint32_t len, uint8_t *out);
uint32_t rt_group_req_to_arm(const uint8_t *in, uint32_t hlen, uint8_t *out);

#endif
