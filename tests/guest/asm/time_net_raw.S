/* Timers and sockets through raw svc, no libc: setitimer (a one-shot SIGALRM) and pause,
 * which returns -EINTR after the handler; getitimer once it has fired; clock_gettime that
 * does not go back; nanosleep; socketpair, send and recv of two bytes. Every value printed
 * is fixed; compared with qemu-arm.
 * guest-modes: arm thumb
 * guest-link: nostdlib */
    .syntax unified
    .text
#include "nolibc.inc"

    .type on_alarm, %function
on_alarm:                       /* sets `fired` to the signal number */
    ldr r1, =fired
    str r0, [r1]
    bx lr

    .global _start
    .type _start, %function
_start:
    sub sp, sp, #64

    mov r0, #14                 /* SIGALRM */
    ldr r1, =on_alarm
    bl set_handler
    bl puthex                   /* 00000000 */

    /* setitimer(ITIMER_REAL, {{0, 0}, {0, 20000}}, NULL) */
    mov r0, #0
    str r0, [sp]
    str r0, [sp, #4]
    str r0, [sp, #8]
    ldr r0, =20000
    str r0, [sp, #12]
    mov r0, #0
    mov r1, sp
    mov r2, #0
    mov r7, #104
    svc #0
    bl puthex                   /* 00000000 */
    mov r7, #29                 /* pause */
    svc #0
    bl puthex                   /* -EINTR: fffffffc */
    ldr r0, =fired
    ldr r0, [r0]
    bl puthex                   /* SIGALRM: 0000000e */

    mov r0, #0                  /* getitimer(ITIMER_REAL, sp): all zero once it fired */
    mov r1, sp
    mov r7, #105
    svc #0
    ldr r1, [sp]
    ldr r2, [sp, #4]
    orr r1, r1, r2
    ldr r2, [sp, #8]
    orr r1, r1, r2
    ldr r2, [sp, #12]
    orr r0, r0, r1
    orr r0, r0, r2
    bl puthex                   /* 00000000 */

    /* clock_gettime(CLOCK_MONOTONIC) twice, a nanosleep of 1 ms between */
    mov r0, #1
    add r1, sp, #16
    mov r7, #0x100
    add r7, r7, #7              /* 263: clock_gettime */
    svc #0
    mov r0, #0
    str r0, [sp]
    ldr r0, =1000000
    str r0, [sp, #4]
    mov r0, sp
    mov r1, #0
    mov r7, #162                /* nanosleep */
    svc #0
    bl puthex                   /* 00000000 */
    mov r0, #1
    add r1, sp, #24
    mov r7, #0x100
    add r7, r7, #7
    svc #0
    ldr r0, [sp, #24]           /* later: sec2 > sec1, or equal and nsec2 >= nsec1 + 1 ms */
    ldr r1, [sp, #16]
    cmp r0, r1
    bgt 1f
    ldr r0, [sp, #28]
    ldr r1, [sp, #20]
    sub r0, r0, r1
    ldr r1, =1000000
    cmp r0, r1
    blt 2f
1:  mov r0, #1
    b 3f
2:  mov r0, #0
3:  bl puthex                   /* 00000001 */

    /* socketpair(AF_UNIX, SOCK_STREAM, 0, sp+32); send(sv[0], "ok", 2, 0); recv(sv[1]) */
    mov r0, #1
    mov r1, #1
    mov r2, #0
    add r3, sp, #32
    ldr r7, =288
    svc #0
    bl puthex                   /* 00000000 */
    ldr r0, [sp, #32]
    adr r1, word
    mov r2, #2
    mov r3, #0
    ldr r7, =289                /* send */
    svc #0
    bl puthex                   /* 00000002 */
    mov r0, #0
    str r0, [sp, #40]
    ldr r0, [sp, #36]
    add r1, sp, #40
    mov r2, #4
    mov r3, #0
    ldr r7, =291                /* recv */
    svc #0
    bl puthex                   /* 00000002 */
    ldr r0, [sp, #40]
    bl puthex                   /* "ok": 00006b6f */

    mov r0, #0
    mov r7, #248                /* exit_group(0) */
    svc #0

word: .ascii "ok"
    .align 2
    .ltorg

    .bss
    .align 2
fired: .space 4
