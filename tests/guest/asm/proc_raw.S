/* Processes and signals through raw svc, no libc: rt_sigaction with SA_SIGINFO and an own
 * restorer (rt_sigreturn), kill of itself (the handler sees signo, si_code SI_USER and its
 * own pid), pipe, fork, wait4 with an exit status and with a signal death, exit_group.
 * Every value printed is fixed (no pids); compared with qemu-arm.
 * guest-modes: arm thumb
 * guest-link: nostdlib */
    .syntax unified
    .text
#include "nolibc.inc"

    .type handler, %function
handler:                        /* sa_sigaction(signo, siginfo, ucontext) */
    push {r4-r7, lr}
    mov r4, r1
    bl puthex                   /* signo: 0000000a */
    ldr r0, [r4]
    bl puthex                   /* si_signo: 0000000a */
    ldr r0, [r4, #8]
    bl puthex                   /* si_code: SI_USER, 00000000 */
    ldr r0, [r4, #12]           /* si_pid */
    ldr r1, =pid
    ldr r1, [r1]
    cmp r0, r1
    ite eq
    moveq r0, #1
    movne r0, #0
    bl puthex                   /* si_pid is ours: 00000001 */
    pop {r4-r7, pc}

    .global _start
    .type _start, %function
_start:
    mov r7, #20                 /* getpid */
    svc #0
    ldr r1, =pid
    str r0, [r1]
    sub sp, sp, #32

    mov r0, #10                 /* SIGUSR1 */
    ldr r1, =handler
    bl set_handler
    bl puthex                   /* 00000000 */

    ldr r0, =pid                /* kill(getpid(), SIGUSR1): the handler runs first */
    ldr r0, [r0]
    mov r1, #10
    mov r7, #37
    svc #0
    bl puthex                   /* 00000000 */

    add r0, sp, #20             /* pipe(fds at sp+20) */
    mov r7, #42
    svc #0
    bl puthex                   /* 00000000 */

    mov r7, #2                  /* fork */
    svc #0
    cmp r0, #0
    bne 1f
    ldr r0, [sp, #24]           /* child: write(fds[1], "k", 1); exit_group(7) */
    adr r1, letter
    mov r2, #1
    mov r7, #4
    svc #0
    mov r0, #7
    mov r7, #248
    svc #0
1:  mov r4, r0                  /* parent: the child's pid */
    mov r0, #-1                 /* wait4(-1, sp+28, 0, NULL) */
    add r1, sp, #28
    mov r2, #0
    mov r3, #0
    mov r7, #114
    svc #0
    cmp r0, r4
    ite eq
    moveq r0, #1
    movne r0, #0
    bl puthex                   /* wait4 returned the child: 00000001 */
    ldr r0, [sp, #28]
    bl puthex                   /* exit status 7: 00000700 */
    ldr r0, [sp, #20]           /* read(fds[0], sp+28, 4) */
    add r1, sp, #28
    mov r2, #4
    mov r7, #3
    svc #0
    bl puthex                   /* 00000001 */
    ldrb r0, [sp, #28]
    bl puthex                   /* 'k': 0000006b */

    mov r7, #2                  /* fork; the child kills itself with SIGKILL */
    svc #0
    cmp r0, #0
    bne 2f
    mov r7, #20
    svc #0
    mov r1, #9
    mov r7, #37
    svc #0
    mov r0, #99                 /* not reached */
    mov r7, #248
    svc #0
2:  mov r0, #-1
    add r1, sp, #28
    mov r2, #0
    mov r3, #0
    mov r7, #114
    svc #0
    ldr r0, [sp, #28]
    bl puthex                   /* killed by signal 9: 00000009 */

    mov r0, #0
    mov r7, #248                /* exit_group(0) */
    svc #0

letter: .ascii "k"
    .align 2
    .ltorg

    .bss
    .align 2
pid: .space 4
