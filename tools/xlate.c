/*
 * The xlate command: run a guest program (JIT-only), dump a stage of the translation,
 * translate ahead of time (tools/aot.c) and benchmark both paths (tools/bench.c). Only
 * tools/ prints errors and exits (style rule 8): usage errors exit 2, a program that cannot
 * be loaded exits 1.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lifter/arm/arm.h"
#include "lifter/image/image.h"
#include "lifter/jit/jit.h"
#include "lifter/ir/ir.h"
#include "runtime/rt.h"
#include "tools/aot.h"
#include "tools/args.h"
#include "tools/bench.h"
#include "tools/cache.h"
#include "tools/binfmt.h"

#ifndef XLATE_VERSION
#define XLATE_VERSION "unknown"
#endif

#define EXIT_USAGE 2

extern char **environ;

static const char usage_text[] =
    "usage: xlate COMMAND [OPTIONS] ...\n"
    "\n"
    "  xlate run [-L DIR] [--trace] [--singlestep] [--profile FILE] [--] PROG [ARGS...]\n"
    "      Run the 32-bit ARM Linux program PROG (JIT only). Options end at PROG;\n"
    "      what follows PROG is the guest's.\n"
    "        -L DIR         the guest's root for the files it looks up: the dynamic\n"
    "                       loader, its libraries (default: $XLATE_LD_PREFIX, else\n"
    "                       $QEMU_LD_PREFIX, else /usr/arm-linux-gnueabihf if it exists)\n"
    "        --trace        print the guest registers before each block\n"
    "                       (the shape of qemu-arm -d cpu,nochain)\n"
    "        --singlestep   one guest instruction per block\n"
    "        --profile FILE count how often each block runs and write the counts to\n"
    "                       FILE at exit, for `xlate PROG -o OUT --profile FILE`\n"
    "\n"
    "  xlate dump [--ir] [--opt] [-d STAGES] [--at ADDR] [--count N] [--thumb]\n"
    "             [--singlestep] PROG\n"
    "      Print the guest disassembly and the uIR of the block at ADDR (default: the\n"
    "      entry point).\n"
    "        --ir           the uIR as the ARM frontend builds it (the default)\n"
    "        --opt          also the uIR after the optimizer\n"
    "        -d STAGES      the stages to print, comma-separated: ir, opt, asm (or i, o, a)\n"
    "        --at ADDR      the block's guest address (bit 0 set: Thumb)\n"
    "        --count N      N blocks, each starting where the previous one ends\n"
    "        --thumb        decode as Thumb (otherwise taken from ADDR's bit 0, the\n"
    "                       $a/$t mapping symbols or the function symbol)\n"
    "\n"
    "  xlate IN -o OUT [-L DIR] [-O0|-O1|-O2|-O3] [-j N] [--cpu CPU] [--emit KIND]\n"
    "                  [--no-known-routines] [--profile FILE] [-s]\n"
    "      Translate IN ahead of time into the native x86-64 executable OUT, which\n"
    "      runs on its own (code that translation missed is run by the built-in JIT).\n"
    "      The same translation asked for again is a copy from the cache (xlate cache;\n"
    "      XLATE_CACHE_PROGRAMS=0: none).\n"
    "        -L DIR         OUT's sysroot, as for xlate run, unless XLATE_LD_PREFIX\n"
    "                       names one when it runs; the libraries that a dynamically\n"
    "                       linked IN needs are translated once into the cache\n"
    "                       (xlate cache) and OUT uses them\n"
    "        --no-libs      leave the libraries to the JIT\n"
    "        --profile FILE raise only the functions that ran in FILE's counts (from\n"
    "                       xlate run --profile FILE IN ...); the JIT runs the rest\n"
    "        -O0 .. -O3     LLVM optimization level (default -O2)\n"
    "        -j N           translate on N threads (default: the number of cores)\n"
    "        --cpu CPU      the host CPU to generate and tune code for (default:\n"
    "                       x86-64-v2, tuned for generic x86-64; 'native' for this\n"
    "                       machine's)\n"
    "        --emit KIND    exe (the default), obj (the translated code as one object),\n"
    "                       asm, llvm (LLVM IR), ir (the uIR of every block);\n"
    "                       -o - writes text to stdout\n"
    "        --no-known-routines  translate libgcc's division and the C string and\n"
    "                       memory functions like any code, instead of using host\n"
    "                       versions of them (docs/aot.md, \"Known routines\")\n"
    "        -s, --strip    no symbol table in OUT (debug sections never are)\n"
    "      XLATE_STATS=1 ./OUT prints AOT and JIT counts on stderr at exit: the\n"
    "      process's, then one line per module (program, loader, library).\n"
    "      On a terminal (or with XLATE_STATS=1) the translation ends with a line of\n"
    "      what it made: functions, guest insns, time, size against the input.\n"
    "\n"
    "  xlate bench [--quick] [--runs N] [--filter NAMES] [--csv FILE] [--chart FILE.svg]\n"
    "              [--thumb] [--scale N] [--dir DIR] [--no-qemu] [-O0..-O3] [-j N]\n"
    "      Time the benchmark programs (tests/bench; CMake builds them into bench/\n"
    "      beside xlate) natively, translated ahead of time, JIT-only and under qemu-arm,\n"
    "      check every output against native's and print a table (docs/benchmarks.md).\n"
    "        --quick        scale 10, one run, AOT at -O0: a smoke test\n"
    "        --runs N       interleaved runs of each way (default 5); the median counts\n"
    "        --filter NAMES the benchmarks whose names contain one of NAMES (a,b,...)\n"
    "        --csv FILE     also write the results as CSV\n"
    "        --chart FILE   also write an SVG bar chart of the time relative to native\n"
    "        --thumb        the Thumb builds (NAME.thumb) instead of the ARM ones\n"
    "        --scale N      the programs' argument (default 100)\n"
    "        --dir DIR      where NAME.native, NAME.arm and NAME.thumb are\n"
    "        --no-qemu      leave qemu-arm out even when it is on PATH\n"
    "        -O0..-O3, -j N the AOT translations' options (default -O2, --quick -O0;\n"
    "                       -j the number of cores)\n"
    "\n"
    "  xlate cache --list | --clear | --prefill DIR... [-O0..-O3] [-j N]\n"
    "      The cache of translated ARM shared libraries that translated programs use\n"
    "      ($XLATE_CACHE_DIR, else $XDG_CACHE_HOME/xlate, else ~/.cache/xlate): list its\n"
    "      entries, empty it, or translate every ARM shared object under DIR ahead.\n"
    "\n"
    "  xlate binfmt --install | --remove | --status [--name NAME]\n"
    "      Register this xlate with the kernel's binfmt_misc (root) as the handler of\n"
    "      ARM ELF executables, so that ./prog_arm runs as 'xlate run prog_arm' would;\n"
    "      remove the entry, or print it. NAME: the entry (default xlate-arm).\n"
    "\n"
    "  xlate --help       this text\n"
    "  xlate --version    the version\n"
    "\n"
    "PROG is an ARM EABI5 executable (armhf or armel): static, static-PIE, PIE or\n"
    "dynamically linked.\n"
    "XLATE_LOG=unimp,syscall,jit,all logs those events to stderr.\n";


/* Loads PROG or prints why not. */
static bool load(const char *path, struct xl_image *img)
{
    char err[256];
    if (xl_image_load(path, img, err, sizeof err) != 0) {
        tool_error("%s: %s", path, err);
        return false;
    }
    return true;
}

/*
 * Matches "--name" and "--name=value" (value options take the next argument otherwise).
 * Returns true on a match; *val gets the value of a value option, NULL when it is missing.
 */
static bool opt_match(char **argv, int argc, int *i, const char *name, bool has_val,
                      const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '\0') {
        if (has_val)
            *val = *i + 1 < argc ? argv[++*i] : NULL;
        return true;
    }
    if (has_val && a[n] == '=' && name[1] == '-') {
        *val = a + n + 1;
        return true;
    }
    return false;
}

/* ---- xlate run ---- */

static int cmd_run(int argc, char **argv)
{
    struct rt_options opts = {0};
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;                          /* PROG: the rest is the guest's */
        const char *val;
        if (opt_match(argv, argc, &i, "-L", true, &val) ||
            opt_match(argv, argc, &i, "--sysroot", true, &val)) {
            if (!val)
                return tool_usage_error("run ", "%s needs a directory", a);
            opts.sysroot = val;
        } else if (strncmp(a, "-L", 2) == 0) {
            opts.sysroot = a + 2;
        } else if (opt_match(argv, argc, &i, "--profile", true, &val)) {
            if (!val || !*val)
                return tool_usage_error("run ", "--profile needs a file");
            opts.profile = val;
        } else if (strcmp(a, "--trace") == 0)
            opts.trace = true;
        else if (strcmp(a, "--singlestep") == 0)
            opts.singlestep = true;
        else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else
            return tool_usage_error("run ", "unknown option '%s'", a);
    }
    if (i >= argc)
        return tool_usage_error("run ", "run: missing PROG");
    struct stat st;
    if (opts.sysroot && *opts.sysroot && (stat(opts.sysroot, &st) != 0 || !S_ISDIR(st.st_mode))) {
        tool_error("sysroot %s: not a directory", opts.sysroot);
        return 1;
    }

    struct xl_image img;
    if (!load(argv[i], &img))
        return 1;
    /* The guest's argv starts with PROG as given; argv[argc] is NULL, as main's is. */
    int rc = rt_run(&img, argc - i, argv + i, environ, &opts);
    xl_image_free(&img);
    return rc;
}

/* ---- xlate dump ---- */

enum { STAGE_IR = 1, STAGE_OPT = 2, STAGE_ASM = 4 };

/* "ir,opt" or "i,o" into stage bits; 0 after printing an error. */
static unsigned parse_stages(const char *list)
{
    unsigned stages = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        if ((n == 2 && strncmp(p, "ir", 2) == 0) || (n == 1 && *p == 'i'))
            stages |= STAGE_IR;
        else if ((n == 3 && strncmp(p, "opt", 3) == 0) || (n == 1 && *p == 'o'))
            stages |= STAGE_OPT;
        else if ((n == 3 && strncmp(p, "asm", 3) == 0) || (n == 1 && *p == 'a'))
            stages |= STAGE_ASM;
        else if ((n == 4 && strncmp(p, "llvm", 4) == 0) || (n == 1 && *p == 'l')) {
            tool_usage_error("dump ", "dump stage '%.*s' is not implemented yet", (int)n, p);
            return 0;
        } else if (n) {
            tool_usage_error("dump ", "unknown dump stage '%.*s' (known: ir, opt, asm)", (int)n, p);
            return 0;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (!stages)
        tool_usage_error("dump ", "-d needs a stage: ir, opt, asm");
    return stages;
}

static bool parse_u32(const char *s, uint32_t *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > UINT32_MAX || s[0] == '-')
        return false;
    *out = (uint32_t)v;
    return true;
}

/* Guest code for the dump: file bytes of executable segments only, as the runtime maps. */
static const uint8_t *dump_fetch(void *ctx, uint32_t addr, uint32_t *avail)
{
    const struct xl_image *img = ctx;
    for (size_t i = 0; i < img->nsegs; i++) {
        const struct xl_segment *s = &img->segs[i];
        if ((s->flags & PF_X) && addr >= s->vaddr && addr - s->vaddr < s->filesz)
            return xl_image_ptr(img, addr, avail);
    }
    *avail = 0;
    return NULL;
}

/* The mode of the block at addr when nothing on the command line says: mapping symbols,
   then the function symbol, else the mode of the block before (ARM at the start). */
static bool mode_at(const struct xl_image *img, uint32_t addr, bool before)
{
    char k = xl_image_mapping_at(img, addr);
    if (k == 'a' || k == 't')
        return k == 't';
    const struct xl_symbol *s = xl_image_symbol_at(img, addr);
    if (s && s->func)
        return s->thumb;
    return before;
}

static void print_block_header(const struct xl_image *img, const struct ir_block *b)
{
    printf("block 0x%08" PRIx32 " %s, %" PRIu32 " insn%s, ends at 0x%08" PRIx32,
           b->guest_pc, b->thumb ? "thumb" : "arm", b->n_insns, b->n_insns == 1 ? "" : "s",
           b->guest_end);
    const struct xl_symbol *s = xl_image_symbol_at(img, b->guest_pc);
    if (s)
        printf("  <%s+0x%" PRIx32 ">", s->name, b->guest_pc - s->addr);
    if (xl_image_mapping_at(img, b->guest_pc) == 'd')
        printf("  (marked as data by $d)");
    putchar('\n');
}

static void print_disasm(struct arm_frontend *fe, const struct arm_code *src,
                         const struct ir_block *b)
{
    char text[128];
    uint32_t pc = b->guest_pc;
    for (uint32_t n = 0; n < b->n_insns && pc < b->guest_end; n++) {
        unsigned size = arm_disasm(fe, src, pc, b->thumb, text, sizeof text);
        if (size == 0) {
            printf("0x%08" PRIx32 ":  <undecodable>\n", pc);
            return;
        }
        printf("0x%08" PRIx32 ":  %s\n", pc, text);
        pc += size;
    }
}

/* Prints the stages of one block; false when the µIR does not verify (a bug in xlate). */
static bool dump_stage(const char *name, const struct ir_block *b)
{
    printf("-- %s --\n", name);
    ir_print_block(stdout, b);
    uint32_t where = 0;
    const char *msg = ir_verify(b, &where);
    if (msg) {
        fflush(stdout);
        tool_error("internal: the %s of block 0x%08" PRIx32 " does not verify: %s (op %" PRIu32 ")",
              name, b->guest_pc, msg, where);
        return false;
    }
    return true;
}

/* The host code the JIT makes of an optimized block. */
static bool dump_asm(struct jit *jit, struct ir_block *b)
{
    size_t size = 0;
    void *code = jit ? jit_compile(jit, b, &size) : NULL;
    printf("-- asm --\n");
    if (!code) {
        tool_error("internal: the JIT could not compile block 0x%08" PRIx32, b->guest_pc);
        return false;
    }
    printf("%zu bytes of host code for %u guest insns\n", size, b->n_insns);
    return jit_print_code(stdout, code, size) == 0;
}

static int cmd_dump(int argc, char **argv)
{
    unsigned stages = 0;
    bool have_at = false, force_thumb = false, singlestep = false;
    uint32_t at = 0, count = 1;
    const char *prog = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        bool dashdash = strcmp(a, "--") == 0;
        if (dashdash || a[0] != '-' || a[1] == '\0') {    /* options may follow PROG */
            if (dashdash && ++i == argc)
                break;
            if (prog)
                return tool_usage_error("dump ", "dump takes one PROG ('%s' is extra)", argv[i]);
            prog = argv[i];
        } else if (strcmp(a, "--ir") == 0) {
            stages |= STAGE_IR;
        } else if (strcmp(a, "--opt") == 0) {
            stages |= STAGE_IR | STAGE_OPT;
        } else if (strcmp(a, "--thumb") == 0) {
            force_thumb = true;
        } else if (strcmp(a, "--singlestep") == 0) {
            singlestep = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (opt_match(argv, argc, &i, "-d", true, &val)) {
            if (!val)
                return tool_usage_error("dump ", "-d needs a list of stages (ir, opt, asm)");
            unsigned s = parse_stages(val);
            if (!s)
                return EXIT_USAGE;
            stages |= s;
        } else if (strncmp(a, "-d", 2) == 0 && a[1] == 'd' && a[2]) {
            unsigned s = parse_stages(a + 2);   /* -dir,opt */
            if (!s)
                return EXIT_USAGE;
            stages |= s;
        } else if (opt_match(argv, argc, &i, "--at", true, &val)) {
            if (!parse_u32(val, &at))
                return tool_usage_error("dump ", "--at needs a 32-bit address, not '%s'",
                                        val ? val : "");
            have_at = true;
        } else if (opt_match(argv, argc, &i, "--count", true, &val)) {
            if (!parse_u32(val, &count) || count == 0)
                return tool_usage_error("dump ", "--count needs a number of blocks (1 or more), "
                                        "not '%s'", val ? val : "");
        } else {
            return tool_usage_error("dump ", "unknown option '%s'", a);
        }
    }
    if (!prog)
        return tool_usage_error("dump ", "dump: missing PROG");
    if (!stages)
        stages = STAGE_IR;

    struct xl_image img;
    if (!load(prog, &img))
        return 1;
    uint32_t start = have_at ? at : img.entry;
    uint32_t pc = start & ~1u;
    bool thumb;
    if (force_thumb || (start & 1))
        thumb = true;
    else if (!have_at)
        thumb = false;                  /* an ARM entry point */
    else
        thumb = mode_at(&img, pc, false);
    if (!dump_fetch(&img, pc, &(uint32_t){0})) {
        tool_error("%s: 0x%08" PRIx32 " is not in an executable segment of the file", prog, pc);
        xl_image_free(&img);
        return 1;
    }

    struct arm_frontend *fe = arm_frontend_new();
    if (!fe) {
        tool_error("cannot start the ARM frontend (out of memory?)");
        xl_image_free(&img);
        return 1;
    }
    struct arm_code src = { dump_fetch, &img };
    struct jit *jit = NULL;
    if (stages & STAGE_ASM) {
        static const struct jit_hooks no_hooks = { 0 };
        jit = jit_new(&no_hooks);
    }
    unsigned flags = singlestep ? ARM_TB_SINGLESTEP : 0;
    int rc = 0;
    for (uint32_t n = 0; n < count; n++) {
        struct ir_block b;
        arm_translate_block(fe, &src, pc, thumb, flags, &b);
        if (n)
            putchar('\n');
        print_block_header(&img, &b);
        print_disasm(fe, &src, &b);
        bool ok = true;
        if (stages & STAGE_IR)
            ok = dump_stage("ir", &b);
        if (ok && (stages & (STAGE_OPT | STAGE_ASM)))
            ir_optimize(&b);
        if (ok && (stages & STAGE_OPT))
            ok = dump_stage("opt", &b);
        if (ok && (stages & STAGE_ASM))
            ok = dump_asm(jit, &b);
        uint32_t end = b.guest_end;
        bool progress = end > b.guest_pc;
        ir_block_free(&b);
        if (!ok) {
            rc = 1;
            break;
        }
        /* The next block in address order; stop where code ends. */
        uint32_t avail;
        if (!progress || !dump_fetch(&img, end, &avail))
            break;
        pc = end;
        if (!force_thumb)
            thumb = mode_at(&img, pc, thumb);
    }
    fflush(stdout);
    if (jit)
        jit_free(jit);
    arm_frontend_free(fe);
    xl_image_free(&img);
    return rc;
}

/* ---- xlate ---- */

int main(int argc, char **argv)
{
    int exec_status = rt_exec_main(argc, argv, environ);   /* a guest's execve (rt.h) */
    if (exec_status >= 0)
        return exec_status;
    int binfmt_status = binfmt_main(argc, argv, environ);   /* ./prog_arm, registered */
    if (binfmt_status >= 0)
        return binfmt_status;
    if (argc < 2)
        return tool_usage_error(NULL, "missing command: run, dump, bench, binfmt, or IN -o OUT");
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "dump") == 0)
        return cmd_dump(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0)
        return bench_main(argc - 1, argv + 1, usage_text);
    if (strcmp(cmd, "binfmt") == 0)
        return binfmt_cmd(argc - 1, argv + 1, usage_text);
    if (strcmp(cmd, "cache") == 0)
        return cache_main(argc - 1, argv + 1);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        puts("xlate " XLATE_VERSION);
        return 0;
    }

    /* The AOT form: xlate IN -o OUT (options in any order). */
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "-o", 2) == 0 || strncmp(argv[i], "--output", 8) == 0 ||
            strncmp(argv[i], "--emit", 6) == 0)
            return aot_translate_main(argc, argv);
    if (cmd[0] == '-')
        return tool_usage_error(NULL, "unknown option '%s'", cmd);
    return tool_usage_error(NULL,
                            "unknown command '%s' (to run a program: xlate run %s)", cmd, cmd);
}
