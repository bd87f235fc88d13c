/* Code rewritten without cacheflush or mprotect: an RWX buffer whose code is run, then
 * changed by plain stores (and by the kernel, a read() from a pipe) and run again. ARM
 * needs a cacheflush for that; qemu-arm (and so xlate) runs the new bytes without one, as
 * it write-protects the pages it translated from. Also code next to data that is written
 * all the time, and a function that rewrites an instruction of its own caller's page. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*fn1)(int);

/* ARM: add r0, r0, #imm; bx lr */
static void arm_add(uint32_t *p, unsigned imm)
{
    p[0] = 0xe2800000u | imm;
    p[1] = 0xe12fff1eu;
}

/* Thumb: adds r0, #imm; bx lr */
static void thumb_add(uint16_t *p, unsigned imm)
{
    p[0] = (uint16_t)(0x3000u | imm);
    p[1] = 0x4770u;
}

static int call(void *code, int thumb, int arg)
{
    fn1 f = (fn1)((uintptr_t)code | (uintptr_t)thumb);
    return f(arg);
}

int main(void)
{
    size_t len = 4096;
    uint8_t *buf = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    uint32_t *a = (uint32_t *)buf;
    __builtin___clear_cache((char *)buf, (char *)buf + 2 * len);   /* once, empty */

    /* Stores only, from here on. */
    int total = 0;
    for (unsigned k = 1; k <= 50; k++) {
        arm_add(a, k);
        total += call(a, 0, 1000);
    }
    printf("arm, rewritten 50 times: %d\n", total);

    uint16_t *t = (uint16_t *)(buf + 256);
    total = 0;
    for (unsigned k = 1; k <= 50; k++) {
        thumb_add(t, k);
        total += call(t, 1, 1000);
    }
    printf("thumb, rewritten 50 times: %d\n", total);

    /* A counter in the same page as the code, written between calls. */
    volatile uint32_t *counter = (volatile uint32_t *)(buf + 2048);
    arm_add(a + 8, 3);
    total = 0;
    for (int i = 0; i < 1000; i++) {
        *counter += 1;
        total += call(a + 8, 0, i);
    }
    printf("data next to code: counter %u total %d\n", *counter, total);

    /* The kernel writes the new code: read() from a pipe over the old. */
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return 1;
    }
    uint32_t next[2];
    arm_add(a + 16, 1);
    printf("before read: %d\n", call(a + 16, 0, 10));
    arm_add(next, 99);
    if (write(fds[1], next, sizeof next) != (ssize_t)sizeof next ||
        read(fds[0], a + 16, sizeof next) != (ssize_t)sizeof next) {
        perror("pipe io");
        return 1;
    }
    printf("after read: %d\n", call(a + 16, 0, 10));

    /* memcpy of a whole new function over the old one, in the second page. */
    uint32_t *b = (uint32_t *)(buf + len);
    arm_add(b, 7);
    printf("second page: %d\n", call(b, 0, 0));
    uint32_t code[2];
    arm_add(code, 70);
    memcpy(b, code, sizeof code);
    printf("second page, copied over: %d\n", call(b, 0, 0));
    munmap(buf, 2 * len);
    return 0;
}
