/*
 * rt_safe_syscall(flag, nr, a1, a2, a3, a4, a5, a6): a host syscall that a guest signal
 * cannot slip past. The runtime looks for deliverable signals before a guest syscall; one
 * arriving after that look and before the kernel starts to wait would otherwise be taken
 * by the host handler while the thread goes on to sleep in the kernel (a pthread_cancel of a
 * thread entering nanosleep, lost for good). Here *flag (cpu->interrupt, set by the host
 * handler) is tested right before the syscall instruction; the host handler (signal.c
 * host_async) moves a thread interrupted between rt_safe_syscall_start and
 * rt_safe_syscall_end to rt_safe_syscall_eintr, so the syscall either never starts and
 * returns -EINTR, or starts and is interrupted by the kernel, which returns -EINTR itself
 * (the host handlers have no SA_RESTART). Returns the kernel's result: -errno on failure.
 * The same scheme as QEMU's safe_syscall.
 */
    .text
    .globl rt_safe_syscall, rt_safe_syscall_start, rt_safe_syscall_end, rt_safe_syscall_eintr
    .hidden rt_safe_syscall_start, rt_safe_syscall_end, rt_safe_syscall_eintr
    .type rt_safe_syscall, @function
rt_safe_syscall:
    .cfi_startproc
    push %rbx               /* the flag's address, kept across the argument shuffle */
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbx, 0
    mov %rdi, %rbx
    mov %rsi, %rax          /* SysV call: flag, nr, a1..a4 in registers, a5 and a6 on the */
    mov %rdx, %rdi          /* stack; the kernel takes nr in rax and a1..a6 in rdi, rsi, */
    mov %rcx, %rsi          /* rdx, r10, r8, r9 */
    mov %r8, %rdx
    mov %r9, %r10
    mov 16(%rsp), %r8
    mov 24(%rsp), %r9
rt_safe_syscall_start:
    cmpl $0, (%rbx)
    jnz rt_safe_syscall_eintr
    syscall
rt_safe_syscall_end:
    pop %rbx
    .cfi_remember_state
    .cfi_adjust_cfa_offset -8
    .cfi_restore %rbx
    ret
    .cfi_restore_state
rt_safe_syscall_eintr:
    mov $-4, %rax           /* -EINTR */
    pop %rbx
    .cfi_adjust_cfa_offset -8
    .cfi_restore %rbx
    ret
    .cfi_endproc
    .size rt_safe_syscall, .-rt_safe_syscall

    .section .note.GNU-stack, "", @progbits
