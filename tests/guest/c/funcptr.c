/* Function pointers and indirect calls: tables, callbacks, pointers returned from calls. */
#include <stdio.h>
#include <stdlib.h>

typedef int (*binop)(int, int);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int mx(int a, int b) { return a > b ? a : b; }
static int shl(int a, int b) { return a << (b & 15); }
static const binop table[] = { add, sub, mul, mx, shl };

static binop pick(int i) { return table[i % 5]; }

struct obj {
    const struct vtbl *vt;
    int val;
};
struct vtbl {
    int (*get)(const struct obj *);
    void (*bump)(struct obj *, int);
    const char *name;
};
static int get_a(const struct obj *o) { return o->val; }
static int get_b(const struct obj *o) { return o->val * 2 + 1; }
static void bump_a(struct obj *o, int n) { o->val += n; }
static void bump_b(struct obj *o, int n) { o->val ^= n; }
static const struct vtbl va = { get_a, bump_a, "A" }, vb = { get_b, bump_b, "B" };

static long long apply_ll(long long (*f)(long long, int), long long x, int n)
{
    return f(x, n);
}
static long long pw(long long x, int n)
{
    long long r = 1;
    while (n--)
        r *= x;
    return r;
}
static double apply_d(double (*f)(double, double), double a, double b) { return f(a, b); }
static double hyp(double a, double b) { return a * a + b * b; }

static int cmp_desc(const void *a, const void *b)
{
    return *(const int *)b - *(const int *)a;
}

int main(void)
{
    int acc = 3;
    for (int i = 0; i < 30; i++) {
        acc = pick(i)(acc, i + 1);
        printf("%d %d\n", i, acc);
    }
    struct obj objs[6];
    for (int i = 0; i < 6; i++)
        objs[i] = (struct obj){ i & 1 ? &vb : &va, i * 10 };
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < 6; i++) {
            objs[i].vt->bump(&objs[i], r + i);
            printf("%s %d\n", objs[i].vt->name, objs[i].vt->get(&objs[i]));
        }
    printf("pw %lld\n", apply_ll(pw, -7, 15));
    printf("hyp %.3f\n", apply_d(hyp, 3.5, 4.25));
    int arr[10] = { 5, 3, 9, 1, 7, 2, 8, 6, 4, 0 };
    qsort(arr, 10, sizeof(int), cmp_desc);
    for (int i = 0; i < 10; i++)
        printf("%d ", arr[i]);
    printf("\n");
    void (*volatile fp)(struct obj *, int) = bump_a;
    fp(&objs[0], 1000);
    printf("%d\n", objs[0].val);
    return 0;
}
