/*
 * The persistent cache of translated shared libraries (tools/cache.c, docs/dynamic.md):
 * each ARM library translated once into a host shared object that every translated program
 * loads when its ld.so maps that library. `xlate cache` manages it.
 */
#ifndef XL_TOOLS_CACHE_H
#define XL_TOOLS_CACHE_H

#include <stdbool.h>
#include <stddef.h>

struct xl_image;

/* The translation options that change the code, part of every entry's key. */
struct cache_opts {
    int opt_level;
    const char *cpu;
    bool no_known;
};

#define CACHE_KEY_LEN 16

/* $XLATE_CACHE_DIR, else $XDG_CACHE_HOME/xlate, else $HOME/.cache/xlate (absolute; not
   created here). 0, or -1 when none can be named. */
int cache_dir(char *out, size_t n);
/* The key of translations by this xlate (the SHA-256 of its executable) with options o:
   CACHE_KEY_LEN hex digits. 0, or -1 when this executable cannot be read. */
int cache_options_key(const struct cache_opts *o, char key[CACHE_KEY_LEN + 1]);

/* Every library that the dynamically linked program prog needs (tools/needed.c, in
   sysroot) gets a valid entry: the missing, stale or damaged ones are translated. Returns
   0, or -1 with a one-line reason in err. */
int cache_prepare(const struct xl_image *prog, const char *sysroot, const struct cache_opts *o,
                  unsigned jobs, char *err, size_t errlen);

/* `xlate cache --list | --clear | --prefill DIR...`: argv[0] is "cache". */
int cache_main(int argc, char **argv);

#endif
