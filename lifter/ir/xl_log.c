#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl_log.h"

static int log_mask = -1;

static int parse_mask(void)
{
    const char *s = getenv("XLATE_LOG");
    int m = 0;
    if (!s)
        return 0;
    static const struct { const char *name; int bit; } names[] = {
        { "unimp", XL_LOG_UNIMP }, { "syscall", XL_LOG_SYSCALL }, { "jit", XL_LOG_JIT },
        { "all", XL_LOG_UNIMP | XL_LOG_SYSCALL | XL_LOG_JIT },
    };
    while (*s) {
        size_t n = strcspn(s, ",");
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            if (strlen(names[i].name) == n && strncmp(s, names[i].name, n) == 0)
                m |= names[i].bit;
        s += n + (s[n] == ',');
    }
    return m;
}

bool xl_log_enabled(enum xl_log_channel c)
{
    if (log_mask < 0)
        log_mask = parse_mask();
    return (log_mask & (int)c) != 0;
}

void xl_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("xlate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
