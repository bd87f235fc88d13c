/* Generated code: ARM and Thumb functions written into an mmap'd buffer, made visible with
 * __builtin___clear_cache (the cacheflush syscall, as ARM needs), called, rewritten in place
 * and called again; a buffer mapped writable first and made executable with mprotect; and
 * the same address reused for another function after munmap and mmap. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef int (*fn1)(int);

/* ARM: add r0, r0, #imm; bx lr (imm < 256) */
static void arm_add(uint32_t *p, unsigned imm)
{
    p[0] = 0xe2800000u | imm;
    p[1] = 0xe12fff1eu;
}

/* ARM: a loop that sums 1..r0 (mov r1,#0; 1: add r1,r1,r0; subs r0,r0,#1; bne 1b;
   mov r0,r1; bx lr), scaled by a shift */
static void arm_sum(uint32_t *p, unsigned shift)
{
    p[0] = 0xe3a01000u;                         /* mov r1, #0 */
    p[1] = 0xe0811000u;                         /* add r1, r1, r0 */
    p[2] = 0xe2500001u;                         /* subs r0, r0, #1 */
    p[3] = 0x1afffffcu;                         /* bne p[1] */
    p[4] = 0xe1a00001u | (shift << 7);          /* mov r0, r1, lsl #shift */
    p[5] = 0xe12fff1eu;                         /* bx lr */
}

/* Thumb: adds r0, #imm; bx lr */
static void thumb_add(uint16_t *p, unsigned imm)
{
    p[0] = (uint16_t)(0x3000u | imm);
    p[1] = 0x4770u;
}

static void sync_code(void *p, size_t n)
{
    __builtin___clear_cache((char *)p, (char *)p + n);
}

static int call(void *code, int thumb, int arg)
{
    fn1 f = (fn1)((uintptr_t)code | (uintptr_t)thumb);
    return f(arg);
}

int main(void)
{
    size_t len = 4096;
    uint8_t *buf = mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    uint32_t *a = (uint32_t *)buf;
    arm_add(a, 5);
    sync_code(a, 8);
    printf("arm add 5: %d\n", call(a, 0, 10));
    arm_add(a, 77);                             /* rewritten in place */
    sync_code(a, 8);
    printf("arm add 77: %d\n", call(a, 0, 10));

    arm_sum(a + 16, 0);                         /* a loop, then the same loop changed */
    sync_code(a + 16, 24);
    printf("arm sum 1..100: %d\n", call(a + 16, 0, 100));
    arm_sum(a + 16, 2);
    sync_code(a + 16, 24);
    printf("arm sum 1..100 << 2: %d\n", call(a + 16, 0, 100));

    uint16_t *t = (uint16_t *)(buf + 256);
    thumb_add(t, 9);
    sync_code(t, 4);
    printf("thumb add 9: %d\n", call(t, 1, 1));
    thumb_add(t, 200);
    sync_code(t, 4);
    printf("thumb add 200: %d\n", call(t, 1, 1));

    /* The same bytes as ARM and then as Thumb at one address: two translations. */
    arm_add(a + 32, 3);
    sync_code(a + 32, 8);
    printf("arm add 3: %d\n", call(a + 32, 0, 4));
    thumb_add((uint16_t *)(a + 32), 4);
    sync_code(a + 32, 4);
    printf("thumb add 4: %d\n", call(a + 32, 1, 4));
    munmap(buf, len);

    /* Written while only writable, then mprotect'ed executable. */
    uint8_t *w = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    arm_add((uint32_t *)w, 11);
    mprotect(w, len, PROT_READ | PROT_EXEC);
    sync_code(w, 8);
    printf("mprotect'ed add 11: %d\n", call(w, 0, 0));
    mprotect(w, len, PROT_READ | PROT_WRITE);
    arm_add((uint32_t *)w, 12);
    mprotect(w, len, PROT_READ | PROT_EXEC);
    sync_code(w, 8);
    printf("mprotect'ed add 12: %d\n", call(w, 0, 0));
    munmap(w, len);

    /* A new mapping, perhaps at the same address, with other code. */
    uint8_t *n = mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    arm_add((uint32_t *)n, 100);
    sync_code(n, 8);
    printf("new mapping add 100: %d\n", call(n, 0, 1));
    munmap(n, len);
    return 0;
}
