/* Floating point and loops: dense double matrix multiply C = A * B (i-k-j order, so the inner
 * loop streams rows), repeated. Self-check: the entries are small integers, so every product
 * and sum is exact, and C * x must equal A * (B * x) for a vector x (Freivalds' check). */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

enum { N = 96 };
static double a[N][N], b[N][N], c[N][N];

static void matmul(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            c[i][j] = 0;
        for (int k = 0; k < N; k++) {
            double aik = a[i][k];
            for (int j = 0; j < N; j++)
                c[i][j] += aik * b[k][j];
        }
    }
}

/* y = m * x, written as a dot product per row (another loop shape than matmul's). */
static void matvec(double m[N][N], const double *x, double *y)
{
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int k = 0; k < N; k++)
            s += m[i][k] * x[k];
        y[i] = s;
    }
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    uint32_t x = 99;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            x = x * 1103515245u + 12345u;
            a[i][j] = (double)((int)(x >> 16) % 17 - 8);
            x = x * 1103515245u + 12345u;
            b[i][j] = (double)((int)(x >> 16) % 17 - 8);
        }
    double sum = 0;
    for (int r = 0; r < scale * 10; r++) {
        matmul();
        sum += c[r % N][(r * 7) % N];
        /* Feed a little of the result back so that no round repeats the previous one. */
        a[r % N][(r * 3) % N] = (double)((int)c[(r * 5) % N][r % N] % 9);
    }
    /* Freivalds: C x == A (B x), exactly, for the last product. */
    double v[N], bx[N], abx[N], cx[N];
    for (int i = 0; i < N; i++)
        v[i] = (double)(i % 7 - 3);
    matmul();                       /* A changed after the last round */
    matvec(b, v, bx);
    matvec(a, bx, abx);
    matvec(c, v, cx);
    for (int i = 0; i < N; i++)
        if (cx[i] != abx[i]) {
            printf("matmul: self-check failed: row %d: C*x = %.1f, A*(B*x) = %.1f\n", i,
                   cx[i], abx[i]);
            return 1;
        }
    double trace = 0;
    for (int i = 0; i < N; i++)
        trace += c[i][i];
    printf("checksum %.1f %.1f\n", sum, trace);
    return 0;
}
