/*
 * execve and execveat of the guest. What the file is decides how it runs:
 *  - an ARM ELF: this process execs the host program it is running in (/proc/self/exe: the
 *    xlate tool, or a translated program, which holds the whole runtime and JIT) with the
 *    guest's argv and envp plus RT_EXEC_ENV=path, and rt_exec_main on the other side runs
 *    path in the JIT with that argv, the variable taken out of its environment (and the
 *    sysroot from RT_EXEC_SYSROOT_ENV, so that `env -i` keeps it); a
 *    translated program that execs the ARM file it was made from runs itself again instead;
 *  - a `#!` script whose interpreter is an ARM ELF: the same for the interpreter, with the
 *    argv Linux builds (interpreter, its optional argument, the script, the rest);
 *  - anything else (a host program, a script for a host interpreter, a file of no known
 *    format): the host's execve, which runs it natively or fails as Linux does (ENOEXEC).
 * /proc/self/exe names the guest's own program (rt->proc->exe_path). The host's blocked mask
 * becomes exactly the guest's for the exec, as Linux carries it over.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "aot.h"
#include "sys_internal.h"

/* ---------------- what a file is (pure) ---------------- */

enum rt_exec_kind rt_exec_kind_of(const uint8_t *head, size_t n)
{
    if (n >= 2 && head[0] == '#' && head[1] == '!')
        return RT_EXEC_SCRIPT;
    if (n >= 20 && memcmp(head, ELFMAG, SELFMAG) == 0 && head[EI_CLASS] == ELFCLASS32 &&
        head[EI_DATA] == ELFDATA2LSB && (head[18] | head[19] << 8) == EM_ARM)
        return RT_EXEC_ARM;
    return RT_EXEC_HOST;
}

/* "#!interp arg\n" as Linux reads it (fs/binfmt_script.c): blanks around both, the argument
   is the rest of the line as one word. Returns -1 when there is no interpreter or the line
   does not end within n bytes. */
int rt_exec_shebang(const char *head, size_t n, char *interp, size_t ilen, char *arg,
                    size_t alen)
{
    const char *end = memchr(head, '\n', n);
    if (n < 2 || head[0] != '#' || head[1] != '!' || !end)
        return -1;
    const char *p = head + 2;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    const char *q = p;
    while (q < end && *q != ' ' && *q != '\t')
        q++;
    if (q == p || (size_t)(q - p) >= ilen)
        return -1;
    memcpy(interp, p, (size_t)(q - p));
    interp[q - p] = '\0';
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    const char *e = end;
    while (e > q && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    if ((size_t)(e - q) >= alen)
        return -1;
    memcpy(arg, q, (size_t)(e - q));
    arg[e - q] = '\0';
    return 0;
}

/* ---------------- the exec ---------------- */

/* A NULL-terminated guest array of string pointers as host pointers; NULL on ENOMEM or
   E2BIG (a bad guest pointer faults into the syscall's EFAULT). */
static char **host_strv(uint32_t gv, size_t extra, size_t *count)
{
    size_t n = 0;
    const uint32_t *v = gp(gv);
    while (gv && v[n])
        if (++n > (1u << 20))
            return NULL;
    char **h = calloc(n + extra + 1, sizeof(char *));
    for (size_t i = 0; h && i < n; i++)
        h[i] = gp(v[i]);
    *count = n;
    return h;
}

/* The first bytes of path (relative to dirfd); -errno when it cannot be executed. */
static int read_head(int dirfd, const char *path, int flags, uint8_t *buf, size_t *n)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC |
                    ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0));
    if (fd < 0)
        return errno == ELOOP && (flags & AT_SYMLINK_NOFOLLOW) ? -ELOOP : -errno;
    struct stat st;
    int r = 0;
    if (fstat(fd, &st) < 0)
        r = -errno;
    else if (!S_ISREG(st.st_mode) || faccessat(dirfd, path, X_OK, AT_EACCESS) < 0)
        r = -EACCES;
    ssize_t k = r ? 0 : pread(fd, buf, *n, 0);
    close(fd);
    if (!r && k < 0)
        r = -EIO;
    *n = k > 0 ? (size_t)k : 0;
    return r;
}

/* path as the new process will see it: dirfd-relative paths made absolute through
   /proc/self/fd (the descriptor may be close-on-exec). */
static char *exec_path(int dirfd, const char *path)
{
    if (path[0] == '/' || dirfd == AT_FDCWD)
        return strdup(path);
    char dir[PATH_MAX];
    if (rt_fd_path(dirfd, dir, sizeof dir) < 0)
        return NULL;
    char *out;
    if (asprintf(&out, "%s%s%s", dir, *path ? "/" : "", path) < 0)
        return NULL;
    return out;
}

/* The host execve with the guest's mask in force; returns -errno if it comes back. */
static int64_t host_exec(struct rt_thread *rt, int dirfd, const char *path, char **argv, char **envp,
                         int flags)
{
    sigset_t want, old;
    rt_host_sigset(rt_sigmask_to_host(rt->sigmask), &want);
    rt_profile_write(rt->proc);         /* the new program is not this one's profile */
    fflush(NULL);
    sigprocmask(SIG_SETMASK, &want, &old);
    syscall(SYS_execveat, dirfd, path, argv, envp, flags);
    int e = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return -e;
}

/* A translated program's own ARM file (exe_path, runtime/start.c). */
static bool is_own_program(const struct rt_thread *rt, const char *prog)
{
    if (!rt->proc->exe_is_self || !rt->proc->exe_path)
        return false;
    char *real = realpath(prog, NULL);
    bool same = real && strcmp(real, rt->proc->exe_path) == 0;
    free(real);
    return same;
}

/* Runs the ARM program prog through this very host program (rt_exec_main); when prog is the
   file this host program was translated from, the translation runs it again. */
static int64_t exec_arm(struct rt_thread *rt, const char *prog, char **argv, char **envp,
                        size_t nenv)
{
    if (is_own_program(rt, prog))
        return host_exec(rt, AT_FDCWD, "/proc/self/exe", argv, envp, 0);
    char *var, *root;
    if (asprintf(&var, RT_EXEC_ENV "=%s", prog) < 0)
        return -ENOMEM;
    if (asprintf(&root, RT_EXEC_SYSROOT_ENV "=%s", rt->proc->sysroot ? rt->proc->sysroot : "")
        < 0) {
        free(var);
        return -ENOMEM;
    }
    envp[nenv] = var;
    envp[nenv + 1] = root;
    envp[nenv + 2] = NULL;
    int64_t r = host_exec(rt, AT_FDCWD, "/proc/self/exe", argv, envp, 0);
    envp[nenv] = NULL;
    free(var);
    free(root);
    return r;
}

int64_t rt_execve(struct rt_thread *rt, int dirfd, uint32_t gpath, uint32_t gargv, uint32_t genvp,
                  int flags)
{
    char pbuf[PATH_MAX], ibuf[PATH_MAX];
    const char *path = gp(gpath);
    const char *self = rt_proc_self_name(path);
    if (self && strcmp(self, "exe") == 0 && rt->proc->exe_path)
        path = rt->proc->exe_path, dirfd = AT_FDCWD;
    else
        path = rt_path(rt->proc, path, pbuf, sizeof pbuf);
    if (!*path && !(flags & AT_EMPTY_PATH))
        return -ENOENT;
    uint8_t head[256];
    size_t n = sizeof head - 1;
    int64_t r = read_head(dirfd, path, flags, head, &n);
    if (r)
        return r;
    head[n] = '\0';
    size_t argc = 0, nenv = 0;     /* set by host_strv when it returns non-NULL */
    char **argv = host_strv(gargv, 2, &argc), **envp = host_strv(genvp, 2, &nenv);
    char *prog = exec_path(dirfd, path);
    char interp[256], iarg[256];
    enum rt_exec_kind k = rt_exec_kind_of(head, n);
    if (!argv || !envp || !prog) {
        r = -ENOMEM;
    } else if (k == RT_EXEC_ARM) {
        r = exec_arm(rt, prog, argv, envp, nenv);
    } else if (k == RT_EXEC_SCRIPT &&
               rt_exec_shebang((const char *)head, n, interp, sizeof interp, iarg,
                               sizeof iarg) == 0) {
        uint8_t ih[64];
        size_t in = sizeof ih;
        const char *ipath = rt_path(rt->proc, interp, ibuf, sizeof ibuf);
        if (read_head(AT_FDCWD, ipath, 0, ih, &in) == 0 &&
            rt_exec_kind_of(ih, in) == RT_EXEC_ARM) {
            /* interp [iarg] script argv[1..]: argv[0] gives way, as in binfmt_script. */
            size_t skip = argc ? 1 : 0, pre = *iarg ? 3 : 2;
            memmove(argv + pre, argv + skip, (argc - skip + 1) * sizeof(char *));
            argv[0] = interp;
            if (*iarg)
                argv[1] = iarg;
            argv[pre - 1] = prog;
            r = exec_arm(rt, ipath, argv, envp, nenv);
        } else {
            r = host_exec(rt, dirfd, path, argv, envp, flags);
        }
    } else {
        r = host_exec(rt, dirfd, path, argv, envp, flags);
    }
    free(argv);
    free(envp);
    free(prog);
    return r;
}

/* ---------------- the other side ---------------- */

/* The value of name in envp, taken out of it; NULL when it is not there. */
static char *take_env(char **envp, const char *name)
{
    size_t len = strlen(name);
    for (char **e = envp; e && *e; e++) {
        if (strncmp(*e, name, len) != 0 || (*e)[len] != '=')
            continue;
        char *val = *e + len + 1;
        do
            e[0] = e[1];
        while (*++e);
        return val;
    }
    return NULL;
}

int rt_exec_main(int argc, char **argv, char **envp)
{
    char *prog = take_env(envp, RT_EXEC_ENV);
    if (!prog)
        return -1;
    char *root = take_env(envp, RT_EXEC_SYSROOT_ENV);
    struct xl_image img;
    char err[256];
    if (xl_image_load(prog, &img, err, sizeof err) != 0) {
        fprintf(stderr, "xlate: error: %s: %s\n", prog, err);
        return 127;
    }
    rt_aot_disable();       /* this program's AOT functions are not prog's */
    static const char *none[] = { NULL };
    struct rt_options opt = { .sysroot = root };
    int status = rt_run(&img, argc, argc ? argv : (char **)none, envp, &opt);
    xl_image_free(&img);
    return status;
}
