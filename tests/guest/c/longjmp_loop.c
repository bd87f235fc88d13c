/* longjmp back into a loop, 300,000 times: from a recursion below the loop's function, and
 * from a callee of a function that catches and returns. AOT code brings a caller whose
 * callee was left by a longjmp back into its own frame (xl_aot_resume); a loop that keeps
 * landing in its own frame must not nest one host frame more each turn (docs/aot.md,
 * "Nested runs"), so this would run out of host stack if it did. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf jb;

__attribute__((noinline)) static void sink(int n, int v)
{
    if (n < 0)
        return;         /* never: without a way out gcc warns of infinite recursion */
    if (n == 0)
        longjmp(jb, v);
    sink(n - 1, v + 1);
}

/* setjmp and the calls that longjmp back in the same loop of one function. */
__attribute__((noinline)) static long loop_here(int turns)
{
    volatile long sum = 0;
    volatile int i = 0;
    while (i < turns) {
        int r = setjmp(jb);
        if (r == 0)
            sink(i % 5, 1);
        else
            sum += r, i++;
    }
    return sum;
}

/* A catcher that returns: its caller's loop goes on after each catch. */
static jmp_buf jb2;

__attribute__((noinline)) static void thrower(int v)
{
    longjmp(jb2, v);
}

__attribute__((noinline)) static int catcher(int v)
{
    int r = setjmp(jb2);
    if (r == 0)
        thrower(v + 1);
    return r;
}

int main(void)
{
    printf("loop: %ld\n", loop_here(150000));
    long s = 0;
    for (int i = 0; i < 150000; i++)
        s += catcher(i & 7);
    printf("catcher: %ld\n", s);
    return 0;
}
