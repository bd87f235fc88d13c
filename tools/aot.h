/* `xlate IN -o OUT`: ahead-of-time translation (tools/aot.c, docs/aot.md). */
#ifndef XL_TOOLS_AOT_H
#define XL_TOOLS_AOT_H

#include <stddef.h>
#include <stdint.h>

/* argv[0] is "xlate"; the rest are the translate command's arguments. Prints its own
   errors (one line) and returns the exit status: 0, 1 (cannot translate), 2 (usage). */
int aot_translate_main(int argc, char **argv);
/* The directory of xlate's own file name (the runtime archives, xlate-llvm.so): next to
   this executable (a build tree), else ../lib/xlate. 0 with dir set, or -1 (dir: the
   executable's directory, or "" when even that is unknown). */
int aot_own_dir(const char *name, char *dir, size_t dirlen);
/* The LLVM raiser, a module beside xlate (lifter/llvm/module): its path, or -1. */
#define AOT_RAISER "xlate-llvm.so"
int aot_raiser_path(char *path, size_t n);

struct cache_opts;
/* A shared library translated for the cache (tools/cache.c): into the host shared object
   out, for the guest load base `base`, its xl_module_info carrying key and content. */
struct aot_library {
    uint32_t base;
    const char *key;            /* cache_options_key of the translation */
    const char *content;        /* the SHA-256 of the library file, hex */
};
/* Returns 0, or -1 with a one-line reason in err. */
int aot_translate_library(const char *in, const char *out, const struct aot_library *lib,
                          const struct cache_opts *o, unsigned jobs, char *err, size_t errlen);

#endif
