/* Condition flags across a fault that a handler steps over: an undefined instruction
 * (SIGILL) and a misaligned ldrex (SIGBUS) between a compare and the read of its flags,
 * in the compare's block and in a block of its own, and the flags of a compare after the
 * fault. The handler (fault_skip) adds the faulting instruction's length to the frame's
 * pc and returns, so the code goes on with the frame's flags. AOT output leaves dead
 * flags out at an alignment fault's exit (raise_flow.c, dead_at_align_fault); before each
 * case a call stores the opposite flags to struct cpu, so flags wrongly left out show as
 * those: the ldrex cases fail when an alignment exit leaves out every flag, and "udf,
 * next block" when an undefined insn's exit, which ends its block, leaves out those
 * dead at its block's start.
 * guest-modes: arm thumb
 * guest-aot-levels: O0 O3
 * guest-max-jit-blocks: 40 (after each fault the rest of its case runs in the JIT: the
 * runtime resumes a frame at the handler's pc, which is no function's entry) */
#include "macros.inc"
    .syntax unified
    .text
    .global asm_main
    .type asm_main, %function
asm_main:
    push {r4-r10, lr}
    bl install_skip
    .macro CASE fn, tag
    bl \fn
    mov r2, r0
    mov r1, #0
    ldr r0, =\tag
    bl report
    .endm
    CASE udf_same, t_udf_same
    CASE udf_next, t_udf_next
    CASE ldrex_same, t_ldrex_same
    CASE ldrex_next, t_ldrex_next
    CASE udf_dead, t_udf_dead
    bl udf_loop
    mov r2, r0
    ldr r0, =t_loop
    bl report
    ldr r0, =t_count
    ldr r1, =skipped
    ldr r1, [r1]
    bl report_word
    movs r0, #0
    pop {r4-r10, pc}

/* Each case is a function of its own: after the handler the rest of the function runs in
   the JIT (the runtime resumes the frame at the handler's pc, no function's entry), so
   every fault is met in AOT code. Each returns NZCV after its fault in r0. Before the
   fault, `touch` syncs the opposite flags to struct cpu. */
    .macro OPPOSITE nzcv
    ldr r6, =\nzcv
    msr APSR_nzcvq, r6
    bl touch
    .endm
    .macro NZCV_TO_R0
    mrs r0, APSR
    and r0, r0, #0xf0000000
    .endm

    /* FAULT_CASE name, opposite, a, b, split, fault: `cmp a, #b`, then the macro fault
       in the compare's block or, with split, in a block of its own */
SEQ(do_udf, udf #7)
SEQ(do_ldrex, ldrex r4, [r5])
    .macro FAULT_CASE name, opposite, a, b, split, fault
    .type \name, %function
\name:
    push {r4-r6, lr}
    ldr r5, =unaligned_word
    OPPOSITE \opposite
    ldr r4, =\a
    cmp r4, #\b
    .if \split
    b 9f
9:
    .endif
    \fault
    NZCV_TO_R0
    pop {r4-r6, pc}
    .endm

    FAULT_CASE udf_same, 0x60000000, 1, 2, 0, do_udf                @ lt: N set, V clear
    FAULT_CASE udf_next, 0x90000000, 5, 3, 1, do_udf                @ hi: C set, Z clear
    FAULT_CASE ldrex_same, 0x60000000, 0x80000000, 1, 0, do_ldrex   @ vs, C set
    FAULT_CASE ldrex_next, 0x90000000, 3, 3, 1, do_ldrex            @ eq, C set

    /* flags dead at the fault: the compare after it decides (ne, C clear: lo) */
    .type udf_dead, %function
udf_dead:
    push {r4-r6, lr}
    OPPOSITE 0x60000000
    movs r4, #3
    cmp r4, #3
    udf #7
    cmp r4, #4
    NZCV_TO_R0
    pop {r4-r6, pc}

    /* a loop whose flags are dead at its fault: three turns, each stepping over a udf;
       r0: the NZCV after it, r1: the turns */
    .type udf_loop, %function
udf_loop:
    push {r4-r6, lr}
    movs r5, #0
    movs r4, #3
3:  udf #7
    adds r5, r5, #1
    subs r4, r4, #1
    bne 3b
    NZCV_TO_R0
    mov r1, r5
    pop {r4-r6, pc}

    .type touch, %function
touch:
    bx lr

/* sigaction(SIGILL) and sigaction(SIGBUS) with SA_SIGINFO, handler fault_skip */
    .type install_skip, %function
install_skip:
    push {r4, lr}
    movs r0, #4             @ SIGILL
    ldr r1, =skip_action
    movs r2, #0
    bl sigaction
    movs r0, #7             @ SIGBUS
    ldr r1, =skip_action
    movs r2, #0
    bl sigaction
    pop {r4, pc}

/* r2: the ucontext; its mcontext's pc is at 92 and cpsr at 96. Thumb: a first halfword
   of 0b11101, 0b11110 or 0b11111 starts a 32-bit instruction. */
    .type fault_skip, %function
fault_skip:
    ldr r3, [r2, #92]
    ldr r0, [r2, #96]
    movs r1, #4
    tst r0, #0x20
    beq 1f
    ldrh r0, [r3]
    lsrs r0, r0, #11
    cmp r0, #0x1d
    it lo
    movlo r1, #2
1:  add r3, r3, r1
    str r3, [r2, #92]
    ldr r0, =skipped
    ldr r1, [r0]
    adds r1, r1, #1
    str r1, [r0]
    bx lr

    .section .rodata
t_udf_same: .asciz "udf, same block"
t_udf_next: .asciz "udf, next block"
t_ldrex_same: .asciz "ldrex, same block"
t_ldrex_next: .asciz "ldrex, next block"
t_udf_dead: .asciz "udf, flags dead"
t_loop: .asciz "udf in a loop"
t_count: .asciz "faults stepped over"

    .data
    .align 2
skip_action:                @ struct sigaction: handler, sa_mask[32], sa_flags, restorer
    .word fault_skip
    .space 128
    .word 4                 @ SA_SIGINFO
    .word 0
skipped:
    .word 0
    .align 3
    .word 0
unaligned_word = . - 2
    .word 0
