/*
 * The guest's view of its own /proc files, as qemu-arm gives it: /proc/self/exe (and
 * /proc/PID/exe) is the guest's program, /proc/self/cmdline its argv, /proc/self/auxv its
 * ARM auxiliary vector. Everything else under /proc is the host's. In a translated program
 * the link names the translated file (exec'd, it runs the same program natively), and
 * opening it reads the ARM program embedded in it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../lifter/image/image.h"
#include "rt_internal.h"

ssize_t rt_fd_path(int fd, char *buf, size_t n)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t k = readlink(link, buf, n - 1);
    buf[k > 0 ? k : 0] = '\0';
    return k;
}

const char *rt_proc_self_name(const char *path)
{
    const char *p;
    if (strncmp(path, "/proc/self/", 11) == 0)
        return path + 11;
    char own[32];
    int n = snprintf(own, sizeof own, "/proc/%d/", (int)getpid());
    if (strncmp(path, own, (size_t)n) == 0 && (p = path + n))
        return p;
    return NULL;
}

/* A memory file holding n bytes of data, at offset 0. */
static int mem_file(const char *name, const void *data, size_t n, int flags)
{
    int fd = memfd_create(name, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0)
        return -errno;
    if (write(fd, data, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -EIO;
    }
    return fd;
}

int rt_proc_self_open(struct rt_thread *rt, const char *path, int flags, int mode)
{
    const char *name = rt_proc_self_name(path);
    if (!name)
        return RT_PROC_HOST;
    if (strcmp(name, "exe") == 0 && strcmp(rt->proc->img->path, "/proc/self/exe") == 0)
        /* A translated program (runtime/main): the guest reads the ARM program it is. */
        return mem_file("exe", rt->proc->img->file, rt->proc->img->file_size, flags);
    if (strcmp(name, "exe") == 0 && rt->proc->exe_path) {
        int fd = open(rt->proc->exe_path, flags, mode);
        return fd < 0 ? -errno : fd;
    }
    if (strcmp(name, "cmdline") == 0) {
        size_t n = 0;
        for (int i = 0; i < rt->proc->argc; i++)
            n += strlen(rt->proc->argv[i]) + 1;
        char *buf = malloc(n + 1), *o = buf;
        if (!buf)
            return -ENOMEM;
        for (int i = 0; i < rt->proc->argc; i++)
            o = stpcpy(o, rt->proc->argv[i]) + 1;
        int fd = mem_file("cmdline", buf, n, flags);
        free(buf);
        return fd;
    }
    if (strcmp(name, "auxv") == 0 && rt->proc->auxv)
        return mem_file("auxv", rt->proc->auxv, rt->proc->auxv_size, flags);
    return RT_PROC_HOST;
}
