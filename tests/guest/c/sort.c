/* Sorting algorithms: insertion, shell, heap, merge, quicksort (ints) and a radix sort. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 3000 };
static int orig[N], a[N], tmp[N];

static void insertion(int *x, int n)
{
    for (int i = 1; i < n; i++) {
        int v = x[i], j = i - 1;
        while (j >= 0 && x[j] > v) {
            x[j + 1] = x[j];
            j--;
        }
        x[j + 1] = v;
    }
}
static void shell(int *x, int n)
{
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++) {
            int v = x[i], j = i;
            for (; j >= gap && x[j - gap] > v; j -= gap)
                x[j] = x[j - gap];
            x[j] = v;
        }
}
static void sift(int *x, int i, int n)
{
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && x[l] > x[m])
            m = l;
        if (l + 1 < n && x[l + 1] > x[m])
            m = l + 1;
        if (m == i)
            return;
        int t = x[i];
        x[i] = x[m];
        x[m] = t;
        i = m;
    }
}
static void heap(int *x, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        sift(x, i, n);
    for (int e = n - 1; e > 0; e--) {
        int t = x[0];
        x[0] = x[e];
        x[e] = t;
        sift(x, 0, e);
    }
}
static void merge_sort(int *x, int n)
{
    if (n < 2)
        return;
    int h = n / 2;
    merge_sort(x, h);
    merge_sort(x + h, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = x[i] <= x[j] ? x[i++] : x[j++];
    while (i < h)
        tmp[k++] = x[i++];
    while (j < n)
        tmp[k++] = x[j++];
    memcpy(x, tmp, n * sizeof(int));
}
static void quick(int *x, int lo, int hi)
{
    while (lo < hi) {
        int p = x[(lo + hi) / 2], i = lo, j = hi;
        while (i <= j) {
            while (x[i] < p)
                i++;
            while (x[j] > p)
                j--;
            if (i <= j) {
                int t = x[i];
                x[i++] = x[j];
                x[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quick(x, lo, j);
            lo = i;
        } else {
            quick(x, i, hi);
            hi = j;
        }
    }
}
static void radix(unsigned *x, int n)
{
    unsigned *t = (unsigned *)tmp;
    for (int sh = 0; sh < 32; sh += 8) {
        int cnt[257] = { 0 };
        for (int i = 0; i < n; i++)
            cnt[((x[i] >> sh) & 255) + 1]++;
        for (int i = 0; i < 256; i++)
            cnt[i + 1] += cnt[i];
        for (int i = 0; i < n; i++)
            t[cnt[(x[i] >> sh) & 255]++] = x[i];
        memcpy(x, t, n * sizeof(unsigned));
    }
}
static void report(const char *name)
{
    long long chk = 0;
    int ok = 1;
    for (int i = 0; i < N; i++) {
        chk = chk * 131 + a[i];
        if (i)
            ok &= a[i - 1] <= a[i];
    }
    printf("%-9s ok %d chk %lld min %d max %d\n", name, ok, chk, a[0], a[N - 1]);
}

int main(void)
{
    unsigned s = 99;
    for (int i = 0; i < N; i++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        orig[i] = (int)(s % 200001) - 100000;
    }
#define RUN(name, call) memcpy(a, orig, sizeof(a)); call; report(name);
    RUN("insertion", insertion(a, N))
    RUN("shell", shell(a, N))
    RUN("heap", heap(a, N))
    RUN("merge", merge_sort(a, N))
    RUN("quick", quick(a, 0, N - 1))
    memcpy(a, orig, sizeof(a));
    for (int i = 0; i < N; i++)
        a[i] += 100000;
    radix((unsigned *)a, N);
    for (int i = 0; i < N; i++)
        a[i] -= 100000;
    report("radix");
    return 0;
}
