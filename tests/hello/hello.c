/* The bundled hello: what the README's first command translates and runs. */
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    printf("hello from arm (%d argument%s)\n", argc - 1, argc == 2 ? "" : "s");
    return 0;
}
