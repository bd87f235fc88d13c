/* Exclusive monitor: ldrex/strex of every size (b, h, word, d), a failing strex after
 * clrex and without a ldrex, a strex after a successful strex, dmb/dsb/isb.
 * guest-modes: arm thumb */
#include "macros.inc"
    .text
    .global asm_main
    .macro REP tag, reg
    .pushsection .rodata.tags, "a"
9005:
    .asciz "\tag"
    .popsection
    mov r1, \reg
    ldr r0, =9005b
    bl report_word
    .endm
    .type asm_main, %function
asm_main:
    push {r4-r10, lr}
    ldr r9, =cell
    /* word: load, add, store succeeds (0) */
    ldrex r4, [r9]
    add r4, r4, #1
    strex r5, r4, [r9]
    REP "strex ok", r5
    ldr r6, [r9]
    REP "word", r6
    /* a second strex without a new ldrex fails (1) and leaves memory alone */
    mov r4, #77
    strex r5, r4, [r9]
    REP "strex again", r5
    /* clrex between ldrex and strex: fails */
    ldrex r4, [r9]
    clrex
    strex r5, r4, [r9]
    REP "strex after clrex", r5
    ldr r6, [r9]
    REP "word unchanged", r6
    /* bytes and halfwords, zero-extending loads */
    ldrexb r4, [r9]
    add r6, r4, #0x81
    strexb r5, r6, [r9]
    REP "ldrexb", r4
    REP "strexb", r5
    add r8, r9, #2
    ldrexh r4, [r8]
    movw r7, #0x8001
    add r6, r4, r7
    strexh r5, r6, [r8]
    REP "ldrexh", r4
    REP "strexh", r5
    ldr r6, [r9]
    REP "word after b/h", r6
    /* doubleword */
    add r8, r9, #8
    ldrexd r2, r3, [r8]
    mov r6, r2
    mov r10, r3
    adds r2, r2, #1
    adc r3, r3, #0
    strexd r5, r2, r3, [r8]
    REP "ldrexd lo", r6
    REP "ldrexd hi", r10
    REP "strexd", r5
    ldrd r2, r3, [r8]
    strexd r5, r2, r3, [r8]
    mov r6, r3
    REP "d lo", r2
    REP "d hi", r6
    REP "strexd again", r5
    /* an atomic increment loop, as the compiler emits it */
    mov r10, #0
1:  ldrex r4, [r9]
    add r4, r4, #3
    strex r5, r4, [r9]
    cmp r5, #0
    bne 1b
    add r10, r10, #1
    cmp r10, #100
    bne 1b
    dmb ish
    dsb sy
    isb
    ldr r6, [r9]
    REP "after loop", r6
    mov r0, #0
    pop {r4-r10, pc}
    .ltorg
    .data
    .align 3
cell: .word 0x7ffffffe, 0, 0xffffffff, 0x00000001
