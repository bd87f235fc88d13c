/* Asynchronous signals in a recursion without loops or system calls, through two
 * functions (AOT code checks for a signal at its loops' back edges and at the entries of
 * functions on a call-graph cycle): a 1 ms interval timer's handler runs many times in
 * the middle of a deterministic computation, which must still give its exact result, and
 * then recursions that only the handler can stop (through two functions, a function that
 * calls itself, and one that calls itself through a pointer it reads from memory) end after
 * its third tick. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile int ticks, stop_at;

static void on_alarm(int s)
{
    (void)s;
    ticks++;
}

__attribute__((noinline)) static unsigned long long mix(unsigned long long a, unsigned long long b)
{
    return a * 3 + (b ^ 0x5a5a);
}

__attribute__((noinline)) static unsigned long long even(unsigned n);

__attribute__((noinline)) static unsigned long long odd(unsigned n)
{
    if (stop_at && ticks >= stop_at)
        return 0;
    return n < 2 ? n : mix(even(n - 1), even(n - 2));
}

__attribute__((noinline)) static unsigned long long even(unsigned n)
{
    if (stop_at && ticks >= stop_at)
        return 0;
    return n < 2 ? n + 7 : mix(odd(n - 1), odd(n - 2)) + 1;
}

__attribute__((noinline)) static unsigned long long self(unsigned n)
{
    if (stop_at && ticks >= stop_at)
        return 0;
    return n < 2 ? n : mix(self(n - 1), self(n - 2));
}

/* The call goes through memory, so no compiler or translator sees the cycle. */
static unsigned long long (*volatile via_ptr)(unsigned);

__attribute__((noinline)) static unsigned long long indirect(unsigned n)
{
    if (stop_at && ticks >= stop_at)
        return 0;
    return n < 2 ? n : mix(via_ptr(n - 1), via_ptr(n - 2));
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    unsigned long long quiet = odd(24);
    struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    unsigned long long busy = odd(24);
    printf("odd(24) = %llx, the same under a timer: %s\n", quiet, quiet == busy ? "yes" : "no");
    stop_at = ticks + 3;
    odd(200);       /* 2^138 calls: ends only by the handler's ticks */
    printf("stopped by the handler: %s\n", ticks >= stop_at ? "yes" : "no");
    stop_at = ticks + 3;
    self(200);
    printf("self-recursion stopped by the handler: %s\n", ticks >= stop_at ? "yes" : "no");
    via_ptr = indirect;
    stop_at = ticks + 3;
    indirect(200);
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    printf("recursion through a pointer stopped by the handler: %s\n",
           ticks >= stop_at ? "yes" : "no");
    return 0;
}
