/* Waiting on descriptors: select (libc: pselect6_time64), the raw _newselect and pselect6
 * with their 32-bit times written back and fd_sets read and written a 32-bit word at a time
 * (one word at the very end of a page, a neighbour left alone), poll and ppoll in both time
 * forms, epoll (16-byte ARM events: 64-bit data whole, the pad untouched), epoll_pwait and
 * epoll_pwait2, eventfd, signalfd, inotify, and bad pointers (EFAULT). A signal that only the
 * call's mask lets in (pselect, ppoll, epoll_pwait with SIGUSR1 blocked outside) runs its
 * handler, and the mask from before comes back. Deterministic: short timeouts whose expiry
 * is printed, never their length; no descriptor numbers. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Never mapped; volatile, or the compiler warns about the calls that pass it. */
static void *volatile bad_ptr = (void *)16;
#define BAD bad_ptr

struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };     /* libc 2.36 uses the *_time64 calls after 2038 only */
struct tv32 { int32_t sec, usec; };

static long show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s: %ld\n", what, r);
    return r;
}

static void drain(int fd)
{
    char buf[64];
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    fcntl(fd, F_SETFL, fl);
}

static void selects(void)
{
    printf("-- select\n");
    int p[2];
    pipe(p);
    fd_set r, w;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = { 0, 0 };
    show("select nothing", select(p[0] + 1, &r, NULL, NULL, &tv));
    printf("  read set cleared %d\n", !FD_ISSET(p[0], &r));
    write(p[1], "a", 1);
    FD_SET(p[0], &r);
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    tv = (struct timeval){ 5, 0 };
    show("select ready", select(p[1] + 1, &r, &w, NULL, &tv));
    printf("  readable %d writable %d time left under 5s %d\n", FD_ISSET(p[0], &r),
           FD_ISSET(p[1], &w), tv.tv_sec < 5 || tv.tv_usec == 0);

    /* _newselect (142): 32-bit timeval, one 32-bit word per set */
    uint32_t words[2] = { 1u << p[0], 0xffffffffu };
    struct tv32 t = { 5, 0 };
    show("_newselect ready", syscall(142, p[0] + 1, words, NULL, NULL, &t));
    printf("  word %d neighbour untouched %d time left below 5s %d\n", words[0] == 1u << p[0],
           words[1] == 0xffffffffu, t.sec < 5 && t.usec >= 0 && t.usec < 1000000);
    drain(p[0]);
    words[0] = 1u << p[0];
    t = (struct tv32){ 0, 20000 };
    show("_newselect timeout", syscall(142, p[0] + 1, words, NULL, NULL, &t));
    printf("  word %u neighbour untouched %d time left %d.%06d\n", words[0],
           words[1] == 0xffffffffu, t.sec, t.usec);
    /* a one-word set that ends a page */
    long pg = sysconf(_SC_PAGESIZE);
    uint8_t *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + pg, pg);
    uint32_t *edge = (uint32_t *)(m + pg - 4);
    *edge = 1u << p[1];
    show("_newselect set at a page end", syscall(142, p[1] + 1, NULL, edge, NULL, NULL));
    printf("  writable %d\n", *edge == 1u << p[1]);
    show("_newselect bad set", syscall(142, p[1] + 1, NULL, BAD, NULL, NULL));
    show("_newselect bad timeval", syscall(142, p[1] + 1, NULL, edge, NULL, BAD));
    show("_newselect negative n", syscall(142, -1, NULL, NULL, NULL, NULL));

    /* pselect6 (335): 32-bit timespec written back, {sigset, size} as the 6th argument */
    uint64_t mask = 1ull << (SIGUSR1 - 1);
    uint32_t sig[2] = { (uint32_t)(uintptr_t)&mask, 8 };
    struct ts32 ts = { 0, 10000000 };
    words[0] = 1u << p[0];
    show("pselect6 timeout", syscall(335, p[0] + 1, words, NULL, NULL, &ts, sig));
    printf("  word %u time left %d.%09d\n", words[0], ts.sec, ts.nsec);
    write(p[1], "b", 1);
    words[0] = 1u << p[0];
    ts = (struct ts32){ 3, 0 };
    show("pselect6 ready", syscall(335, p[0] + 1, words, NULL, NULL, &ts, sig));
    printf("  word %d time left below 3s %d\n", words[0] == 1u << p[0], ts.sec < 3);
    sig[1] = 4;
    show("pselect6 sigset size 4", syscall(335, p[0] + 1, words, NULL, NULL, &ts, sig));
    show("pselect6 bad sigset pair", syscall(335, p[0] + 1, words, NULL, NULL, &ts, BAD));
    /* pselect6_time64 (413): the same with a 64-bit timespec */
    drain(p[0]);
    struct ts64 l = { 0, 10000000 };
    words[0] = 1u << p[0];
    sig[1] = 8;
    show("pselect6_time64 timeout", syscall(413, p[0] + 1, words, NULL, NULL, &l, sig));
    printf("  word %u time left %lld.%09lld\n", words[0], (long long)l.sec, (long long)l.nsec);
    write(p[1], "c", 1);
    words[0] = 1u << p[0];
    l = (struct ts64){ 3, 0 };
    show("pselect6_time64 ready", syscall(413, p[0] + 1, words, NULL, NULL, &l, NULL));
    printf("  word %d time left below 3s %d\n", words[0] == 1u << p[0], l.sec < 3);
    sigset_t ss;
    sigemptyset(&ss);
    struct timespec t64 = { 0, 0 };
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    show("pselect (libc) ready", pselect(p[0] + 1, &r, NULL, NULL, &t64, &ss));
    drain(p[0]);
    munmap(m, pg);
    close(p[0]);
    close(p[1]);
}

static void polls(void)
{
    printf("-- poll\n");
    int p[2];
    pipe(p);
    struct pollfd f[2] = { { p[0], POLLIN, 0x5555 }, { p[1], POLLOUT, 0 } };
    show("poll", poll(f, 2, 0));
    printf("  revents %#x %#x\n", f[0].revents, f[1].revents);
    struct ts32 t = { 0, 10000000 };
    show("ppoll (336) timeout", syscall(336, f, 1, &t, NULL, 8));
    printf("  revents %#x time left %d.%09d\n", f[0].revents, t.sec, t.nsec);
    write(p[1], "z", 1);
    t = (struct ts32){ 4, 0 };
    uint64_t mask = 1ull << (SIGUSR2 - 1);
    show("ppoll (336) ready", syscall(336, f, 2, &t, &mask, 8));
    printf("  revents %#x %#x time left below 4s %d\n", f[0].revents, f[1].revents, t.sec < 4);
    show("ppoll (336) sigset size 16", syscall(336, f, 2, &t, &mask, 16));
    struct ts64 l = { 2, 0 };
    show("ppoll_time64 (414) ready", syscall(414, f, 2, &l, &mask, 8));
    printf("  revents %#x %#x time left below 2s %d\n", f[0].revents, f[1].revents, l.sec < 2);
    drain(p[0]);
    l = (struct ts64){ 0, 10000000 };
    show("ppoll_time64 (414) timeout", syscall(414, f, 1, &l, NULL, 0));
    printf("  revents %#x time left %lld.%09lld\n", f[0].revents, (long long)l.sec,
           (long long)l.nsec);
    write(p[1], "z", 1);
    sigset_t ss;
    sigemptyset(&ss);
    struct timespec ts = { 1, 0 };
    show("ppoll (libc)", ppoll(f, 2, &ts, &ss));
    show("ppoll bad timespec", syscall(336, f, 2, BAD, NULL, 8));
    show("ppoll bad sigset", syscall(336, f, 2, &t, BAD, 8));
    show("poll bad array", poll(BAD, 1, 0));
    close(p[0]);
    close(p[1]);
}

/* Prints n events, sorted by their data, and whether the ARM pad was left alone. */
static void print_events(struct epoll_event *ev, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (ev[j].data.u64 < ev[i].data.u64) {
                struct epoll_event x = ev[i];
                ev[i] = ev[j];
                ev[j] = x;
            }
    for (int i = 0; i < n; i++) {
        uint32_t pad;
        memcpy(&pad, (char *)&ev[i] + 4, 4);
        printf("  events %#x data %#llx pad untouched %d\n", ev[i].events,
               (unsigned long long)ev[i].data.u64, pad == 0xabababab);
    }
}

static void epolls(void)
{
    printf("-- epoll\n");
    printf("sizeof(struct epoll_event) %zu, data at %zu\n", sizeof(struct epoll_event),
           offsetof(struct epoll_event, data));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("epoll_create1 cloexec %d\n", fcntl(ep, F_GETFD) & FD_CLOEXEC);
    int e[3];
    for (int i = 0; i < 3; i++) {
        e[i] = eventfd(0, EFD_NONBLOCK);
        struct epoll_event ev = { EPOLLIN, { .u64 = 0x1122334455667700ull + i } };
        show("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, e[i], &ev));
    }
    struct epoll_event ev[4];
    memset(ev, 0xab, sizeof(ev));
    show("epoll_wait nothing", epoll_wait(ep, ev, 4, 10));
    uint64_t one = 1;
    write(e[2], &one, 8);
    write(e[0], &one, 8);
    show("epoll_wait", epoll_wait(ep, ev, 4, 1000));
    print_events(ev, 2);
    printf("  third untouched %d\n", ev[2].events == 0xabababab);
    memset(ev, 0xab, sizeof(ev));
    show("epoll_wait max 1", epoll_wait(ep, ev, 1, 0));
    printf("  second untouched %d\n", ev[1].events == 0xabababab);

    struct epoll_event mod = { EPOLLOUT | EPOLLET, { .u64 = 0xfedcba9876543210ull } };
    show("epoll_ctl mod", epoll_ctl(ep, EPOLL_CTL_MOD, e[1], &mod));
    show("epoll_ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, e[0], NULL));
    show("epoll_ctl add again", epoll_ctl(ep, EPOLL_CTL_ADD, e[2], &mod));
    show("epoll_ctl bad event", epoll_ctl(ep, EPOLL_CTL_ADD, e[0], BAD));
    show("epoll_ctl del bad event ignored", epoll_ctl(ep, EPOLL_CTL_DEL, e[1], BAD));
    show("epoll_ctl add after del", epoll_ctl(ep, EPOLL_CTL_ADD, e[1], &mod));
    memset(ev, 0xab, sizeof(ev));
    sigset_t ss;
    sigemptyset(&ss);
    sigaddset(&ss, SIGUSR1);
    show("epoll_pwait", epoll_pwait(ep, ev, 4, 0, &ss));
    print_events(ev, 2);
    memset(ev, 0xab, sizeof(ev));
    show("epoll_pwait edge-triggered again", epoll_pwait(ep, ev, 4, 0, &ss));
    print_events(ev, 1);
    show("epoll_pwait sigset size 4", syscall(346, ep, ev, 4, 0, &ss, 4));

    /* epoll_pwait2 (441): qemu-arm 7.2 has none; there the same wait goes to epoll_pwait */
    struct timespec t = { 0, 5000000 };
    memset(ev, 0xab, sizeof(ev));
    long r = syscall(441, ep, ev, 4, &t, NULL, 8);
    if (r < 0 && errno == ENOSYS)
        r = epoll_pwait(ep, ev, 4, 5, NULL);
    show("epoll_pwait2", r);
    if (r > 0)
        print_events(ev, (int)r);

    show("epoll_wait max 0", epoll_wait(ep, ev, 0, 0));
    show("epoll_wait bad events", epoll_wait(ep, BAD, 4, 0));
    show("epoll_wait not epoll", epoll_wait(e[0], ev, 4, 0));
    int old = epoll_create(1);
    printf("epoll_create: %s\n", old >= 0 ? "fd" : strerrorname_np(errno));
    show("epoll_create 0", epoll_create(0));
    close(old);
    for (int i = 0; i < 3; i++)
        close(e[i]);
    close(ep);
}

static void eventfds(void)
{
    printf("-- eventfd\n");
    int a = syscall(351, 5);
    uint64_t v = 0;
    show("eventfd (351) read", read(a, &v, 8));
    printf("  value %llu\n", (unsigned long long)v);
    int b = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
    printf("eventfd2 nonblock %d cloexec %d\n", (fcntl(b, F_GETFL) & O_NONBLOCK) != 0,
           fcntl(b, F_GETFD) & FD_CLOEXEC);
    for (int i = 0; i < 3; i++) {
        v = 0;
        show("  semaphore read", read(b, &v, 8));
        printf("  value %llu\n", (unsigned long long)v);
    }
    v = 7;
    write(b, &v, 8);
    struct pollfd f = { b, POLLIN, 0 };
    show("poll eventfd", poll(&f, 1, 0));
    show("eventfd2 bad flags", syscall(356, 0, 2));
    close(a);
    close(b);
}

static void signalfds(void)
{
    printf("-- signalfd\n");
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    int fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
    printf("signalfd4: %s nonblock %d\n", fd >= 0 ? "fd" : strerrorname_np(errno),
           (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    struct signalfd_siginfo si;
    printf("sizeof(struct signalfd_siginfo) %zu\n", sizeof(si));
    show("read nothing pending", read(fd, &si, sizeof(si)));
    struct pollfd f = { fd, POLLIN, 0 };
    show("poll", poll(&f, 1, 0));
    sigaddset(&s, SIGUSR2);
    printf("update keeps the fd %d\n", signalfd(fd, &s, 0) == fd);
    uint64_t mask = 1ull << (SIGUSR2 - 1);
    int old = syscall(349, -1, &mask, 8);
    printf("signalfd (349): %s\n", old >= 0 ? "fd" : strerrorname_np(errno));
    show("signalfd bad mask", syscall(355, -1, BAD, 8, 0));
    close(old);
    close(fd);
}

static void inotify(void)
{
    printf("-- inotify\n");
    char dir[] = "/tmp/xlate-polling-XXXXXX", path[64];
    if (!mkdtemp(dir))
        return;
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf("inotify_init1 cloexec %d\n", fcntl(in, F_GETFD) & FD_CLOEXEC);
    int wd = inotify_add_watch(in, dir, IN_CREATE | IN_DELETE);
    printf("inotify_add_watch ok %d\n", wd > 0);
    char buf[512] __attribute__((aligned(8)));
    show("read nothing yet", read(in, buf, sizeof(buf)));
    snprintf(path, sizeof(path), "%s/file-one", dir);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    unlink(path);
    show("inotify_rm_watch", inotify_rm_watch(in, wd));
    long n = show("read", read(in, buf, sizeof(buf)));
    for (long o = 0; o < n;) {
        struct inotify_event *e = (struct inotify_event *)(buf + o);
        printf("  wd ok %d mask %#x cookie %u name '%s'\n", e->wd == wd, e->mask, e->cookie,
               e->len ? e->name : "");
        o += sizeof(*e) + e->len;
    }
    show("inotify_rm_watch again", inotify_rm_watch(in, wd));
    show("inotify_add_watch missing", inotify_add_watch(in, "/nonexistent/xlate", IN_ALL_EVENTS));
    show("inotify_add_watch bad path", inotify_add_watch(in, BAD, IN_ALL_EVENTS));
    int old = syscall(316);
    printf("inotify_init (316): %s\n", old >= 0 ? "fd" : strerrorname_np(errno));
    close(old);
    close(in);
    rmdir(dir);
}

static volatile sig_atomic_t usr1_runs;
static void on_usr1(int sig)
{
    (void)sig;
    usr1_runs++;
}

/* The signal arrives from a child while the call waits with a mask that lets it in. */
static void masked_waits(void)
{
    signal(SIGUSR1, on_usr1);
    sigset_t block, open_, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&open_);
    sigprocmask(SIG_BLOCK, &block, NULL);
    int efd = epoll_create1(0);
    for (int k = 0; k < 3; k++) {
        usr1_runs = 0;
        pid_t parent = getpid(), c = fork();
        if (c == 0) {
            usleep(50000);
            kill(parent, SIGUSR1);
            _exit(0);
        }
        struct timespec ts = { 5, 0 };
        struct epoll_event ev;
        long r = k == 0 ? pselect(0, NULL, NULL, NULL, &ts, &open_)
               : k == 1 ? ppoll(NULL, 0, &ts, &open_)
                        : epoll_pwait(efd, &ev, 1, 5000, &open_);
        int e = errno;
        sigprocmask(SIG_BLOCK, NULL, &now);
        printf("%s with SIGUSR1 let in: %ld %s, handler ran %d, blocked again %d\n",
               k == 0 ? "pselect" : k == 1 ? "ppoll" : "epoll_pwait", r,
               r < 0 ? strerrorname_np(e) : "", (int)usr1_runs, sigismember(&now, SIGUSR1));
        waitpid(c, NULL, 0);
    }
    close(efd);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    selects();
    polls();
    epolls();
    eventfds();
    signalfds();
    inotify();
    masked_waits();
    return 0;
}
