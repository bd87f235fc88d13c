/*
 * xlate as the kernel's handler for ARM executables (binfmt_misc), as qemu-user-static is:
 * `xlate binfmt --install` registers an entry that matches the ELF header of 32-bit
 * little-endian ARM executables and shared objects (static and PIE), with this xlate as the
 * interpreter; then `./prog_arm` runs as `xlate run prog_arm` would, with its own argv[0].
 *
 * Flags of the entry (docs/processes.md): P keeps the guest's argv[0] (argv is then xlate,
 * the file, argv[0], argv[1..]); O hands xlate the executable as an open descriptor
 * (AT_EXECFD), which is also how binfmt_main tells such a start from a user's `xlate ...`;
 * C runs a set-uid program with the file's credentials, as Linux would; F opens this xlate
 * at registration, so the entry works in containers and chroots too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "lifter/image/image.h"
#include "runtime/rt.h"
#include "tools/args.h"
#include "tools/binfmt.h"

#ifndef AT_FLAGS_PRESERVE_ARGV0
#define AT_FLAGS_PRESERVE_ARGV0 1       /* Linux 5.12: the P flag was honoured */
#endif

#define BINFMT_DIR "/proc/sys/fs/binfmt_misc"
#define BINFMT_NAME "xlate-arm"
#define BINFMT_FLAGS "POCF"

/* e_ident (class 32, little-endian, version 1; any OS ABI), e_type EXEC or DYN (the mask
   drops bit 0 of 2), e_machine EM_ARM. */
static const char magic[] =
    "\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00";
static const char mask[] =
    "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff";

int binfmt_main(int argc, char **argv, char **envp)
{
    errno = 0;
    unsigned long fd = getauxval(AT_EXECFD);
    if (errno == ENOENT || argc < 2)
        return -1;                      /* started by a user, not by binfmt_misc */
    /* The kernel's fd of the executable: read through it (the file may be execute-only),
       then closed, so that the guest sees only the descriptors it was given. */
    char self[32];
    snprintf(self, sizeof self, "/proc/self/fd/%lu", fd);
    struct xl_image img;
    char err[256];
    int r = xl_image_load(self, &img, err, sizeof err);
    close((int)fd);
    if (r != 0) {
        tool_error("%s: %s", argv[1], err);
        return 127;
    }
    /* argv: xlate FILE [ARGV0] ARGS... With P, ARGV0 is the guest's own; without it (an
       old kernel, or an entry registered by hand) the guest's argv[0] is FILE, as the
       kernel's own argv for a script interpreter. */
    bool keep0 = (getauxval(AT_FLAGS) & AT_FLAGS_PRESERVE_ARGV0) && argc >= 3;
    char **gargv = keep0 ? argv + 2 : argv + 1;
    int gargc = keep0 ? argc - 2 : argc - 1;
    struct rt_options opt = { 0 };
    int status = rt_run(&img, gargc, gargv, envp, &opt);
    xl_image_free(&img);
    return status;
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = write(fd, text, strlen(text));
    int e = n < 0 ? errno : 0;
    close(fd);
    return n < 0 ? -e : 0;
}

static int install(const char *name)
{
    char interp[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", interp, sizeof interp - 1);
    if (n <= 0) {
        tool_error("binfmt: cannot find this xlate's path: %s", strerror(errno));
        return 1;
    }
    interp[n] = '\0';
    char *line;
    if (asprintf(&line, ":%s:M::%s:%s:%s:" BINFMT_FLAGS, name, magic, mask, interp) < 0)
        return 1;
    int r = write_file(BINFMT_DIR "/register", line);
    free(line);
    if (r == -EEXIST) {
        tool_error("binfmt: '%s' is registered already (xlate binfmt --remove first)", name);
        return 1;
    }
    if (r) {
        tool_error("binfmt: cannot register with " BINFMT_DIR "/register: %s%s", strerror(-r),
                   r == -ENOENT ? " (binfmt_misc is not mounted there)"
                   : r == -EACCES || r == -EPERM ? " (root only)" : "");
        return 1;
    }
    printf("registered %s: ARM ELF executables now run with %s\n", name, interp);
    return 0;
}

static int entry_path(char *buf, size_t n, const char *name)
{
    return snprintf(buf, n, BINFMT_DIR "/%s", name) < (int)n ? 0 : -1;
}

static int remove_entry(const char *name)
{
    char path[PATH_MAX];
    if (entry_path(path, sizeof path, name))
        return 1;
    int r = write_file(path, "-1");
    if (r) {
        tool_error("binfmt: cannot remove %s: %s", path, strerror(-r));
        return 1;
    }
    printf("removed %s\n", name);
    return 0;
}

static int status(const char *name)
{
    char path[PATH_MAX];
    if (entry_path(path, sizeof path, name))
        return 1;
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: not registered\n", name);
        return 1;
    }
    char line[512];
    while (fgets(line, sizeof line, f))
        fputs(line, stdout);
    fclose(f);
    return 0;
}

int binfmt_cmd(int argc, char **argv, const char *usage)
{
    const char *name = BINFMT_NAME;
    int action = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--install") == 0 || strcmp(argv[i], "--remove") == 0 ||
            strcmp(argv[i], "--status") == 0) {
            if (action)
                return tool_usage_error("binfmt ", "one of --install, --remove, --status");
            action = argv[i][2];
        } else if (value_opt(argv, argc, &i, "--name", NULL, &v)) {
            if (!v || !*v || strchr(v, '/') || strchr(v, ':') || strcmp(v, "register") == 0 ||
                strcmp(v, "status") == 0)
                return tool_usage_error("binfmt ", "--name needs a plain entry name");
            name = v;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else {
            return tool_usage_error("binfmt ", "unknown option '%s'", argv[i]);
        }
    }
    switch (action) {
    case 'i': return install(name);
    case 'r': return remove_entry(name);
    case 's': return status(name);
    default: return tool_usage_error("binfmt ", "missing --install, --remove or --status");
    }
}
