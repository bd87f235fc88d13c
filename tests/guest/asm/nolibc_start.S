/* No libc: its own _start prints a few words in hex through svc write, reads argc and the
 * stack, and exits with code 42 through svc exit.
 * guest-modes: arm thumb
 * guest-link: nostdlib */
    .syntax unified
    .text
#include "nolibc.inc"
    .global _start
    .type _start, %function     /* a Thumb entry has bit 0 set in e_entry */
_start:
    ldr r4, [sp]                /* argc */
    mov r0, r4
    bl puthex
    ldr r0, =0x12345678
    bl puthex
    movw r0, #0xbeef
    movt r0, #0xdead
    bl puthex
    mov r5, #0
    mov r6, #10
1:  add r5, r5, r6
    subs r6, r6, #1
    bne 1b
    mov r0, r5                  /* 55 = 0x37 */
    bl puthex
    adr r1, msg
    mov r2, #msg_end - msg
    mov r0, #1
    mov r7, #4                  /* write */
    svc #0
    mov r0, #42
    mov r7, #1                  /* exit */
    svc #0

    .align 2
msg: .ascii "nolibc done\n"
msg_end:
    .align 2
    .ltorg
