/*
 * runtime/conv_net.c: the ARM EABI socket and polling layouts against x86-64's. Expected
 * values are worked out by hand from the ARM and x86-64 kernel/glibc layouts (offsets in
 * comments), never copied from output. Pure functions on plain buffers: runs under ASan.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/filter.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "runtime/conv_net.h"
#include "runtime/bytes.h"

/* ---------------- msghdr ---------------- */

static void test_msghdr(void **state)
{
    (void)state;
    uint8_t in[RT_ARM_MSGHDR_SIZE];
    for (uint32_t i = 0; i < 7; i++)
        rt_put32(in, 4 * i, 0x1000 + i);
    struct rt_gmsghdr m;
    rt_msghdr_from_arm(in, &m);
    assert_int_equal(m.name, 0x1000);           /* msg_name at 0 */
    assert_int_equal(m.namelen, 0x1001);        /* msg_namelen at 4 */
    assert_int_equal(m.iov, 0x1002);            /* msg_iov at 8 */
    assert_int_equal(m.iovlen, 0x1003);         /* msg_iovlen (size_t) at 12 */
    assert_int_equal(m.control, 0x1004);        /* msg_control at 16 */
    assert_int_equal(m.controllen, 0x1005);     /* msg_controllen (size_t) at 20 */
    assert_int_equal(m.flags, 0x1006);          /* msg_flags at 24 */

    uint8_t out[RT_ARM_MSGHDR_SIZE + 4];
    memset(out, 0xee, sizeof(out));
    rt_msghdr_result_to_arm(16, 20, MSG_CTRUNC, out);
    assert_int_equal(rt_get32(out, 0), 0xeeeeeeee);  /* msg_name untouched */
    assert_int_equal(rt_get32(out, 4), 16);
    assert_int_equal(rt_get32(out, 8), 0xeeeeeeee);
    assert_int_equal(rt_get32(out, 12), 0xeeeeeeee);
    assert_int_equal(rt_get32(out, 16), 0xeeeeeeee);
    assert_int_equal(rt_get32(out, 20), 20);
    assert_int_equal(rt_get32(out, 24), 8);          /* MSG_CTRUNC */
    assert_int_equal(rt_get32(out, 28), 0xeeeeeeee); /* nothing past 28 bytes */
}

/* ---------------- control data, guest → host ---------------- */

/* ARM: SCM_RIGHTS {7, 9} (len 20 at 0), then SCM_CREDENTIALS {100, 1000, 1001} at
   CMSG_ALIGN(20) = 20 (len 24): 44 bytes. */
static void arm_rights_creds(uint8_t *g)
{
    rt_put32(g, 0, 20); rt_put32(g, 4, SOL_SOCKET); rt_put32(g, 8, SCM_RIGHTS);
    rt_put32(g, 12, 7); rt_put32(g, 16, 9);
    rt_put32(g, 20, 24); rt_put32(g, 24, SOL_SOCKET); rt_put32(g, 28, SCM_CREDENTIALS);
    rt_put32(g, 32, 100); rt_put32(g, 36, 1000); rt_put32(g, 40, 1001);
}

static void test_cmsg_to_host(void **state)
{
    (void)state;
    uint8_t g[44], h[128];
    arm_rights_creds(g);
    assert_true(rt_cmsg_host_room(44) <= sizeof(h));
    memset(h, 0xee, sizeof(h));
    assert_int_equal(rt_cmsg_to_host(g, 44, h, sizeof(h)), 56);
    /* x86-64: {u64 len, int level, int type}, data at 16, 8-byte CMSG_ALIGN. */
    assert_int_equal(rt_get64(h, 0), 24);            /* CMSG_LEN(8) */
    assert_int_equal(rt_get32(h, 8), SOL_SOCKET);
    assert_int_equal(rt_get32(h, 12), SCM_RIGHTS);
    assert_int_equal(rt_get32(h, 16), 7);
    assert_int_equal(rt_get32(h, 20), 9);
    assert_int_equal(rt_get64(h, 24), 28);           /* at CMSG_ALIGN(24) = 24: CMSG_LEN(12) */
    assert_int_equal(rt_get32(h, 32), SOL_SOCKET);
    assert_int_equal(rt_get32(h, 36), SCM_CREDENTIALS);
    assert_int_equal(rt_get32(h, 40), 100);
    assert_int_equal(rt_get32(h, 44), 1000);
    assert_int_equal(rt_get32(h, 48), 1001);
    assert_int_equal(rt_get32(h, 52), 0);            /* padding up to CMSG_SPACE(12) = 32 */
    assert_int_equal(h[56], 0xee);
}

static void test_cmsg_to_host_edges(void **state)
{
    (void)state;
    uint8_t g[64], h[160];
    /* A 1-byte payload (len 13), the next header at CMSG_ALIGN(13) = 16; then 7 bytes
       that cannot hold a header, ignored as Linux's CMSG_NXTHDR does. */
    memset(g, 0, sizeof(g));
    rt_put32(g, 0, 13); rt_put32(g, 4, 0); rt_put32(g, 8, 8); g[12] = 0x5a;
    rt_put32(g, 16, 16); rt_put32(g, 20, 41); rt_put32(g, 24, 50); rt_put32(g, 28, 0xabcd);
    assert_int_equal(rt_cmsg_to_host(g, 39, h, sizeof(h)), 24 + 24);
    assert_int_equal(rt_get64(h, 0), 17);            /* CMSG_LEN(1) on x86-64 */
    assert_int_equal(h[16], 0x5a);
    assert_int_equal(rt_get64(h, 24), 20);           /* at CMSG_ALIGN(17) = 24: CMSG_LEN(4) */
    assert_int_equal(rt_get32(h, 32), 41);
    assert_int_equal(rt_get32(h, 36), 50);
    assert_int_equal(rt_get32(h, 40), 0xabcd);
    /* CMSG_OK: a cmsg_len under 12 or past the end is EINVAL. */
    rt_put32(g, 0, 11);
    assert_int_equal(rt_cmsg_to_host(g, 32, h, sizeof(h)), -EINVAL);
    rt_put32(g, 0, 33);
    assert_int_equal(rt_cmsg_to_host(g, 32, h, sizeof(h)), -EINVAL);
    /* Under one header: nothing. */
    assert_int_equal(rt_cmsg_to_host(g, 11, h, sizeof(h)), 0);
}

/* ---------------- control data, host → guest ---------------- */

/* x86-64: SCM_CREDENTIALS {100, 1000, 1001} (len 28 at 0, space 32), then SCM_RIGHTS
   {20, 21, 22} (len 28 at 32, space 32): 64 bytes. */
static void host_creds_rights(uint8_t *h)
{
    memset(h, 0, 64);
    rt_put64(h, 0, 28); rt_put32(h, 8, SOL_SOCKET); rt_put32(h, 12, SCM_CREDENTIALS);
    rt_put32(h, 16, 100); rt_put32(h, 20, 1000); rt_put32(h, 24, 1001);
    rt_put64(h, 32, 28); rt_put32(h, 40, SOL_SOCKET); rt_put32(h, 44, SCM_RIGHTS);
    rt_put32(h, 48, 20); rt_put32(h, 52, 21); rt_put32(h, 56, 22);
}

static void test_cmsg_to_arm_fits(void **state)
{
    (void)state;
    uint8_t h[64], g[100];
    int drop[16];
    struct rt_cmsg_out o = { .drop = drop };
    host_creds_rights(h);
    memset(g, 0xee, sizeof(g));
    assert_int_equal(rt_cmsg_to_arm(h, 64, g, sizeof(g), &o), 48);
    assert_false(o.ctrunc);
    assert_int_equal(o.ndrop, 0);
    assert_int_equal(rt_get32(g, 0), 24);            /* ARM CMSG_LEN(12) */
    assert_int_equal(rt_get32(g, 4), SOL_SOCKET);
    assert_int_equal(rt_get32(g, 8), SCM_CREDENTIALS);
    assert_int_equal(rt_get32(g, 12), 100);
    assert_int_equal(rt_get32(g, 16), 1000);
    assert_int_equal(rt_get32(g, 20), 1001);
    assert_int_equal(rt_get32(g, 24), 24);           /* at CMSG_ALIGN(24) = 24: CMSG_LEN(12) */
    assert_int_equal(rt_get32(g, 28), SOL_SOCKET);
    assert_int_equal(rt_get32(g, 32), SCM_RIGHTS);
    assert_int_equal(rt_get32(g, 36), 20);
    assert_int_equal(rt_get32(g, 40), 21);
    assert_int_equal(rt_get32(g, 44), 22);
    assert_int_equal(g[48], 0xee);
}

static void test_cmsg_to_arm_rights_cut(void **state)
{
    (void)state;
    uint8_t h[64], g[64];
    int drop[16];
    struct rt_cmsg_out o = { .drop = drop };
    host_creds_rights(h);
    /* 16 bytes left for the rights: (16 - 12) / 4 = 1 descriptor, 2 dropped. */
    memset(g, 0xee, sizeof(g));
    assert_int_equal(rt_cmsg_to_arm(h, 64, g, 40, &o), 40);
    assert_true(o.ctrunc);
    assert_int_equal(rt_get32(g, 24), 16);           /* CMSG_LEN(4) */
    assert_int_equal(rt_get32(g, 32), SCM_RIGHTS);
    assert_int_equal(rt_get32(g, 36), 20);
    assert_int_equal(g[40], 0xee);
    assert_int_equal(o.ndrop, 2);
    assert_int_equal(drop[0], 21);
    assert_int_equal(drop[1], 22);
    /* 12 bytes left, or 15: no descriptor fits, no header is written, all dropped. */
    for (uint32_t cap = 36; cap <= 39; cap++) {
        memset(g, 0xee, sizeof(g));
        assert_int_equal(rt_cmsg_to_arm(h, 64, g, cap, &o), 24);
        assert_true(o.ctrunc);
        assert_int_equal(o.ndrop, 3);
        assert_int_equal(drop[2], 22);
        assert_int_equal(g[24], 0xee);
    }
}

static void test_cmsg_to_arm_creds_cut(void **state)
{
    (void)state;
    uint8_t h[64], g[64];
    int drop[16];
    struct rt_cmsg_out o = { .drop = drop };
    host_creds_rights(h);
    /* 20 bytes: put_cmsg writes cmsg_len 20 and 8 of the 12 data bytes. */
    memset(g, 0xee, sizeof(g));
    assert_int_equal(rt_cmsg_to_arm(h, 64, g, 20, &o), 20);
    assert_true(o.ctrunc);
    assert_int_equal(rt_get32(g, 0), 20);
    assert_int_equal(rt_get32(g, 8), SCM_CREDENTIALS);
    assert_int_equal(rt_get32(g, 12), 100);
    assert_int_equal(rt_get32(g, 16), 1000);
    assert_int_equal(g[20], 0xee);
    assert_int_equal(o.ndrop, 3);               /* no room left for the rights */
    /* Under a header: nothing at all. */
    memset(g, 0xee, sizeof(g));
    assert_int_equal(rt_cmsg_to_arm(h, 64, g, 11, &o), 0);
    assert_true(o.ctrunc);
    assert_int_equal(g[0], 0xee);
    assert_int_equal(o.ndrop, 3);
}

static void test_cmsg_to_arm_timestamps(void **state)
{
    (void)state;
    uint8_t h[160], g[128];
    int drop[40];
    struct rt_cmsg_out o = { .drop = drop };
    memset(h, 0, sizeof(h));
    /* SCM_TIMESTAMP (29): a 16-byte timeval at 16, len 32. */
    rt_put64(h, 0, 32); rt_put32(h, 8, SOL_SOCKET); rt_put32(h, 12, 29);
    rt_put64(h, 16, 1700000000); rt_put64(h, 24, 123456);
    /* SCM_TIMESTAMPNS (35) at 32: a timespec, len 32. */
    rt_put64(h, 32, 32); rt_put32(h, 40, SOL_SOCKET); rt_put32(h, 44, 35);
    rt_put64(h, 48, 1700000001); rt_put64(h, 56, 999999999);
    /* SCM_TIMESTAMPING (37) at 64: three timespecs, len 64. */
    rt_put64(h, 64, 64); rt_put32(h, 72, SOL_SOCKET); rt_put32(h, 76, 37);
    for (int i = 0; i < 3; i++) {
        rt_put64(h, 80 + 16 * i, 10 + i);
        rt_put64(h, 88 + 16 * i, 20 + i);
    }
    /* Type 29 at another level (IPPROTO_IP): not a timestamp, copied as it is. */
    rt_put64(h, 128, 20); rt_put32(h, 136, 0); rt_put32(h, 140, 29); rt_put32(h, 144, 0x01020304);
    memset(g, 0xee, sizeof(g));
    assert_int_equal(rt_cmsg_to_arm(h, 152, g, sizeof(g), &o), 20 + 20 + 36 + 16);
    assert_false(o.ctrunc);
    assert_int_equal(rt_get32(g, 0), 20);            /* ARM CMSG_LEN(8): a 32-bit timeval */
    assert_int_equal(rt_get32(g, 8), 29);
    assert_int_equal(rt_get32(g, 12), 1700000000);
    assert_int_equal(rt_get32(g, 16), 123456);
    assert_int_equal(rt_get32(g, 20), 20);           /* at 20: a 32-bit timespec */
    assert_int_equal(rt_get32(g, 28), 35);
    assert_int_equal(rt_get32(g, 32), 1700000001);
    assert_int_equal(rt_get32(g, 36), 999999999);
    assert_int_equal(rt_get32(g, 40), 36);           /* at 40: CMSG_LEN(24) */
    assert_int_equal(rt_get32(g, 48), 37);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rt_get32(g, 52 + 8 * i), 10 + i);
        assert_int_equal(rt_get32(g, 56 + 8 * i), 20 + i);
    }
    assert_int_equal(rt_get32(g, 76), 16);           /* at 76: CMSG_LEN(4) */
    assert_int_equal(rt_get32(g, 80), 0);
    assert_int_equal(rt_get32(g, 84), 29);
    assert_int_equal(rt_get32(g, 88), 0x01020304);
    assert_int_equal(g[92], 0xee);
}

/* ---------------- epoll, select, pselect6 ---------------- */

static void test_epoll_event(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct epoll_event), 12);
    uint8_t in[RT_ARM_EPOLL_EVENT_SIZE];
    rt_put32(in, 0, 0x80000005u);                    /* EPOLLET | EPOLLIN | EPOLLOUT */
    rt_put32(in, 4, 0xdeadbeef);                     /* pad */
    rt_put64(in, 8, 0x1122334455667788ull);
    struct epoll_event h;
    rt_epoll_event_to_host(in, &h);
    uint8_t hb[12];
    memcpy(hb, &h, 12);
    assert_int_equal(rt_get32(hb, 0), 0x80000005u);  /* x86-64 packed: events at 0 */
    assert_int_equal(rt_get64(hb, 4), 0x1122334455667788ull);    /* data at 4 */

    uint8_t out[RT_ARM_EPOLL_EVENT_SIZE + 4];
    memset(out, 0xee, sizeof(out));
    rt_put32(hb, 0, 1);
    rt_put64(hb, 4, 0xa0b0c0d0e0f00102ull);
    memcpy(&h, hb, 12);
    rt_epoll_event_to_arm(&h, out);
    assert_int_equal(rt_get32(out, 0), 1);
    assert_int_equal(rt_get32(out, 4), 0xeeeeeeee);  /* the pad: the ARM kernel leaves it */
    assert_int_equal(rt_get64(out, 8), 0xa0b0c0d0e0f00102ull);
    assert_int_equal(rt_get32(out, 16), 0xeeeeeeee);
}

static void test_timeval32(void **state)
{
    (void)state;
    uint8_t in[8];
    rt_put32(in, 0, (uint32_t)-5);
    rt_put32(in, 4, 999999);
    struct timeval tv;
    rt_tv32_to_host(in, &tv);
    assert_int_equal(tv.tv_sec, -5);            /* a signed 32-bit long */
    assert_int_equal(tv.tv_usec, 999999);
    tv.tv_sec = 0x100000007ll;                  /* only the low 32 bits fit */
    tv.tv_usec = 250000;
    uint8_t out[12];
    memset(out, 0xee, sizeof(out));
    rt_tv32_from_host(&tv, out);
    assert_int_equal(rt_get32(out, 0), 7);
    assert_int_equal(rt_get32(out, 4), 250000);
    assert_int_equal(rt_get32(out, 8), 0xeeeeeeee);
}

static void test_fdset_bytes(void **state)
{
    (void)state;
    /* Whole 32-bit words: FDS_BYTES(n) on ARM. */
    assert_int_equal(rt_fdset_bytes(0), 0);
    assert_int_equal(rt_fdset_bytes(1), 4);
    assert_int_equal(rt_fdset_bytes(32), 4);
    assert_int_equal(rt_fdset_bytes(33), 8);    /* x86-64 would touch 8 bytes for 1..64 */
    assert_int_equal(rt_fdset_bytes(1024), 128);
    assert_int_equal(rt_fdset_bytes(0xffffffffu), 0x20000000u);
}

static void test_pselect_sig(void **state)
{
    (void)state;
    uint8_t in[8];
    rt_put32(in, 0, 0x7fff1230);                     /* const sigset_t * at 0 */
    rt_put32(in, 4, 8);                              /* size_t at 4 */
    uint32_t set, size;
    rt_pselect_sig_from_arm(in, &set, &size);
    assert_int_equal(set, 0x7fff1230);
    assert_int_equal(size, 8);
}

/* ---------------- socket options ---------------- */

static void test_sock_fprog(void **state)
{
    (void)state;
    uint8_t in[RT_ARM_SOCK_FPROG_SIZE];
    rt_put32(in, 0, 0xffff0004);                     /* len 4 (u16 at 0), 2 bytes of pad */
    rt_put32(in, 4, 0x12345678);                     /* filter at 4 */
    struct sock_fprog f;
    rt_sock_fprog_to_host(in, &f);
    assert_int_equal(f.len, 4);
    assert_int_equal((uintptr_t)f.filter, 0x12345678);
}

static void test_group_req(void **state)
{
    (void)state;
    /* struct group_req on ARM: gr_interface at 0, gr_group (sockaddr_storage) at 4, 132
       bytes; on x86-64 gr_group is at 8, 136 bytes. */
    uint8_t in[140], h[144], back[140];
    for (int i = 0; i < 140; i++)
        in[i] = (uint8_t)(i + 1);
    rt_put32(in, 0, 3);
    memset(h, 0xee, sizeof(h));
    assert_int_equal(rt_group_req_to_host(in, 132, h), 136);
    assert_int_equal(rt_get32(h, 0), 3);
    assert_int_equal(rt_get32(h, 4), 0);             /* the x86-64 pad */
    assert_int_equal(h[8], 5);                  /* ss_family, from ARM offset 4 */
    assert_int_equal(h[135], 132);              /* the last ARM byte (offset 131) */
    assert_int_equal(h[136], 0xee);
    memset(back, 0xee, sizeof(back));
    assert_int_equal(rt_group_req_to_arm(h, 136, back), 132);
    assert_memory_equal(back, in, 132);
    assert_int_equal(back[132], 0xee);
    /* group_filter: gf_fmode follows gf_group at ARM 132, x86-64 136. */
    assert_int_equal(rt_group_req_to_host(in, 136, h), 140);
    assert_int_equal(rt_get32(h, 136), rt_get32(in, 132));
    /* Too short for the interface: copied as it is, the kernel refuses it. */
    assert_int_equal(rt_group_req_to_host(in, 2, h), 2);
    assert_int_equal(rt_group_req_to_arm(h, 6, back), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_msghdr),
        cmocka_unit_test(test_cmsg_to_host),
        cmocka_unit_test(test_cmsg_to_host_edges),
        cmocka_unit_test(test_cmsg_to_arm_fits),
        cmocka_unit_test(test_cmsg_to_arm_rights_cut),
        cmocka_unit_test(test_cmsg_to_arm_creds_cut),
        cmocka_unit_test(test_cmsg_to_arm_timestamps),
        cmocka_unit_test(test_epoll_event),
        cmocka_unit_test(test_timeval32),
        cmocka_unit_test(test_fdset_bytes),
        cmocka_unit_test(test_pselect_sig),
        cmocka_unit_test(test_sock_fprog),
        cmocka_unit_test(test_group_req),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
