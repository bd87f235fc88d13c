/* Recursion: fib, ackermann, hanoi, mutual recursion, deep recursion. */
#include <stdio.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int ack(int m, int n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}
static long moves;
static void hanoi(int n, int a, int b, int c)
{
    if (!n)
        return;
    hanoi(n - 1, a, c, b);
    moves += a * 3 + c;
    hanoi(n - 1, b, a, c);
}
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static long long deep(int n, long long acc)
{
    volatile char pad[64];
    pad[n & 63] = (char)n;
    if (n == 0)
        return acc;
    return deep(n - 1, acc * 3 + pad[n & 63]) + 1;
}
static int gcd(int a, int b) { return b ? gcd(b, a % b) : a; }

int main(void)
{
    for (int i = 0; i <= 22; i++)
        printf("fib(%d)=%d\n", i, fib(i));
    for (int m = 0; m <= 2; m++)
        for (int n = 0; n <= 4; n++)
            printf("ack(%d,%d)=%d\n", m, n, ack(m, n));
    printf("ack(3,3)=%d\n", ack(3, 3));
    hanoi(12, 1, 2, 3);
    printf("hanoi %ld\n", moves);
    printf("even %d %d\n", is_even(1001), is_odd(777));
    printf("deep %lld\n", deep(5000, 1));
    printf("gcd %d %d\n", gcd(1071, 462), gcd(832040, 514229));
    return 0;
}
