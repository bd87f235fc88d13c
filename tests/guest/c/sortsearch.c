/* qsort and bsearch over ints, strings and structs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}
struct rec {
    double key;
    int id;
    char name[12];
};
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->id - y->id;
}

int main(void)
{
    enum { N = 2000 };
    static int a[N];
    unsigned s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 1664525u + 1013904223u;
        a[i] = (int)(s >> 8) - (1 << 23);
    }
    qsort(a, N, sizeof(int), cmp_int);
    long long chk = 0;
    for (int i = 0; i < N; i++)
        chk = chk * 7 + a[i];
    printf("sorted chk %lld first %d last %d\n", chk, a[0], a[N - 1]);
    int found = 0;
    for (int i = 0; i < N; i += 7) {
        int key = a[i];
        int *p = bsearch(&key, a, N, sizeof(int), cmp_int);
        found += p && *p == key;
        key = a[i] + 1;
        p = bsearch(&key, a, N, sizeof(int), cmp_int);
        found += p != NULL;
    }
    printf("found %d\n", found);
    char *names[] = { "pear", "apple", "fig", "banana", "kiwi", "cherry", "date", "apricot",
                      "grape", "lemon", "lime", "mango" };
    qsort(names, 12, sizeof(char *), cmp_str);
    for (int i = 0; i < 12; i++)
        printf("%s ", names[i]);
    printf("\n");
    struct rec r[50];
    for (int i = 0; i < 50; i++) {
        r[i].key = (double)((i * 37) % 11) * 0.5;
        r[i].id = 100 - i;
        snprintf(r[i].name, sizeof(r[i].name), "r%d", i);
    }
    qsort(r, 50, sizeof(struct rec), cmp_rec);
    for (int i = 0; i < 50; i += 5)
        printf("%s:%.1f:%d ", r[i].name, r[i].key, r[i].id);
    printf("\n");
    return 0;
}
