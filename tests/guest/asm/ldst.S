/* Loads and stores: ldm/stm in all four modes with and without writeback, push/pop,
 * ldrd/strd, pre/post-indexed with writeback, scaled register offsets, sign-extending
 * byte/halfword loads. Reports base registers relative to the buffer, and memory.
 * guest-modes: arm */
#include "macros.inc"
    .arm
    .text
    .global asm_main
    .macro REPW tag, reg
    .pushsection .rodata.tags, "a"
9006:
    .asciz "\tag"
    .popsection
    mov r1, \reg
    ldr r0, =9006b
    bl report_word
    .endm
    .macro REPBASE tag, reg         /* base register minus buf */
    ldr r1, =buf
    sub r1, \reg, r1
    REPW "\tag", r1
    .endm
    .macro DUMP tag                 /* checksum of buf's 64 words */
    ldr r8, =buf
    mov r1, #0
    mov r2, #64
9007: ldr r3, [r8], #4
    add r1, r3, r1, ror #7
    subs r2, r2, #1
    bne 9007b
    REPW "\tag", r1
    .endm
    .macro RESET
    ldr r8, =buf
    mov r2, #0
9008: add r3, r2, r2, lsl #16
    str r3, [r8, r2, lsl #2]
    add r2, r2, #1
    cmp r2, #64
    bne 9008b
    mov r1, #0x11
    orr r2, r1, r1, lsl #8
    orr r3, r2, r2, lsl #16
    add r4, r3, r3
    add r5, r4, r3
    add r6, r5, r3
    .endm
asm_main:
    push {r4-r10, lr}
    .irp mode, ia, ib, da, db
    RESET
    add r9, r8, #128
    stm\mode r9!, {r2-r6}
    REPBASE "stm\mode! base", r9
    DUMP "stm\mode! mem"
    add r9, r8, #128
    stm\mode r9, {r3, r5}
    REPBASE "stm\mode base", r9
    DUMP "stm\mode mem"
    add r9, r8, #64
    ldm\mode r9!, {r2-r6}
    REPBASE "ldm\mode! base", r9
    add r2, r2, r3, lsl #1
    add r2, r2, r6, lsl #3
    REPW "ldm\mode! regs", r2
    add r9, r8, #64
    ldm\mode r9, {r4, r6}
    sub r4, r4, r6
    REPW "ldm\mode regs", r4
    .endr
    RESET
    add r9, r8, #40
    ldrd r2, r3, [r9, #8]!
    REPBASE "ldrd pre! base", r9
    eor r2, r2, r3
    REPW "ldrd pre! val", r2
    ldrd r2, r3, [r9], #-16
    REPBASE "ldrd post base", r9
    add r2, r2, r3
    REPW "ldrd post val", r2
    mov r4, #8
    ldrd r2, r3, [r9, -r4]
    REPW "ldrd reg lo", r2
    ldr r2, =0xa5a5a5a5
    mvn r3, r2
    strd r2, r3, [r9, #16]!
    REPBASE "strd pre! base", r9
    strd r2, r3, [r9], r4
    REPBASE "strd post base", r9
    DUMP "strd mem"
    RESET
    add r9, r8, #100
    ldr r2, [r9, #4]!
    REPBASE "ldr pre! base", r9
    REPW "ldr pre! val", r2
    ldr r2, [r9], #-8
    REPBASE "ldr post base", r9
    mov r4, #3
    ldr r2, [r9, r4, lsl #2]
    REPW "ldr lsl2", r2
    ldr r2, [r9, -r4, lsl #3]!
    REPBASE "ldr -lsl3! base", r9
    REPW "ldr -lsl3! val", r2
    ldr r2, =0x8090a0b0
    str r2, [r9, #1]           @ unaligned store (allowed on v7 for str)
    ldrb r3, [r9, #2]
    REPW "ldrb", r3
    ldrsb r3, [r9, #2]
    REPW "ldrsb", r3
    ldrh r3, [r9, #3]          @ unaligned halfword
    REPW "ldrh unaligned", r3
    ldrsh r3, [r9, #3]
    REPW "ldrsh unaligned", r3
    ldr r3, [r9, #2]           @ unaligned word
    REPW "ldr unaligned", r3
    mov r4, #6
    ldrsh r3, [r9, r4]!
    REPBASE "ldrsh reg! base", r9
    REPW "ldrsh reg! val", r3
    strh r2, [r9], #2
    strb r2, [r9, #-1]!
    REPBASE "strb pre! base", r9
    ldrsb r3, [r9], #1
    REPW "ldrsb post val", r3
    DUMP "bytes mem"
    /* push/pop and stm with sp; pop pc */
    mov r2, #2
    mov r3, #3
    push {r2, r3}
    pop {r4, r5}
    add r4, r4, r5, lsl #4
    REPW "push/pop", r4
    bl sub_popspc
    REPW "pop pc", r0
    mov r0, #0
    pop {r4-r10, pc}
sub_popspc:
    push {r4, lr}
    mov r0, #0x5c
    ldmfd sp!, {r4, pc}
    .ltorg
    .data
    .align 3
buf: .space 256
