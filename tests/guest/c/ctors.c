/* Static constructors and destructors, priorities, atexit order, init of globals. */
#include <stdio.h>
#include <stdlib.h>

static int order[16], n_order;
static int initialized = 0x1234;
static const char *greeting = "static data";

__attribute__((constructor(200))) static void ctor_late(void) { order[n_order++] = 200; }
__attribute__((constructor(101))) static void ctor_early(void) { order[n_order++] = 101; }
__attribute__((constructor)) static void ctor_default(void)
{
    order[n_order++] = 999;
    initialized *= 2;
}
__attribute__((destructor)) static void dtor(void)
{
    printf("destructor runs after main\n");
    fflush(stdout);
}
static void at1(void) { printf("atexit 1\n"); }
static void at2(void) { printf("atexit 2 (registered last, runs first)\n"); }

int main(void)
{
    printf("ctor order:");
    for (int i = 0; i < n_order; i++)
        printf(" %d", order[i]);
    printf("\ninitialized %x %s\n", initialized, greeting);
    atexit(at1);
    atexit(at2);
    printf("main returns\n");
    return 0;
}
