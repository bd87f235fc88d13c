/* A store through a wild pointer: dies of SIGSEGV (status 139 from the shell). */
#include <stdio.h>

int main(void)
{
    printf("about to fault\n");
    fflush(stdout);
    volatile int *p = (volatile int *)16;
    *p = 42;
    printf("not reached\n");
    return 0;
}
