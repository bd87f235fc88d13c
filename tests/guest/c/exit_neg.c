/* _exit(-1): status 255, and stdio buffers are NOT flushed by _exit (only what was
 * flushed explicitly appears). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("flushed\n");
    fflush(stdout);
    printf("lost in the buffer\n");
    _exit(-1);
}
