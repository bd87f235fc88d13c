/*
 * Runtime pure parts: ARM structure conversions, the initial stack, the guest region
 * bookkeeping, the kuser page (its words, and its compare-and-swaps run through the ARM
 * frontend, the interpreter and the JIT, from four host threads at once), CPSR and
 * sigcontext. Expected values are worked out by hand from the ARM kernel headers (offsets
 * in comments), never copied from output. Nothing here reserves guest memory (the kuser
 * runs use a small MAP_32BIT mapping), so this test also runs under ASan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "lifter/arm/arm.h"
#include "lifter/helpers/helpers.h"
#include "lifter/jit/jit.h"
#include "runtime/rt_internal.h"
#include "runtime/bytes.h"

static void test_stat64(void **state)
{
    (void)state;
    struct stat st;
    memset(&st, 0, sizeof(st));
    st.st_dev = 0x0000000100000803ull;
    st.st_ino = 0x123456789aull;
    st.st_mode = 0100644;
    st.st_nlink = 3;
    st.st_uid = 1000;
    st.st_gid = 100;
    st.st_rdev = 0x0000000200000501ull;
    st.st_size = 0x1122334455ll;
    st.st_blksize = 4096;
    st.st_blocks = 0x100000008ll;
    st.st_atim.tv_sec = 1700000001; st.st_atim.tv_nsec = 11;
    st.st_mtim.tv_sec = 1700000002; st.st_mtim.tv_nsec = 22;
    st.st_ctim.tv_sec = 1700000003; st.st_ctim.tv_nsec = 33;
    uint8_t out[RT_ARM_STAT64_SIZE + 8];
    memset(out, 0xee, sizeof(out));
    rt_conv_stat64(&st, out);
    assert_int_equal(rt_get64(out, 0), 0x0000000100000803ull);     /* st_dev */
    assert_int_equal(rt_get32(out, 8), 0);                         /* __pad0 */
    assert_int_equal(rt_get32(out, 12), 0x3456789a);               /* __st_ino: low 32 bits */
    assert_int_equal(rt_get32(out, 16), 0100644);                  /* st_mode */
    assert_int_equal(rt_get32(out, 20), 3);                        /* st_nlink */
    assert_int_equal(rt_get32(out, 24), 1000);                     /* st_uid */
    assert_int_equal(rt_get32(out, 28), 100);                      /* st_gid */
    assert_int_equal(rt_get64(out, 32), 0x0000000200000501ull);    /* st_rdev */
    assert_int_equal(rt_get64(out, 40), 0);                        /* __pad3 + EABI padding */
    assert_int_equal(rt_get64(out, 48), 0x1122334455ull);          /* st_size */
    assert_int_equal(rt_get32(out, 56), 4096);                     /* st_blksize */
    assert_int_equal(rt_get32(out, 60), 0);                        /* padding */
    assert_int_equal(rt_get64(out, 64), 0x100000008ull);           /* st_blocks */
    assert_int_equal(rt_get32(out, 72), 1700000001);               /* st_atime */
    assert_int_equal(rt_get32(out, 76), 11);
    assert_int_equal(rt_get32(out, 80), 1700000002);               /* st_mtime */
    assert_int_equal(rt_get32(out, 84), 22);
    assert_int_equal(rt_get32(out, 88), 1700000003);               /* st_ctime */
    assert_int_equal(rt_get32(out, 92), 33);
    assert_int_equal(rt_get64(out, 96), 0x123456789aull);          /* st_ino */
    assert_int_equal(out[104], 0xee);                         /* nothing past 104 bytes */
}

static void test_statfs64(void **state)
{
    (void)state;
    struct statfs s;
    memset(&s, 0, sizeof(s));
    s.f_type = 0xef53;
    s.f_bsize = 4096;
    s.f_blocks = 0x200000001ull;
    s.f_bfree = 5;
    s.f_bavail = 6;
    s.f_files = 7;
    s.f_ffree = 8;
    int fsid[2] = { 0x11, 0x22 };
    memcpy(&s.f_fsid, fsid, 8);
    s.f_namelen = 255;
    s.f_frsize = 1024;
    s.f_flags = 0x20;
    uint8_t out[RT_ARM_STATFS64_SIZE + 4];
    memset(out, 0xee, sizeof(out));
    rt_conv_statfs64(&s, out);
    assert_int_equal(rt_get32(out, 0), 0xef53);
    assert_int_equal(rt_get32(out, 4), 4096);
    assert_int_equal(rt_get64(out, 8), 0x200000001ull);
    assert_int_equal(rt_get64(out, 16), 5);
    assert_int_equal(rt_get64(out, 24), 6);
    assert_int_equal(rt_get64(out, 32), 7);
    assert_int_equal(rt_get64(out, 40), 8);
    assert_int_equal(rt_get32(out, 48), 0x11);
    assert_int_equal(rt_get32(out, 52), 0x22);
    assert_int_equal(rt_get32(out, 56), 255);
    assert_int_equal(rt_get32(out, 60), 1024);
    assert_int_equal(rt_get32(out, 64), 0x20);
    assert_int_equal(rt_get32(out, 68), 0);                        /* f_spare[0] */
    assert_int_equal(rt_get32(out, 80), 0);                        /* f_spare[3] */
    assert_int_equal(out[84], 0xee);
}

static void test_sysinfo(void **state)
{
    (void)state;
    struct sysinfo s;
    memset(&s, 0, sizeof(s));
    s.uptime = 1234;
    s.loads[0] = 1; s.loads[1] = 2; s.loads[2] = 3;
    s.totalram = 0x10;  s.freeram = 0x11;  s.sharedram = 0x12; s.bufferram = 0x13;
    s.totalswap = 0x14; s.freeswap = 0x15; s.procs = 77;
    s.totalhigh = 0x16; s.freehigh = 0x17; s.mem_unit = 1;
    uint8_t out[RT_ARM_SYSINFO_SIZE];
    rt_conv_sysinfo(&s, out);
    assert_int_equal(rt_get32(out, 0), 1234);
    assert_int_equal(rt_get32(out, 4), 1);
    assert_int_equal(rt_get32(out, 12), 3);
    assert_int_equal(rt_get32(out, 16), 0x10);   /* totalram */
    assert_int_equal(rt_get32(out, 36), 0x15);   /* freeswap */
    assert_int_equal(out[40] | out[41] << 8, 77);   /* procs (unsigned short) */
    assert_int_equal(rt_get32(out, 44), 0x16);   /* totalhigh */
    assert_int_equal(rt_get32(out, 48), 0x17);   /* freehigh */
    assert_int_equal(rt_get32(out, 52), 1);      /* mem_unit */

    /* 16 GiB of RAM in bytes does not fit: mem_unit goes to 4096 (12 shifts). */
    s.totalram = 16ull << 30;
    s.freeram = 8ull << 30;
    rt_conv_sysinfo(&s, out);
    assert_int_equal(rt_get32(out, 52), 4096);
    assert_int_equal(rt_get32(out, 16), (16ull << 30) >> 12);
    assert_int_equal(rt_get32(out, 20), (8ull << 30) >> 12);
}

static void test_timespec(void **state)
{
    (void)state;
    uint8_t in32[8] = { 0xff, 0xff, 0xff, 0xff, 0x40, 0x42, 0x0f, 0x00 };  /* -1 s, 1e6 ns */
    struct timespec ts;
    rt_ts32_to_host(in32, &ts);
    assert_int_equal(ts.tv_sec, -1);
    assert_int_equal(ts.tv_nsec, 1000000);
    ts.tv_sec = 0x12345678;
    ts.tv_nsec = 999999999;
    uint8_t out32[8];
    rt_ts32_from_host(&ts, out32);
    assert_int_equal(rt_get32(out32, 0), 0x12345678);
    assert_int_equal(rt_get32(out32, 4), 999999999);

    uint8_t in64[16];
    uint64_t sec = 0x100000002ull, nsec = 0xdeadbeef00000005ull;   /* nsec upper half ignored */
    memcpy(in64, &sec, 8);
    memcpy(in64 + 8, &nsec, 8);
    rt_ts64_to_host(in64, &ts);
    assert_int_equal(ts.tv_sec, 0x100000002ll);
    assert_int_equal(ts.tv_nsec, 5);
    uint8_t out64[16];
    rt_ts64_from_host(&ts, out64);
    assert_int_equal(rt_get64(out64, 0), 0x100000002ull);
    assert_int_equal(rt_get64(out64, 8), 5);
}

static void test_iovec(void **state)
{
    (void)state;
    uint32_t in[4] = { 0x8000, 5, 0xfffff000, 0x1000 };     /* {base, len} pairs */
    struct iovec h[2];
    rt_iov_to_host((const uint8_t *)in, 2, h);
    assert_ptr_equal(h[0].iov_base, (void *)0x8000);
    assert_int_equal(h[0].iov_len, 5);
    assert_ptr_equal(h[1].iov_base, (void *)0xfffff000ul);  /* zero-extended */
    assert_int_equal(h[1].iov_len, 0x1000);
}

static void test_rlimit(void **state)
{
    (void)state;
    uint8_t out[8];
    rt_rlimit32_from_host(8u << 20, ~0ull, out);
    assert_int_equal(rt_get32(out, 0), 8u << 20);
    assert_int_equal(rt_get32(out, 4), 0xffffffffu);             /* RLIM_INFINITY */
    rt_rlimit32_from_host(0x100000000ull, 7, out);
    assert_int_equal(rt_get32(out, 0), 0xffffffffu);
    assert_int_equal(rt_get32(out, 4), 7);
}

static void test_open_flags(void **state)
{
    (void)state;
    /* ARM O_DIRECTORY 040000, O_NOFOLLOW 0100000, O_DIRECT 0200000, O_LARGEFILE 0400000;
       x86-64 O_DIRECT 040000, O_LARGEFILE 0100000, O_DIRECTORY 0200000, O_NOFOLLOW 0400000. */
    assert_int_equal(rt_open_flags_to_host(040000), 0200000);
    assert_int_equal(rt_open_flags_to_host(0100000), 0400000);
    assert_int_equal(rt_open_flags_to_host(0200000), 040000);
    assert_int_equal(rt_open_flags_to_host(0400000), 0100000);
    /* O_RDWR|O_CREAT|O_TRUNC|O_APPEND|O_NONBLOCK|O_CLOEXEC are common. */
    assert_int_equal(rt_open_flags_to_host(02 | 0100 | 01000 | 02000 | 04000 | 02000000),
                     02 | 0100 | 01000 | 02000 | 04000 | 02000000);
    assert_int_equal(rt_open_flags_to_host(0400000 | 040000 | 02000000),
                     0100000 | 0200000 | 02000000);
    assert_int_equal(rt_open_flags_from_host(0100000 | 0200000 | 2), 0400000 | 040000 | 2);
    assert_int_equal(O_DIRECTORY, 0200000);     /* the host really is x86-64 */
}

static void test_sigaction(void **state)
{
    (void)state;
    uint32_t in[5] = { 0x10a01, 0x04000004, 0x10b00, 0x00004001, 0x80000000 };
    struct rt_gsigaction a;
    rt_sigaction_from_arm((const uint8_t *)in, &a);
    assert_int_equal(a.handler, 0x10a01);
    assert_int_equal(a.flags, 0x04000004);          /* SA_RESTORER | SA_SIGINFO */
    assert_int_equal(a.restorer, 0x10b00);
    assert_int_equal(a.mask, 0x8000000000004001ull); /* SIGHUP, SIGTERM(15), signal 64 */
    uint8_t out[RT_ARM_SIGACTION_SIZE];
    rt_sigaction_to_arm(&a, out);
    assert_memory_equal(out, in, 20);
}

/* The initial stack, checked word by word. */
static void test_stack(void **state)
{
    (void)state;
    enum { BASE = 0x7000000, SIZE = 0x2000 };
    uint32_t top = BASE + SIZE;
    uint8_t *mem = calloc(1, SIZE);
    char *argv[] = { "./p", "ab", NULL };
    char *envp[] = { "X=1", NULL };
    uint8_t rnd[16];
    for (int i = 0; i < 16; i++)
        rnd[i] = (uint8_t)(i * 3);
    struct rt_stack_args a = {
        .argc = 2, .argv = argv, .envp = envp, .execfn = "./p", .platform = "v7l",
        .random16 = rnd, .phdr = 0x10034, .phent = 32, .phnum = 6, .entry = 0x10341,
        .hwcap = RT_HWCAP_ARM, .hwcap2 = 0, .uid = 1, .euid = 2, .gid = 3, .egid = 4,
    };
    uint32_t sp = 0;
    assert_int_equal(rt_build_stack(mem, BASE, top, &a, &sp), 0);
#define AT(addr) (mem + ((addr) - BASE))
    /* From the top: 4 zero bytes, "./p\0" (execfn), "X=1\0", "ab\0", "./p\0". */
    assert_int_equal(rt_get32(AT(top - 4), 0), 0);
    uint32_t execfn = top - 8, env0 = top - 12, arg1 = top - 15, arg0 = top - 19;
    assert_string_equal((char *)AT(execfn), "./p");
    assert_string_equal((char *)AT(env0), "X=1");
    assert_string_equal((char *)AT(arg1), "ab");
    assert_string_equal((char *)AT(arg0), "./p");
    /* Aligned down to 4 (top - 20), then "v7l\0" and the 16 random bytes. */
    uint32_t plat = top - 24, random = top - 40;
    assert_string_equal((char *)AT(plat), "v7l");
    assert_memory_equal(AT(random), rnd, 16);
    /* argc, 2 argv, NULL, 1 envp, NULL, 19 auxv pairs = 44 words = 176 bytes, below
       top - 48 (random aligned to 16): sp = (top - 48 - 176) & ~15 = top - 224. */
    assert_int_equal(sp, top - 224);
    assert_int_equal(sp & 15, 0);
    const uint8_t *w = AT(sp);
    assert_int_equal(rt_get32(w, 0), 2);
    assert_int_equal(rt_get32(w, 4), arg0);
    assert_int_equal(rt_get32(w, 8), arg1);
    assert_int_equal(rt_get32(w, 12), 0);
    assert_int_equal(rt_get32(w, 16), env0);
    assert_int_equal(rt_get32(w, 20), 0);
    static const uint32_t want[][2] = {
        { 16, 0 /* hwcap below */ }, { 6, 4096 }, { 17, 100 }, { 3, 0x10034 }, { 4, 32 },
        { 5, 6 }, { 7, 0 }, { 8, 0 }, { 9, 0x10341 }, { 11, 1 }, { 12, 2 }, { 13, 3 },
        { 14, 4 }, { 23, 0 }, { 25, 0 /* random */ }, { 26, 0 }, { 31, 0 /* execfn */ },
        { 15, 0 /* platform */ }, { 0, 0 },
    };
    for (unsigned i = 0; i < 19; i++) {
        uint32_t type = rt_get32(w, 24 + 8 * i), val = rt_get32(w, 28 + 8 * i);
        assert_int_equal(type, want[i][0]);
        if (type == AT_HWCAP)
            /* HALF|THUMB|FAST_MULT|VFP|EDSP|NEON|VFPv3|TLS|VFPv4|IDIVA|IDIVT|VFPD32 */
            assert_int_equal(val, 0x2|0x4|0x10|0x40|0x80|0x1000|0x2000|0x8000|0x10000|0x20000|
                                  0x40000|0x80000);
        else if (type == AT_RANDOM)
            assert_int_equal(val, random);
        else if (type == AT_EXECFN)
            assert_int_equal(val, execfn);
        else if (type == AT_PLATFORM)
            assert_int_equal(val, plat);
        else
            assert_int_equal(val, want[i][1]);
    }
#undef AT
    /* Too small a stack is refused. */
    assert_int_equal(rt_build_stack(mem, top - 64, top, &a, &sp), -1);
    free(mem);
}

static void test_regions(void **state)
{
    (void)state;
    struct rt_mem m;
    rt_mem_init(&m);
    rt_mem_set(&m, 0x10000, 0x20000, RT_PROT_R | RT_PROT_X);
    rt_mem_set(&m, 0x30000, 0x32000, RT_PROT_R | RT_PROT_W);
    rt_mem_set(&m, 0xff000000u, 0xfffe0000u, RT_PROT_R | RT_PROT_W);   /* "stack" */
    assert_int_equal(m.n, 3);
    assert_int_equal(rt_mem_find(&m, 0x1ffff)->prot, RT_PROT_R | RT_PROT_X);
    assert_null(rt_mem_find(&m, 0x20000));
    assert_true(rt_mem_mapped(&m, 0x10000, 0x20000));
    assert_false(rt_mem_mapped(&m, 0x10000, 0x20001));
    assert_true(rt_mem_free(&m, 0x20000, 0x30000));
    assert_false(rt_mem_free(&m, 0x20000, 0x30001));
    /* Code bytes available from 0x1f000: to the end of the executable region. */
    assert_int_equal(rt_mem_code_avail(&m, 0x1f000), 0x1000);
    assert_int_equal(rt_mem_code_avail(&m, 0x30000), 0);          /* not executable */
    assert_int_equal(rt_mem_code_avail(&m, 0x40000), 0);          /* not mapped */

    /* Top-down allocation below 0xff000000 - guard, above brk (0x32000). */
    uint32_t top = 0xff000000u - RT_STACK_GUARD;
    uint32_t a = rt_mem_find_free(&m, 0x1800, 0x32000, top);     /* rounds up to 2 pages */
    assert_int_equal(a, top - 0x2000);
    rt_mem_set(&m, a, (uint64_t)a + 0x2000, RT_PROT_R | RT_PROT_W);
    uint32_t b = rt_mem_find_free(&m, 0x1000, 0x32000, top);
    assert_int_equal(b, top - 0x3000);
    rt_mem_set(&m, b, (uint64_t)b + 0x1000, RT_PROT_R);
    /* munmap of the upper one leaves a hole that the next fitting request reuses. */
    rt_mem_clear(&m, a, (uint64_t)a + 0x2000);
    assert_int_equal(rt_mem_find_free(&m, 0x2000, 0x32000, top), a);
    assert_int_equal(rt_mem_find_free(&m, 0x3000, 0x32000, top), b - 0x3000);
    /* A gap too small everywhere: nothing. */
    assert_int_equal(rt_mem_find_free(&m, 0x11000, 0x20000, 0x30000), 0);
    assert_int_equal(rt_mem_find_free(&m, 0x10000, 0x20000, 0x30000), 0x20000);

    /* Splitting: mprotect the middle page of [0x10000, 0x20000). */
    rt_mem_set(&m, 0x14000, 0x15000, RT_PROT_R);
    assert_int_equal(rt_mem_find(&m, 0x13fff)->prot, RT_PROT_R | RT_PROT_X);
    assert_int_equal(rt_mem_find(&m, 0x14000)->prot, RT_PROT_R);
    assert_int_equal(rt_mem_find(&m, 0x15000)->prot, RT_PROT_R | RT_PROT_X);
    assert_int_equal(rt_mem_code_avail(&m, 0x13000), 0x1000);
    assert_true(rt_mem_mapped(&m, 0x10000, 0x20000));
    /* ... and back: one region again, as when the loader sets a text page by page. */
    size_t n = m.n;
    rt_mem_set(&m, 0x14000, 0x15000, RT_PROT_R | RT_PROT_X);
    assert_int_equal(m.n, n - 2);
    assert_int_equal(rt_mem_find(&m, 0x14000)->start, 0x10000);
    assert_int_equal(rt_mem_find(&m, 0x14000)->end, 0x20000);
    for (uint32_t pg = 0x50000; pg < 0x60000; pg += 0x1000)
        rt_mem_set(&m, pg, pg + 0x1000, RT_PROT_R | RT_PROT_X);
    assert_int_equal(m.n, n - 1);
    assert_int_equal(rt_mem_code_avail(&m, 0x50000), 0x10000);
    rt_mem_set(&m, 0x14000, 0x15000, RT_PROT_R);    /* the split again, for what follows */
    /* Clearing across region boundaries. */
    rt_mem_clear(&m, 0x12000, 0x31000);
    assert_int_equal(rt_mem_find(&m, 0x11fff)->end, 0x12000);
    assert_null(rt_mem_find(&m, 0x14000));
    assert_int_equal(rt_mem_find(&m, 0x31000)->start, 0x31000);
    /* Regions stay sorted and disjoint. */
    for (size_t i = 1; i < m.n; i++)
        assert_true(m.r[i - 1].end <= m.r[i].start);
    /* The top of the address space. */
    rt_mem_set(&m, RT_KUSER_PAGE, RT_GUEST_HI, RT_PROT_R | RT_PROT_X);
    assert_int_equal(rt_mem_code_avail(&m, 0xffff0fe0u), 0x100000000ull - 0xffff0fe0u);
    rt_mem_fini(&m);
}

static void test_kuser(void **state)
{
    (void)state;
    uint8_t *page = malloc(RT_PAGE);
    rt_kuser_fill(page);
    assert_true(rt_get32(page, 0xffc) >= 2);                 /* __kuser_helper_version */
    assert_int_equal(rt_get32(page, 0xfe0), 0xee1d0f70);     /* mrc p15, 0, r0, c13, c0, 3 */
    assert_int_equal(rt_get32(page, 0xfe4), 0xe12fff1e);     /* bx lr */
    assert_int_equal(rt_get32(page, 0xfa0), 0xf57ff05b);     /* dmb ish */
    assert_int_equal(rt_get32(page, 0x508), 0xe3a070ad);     /* mov r7, #173 (rt_sigreturn) */
    assert_int_equal(rt_get32(page, 0xfc0), 0xf57ff05b);     /* dmb ish */
    assert_int_equal(rt_get32(page, 0xfc4), 0xe1923f9f);     /* ldrex r3, [r2] */
    assert_int_equal(rt_get32(page, 0xfcc), 0x01823f91);     /* strexeq r3, r1, [r2] */
    assert_int_equal(rt_get32(page, 0xfd8), 0xe2730000);     /* rsbs r0, r3, #0 */
    assert_int_equal(rt_get32(page, 0xfdc), 0xeaffffef);     /* b 0xffff0fa0 */
    assert_int_equal(rt_get32(page, 0xf60), 0xe92d00f2);     /* push {r1, r4-r7} */
    assert_int_equal(rt_get32(page, 0xf70), 0xe1b20f9f);     /* ldrexd r0, r1, [r2] */
    assert_int_equal(rt_get32(page, 0xf7c), 0x01a23f96);     /* strexdeq r3, r6, r7, [r2] */
    free(page);
}

/* ---- The kuser compare-and-swaps, run ----
 * The page's ARM code is translated by the frontend and run by the interpreter (one call
 * each), then by the JIT from 4 host threads that increment shared counters through the
 * helpers: the translated ldrex/strex must be a real compare-and-swap for the sums to be
 * exact. Guest code and data live in a small MAP_32BIT mapping (no guest reservation). */

#define K_CMPXCHG (RT_KUSER_PAGE + 0xfc0)
#define K_CMPXCHG64 (RT_KUSER_PAGE + 0xf60)
#define K_RET 0x100                             /* the callers' lr: stop there */
#define K_SIZE 0x4000u
static uint8_t *kpage, *klow;                   /* the kuser page; guest code and data */

static uint32_t kaddr(uint32_t off) { return (uint32_t)(uintptr_t)klow + off; }

static const uint8_t *kfetch(void *ctx, uint32_t addr, uint32_t *avail)
{
    (void)ctx;
    if (addr >= RT_KUSER_PAGE && addr < RT_KUSER_PAGE + RT_PAGE) {
        *avail = RT_KUSER_PAGE + RT_PAGE - addr;
        return kpage + (addr - RT_KUSER_PAGE);
    }
    if (addr >= kaddr(0) && addr < kaddr(K_SIZE)) {
        *avail = kaddr(K_SIZE) - addr;
        return klow + (addr - kaddr(0));
    }
    return NULL;
}

static void kuser_setup(void)
{
    kpage = malloc(RT_PAGE);
    assert_non_null(kpage);
    rt_kuser_fill(kpage);
    klow = mmap(NULL, K_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                -1, 0);
    assert_true(klow != MAP_FAILED && (uintptr_t)klow + K_SIZE < 0x80000000u);
}

static void kuser_teardown(void)
{
    munmap(klow, K_SIZE);
    free(kpage);
}

/* Calls the helper at `entry` with the interpreter, block by block, until it returns. */
static void kuser_call(struct arm_frontend *fe, struct cpu *c, uint32_t entry)
{
    struct arm_code src = { kfetch, NULL };
    c->r[14] = K_RET;
    c->r[15] = entry;
    c->thumb = 0;
    for (int n = 0; c->r[15] != K_RET; n++) {
        assert_true(n < 32);
        struct ir_block b;
        arm_translate_block(fe, &src, c->r[15], false, 0, &b);
        assert_null(ir_verify(&b, NULL));
        ir_optimize(&b);
        assert_int_equal(ir_interp_block(&b, c, NULL), IR_EXIT_LOOKUP);
        ir_block_free(&b);
    }
}

static void test_kuser_cmpxchg_calls(void **state)
{
    (void)state;
    kuser_setup();
    struct arm_frontend *fe = arm_frontend_new();
    assert_non_null(fe);
    uint32_t p = kaddr(0x800), sp = kaddr(0x1000);
    for (int hit = 0; hit < 2; hit++) {
        /* cmpxchg: r0 = oldval, r1 = newval, r2 = ptr; r0 = 0 and C iff stored */
        struct cpu c;
        memset(&c, 0, sizeof(c));
        c.excl_addr = ~0u;
        rt_put32(klow, 0x800, hit ? 5 : 6);
        c.r[0] = 5;
        c.r[1] = 9;
        c.r[2] = p;
        c.r[13] = sp;
        kuser_call(fe, &c, K_CMPXCHG);
        assert_int_equal(c.r[0] == 0, hit);
        assert_int_equal(c.CF, hit);
        assert_int_equal(rt_get32(klow, 0x800), hit ? 9 : 6);
        assert_int_equal(c.r[1], 9);                /* r1 and r2 survive */
        assert_int_equal(c.r[2], p);
        assert_int_equal(c.r[13], sp);

        /* cmpxchg64: r0 = &oldval, r1 = &newval, r2 = ptr; only the high word differs */
        memset(&c, 0, sizeof(c));
        c.excl_addr = ~0u;
        rt_put64(klow, 0x808, hit ? 0x1111111122222222ull : 0x1111111222222222ull);
        rt_put64(klow, 0x900, 0x1111111122222222ull);
        rt_put64(klow, 0x908, 0x3333333344444444ull);
        for (int r = 4; r < 8; r++)
            c.r[r] = 0x4040 + (uint32_t)r;
        c.r[0] = kaddr(0x900);
        c.r[1] = kaddr(0x908);
        c.r[2] = p + 8;
        c.r[13] = sp;
        kuser_call(fe, &c, K_CMPXCHG64);
        assert_int_equal(c.r[0] == 0, hit);
        assert_int_equal(c.CF, hit);
        assert_int_equal(rt_get64(klow, 0x808),
                         hit ? 0x3333333344444444ull : 0x1111111222222222ull);
        for (int r = 4; r < 8; r++)
            assert_int_equal(c.r[r], 0x4040 + (uint32_t)r);
        assert_int_equal(c.r[1], kaddr(0x908));     /* r1 and r2 survive */
        assert_int_equal(c.r[2], p + 8);
        assert_int_equal(c.r[13], sp);
    }
    arm_frontend_free(fe);
    kuser_teardown();
}

/*
 * At klow + 0 (arm-linux-gnueabihf-as), with r4 = counters, r5 = __kuser_cmpxchg,
 * r7 = __kuser_cmpxchg64, r6 = r10 = N, sp = the thread's oldval/newval area:
 */
static const uint32_t kuser_loop[] = {
    0xe5940000,     /* loop:   ldr    r0, [r4]            */
    0xe2801001,     /*         add    r1, r0, #1          */
    0xe1a02004,     /*         mov    r2, r4              */
    0xe12fff35,     /*         blx    r5                  */
    0x3afffffa,     /*         bcc    loop                */
    0xe2566001,     /*         subs   r6, r6, #1          */
    0x1afffff8,     /*         bne    loop                */
    0xe1c400d8,     /* loop64: ldrd   r0, r1, [r4, #8]    */
    0xe1cd00f0,     /*         strd   r0, r1, [sp]        oldval */
    0xe2900001,     /*         adds   r0, r0, #1          */
    0xe2a11001,     /*         adc    r1, r1, #1          + 0x100000001 */
    0xe1cd00f8,     /*         strd   r0, r1, [sp, #8]    newval */
    0xe1a0000d,     /*         mov    r0, sp              */
    0xe28d1008,     /*         add    r1, sp, #8          */
    0xe2842008,     /*         add    r2, r4, #8          */
    0xe12fff37,     /*         blx    r7                  */
    0x3afffff5,     /*         bcc    loop64              */
    0xe25aa001,     /*         subs   r10, r10, #1        */
    0x1afffff3,     /*         bne    loop64              */
    0xef000000,     /*         svc    0                   */
};

#define K_THREADS 4
#define K_N 200000

struct kthread {
    struct arm_frontend *fe;
    struct jit *j;
    struct cpu c;
    pthread_barrier_t *start;           /* all threads begin together: contention */
    enum ir_exit exit;
};

static bool ktranslate(void *ctx, uint32_t pc, bool thumb, struct ir_block *out)
{
    struct arm_code src = { kfetch, NULL };
    arm_translate_block(((struct kthread *)ctx)->fe, &src, pc, thumb, 0, out);
    ir_optimize(out);
    return true;
}

static void *kthread_run(void *arg)
{
    struct kthread *t = arg;
    pthread_barrier_wait(t->start);
    t->exit = jit_exec(t->j, &t->c);
    return NULL;
}

static void test_kuser_cmpxchg_threads(void **state)
{
    (void)state;
    kuser_setup();
    memcpy(klow, kuser_loop, sizeof(kuser_loop));
    memset(klow + 0x800, 0, 16);
    struct kthread t[K_THREADS];
    pthread_t tid[K_THREADS];
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, K_THREADS), 0);
    for (int i = 0; i < K_THREADS; i++) {
        memset(&t[i], 0, sizeof(t[i]));
        t[i].start = &start;
        t[i].fe = arm_frontend_new();
        assert_non_null(t[i].fe);
        struct jit_hooks h = { .translate = ktranslate, .ctx = &t[i] };
        t[i].j = jit_new(&h);
        assert_non_null(t[i].j);
        struct cpu *c = &t[i].c;
        c->excl_addr = ~0u;
        c->r[4] = kaddr(0x800);
        c->r[5] = K_CMPXCHG;
        c->r[7] = K_CMPXCHG64;
        c->r[6] = c->r[10] = K_N;
        c->r[13] = kaddr(0x1000 + 0x100 * (uint32_t)(i + 1));
        c->r[15] = kaddr(0);
    }
    for (int i = 0; i < K_THREADS; i++)
        assert_int_equal(pthread_create(&tid[i], NULL, kthread_run, &t[i]), 0);
    for (int i = 0; i < K_THREADS; i++)
        assert_int_equal(pthread_join(tid[i], NULL), 0);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < K_THREADS; i++) {
        assert_int_equal(t[i].exit, IR_EXIT_SYSCALL);
        assert_int_equal(t[i].c.exit_pc, kaddr(sizeof(kuser_loop) - 4));
        jit_free(t[i].j);
        arm_frontend_free(t[i].fe);
    }
    assert_int_equal(rt_get32(klow, 0x800), K_THREADS * K_N);
    assert_int_equal(rt_get64(klow, 0x808), 0x100000001ull * K_THREADS * K_N);
    kuser_teardown();
}

static void test_cpsr(void **state)
{
    (void)state;
    struct cpu c;
    memset(&c, 0, sizeof(c));
    c.ZF = 1;
    assert_int_equal(rt_cpsr(&c), 0x10);                /* usr, nothing set */
    c.NF = 0x80000000u; c.ZF = 0; c.CF = 1; c.VF = 0x80000000u; c.QF = 1; c.GE = 0xa;
    c.thumb = 1;
    assert_int_equal(rt_cpsr(&c), 0xf80a0030u);
    struct cpu d;
    memset(&d, 0, sizeof(d));
    rt_set_cpsr(&d, 0x600f0010u);                       /* Z C, GE=0xf, ARM */
    assert_int_equal(d.NF >> 31, 0);
    assert_int_equal(d.ZF, 0);
    assert_int_equal(d.CF, 1);
    assert_int_equal(d.VF >> 31, 0);
    assert_int_equal(d.GE, 0xf);
    assert_int_equal(d.thumb, 0);
}

static void test_sigcontext(void **state)
{
    (void)state;
    /* Offsets of struct ucontext (arm): uc_mcontext at 20, sigcontext's arm_r0 at +12,
       arm_cpsr at +76, uc_sigmask at 104, uc_regspace at 232. */
    assert_int_equal(RT_SC_R0, 32);
    assert_int_equal(RT_SC_CPSR, 96);
    assert_int_equal(RT_SC_FAULT, 100);
    assert_int_equal(RT_UC_SIZE, 744);
    assert_int_equal(RT_RTFRAME_SIZE, 128 + 744 + 8);
    struct cpu c;
    memset(&c, 0, sizeof(c));
    for (int i = 0; i < 16; i++)
        c.r[i] = 0x100u * (uint32_t)i + 1;
    c.r[15] = 0x10400;
    c.ZF = 0;                                           /* Z set */
    c.thumb = 1;
    c.d[31] = 0x0123456789abcdefull;
    xl_fpscr_set(&c, 0x03000000);  /* clears the host flags that cmocka itself raised */
    uint8_t *uc = calloc(1, RT_UC_SIZE);
    rt_sigcontext_save(&c, 0x4001, uc);
    assert_int_equal(rt_get32(uc, 28), 0x4001);              /* oldmask */
    assert_int_equal(rt_get32(uc, 32), 1);                   /* arm_r0 */
    assert_int_equal(rt_get32(uc, 32 + 13 * 4), 0xd01);      /* arm_sp */
    assert_int_equal(rt_get32(uc, 92), 0x10400);             /* arm_pc */
    assert_int_equal(rt_get32(uc, 96), 0x40000030);          /* arm_cpsr: Z, T, usr */
    assert_int_equal(rt_get64(uc, 104), 0x4001);             /* uc_sigmask */
    assert_int_equal(rt_get32(uc, 232), 0x56465001);         /* VFP_MAGIC */
    assert_int_equal(rt_get32(uc, 236), 288);                /* VFP_STORAGE_SIZE */
    assert_int_equal(rt_get64(uc, 240 + 31 * 8), 0x0123456789abcdefull);
    assert_int_equal(rt_get32(uc, 240 + 256), 0x03000000);   /* fpscr */

    struct cpu r;
    memset(&r, 0, sizeof(r));
    uint64_t mask;
    uint32_t newpc = 0x20001, newcpsr = 0x80000010;     /* N, ARM state */
    memcpy(uc + 92, &newpc, 4);
    memcpy(uc + 96, &newcpsr, 4);
    rt_sigcontext_restore(&r, &mask, uc);
    assert_int_equal(mask, 0x4001);
    assert_int_equal(r.r[13], 0xd01);
    assert_int_equal(r.r[15], 0x20000);                 /* ARM pc: low bits dropped */
    assert_int_equal(r.thumb, 0);
    assert_int_equal(r.NF >> 31, 1);
    assert_int_equal(r.d[31], 0x0123456789abcdefull);
    assert_int_equal(r.fpscr, 0x03000000);
    free(uc);
}

static void test_rusage(void **state)
{
    (void)state;
    struct rusage ru;
    memset(&ru, 0, sizeof(ru));
    ru.ru_utime.tv_sec = 3;
    ru.ru_utime.tv_usec = 500000;
    ru.ru_stime.tv_sec = 1;
    ru.ru_stime.tv_usec = 7;
    ru.ru_maxrss = 12345;
    ru.ru_minflt = 66;
    ru.ru_nivcsw = 9;
    uint8_t out[RT_ARM_RUSAGE_SIZE];
    memset(out, 0xee, sizeof(out));
    rt_conv_rusage(&ru, out);
    /* struct rusage, 32-bit longs: utime {0, 4}, stime {8, 12}, ru_maxrss 16, ixrss 20,
       idrss 24, isrss 28, minflt 32, majflt 36, ..., nvcsw 64, nivcsw 68. */
    assert_int_equal(rt_get32(out, 0), 3);
    assert_int_equal(rt_get32(out, 4), 500000);
    assert_int_equal(rt_get32(out, 8), 1);
    assert_int_equal(rt_get32(out, 12), 7);
    assert_int_equal(rt_get32(out, 16), 12345);
    assert_int_equal(rt_get32(out, 32), 66);
    assert_int_equal(rt_get32(out, 36), 0);
    assert_int_equal(rt_get32(out, 68), 9);
}

static void test_siginfo(void **state)
{
    (void)state;
    siginfo_t h;
    memset(&h, 0, sizeof(h));
    h.si_signo = SIGCHLD;
    h.si_code = CLD_EXITED;
    h.si_pid = 4321;
    h.si_uid = 1000;
    h.si_status = 42;
    h.si_utime = 5;
    h.si_stime = 6;
    uint8_t out[RT_ARM_SIGINFO_SIZE];
    struct rt_siginfo si = rt_siginfo_from_host(&h);
    rt_siginfo_to_arm(&si, out);
    /* ARM siginfo: signo 0, errno 4, code 8, _sigchld pid 12, uid 16, status 20, utime 24,
       stime 28. */
    assert_int_equal(rt_get32(out, 0), SIGCHLD);
    assert_int_equal(rt_get32(out, 4), 0);
    assert_int_equal(rt_get32(out, 8), CLD_EXITED);
    assert_int_equal(rt_get32(out, 12), 4321);
    assert_int_equal(rt_get32(out, 16), 1000);
    assert_int_equal(rt_get32(out, 20), 42);
    assert_int_equal(rt_get32(out, 24), 5);
    assert_int_equal(rt_get32(out, 28), 6);

    /* sigqueue: _rt pid 12, uid 16, sigval 20. */
    memset(&h, 0, sizeof(h));
    h.si_signo = SIGUSR1;
    h.si_code = SI_QUEUE;
    h.si_pid = 7;
    h.si_uid = 8;
    h.si_value.sival_int = 0x1234;
    si = rt_siginfo_from_host(&h);
    rt_siginfo_to_arm(&si, out);
    assert_int_equal(rt_get32(out, 8), (uint32_t)SI_QUEUE);
    assert_int_equal(rt_get32(out, 12), 7);
    assert_int_equal(rt_get32(out, 16), 8);
    assert_int_equal(rt_get32(out, 20), 0x1234);
    assert_int_equal(rt_get32(out, 24), 0);

    /* A fault: si_addr at 12; a kill(SIGSEGV) (SI_USER) has pid/uid there instead. */
    si = (struct rt_siginfo){ .signo = SIGSEGV, .code = 1, .addr = 0xdead0 };
    rt_siginfo_to_arm(&si, out);
    assert_int_equal(rt_get32(out, 12), 0xdead0);
    si = (struct rt_siginfo){ .signo = SIGSEGV, .code = 0, .addr = 0xdead0, .pid = 3 };
    rt_siginfo_to_arm(&si, out);
    assert_int_equal(rt_get32(out, 12), 3);
}

static void test_exec_kind(void **state)
{
    (void)state;
    uint8_t elf[52];
    memset(elf, 0, sizeof(elf));
    memcpy(elf, "\177ELF", 4);
    elf[4] = 1;             /* ELFCLASS32 */
    elf[5] = 1;             /* ELFDATA2LSB */
    elf[18] = 40;           /* e_machine EM_ARM, little-endian */
    assert_int_equal(rt_exec_kind_of(elf, sizeof(elf)), RT_EXEC_ARM);
    elf[18] = 62;           /* EM_X86_64 */
    assert_int_equal(rt_exec_kind_of(elf, sizeof(elf)), RT_EXEC_HOST);
    elf[18] = 40;
    elf[4] = 2;             /* ELFCLASS64 with EM_ARM: not a program for us */
    assert_int_equal(rt_exec_kind_of(elf, sizeof(elf)), RT_EXEC_HOST);
    assert_int_equal(rt_exec_kind_of(elf, 10), RT_EXEC_HOST);       /* truncated */
    assert_int_equal(rt_exec_kind_of((const uint8_t *)"#!/bin/sh\n", 10), RT_EXEC_SCRIPT);
    assert_int_equal(rt_exec_kind_of((const uint8_t *)"#", 1), RT_EXEC_HOST);

    char interp[64], arg[64];
    const char *s1 = "#! /usr/bin/env  python3 -u \r\nprint()\n";
    assert_int_equal(rt_exec_shebang(s1, strlen(s1), interp, sizeof(interp), arg,
                                     sizeof(arg)), 0);
    assert_string_equal(interp, "/usr/bin/env");
    assert_string_equal(arg, "python3 -u");     /* one argument, as Linux passes it */
    const char *s2 = "#!/bin/sh\n";
    assert_int_equal(rt_exec_shebang(s2, strlen(s2), interp, sizeof(interp), arg,
                                     sizeof(arg)), 0);
    assert_string_equal(interp, "/bin/sh");
    assert_string_equal(arg, "");
    const char *s3 = "#!   \n";           /* no interpreter */
    assert_int_equal(rt_exec_shebang(s3, strlen(s3), interp, sizeof(interp), arg,
                                     sizeof(arg)), -1);
    const char *s4 = "#!/bin/sh";           /* no end of line within the bytes read */
    assert_int_equal(rt_exec_shebang(s4, strlen(s4), interp, sizeof(interp), arg,
                                     sizeof(arg)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stat64),     cmocka_unit_test(test_statfs64),
        cmocka_unit_test(test_sysinfo),    cmocka_unit_test(test_timespec),
        cmocka_unit_test(test_iovec),      cmocka_unit_test(test_rlimit),
        cmocka_unit_test(test_open_flags), cmocka_unit_test(test_sigaction),
        cmocka_unit_test(test_stack),      cmocka_unit_test(test_regions),
        cmocka_unit_test(test_kuser),      cmocka_unit_test(test_kuser_cmpxchg_calls),
        cmocka_unit_test(test_kuser_cmpxchg_threads),
        cmocka_unit_test(test_cpsr),
        cmocka_unit_test(test_sigcontext), cmocka_unit_test(test_rusage),
        cmocka_unit_test(test_siginfo),    cmocka_unit_test(test_exec_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
