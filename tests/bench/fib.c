/* Calls: naive recursive fib. Self-check: against an iterative fib. */
#include <stdio.h>
#include <stdlib.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static long fib_loop(int n)
{
    long a = 0, b = 1;
    while (n--) {
        long t = a + b;
        a = b, b = t;
    }
    return a;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    long sum = 0, want = 0;
    for (int r = 0; r < scale * 3; r++) {
        sum += fib(30 + (r & 1));
        want += fib_loop(30 + (r & 1));
    }
    if (sum != want) {
        printf("fib: self-check failed: %ld, the loop says %ld\n", sum, want);
        return 1;
    }
    printf("checksum %ld\n", sum);
    return 0;
}
