/*
 * Start-up: reserve guest memory, map the program (load.c), the stack and the kuser page,
 * build the initial stack, set the initial registers, then run the dispatcher. rt_run is
 * the whole flow, one stage per line.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "rt_internal.h"

static void *gp(uint32_t a) { return (void *)(uintptr_t)a; }

static int setup_stack(struct rt_thread *rt, const struct rt_loaded *ld, int argc, char **argv,
                       char **envp, uint32_t *sp, char *err, size_t errlen)
{
    uint32_t base = RT_STACK_TOP - RT_STACK_SIZE;
    /* Executable when the program asks (gcc's nested-function trampolines live there). */
    unsigned prot = RT_PROT_R | RT_PROT_W | (rt->proc->img->exec_stack ? RT_PROT_X : 0);
    int r = rt_mem_map_anon(&rt->proc->mem, base, RT_STACK_SIZE, prot);
    if (r) {
        snprintf(err, errlen, "cannot map the guest stack: %s", strerror(-r));
        return -1;
    }
    uint8_t rnd[16];
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
        memset(rnd, 0x5a, sizeof(rnd));
    const struct xl_image *img = rt->proc->img;
    struct rt_stack_args a = {
        .argc = argc, .argv = argv, .envp = envp,
        .execfn = argc > 0 ? argv[0] : img->path, .platform = "v7l", .random16 = rnd,
        .phdr = ld->phdr, .phent = img->phentsize ? img->phentsize : 32,
        .phnum = img->phnum, .entry = ld->entry, .base = ld->interp_base,
        .hwcap = RT_HWCAP_ARM, .hwcap2 = 0,
        .uid = getuid(), .euid = geteuid(), .gid = getgid(), .egid = getegid(),
    };
    if (rt_build_stack(gp(base), base, RT_STACK_TOP, &a, sp)) {
        snprintf(err, errlen, "arguments and environment do not fit in the guest stack");
        return -1;
    }
    return 0;
}

static int setup_kuser(struct rt_thread *rt, char *err, size_t errlen)
{
    int r = rt_mem_map_anon(&rt->proc->mem, RT_KUSER_PAGE, RT_PAGE, RT_PROT_R | RT_PROT_W);
    if (r) {
        snprintf(err, errlen, "cannot map the kuser helper page: %s", strerror(-r));
        return -1;
    }
    rt_kuser_fill(gp(RT_KUSER_PAGE));
    rt_mem_protect(&rt->proc->mem, RT_KUSER_PAGE, RT_PAGE, RT_PROT_R | RT_PROT_X);
    return 0;
}

/* A copy of the auxv that the initial stack at sp holds (after argc, argv and envp), up to
   and with AT_NULL: the guest may overwrite its stack, /proc/self/auxv stays. */
static void save_auxv(struct rt_thread *rt, uint32_t sp)
{
    const uint32_t *w = gp(sp);
    size_t i = 1 + w[0] + 1;        /* argc, argv[], NULL */
    while (w[i])
        i++;                        /* envp[] */
    const uint32_t *auxv = w + i + 1;
    size_t n = 0;
    while (auxv[n] != AT_NULL)
        n += 2;
    rt->proc->auxv_size = (n + 2) * 4;
    rt->proc->auxv = malloc(rt->proc->auxv_size);
    if (rt->proc->auxv)
        memcpy(rt->proc->auxv, auxv, rt->proc->auxv_size);
}

/* Initial registers as qemu-arm sets them (so --trace diffs cleanly): pc, sp, T from the
   entry's bit 0, r0 = 0 (glibc's rtld_fini), r1/r2 = stack[1]/stack[2], r10 = start of
   the first writable segment. The kernel zeroes r1, r2, r10; nothing depends on them. */
/* True when the file at path holds exactly the n bytes at want. */
static bool file_is(const char *path, const uint8_t *want, size_t n)
{
    FILE *f = fopen(path, "rbe");
    if (!f)
        return false;
    uint8_t buf[65536];
    size_t off = 0, k;
    bool same = true;
    while (same && (k = fread(buf, 1, sizeof buf, f)) > 0) {
        same = off + k <= n && memcmp(buf, want + off, k) == 0;
        off += k;
    }
    fclose(f);
    return same && off == n;
}

/* /proc/self/exe of the guest: its program's file. A translated program shows the ARM file
   it was made from while that file is unchanged, and itself otherwise. */
static char *exe_path(const struct xl_image *img, const struct rt_options *opt)
{
    if (opt && opt->guest_path && *opt->guest_path &&
        file_is(opt->guest_path, img->file, img->file_size))
        return strdup(opt->guest_path);
    return realpath(img->path, NULL);
}

static void setup_cpu(struct rt_thread *rt, const struct rt_loaded *ld, struct cpu *cpu,
                      uint32_t sp)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->r[13] = sp;
    cpu->r[15] = ld->start & ~1u;
    cpu->thumb = ld->start & 1;
    memcpy(&cpu->r[1], gp(sp + 4), 4);
    memcpy(&cpu->r[2], gp(sp + 8), 4);
    uint32_t start_data = ~0u;
    for (size_t i = 0; i < rt->proc->img->nsegs; i++)
        if ((rt->proc->img->segs[i].flags & PF_W) && rt->proc->img->segs[i].vaddr < start_data)
            start_data = rt->proc->img->segs[i].vaddr;
    cpu->r[10] = start_data == ~0u ? 0 : start_data + ld->bias;
    cpu->ZF = 1;                        /* Z clear */
    cpu->excl_addr = ~0u;
    cpu->rt = rt;
}

int rt_run(const struct xl_image *img, int argc, char **argv, char **envp,
           const struct rt_options *opt)
{
    static struct rt_process proc;
    static struct rt_thread rt;
    static struct cpu cpu __attribute__((aligned(64)));
    char err[256];
    uint32_t sp;
    memset(&proc, 0, sizeof(proc));
    memset(&rt, 0, sizeof(rt));
    proc.img = img;
    proc.opt = opt;
    pthread_mutex_init(&proc.mem_lock, NULL);
    pthread_mutex_init(&proc.act_lock, NULL);
    pthread_mutex_init(&proc.code_lock, NULL);
    pthread_mutex_init(&proc.codeprot_lock, NULL);
    pthread_mutex_init(&proc.ir_share.lock, NULL);
    proc.nthreads = 1;
    rt.proc = &proc;
    rt.cpu = &cpu;
    rt.main = true;
    rt.tid = (int)gettid();
    rt_mem_init(&proc.mem);
    proc.mem.mmap_top = RT_STACK_TOP - RT_STACK_SIZE - RT_STACK_GUARD;
    rt_aot_attach(&proc);
    if (opt && opt->profile && rt_profile_start(&proc, opt->profile) != 0)
        return 127;
    proc.sysroot = rt_sysroot_choose(opt ? opt->sysroot : NULL,
                                     opt ? opt->translated_sysroot : NULL, envp);
    struct rt_loaded ld;

    int r = rt_mem_reserve();
    if (r) {
        fprintf(stderr, "xlate: error: cannot reserve guest memory [0x%x, 4 GiB): %s\n",
                RT_GUEST_LO, strerror(-r));
        return 127;
    }
    if (rt_load_program(&proc, &ld, err, sizeof(err)) ||
        setup_stack(&rt, &ld, argc, argv, envp, &sp, err, sizeof(err)) ||
        setup_kuser(&rt, err, sizeof(err))) {
        fprintf(stderr, "xlate: error: %s\n", err);
        rt_mem_release();
        rt_mem_fini(&proc.mem);
        free(proc.sysroot);
        return 127;
    }
    proc.exe_path = exe_path(img, opt);
    proc.exe_is_self = opt && opt->guest_path;
    proc.argc = argc;
    proc.argv = argv;
    save_auxv(&rt, sp);
    setup_cpu(&rt, &ld, &cpu, sp);
    rt_signals_init(&rt);
    int status = rt_dispatch(&rt);
    free(proc.exe_path);
    free(proc.auxv);
    free(proc.sysroot);
    rt_mem_fini(&proc.mem);
    return status;
}
