/* `xlate bench`: the benchmark programs run natively, AOT-translated, JIT-only and under
   qemu-arm (tools/bench.c, docs/benchmarks.md). */
#ifndef XL_TOOLS_BENCH_H
#define XL_TOOLS_BENCH_H

/* argv[0] is "bench"; usage is the text --help prints. Prints its own errors and returns
   the exit status: 0, 1 (an output differs, a program failed, nothing to run), 2 (usage). */
int bench_main(int argc, char **argv, const char *usage);

#endif
