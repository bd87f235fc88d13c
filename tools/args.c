/* Command-line helpers that the subcommands share: option parsing for `xlate IN -o OUT`
   (tools/aot.c) and `xlate bench` (tools/bench.c), error lines for all of tools/, and the
   copy loop of the translator's outputs and its cache of programs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tools/args.h"

/* "--name=V", "--name V", "-xV" or "-x V": true on a match, *val NULL when V is missing. */
bool value_opt(char **argv, int argc, int *i, const char *lng, const char *shrt,
               const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(lng);
    if (strncmp(a, lng, n) == 0 && (a[n] == '=' || a[n] == '\0')) {
        *val = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
        return true;
    }
    n = shrt ? strlen(shrt) : 0;
    if (shrt && strncmp(a, shrt, n) == 0) {
        *val = a[n] ? a + n : *i + 1 < argc ? argv[++*i] : NULL;
        return true;
    }
    return false;
}

static void verror(const char *fmt, va_list ap)
{
    fputs("xlate: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void tool_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(fmt, ap);
    va_end(ap);
}

int tool_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'xlate %s--help' for more information.\n", cmd ? cmd : "");
    return 2;
}

double tool_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

bool tool_write_all(int fd, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

int tool_copy_fd(int in, int out)
{
    char buf[65536];
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || (r > 0 && !tool_write_all(out, buf, (size_t)r)))
            return -1;
        if (r == 0)
            return 0;
    }
}
