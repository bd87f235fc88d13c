/*
 * Alignment hints of Advanced SIMD loads and stores: an address that breaks one raises
 * SIGBUS (BUS_ADRALN, si_addr the base) before anything is loaded, stored or written back;
 * the same insns on aligned addresses run. Under qemu-arm as on Linux, but for a :256 hint
 * on an address aligned to 16 bytes only, which qemu-arm lets through and xlate, like the
 * ARM ARM (alignment = 4 << align), does not: not tested here.
 * guest-ldflags: -mfpu=neon
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t buf[128] __attribute__((aligned(32)));
static sigjmp_buf env;
static volatile uintptr_t fault_addr;
static volatile int fault_code;

static void on_bus(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)ctx;
    fault_addr = (uintptr_t)si->si_addr;
    fault_code = si->si_code;
    siglongjmp(env, 1);
}

#define TRY(name, off, body)                                                        \
    do {                                                                            \
        uint8_t *p = buf + (off);                                                   \
        uint8_t *p0 = p;                                                            \
        fault_addr = 0;                                                             \
        if (sigsetjmp(env, 1) == 0) {                                               \
            body;                                                                   \
            printf("%-24s +%-2d ran, base moved %d\n", name, (off), (int)(p - p0)); \
        } else {                                                                    \
            printf("%-24s +%-2d SIGBUS code %d at +%d, base moved %d\n", name, (off),  \
                   fault_code, (int)(fault_addr - (uintptr_t)buf), (int)(p - p0));  \
        }                                                                           \
    } while (0)

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7);
    static const int offs[] = { 0, 4, 8, 16 };
    for (unsigned k = 0; k < 4; k++) {
        int o = offs[k];
        TRY("vld1.64 {d0} :64", o,
            __asm__ volatile("vld1.64 {d0}, [%0:64]!" : "+r"(p) : : "d0", "memory"));
        TRY("vld1.8 {d0-d1} :128", o,
            __asm__ volatile("vld1.8 {d0-d1}, [%0:128]!" : "+r"(p) : : "d0", "d1", "memory"));
        /* (at +16 qemu-arm checks only 16 bytes of :256; the ARM ARM asks for 32) */
        TRY("vst1.32 {d0-d3} :256", o == 16 ? 32 : o,
            __asm__ volatile("vmov.i8 q0, #0x5a\n\tvmov.i16 q1, #0xa500\n\t"
                             "vst1.32 {d0-d3}, [%0:256]!"
                             : "+r"(p) : : "d0", "d1", "d2", "d3", "memory"));
        TRY("vld2.16 {d0-d1} :128", o,
            __asm__ volatile("vld2.16 {d0-d1}, [%0:128]" : : "r"(p) : "d0", "d1", "memory"));
        TRY("vld4.8 {d0-d3} :64", o,
            __asm__ volatile("vld4.8 {d0-d3}, [%0:64]!"
                             : "+r"(p) : : "d0", "d1", "d2", "d3", "memory"));
        TRY("vld1.32 {d0[1]} :32", o + 2,
            __asm__ volatile("vld1.32 {d0[1]}, [%0:32]" : : "r"(p) : "d0", "memory"));
        TRY("vst2.16 {d0[2],d1[2]} :32", o + 2,
            __asm__ volatile("vmov.i32 d0, #0x3c00\n\tvmov.i8 d1, #0x81\n\t"
                             "vst2.16 {d0[2], d1[2]}, [%0:32]"
                             : : "r"(p) : "d0", "d1", "memory"));
        TRY("vld1.16 {d0[]} :16", o + 1,
            __asm__ volatile("vld1.16 {d0[]}, [%0:16]" : : "r"(p) : "d0", "memory"));
        TRY("vld4.32 {d0[],d1[],d2[],d3[]} :128", o,
            __asm__ volatile("vld4.32 {d0[], d1[], d2[], d3[]}, [%0:128]"
                             : : "r"(p) : "d0", "d1", "d2", "d3", "memory"));
        TRY("vld1.8 {d0} (no hint)", o + 1,
            __asm__ volatile("vld1.8 {d0}, [%0]!" : "+r"(p) : : "d0", "memory"));
    }
    uint32_t sum = 0;
    for (unsigned i = 0; i < sizeof(buf); i++)
        sum = sum * 31 + buf[i];
    printf("memory %08x\n", sum);
    return 0;
}
