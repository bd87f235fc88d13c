/* Matrix multiply: int, double and float, plus a transpose and LU-free determinant. */
#include <stdio.h>

#define N 48
static int ia[N][N], ib[N][N], ic[N][N];
static double da[N][N], db[N][N], dc[N][N];
static float fa[N][N], fc[N][N];

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            ia[i][j] = (i * 7 + j * 3) % 19 - 9;
            ib[i][j] = (i * j + 5) % 23 - 11;
            da[i][j] = (i - j) * 0.25 + 1.0 / (i + j + 1);
            db[i][j] = (i + 2 * j) % 7 * 0.5 - 1.25;
            fa[i][j] = (float)da[i][j];
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int s = 0;
            double d = 0;
            float f = 0;
            for (int k = 0; k < N; k++) {
                s += ia[i][k] * ib[k][j];
                d += da[i][k] * db[k][j];
                f += fa[i][k] * fa[k][j];
            }
            ic[i][j] = s;
            dc[i][j] = d;
            fc[i][j] = f;
        }
    long long isum = 0;
    double dsum = 0, ftr = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            isum += (long long)ic[i][j] * (i + 1) - j;
            dsum += dc[i][j] * (j % 3 - 1);
        }
    for (int i = 0; i < N; i++)
        ftr += fc[i][i];
    printf("isum %lld dsum %.17g ftr %.9g\n", isum, dsum, ftr);
    for (int i = 0; i < N; i += 11)
        printf("row %d: %d %d %.6f %.6f\n", i, ic[i][0], ic[i][N - 1], dc[i][1], dc[i][N - 2]);
    /* Gaussian elimination determinant of a small matrix */
    double m[6][6];
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++)
            m[i][j] = (i == j ? 10.0 : 0.0) + (i * 3 + j * 5) % 7 - 3;
    double det = 1;
    for (int c = 0; c < 6; c++) {
        for (int r = c + 1; r < 6; r++) {
            double f = m[r][c] / m[c][c];
            for (int k = c; k < 6; k++)
                m[r][k] -= f * m[c][k];
        }
        det *= m[c][c];
    }
    printf("det %.10g\n", det);
    return 0;
}
