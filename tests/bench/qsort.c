/* Sorting: a hand-written quicksort of ints (insertion sort for small ranges). */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static void isort(int *a, int n)
{
    for (int i = 1; i < n; i++) {
        int v = a[i], j = i - 1;
        while (j >= 0 && a[j] > v)
            a[j + 1] = a[j], j--;
        a[j + 1] = v;
    }
}
static void qs(int *a, int n)
{
    while (n > 16) {
        int p = a[n / 2], i = 0, j = n - 1;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) {
                int t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        qs(a, j + 1);
        a += i;
        n -= i;
    }
    isort(a, n);
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    int n = 40000 * scale;
    int *a = malloc(n * sizeof(int));
    uint32_t x = 1;
    for (int i = 0; i < n; i++)
        a[i] = (int)((x = x * 1103515245u + 12345u) >> 1);
    qs(a, n);
    uint32_t sum = 0;
    for (int i = 0; i < n; i++)
        sum = sum * 31 + (uint32_t)a[i] + (i && a[i - 1] > a[i] ? 1000000 : 0);
    printf("checksum %08x\n", sum);
    return 0;
}
