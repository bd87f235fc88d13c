/*
 * Runtime pure parts of threads and signals: guest <-> host signal numbers and masks (the
 * real-time signals sit two higher on the host, which keeps 32 and 33 for its libc), and
 * the walk of a 32-bit robust futex list. Expected values are worked out by hand from the
 * ARM kernel's struct robust_list_head {next, futex_offset, list_op_pending}. And the µIR
 * the threads' JITs share (ir_share.c): a copy comes back whole, for its code generation
 * only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>

#include "lifter/ir/ir.h"
#include "runtime/rt_internal.h"

static void test_signal_numbers(void **state)
{
    (void)state;
    assert_int_equal(rt_sig_to_host(SIGSEGV), SIGSEGV);
    assert_int_equal(rt_sig_to_host(31), 31);
    assert_int_equal(rt_sig_to_host(32), 34);       /* the guest libc's SIGCANCEL */
    assert_int_equal(rt_sig_to_host(33), 35);
    assert_int_equal(rt_sig_to_host(62), 64);
    assert_int_equal(rt_sig_to_host(63), -1);
    assert_int_equal(rt_sig_to_host(64), -1);
    assert_int_equal(rt_sig_to_host(0), -1);
    assert_int_equal(rt_sig_from_host(34), 32);
    assert_int_equal(rt_sig_from_host(64), 62);
    assert_int_equal(rt_sig_from_host(32), -1);     /* the host libc's own */
    assert_int_equal(rt_sig_from_host(33), -1);
    for (int g = 1; g <= 62; g++)
        assert_int_equal(rt_sig_from_host(rt_sig_to_host(g)), g);
}

static void test_signal_masks(void **state)
{
    (void)state;
    /* bit s-1 is signal s */
    uint64_t g = 1ull << (SIGUSR1 - 1) | 1ull << 31 /* 32 */ | 1ull << 61 /* 62 */ |
                 1ull << 63 /* 64: no host number */;
    uint64_t h = rt_sigmask_to_host(g);
    assert_true(h == (1ull << (SIGUSR1 - 1) | 1ull << 33 /* 34 */ | 1ull << 63 /* 64 */));
    assert_true(rt_sigmask_from_host(h) == (g & ~(1ull << 63)));
    /* host 32 and 33 have no guest number */
    assert_true(rt_sigmask_from_host(1ull << 31 | 1ull << 32) == 0);
    sigset_t s;
    rt_host_sigset(1ull << 33 | 1ull << (SIGINT - 1), &s);
    assert_int_equal(sigismember(&s, 34), 1);
    assert_int_equal(sigismember(&s, SIGINT), 1);
    assert_int_equal(sigismember(&s, SIGTERM), 0);
}

/* A fake guest memory of 64 words at guest address 0x1000. */
struct fake {
    uint32_t w[64];
    uint32_t marked[16];
    int nmarked, count;
};

static uint32_t fake_rd(void *ctx, uint32_t addr, bool *ok)
{
    struct fake *f = ctx;
    if (addr < 0x1000 || addr >= 0x1000 + sizeof(f->w) || (addr & 3)) {
        *ok = false;
        return 0;
    }
    return f->w[(addr - 0x1000) / 4];
}

static void fake_mark(void *ctx, uint32_t uaddr)
{
    struct fake *f = ctx;
    if (f->nmarked < 16)
        f->marked[f->nmarked++] = uaddr;
    f->count++;
}

static void test_robust_walk(void **state)
{
    (void)state;
    struct fake f;
    memset(&f, 0, sizeof(f));
    /* head at 0x1000: next = 0x1010, futex_offset = -4, pending = 0x1030 */
    f.w[0] = 0x1010;
    f.w[1] = (uint32_t)-4;
    f.w[2] = 0x1030;
    f.w[4] = 0x1021;        /* entry 0x1010 -> 0x1020, a PI lock (bit 0) */
    f.w[8] = 0x1030;        /* entry 0x1020 -> 0x1030 */
    f.w[12] = 0x1000;       /* entry 0x1030 (the pending one) -> head */
    rt_robust_walk(0x1000, fake_rd, fake_mark, &f);
    assert_int_equal(f.nmarked, 3);
    assert_int_equal(f.marked[0], 0x100c);
    assert_int_equal(f.marked[1], 0x101c);
    assert_int_equal(f.marked[2], 0x102c);  /* the pending one once, at the end */

    /* an empty list: next points at the head itself; nothing pending */
    memset(&f, 0, sizeof(f));
    f.w[0] = 0x1000;
    rt_robust_walk(0x1000, fake_rd, fake_mark, &f);
    assert_int_equal(f.nmarked, 0);

    /* a list that leaves the fake memory: as the kernel, the entry whose next cannot be
       read is still handled (its lock word may be fine), then the walk stops */
    memset(&f, 0, sizeof(f));
    f.w[0] = 0x1010;
    f.w[4] = 0x9000;
    rt_robust_walk(0x1000, fake_rd, fake_mark, &f);
    assert_int_equal(f.nmarked, 2);
    assert_int_equal(f.marked[1], 0x9000);
    /* a cycle stops at the limit */
    memset(&f, 0, sizeof(f));
    f.w[0] = 0x1010;
    f.w[4] = 0x1010;        /* points at itself */
    rt_robust_walk(0x1000, fake_rd, fake_mark, &f);
    assert_int_equal(f.count, 2048);        /* the kernel's ROBUST_LIST_LIMIT */
}

/* A block of n movs, told apart by its pc and the constant of its first one. */
static void make_block(struct ir_block *b, uint32_t pc, bool thumb, int n)
{
    ir_block_init(b, pc, thumb);
    ir_temp t = ir_new_i32(b);
    for (int i = 0; i < n; i++)
        ir_gen_movi_i32(b, t, pc + (uint32_t)i);
    b->n_insns = 3;
    b->guest_end = pc + 12;
}

static void test_ir_share(void **state)
{
    (void)state;
    struct rt_ir_share s;
    memset(&s, 0, sizeof(s));
    pthread_mutex_init(&s.lock, NULL);
    struct ir_block b, got;

    /* put, then get: the same ops and temps, arrays of their own */
    make_block(&b, 0x10000, false, 4);
    rt_ir_share_put(&s, 1, &b);
    memset(&got, 0, sizeof(got));
    assert_true(rt_ir_share_get(&s, 1, 0x10000, false, &got));
    assert_int_equal(got.n_ops, b.n_ops);
    assert_int_equal(got.n_temps, b.n_temps);
    assert_int_equal(got.n_insns, 3);
    assert_int_equal(got.guest_end, 0x1000c);
    assert_memory_equal(got.ops, b.ops, b.n_ops * sizeof(*b.ops));
    assert_memory_equal(got.temps, b.temps, b.n_temps * sizeof(*b.temps));
    assert_ptr_not_equal(got.ops, b.ops);
    ir_block_free(&got);
    /* the Thumb block at the same pc is another one; pc 0 is never kept */
    assert_false(rt_ir_share_get(&s, 1, 0x10000, true, &got));
    ir_block_free(&b);
    make_block(&b, 0, false, 1);
    rt_ir_share_put(&s, 1, &b);
    assert_false(rt_ir_share_get(&s, 1, 0, false, &got));
    ir_block_free(&b);

    /* many blocks: the table grows and keeps them all */
    for (uint32_t i = 1; i <= 3000; i++) {
        make_block(&b, 0x20000 + 4 * i, i & 1, (int)(i % 7) + 1);
        rt_ir_share_put(&s, 1, &b);
        ir_block_free(&b);
    }
    for (uint32_t i = 1; i <= 3000; i++) {
        assert_true(rt_ir_share_get(&s, 1, 0x20000 + 4 * i, i & 1, &got));
        assert_int_equal(got.n_ops, i % 7 + 1);
        assert_int_equal(got.temps[got.ops[0].args[1]].val, 0x20000 + 4 * i);
        ir_block_free(&got);
    }

    /* a copy lifted in an older code generation is never handed out ... */
    make_block(&b, 0x30000, false, 2);
    rt_ir_share_put(&s, 2, &b);         /* generation 2 empties the table */
    assert_false(rt_ir_share_get(&s, 2, 0x10000, false, &got));
    rt_ir_share_put(&s, 1, &b);         /* lifted before the change: dropped */
    ir_block_free(&b);
    make_block(&b, 0x30004, false, 2);
    rt_ir_share_put(&s, 1, &b);
    assert_false(rt_ir_share_get(&s, 2, 0x30004, false, &got));
    ir_block_free(&b);
    /* ... nor asked for by a thread that read the old generation */
    assert_false(rt_ir_share_get(&s, 1, 0x30000, false, &got));
    assert_true(rt_ir_share_get(&s, 2, 0x30000, false, &got));
    ir_block_free(&got);
    /* a get at a newer generation empties it too */
    assert_false(rt_ir_share_get(&s, 3, 0x30000, false, &got));
    assert_int_equal(s.n, 0);
    rt_ir_share_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signal_numbers),
        cmocka_unit_test(test_signal_masks),
        cmocka_unit_test(test_robust_walk),
        cmocka_unit_test(test_ir_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
