/*
 * Runtime internals shared by the runtime/ files and the rt unit tests. The pure parts (region
 * bookkeeping, stack builder, structure conversions, signal frame layout) touch no host
 * state, so tests run them on ordinary buffers without the 4 GiB reservation.
 */
#ifndef XL_RT_INTERNAL_H
#define XL_RT_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lifter/ir/cpu.h"
#include "../lifter/jit/jit.h"
#include "rt.h"

#define RT_PAGE 4096u
#define RT_PAGE_UP(x) (((x) + RT_PAGE - 1) & ~(uint64_t)(RT_PAGE - 1))
#define RT_PAGE_DOWN(x) ((x) & ~(uint64_t)(RT_PAGE - 1))

/* Guest address space: [RT_GUEST_LO, RT_GUEST_HI) is reserved at start-up. */
#define RT_GUEST_LO 0x10000u
#define RT_GUEST_HI 0x100000000ull
/* Also reserved: [RT_GUEST_HI, + RT_GUARD), where AOT code's wrapped addresses land
   (lifter/llvm/raise_ops.c, guest_ptr). */
#define RT_GUARD 0x10000ull
#define RT_KUSER_PAGE 0xffff0000u
#define RT_STACK_TOP 0xfffe0000u            /* like an arm64 kernel's compat STACK_TOP */
#define RT_STACK_SIZE (8u << 20)
#define RT_STACK_GUARD (64u << 10)

/* Guest protections (PROT_READ/WRITE/EXEC values, which ARM and x86-64 share). */
enum { RT_PROT_R = 1, RT_PROT_W = 2, RT_PROT_X = 4 };

/* ---- mem.c: the region list (pure) ---- */
struct rt_region {
    uint32_t start;
    uint64_t end;           /* exclusive; may be 1 << 32 */
    uint8_t prot;           /* guest protection */
};

struct rt_mem {
    struct rt_region *r;    /* sorted, non-overlapping; neighbours that touch differ in prot */
    size_t n, cap;
    uint32_t brk_start, brk_cur;
    uint32_t mmap_top;      /* top-down allocation starts below this */
};

void rt_mem_init(struct rt_mem *m);
void rt_mem_fini(struct rt_mem *m);
/* Records [start, end) as mapped with prot, replacing whatever was there. */
void rt_mem_set(struct rt_mem *m, uint32_t start, uint64_t end, unsigned prot);
/* Forgets [start, end). */
void rt_mem_clear(struct rt_mem *m, uint32_t start, uint64_t end);
/* The region holding addr, or NULL. */
const struct rt_region *rt_mem_find(const struct rt_mem *m, uint32_t addr);
/* True when all of [start, end) is mapped. */
bool rt_mem_mapped(const struct rt_mem *m, uint32_t start, uint64_t end);
/* True when none of [start, end) is mapped. */
bool rt_mem_free(const struct rt_mem *m, uint32_t start, uint64_t end);
/* True when some region in [start, end) has one of the prot bits. */
bool rt_mem_has_prot(const struct rt_mem *m, uint32_t start, uint64_t end, unsigned prot);
/* Highest free page-aligned range of len bytes inside [lo, hi), or 0 when none. */
uint32_t rt_mem_find_free(const struct rt_mem *m, uint32_t len, uint32_t lo, uint64_t hi);
/* Bytes of guest-executable memory from addr on (contiguous regions), 0 if none. */
uint32_t rt_mem_code_avail(const struct rt_mem *m, uint32_t addr);

/* ---- mem.c: host side (needs the reservation) ---- */
struct rt_thread;
struct rt_process;
int rt_mem_reserve(void);
void rt_mem_release(void);
/* Maps anonymous guest memory (MAP_FIXED inside the reservation); returns 0 or -errno. */
int rt_mem_map_anon(struct rt_mem *m, uint32_t start, uint32_t len, unsigned prot);
int rt_mem_protect(struct rt_mem *m, uint32_t start, uint32_t len, unsigned prot);
/* Returns the range to the reservation (PROT_NONE). */
void rt_mem_unmap(struct rt_mem *m, uint32_t start, uint32_t len);
int rt_host_prot(unsigned guest_prot);
/* True when the guest may access all of [start, start + n) with prot (takes mem_lock). */
bool rt_mem_access(struct rt_process *p, uint32_t start, uint64_t n, unsigned prot);
/* Guest code in [start, end) may have changed: every thread's JIT drops what it
   translated there before it runs on. */
void rt_code_changed(struct rt_process *p, uint32_t start, uint64_t end);
/* This thread's JIT catches up with the code changes since it last looked. */
void rt_code_sync(struct rt_thread *rt);
/* codeprot.c: guest code the JIT translated from [start, end): the writable pages there
   lose their host write permission, so that a store to them drops the translations. */
void rt_codeprot_add(struct rt_process *p, uint32_t start, uint32_t end);
/* A host fault at guest address addr: true when it was such a page's first store (the
   permission is back: the store may run again). Called by the host fault handler. */
bool rt_codeprot_fault(struct rt_thread *rt, uint32_t addr);
/* Before a syscall that may store to guest memory: every such page is writable again. */
void rt_codeprot_release_all(struct rt_process *p);
/* The guest rewrote code in [start, end) and said so (cacheflush): the AOT code of every
   module there is retired (aot.c). True if there was some: the calling thread then drops
   its AOT frames once the syscall is done (rt->aot_unwind). */
bool rt_aot_code_changed(struct rt_process *p, uint32_t start, uint64_t end);

/* The syscalls take mem_lock themselves. */
uint32_t rt_sys_brk(struct rt_thread *rt, uint32_t newbrk);
int64_t rt_sys_mmap2(struct rt_thread *rt, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
                     int32_t fd, uint32_t pgoff);
int64_t rt_sys_munmap(struct rt_thread *rt, uint32_t addr, uint32_t len);
int64_t rt_sys_mprotect(struct rt_thread *rt, uint32_t addr, uint32_t len, uint32_t prot);
int64_t rt_sys_mremap(struct rt_thread *rt, uint32_t old, uint32_t oldlen, uint32_t newlen,
                      uint32_t flags, uint32_t newaddr);

/* ---- stack.c: the initial guest stack (pure) ---- */
struct rt_stack_args {
    int argc;
    char **argv;
    char **envp;
    const char *execfn;
    const char *platform;       /* "v7l" */
    const uint8_t *random16;    /* AT_RANDOM bytes */
    uint32_t phdr, phent, phnum, entry, base, hwcap, hwcap2;
    uint32_t uid, euid, gid, egid;
};
/* ARM HWCAP bits (arch/arm/include/uapi/asm/hwcap.h) of what xlate implements. */
#define RT_HWCAP_ARM (2u /*HALF*/ | 4u /*THUMB*/ | 16u /*FAST_MULT*/ | 64u /*VFP*/ | \
                      128u /*EDSP*/ | (1u << 12) /*NEON*/ | (1u << 13) /*VFPv3*/ |  \
                      (1u << 15) /*TLS*/ | (1u << 16) /*VFPv4*/ | (1u << 17) /*IDIVA*/ | \
                      (1u << 18) /*IDIVT*/ | (1u << 19) /*VFPD32*/)

/*
 * Writes argc, argv, envp, auxv and the strings they point to into mem, which holds guest
 * addresses [base, top), the way Linux's create_elf_tables lays them out. *sp receives
 * the initial (16-byte aligned) stack pointer. Returns 0, or -1 when it does not fit.
 */
int rt_build_stack(uint8_t *mem, uint32_t base, uint32_t top, const struct rt_stack_args *a,
                   uint32_t *sp);

/* ---- kuser.c ---- */
#define RT_KUSER_SIGRETURN 0x500u    /* offset of the sigreturn trampolines in the page */
/* Fills the 4096-byte kuser helper page (guest 0xffff0000). */
void rt_kuser_fill(uint8_t *page);

/* ---- conv.c: ARM structure layouts and conversions (pure) ---- */
struct stat;
struct statfs;
struct iovec;
struct timespec;
struct sysinfo;
#define RT_ARM_STAT64_SIZE 104
#define RT_ARM_STATFS64_SIZE 84
#define RT_ARM_SYSINFO_SIZE 64
#define RT_ARM_SIGACTION_SIZE 20
#define RT_ARM_RUSAGE_SIZE 72
void rt_conv_stat64(const struct stat *h, uint8_t out[RT_ARM_STAT64_SIZE]);
void rt_conv_stat_times(const struct stat *h, uint8_t *out, size_t off);
void rt_conv_statfs64(const struct statfs *h, uint8_t out[RT_ARM_STATFS64_SIZE]);
void rt_conv_sysinfo(const struct sysinfo *h, uint8_t out[RT_ARM_SYSINFO_SIZE]);
struct rusage;
void rt_conv_rusage(const struct rusage *h, uint8_t out[RT_ARM_RUSAGE_SIZE]);
/* timespec/timeval with 32-bit fields (old calls) and 64-bit ones (*_time64). */
void rt_ts32_to_host(const uint8_t in[8], struct timespec *h);
void rt_ts32_from_host(const struct timespec *h, uint8_t out[8]);
void rt_ts64_to_host(const uint8_t in[16], struct timespec *h);
void rt_ts64_from_host(const struct timespec *h, uint8_t out[16]);
/* iovec array: n guest {base, len} pairs → host. */
void rt_iov_to_host(const uint8_t *in, unsigned n, struct iovec *h);
/* ARM struct rlimit (unsigned long) from a 64-bit one; RLIM_INFINITY stays infinity. */
void rt_rlimit32_from_host(uint64_t cur, uint64_t max, uint8_t out[8]);
/* open()/fcntl(F_GETFL) flags: ARM and x86-64 disagree on O_DIRECTORY, O_NOFOLLOW,
   O_DIRECT and O_LARGEFILE. */
int rt_open_flags_to_host(uint32_t arm);
uint32_t rt_open_flags_from_host(int host);

/* The guest's view of one signal's action (ARM kernel struct sigaction). */
struct rt_gsigaction {
    uint32_t handler, flags, restorer;
    uint64_t mask;
};
void rt_sigaction_from_arm(const uint8_t in[RT_ARM_SIGACTION_SIZE], struct rt_gsigaction *a);
void rt_sigaction_to_arm(const struct rt_gsigaction *a, uint8_t out[RT_ARM_SIGACTION_SIZE]);

/* ---- signal.c ---- */
#define RT_NSIG 64
#define RT_ARM_SIGINFO_SIZE 128
/* ARM rt_sigframe: siginfo, then ucontext (arch/arm/kernel/signal.c). */
enum {
    RT_UC_FLAGS = 0, RT_UC_LINK = 4, RT_UC_STACK = 8, RT_UC_MCONTEXT = 20,
    RT_SC_TRAPNO = RT_UC_MCONTEXT, RT_SC_ERROR = RT_UC_MCONTEXT + 4,
    RT_SC_OLDMASK = RT_UC_MCONTEXT + 8, RT_SC_R0 = RT_UC_MCONTEXT + 12,
    RT_SC_CPSR = RT_SC_R0 + 16 * 4, RT_SC_FAULT = RT_SC_CPSR + 4,
    RT_UC_SIGMASK = 104, RT_UC_REGSPACE = 232,
    RT_UC_SIZE = RT_UC_REGSPACE + 512,
    RT_VFP_MAGIC = 0x56465001, RT_VFP_SIZE = 288,
    RT_RTFRAME_UC = RT_ARM_SIGINFO_SIZE,
    RT_RTFRAME_RETCODE = RT_ARM_SIGINFO_SIZE + RT_UC_SIZE,
    RT_RTFRAME_SIZE = RT_RTFRAME_RETCODE + 8,
};

uint32_t rt_cpsr(const struct cpu *cpu);
void rt_set_cpsr(struct cpu *cpu, uint32_t cpsr);
/* Writes the ucontext's sigcontext + VFP regspace for cpu (pure). */
void rt_sigcontext_save(const struct cpu *cpu, uint64_t mask, uint8_t *uc);
void rt_sigcontext_restore(struct cpu *cpu, uint64_t *mask, const uint8_t *uc);

struct rt_siginfo {
    int signo, code;
    uint32_t addr;          /* faults */
    int pid, uid;           /* kill (timers: id and overrun) */
    uint32_t value;         /* sigqueue si_value (also SIGCHLD status, timer sigval) */
    uint32_t utime, stime;  /* SIGCHLD */
};
struct rt_siginfo rt_siginfo_from_host(const siginfo_t *h);
/* Guest and host signal numbers and masks (bit sig-1), conv.c: -1 where there is none. */
int rt_sig_to_host(int g);
int rt_sig_from_host(int h);
uint64_t rt_sigmask_to_host(uint64_t g);
uint64_t rt_sigmask_from_host(uint64_t h);
/* A sigset_t holding the host signals of mask h (glibc's sigaddset refuses 32 and 33). */
void rt_host_sigset(uint64_t h, sigset_t *out);
void rt_siginfo_to_arm(const struct rt_siginfo *si, uint8_t out[RT_ARM_SIGINFO_SIZE]);

void rt_signals_init(struct rt_thread *rt);
int64_t rt_sys_rt_sigaction(struct rt_thread *rt, int sig, uint32_t act, uint32_t oact, uint32_t size);
int64_t rt_sys_rt_sigprocmask(struct rt_thread *rt, int how, uint32_t set, uint32_t oset,
                              uint32_t size);
int64_t rt_sys_sigaltstack(struct rt_thread *rt, uint32_t ss, uint32_t oss);
int64_t rt_sys_rt_sigreturn(struct rt_thread *rt, struct cpu *cpu);
int64_t rt_sys_sigreturn(struct rt_thread *rt, struct cpu *cpu);
int64_t rt_sys_rt_sigpending(struct rt_thread *rt, uint32_t set, uint32_t size);
/* rt_sigqueueinfo (tid 0) and rt_tgsigqueueinfo. */
int64_t rt_sys_rt_sigqueueinfo(struct rt_thread *rt, int pid, int tid, int sig, uint32_t uinfo);
int64_t rt_sys_rt_sigsuspend(struct rt_thread *rt, uint32_t set, uint32_t size);
int64_t rt_sys_pause(struct rt_thread *rt);
/* pselect6/ppoll/epoll_pwait returned EINTR with the guest mask m in force: the handlers
   run with m, then the mask goes back. */
void rt_signal_temp_mask(struct rt_thread *rt, uint64_t m);
int64_t rt_sys_rt_sigtimedwait(struct rt_thread *rt, uint32_t set, uint32_t info,
                               const struct timespec *timeout, uint32_t size);
/* A syscall that failed with EINTR goes again after the handlers (Linux's ERESTARTSYS):
   true when the first handler to run has SA_RESTART, or none will run. */
bool rt_signal_restart(const struct rt_thread *rt);
/* A pending signal that the guest does not block and whose handler would run. */
bool rt_signal_deliverable(const struct rt_thread *rt);
/* After fork, in the child. */
void rt_signals_forked(struct rt_thread *rt);
/* A new thread, on its own host thread: rt_self, no altstack, its guest mask. */
void rt_signals_thread_start(struct rt_thread *rt);
/* A synchronous guest signal (fault, undef, bkpt): delivered now or the process dies. */
void rt_signal_sync(struct rt_thread *rt, struct cpu *cpu, const struct rt_siginfo *si);
/* Delivers pending asynchronous signals that the guest does not block. */
void rt_signal_deliver_pending(struct rt_thread *rt, struct cpu *cpu);
_Noreturn void rt_die_by_signal(int sig);

/* ---- exec.c ---- */
enum rt_exec_kind { RT_EXEC_HOST, RT_EXEC_ARM, RT_EXEC_SCRIPT };
/* What the first n bytes of a file make it: a 32-bit little-endian ARM ELF, a `#!` script,
   or anything else (for the host to run or refuse). */
enum rt_exec_kind rt_exec_kind_of(const uint8_t *head, size_t n);
int rt_exec_shebang(const char *head, size_t n, char *interp, size_t ilen, char *arg,
                    size_t alen);
struct rt_thread;
int64_t rt_execve(struct rt_thread *rt, int dirfd, uint32_t path, uint32_t argv, uint32_t envp,
                  int flags);

/* ---- procfs.c ---- */
/* "exe" for "/proc/self/exe" or "/proc/PID/exe" of this process: the part after the
   directory, or NULL for any other path. */
const char *rt_proc_self_name(const char *path);
#define RT_PROC_HOST (-0x10000)     /* not one of the guest's own files: the host's */
/* open() of /proc/self/{exe,cmdline,auxv} as the guest sees them: a descriptor, -errno, or
   RT_PROC_HOST. */
int rt_proc_self_open(struct rt_thread *rt, const char *path, int flags, int mode);
/* What the host's descriptor fd names (/proc/self/fd/FD's link), into buf (NUL-terminated,
   cut at n - 1 bytes). Returns its length, or -1 with errno. */
ssize_t rt_fd_path(int fd, char *buf, size_t n);

/* ---- the runtime's state: one process, one or more threads (docs/threads.md) ---- */
struct jit;
struct arm_frontend;

/* What all guest threads share. Fields that change after start-up say what guards them. */
/* modules.c: the files the guest runs code from, and the JIT work in each. */
#define RT_MAX_MODULES 256
struct xl_module_info;
struct rt_module {
    uint32_t start;
    uint64_t end;                   /* [start, end): its first executable mapping */
    char *name;                     /* the host path of its file */
    uint64_t jit_blocks, jit_insns; /* atomic adds */
    /* Its translation from the cache (libcache.c), or NULL: cleared (release) when any of
       its range is unmapped. */
    const struct xl_module_info *aot;
};
struct rt_modules {
    struct rt_module m[RT_MAX_MODULES];     /* m[0]: the program */
    uint32_t n;                             /* published with release */
    uint64_t other_blocks, other_insns;     /* JIT work outside every module */
};
/* Appends a module (callers hold mem_lock, or run before the guest does); the one of an
   mmap'ed file descriptor is named by the file's host path. */
void rt_module_add(struct rt_process *p, uint32_t start, uint64_t end, const char *name,
                   const struct xl_module_info *aot);
void rt_module_add_fd(struct rt_process *p, uint32_t start, uint64_t end, int fd,
                      const struct xl_module_info *aot);
/* [start, end) was unmapped: the modules there lose their translations. */
void rt_modules_unmapped(struct rt_process *p, uint32_t start, uint64_t end);
/* The latest module whose range holds pc, or NULL; no lock needed. */
struct rt_module *rt_module_at(struct rt_process *p, uint32_t pc);
/* Counts one JIT block of insns guest insns at pc to its module. */
void rt_module_count_jit(struct rt_process *p, uint32_t pc, uint32_t insns);
struct xl_aot_blocks;

/* What of a module's AOT code ran (XLATE_STATS): the functions entered, and their guest
   instructions, a function counting whole. */
struct rt_aot_use {
    uint32_t functions;
    uint64_t insns;
};
struct rt_aot_use rt_aot_use_of(const struct xl_aot_blocks *rows, uint32_t n,
                                const uint8_t *entered);
/* The share in percent of the guest code run that ran ahead of time: the instructions of
   entered AOT functions against those the JIT translated. */
static inline double rt_aot_share(uint64_t aot_insns, uint64_t jit_insns)
{
    return aot_insns + jit_insns ? 100.0 * (double)aot_insns / (double)(aot_insns + jit_insns)
                                 : 0.0;
}
/* One XLATE_STATS line per module with work in it, the program's AOT functions and what of
   them ran given. */
void rt_modules_print_stats(struct rt_process *p, uint32_t program_aot_functions,
                            struct rt_aot_use program_use);

/* aot.c: lookups also search the translated libraries of p's modules. */
void rt_aot_attach(struct rt_process *p);

/* libcache.c: translated libraries of a translated program. */
bool rt_libcache_enabled(void);
/* The valid cache entry for the library open as fd, mapped len bytes long (name: for the
   log), or NULL. The caller checks that its range is free. */
const struct xl_module_info *rt_libcache_find(int fd, uint64_t len, const char *name);
/* The guest opened fd with its pc at pc: when that is the dynamic loader opening a library
   that has a translation, its next anonymous reservation goes where the translation wants
   it (ld.so reserves a range and maps a library aligned more than a page into it with
   MAP_FIXED). */
void rt_libcache_opened(struct rt_thread *rt, uint32_t pc, int fd);

/* profile.c: `xlate run --profile FILE`, block execution counts (docs/aot.md, "Profiles"). */
struct rt_profile;
/* Counts from now on, for FILE, which it empties. 0, or -1 after one error line (out of
   memory, FILE cannot be written). */
int rt_profile_start(struct rt_process *p, const char *path);
/* In a forked child: its counts start from zero (its parent writes what came before). */
void rt_profile_forked(struct rt_process *p);
/* The counter of block (pc, thumb), made on first use (the JIT's counter hook); NULL when
   out of memory. */
uint64_t *rt_profile_counter(struct rt_process *p, uint32_t pc, bool thumb);
/* Appends this process's section to FILE and zeroes the counts (at exit, and before an
   exec replaces the process); a failure is one warning line. */
void rt_profile_write(struct rt_process *p);

/* ir_share.c: the optimized µIR of guest blocks, kept for the JITs of the other threads once
   the process has more than one. */
struct ir_copy;
struct rt_ir_share {
    pthread_mutex_t lock;
    uint64_t gen;               /* the code generation the copies belong to */
    struct ir_copy *slots;      /* open addressing, cap a power of two */
    uint32_t cap, n;
    size_t bytes;
};
/* The copy of the block at (pc, thumb) into out, lifted in code generation gen: false when
   there is none. */
bool rt_ir_share_get(struct rt_ir_share *s, uint64_t gen, uint32_t pc, bool thumb,
                     struct ir_block *out);
/* Keeps a copy of b, lifted from the code of generation gen (read before lifting). */
void rt_ir_share_put(struct rt_ir_share *s, uint64_t gen, const struct ir_block *b);
void rt_ir_share_free(struct rt_ir_share *s);

#define RT_CODE_LOG 64
struct rt_process {
    const struct xl_image *img;
    const struct rt_options *opt;
    char *sysroot;              /* the guest's / for lookups (sysroot.c), or NULL */
    struct rt_mem mem;          /* mem_lock */
    pthread_mutex_t mem_lock;   /* the region list: mmap, munmap, mprotect, brk, lookups */
    char *exe_path;             /* realpath of the guest program (/proc/self/exe) */
    bool exe_is_self;           /* this host program is exe_path's translation (AOT) */
    int argc;                   /* the guest's argv, for /proc/self/cmdline */
    char **argv;
    void *auxv;                 /* a copy of the initial auxv, for /proc/self/auxv */
    size_t auxv_size;
    struct rt_gsigaction act[RT_NSIG + 1];  /* act_lock for writers; read at delivery */
    pthread_mutex_t act_lock;
    /* Bumped (release) whenever guest code may have changed (munmap, mprotect of code,
       cacheflush): each thread's JIT drops the changed ranges when it sees a new value
       (acquire). The last RT_CODE_LOG changes are kept (code_lock): a thread further
       behind drops everything. */
    uint64_t code_gen;
    pthread_mutex_t code_lock;
    pthread_mutex_t codeprot_lock;          /* codeprot.c's page list and marks */
    struct rt_code_change { uint64_t gen; uint32_t start, end; } code_log[RT_CODE_LOG];
    struct rt_ir_share ir_share;
    int nthreads;               /* live guest threads (atomic) */
    struct jit_stats jit_ended; /* the JIT figures of the threads that ended (atomic adds) */
    bool threaded;              /* a second thread was ever created (atomic) */
    bool made_signalfd;         /* a signalfd exists: reads check for one (atomic) */
    struct rt_modules modules;
    uint32_t interp_start;      /* the dynamic loader's range, [start, end) */
    uint64_t interp_end;
    struct rt_profile *profile; /* `xlate run --profile`: block counts (profile.c), or NULL */
};

/* One guest thread: a host thread of its own with its own struct cpu, JIT and frontend
   (docs/threads.md says why the code cache is per thread; the µIR is shared: ir_share.c), signal mask and pending set,
   alternate stack, and the host jump buffers of its dispatcher loop. */
struct rt_thread {
    struct rt_process *proc;
    /* A library the loader just opened that has a translation (libcache.c), or NULL. */
    const struct xl_module_info *pending_lib;
    struct jit *jit;
    struct arm_frontend *fe;
    void *dispatch;             /* dispatch.c's hook context */
    struct cpu *cpu;
    uint64_t code_gen;          /* proc->code_gen the JIT has caught up with */
    int tid;                    /* host tid = guest tid */
    uint32_t clear_child_tid;   /* set_tid_address / CLONE_CHILD_CLEARTID: 0 and a wake */
    uint32_t robust_list;       /* set_robust_list head, walked at thread exit */
    bool main;                  /* the process's first thread (the host's main thread) */
    bool exited;                /* this thread is done (exit, or the process's exit) */
    bool thread_exit;           /* ... and the process goes on without it */
    int exit_status;

    /* signals */
    uint64_t sigmask;           /* guest blocked set (bit sig-1); the host's but SEGV/BUS */
    uint64_t saved_mask;        /* sigsuspend's mask to restore, when restore_mask */
    bool restore_mask;
    volatile sig_atomic_t pending_any;
    volatile sig_atomic_t pending[RT_NSIG + 1];
    struct rt_siginfo pinfo[RT_NSIG + 1];   /* the host siginfo of each pending signal */
    uint32_t altstack_sp, altstack_size;
    int altstack_flags;
    sigjmp_buf fault_jmp;       /* back to the dispatcher loop: RT_JMP_* */
    volatile sig_atomic_t in_guest;
    volatile sig_atomic_t in_syscall;   /* a host fault on a guest address → EFAULT */
    sigjmp_buf syscall_jmp;
    struct rt_siginfo fault;
    uint32_t aot_exit;          /* enum ir_exit recorded by xl_aot_exit during an AOT call */
    bool aot_unwind;            /* AOT code it may be running was retired (cacheflush) */
};

/* Why a thread's dispatcher loop is entered again from deeper down (fault_jmp): a host
   fault to deliver; the guest's exit; AOT frames to drop, the guest going on at
   cpu->r[15] (retired code). */
enum { RT_JMP_FAULT = 1, RT_JMP_EXITED = 2, RT_JMP_UNWIND = 3 };

/* The calling host thread's guest thread (NULL outside one): signal handlers find it here. */
extern __thread struct rt_thread *rt_self;

/* syscall.c */
void rt_syscall(struct rt_thread *rt, struct cpu *cpu);

/* safe_syscall.S: a host syscall that returns -EINTR, without starting, when *flag is set;
   the host signal handler moves a thread caught between the test and the syscall
   instruction to that return. Returns the kernel's result (-errno on failure). */
long rt_safe_syscall(const volatile uint32_t *flag, long nr, long a1, long a2, long a3,
                     long a4, long a5, long a6);
extern const char rt_safe_syscall_start[], rt_safe_syscall_end[], rt_safe_syscall_eintr[];
/* A host syscall that may block, for the calling guest thread: a guest signal that comes
   after rt_syscall looked for pending ones interrupts it (-EINTR), never waits behind it.
   RT_BLOCK(nr, args...) with up to six arguments. */
static inline int64_t rt_block(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
    return rt_safe_syscall(&rt_self->cpu->interrupt, nr, a1, a2, a3, a4, a5, a6);
}
#define RT_BLOCK_(nr, a1, a2, a3, a4, a5, a6, ...)                                      \
    rt_block(nr, (long)(a1), (long)(a2), (long)(a3), (long)(a4), (long)(a5), (long)(a6))
#define RT_BLOCK(...) RT_BLOCK_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)

/* dispatch.c: what the dispatcher does for an svc (IR_EXIT_SYSCALL), shared with AOT code:
   the syscall, then the delivery of pending signals (which may change cpu->r[15]). */
void rt_handle_syscall(struct rt_thread *rt, struct cpu *cpu);
/* The dispatcher loop: runs guest code (AOT functions, else the JIT), handling syscalls
   and signals, until the guest exits or, for a nested run (stop_key != JIT_NO_STOP),
   until the next key (pc | thumb) is stop_key or the guest sp is above frame_sp. The
   outermost loop is rt_dispatch's; AOT code nests through xl_aot_run_until. */
void rt_run_until(struct rt_thread *rt, struct cpu *cpu, uint32_t stop_key, uint32_t frame_sp);

/* dispatch.c: a thread's JIT, frontend and hooks (-1 and a message when they cannot be
   made), its dispatcher loop until it exits, and their release. rt_dispatch is the three
   for the first thread, returning the exit status. */
int rt_thread_setup(struct rt_thread *rt);
void rt_thread_run(struct rt_thread *rt);
void rt_thread_teardown(struct rt_thread *rt);
int rt_dispatch(struct rt_thread *rt);

/* thread.c */
/* clone with CLONE_VM | CLONE_THREAD: a new guest thread on a new host thread. */
int64_t rt_clone_thread(struct rt_thread *rt, struct cpu *cpu, uint32_t flags, uint32_t newsp,
                        uint32_t ptid, uint32_t tls, uint32_t ctid);
/* exit (one thread) and exit_group (the process) from guest code. */
void rt_exit_thread(struct rt_thread *rt, int status);
void rt_exit_group(struct rt_thread *rt, int status);
/* After fork, in the child: the calling thread is the only one. */
void rt_threads_forked(struct rt_thread *rt);
/* The robust futex list of a dying thread (set_robust_list), ARM layout, read through rd
   (which clears *ok on a bad address): mark(ctx, uaddr) on the futex word of each lock
   on it and of the pending one (pure). */
void rt_robust_walk(uint32_t head, uint32_t (*rd)(void *ctx, uint32_t addr, bool *ok),
                    void (*mark)(void *ctx, uint32_t uaddr), void *ctx);

/* load.c */
/* Where the program went: what the initial stack and registers need. */
struct rt_loaded {
    uint32_t bias;              /* added to the program's addresses (0 for ET_EXEC) */
    uint32_t phdr, entry;       /* AT_PHDR, AT_ENTRY (entry with bit 0 for Thumb) */
    uint32_t interp_base;       /* AT_BASE: the dynamic loader's load bias, or 0 */
    uint32_t start;             /* the first pc: the loader's entry, or the program's */
};
/* Maps p->img (at a base when it is PIE) and its PT_INTERP loader; sets brk. Returns 0,
   or -1 with a one-line reason in err. */
int rt_load_program(struct rt_process *p, struct rt_loaded *out, char *err, size_t errlen);

/* sysroot.c */
#define RT_DEFAULT_SYSROOT "/usr/arm-linux-gnueabihf"   /* Debian's cross root */
/* The file an absolute guest path names: the sysroot's copy (written into buf) when one
   exists, else path itself. */
const char *rt_path(const struct rt_process *p, const char *path, char *buf, size_t n);

/* aot.c */
/* The is_external hook of the JIT: (pc, thumb) is an AOT function entry. */
bool rt_aot_is_entry(void *ctx, uint32_t pc, bool thumb);
/* No AOT functions from now on: the process runs another program than the one it was
   translated from (exec.c). */
void rt_aot_disable(void);
/* Adds the JIT figures of `from` that the stats line shows to `to` (atomically). */
void rt_jit_stats_add(struct jit_stats *to, const struct jit_stats *from);
/* The XLATE_STATS=1 line on stderr, at exit. */
void rt_aot_print_stats(const struct rt_thread *rt);

#endif
