/*
 * `xlate bench` (docs/benchmarks.md): every benchmark program of tests/bench, built by CMake
 * into <build>/bench as NAME.native (host cc), NAME.arm and NAME.thumb (the ARM cross
 * compiler, -O2 -static), runs four ways: natively, AOT-translated (the output of this very
 * xlate, `xlate NAME.arm -o NAME.aot`), JIT-only (`xlate run NAME.arm`) and under qemu-arm.
 * The pipeline is bench_main below, one stage per line: options, the programs, the AOT
 * translations (timed: xlate-s), the AOT code measured, the timed runs (ways interleaved in
 * every round; the median counts; each output checked against native's), then the table,
 * the CSV and the SVG chart (tools/bench_report.c). What the two files share is in
 * tools/bench_internal.h.
 *
 * Children are fork/exec'd with stdin from /dev/null and stdout and stderr read through
 * pipes; a run's time is CLOCK_MONOTONIC from before fork to after waitpid. The AOT and JIT
 * runs have XLATE_STATS=1: the runtime's stats line (runtime/aot.c) tells how many guest
 * insns the JIT translated, in how much time and into how many bytes of host code.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lifter/discover/discover.h"
#include "lifter/image/image.h"
#include "tools/args.h"
#include "tools/bench.h"
#include "tools/bench_internal.h"

#define RUN_TIMEOUT_S 600.0     /* one run of one way */
#define XLATE_TIMEOUT_S 3600.0  /* one AOT translation */

/* ---- messages ---- */

/* The first failure of a benchmark is the one reported. */
static void problem(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct result *r, const char *fmt, ...)
{
    if (r->problem[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->problem, sizeof r->problem, fmt, ap);
    va_end(ap);
}

static void progress(const struct bench *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One status line that rewrites itself, when stderr is a terminal. */
static void progress(const struct bench *b, const char *fmt, ...)
{
    if (!b->progress)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

/* ---- options ---- */

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* 0; PARSE_HELP after --help; or 2 after a usage error. */
static int parse_args(int argc, char **argv, const char *usage, struct bench_opts *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (struct bench_opts){ .opt_level = -1, .jobs = cores > 0 ? (unsigned)cores : 1 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        int n;
        if (strcmp(a, "--quick") == 0) {
            o->quick = true;
        } else if (strcmp(a, "--thumb") == 0) {
            o->thumb = true;
        } else if (strcmp(a, "--no-qemu") == 0) {
            o->no_qemu = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return PARSE_HELP;
        } else if (value_opt(argv, argc, &i, "--runs", NULL, &val)) {
            if (!parse_int(val, 1, MAX_RUNS, &o->runs))
                return tool_usage_error("bench ",
                                        "--runs needs a number of runs (1 to %d), not '%s'",
                                        MAX_RUNS, val ? val : "");
        } else if (value_opt(argv, argc, &i, "--scale", NULL, &val)) {
            if (!parse_int(val, 1, 1000000, &o->scale))
                return tool_usage_error("bench ", "--scale needs a positive number, not '%s'",
                                        val ? val : "");
        } else if (value_opt(argv, argc, &i, "--filter", NULL, &val)) {
            if (!val || !*val)
                return tool_usage_error("bench ",
                                        "--filter needs a name (or a comma-separated list)");
            o->filter = val;
        } else if (value_opt(argv, argc, &i, "--csv", NULL, &val)) {
            if (!val || !*val)
                return tool_usage_error("bench ", "--csv needs a file name");
            o->csv = val;
        } else if (value_opt(argv, argc, &i, "--chart", NULL, &val)) {
            if (!val || !*val)
                return tool_usage_error("bench ", "--chart needs a file name");
            o->chart = val;
        } else if (value_opt(argv, argc, &i, "--dir", NULL, &val)) {
            if (!val || !*val)
                return tool_usage_error("bench ", "--dir needs a directory");
            o->dir = val;
        } else if (value_opt(argv, argc, &i, "--jobs", "-j", &val)) {
            if (!parse_int(val, 1, 1024, &n))
                return tool_usage_error("bench ", "-j needs a number of jobs (1 to 1024), not '%s'",
                                        val ? val : "");
            o->jobs = (unsigned)n;
        } else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) {
            o->opt_level = a[2] - '0';
        } else if (a[0] == '-') {
            return tool_usage_error("bench ", "unknown option '%s'", a);
        } else {
            return tool_usage_error("bench ", "bench takes no arguments ('%s'); to pick "
                                    "benchmarks: --filter NAME", a);
        }
    }
    if (!o->runs)
        o->runs = o->quick ? 1 : DEFAULT_RUNS;
    if (!o->scale)
        o->scale = o->quick ? QUICK_SCALE : DEFAULT_SCALE;
    /* -O2 translates a static glibc program in ~15 s of CPU, 13 of them in over 3 minutes
       on two cores; --quick is a smoke test, so it takes -O0 (~2 s) unless told. */
    if (o->opt_level < 0)
        o->opt_level = o->quick ? QUICK_OPT_LEVEL : DEFAULT_OPT_LEVEL;
    return 0;
}

/* ---- set-up: paths, the programs, qemu-arm, the machine ---- */

static bool is_file(const char *path, bool exec)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (!exec || access(path, X_OK) == 0);
}

/* True when name contains one of the comma-separated words of filter. */
static bool filter_match(const char *filter, const char *name)
{
    if (!filter)
        return true;
    for (const char *p = filter; *p;) {
        size_t n = strcspn(p, ",");
        if (n && memmem(name, strlen(name), p, n))
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

static int cmp_result(const void *a, const void *b)
{
    return strcmp(((const struct result *)a)->name, ((const struct result *)b)->name);
}

static const char *guest_suffix(const struct bench *b)
{
    return b->o.thumb ? "thumb" : "arm";
}

/* Every NAME.native in the directory that has its NAME.arm (or .thumb), sorted. */
static int find_programs(struct bench *b)
{
    DIR *d = opendir(b->dir);
    if (!d) {
        tool_error("no benchmark programs: cannot open %s: %s (CMake builds them into "
                    "<build>/bench when arm-linux-gnueabihf-gcc is installed; or use --dir)",
                    b->dir, strerror(errno));
        return -1;
    }
    size_t cap = 0, total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 7 || strcmp(e->d_name + n - 7, ".native") != 0 || n - 7 > NAME_MAX - 8)
            continue;
        char stem[NAME_MAX + 1], path[PATH_MAX + 2 * NAME_MAX];
        snprintf(stem, sizeof stem, "%.*s", (int)(n - 7), e->d_name);
        snprintf(path, sizeof path, "%s/%s.%s", b->dir, stem, guest_suffix(b));
        if (!is_file(path, false))
            continue;
        total++;
        if (!filter_match(b->o.filter, stem))
            continue;
        if (b->nres == cap) {
            cap = cap ? 2 * cap : 16;
            struct result *r = realloc(b->res, cap * sizeof *r);
            if (!r) {
                closedir(d);
                tool_error("out of memory");
                return -1;
            }
            b->res = r;
        }
        struct result *r = &b->res[b->nres++];
        memset(r, 0, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", stem);
    }
    closedir(d);
    if (!total) {
        tool_error("no benchmark programs (NAME.native with NAME.%s) in %s", guest_suffix(b),
                    b->dir);
        return -1;
    }
    if (!b->nres) {
        tool_error("no benchmark matches '%s' in %s", b->o.filter, b->dir);
        return -1;
    }
    qsort(b->res, b->nres, sizeof *b->res, cmp_result);
    for (size_t i = 0; i < b->nres; i++) {
        struct result *r = &b->res[i];
        for (int w = 0; w < NWAYS; w++) {
            r->t[w] = calloc((size_t)b->o.runs, sizeof(double));
            r->med[w] = -1;
        }
        r->jit_us = calloc((size_t)b->o.runs, sizeof(double));
        r->xlate_s = r->jit_translate_s = -1;
        for (int w = 0; w < NWAYS; w++)
            if (!r->t[w]) {
                tool_error("out of memory");
                return -1;
            }
        if (!r->jit_us) {
            tool_error("out of memory");
            return -1;
        }
    }
    return 0;
}

/* qemu-arm from PATH, "" when absent. */
static void find_qemu(struct bench *b)
{
    b->qemu[0] = '\0';
    const char *path = getenv("PATH");
    if (b->o.no_qemu || !path)
        return;
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        char cand[PATH_MAX];
        if (n && n + 10 < sizeof cand) {
            snprintf(cand, sizeof cand, "%.*s/qemu-arm", (int)n, p);
            if (is_file(cand, true)) {
                snprintf(b->qemu, sizeof b->qemu, "%s", cand);
                return;
            }
        }
        p += n + (p[n] == ':');
    }
}

/* The CPU model and the number of cores, for the report. */
static void machine(struct bench *b)
{
    snprintf(b->cpu, sizeof b->cpu, "unknown CPU");
    b->ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        const char *v = strchr(line, ':');
        if (!v)
            continue;
        v += strspn(v + 1, " \t") + 1;
        snprintf(b->cpu, sizeof b->cpu, "%.*s", (int)strcspn(v, "\n"), v);
        break;
    }
    fclose(f);
}

static int setup(struct bench *b)
{
    ssize_t n = readlink("/proc/self/exe", b->exe, sizeof b->exe - 1);
    if (n <= 0) {
        tool_error("cannot find the xlate executable (/proc/self/exe): %s", strerror(errno));
        return -1;
    }
    b->exe[n] = '\0';
    if (b->o.dir) {
        snprintf(b->dir, sizeof b->dir, "%s", b->o.dir);
    } else {
        char *slash = strrchr(b->exe, '/');
        snprintf(b->dir, sizeof b->dir, "%.*s/bench", (int)(slash - b->exe), b->exe);
    }
    if (find_programs(b) != 0)
        return -1;
    find_qemu(b);
    machine(b);
    snprintf(b->scale_arg, sizeof b->scale_arg, "%d", b->o.scale);
    b->progress = isatty(STDERR_FILENO);
    const char *t = getenv("TMPDIR");
    snprintf(b->tmp, sizeof b->tmp, "%s/xlate-bench.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(b->tmp)) {
        tool_error("cannot make a temporary directory %s: %s", b->tmp, strerror(errno));
        b->tmp[0] = '\0';
        return -1;
    }
    return 0;
}

/* ---- running a program ---- */

struct buf {
    char *p;
    size_t n;
};

struct proc {
    struct buf out, err;
    int status;                 /* as waitpid gives it */
    bool timed_out;
    double secs;
};

/* Appends what fd has (up to OUT_MAX kept); false at the end of the stream. */
static bool drain(int fd, struct buf *b)
{
    char chunk[8192];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0)
        return false;
    size_t keep = b->n + (size_t)n > OUT_MAX ? OUT_MAX - b->n : (size_t)n;
    if (keep) {
        char *p = realloc(b->p, b->n + keep + 1);
        if (!p)
            return true;        /* dropped; the comparison will fail */
        memcpy(p + b->n, chunk, keep);
        b->p = p;
        b->n += keep;
        p[b->n] = '\0';
    }
    return true;
}

static void proc_free(struct proc *p)
{
    free(p->out.p);
    free(p->err.p);
    memset(p, 0, sizeof *p);
}

/*
 * Runs argv[0] (a path) with argv, stdin from /dev/null, stdout and stderr collected, and
 * XLATE_STATS=1 when stats is set; kills it after timeout seconds. 0, or -1 when no child
 * could be started (errno set).
 */
static int run_proc(char *const argv[], bool stats, double timeout, struct proc *p)
{
    memset(p, 0, sizeof *p);
    int op[2], ep[2];
    if (pipe2(op, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(ep, O_CLOEXEC) != 0) {
        close(op[0]);
        close(op[1]);
        return -1;
    }
    double t0 = tool_now_s();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(op[0]), close(op[1]), close(ep[0]), close(ep[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, STDIN_FILENO);
        dup2(op[1], STDOUT_FILENO);
        dup2(ep[1], STDERR_FILENO);
        if (stats)
            setenv("XLATE_STATS", "1", 1);
        else
            unsetenv("XLATE_STATS");
        execv(argv[0], argv);
        dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(op[1]);
    close(ep[1]);
    struct pollfd fds[2] = { { op[0], POLLIN, 0 }, { ep[0], POLLIN, 0 } };
    struct buf *bufs[2] = { &p->out, &p->err };
    int open_fds = 2;
    while (open_fds) {
        double left = t0 + timeout - tool_now_s();
        int r = left > 0 ? poll(fds, 2, (int)(left * 1000) + 1) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            kill(pid, SIGKILL);
            p->timed_out = true;
            break;
        }
        for (int i = 0; i < 2; i++)
            if (fds[i].fd >= 0 && fds[i].revents && !drain(fds[i].fd, bufs[i])) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    while (waitpid(pid, &p->status, 0) < 0 && errno == EINTR)
        ;
    p->secs = tool_now_s() - t0;
    return 0;
}

/* "exit status 3", "killed by signal 11", "timed out", for the report. */
static const char *describe_status(const struct proc *p, char *buf, size_t n)
{
    if (p->timed_out)
        snprintf(buf, n, "timed out after %.0f s", p->secs);
    else if (WIFSIGNALED(p->status))
        snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(p->status),
                 strsignal(WTERMSIG(p->status)));
    else
        snprintf(buf, n, "exit status %d", WEXITSTATUS(p->status));
    return buf;
}

static bool proc_ok(const struct proc *p)
{
    return !p->timed_out && WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0;
}

/* The first line of s (at most 120 characters), for messages. */
static const char *first_line(const char *s, char *buf, size_t n)
{
    if (!s)
        s = "";
    size_t len = strcspn(s, "\n");
    snprintf(buf, n, "%.*s", (int)(len > 120 ? 120 : len), s);
    return buf;
}

/* A field of the runtime's "xlate-stats: key=value ..." line on stderr. */
static bool stat_field(const char *err, const char *key, uint64_t *val)
{
    const char *line = err ? strstr(err, "xlate-stats:") : NULL;
    if (!line)
        return false;
    size_t len = strcspn(line, "\n"), klen = strlen(key);
    for (const char *p = line; (p = memmem(p, len - (size_t)(p - line), key, klen)) != NULL;
         p += klen) {
        if (p[-1] == ' ' && p[klen] == '=') {
            *val = strtoull(p + klen + 1, NULL, 10);
            return true;
        }
    }
    return false;
}

/* ---- AOT: translation and its code ---- */

static void aot_path(const struct bench *b, const struct result *r, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s.aot", b->tmp, r->name);
}

static void guest_path(const struct bench *b, const struct result *r, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s.%s", b->dir, r->name, guest_suffix(b));
}

/* `xlate NAME.arm -o TMP/NAME.aot -O2 -j N`, one program at a time, timed. */
static void translate_all(struct bench *b)
{
    char opt[4], jobs[16];
    snprintf(opt, sizeof opt, "-O%d", b->o.opt_level);
    snprintf(jobs, sizeof jobs, "%u", b->o.jobs);
    /* xlate-s is the time of a translation, not of a copy of an earlier one */
    setenv("XLATE_CACHE_PROGRAMS", "0", 1);
    for (size_t i = 0; i < b->nres; i++) {
        struct result *r = &b->res[i];
        char in[PATH_MAX + 2 * NAME_MAX], out[PATH_MAX + 2 * NAME_MAX];
        guest_path(b, r, in, sizeof in);
        aot_path(b, r, out, sizeof out);
        progress(b, "[%zu/%zu] %s: translating (%s)", i + 1, b->nres, r->name, opt);
        char *argv[] = { b->exe, in, "-o", out, opt, "-j", jobs, NULL };
        struct proc p;
        char st[64], line[128];
        if (run_proc(argv, false, XLATE_TIMEOUT_S, &p) != 0) {
            r->failed[W_AOT] = true;
            problem(r, "aot: cannot run %s: %s", b->exe, strerror(errno));
        } else if (!proc_ok(&p)) {
            r->failed[W_AOT] = true;
            problem(r, "aot: the translation failed (%s): %s", describe_status(&p, st, sizeof st),
                    first_line(p.err.p, line, sizeof line));
        } else {
            r->xlate_s = p.secs;
        }
        proc_free(&p);
    }
}

struct fn_size {
    uint32_t key;               /* guest entry | thumb */
    uint64_t size;
};

static int cmp_fn_size(const void *a, const void *b)
{
    uint32_t x = ((const struct fn_size *)a)->key, y = ((const struct fn_size *)b)->key;
    return x < y ? -1 : x > y;
}

/* "xl_aotf_<hex>_<a|t>" (lifter/llvm names every raised function so) or its wrapper's
   "xl_aot_<hex>_<a|t>" into its key. */
static bool aot_fn_key(const char *name, uint32_t *key)
{
    size_t pre = strncmp(name, "xl_aotf_", 8) == 0 ? 8 : strncmp(name, "xl_aot_", 7) == 0 ? 7 : 0;
    if (!pre)
        return false;
    char *end;
    errno = 0;
    unsigned long addr = strtoul(name + pre, &end, 16);
    if (errno || end == name + pre || addr > UINT32_MAX || end[0] != '_' ||
        (end[1] != 'a' && end[1] != 't') || end[2])
        return false;
    *key = (uint32_t)addr | (end[1] == 't');
    return true;
}

/* The size of every raised function in the output's symbol table (with its wrapper's),
   sorted by key. */
static int read_fn_sizes(const char *path, struct fn_size **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    int rc = -1;
    size_t cap = 0;
    Elf_Scn *scn = NULL;
    while (e && (scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        size_t n = data ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym sym;
            uint32_t key;
            const char *name;
            if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
                !(name = elf_strptr(e, sh.sh_link, sym.st_name)) || !aot_fn_key(name, &key))
                continue;
            if (*nout == cap) {
                cap = cap ? 2 * cap : 1024;
                struct fn_size *p = realloc(*out, cap * sizeof *p);
                if (!p)
                    goto done;
                *out = p;
            }
            (*out)[(*nout)++] = (struct fn_size){ key, sym.st_size };
        }
        rc = 0;
    }
done:
    if (e)
        elf_end(e);
    close(fd);
    if (rc == 0 && *nout) {
        qsort(*out, *nout, sizeof **out, cmp_fn_size);
        size_t k = 0;               /* a function and its wrapper: one row */
        for (size_t i = 1; i < *nout; i++) {
            if ((*out)[i].key == (*out)[k].key)
                (*out)[k].size += (*out)[i].size;
            else
                (*out)[++k] = (*out)[i];
        }
        *nout = k + 1;
    }
    return rc;
}

/* Guest insns of a discovered block: A32 is 4 bytes an insn; a T32 insn is 4 bytes when its
   first halfword starts 0b11101, 0b11110 or 0b11111, else 2. */
static uint32_t block_insns(const struct xl_image *img, const struct xl_dblock *d)
{
    if (!d->thumb)
        return (d->end - d->addr) / 4;
    uint32_t n = 0;
    for (uint32_t pc = d->addr; pc < d->end; n++) {
        uint32_t avail;
        const uint8_t *p = xl_image_ptr(img, pc, &avail);
        if (!p || avail < 2)
            break;
        uint16_t hw = (uint16_t)(p[0] | p[1] << 8);
        pc += (hw & 0xf800) >= 0xe800 ? 4 : 2;
    }
    return n;
}

/*
 * Host code bytes per guest insn of the AOT path: the sizes of the raised functions
 * (xl_aotf_* and their wrappers xl_aot_* in the output's symbols) over the guest insns
 * of the blocks they were raised from (discovery run again here on the guest; a block
 * shared by two functions counts in both, as it is raised in both). Helpers and the
 * runtime are not counted.
 */
static void measure_aot_code(struct bench *b, struct result *r)
{
    if (r->xlate_s < 0)
        return;
    char in[PATH_MAX + 2 * NAME_MAX], out[PATH_MAX + 2 * NAME_MAX], err[256];
    guest_path(b, r, in, sizeof in);
    aot_path(b, r, out, sizeof out);
    struct fn_size *sizes;
    size_t nsizes;
    if (read_fn_sizes(out, &sizes, &nsizes) != 0)
        return;
    struct xl_image img;
    if (xl_image_load(in, &img, err, sizeof err) != 0) {
        free(sizes);
        return;
    }
    struct xl_program prog;
    if (xl_discover(&img, &prog, err, sizeof err) == 0) {
        for (size_t f = 0; f < prog.nfuncs; f++) {
            const struct xl_function *fn = &prog.funcs[f];
            struct fn_size k = { fn->entry, 0 };
            const struct fn_size *s = bsearch(&k, sizes, nsizes, sizeof k, cmp_fn_size);
            if (!s || !s->size)
                continue;
            r->aot_fns++;
            r->aot_bytes += s->size;
            for (uint32_t i = 0; i < fn->nblocks; i++)
                r->aot_insns += block_insns(&img, &prog.blocks[fn->blocks[i]]);
        }
        xl_program_free(&prog);
    }
    xl_image_free(&img);
    free(sizes);
}

/* ---- the timed runs ---- */

static bool way_available(const struct bench *b, const struct result *r, enum way w)
{
    switch (w) {
    case W_NATIVE:
    case W_JIT:
        return true;
    case W_AOT:
        return r->xlate_s >= 0;
    case W_QEMU:
        return b->qemu[0] != '\0';
    case NWAYS:
        break;
    }
    return false;
}

static void run_way(struct bench *b, struct result *r, enum way w, int round)
{
    char nat[PATH_MAX + 2 * NAME_MAX], guest[PATH_MAX + 2 * NAME_MAX];
    char aot[PATH_MAX + 2 * NAME_MAX];
    snprintf(nat, sizeof nat, "%s/%s.native", b->dir, r->name);
    guest_path(b, r, guest, sizeof guest);
    aot_path(b, r, aot, sizeof aot);
    char *argv[5] = { NULL };
    switch (w) {
    case W_NATIVE: argv[0] = nat, argv[1] = b->scale_arg; break;
    case W_AOT: argv[0] = aot, argv[1] = b->scale_arg; break;
    case W_JIT: argv[0] = b->exe, argv[1] = "run", argv[2] = guest, argv[3] = b->scale_arg;
        break;
    case W_QEMU: argv[0] = b->qemu, argv[1] = guest, argv[2] = b->scale_arg; break;
    case NWAYS: return;
    }
    struct proc p;
    char st[64], l1[128], l2[128];
    if (run_proc(argv, w == W_AOT || w == W_JIT, RUN_TIMEOUT_S, &p) != 0) {
        r->failed[w] = true;
        problem(r, "%s: cannot run %s: %s", ways[w].col, argv[0], strerror(errno));
        return;
    }
    r->t[w][round] = p.secs;
    if (w == W_NATIVE && !r->ref)
        r->ref = strdup(p.out.p ? p.out.p : "");
    if (!proc_ok(&p)) {
        r->failed[w] = true;
        problem(r, "%s: %s: %s", ways[w].col, describe_status(&p, st, sizeof st),
                first_line(p.out.p ? p.out.p : p.err.p, l1, sizeof l1));
    } else if (w != W_NATIVE && strcmp(p.out.p ? p.out.p : "", r->ref ? r->ref : "") != 0) {
        r->failed[w] = true;
        problem(r, "%s: output differs from native: '%s', native '%s'", ways[w].col,
                first_line(p.out.p, l1, sizeof l1), first_line(r->ref, l2, sizeof l2));
    }
    uint64_t v;
    if (w == W_JIT) {
        if (stat_field(p.err.p, "jit-translate-us", &v))
            r->jit_us[round] = (double)v;
        else
            r->jit_us[round] = -1;
        if (stat_field(p.err.p, "jit-insns", &v))
            r->jit_insns = v;
        if (stat_field(p.err.p, "jit-code-bytes", &v))
            r->jit_bytes = v;
    } else if (w == W_AOT && stat_field(p.err.p, "jit-blocks", &v)) {
        r->aot_jit_blocks = v;
    }
    proc_free(&p);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of n values (n >= 1); < 0 when any is < 0 (unknown). */
static double median(const double *v, int n)
{
    double s[MAX_RUNS];
    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    if (s[0] < 0)
        return -1;
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Each benchmark in turn; within it, every round runs every way once, so that a slow
   phase of a noisy machine hits all ways alike. */
static void run_all(struct bench *b)
{
    for (size_t i = 0; i < b->nres; i++) {
        struct result *r = &b->res[i];
        for (int round = 0; round < b->o.runs; round++)
            for (int w = 0; w < NWAYS; w++) {
                if (!way_available(b, r, (enum way)w))
                    continue;
                progress(b, "[%zu/%zu] %s: run %d/%d, %s", i + 1, b->nres, r->name, round + 1,
                         b->o.runs, ways[w].col);
                run_way(b, r, (enum way)w, round);
            }
        for (int w = 0; w < NWAYS; w++)
            if (way_available(b, r, (enum way)w))
                r->med[w] = median(r->t[w], b->o.runs);
        double us = median(r->jit_us, b->o.runs);
        r->jit_translate_s = us < 0 ? -1 : us * 1e-6;
    }
    progress(b, "%s", "");
}

/* ---- derived figures ---- */

/* way w's median over native's; < 0 when either is missing or failed. */
static double ratio(const struct result *r, enum way w, enum way base)
{
    if (r->med[w] <= 0 || r->med[base] <= 0 || r->failed[w] || r->failed[base])
        return -1;
    return r->med[w] / r->med[base];
}

static double per(double num, double den)
{
    return num > 0 && den > 0 ? num / den : -1;
}

struct figures figures_of(const struct result *r)
{
    struct figures f;
    for (int w = 0; w < NWAYS; w++)
        f.vs_native[w] = ratio(r, (enum way)w, W_NATIVE);
    f.jit_qemu = ratio(r, W_JIT, W_QEMU);
    f.aot_ips = per((double)r->aot_insns, r->xlate_s);
    f.aot_bpi = per((double)r->aot_bytes, (double)r->aot_insns);
    f.jit_ips = per((double)r->jit_insns, r->jit_translate_s);
    f.jit_bpi = per((double)r->jit_bytes, (double)r->jit_insns);
    return f;
}

struct geo {
    double sum;
    int n;
};

static void geo_add(struct geo *g, double v)
{
    if (v > 0)
        g->sum += log(v), g->n++;
}

static double geo_mean(const struct geo *g)
{
    return g->n ? exp(g->sum / g->n) : -1;
}

/* The geometric means of every figure, over the benchmarks where it is known. */
struct figures geomeans(const struct bench *b)
{
    struct geo g[NWAYS] = { { 0, 0 } }, jq = { 0, 0 }, ai = { 0, 0 }, ab = { 0, 0 },
               ji = { 0, 0 }, jb = { 0, 0 };
    for (size_t i = 0; i < b->nres; i++) {
        struct figures f = figures_of(&b->res[i]);
        for (int w = 0; w < NWAYS; w++)
            geo_add(&g[w], f.vs_native[w]);
        geo_add(&jq, f.jit_qemu);
        geo_add(&ai, f.aot_ips), geo_add(&ab, f.aot_bpi);
        geo_add(&ji, f.jit_ips), geo_add(&jb, f.jit_bpi);
    }
    struct figures m;
    for (int w = 0; w < NWAYS; w++)
        m.vs_native[w] = geo_mean(&g[w]);
    m.jit_qemu = geo_mean(&jq);
    m.aot_ips = geo_mean(&ai), m.aot_bpi = geo_mean(&ab);
    m.jit_ips = geo_mean(&ji), m.jit_bpi = geo_mean(&jb);
    return m;
}

bool result_ok(const struct result *r)
{
    for (int w = 0; w < NWAYS; w++)
        if (r->failed[w])
            return false;
    return true;
}

/* ---- clean-up ---- */

static void cleanup(struct bench *b)
{
    if (b->tmp[0] && !getenv("XLATE_KEEP_TEMPS")) {
        for (size_t i = 0; i < b->nres; i++) {
            char p[PATH_MAX + 2 * NAME_MAX];
            aot_path(b, &b->res[i], p, sizeof p);
            unlink(p);
        }
        rmdir(b->tmp);
    }
    for (size_t i = 0; i < b->nres; i++) {
        for (int w = 0; w < NWAYS; w++)
            free(b->res[i].t[w]);
        free(b->res[i].jit_us);
        free(b->res[i].ref);
    }
    free(b->res);
}

/* ---- xlate bench ---- */

int bench_main(int argc, char **argv, const char *usage)
{
    struct bench *b = calloc(1, sizeof *b);
    if (!b) {
        tool_error("out of memory");
        return 1;
    }
    int rc = parse_args(argc, argv, usage, &b->o);
    if (rc) {
        free(b);
        return rc == PARSE_HELP ? 0 : rc;
    }
    if (setup(b) != 0) {
        cleanup(b);
        free(b);
        return 1;
    }
    translate_all(b);
    for (size_t i = 0; i < b->nres; i++)
        measure_aot_code(b, &b->res[i]);
    run_all(b);
    print_tables(b);
    rc = 0;
    if (b->o.csv && write_csv(b) != 0)
        rc = 1;
    if (b->o.chart && write_chart(b) != 0)
        rc = 1;
    for (size_t i = 0; i < b->nres; i++)
        if (!result_ok(&b->res[i]))
            rc = 1;
    cleanup(b);
    free(b);
    return rc;
}
