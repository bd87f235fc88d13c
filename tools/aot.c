/*
 * `xlate IN -o OUT`: ahead-of-time translation (docs/aot.md). The pipeline is translate()
 * below, one stage per line: load, discover, µIR per block, group into functions, raise
 * (LLVM), embed the guest image, link with the runtime into a PIE executable.
 *
 * The runtime archives are found next to the xlate executable (the build tree), else in
 * ../lib/xlate from it (an installed tree). The system C compiler driver ($XLATE_CC, else
 * cc) assembles and links; the output needs only the C library at run time.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lifter/arm/arm.h"
#include "lifter/discover/discover.h"
#include "lifter/image/image.h"
#include "lifter/image/sha256.h"
#include "lifter/ir/ir.h"
#include "lifter/ir/xl_assert.h"
#include "lifter/llvm/raise.h"
#include "runtime/aot.h"
#include "tools/aot.h"
#include "tools/args.h"
#include "tools/cache.h"
#include "tools/profile.h"
#include "tools/progcache.h"

extern char **environ;

enum emit { EMIT_EXE, EMIT_IR, EMIT_LLVM, EMIT_ASM, EMIT_OBJ };

struct aot_args {
    const char *in, *out;
    int opt_level;
    unsigned jobs;
    const char *cpu;
    const char *sysroot;            /* -L DIR: the output's default sysroot, or NULL */
    enum emit emit;
    bool no_known;
    bool no_libs;                   /* --no-libs: leave the libraries to the JIT */
    bool strip;                     /* -s: no symbol table in the output either */
    const char *profile;            /* --profile FILE: raise only what ran there */
    const struct aot_library *lib;  /* a library for the cache (aot_translate_library) */
};

/* Everything one translation holds; freed by aot_fini whatever stage failed. */
struct aot {
    struct aot_args a;
    struct xl_image img;
    bool have_img;
    struct xl_program prog;
    bool have_prog;
    struct arm_frontend *fe;
    struct ir_block *ir;            /* one per discovered block, same order */
    size_t nir;
    struct raise_function *fns;
    struct raise_block *rblocks;    /* the storage fns[i].blocks point into */
    size_t nfns;
    bool *cold;                     /* per discovered function, with --profile: never ran */
    size_t ncold;
    char in_hash[65];               /* IN's SHA-256 (input_hash), "" until asked for */
    char tmp[PATH_MAX];             /* the mkdtemp directory, "" when none */
    char libdir[PATH_MAX + 32];     /* where the runtime archives are */
    char err[512];
};

/* The runtime a translated program links with, in link order (docs/aot.md). */
static const char *const runtime_archives[] = {
    "libxl_aot_main.a", "libxl_runtime.a", "libxl_jit.a", "libxl_arm.a", "libxl_decode.a",
    "libxl_image.a", "libxl_ir.a", "libxl_helpers.a",
};
/* Linked whole, before capstone: runtime/capstone_trim. */
#define CAPSTONE_TRIM "libxl_capstone_trim.a"
/* Static where the library is not part of every Linux system. */
static const char *const system_libs[] = {
    "-l:libcapstone.a", "-l:libelf.a", "-l:libz.a", "-lm",
};

static int fail(struct aot *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records the one-line reason; the caller returns -1 up to aot_translate_main. */
static int fail(struct aot *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->err, sizeof t->err, fmt, ap);
    va_end(ap);
    return -1;
}


/* ---- arguments ---- */

static bool parse_emit(const char *s, enum emit *e)
{
    static const struct { const char *name; enum emit e; } kinds[] = {
        { "exe", EMIT_EXE }, { "ir", EMIT_IR }, { "llvm", EMIT_LLVM }, { "asm", EMIT_ASM },
        { "obj", EMIT_OBJ },
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(s, kinds[i].name) == 0) {
            *e = kinds[i].e;
            return true;
        }
    return false;
}

static int parse_args(int argc, char **argv, struct aot_args *a)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *a = (struct aot_args){ .opt_level = 2, .jobs = cores > 0 ? (unsigned)cores : 1,
                            .emit = EMIT_EXE };
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *val = NULL;
        if (s[0] != '-' || s[1] == '\0' || strcmp(s, "--") == 0) {
            if (strcmp(s, "--") == 0 && ++i == argc)
                break;
            if (a->in)
                return tool_usage_error(NULL, "one input program only ('%s' is extra)", argv[i]);
            a->in = argv[i];
        } else if (value_opt(argv, argc, &i, "--output", "-o", &val)) {
            if (!val || !*val)
                return tool_usage_error(NULL, "-o needs an output file");
            a->out = val;
        } else if (value_opt(argv, argc, &i, "--emit", NULL, &val)) {
            if (!val || !parse_emit(val, &a->emit))
                return tool_usage_error(NULL, "--emit takes exe, obj, asm, llvm or ir, not '%s'",
                                        val ? val : "");
        } else if (value_opt(argv, argc, &i, "--jobs", "-j", &val)) {
            char *end;
            long n = val ? strtol(val, &end, 10) : 0;
            if (!val || *end || n < 1 || n > 1024)
                return tool_usage_error(NULL, "-j needs a number of jobs (1 to 1024), not '%s'",
                                        val ? val : "");
            a->jobs = (unsigned)n;
        } else if (value_opt(argv, argc, &i, "--cpu", NULL, &val)) {
            if (!val || !*val)
                return tool_usage_error(NULL,
                                        "--cpu needs a host CPU name (e.g. x86-64-v2, native)");
            a->cpu = val;
        } else if (value_opt(argv, argc, &i, "--sysroot", "-L", &val)) {
            if (!val)
                return tool_usage_error(NULL, "%s needs a directory", s);
            a->sysroot = val;
        } else if (value_opt(argv, argc, &i, "--profile", NULL, &val)) {
            if (!val || !*val)
                return tool_usage_error(NULL, "--profile needs a file (xlate run --profile)");
            a->profile = val;
        } else if (strcmp(s, "--no-libs") == 0) {
            a->no_libs = true;
        } else if (strcmp(s, "--no-known-routines") == 0) {
            a->no_known = true;
        } else if (strcmp(s, "-s") == 0 || strcmp(s, "--strip") == 0) {
            a->strip = true;
        } else if (s[1] == 'O' && s[2] >= '0' && s[2] <= '3' && s[3] == '\0') {
            a->opt_level = s[2] - '0';
        } else {
            return tool_usage_error(NULL, "unknown option '%s'", s);
        }
    }
    if (!a->in)
        return tool_usage_error(NULL, "missing the input program (xlate IN -o OUT)");
    if (!a->out)
        return tool_usage_error(NULL, "missing the output file (xlate %s -o OUT)", a->in);
    struct stat st;
    if (a->sysroot && *a->sysroot && (stat(a->sysroot, &st) != 0 || !S_ISDIR(st.st_mode))) {
        tool_error("sysroot %s: not a directory", a->sysroot);
        return 1;
    }
    return 0;
}

static struct cache_opts aot_cache_opts(const struct aot_args *a)
{
    return (struct cache_opts){ .opt_level = a->opt_level, .cpu = a->cpu,
                                .no_known = a->no_known };
}

/* ---- helpers: files, processes ---- */

/* Guest code for the frontend: file bytes of executable segments, as the runtime maps them. */
static const uint8_t *image_fetch(void *ctx, uint32_t addr, uint32_t *avail)
{
    const struct xl_image *img = ctx;
    for (size_t i = 0; i < img->nsegs; i++) {
        const struct xl_segment *s = &img->segs[i];
        if ((s->flags & 1 /* PF_X */) && addr >= s->vaddr && addr - s->vaddr < s->filesz)
            return xl_image_ptr(img, addr, avail);
    }
    *avail = 0;
    return NULL;
}

/* Copies file `from` to `to` ("-": stdout). */
static int copy_file(struct aot *t, const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return fail(t, "cannot read %s: %s", from, strerror(errno));
    bool std = strcmp(to, "-") == 0;
    int out = std ? STDOUT_FILENO : open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return fail(t, "cannot write %s: %s", to, strerror(errno));
    }
    bool ok = tool_copy_fd(in, out) == 0;
    int e = errno;
    close(in);
    if (!std && close(out) != 0)
        ok = false;
    return ok ? 0 : fail(t, "cannot write %s: %s", to, strerror(e));
}

/* Runs argv (searched in PATH) with stdout and stderr into log; 0 when it exits 0. On a
   failure the reason is `what` and the first line of the log. */
static int run_tool(struct aot *t, char *const argv[], const char *what)
{
    char log[PATH_MAX + 16];
    snprintf(log, sizeof log, "%s/tool.log", t->tmp);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return fail(t, "%s: cannot run %s: %s", what, argv[0], strerror(rc));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return fail(t, "%s: %s", what, strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    char line[256] = "";
    FILE *f = fopen(log, "r");
    if (f) {
        /* The first line that says something ("error" if any). */
        char l[256];
        while (fgets(l, sizeof l, f)) {
            l[strcspn(l, "\n")] = '\0';
            if (!line[0] || (strstr(l, "error") && !strstr(line, "error")))
                snprintf(line, sizeof line, "%s", l);
        }
        fclose(f);
    }
    if (WIFSIGNALED(status))
        return fail(t, "%s: %s died of signal %d", what, argv[0], WTERMSIG(status));
    return fail(t, "%s: %s failed%s%s", what, argv[0], line[0] ? ": " : "", line);
}

static const char *cc_driver(void)
{
    const char *cc = getenv("XLATE_CC");
    return cc && *cc ? cc : "cc";
}

/* ---- stages ---- */

static int load(struct aot *t)
{
    char err[256];
    int r = t->a.lib ? xl_image_load_library(t->a.in, &t->img, err, sizeof err)
                     : xl_image_load(t->a.in, &t->img, err, sizeof err);
    if (r != 0)
        return fail(t, "%s: %s", t->a.in, err);
    t->have_img = true;
    /* A PIE is translated for the one base the runtime loads it at, a library for the
       base its cache entry gives it (docs/dynamic.md). */
    if (t->a.lib)
        xl_image_rebase(&t->img, t->a.lib->base - (t->img.segs[0].vaddr & ~0xfffu));
    else
        xl_image_rebase(&t->img, xl_image_program_bias(&t->img));
    return 0;
}

static int discover(struct aot *t)
{
    char err[256];
    if (xl_discover(&t->img, &t->prog, err, sizeof err) != 0)
        return fail(t, "%s: code discovery failed: %s", t->a.in, err);
    t->have_prog = true;
    if (t->prog.nfuncs == 0)
        return fail(t, "%s: no code found", t->a.in);
    return 0;
}

/* The optimized µIR of every discovered block, bounded by what discovery found. */
static int lift_blocks(struct aot *t)
{
    t->fe = arm_frontend_new();
    t->ir = calloc(t->prog.nblocks ? t->prog.nblocks : 1, sizeof *t->ir);
    if (!t->fe || !t->ir)
        return fail(t, "out of memory");
    struct arm_code src = { image_fetch, &t->img };
    for (size_t i = 0; i < t->prog.nblocks; i++) {
        const struct xl_dblock *d = &t->prog.blocks[i];
        arm_translate_range(t->fe, &src, d->addr, d->thumb, d->end, &t->ir[i]);
        ir_optimize(&t->ir[i]);
        t->nir = i + 1;
    }
    return 0;
}

/* --emit=ir: every block's µIR, in address order. */
static int print_ir(struct aot *t)
{
    bool std = strcmp(t->a.out, "-") == 0;
    FILE *f = std ? stdout : fopen(t->a.out, "w");
    if (!f)
        return fail(t, "cannot write %s: %s", t->a.out, strerror(errno));
    for (size_t i = 0; i < t->nir; i++) {
        const struct xl_dblock *d = &t->prog.blocks[i];
        const struct xl_symbol *s = xl_image_symbol_at(&t->img, d->addr);
        fprintf(f, "%sblock 0x%08" PRIx32 " %s, ends at 0x%08" PRIx32 ", function 0x%08"
                PRIx32, i ? "\n" : "", d->addr, d->thumb ? "thumb" : "arm", d->end,
                t->prog.funcs[d->func].entry & ~1u);
        if (s)
            fprintf(f, "  <%s+0x%" PRIx32 ">", s->name, d->addr - s->addr);
        fputc('\n', f);
        ir_print_block(f, &t->ir[i]);
    }
    bool ok = !ferror(f);
    if (std ? fflush(f) != 0 : fclose(f) != 0)
        ok = false;
    return ok ? 0 : fail(t, "cannot write %s", t->a.out);
}

/* IN's SHA-256 in hex, read once (the profile and the cache of programs both name IN by
   it); NULL when IN cannot be read. */
static const char *input_hash(struct aot *t)
{
    if (!t->in_hash[0] && xl_sha256_file(t->a.in, t->in_hash) != 0)
        t->in_hash[0] = '\0';
    return t->in_hash[0] ? t->in_hash : NULL;
}

/*
 * --profile: the functions none of whose blocks ran in the profiled run are cold; they are
 * not raised, and the JIT runs them if they ever do run (docs/aot.md, "Profiles").
 */
static int mark_cold(struct aot *t)
{
    if (!t->a.profile)
        return 0;
    struct profile pr;
    char err[512];
    const char *hash = input_hash(t);
    if (!hash)
        return fail(t, "%s: cannot read it", t->a.in);
    if (profile_read(t->a.profile, t->a.in, hash, &t->img, &pr, err, sizeof err) != 0)
        return fail(t, "%s", err);
    t->cold = calloc(t->prog.nfuncs ? t->prog.nfuncs : 1, sizeof *t->cold);
    if (!t->cold) {
        profile_free(&pr);
        return fail(t, "out of memory");
    }
    for (size_t i = 0; i < t->prog.nfuncs; i++) {
        const struct xl_function *f = &t->prog.funcs[i];
        uint64_t ran = 0;
        for (uint32_t k = 0; k < f->nblocks && !ran; k++) {
            const struct xl_dblock *d = &t->prog.blocks[f->blocks[k]];
            ran = profile_count_in(&pr, d->addr, d->end, d->thumb);
        }
        t->cold[i] = !ran;
        t->ncold += !ran;
    }
    profile_free(&pr);
    if (t->ncold == t->prog.nfuncs)
        return fail(t, "profile %s: none of %s's functions ran", t->a.profile, t->a.in);
    return 0;
}

/* One raise_function per discovered function that is not cold, blocks in discovery's
   order (entry first). */
static int group_functions(struct aot *t)
{
    size_t total = 0;
    for (size_t i = 0; i < t->prog.nfuncs; i++)
        total += t->prog.funcs[i].nblocks;
    t->fns = calloc(t->prog.nfuncs, sizeof *t->fns);
    t->rblocks = calloc(total ? total : 1, sizeof *t->rblocks);
    if (!t->fns || !t->rblocks)
        return fail(t, "out of memory");
    struct raise_block *rb = t->rblocks;
    for (size_t i = 0; i < t->prog.nfuncs; i++) {
        const struct xl_function *f = &t->prog.funcs[i];
        if (t->cold && t->cold[i])
            continue;
        t->fns[t->nfns++] = (struct raise_function){ .entry = f->entry, .name = f->name,
                                                     .blocks = rb, .nblocks = f->nblocks };
        for (uint32_t k = 0; k < f->nblocks; k++)
            *rb++ = (struct raise_block){ .d = &t->prog.blocks[f->blocks[k]],
                                          .ir = &t->ir[f->blocks[k]] };
    }
    return 0;
}

static int make_tmpdir(struct aot *t)
{
    const char *base = getenv("TMPDIR");
    int n = snprintf(t->tmp, sizeof t->tmp, "%s/xlate.XXXXXX", base && *base ? base : "/tmp");
    if (n <= 0 || (size_t)n >= sizeof t->tmp || !mkdtemp(t->tmp)) {
        int e = errno;
        t->tmp[0] = '\0';
        return fail(t, "cannot create a temporary directory: %s", strerror(e));
    }
    return 0;
}

int aot_own_dir(const char *name, char *dir, size_t dirlen)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    dir[0] = '\0';
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    static const char *const rel[] = { "", "/../lib/xlate" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char p[PATH_MAX + 64];
        int n1 = snprintf(dir, dirlen, "%.*s%s", PATH_MAX - 32, exe, rel[i]);
        int n2 = snprintf(p, sizeof p, "%s/%s", dir, name);
        if (n1 > 0 && n2 > 0 && access(p, R_OK) == 0)
            return 0;
    }
    snprintf(dir, dirlen, "%.*s", PATH_MAX - 32, exe);
    return -1;
}

/* aot_own_dir, or a one-line error that says where it looked. */
static int find_own_file(struct aot *t, const char *name, const char *what, char *dir,
                         size_t dirlen)
{
    if (aot_own_dir(name, dir, dirlen) == 0)
        return 0;
    if (!dir[0])
        return fail(t, "cannot find the xlate executable: %s", strerror(errno));
    return fail(t, "cannot find %s (%s) in %s or %s/../lib/xlate", what, name, dir, dir);
}

int aot_raiser_path(char *path, size_t n)
{
    char dir[PATH_MAX + 32];
    if (aot_own_dir(AOT_RAISER, dir, sizeof dir) != 0)
        return -1;
    snprintf(path, n, "%s/%s", dir, AOT_RAISER);
    return 0;
}

/* The runtime archives. */
static int find_runtime(struct aot *t)
{
    return find_own_file(t, runtime_archives[0], "the xlate runtime", t->libdir,
                         sizeof t->libdir);
}

/* The LLVM raiser, a module loaded only here (lifter/llvm/module/entry.c says why). */
static raise_program_fn *load_raiser(struct aot *t)
{
    static raise_program_fn *raiser;
    if (raiser)
        return raiser;
    char dir[PATH_MAX + 32], p[PATH_MAX + 64];
    if (find_own_file(t, AOT_RAISER, "the LLVM translator", dir, sizeof dir) != 0)
        return NULL;
    snprintf(p, sizeof p, "%s/%s", dir, AOT_RAISER);
    void *h = dlopen(p, RTLD_NOW | RTLD_LOCAL);
    raise_program_fn *const *fn = h ? dlsym(h, "xlate_llvm_raise_program") : NULL;
    if (!fn) {
        fail(t, "cannot load the LLVM translator: %s", dlerror());
        return NULL;
    }
    return raiser = *fn;
}

static enum raise_emit raise_kind(enum emit e)
{
    return e == EMIT_LLVM ? RAISE_EMIT_LLVM : e == EMIT_ASM ? RAISE_EMIT_ASM : RAISE_EMIT_OBJ;
}

/* µIR functions → LLVM → t->tmp/code.{o,ll,s} (objects: code.o or code.o.N.o). */
static int raise_all(struct aot *t, char ***objs, unsigned *nobjs)
{
    static const char *const ext[] = { "o", "s", "ll" };
    enum raise_emit kind = raise_kind(t->a.emit);
    bool is_obj = kind == RAISE_EMIT_OBJ;
    struct raise_options o = {
        .opt_level = t->a.opt_level, .cpu = t->a.cpu, .no_known = t->a.no_known,
        /* a static executable: nothing outside it calls its functions */
        .closed = !t->img.interp && !t->img.shared && !t->a.lib,
        .jobs = is_obj ? t->a.jobs : 1,
        .progress = isatty(STDERR_FILENO),
    };
    char path[PATH_MAX + 16], err[256] = "";
    snprintf(path, sizeof path, "%s/code.%s", t->tmp, ext[kind]);
    unsigned nfiles = 1;
    raise_program_fn *raiser = load_raiser(t);
    if (!raiser)
        return -1;
    if (raiser(t->fns, t->nfns, &o, kind, path, &nfiles, err, sizeof err) != 0)
        return fail(t, "%s: %s", t->a.in, err[0] ? err : "LLVM translation failed");
    /* One file is path itself; several are path.0.o, path.1.o, ... (lifter/llvm/raise.h). */
    bool single = nfiles <= 1 && access(path, R_OK) == 0;
    unsigned n = single ? 1 : nfiles;
    *objs = calloc(n + 1, sizeof **objs);
    if (!*objs)
        return fail(t, "out of memory");
    for (unsigned i = 0; i < n; i++) {
        char p[PATH_MAX + 32];
        if (single)
            snprintf(p, sizeof p, "%s", path);
        else
            snprintf(p, sizeof p, "%s.%u.o", path, i);
        (*objs)[i] = strdup(p);
        *nobjs = i + 1;
        if (!(*objs)[i])
            return fail(t, "out of memory");
        if (access(p, R_OK) != 0)
            return fail(t, "internal: the LLVM translation did not write %s", p);
    }
    return 0;
}

static void gas_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f)
            fprintf(f, "\\%03o", *c);
        else if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

/* The rows of struct xl_aot_blocks (runtime/aot.h), one per function in raise order. */
static void write_blocks_rows(const struct aot *t, FILE *f)
{
    for (size_t i = 0; i < t->nfns; i++) {
        uint32_t insns = 0;
        for (uint32_t k = 0; k < t->fns[i].nblocks; k++)
            insns += t->fns[i].blocks[k].ir ? t->fns[i].blocks[k].ir->n_insns : 0;
        fprintf(f, "\t.long 0x%08" PRIx32 ", %" PRIu32 ", %" PRIu32 "\n", t->fns[i].entry,
                t->fns[i].nblocks, insns);
    }
}

/* guest.s: the input program's bytes (xl_guest_image, xl_guest_image_size, for
   runtime/main/aot_main.c), its absolute path (xl_guest_path: /proc/self/exe names it
   while it holds the same program), the sysroot of -L (xl_guest_sysroot, absolute; "" for
   none given) and the block count of each function (XLATE_STATS). */
static int write_guest_asm(struct aot *t, char *obj, size_t objlen)
{
    char bin[PATH_MAX + 16], src[PATH_MAX + 16];
    snprintf(bin, sizeof bin, "%s/guest.bin", t->tmp);
    snprintf(src, sizeof src, "%s/guest.s", t->tmp);
    snprintf(obj, objlen, "%s/guest.o", t->tmp);
    int fd = open(bin, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0 && tool_write_all(fd, t->img.file, t->img.file_size);
    if (fd < 0 || close(fd) != 0 || !ok)
        return fail(t, "cannot write %s: %s", bin, strerror(errno));
    FILE *f = fopen(src, "w");
    if (!f)
        return fail(t, "cannot write %s: %s", src, strerror(errno));
    fprintf(f, "\t.section .rodata.xl_guest,\"a\"\n\t.balign 16\n"
               "\t.globl xl_guest_image\nxl_guest_image:\n\t.incbin ");
    gas_string(f, bin);
    fprintf(f, "\nxl_guest_image_end:\n\t.balign 8\n"
               "\t.globl xl_guest_image_size\nxl_guest_image_size:\n"
               "\t.quad xl_guest_image_end - xl_guest_image\n"
               "\t.globl xl_guest_path\nxl_guest_path:\n\t.asciz ");
    char *in = realpath(t->a.in, NULL);
    gas_string(f, in ? in : "");
    free(in);
    /* -L "" stays "" (no sysroot at all); a directory becomes its absolute path. */
    char *root = t->a.sysroot && *t->a.sysroot ? realpath(t->a.sysroot, NULL) : NULL;
    fprintf(f, "\n\t.globl xl_guest_sysroot\nxl_guest_sysroot:\n\t.asciz ");
    gas_string(f, root ? root : t->a.sysroot ? "/" : "");
    free(root);
    /* Which cache entries of translated libraries this program may use (runtime/libcache.c):
       those of this xlate and these options, in this cache directory by default. */
    char key[CACHE_KEY_LEN + 1], dir[PATH_MAX];
    struct cache_opts co = aot_cache_opts(&t->a);
    bool cached = !t->a.no_libs && t->img.interp && cache_options_key(&co, key) == 0 &&
                  cache_dir(dir, sizeof dir) == 0;
    fprintf(f, "\n\t.globl xl_guest_cache_key\nxl_guest_cache_key:\n\t.asciz ");
    gas_string(f, cached ? key : "");
    fprintf(f, "\n\t.globl xl_guest_cache_dir\nxl_guest_cache_dir:\n\t.asciz ");
    gas_string(f, cached ? dir : "");
    fprintf(f, "\n"
               "\t.balign 4\n\t.globl xl_aot_blocks_count\nxl_aot_blocks_count:\n"
               "\t.long %zu\n\t.globl xl_aot_blocks\nxl_aot_blocks:\n", t->nfns);
    write_blocks_rows(t, f);
    fprintf(f, "\t.section .note.GNU-stack,\"\",@progbits\n");
    ok = !ferror(f);
    if (fclose(f) != 0 || !ok)
        return fail(t, "cannot write %s", src);
    char *argv[] = { (char *)cc_driver(), "-c", "-o", obj, src, NULL };
    return run_tool(t, argv, "assembling the guest image");
}

/* module.s of a library for the cache: xl_module_info (runtime/aot.h), the one symbol the
   shared object exports, and the block count of each function. */
static int write_module_asm(struct aot *t, char *obj, size_t objlen)
{
    const struct aot_library *lib = t->a.lib;
    char src[PATH_MAX + 16];
    snprintf(src, sizeof src, "%s/module.s", t->tmp);
    snprintf(obj, objlen, "%s/module.o", t->tmp);
    FILE *f = fopen(src, "w");
    if (!f)
        return fail(t, "cannot write %s: %s", src, strerror(errno));
    uint64_t lo, hi;
    xl_image_span(&t->img, &lo, &hi);
    /* The layout of struct xl_module_info, field by field. */
    fprintf(f, "\t.section .data.rel.ro,\"aw\"\n\t.balign 8\n"
               "\t.globl xl_module_info\n\t.type xl_module_info, @object\nxl_module_info:\n"
               "\t.long 0x%08x, %u, 0x%08" PRIx64 ", 0x%08" PRIx64 "\n"
               "\t.quad xl_aot_table, xl_aot_count, xl_module_blocks, xl_aot_entered\n"
               "\t.long %zu, 0\n", XL_MODULE_MAGIC, XL_MODULE_FORMAT, lo, hi - lo, t->nfns);
    const char *text[2] = { lib->key, lib->content };
    size_t room[2] = { XL_MODULE_KEY_LEN, XL_MODULE_CONTENT_LEN };
    for (int k = 0; k < 2; k++) {
        size_t n = strnlen(text[k], room[k] - 1);
        fprintf(f, "\t.ascii \"%.*s\"\n\t.zero %zu\n", (int)n, text[k], room[k] - n);
    }
    fprintf(f, "\t.size xl_module_info, %zu\n\t.balign 4\nxl_module_blocks:\n",
            sizeof(struct xl_module_info));
    write_blocks_rows(t, f);
    fprintf(f, "\t.section .note.GNU-stack,\"\",@progbits\n");
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok)
        return fail(t, "cannot write %s", src);
    char *argv[] = { (char *)cc_driver(), "-c", "-o", obj, src, NULL };
    return run_tool(t, argv, "assembling the module information");
}

/* cc -shared: the code objects and module.o; everything but xl_module_info local (a version
   script), so that nothing in it binds to the program's own symbols of the same names; the
   runtime entries the code calls (xl_aot_*, xl_fp_exc) come from the program. */
static int link_library(struct aot *t, char **objs, unsigned nobjs, const char *module_obj)
{
    char vs[PATH_MAX + 16], vsopt[PATH_MAX + 64];
    snprintf(vs, sizeof vs, "%s/exports.map", t->tmp);
    FILE *f = fopen(vs, "w");
    if (!f || fputs("{ global: xl_module_info; local: *; };\n", f) < 0 || fclose(f) != 0)
        return fail(t, "cannot write %s", vs);
    snprintf(vsopt, sizeof vsopt, "-Wl,--version-script=%s", vs);
    char *argv[17 + nobjs];
    size_t n = 0;
    argv[n++] = (char *)cc_driver();
    argv[n++] = "-shared";
    argv[n++] = "-nostartfiles";
    argv[n++] = "-Wl,-z,noexecstack";
    argv[n++] = "-Wl,-z,pack-relative-relocs";
    argv[n++] = vsopt;
    argv[n++] = "-o";
    argv[n++] = (char *)t->a.out;
    for (unsigned i = 0; i < nobjs; i++)
        argv[n++] = objs[i];
    argv[n++] = (char *)module_obj;
    argv[n++] = "-lm";
    argv[n] = NULL;
    return run_tool(t, argv, "linking the library");
}

/* cc -pie -o OUT code objects, guest.o, the runtime archives, the static system libs. */
static int link_exe(struct aot *t, char **objs, unsigned nobjs, const char *guest_obj)
{
    enum { NRT = sizeof runtime_archives / sizeof runtime_archives[0],
           NSYS = sizeof system_libs / sizeof system_libs[0],
           NFIXED = 18 };   /* the other arguments below, sanitizer options and NULL included */
    char *argv[NFIXED + NRT + NSYS + nobjs];
    char rt[NRT][PATH_MAX + 64], trim[PATH_MAX + 64];
    snprintf(trim, sizeof trim, "%s/%s", t->libdir, CAPSTONE_TRIM);
    size_t n = 0;
    argv[n++] = (char *)cc_driver();
    argv[n++] = "-pie";
    argv[n++] = "-Wl,-z,noexecstack";
    /* The relative relocations (capstone's tables, the AOT table, the code pointers of
       the raised code) as DT_RELR bitmaps: 24 bytes each in .rela.dyn before. */
    argv[n++] = "-Wl,-z,pack-relative-relocs";
    argv[n++] = "-Wl,--export-dynamic-symbol=xl_*";   /* for translated libraries */
    /* The runtime archives' debug information is the build's, not the program's: out
       (1.4 MB of busybox's output); -s drops the symbol table too, as cc -s does. */
    argv[n++] = t->a.strip ? "-s" : "-Wl,--strip-debug";
#ifdef XLATE_SANITIZE_FLAG
    argv[n++] = XLATE_SANITIZE_FLAG;    /* the runtime archives were built with it */
#endif
#ifdef XLATE_SANITIZE_STATIC
    argv[n++] = "-static-libubsan";
    argv[n++] = "-static-libgcc";
#endif
    argv[n++] = "-o";
    argv[n++] = (char *)t->a.out;
    for (unsigned i = 0; i < nobjs; i++)
        argv[n++] = objs[i];
    argv[n++] = (char *)guest_obj;
    argv[n++] = "-Wl,--whole-archive";
    argv[n++] = trim;
    argv[n++] = "-Wl,--no-whole-archive";
    argv[n++] = "-Wl,--start-group";
    for (size_t i = 0; i < NRT; i++) {
        snprintf(rt[i], sizeof rt[i], "%s/%s", t->libdir, runtime_archives[i]);
        argv[n++] = rt[i];
    }
    argv[n++] = "-Wl,--end-group";
    for (size_t i = 0; i < NSYS; i++)
        argv[n++] = (char *)system_libs[i];
    xl_assert(n < sizeof argv / sizeof argv[0]);
    argv[n] = NULL;
    return run_tool(t, argv, "linking");
}

/* --emit=obj: the object(s) into one relocatable OUT. */
static int merge_objs(struct aot *t, char **objs, unsigned nobjs)
{
    if (nobjs == 1)
        return copy_file(t, objs[0], t->a.out);
    char *argv[8 + nobjs];
    size_t n = 0;
    argv[n++] = (char *)cc_driver();
    argv[n++] = "-r";
    argv[n++] = "-nostdlib";
    argv[n++] = "-o";
    argv[n++] = (char *)t->a.out;
    for (unsigned i = 0; i < nobjs; i++)
        argv[n++] = objs[i];
    argv[n] = NULL;
    return run_tool(t, argv, "merging the objects");
}

/* The output of raise_all to where -o says. */
static int emit_output(struct aot *t, char **objs, unsigned nobjs)
{
    if (t->a.emit == EMIT_OBJ)
        return merge_objs(t, objs, nobjs);
    if (t->a.emit != EMIT_EXE)
        return copy_file(t, objs[0], t->a.out);
    char guest_obj[PATH_MAX + 16];
    if (t->a.lib)
        return write_module_asm(t, guest_obj, sizeof guest_obj) ||
               link_library(t, objs, nobjs, guest_obj);
    if (write_guest_asm(t, guest_obj, sizeof guest_obj) != 0)
        return -1;
    return link_exe(t, objs, nobjs, guest_obj);
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[PATH_MAX + 256];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void aot_fini(struct aot *t)
{
    if (t->tmp[0] && !getenv("XLATE_KEEP_TEMPS"))
        remove_tree(t->tmp);
    for (size_t i = 0; i < t->nir; i++)
        ir_block_free(&t->ir[i]);
    free(t->ir);
    free(t->fns);
    free(t->rblocks);
    free(t->cold);
    if (t->fe)
        arm_frontend_free(t->fe);
    if (t->have_prog)
        xl_program_free(&t->prog);
    if (t->have_img)
        xl_image_free(&t->img);
}

/*
 * The key of this translation's output in the cache of programs (tools/progcache.h): the
 * input's content, the options key of the library cache (this xlate, its raiser, -O,
 * --cpu, known routines), what else goes into OUT (-s, -L, --profile's counts, $XLATE_CC)
 * and each runtime archive it links, by size, time and inode (a rebuilt runtime is another
 * output). -1 when some part cannot be read: then nothing is cached.
 */
static int program_key(struct aot *t, char key[PROGCACHE_KEY_LEN + 1])
{
    char opts[CACHE_KEY_LEN + 1], prof[65] = "-";
    struct cache_opts co = aot_cache_opts(&t->a);
    const char *in = input_hash(t);
    if (cache_options_key(&co, opts) != 0 || !in ||
        (t->a.profile && xl_sha256_file(t->a.profile, prof) != 0))
        return -1;
    char *root = t->a.sysroot && *t->a.sysroot ? realpath(t->a.sysroot, NULL) : NULL;
    const char *cc = getenv("XLATE_CC");
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "xlate-program 1\nopts %s\nin %s\nstrip %d\nsysroot %s\n"
                                "profile %s\ncc %s\n", opts, in, t->a.strip,
                                root ? root : t->a.sysroot ? "(none)" : "", prof, cc ? cc : "");
    free(root);
    for (size_t i = 0; i <= sizeof runtime_archives / sizeof *runtime_archives; i++) {
        const char *a = i < sizeof runtime_archives / sizeof *runtime_archives
                            ? runtime_archives[i] : CAPSTONE_TRIM;
        char path[PATH_MAX + 64];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", t->libdir, a);
        if (stat(path, &st) != 0 || n >= sizeof text)
            return -1;
        n += (size_t)snprintf(text + n, sizeof text - n, "%s %lld %lld.%09ld %llu\n", a,
                              (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                              st.st_mtim.tv_nsec, (unsigned long long)st.st_ino);
    }
    if (n >= sizeof text)
        return -1;
    progcache_key(text, n, key);
    return 0;
}

/* What the translation made, on a terminal or when XLATE_STATS asks: how much code at
   which level, how long it took, and what the output costs per guest insn. */
static void summary(const struct aot *t, double secs, bool cached)
{
    const char *env = getenv("XLATE_STATS");
    if (!isatty(STDERR_FILENO) && (!env || !*env || *env == '0'))
        return;
    struct stat in, out;
    if (cached) {
        if (stat(t->a.in, &in) == 0 && stat(t->a.out, &out) == 0 && in.st_size)
            fprintf(stderr, "xlate: %s: translated before (the cache of programs), in %.1f s; "
                    "%.1f MB, %.1fx the input\n", t->a.out, secs, (double)out.st_size / 1e6,
                    (double)out.st_size / (double)in.st_size);
        return;
    }
    uint64_t insns = 0;
    if (!t->cold) {                         /* every discovered block */
        for (size_t i = 0; i < t->nir; i++)
            insns += t->ir[i].n_insns;
    } else {                                /* the raised functions' (a block of two twice) */
        for (size_t i = 0; i < t->nfns; i++)
            for (uint32_t k = 0; k < t->fns[i].nblocks; k++)
                insns += t->fns[i].blocks[k].ir->n_insns;
    }
    if (stat(t->a.in, &in) != 0 || stat(t->a.out, &out) != 0 || !insns || !in.st_size)
        return;
    char cold[128] = "";
    if (t->cold)
        snprintf(cold, sizeof cold, " (%zu more did not run in the profile: left to the JIT)",
                 t->ncold);
    fprintf(stderr, "xlate: %s: %zu functions, %" PRIu64 " guest insns at -O%d%s in %.1f s; "
            "%.1f MB, %.1fx the input, %.0f bytes per guest insn\n", t->a.out, t->nfns, insns,
            t->a.opt_level, cold, secs, (double)out.st_size / 1e6,
            (double)out.st_size / (double)in.st_size, (double)out.st_size / (double)insns);
}

/* The whole translation, one stage per line (style rule 12). */
static int translate(struct aot *t)
{
    char **objs = NULL;
    unsigned nobjs = 0;
    int rc = -1;
    double t0 = tool_now_s();
    if (t->a.emit == EMIT_EXE && !t->a.lib && find_runtime(t) != 0)
        return -1;
    char pkey[PROGCACHE_KEY_LEN + 1] = "";
    bool cacheable = t->a.emit == EMIT_EXE && !t->a.lib && program_key(t, pkey) == 0;
    if (cacheable && progcache_get(pkey, t->a.out) == 0) {
        /* Translated before: the libraries it needs are still checked (a library that
           changed since is translated again). */
        if (load(t) != 0)
            goto out;
        summary(t, tool_now_s() - t0, true);
        rc = 0;
        goto libs;
    }
    if (load(t) || discover(t) || lift_blocks(t))
        goto out;
    if (t->a.emit == EMIT_IR) {
        rc = print_ir(t);
        goto out;
    }
    if (mark_cold(t) || group_functions(t) || make_tmpdir(t) || raise_all(t, &objs, &nobjs) ||
        emit_output(t, objs, nobjs))
        goto out;
    rc = 0;
    if (cacheable)
        progcache_put(pkey, t->a.out, t->a.in);
    if (t->a.emit == EMIT_EXE && !t->a.lib)
        summary(t, tool_now_s() - t0, false);
libs:
    /* The libraries of a dynamically linked program, each translated once into the cache. */
    if (t->a.emit == EMIT_EXE && !t->a.lib && t->img.interp && !t->a.no_libs) {
        struct cache_opts co = aot_cache_opts(&t->a);
        char err[512];
        if (cache_prepare(&t->img, t->a.sysroot, &co, t->a.jobs, err, sizeof err) != 0)
            rc = fail(t, "%s", err);
    }
out:
    for (unsigned i = 0; i < nobjs; i++)
        free(objs[i]);
    free(objs);
    return rc;
}

int aot_translate_library(const char *in, const char *out, const struct aot_library *lib,
                          const struct cache_opts *o, unsigned jobs, char *err, size_t errlen)
{
    struct aot *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    t->a = (struct aot_args){ .in = in, .out = out, .opt_level = o->opt_level, .jobs = jobs,
                              .cpu = o->cpu, .no_known = o->no_known, .emit = EMIT_EXE,
                              .lib = lib };
    int rc = translate(t);
    if (rc != 0)
        snprintf(err, errlen, "%s", t->err);
    aot_fini(t);
    free(t);
    return rc;
}

int aot_translate_main(int argc, char **argv)
{
    struct aot *t = calloc(1, sizeof *t);
    if (!t) {
        fputs("xlate: error: out of memory\n", stderr);
        return 1;
    }
    int rc = parse_args(argc, argv, &t->a);
    if (rc == 0 && translate(t) != 0) {
        fprintf(stderr, "xlate: error: %s\n", t->err);
        rc = 1;
    }
    aot_fini(t);
    free(t);
    return rc;
}
