/* tools/needed.c: the shared libraries a dynamically linked program needs, in a sysroot. */
#ifndef XL_TOOLS_NEEDED_H
#define XL_TOOLS_NEEDED_H

#include <stddef.h>

struct xl_image;

struct needed_lib {
    char *guest;        /* the path the guest's ld.so opens (/lib/arm-linux-gnueabihf/...) */
    char *host;         /* the file here: in the sysroot, or the host's */
};
struct needed {
    struct needed_lib *libs;    /* the loader first, then DT_NEEDED breadth first */
    size_t n;
};

/* Fills out for the program prog (its guest directory for $ORIGIN). Returns 0, or -1
   with a one-line reason in err ("the library libfoo.so.1 (needed by ...) is not in ..."). */
int needed_libraries(const struct xl_image *prog, const char *prog_guest_dir,
                     const char *sysroot, struct needed *out, char *err, size_t errlen);
void needed_free(struct needed *nd);

#endif
