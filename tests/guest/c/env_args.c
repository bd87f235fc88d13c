/* argv, argc and getenv (run-guest.sh exports XL_GUEST_VAR to both runs).
 * guest-args: alpha "beta gamma" -x 42 last */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv, char **envp)
{
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] '%s' (%zu)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] null %d\n", argv[argc] == NULL);
    const char *p = strrchr(argv[0], '/');
    printf("argv0 ends with env_args %d\n", strstr(p ? p : argv[0], "env_args") != NULL);
    printf("XL_GUEST_VAR '%s'\n", getenv("XL_GUEST_VAR"));
    printf("missing %d\n", getenv("XL_SURELY_NOT_SET_12345") == NULL);
    int found = 0;
    for (char **e = envp; *e; e++)
        found += strncmp(*e, "XL_GUEST_VAR=", 13) == 0;
    printf("envp has it %d\n", found);
    setenv("XL_NEW", "123", 1);
    printf("setenv %s\n", getenv("XL_NEW"));
    unsetenv("XL_NEW");
    printf("unset %d\n", getenv("XL_NEW") == NULL);
    long sum = 0;
    for (int i = 1; i < argc; i++)
        sum += strtol(argv[i], NULL, 10);
    printf("sum %ld\n", sum);
    return argc;
}
