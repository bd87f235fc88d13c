/* dlopen, dlsym, dlerror, dladdr and dlclose of the sysroot's libraries: one already
   loaded (libm), one that does not exist, one unloaded and loaded again (libgcc_s), one
   that starts threads (libgomp). Dynamically linked variants only.
   guest-variants: dyn */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hits;

static void body(void *data)
{
    __atomic_add_fetch(&hits, *(int *)data, __ATOMIC_SEQ_CST);
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int main(void)
{
    void *m = dlopen("libm.so.6", RTLD_NOW);
    if (!m) { printf("libm: %s\n", dlerror()); return 1; }
    double (*cbrt_p)(double) = (double (*)(double))dlsym(m, "cbrt");
    double (*hyp)(double, double) = (double (*)(double, double))dlsym(m, "hypot");
    printf("cbrt(27.5)=%.17g hypot=%.17g\n", cbrt_p(27.5), hyp(5, 12));
    Dl_info info;
    if (dladdr((void *)cbrt_p, &info) && info.dli_sname)
        printf("dladdr: %s in %s\n", info.dli_sname, base(info.dli_fname));
    printf("missing symbol: %s\n", dlsym(m, "no_such_symbol") ? "found" : dlerror() ? "error" : "?");

    void *none = dlopen("libnosuch.so.9", RTLD_NOW);
    printf("missing library: %s\n", none ? "opened" : dlerror());

    /* A library mapped, unmapped and mapped again (libgcc_s: a C program does not load it). */
    for (int round = 0; round < 2; round++) {
        void *g = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_LOCAL);
        if (!g) { printf("libgcc_s: %s\n", dlerror()); return 1; }
        int (*popcount)(unsigned) = (int (*)(unsigned))dlsym(g, "__popcountsi2");
        long long (*div)(long long, long long) =
            (long long (*)(long long, long long))dlsym(g, "__divdi3");
        if (!popcount || !div) { printf("dlsym: %s\n", dlerror()); return 1; }
        printf("round %d: popcount %d, div %lld\n", round, popcount(0xf0f0u + round),
               div(-123456789012345LL, 1000 + round));
        printf("dlclose: %d\n", dlclose(g));
    }

    /* A library whose code runs in threads it starts. It stays loaded: its idle threads
       wait inside it, so unloading it would pull the code from under them. */
    setenv("OMP_NUM_THREADS", "3", 1);
    void *g = dlopen("libgomp.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!g) { printf("libgomp: %s\n", dlerror()); return 1; }
    int (*max_threads)(void) = (int (*)(void))dlsym(g, "omp_get_max_threads");
    void (*parallel)(void (*)(void *), void *, unsigned, unsigned) =
        (void (*)(void (*)(void *), void *, unsigned, unsigned))dlsym(g, "GOMP_parallel");
    if (!max_threads || !parallel) { printf("dlsym: %s\n", dlerror()); return 1; }
    for (int round = 0; round < 2; round++) {
        int add = 10 + round;
        hits = 0;
        parallel(body, &add, 0, 0);
        printf("parallel %d: max threads %d, hits %d\n", round, max_threads(), hits);
    }
    printf("dlclose libm: %d\n", dlclose(m));
    return 0;
}
