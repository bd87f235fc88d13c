/* The internals of `xlate bench` that its two files share: the ways, the options, the
   results of each benchmark and the figures derived from them. tools/bench.c runs the
   benchmarks; tools/bench_report.c prints the table and writes the CSV and the SVG chart. */
#ifndef XL_TOOLS_BENCH_INTERNAL_H
#define XL_TOOLS_BENCH_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ways a benchmark runs: the column names of the table and the CSV, the chart's
   legend and colors. W_NATIVE is the reference for outputs and times. */
#define WAYS(X)                                                                      \
    X(W_NATIVE, "native", "native", "native x86-64", "#000000")                     \
    X(W_AOT,    "aot",    "aot",    "AOT: xlate PROG -o OUT", "#1f77b4")            \
    X(W_JIT,    "jit",    "jit",    "JIT only: xlate run", "#ff7f0e")               \
    X(W_QEMU,   "qemu",   "qemu-arm", "qemu-arm", "#8c8c8c")
enum way {
#define X(id, csv, col, legend, color) id,
    WAYS(X)
#undef X
    NWAYS
};
static const struct way_info {
    const char *csv, *col, *legend, *color;
} ways[NWAYS] = {
#define X(id, csv, col, legend, color) { csv, col, legend, color },
    WAYS(X)
#undef X
};
#undef WAYS

enum {
    DEFAULT_RUNS = 5,
    DEFAULT_SCALE = 100,        /* the programs' argument: ~0.2-0.5 s natively */
    QUICK_SCALE = 10,
    DEFAULT_OPT_LEVEL = 2,      /* as `xlate PROG -o OUT` */
    QUICK_OPT_LEVEL = 0,
    PARSE_HELP = -1,
    MAX_RUNS = 1000,
    OUT_MAX = 1 << 20,          /* bytes kept of a child's stdout or stderr */
};

struct bench_opts {
    bool quick, thumb, no_qemu;
    int runs, scale, opt_level;
    unsigned jobs;
    const char *filter, *csv, *chart, *dir;
};

struct result {
    char name[NAME_MAX + 1];
    double *t[NWAYS];           /* seconds, one per round */
    double med[NWAYS];          /* the median; < 0 when the way did not run */
    bool failed[NWAYS];         /* wrong output or status, or no translation (AOT) */
    char problem[320];          /* the first failure, for the report */
    char *ref;                  /* native's stdout */
    double xlate_s;             /* the AOT translation's wall time; < 0 when it failed */
    uint64_t aot_fns, aot_insns, aot_bytes;     /* raised functions, their guest insns, their
                                                   host code bytes (0: unknown) */
    uint64_t aot_jit_blocks;    /* blocks the JIT translated while the AOT program ran */
    double *jit_us;             /* jit-translate-us of each JIT-only round */
    double jit_translate_s;     /* their median; < 0 when unknown */
    uint64_t jit_insns, jit_bytes;
};

struct bench {
    struct bench_opts o;
    char exe[PATH_MAX];         /* this xlate */
    char dir[PATH_MAX];         /* the benchmark programs */
    char qemu[PATH_MAX];        /* "" when not found or not wanted */
    char tmp[PATH_MAX];         /* the AOT outputs; "" when not made */
    char scale_arg[16];
    char cpu[128];
    long ncpu;
    struct result *res;
    size_t nres;
    bool progress;              /* stderr is a terminal */
};

/* "xlate: error: " and the message, on stderr. */
/* ---- derived figures (tools/bench.c) ---- */

/* Figures of one benchmark that the table, the CSV and the chart share. */
struct figures {
    double vs_native[NWAYS];    /* time / native time, < 0 unknown */
    double jit_qemu;
    double aot_ips, aot_bpi, jit_ips, jit_bpi;
};

struct figures figures_of(const struct result *r);
/* The geometric means of every figure, over the benchmarks where it is known. */
struct figures geomeans(const struct bench *b);
/* No way failed. */
bool result_ok(const struct result *r);

/* ---- the report (tools/bench_report.c) ---- */

/* The two tables, on stdout, with the FAIL lines after them. */
void print_tables(const struct bench *b);
/* --csv and --chart: 0, or -1 after printing an error. */
int write_csv(const struct bench *b);
int write_chart(const struct bench *b);

#endif
