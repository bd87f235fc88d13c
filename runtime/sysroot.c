/*
 * The sysroot: a directory that stands for the guest's / when the guest looks a file up,
 * as qemu-arm's -L does. An absolute path the guest opens, stats, reads as a link or execs
 * is taken from the sysroot when it exists there (the last component not followed), and
 * from the host otherwise; relative paths and calls that create, change or remove files
 * see the host (docs/dynamic.md).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rt_internal.h"

const char *rt_path(const struct rt_process *p, const char *path, char *buf, size_t n)
{
    if (!p->sysroot || !path || path[0] != '/')
        return path;
    const char *rest = path + strspn(path, "/");
    if (*rest == '\0')
        return path;                    /* / itself stays the host's */
    int k = snprintf(buf, n, "%s/%s", p->sysroot, rest);
    struct stat st;
    if (k < 0 || (size_t)k >= n || fstatat(AT_FDCWD, buf, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return path;
    return buf;
}

static const char *env_value(char **envp, const char *name)
{
    size_t len = strlen(name);
    for (char **e = envp; e && *e; e++)
        if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
            return *e + len + 1;
    return NULL;
}

char *rt_sysroot_choose(const char *given, const char *translated, char **envp)
{
    if (given && !*given)
        return NULL;                    /* "": none, on purpose */
    const char *dir = given;
    if (!dir)
        dir = env_value(envp, "XLATE_LD_PREFIX");
    if (!dir || !*dir)
        dir = translated;
    if (!dir || !*dir)
        dir = env_value(envp, "QEMU_LD_PREFIX");
    bool chosen = dir && *dir;
    if (!chosen)
        dir = RT_DEFAULT_SYSROOT;
    char *real = realpath(dir, NULL);
    struct stat st;
    if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(real);
        if (chosen)
            fprintf(stderr, "xlate: warning: sysroot %s is not a directory: ignored\n", dir);
        return NULL;
    }
    if (strcmp(real, "/") == 0) {       /* the host's own root: nothing to look up */
        free(real);
        return NULL;
    }
    return real;
}
