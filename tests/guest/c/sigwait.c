/* Waiting for signals: sigsuspend, pause with alarm, sigwait/sigtimedwait/sigwaitinfo of a
 * blocked signal (also one whose action is the default, which must not kill while blocked),
 * a read interrupted by a handler without SA_RESTART (EINTR) and restarted with it,
 * SIGCHLD with its siginfo, SA_RESETHAND and SA_NODEFER. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits, depth, maxdepth, raised, chld_code, chld_status;

static void on_sig(int sig) { (void)sig; hits++; }
static void on_nested(int sig)
{
    depth++;
    if (depth > maxdepth)
        maxdepth = depth;
    if (raised < 2) {
        raised++;
        raise(sig);
    }
    depth--;
}
static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    chld_code = si->si_code;
    chld_status = si->si_status;
}

static void handle(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static void arm_timer_ms(int ms)
{
    struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t usr1, old, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);

    /* sigsuspend: SIGUSR1 blocked, raised, then let in only by sigsuspend's mask. */
    handle(SIGUSR1, on_sig, 0);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    raise(SIGUSR1);
    printf("blocked: hits %d\n", hits);
    int r = sigsuspend(&none);
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("sigsuspend %d errno %s hits %d still blocked %d\n", r,
           errno == EINTR ? "EINTR" : "?", hits, sigismember(&now, SIGUSR1));

    /* pause until an interval timer's SIGALRM. */
    handle(SIGALRM, on_sig, 0);
    arm_timer_ms(20);
    r = pause();
    printf("pause %d errno %s hits %d\n", r, errno == EINTR ? "EINTR" : "?", hits);

    /* sigwait on a blocked signal whose action is the default (it would kill). */
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, NULL);
    kill(getpid(), SIGTERM);
    sigset_t pend;
    sigpending(&pend);
    printf("SIGTERM pending %d\n", sigismember(&pend, SIGTERM));
    int got = 0;
    r = sigwait(&term, &got);
    printf("sigwait %d got %s\n", r, got == SIGTERM ? "SIGTERM" : "?");

    /* sigtimedwait: a timeout, then a queued value. */
    struct timespec ts = { 0, 10 * 1000 * 1000 };
    r = sigtimedwait(&usr1, NULL, &ts);
    printf("sigtimedwait timeout %d errno %s\n", r, errno == EAGAIN ? "EAGAIN" : "?");
    union sigval v = { .sival_int = 77 };
    sigqueue(getpid(), SIGUSR1, v);
    siginfo_t info;
    r = sigwaitinfo(&usr1, &info);
    printf("sigwaitinfo %s code %s value %d hits %d\n", r == SIGUSR1 ? "SIGUSR1" : "?",
           info.si_code == SI_QUEUE ? "SI_QUEUE" : "?", info.si_value.sival_int, hits);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* A blocking read interrupted by SIGALRM: EINTR without SA_RESTART... */
    int p[2];
    pipe(p);
    char c;
    arm_timer_ms(20);
    r = (int)read(p[0], &c, 1);
    printf("read without SA_RESTART: %d %s\n", r, errno == EINTR ? "EINTR" : "?");
    /* ... and restarted with it: a child writes after the handler ran. */
    handle(SIGALRM, on_sig, SA_RESTART);
    int before = hits;
    pid_t pid = fork();
    if (pid == 0) {
        usleep(200 * 1000);
        write(p[1], "k", 1);
        _exit(0);
    }
    arm_timer_ms(20);
    r = (int)read(p[0], &c, 1);
    printf("read with SA_RESTART: %d '%c' handler ran %d\n", r, c, hits - before);
    waitpid(pid, NULL, 0);

    /* SIGCHLD with siginfo. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    pid = fork();
    if (pid == 0)
        _exit(42);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    while (!chld_code)
        usleep(1000);
    printf("SIGCHLD code %s status %d\n", chld_code == CLD_EXITED ? "CLD_EXITED" : "?",
           chld_status);

    /* SA_NODEFER lets the handler nest; without it the signal waits. */
    handle(SIGUSR2, on_nested, SA_NODEFER);
    raise(SIGUSR2);
    printf("nodefer depth %d\n", maxdepth);
    maxdepth = 0;
    raised = 0;
    handle(SIGUSR2, on_nested, 0);
    raise(SIGUSR2);
    printf("defer depth %d\n", maxdepth);

    /* SA_RESETHAND: the second one takes the default action (here: ignored SIGURG... use
       SIGWINCH, ignored by default). */
    hits = 0;
    handle(SIGWINCH, on_sig, SA_RESETHAND);
    raise(SIGWINCH);
    raise(SIGWINCH);
    struct sigaction cur;
    sigaction(SIGWINCH, NULL, &cur);
    printf("resethand hits %d default now %d\n", hits, cur.sa_handler == SIG_DFL);
    return 0;
}
