/* The decoder's IT handling (lifter/decode): conditions of insns inside IT blocks, the
   UNPREDICTABLE IT forms, and no IT state leaking from one decode run into the next. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lifter/decode/decode.h"

static struct xl_decoder dec;

static bool decode16(uint16_t hw, uint32_t addr, struct xl_insn *out)
{
    uint8_t b[2] = { (uint8_t)hw, (uint8_t)(hw >> 8) };
    return xl_decode(&dec, b, 2, addr, true, out);
}

/* ite eq; movs r0, #1; movs r0, #2; adds r0, r0, r1: eq, ne, then unconditional. */
static void test_ite_conditions(void **state)
{
    (void)state;
    struct xl_insn i;
    xl_decoder_reset(&dec);
    assert_true(decode16(0xbf0c, 0x1000, &i));     /* ite eq */
    assert_true(decode16(0x2001, 0x1002, &i));     /* moveq r0, #1 */
    assert_int_equal(i.cond, ARM_COND_EQ);
    assert_true(i.in_it);
    assert_false(i.it_last);
    assert_true(decode16(0x2002, 0x1004, &i));     /* movne r0, #2 */
    assert_int_equal(i.cond, ARM_COND_NE);
    assert_true(i.it_last);
    assert_true(decode16(0x1840, 0x1006, &i));     /* adds r0, r0, r1 */
    assert_int_equal(i.cond, ARM_COND_AL);
    assert_false(i.in_it);
    assert_true(i.arm->update_flags);              /* outside IT, the 16-bit add sets flags */
}

/* UNPREDICTABLE ITs are refused (A8.8.54): firstcond 1111, and AL with an else. */
static void test_bad_it(void **state)
{
    (void)state;
    struct xl_insn i;
    xl_decoder_reset(&dec);
    assert_false(decode16(0xbff8, 0x1000, &i));    /* it <1111> */
    xl_decoder_reset(&dec);
    assert_false(decode16(0xbfec, 0x1000, &i));    /* ite al: 1110, mask 1100 */
    xl_decoder_reset(&dec);
    assert_false(decode16(0xbfe6, 0x1000, &i));    /* itte al: mask 0110 */
    xl_decoder_reset(&dec);
    assert_true(decode16(0xbfe8, 0x1000, &i));     /* it al: allowed */
    xl_decoder_reset(&dec);
    assert_true(decode16(0xbfe4, 0x1000, &i));     /* itt al: mask 0100, allowed */
}

/* A nested IT is refused, and after a reset nothing of either IT is left. */
static void test_nested_it_does_not_leak(void **state)
{
    (void)state;
    struct xl_insn i;
    xl_decoder_reset(&dec);
    assert_true(decode16(0xbf08, 0x1000, &i));     /* it eq */
    assert_false(decode16(0xbf18, 0x1002, &i));    /* it ne inside it: refused */
    xl_decoder_reset(&dec);
    assert_true(decode16(0x1840, 0x2000, &i));     /* adds r0, r0, r1 */
    assert_int_equal(i.cond, ARM_COND_AL);
    assert_true(i.arm->update_flags);
}

/* An insn inside an IT block that capstone cannot decode (here a VLD4 with a reserved
   alignment, raw-decoded by the NEON frontend) still takes its IT slot, and capstone's own
   IT state, which it did not advance, is neither trusted nor left over for the next run
   (found by fuzz_lift: the second translation of a block got other conditions). */
static void test_it_slot_of_undecodable_insn(void **state)
{
    (void)state;
    static const uint8_t code[] = {
        0xdb, 0xbf,                 /* ittet le */
        0x61, 0xf9, 0x64, 0x65,     /* vld4.16 {..}, [r1:256], r4: capstone refuses it */
        0xf1, 0x6e,                 /* ldrle r1, [r6, #0x6c] */
        0xf9, 0xbc,                 /* popgt {r0, r3-r7} */
        0x40, 0x18,                 /* addle r0, r0, r1 */
        0x40, 0x18,                 /* adds r0, r0, r1 */
    };
    static const enum arm_cond want[] = {
        ARM_COND_AL, ARM_COND_LE, ARM_COND_LE, ARM_COND_GT, ARM_COND_LE, ARM_COND_AL,
    };
    for (int run = 0; run < 2; run++) {
        struct xl_insn i;
        size_t off = 0;
        xl_decoder_reset(&dec);
        for (unsigned k = 0; k < sizeof want / sizeof want[0]; k++) {
            bool ok = xl_decode(&dec, code + off, sizeof code - off, 0x1000 + (uint32_t)off,
                                true, &i);
            assert_true(ok || k == 1);
            assert_int_equal(i.cond, want[k]);
            assert_int_equal(i.in_it, k >= 1 && k <= 4);
            off += i.size;
        }
        assert_true(i.arm->update_flags);   /* capstone agrees the IT block is over */
    }
}

int main(void)
{
    if (xl_decoder_init(&dec) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ite_conditions),
        cmocka_unit_test(test_bad_it),
        cmocka_unit_test(test_nested_it_does_not_leak),
        cmocka_unit_test(test_it_slot_of_undecodable_insn),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xl_decoder_fini(&dec);
    return rc;
}
