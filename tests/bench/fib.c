/* Calls: naive recursive fib. */
#include <stdio.h>
#include <stdlib.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    long sum = 0;
    for (int r = 0; r < scale * 4; r++)
        sum += fib(30 + (r & 1));
    printf("checksum %ld\n", sum);
    return 0;
}
