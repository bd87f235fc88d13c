/* The runtime: guest memory, start-up, the dispatcher loop, syscalls, signals. */
#ifndef XL_RT_H
#define XL_RT_H

#include <stdbool.h>

#include "../lifter/image/image.h"

struct rt_options {
    bool trace;         /* --trace: registers per executed block, as qemu-arm -d cpu,nochain */
    bool singlestep;    /* --singlestep: one guest insn per block */
};

/*
 * Runs the guest program in JIT-only mode. Returns its exit status; a guest killed by a
 * signal kills this process with the same signal. On a start-up failure prints one line
 * "xlate: error: ..." and returns 127 or so.
 */
int rt_run(const struct xl_image *img, int argc, char **argv, char **envp,
           const struct rt_options *opt);

#endif
