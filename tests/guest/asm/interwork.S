/* Interworking between A32 and T32: bl/blx to the other state, bx/blx register, pop {pc}
 * and ldm into Thumb code, ldr pc from a table, mov pc (an ALU write, interworking in A32
 * on ARMv7), and returns by bx lr from both states. Each step adds a marker to r8.
 * (The file switches states itself.)
 * guest-modes: arm */
#include "macros.inc"
    .text
    .arm
    .global asm_main
    .type asm_main, %function
asm_main:
    push {r4-r10, lr}
    mov r8, #0
    blx t_add1              @ A32 -> T32 by blx imm, back by bx lr
    adr r0, tag1
    mov r1, r8
    bl report_word
    ldr r1, =t_add2 + 1
    blx r1                  @ A32 -> T32 by blx reg
    bl t_calls_arm          @ T32 code calling A32 code by blx imm and blx reg
    adr r0, tag2
    mov r1, r8
    bl report_word
    ldr r1, =t_add1 + 1
    adr lr, 1f
    bx r1                   @ A32 -> T32 by bx, back by bx lr
1:  ldr r1, =t_add2 + 1
    adr r2, 2f
    push {r1, r2}
    pop {r3, lr}            @ lr = return, then enter Thumb by pop {pc}
    push {r3}
    pop {pc}
2:  adr r0, tag3
    mov r1, r8
    bl report_word
    ldr r9, =table
    adr lr, 3f
    ldr pc, [r9]            @ ldr pc with a Thumb address
3:  ldr r1, =t_add2 + 1
    adr lr, 4f
    mov pc, r1              @ ALU write to pc: interworking in ARMv7 A32
4:  adr lr, 5f
    ldmia r9, {pc}          @ ldm into Thumb code
5:  bl t_pop_to_arm
    adr r0, tag4
    mov r1, r8
    bl report_word
    mov r0, #0
    pop {r4-r10, pc}
a_add100:
    add r8, r8, #0x100
    bx lr
a_add1000:
    add r8, r8, #0x1000
    bx lr
tag1: .asciz "blx imm"
tag2: .asciz "blx reg, thumb->arm"
tag3: .asciz "bx, pop pc"
tag4: .asciz "ldr pc, mov pc, ldm pc"
    .align 2
    .ltorg

    .thumb
    .thumb_func
t_add1:
    adds r8, r8, #1
    bx lr
    .thumb_func
t_add2:
    add r8, r8, #0x10
    bx lr
    .thumb_func
t_calls_arm:
    push {r4, lr}
    blx a_add100            @ T32 -> A32 by blx imm
    ldr r4, =a_add1000
    blx r4                  @ T32 -> A32 by blx reg
    ldr r4, =t_add1 + 1
    blx r4                  @ T32 -> T32 by blx reg
    pop {r4, pc}            @ back to A32 by pop {pc}
    .thumb_func
t_pop_to_arm:
    push {lr}
    ldr r0, =a_add1000
    blx r0
    pop {pc}                @ T32 -> A32 by pop {pc}
    .align 2
    .ltorg
    .data
table: .word t_add1 + 1
