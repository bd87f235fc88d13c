/* Bitfield and byte ops: ubfx/sbfx/bfi/bfc, rbit/rev/rev16/revsh, clz, the extends with
 * rotation and accumulate (uxtb/sxth/uxtab/sxtah/uxtb16/sxtab16), pkhbt/pkhtb, and
 * sdiv/udiv including division by zero (result 0) and INT_MIN / -1.
 * guest-modes: arm thumb */
#include "macros.inc"
    .arch armv7-a
    .arch_extension idiv
    .text
    .global asm_main
    .macro ONE name, insn:vararg
    TEST "\name 0,0", 0, 0, 0, \insn
    TEST "\name 80000001,3", 0, 0x80000001, 3, \insn
    TEST "\name ffffffff,ffffffff", 0, 0xffffffff, 0xffffffff, \insn
    TEST "\name 12345678,9abcdef0", 0, 0x12345678, 0x9abcdef0, \insn
    TEST "\name 00ff8000,7", 0xf0000000, 0x00ff8000, 7, \insn
    TEST "\name 80000000,ffffffff", 0, 0x80000000, 0xffffffff, \insn
    TEST "\name 7fffffff,fffffffe", 0, 0x7fffffff, 0xfffffffe, \insn
    TEST "\name deadbeef,0", 0, 0xdeadbeef, 0, \insn
    .endm
    .type asm_main, %function
asm_main:
    push {r4-r8, lr}
    ONE ubfx_4_8, ubfx r0, r4, #4, #8
    ONE ubfx_0_32, ubfx r0, r4, #0, #32
    ONE ubfx_31_1, ubfx r0, r4, #31, #1
    ONE sbfx_4_8, sbfx r0, r4, #4, #8
    ONE sbfx_20_12, sbfx r0, r4, #20, #12
    ONE sbfx_0_1, sbfx r0, r4, #0, #1
SEQ(seq_bitops_1, mov r0, r5; bfi r0, r4, #8, #12)
    ONE bfi_8_12, seq_bitops_1
SEQ(seq_bitops_2, mov r0, r5; bfi r0, r4, #0, #32)
    ONE bfi_0_32, seq_bitops_2
SEQ(seq_bitops_3, mov r0, r5; bfi r0, r4, #31, #1)
    ONE bfi_31_1, seq_bitops_3
SEQ(seq_bitops_4, mov r0, r4; bfc r0, #4, #20)
    ONE bfc_4_20, seq_bitops_4
    ONE rbit, rbit r0, r4
    ONE rev, rev r0, r4
    ONE rev16, rev16 r0, r4
    ONE revsh, revsh r0, r4
    ONE clz, clz r0, r4
    ONE uxtb, uxtb r0, r4
    ONE uxtb_ror8, uxtb r0, r4, ror #8
    ONE sxtb_ror24, sxtb r0, r4, ror #24
    ONE uxth_ror16, uxth r0, r4, ror #16
    ONE sxth, sxth r0, r4
    ONE uxtab, uxtab r0, r5, r4
    ONE uxtab_ror16, uxtab r0, r5, r4, ror #16
    ONE sxtah, sxtah r0, r5, r4
    ONE sxtab_ror8, sxtab r0, r5, r4, ror #8
    ONE uxtah, uxtah r0, r5, r4
    ONE uxtb16, uxtb16 r0, r4
    ONE sxtb16_ror8, sxtb16 r0, r4, ror #8
    ONE uxtab16, uxtab16 r0, r5, r4
    ONE pkhbt_lsl8, pkhbt r0, r4, r5, lsl #8
    ONE pkhtb_asr4, pkhtb r0, r4, r5, asr #4
    ONE sdiv, sdiv r0, r4, r5
    ONE udiv, udiv r0, r4, r5
    ONE sdiv_rev, sdiv r0, r5, r4
    ONE udiv_rev, udiv r0, r5, r4
    ONE mvn_lsl3, mvn r0, r4, lsl #3
    ONE bic_ror, bic r0, r5, r4, ror #12
SEQ(seq_bitops_5, movw r0, #0x1234; movt r0, #0xfedc)
    ONE movw_movt, seq_bitops_5
SEQ(seq_bitops_6, mov r0, r4; movt r0, #0x55aa)
    ONE movt_keep, seq_bitops_6
    mov r0, #0
    pop {r4-r8, pc}
