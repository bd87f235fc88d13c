/*
 * XLATE_LOG: a comma-separated list of channels (unimp, syscall, jit, all) read once from
 * the environment; each enabled channel writes lines to stderr prefixed "xlate: ".
 */
#ifndef XL_LOG_H
#define XL_LOG_H

#include <stdbool.h>

enum xl_log_channel {
    XL_LOG_UNIMP = 1,   /* unimplemented instructions and syscalls */
    XL_LOG_SYSCALL = 2, /* every syscall, strace-like */
    XL_LOG_JIT = 4,     /* translation events */
};

bool xl_log_enabled(enum xl_log_channel c);
void xl_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
