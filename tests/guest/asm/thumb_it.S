/* Thumb-2: IT blocks (ITE, ITTE, ITETE, ITTTT) under every flag combination, flag-setting
 * instructions inside IT blocks (which change the later conditions), branches at the end of
 * an IT block, cbz/cbnz, tbb/tbh tables, and 16-bit flag-setting forms (lsls by register
 * counts 0/32/33, adcs, negs, muls).
 * guest-modes: thumb */
#include "macros.inc"
    .thumb
    .text
    .global asm_main
    .macro ITALL name, insn:vararg
    .irp init, 0x00000000, 0x40000000, 0x80000000, 0x20000000, 0x10000000, 0x60000000, 0x90000000, 0xb0000000
    TEST "\name \init", \init, 3, 3, \insn
    .endr
    .endm
    .thumb_func
    .type asm_main, %function
asm_main:
    push {r4-r8, lr}
SEQ(seq_thumb_it_1, mov r0, #0; ite eq; moveq r0, #1; movne r0, #2)
    ITALL ite_eq, seq_thumb_it_1
SEQ(seq_thumb_it_2, mov r0, #0; itte cs; addcs r0, r0, #1; addcs r0, r0, #2; subcc r0, r0, #4)
    ITALL itte_cs, seq_thumb_it_2
SEQ(seq_thumb_it_3, mov r0, #0; itete mi; addmi r0, #1; subpl r0, #1; addmi r0, #4; subpl r0, #8)
    ITALL itete_mi, seq_thumb_it_3
SEQ(seq_thumb_it_4, mov r0, #1; itttt vs; lslvs r0, r0, #1; lslvs r0, r0, #2; addvs r0, #1; eorvs r0, #0x80)
    ITALL itttt_vs, seq_thumb_it_4
SEQ(seq_thumb_it_5, mov r0, #0; ite hi; movhi r0, #1; movls r0, #2)
    ITALL ite_hi, seq_thumb_it_5
SEQ(seq_thumb_it_6, mov r0, #0; ite ge; movge r0, #1; movlt r0, #2)
    ITALL ite_ge, seq_thumb_it_6
SEQ(seq_thumb_it_7, mov r0, #0; ite gt; movgt r0, #1; movle r0, #2)
    ITALL ite_gt, seq_thumb_it_7
SEQ(seq_thumb_it_8, mov r0, #5; itte eq; cmpeq r4, #4; moveq r0, #7; movne r0, #9)
    ITALL itt_cmp_inside, seq_thumb_it_8
SEQ(seq_thumb_it_9, mov r0, #0; itt pl; subspl r0, r4, #4; addpl r0, #0x55)
    ITALL itt_subs_inside, seq_thumb_it_9
SEQ(seq_thumb_it_10, mov r0, #1; itee ne; subsne r0, r0, #1; subseq r0, r0, #2; addeq r0, #0x40)
    ITALL itee_subs_inside, seq_thumb_it_10
SEQ(seq_thumb_it_11, mov r0, #0; it eq; beq 1f; mov r0, #0x99; 1: add r0, r0, #1)
    ITALL it_branch, seq_thumb_it_11
SEQ(seq_thumb_it_12, ldr r7, =word; mov r0, #0; itt ne; ldrne r0, [r7]; addne r0, r0, #1)
    ITALL itt_ldr, seq_thumb_it_12
    /* cbz/cbnz */
SEQ(seq_thumb_it_13, mov r0, #1; cbz r4, 1f; mov r0, #2; 1: add r0, #0x10)
    TEST "cbz taken", 0, 0, 1, seq_thumb_it_13
SEQ(seq_thumb_it_14, mov r0, #1; cbz r4, 1f; mov r0, #2; 1: add r0, #0x10)
    TEST "cbz not taken", 0, 5, 1, seq_thumb_it_14
SEQ(seq_thumb_it_15, mov r0, #1; cbnz r4, 1f; mov r0, #2; 1: add r0, #0x10)
    TEST "cbnz taken", 0, 5, 1, seq_thumb_it_15
    /* table branches */
    .irp idx, 0, 1, 2, 3, 4
    TEST "tbb \idx", 0, \idx, 0, bl do_tbb
    TEST "tbh \idx", 0, \idx, 0, bl do_tbh
    .endr
    /* 16-bit flag-setting forms outside IT blocks */
SEQ(seq_thumb_it_16, mov r0, r4; lsls r0, r5)
SEQ(seq_thumb_it_17, mov r0, r4; lsrs r0, r5)
SEQ(seq_thumb_it_18, mov r0, r4; asrs r0, r5)
SEQ(seq_thumb_it_19, mov r0, r4; rors r0, r5)
    .irp cnt, 0, 1, 31, 32, 33, 255, 256
    TEST "lsls reg \cnt", 0x20000000, 0x80000001, \cnt, seq_thumb_it_16
    TEST "lsrs reg \cnt", 0x20000000, 0x80000001, \cnt, seq_thumb_it_17
    TEST "asrs reg \cnt", 0x20000000, 0x80000001, \cnt, seq_thumb_it_18
    TEST "rors reg \cnt", 0x20000000, 0x80000001, \cnt, seq_thumb_it_19
    .endr
SEQ(seq_thumb_it_20, mov r0, r4; adcs r0, r5)
    PAIRS adcs16, seq_thumb_it_20
SEQ(seq_thumb_it_21, mov r0, r4; sbcs r0, r5)
    PAIRS sbcs16, seq_thumb_it_21
    PAIRS negs16, negs r0, r5
SEQ(seq_thumb_it_22, mov r0, r4; muls r0, r5, r0)
    PAIRS muls16, seq_thumb_it_22
    PAIRS orns32, orns r0, r4, r5
    PAIRS subs_w, subs.w r0, r4, r5, lsl #3
    mov r0, #0
    pop {r4-r8, pc}

    .thumb_func
do_tbb:
    mov r0, #0
    tbb [pc, r4]
1:  .byte (2f - 1b) / 2, (3f - 1b) / 2, (4f - 1b) / 2, (5f - 1b) / 2, (6f - 1b) / 2
    .align 1
2:  add r0, #1
3:  add r0, #2
4:  add r0, #4
    b 7f
5:  add r0, #0x20
6:  add r0, #0x40
7:  bx lr

    .thumb_func
do_tbh:
    mov r0, #0
    tbh [pc, r4, lsl #1]
1:  .hword (2f - 1b) / 2, (3f - 1b) / 2, (4f - 1b) / 2, (5f - 1b) / 2, (6f - 1b) / 2
2:  add r0, #1
    b 7f
3:  add r0, #2
    .space 600          @ far targets need tbh
4:  add r0, #4
    b 7f
5:  add r0, #0x20
6:  add r0, #0x40
7:  bx lr
    .ltorg
    .data
word: .word 0x1234

