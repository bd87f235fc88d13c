/* gcc's nested functions: a pointer to one that uses its parent's locals is a trampoline
 * written on the stack (the program gets an executable stack, PT_GNU_STACK with PF_X) and
 * announced with the cacheflush syscall. Different trampolines land at the same stack
 * address in turn, and recursion puts several live ones on the stack at once.
 * guest-ldflags: -Wl,--no-warn-execstack */
#include <stdio.h>

static int apply(int (*f)(int), int x)
{
    return f(x);
}

static int with_adder(int base, int x)
{
    int add(int v) { return v + base; }
    return apply(add, x);
}

static int with_scaler(int scale, int x)
{
    int mul(int v) { return v * scale; }
    return apply(mul, x);
}

/* Each level's trampoline calls the one below through a pointer it captured. */
static int nest(int depth, int (*outer)(int))
{
    int here(int v) { return outer(v) + depth; }
    if (depth == 0)
        return apply(here, 1);
    return nest(depth - 1, here);
}

static int ident(int v)
{
    return v;
}

int main(void)
{
    int sum = 0;
    for (int i = 0; i < 6; i++) {
        sum += with_adder(i * 3, i);            /* the same stack slot each time ... */
        sum += with_scaler(i + 2, i);           /* ... now with another function */
    }
    printf("adders and scalers: %d\n", sum);
    printf("nested 10 deep: %d\n", nest(10, ident));
    return 0;
}
