/* Exclusives at unaligned addresses: ldrexh/ldrex/ldrexd and a strex whose monitor matches
 * fault with SIGBUS (BUS_ADRALN, si_addr the data address), as on Linux, which fixes up no
 * exclusive; ldrexb never faults; the doubleword forms need 8-byte alignment. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr;
static uint64_t buf[4] __attribute__((aligned(16)));

static void on_bus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    siglongjmp(env, 1);
}

#define TRY(name, off, body)                                                          \
    do {                                                                              \
        volatile uintptr_t p = (uintptr_t)buf + (off);                                \
        uint32_t r = 0xdead;                                                          \
        got_sig = 0;                                                                  \
        if (!sigsetjmp(env, 1)) {                                                     \
            body;                                                                     \
        }                                                                             \
        if (got_sig)                                                                  \
            printf("%-8s +%d: signal %d code %d at +%d\n", name, (int)(off), got_sig, \
                   got_code, (int)(got_addr - (uintptr_t)buf));                       \
        else                                                                          \
            printf("%-8s +%d: ok %x\n", name, (int)(off), (unsigned)r);               \
    } while (0)

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    memset(buf, 0x11, sizeof buf);
    for (int off = 0; off < 8; off++) {
        TRY("ldrexb", off, __asm__ volatile("ldrexb %0, [%1]" : "=r"(r) : "r"(p) : "memory"));
        TRY("ldrexh", off, __asm__ volatile("ldrexh %0, [%1]" : "=r"(r) : "r"(p) : "memory"));
        TRY("ldrex", off, __asm__ volatile("ldrex %0, [%1]" : "=r"(r) : "r"(p) : "memory"));
        TRY("strexh", off, {
            uint32_t t;
            __asm__ volatile("ldrexh %1, [%2]\n\tstrexh %0, %1, [%2]" : "=&r"(r), "=&r"(t) : "r"(p) : "memory");
        });
        TRY("strex", off, __asm__ volatile("strex %0, %1, [%2]" : "=&r"(r) : "r"(0x44u), "r"(p) : "memory"));
        TRY("ldrexd", off, {
            uint64_t v;
            __asm__ volatile("ldrexd %0, %H0, [%1]" : "=&r"(v) : "r"(p) : "memory");
            r = (uint32_t)v;
        });
        TRY("strexd", off, {
            uint64_t v = 0x2222222233333333ull;
            __asm__ volatile("strexd %0, %1, %H1, [%2]" : "=&r"(r) : "r"(v), "r"(p) : "memory");
        });
    }
    printf("buf: %016llx %016llx\n", (unsigned long long)buf[0], (unsigned long long)buf[1]);
    return 0;
}
