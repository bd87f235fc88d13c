/* Condition flags across calls and returns: routines that return their result in the flags
 * (as the EABI's __aeabi_cdcmple does), one that leaves the caller's flags alone (as
 * __aeabi_read_tp does), the flags passed on by a tail call, by an indirect call and
 * through a function that returns right after its call, and a loop that ends a function
 * whose flags nobody reads. AOT output leaves the flags out of a function's returns only
 * where no caller reads them (lifter/llvm/raise_flags.c); each case reports what the
 * caller saw.
 * guest-modes: arm thumb
 * guest-aot-levels: O0 O3 */
#include "macros.inc"
    .syntax unified
    .text
    .global asm_main
    .type asm_main, %function
asm_main:
    push {r4-r10, lr}
    /* Before each call the flags hold the other answer, so that stale ones show. */
    .macro STALE_LO         @ lo: C clear, Z clear; vc
    movs r2, #1
    cmp r2, #2
    .endm
    .macro STALE_HI         @ hi: C set, Z clear; vs: V set
    mov r2, #0x80000000
    cmp r2, #1
    .endm

    /* a routine whose result is its compare's flags: hi, then ls */
    movs r0, #5
    movs r1, #3
    STALE_LO
    bl cmp_ret
    bl hi_bit
    ldr r0, =t_ret_hi
    bl report_word
    movs r0, #3
    movs r1, #5
    STALE_HI
    bl cmp_ret
    bl hi_bit
    ldr r0, =t_ret_ls
    bl report_word

    /* signed overflow: V from the routine, read by bvs */
    mov r0, #0x80000000
    movs r1, #1
    STALE_LO
    bl cmp_ret
    mov r1, #0
    bvc 1f
    mov r1, #1
1:  ldr r0, =t_ret_v
    bl report_word

    /* the caller's own flags across a routine that does not touch them */
    movs r2, #1
    movs r3, #2
    cmp r2, r3              @ lt
    mov r0, #7
    bl keep_flags
    mov r1, r0
    blt 1f
    add r1, r1, #0x100      @ would mean the flags were lost
1:  ldr r0, =t_keep
    bl report_word

    /* the flags of a tail call, and of an indirect call */
    movs r0, #9
    movs r1, #9
    STALE_LO
    bl tail_ret             @ eq
    mov r1, #0
    bne 1f
    mov r1, #1
1:  ldr r0, =t_tail
    bl report_word
    ldr r3, =cmp_ret
    movs r0, #1
    movs r1, #2
    STALE_HI
    blx r3                  @ cc (lo)
    mov r1, #0
    bcs 1f
    mov r1, #1
1:  ldr r0, =t_indirect
    bl report_word

    /* through a function that returns as soon as its own call returns */
    movs r0, #8
    movs r1, #2
    STALE_LO
    bl pass_on              @ hi
    bl hi_bit
    ldr r0, =t_pass_on
    bl report_word

    /* a loop at a function's end; the caller sets its own flags after it */
    movs r0, #10
    bl count_down
    cmp r0, #0
    mov r1, r0
    beq 1f
    add r1, r1, #0x100
1:  ldr r0, =t_loop
    bl report_word

    movs r0, #0
    pop {r4-r10, pc}

/* r1 = 1 when the flags say hi (C set and Z clear), else 0; reads the flags first */
    .type hi_bit, %function
hi_bit:
    mov r1, #0
    bls 1f
    mov r1, #1
1:  bx lr

/* the flags of r0 - r1 */
    .type cmp_ret, %function
cmp_ret:
    cmp r0, r1
    bx lr

/* r0 + 1; the flags as they were */
    .type keep_flags, %function
keep_flags:
    add r0, r0, #1
    bx lr

    .type tail_ret, %function
tail_ret:
    b cmp_ret

    .type pass_on, %function
pass_on:
    push {r4, lr}
    bl cmp_ret
    pop {r4, pc}

/* r0 counted down to 0 */
    .type count_down, %function
count_down:
1:  subs r0, r0, #1
    bne 1b
    bx lr

    .ltorg
    .section .rodata
t_ret_hi:   .asciz "flags returned: hi"
t_ret_ls:   .asciz "flags returned: ls"
t_ret_v:    .asciz "flags returned: vs"
t_keep:     .asciz "flags kept across a call"
t_tail:     .asciz "flags of a tail call"
t_indirect: .asciz "flags of an indirect call"
t_pass_on:  .asciz "flags passed on by a return"
t_loop:     .asciz "loop at a function's end"
