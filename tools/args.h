/* Helpers that the subcommands share (tools/args.c): options, error lines, a clock. */
#ifndef XL_TOOLS_ARGS_H
#define XL_TOOLS_ARGS_H

#include <stdbool.h>

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

#endif
