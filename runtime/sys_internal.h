/*
 * What the syscall handlers (sys_*.c) share: the handler signature, the table's CALL
 * entries declared from syscalls.def, and small argument helpers. Guest pointers are host
 * pointers (guest address A is host address A).
 */
#ifndef XL_SYS_INTERNAL_H
#define XL_SYS_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdint.h>

#include "rt_internal.h"

#define NORET INT64_MIN     /* the handler set r0 itself (or the guest is gone) */

/* A handler: the guest's r0-r6 in a[]; returns r0 (a negative errno on failure) or NORET. */
#define SYSCALL(f)                                                                   \
    int64_t f(struct rt_thread *rt __attribute__((unused)), struct cpu *cpu __attribute__((unused)), \
              const uint32_t *a __attribute__((unused)))
typedef int64_t (*sys_fn)(struct rt_thread *rt, struct cpu *cpu, const uint32_t *a);

#define PASS(n)
#define CALL(f) SYSCALL(f);
#define SYS(nr, name, impl, shape) impl
#include "syscalls.def"
#include "syscalls_net.def"
#undef SYS
#undef CALL
#undef PASS

static inline void *gp(uint32_t a) { return (void *)(uintptr_t)a; }
/* The file that guest path g names for a lookup (shape 'f'): the sysroot's or the host's;
   buf holds PATH_MAX bytes. */
static inline const char *sys_path(struct rt_thread *rt, uint32_t g, char *buf)
{
    return rt_path(rt->proc, gp(g), buf, PATH_MAX);
}
/* True when the guest may access [p, p + n) with prot (RT_PROT_*): handlers that copy
   into buffers of their own check first, where a fault could not come back as EFAULT. */
static inline bool sys_gok(struct rt_thread *rt, uint32_t p, uint64_t n, unsigned prot)
{
    return rt_mem_access(rt->proc, p, n, prot);
}
static inline int64_t ret(long r) { return r < 0 ? -errno : r; }
static inline int si(uint32_t a) { return (int)(int32_t)a; }
static inline int64_t pair(uint32_t lo, uint32_t hi)
{
    return (int64_t)((uint64_t)hi << 32 | lo);
}

struct timespec;
/* A guest timespec at p, 32-bit fields (old calls) or 64-bit ones (*_time64), and back. */
void sys_ts_in(uint32_t p, bool t64, struct timespec *ts);
void sys_ts_out(const struct timespec *ts, bool t64, uint32_t p);

/* n guest iovecs at p for the host (sys_fs.c): -EINVAL past UIO_MAXIOV (1024), which
   out must hold, or -EFAULT. */
struct iovec;
#define SYS_MAX_IOV 1024
int64_t sys_iov_in(struct rt_thread *rt, uint32_t p, uint32_t n, struct iovec *out);

/* An ARM struct sigevent at p (sys_time.c): its sigev_value is 4 bytes where x86-64's is
   8, so the rest sits 4 bytes lower. The signal number becomes the host's, except for
   SIGEV_THREAD, where it is glibc's mq_notify netlink socket. -EINVAL for a guest signal
   with no host number. */
struct sigevent;
int64_t sys_sigevent_in(uint32_t p, struct sigevent *ev);

/* Delivers the synchronous signal a trapping svc raises (syscall.c), as the ARM kernel's
   arm_notify_die or ptrace_break: the handler runs when the svc returns. */
void sys_trap(struct rt_thread *rt, struct cpu *cpu, int sig, int code, uint32_t addr);

/* A guest signal number for the host (sys_proc.c): 0 stays 0 (a probe), -1 for one with no
   host number. */
int sys_host_signo(int g);

#endif
