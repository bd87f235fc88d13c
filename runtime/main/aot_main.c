/*
 * main() of a translated program (library xl_aot_main, linked only into the output of
 * `xlate IN -o OUT`): the guest program embedded by xlate (xl_guest_image, a copy of IN) is
 * loaded from memory and run; the dispatcher finds the AOT functions in xl_aot_table.
 */
#include <stdint.h>
#include <stdio.h>

#include "lifter/image/image.h"
#include "runtime/rt.h"

/* Defined by the guest object that xlate generates (docs/aot.md). */
extern const uint8_t xl_guest_image[];
extern const uint64_t xl_guest_image_size;
extern const char xl_guest_path[];
extern const char xl_guest_sysroot[];

int main(int argc, char **argv, char **envp)
{
    int exec_status = rt_exec_main(argc, argv, envp);   /* a guest's execve (rt.h) */
    if (exec_status >= 0)
        return exec_status;
    struct xl_image img;
    char err[256];
    /* /proc/self/exe: the guest's own executable (AT_EXECFN aside) is this program. */
    if (xl_image_load_mem(xl_guest_image, (size_t)xl_guest_image_size, "/proc/self/exe", &img,
                          err, sizeof err) != 0) {
        fprintf(stderr, "xlate: error: the embedded ARM program: %s\n", err);
        return 127;
    }
    struct rt_options opt = { .guest_path = xl_guest_path,
                              .translated_sysroot = xl_guest_sysroot };
    int status = rt_run(&img, argc, argv, envp, &opt);
    xl_image_free(&img);
    return status;
}
