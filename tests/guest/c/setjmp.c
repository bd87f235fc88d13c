/* setjmp/longjmp: across frames, values, nested buffers, locals kept in volatile. */
#include <stdio.h>
#include <setjmp.h>

static jmp_buf outer, inner;
static int depth_reached;

static void dive(int n)
{
    volatile char pad[32];
    pad[0] = (char)n;
    depth_reached = n + pad[0] - n;
    if (n == 10)
        longjmp(outer, n * 3);
    dive(n + 1);
}

static int try_div(int a, int b)
{
    if (b == 0)
        longjmp(inner, 1);
    return a / b;
}

int main(void)
{
    volatile int count = 0;
    int r = setjmp(outer);
    count++;
    printf("setjmp returned %d count %d\n", r, count);
    if (r == 0)
        dive(0);
    printf("depth %d\n", depth_reached);

    int den[] = { 3, 0, 5, 0, -2 };
    for (int i = 0; i < 5; i++) {
        if (setjmp(inner) == 0)
            printf("div %d\n", try_div(100, den[i]));
        else
            printf("div by zero caught at %d\n", i);
    }
    volatile double dl = 1.5;
    if (setjmp(outer) == 0) {
        dl = 2.75;
        longjmp(outer, 0); /* 0 turns into 1 */
    }
    printf("dl %g\n", dl);
    sigjmp_buf sj;
    volatile int k = 0;
    if (sigsetjmp(sj, 1) < 5) {
        k++;
        siglongjmp(sj, k);
    }
    printf("k %d\n", k);
    return 0;
}
