/* Signal handlers: signal()+raise(), sigaction with SA_SIGINFO, kill() to self, blocked
 * signals left pending and delivered at unblock, handler that longjmps out of SIGSEGV. */
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <setjmp.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_usr2, info_code, info_val;
static sigjmp_buf jb;

static void h_usr1(int sig) { got_usr1 += sig; }
static void h_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_usr2 = sig;
    info_code = si->si_code;
    info_val = si->si_value.sival_int;
}
static void h_segv(int sig)
{
    (void)sig;
    siglongjmp(jb, 7);
}

int main(void)
{
    signal(SIGUSR1, h_usr1);
    raise(SIGUSR1);
    printf("usr1 %d\n", got_usr1);
    kill(getpid(), SIGUSR1);
    printf("usr1 again %d\n", got_usr1);

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = h_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    union sigval sv = { .sival_int = 1234 };
    sigqueue(getpid(), SIGUSR2, sv);
    printf("usr2 %d code_is_queue %d val %d\n", got_usr2, info_code == SI_QUEUE, info_val);

    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    printf("blocked: count %d pending %d\n", got_usr1, sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: count %d\n", got_usr1);

    signal(SIGSEGV, h_segv);
    int r = sigsetjmp(jb, 1);
    if (r == 0) {
        volatile int *bad = (volatile int *)8;
        *bad = 1;
        printf("not reached\n");
    }
    printf("recovered from SIGSEGV r=%d\n", r);
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored ok\n");
    return 0;
}
