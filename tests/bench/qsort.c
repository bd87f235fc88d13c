/* Sorting: a hand-written quicksort of ints (insertion sort for small ranges).
 * Self-check: the result is in order and has the sum and xor of the input. */
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
    uint64_t in_sum = 0, out_sum = 0;
    uint32_t in_xor = 0, out_xor = 0;
    for (int i = 0; i < n; i++) {
        a[i] = (int)((x = x * 1103515245u + 12345u) >> 1);
        in_sum += (uint32_t)a[i], in_xor ^= (uint32_t)a[i];
    }
    qs(a, n);
    uint32_t sum = 0;
    for (int i = 0; i < n; i++) {
        if (i && a[i - 1] > a[i]) {
            printf("qsort: self-check failed: a[%d] = %d > a[%d] = %d\n", i - 1, a[i - 1], i,
                   a[i]);
            return 1;
        }
        out_sum += (uint32_t)a[i], out_xor ^= (uint32_t)a[i];
        sum = sum * 31 + (uint32_t)a[i];
    }
    if (in_sum != out_sum || in_xor != out_xor) {
        printf("qsort: self-check failed: the sorted array is not a permutation of the input\n");
        return 1;
    }
    printf("checksum %08x\n", sum);
    return 0;
}
