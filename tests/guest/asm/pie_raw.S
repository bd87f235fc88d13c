/* A static-PIE program without libc (ET_DYN, no PT_INTERP): loaded at a base the loader
 * picks, it finds itself only pc-relative. Checks the auxv against where it runs:
 * AT_ENTRY is _start (with bit 0 in Thumb), AT_PHDR is the program headers right after
 * its own ELF header, AT_BASE is 0 (no dynamic loader); a store and a load through a
 * pc-relative address in .data. Prints one word per check; compared with qemu-arm.
 * guest-modes: arm thumb
 * guest-link: nostdlib-pie */
    .syntax unified
    .text
#include "nolibc.inc"

/* r0 = the run-time address of sym, from a pc-relative offset (no relocation). */
    .macro pcrel reg, sym
    ldr \reg, 8f
9:  add \reg, \reg, pc
    b 7f
    .balign 4
#ifdef __thumb__
8:  .word \sym - (9b + 4)
#else
8:  .word \sym - (9b + 8)
#endif
7:
    .endm

/* r0 = the value of auxv entry r1 (the vector at r5), or ~0 when absent. */
auxval:
    mov r2, r5
1:  ldr r3, [r2], #8
    cmp r3, #0
    beq 2f
    cmp r3, r1
    bne 1b
    ldr r0, [r2, #-4]
    bx lr
2:  mvn r0, #0
    bx lr

    .global _start
    .type _start, %function
_start:
    ldr r0, [sp]                /* argc */
    add r5, sp, r0, lsl #2
    add r5, r5, #8              /* envp */
1:  ldr r0, [r5], #4
    cmp r0, #0
    bne 1b                      /* r5: the auxv */

    mov r1, #9                  /* AT_ENTRY */
    bl auxval
    pcrel r1, _start
#ifdef __thumb__
    orr r1, r1, #1
#endif
    cmp r0, r1
    ite eq
    moveq r0, #1
    movne r0, #0
    bl puthex                   /* 00000001 */

    mov r1, #3                  /* AT_PHDR */
    bl auxval
    pcrel r1, __ehdr_start
    add r1, r1, #52             /* e_phoff: the headers follow the ELF header */
    cmp r0, r1
    ite eq
    moveq r0, #1
    movne r0, #0
    bl puthex                   /* 00000001 */

    mov r1, #7                  /* AT_BASE */
    bl auxval
    bl puthex                   /* 00000000 */

    pcrel r4, word
    ldr r0, [r4]
    bl puthex                   /* 12345678 */
    ldr r0, =0x0badcafe
    str r0, [r4]
    ldr r0, [r4]
    bl puthex                   /* 0badcafe */

    mov r0, #0
    mov r7, #248                /* exit_group */
    svc #0

    .data
word:
    .word 0x12345678
