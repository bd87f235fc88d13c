/* Saturation and the Q flag (read back with mrs): usat/ssat with shifts, usat16/ssat16,
 * qadd/qsub/qdadd/qdsub, parallel add/sub with GE (sadd8/uadd8/usub16/...) and sel,
 * uqadd8/qsub16/uhadd8/shsub16.
 * guest-modes: arm thumb */
#include "macros.inc"
    .text
    .global asm_main
    .macro SATS name, insn:vararg
    .irp init, 0x00000000, 0xf8000000
    TEST "\name 0,0 \init", \init, 0, 0, \insn
    TEST "\name 7fffffff,1 \init", \init, 0x7fffffff, 1, \insn
    TEST "\name 80000000,1 \init", \init, 0x80000000, 1, \insn
    TEST "\name 80000000,80000000 \init", \init, 0x80000000, 0x80000000, \insn
    TEST "\name 40000000,40000000 \init", \init, 0x40000000, 0x40000000, \insn
    TEST "\name 0000ff80,ffff8001 \init", \init, 0x0000ff80, 0xffff8001, \insn
    TEST "\name 7f807f80,80ff7f01 \init", \init, 0x7f807f80, 0x80ff7f01, \insn
    TEST "\name 12345678,9abcdef0 \init", \init, 0x12345678, 0x9abcdef0, \insn
    TEST "\name fffffe00,100 \init", \init, 0xfffffe00, 0x100, \insn
    .endr
    .endm
    .type asm_main, %function
asm_main:
    push {r4-r8, lr}
    SATS usat8, usat r0, #8, r4
    SATS usat0, usat r0, #0, r4
    SATS usat31, usat r0, #31, r4
    SATS usat8_lsl4, usat r0, #8, r4, lsl #4
    SATS usat16_asr8, usat r0, #16, r4, asr #8
    SATS ssat8, ssat r0, #8, r4
    SATS ssat1, ssat r0, #1, r4
    SATS ssat32, ssat r0, #32, r4
    SATS ssat16_lsl1, ssat r0, #16, r4, lsl #1
    SATS ssat12_asr31, ssat r0, #12, r4, asr #31
    SATS usat16x, usat16 r0, #8, r4
    SATS ssat16x, ssat16 r0, #8, r4
    SATS qadd, qadd r0, r4, r5
    SATS qsub, qsub r0, r4, r5
    SATS qdadd, qdadd r0, r4, r5
    SATS qdsub, qdsub r0, r4, r5
    SATS qadd16, qadd16 r0, r4, r5
    SATS qsub8, qsub8 r0, r4, r5
    SATS uqadd8, uqadd8 r0, r4, r5
    SATS uqsub16, uqsub16 r0, r4, r5
    SATS sadd8, sadd8 r0, r4, r5
    SATS uadd8, uadd8 r0, r4, r5
    SATS ssub16, ssub16 r0, r4, r5
    SATS usub8, usub8 r0, r4, r5
    SATS sasx, sasx r0, r4, r5
    SATS uhadd8, uhadd8 r0, r4, r5
    SATS shsub16, shsub16 r0, r4, r5
    SATS usad8, usad8 r0, r4, r5
SEQ(seq_sat_1, uadd8 r0, r4, r5; sel r0, r4, r5)
    SATS uadd8_sel, seq_sat_1
SEQ(seq_sat_2, usub16 r0, r4, r5; sel r0, r5, r4)
    SATS usub16_sel, seq_sat_2
    mov r0, #0
    pop {r4-r8, pc}
