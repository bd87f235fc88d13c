/*
 * The kuser helper page at 0xffff0000 (Documentation/arm/kernel_user_helpers.rst): small
 * ARM routines at fixed addresses that old ARM libcs call. Hand-assembled A32 words, each
 * with its assembly (checked with arm-linux-gnueabihf-as and objdump); this is the SMP
 * variant of v6K+ kernels (arch/arm/kernel/entry-armv.S): the compare-and-swaps are
 * ldrex/strex retry loops between dmbs, so they are atomic against other guest threads
 * (the translated strex is a host compare-and-swap, lifter/arm/mem.c).
 */
#include <string.h>

#include "rt_internal.h"

static void put(uint8_t *page, uint32_t off, const uint32_t *w, size_t n)
{
    memcpy(page + off, w, n * 4);
}

void rt_kuser_fill(uint8_t *page)
{
    /* r0 = 0 and C set iff *ptr was oldval and now holds newval; else r0 != 0, C clear.
       Clobbers r3 only, as documented (the kernel's loses r1 to its ldrexd; this saves it). */
    static const uint32_t cmpxchg64[] = {   /* 0xffff0f60: r0=&oldval r1=&newval r2=ptr */
        0xe92d00f2,     /* push     {r1, r4, r5, r6, r7}    */
        0xe1c040d0,     /* ldrd     r4, r5, [r0]            oldval */
        0xe1c160d0,     /* ldrd     r6, r7, [r1]            newval */
        0xf57ff05b,     /* dmb      ish                     */
        0xe1b20f9f,     /* 1: ldrexd r0, r1, [r2]           */
        0xe0303004,     /* eors     r3, r0, r4              */
        0x00313005,     /* eorseq   r3, r1, r5              */
        0x01a23f96,     /* strexdeq r3, r6, r7, [r2]        */
        0x03330001,     /* teqeq    r3, #1                  strexd failed? */
        0x0afffff9,     /* beq      1b                      then retry */
        0xf57ff05b,     /* dmb      ish                     */
        0xe2730000,     /* rsbs     r0, r3, #0              r0 = 0 and C set iff stored */
        0xe8bd00f2,     /* pop      {r1, r4, r5, r6, r7}    */
        0xe12fff1e,     /* bx       lr                      */
    };
    static const uint32_t barrier[] = {     /* 0xffff0fa0 */
        0xf57ff05b,     /* dmb      ish                     */
        0xe12fff1e,     /* bx       lr                      */
    };
    /* The same on a word; clobbers r3 only (Go's runtime relies on r1 and r2 surviving).
       Eight words, the slot's size: the trailing dmb is the barrier helper's. */
    static const uint32_t cmpxchg[] = {     /* 0xffff0fc0: r0=oldval r1=newval r2=ptr */
        0xf57ff05b,     /* dmb      ish                     */
        0xe1923f9f,     /* 1: ldrex r3, [r2]                */
        0xe0533000,     /* subs     r3, r3, r0              */
        0x01823f91,     /* strexeq  r3, r1, [r2]            */
        0x03330001,     /* teqeq    r3, #1                  strex failed? */
        0x0afffffa,     /* beq      1b                      then retry */
        0xe2730000,     /* rsbs     r0, r3, #0              r0 = 0 and C set iff stored */
        0xeaffffef,     /* b        0xffff0fa0              dmb; bx lr */
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
    _Static_assert(sizeof(cmpxchg64) <= 0x40 && sizeof(barrier) <= 0x20 &&
                   sizeof(cmpxchg) <= 0x20 && sizeof(get_tls) <= 0x1c,
                   "a kuser helper overflows its slot");
#define PUT(off, w) put(page, off, w, sizeof(w) / sizeof(w[0]))
    PUT(RT_KUSER_SIGRETURN, sigret);
    PUT(0xf60, cmpxchg64);
    PUT(0xfa0, barrier);
    PUT(0xfc0, cmpxchg);
    PUT(0xfe0, get_tls);
    PUT(0xffc, version);
#undef PUT
}
