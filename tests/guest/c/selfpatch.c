/* Code in the program's own text rewritten at run time (a patched function, as a hot
 * patcher or a patched PLT does): made writable with mprotect, written, made visible with
 * __builtin___clear_cache (the cacheflush syscall, as ARM needs), and called again, from
 * call sites that ran the old code before. In AOT output the rewritten function was
 * translated ahead of time: the old translation must not run again.
 * guest-max-jit-blocks: 100000
 * (Why more than 20: the program's AOT code is retired at the first rewrite, docs/aot.md
 * "Rewritten code"; the rest runs in the JIT.) */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* One page of its own, so that changing its protection leaves main's code alone. */
__asm__(".syntax unified\n"
        ".section .text.selfpatch,\"ax\",%progbits\n"
        ".p2align 12\n"
        ".globl patch_arm\n.type patch_arm, %function\n.arm\n"
        "patch_arm:\n"
        "   add r0, r0, #1\n"
        "   bx lr\n"
        ".size patch_arm, .-patch_arm\n"
        ".globl patch_thumb\n.type patch_thumb, %function\n.thumb\n.thumb_func\n"
        "patch_thumb:\n"
        "   adds r0, #1\n"
        "   bx lr\n"
        ".size patch_thumb, .-patch_thumb\n"
        ".p2align 12\n"
        ".text\n");

int patch_arm(int);
int patch_thumb(int);

static void *page_of(void *p)
{
    return (void *)((uintptr_t)p & ~(uintptr_t)4095);
}

/* ARM: add r0, r0, #imm */
static void set_arm(unsigned imm)
{
    uint32_t *p = (uint32_t *)(void *)((uintptr_t)patch_arm & ~1u);
    *p = 0xe2800000u | imm;
    __builtin___clear_cache((char *)p, (char *)(p + 1));
}

/* Thumb: adds r0, #imm */
static void set_thumb(unsigned imm)
{
    uint16_t *p = (uint16_t *)(void *)((uintptr_t)patch_thumb & ~1u);
    *p = (uint16_t)(0x3000u | imm);
    __builtin___clear_cache((char *)p, (char *)(p + 1));
}

/* A loop that calls both many times: the old code is hot before it changes. */
static int sum(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += patch_arm(i) + patch_thumb(i);
    return s;
}

int main(void)
{
    void *page = page_of((void *)((uintptr_t)patch_arm & ~1u));
    printf("before: %d %d sum %d\n", patch_arm(10), patch_thumb(10), sum(1000));
    if (mprotect(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        perror("mprotect");
        return 1;
    }
    set_arm(2);
    printf("arm +2: %d sum %d\n", patch_arm(10), sum(1000));
    set_thumb(3);
    printf("thumb +3: %d sum %d\n", patch_thumb(10), sum(1000));
    for (unsigned k = 4; k < 8; k++) {      /* again and again, from the same call sites */
        set_arm(k);
        set_thumb(k + 10);
        printf("arm +%u thumb +%u: sum %d\n", k, k + 10, sum(100));
    }
    /* W^X: writable without exec while written, then executable again. */
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
    uint32_t *p = (uint32_t *)(void *)((uintptr_t)patch_arm & ~1u);
    *p = 0xe2800000u | 100;
    mprotect(page, 4096, PROT_READ | PROT_EXEC);
    __builtin___clear_cache((char *)p, (char *)(p + 1));
    printf("arm +100: %d sum %d\n", patch_arm(10), sum(10));
    return 0;
}
