/* Exit codes: main's return value is truncated to 8 bits (300 -> 44).
 * guest-args: 300 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int code = argc > 1 ? atoi(argv[1]) : 0;
    printf("returning %d (status %d)\n", code, code & 255);
    return code;
}
