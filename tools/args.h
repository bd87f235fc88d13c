/* Helpers that the subcommands share (tools/args.c): options, error lines, a clock, file
   copies. */
#ifndef XL_TOOLS_ARGS_H
#define XL_TOOLS_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* "--name=V", "--name V", "-xV" or "-x V": true on a match, *val NULL when V is missing.
   lng is "--name"; shrt is "-x", or NULL when there is no short name. On "--name V" or
   "-x V", *i is advanced past V. */
bool value_opt(char **argv, int argc, int *i, const char *lng, const char *shrt,
               const char **val);

/* One line on stderr: "xlate: error: " and the message. */
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A usage error: that line, then "Try 'xlate CMD--help' for more information." (cmd is
   "bench ", "run ", ...; NULL or "" for plain xlate). Returns 2, the usage exit status. */
int tool_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Seconds on CLOCK_MONOTONIC, for measuring how long something took. */
double tool_now_s(void);

/* Writes all n bytes of buf to fd (again after EINTR). false on an error (errno says). */
bool tool_write_all(int fd, const void *buf, size_t n);
/* Copies what is left to read of fd in into fd out. 0, or -1 with errno set. */
int tool_copy_fd(int in, int out);

#endif
