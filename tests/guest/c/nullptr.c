/* guest-aot-levels: O0 O1 O3
 * Guest address 0: a store and a load through a NULL pointer (and a small offset from it)
 * fault, and a SIGSEGV handler recovers with siglongjmp; the fault address is reported. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf jb;
static volatile unsigned long fault_addr;
static volatile int faults;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    fault_addr = (unsigned long)si->si_addr;
    faults++;
    siglongjmp(jb, 1);
}

/* NULL in a register: the guest compiler cannot see it, the translator can (mov r, #0). */
static int *null_ptr(void)
{
    int *p;
    __asm__ volatile("mov %0, #0" : "=r"(p));
    return p;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    volatile int stored = 0, loaded = 0, value = 0;
    if (sigsetjmp(jb, 1) == 0) {
        int *p = null_ptr();
        *p = 42;
        stored = 1;
    }
    printf("store to NULL: completed %d, faults %d, addr %#lx\n", stored, faults, fault_addr);

    if (sigsetjmp(jb, 1) == 0) {
        int *p = null_ptr();
        value = *p;
        loaded = 1;
    }
    printf("load from NULL: completed %d value %d, faults %d, addr %#lx\n", loaded, value,
           faults, fault_addr);

    stored = 0;
    if (sigsetjmp(jb, 1) == 0) {
        int *p = null_ptr();
        p[3] = 7;
        stored = 1;
    }
    printf("store to NULL+12: completed %d, faults %d, addr %#lx\n", stored, faults,
           fault_addr);

    /* The same in a loop whose NULL the translator only finds after a few iterations. */
    int scratch[2];
    int *ptrs[3] = { &scratch[0], &scratch[1], null_ptr() };
    volatile int done = 0;
    if (sigsetjmp(jb, 1) == 0) {
        for (int i = 0; i < 3; i++) {
            *ptrs[i] = i;
            done++;
        }
    }
    printf("loop: %d stores before the fault, faults %d, addr %#lx\n", done, faults,
           fault_addr);
    return faults == 4 ? 0 : 1;
}
