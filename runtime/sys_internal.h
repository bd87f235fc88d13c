/*
 * What the syscall handlers (sys_*.c) share: the handler signature, the table's CALL
 * entries declared from syscalls.def, and small argument helpers. Guest pointers are host
 * pointers (guest address A is host address A).
 */
#ifndef XL_SYS_INTERNAL_H
#define XL_SYS_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
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

#endif
