/* alloca, variable-length arrays and a large stack frame (stack probing, sp arithmetic). */
#include <stdio.h>
#include <alloca.h>
#include <string.h>

static long vla_sum(int n)
{
    int v[n];
    for (int i = 0; i < n; i++)
        v[i] = i * i - n;
    long s = 0;
    for (int i = 0; i < n; i += 3)
        s += v[i];
    return s;
}
static unsigned alloca_chain(int depth)
{
    if (!depth)
        return 1;
    unsigned char *p = alloca(100 + depth * 37);
    memset(p, depth, 100 + depth * 37);
    return p[depth] + alloca_chain(depth - 1) * 3;
}
static int bigframe(int k)
{
    volatile char buf[200000];
    for (int i = 0; i < 200000; i += 4096)
        buf[i] = (char)(i + k);
    buf[199999] = 7;
    int s = 0;
    for (int i = 0; i < 200000; i += 4096)
        s += buf[i];
    return s + buf[199999];
}

int main(void)
{
    for (int n = 1; n < 2000; n = n * 3 + 1)
        printf("vla %d %ld\n", n, vla_sum(n));
    printf("alloca %u\n", alloca_chain(40));
    printf("bigframe %d\n", bigframe(3));
    int m = 5;
    double grid[m][m + 1];
    for (int i = 0; i < m; i++)
        for (int j = 0; j <= m; j++)
            grid[i][j] = i * 0.5 + j;
    printf("grid %zu %g\n", sizeof(grid), grid[4][5]);
    return 0;
}
