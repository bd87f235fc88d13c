/* The runtime: guest memory, start-up, the dispatcher loop, syscalls, signals. */
#ifndef XL_RT_H
#define XL_RT_H

#include <stdbool.h>

#include "../lifter/image/image.h"

struct rt_options {
    bool trace;         /* --trace: registers per executed block, as qemu-arm -d cpu,nochain */
    bool singlestep;    /* --singlestep: one guest insn per block */
    /* A translated program (runtime/main): the absolute path of the ARM file it was made
       from. /proc/self/exe names that file while it holds the same program, as it would
       under qemu-arm; an exec of it runs this translation again. */
    const char *guest_path;
    /* -L DIR: the guest's root for the files it looks up (docs/dynamic.md); NULL: from
       XLATE_LD_PREFIX or QEMU_LD_PREFIX or the default; "": none. */
    const char *sysroot;
    /* A translated program's `xlate -L DIR` (absolute; "/" for -L ""; NULL or "" when it
       had none): used when XLATE_LD_PREFIX is not set, before QEMU_LD_PREFIX. */
    const char *translated_sysroot;
    /* --profile FILE: count the executions of each block and write them to FILE at exit
       (runtime/profile.c); NULL: no counting. */
    const char *profile;
};

/*
 * Runs the guest program in JIT-only mode. Returns its exit status; a guest killed by a
 * signal kills this process with the same signal. On a start-up failure prints one line
 * "xlate: error: ..." and returns 127 or so.
 */
int rt_run(const struct xl_image *img, int argc, char **argv, char **envp,
           const struct rt_options *opt);

/*
 * The runtime's side of a guest's execve of an ARM program (runtime/exec.c): the guest's
 * process execs the host program it runs in with RT_EXEC_ENV=PROG added to the guest's
 * environment. main() of every host program that contains the runtime calls this first:
 * with the variable in envp it takes it out, runs PROG in the JIT with argv as the guest's
 * argv and returns the exit status; without it returns -1.
 */
#define RT_EXEC_ENV "XLATE_EXEC_PROG"
#define RT_EXEC_SYSROOT_ENV "XLATE_EXEC_SYSROOT"  /* the sysroot in force, "" for none */
int rt_exec_main(int argc, char **argv, char **envp);

/* The sysroot to use (runtime/sysroot.c): given (-L; "" means none), else $XLATE_LD_PREFIX,
   else translated (a translated program's -L, NULL or "" when it had none), else
   $QEMU_LD_PREFIX, else /usr/arm-linux-gnueabihf when it exists. NULL for none; a named one
   that is not a directory gets one warning line. Returns a malloc'ed real path. The
   translator asks it too, to find the libraries a program will load. */
char *rt_sysroot_choose(const char *given, const char *translated, char **envp);

#endif
