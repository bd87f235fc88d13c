/* Conditional execution of every A32 condition code under all 16 NZCV values: a bit mask
 * of the conditions that passed, then conditional flag-setting ops, loads, stores, calls.
 * guest-modes: arm */
#include "macros.inc"
    .arm
    .text
    .global asm_main
asm_main:
    push {r4-r10, lr}
    mov r8, #0
1:  lsl r6, r8, #28
    msr APSR_nzcvqg, r6
    mov r0, #0
    orreq r0, r0, #1 << 0
    orrne r0, r0, #1 << 1
    orrcs r0, r0, #1 << 2
    orrcc r0, r0, #1 << 3
    orrmi r0, r0, #1 << 4
    orrpl r0, r0, #1 << 5
    orrvs r0, r0, #1 << 6
    orrvc r0, r0, #1 << 7
    orrhi r0, r0, #1 << 8
    orrls r0, r0, #1 << 9
    orrge r0, r0, #1 << 10
    orrlt r0, r0, #1 << 11
    orrgt r0, r0, #1 << 12
    orrle r0, r0, #1 << 13
    orral r0, r0, #1 << 14
    /* conditional flag setting: only executed forms change the flags */
    mov r9, #0
    addseq r9, r9, #0           @ sets Z, clears N
    subsne r9, r9, #1           @ r9 = -1: N
    rsbsvs r10, r8, #3
    movsmi r10, #0
    mrs r2, APSR
    orr r0, r0, r9, lsl #16
    mov r1, r0
    adr r0, tag_cond
    bl report
    add r8, r8, #1
    cmp r8, #16
    blt 1b

    /* conditional loads, stores, calls, returns. GE is cleared first: the AAPCS leaves it
       undefined after a call, and report's printf left glibc's string code's GE in it
       (under xlate's AOT path, strlen is host code and leaves GE alone). */
    mov r2, #0
    msr APSR_g, r2
    ldr r9, =scratch
    mov r10, #0
    cmp r10, #0
    ldreq r1, [r9]
    ldrne r1, [r9, #4]
    strne r10, [r9]
    strheq r10, [r9, #8]
    bleq bump
    blne bump
    blgt bump
    blle bump
    ldr r2, [r9, #8]
    add r1, r1, r2
    add r1, r1, r5
    adr r0, tag_mem
    mrs r2, APSR
    bl report
    /* conditional bx */
    mov r2, #0
    msr APSR_g, r2
    adr r1, target
    mov r5, #0
    cmp r5, #1
    bxeq r1
    bxlt r1
    mov r5, #99
target:
    add r1, r5, #7
    adr r0, tag_bx
    mrs r2, APSR
    bl report
    mov r0, #0
    pop {r4-r10, pc}

bump:
    add r5, r5, #0x100
    bx lr

tag_cond: .asciz "cond mask (bits 16+: r9)"
tag_mem: .asciz "cond mem/call"
tag_bx: .asciz "cond bx"
    .align 2
    .ltorg
    .data
scratch: .word 0x11111111, 0x22222222, 0x33333333
