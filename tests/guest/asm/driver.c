/* Driver for the assembly tests that link with libc: main calls the test's asm_main, and the
 * test reports each result through report(). Always built as A32. */
#include <stdio.h>
#include <stdint.h>

int asm_main(void);
void report_fp(const char *tag, uint32_t lo, uint32_t hi, uint32_t fpscr);

/* r0: tag, r1: result, r2: APSR (NZCVQ in bits 31..27, GE in 19..16) */
void report(const char *tag, uint32_t val, uint32_t apsr)
{
    printf("%-28s %08x %c%c%c%c%c ge=%x\n", tag, val, apsr >> 31 & 1 ? 'N' : '-',
           apsr >> 30 & 1 ? 'Z' : '-', apsr >> 29 & 1 ? 'C' : '-', apsr >> 28 & 1 ? 'V' : '-',
           apsr >> 27 & 1 ? 'Q' : '-', (apsr >> 16) & 15);
}

/* r0: tag, r1:r2 a 64-bit result (lo, hi), r3: APSR */
void report64(const char *tag, uint32_t lo, uint32_t hi, uint32_t apsr)
{
    printf("%-28s %08x%08x %c%c%c%c%c\n", tag, hi, lo, apsr >> 31 & 1 ? 'N' : '-',
           apsr >> 30 & 1 ? 'Z' : '-', apsr >> 29 & 1 ? 'C' : '-', apsr >> 28 & 1 ? 'V' : '-',
           apsr >> 27 & 1 ? 'Q' : '-');
}

/* a plain word (addresses relative to a buffer, memory contents, ...) */
void report_word(const char *tag, uint32_t val)
{
    printf("%-28s %08x\n", tag, val);
}

int main(void)
{
    int r = asm_main();
    fflush(stdout);
    return r;
}

/* r0: tag, r1:r2 the 64-bit result d2 (lo, hi), r3: FPSCR */
void report_fp(const char *tag, uint32_t lo, uint32_t hi, uint32_t fpscr)
{
    printf("%-34s %08x%08x fpscr=%08x\n", tag, hi, lo, fpscr);
}
