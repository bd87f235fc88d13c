/*
 * The kuser helper page at 0xffff0000 (Documentation/arm/kernel_user_helpers.rst): small
 * ARM routines at fixed addresses that old ARM libcs call. Hand-assembled A32 words, each
 * with its assembly; this is the single-core variant, as in pre-v6 kernels.
 */
#include <string.h>

#include "rt_internal.h"

static void put(uint8_t *page, uint32_t off, const uint32_t *w, size_t n)
{
    memcpy(page + off, w, n * 4);
}

void rt_kuser_fill(uint8_t *page)
{
    static const uint32_t cmpxchg64[] = {   /* 0xffff0f60: r0=&old r1=&new r2=ptr */
        0xe92d00f0,     /* push   {r4, r5, r6, r7}  */
        0xe1c040d0,     /* ldrd   r4, r5, [r0]      */
        0xe1c260d0,     /* ldrd   r6, r7, [r2]      */
        0xe0343006,     /* eors   r3, r4, r6        */
        0x00353007,     /* eorseq r3, r5, r7        */
        0x01c140d0,     /* ldrdeq r4, r5, [r1]      */
        0x01c240f0,     /* strdeq r4, r5, [r2]      */
        0xe2730000,     /* rsbs   r0, r3, #0        C set iff equal */
        0xe8bd00f0,     /* pop    {r4, r5, r6, r7}  */
        0xe12fff1e,     /* bx     lr                */
    };
    static const uint32_t barrier[] = {     /* 0xffff0fa0 */
        0xf57ff05b,     /* dmb    ish               */
        0xe12fff1e,     /* bx     lr                */
    };
    static const uint32_t cmpxchg[] = {     /* 0xffff0fc0: r0=old r1=new r2=ptr */
        0xe5923000,     /* ldr    r3, [r2]          */
        0xe0533000,     /* subs   r3, r3, r0        */
        0x05821000,     /* streq  r1, [r2]          */
        0xe2730000,     /* rsbs   r0, r3, #0        r0 = 0 and C set iff stored */
        0xe12fff1e,     /* bx     lr                */
    };
    static const uint32_t get_tls[] = {     /* 0xffff0fe0 */
        0xee1d0f70,     /* mrc    p15, 0, r0, c13, c0, 3   (TPIDRURO) */
        0xe12fff1e,     /* bx     lr                */
    };
    /* Signal return trampolines for handlers without SA_RESTORER (signal.c): the guest
       stack is not executable, so they live here, like the old vectors-page sigreturn. */
    static const uint32_t sigret[] = {      /* 0xffff0500 */
        0xe3a07077,     /* mov    r7, #119  (sigreturn)    */
        0xef000000,     /* svc    0                        */
        0xe3a070ad,     /* mov    r7, #173  (rt_sigreturn) */
        0xef000000,     /* svc    0                        */
        0xdf002777,     /* Thumb: movs r7, #119; svc 0     */
        0xdf0027ad,     /* Thumb: movs r7, #173; svc 0     */
    };
    static const uint32_t version[] = {     /* 0xffff0ffc: number of 32-byte helper slots */
        5,
    };
    /* Everything else is udf #0 (0xe7f000f0), so stray calls trap. */
    for (uint32_t off = 0; off < RT_PAGE; off += 4) {
        uint32_t udf = 0xe7f000f0;
        memcpy(page + off, &udf, 4);
    }
#define PUT(off, w) put(page, off, w, sizeof(w) / sizeof(w[0]))
    PUT(RT_KUSER_SIGRETURN, sigret);
    PUT(0xf60, cmpxchg64);
    PUT(0xfa0, barrier);
    PUT(0xfc0, cmpxchg);
    PUT(0xfe0, get_tls);
    PUT(0xffc, version);
#undef PUT
}
