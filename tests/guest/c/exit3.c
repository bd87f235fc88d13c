/* exit(3) from a nested call, with buffered output that exit must flush. */
#include <stdio.h>
#include <stdlib.h>

static void leave(int depth)
{
    if (depth == 0) {
        printf("leaving with exit(3)\n");
        exit(3);
    }
    leave(depth - 1);
}

int main(void)
{
    printf("buffered line\n");
    leave(5);
    printf("not reached\n");
    return 0;
}
