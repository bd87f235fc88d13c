/* The routines the AOT path replaces by host code (lifter/llvm/known.c), at the edges of
 * their contracts: libgcc's division by zero (raises SIGFPE, then returns), INT_MIN / -1,
 * the 64-bit divisions, strlen and friends at every alignment, empty needles, '\0' as the
 * character searched for. (Overlapping memcpy is left to the guest's own code, but which
 * copy glibc picks depends on AT_HWCAP, which differs from qemu-arm's: not compared.) */
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile int32_t zero32, minus1 = -1, min32 = INT_MIN;
static volatile int64_t zero64, minus1_64 = -1, min64 = INT64_MIN;
static volatile uint64_t big = 0xfedcba9876543210ull;
static int fpes;

static void on_fpe(int sig)
{
    (void)sig;
    fpes++;
}

static unsigned sum(const char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + (unsigned char)p[i];
    return s;
}

int main(void)
{
    signal(SIGFPE, on_fpe);
    int32_t q = 77 / zero32, r = 77 % zero32;
    uint32_t uq = 77u / (uint32_t)zero32;
    printf("div0: q=%d r=%d uq=%u fpes=%d\n", q, r, uq, fpes);
    printf("INT_MIN/-1=%d %%=%d\n", min32 / minus1, min32 % minus1);
    int64_t lq = 77 / zero64;
    uint64_t luq = big / (uint64_t)zero64;
    printf("ldiv0: %lld %llu fpes=%d\n", (long long)lq, (unsigned long long)luq, fpes);
    printf("INT64_MIN/-1=%lld %%=%lld\n", (long long)(min64 / minus1_64),
           (long long)(min64 % minus1_64));
    printf("u64: %llu %llu %lld %lld\n", (unsigned long long)(big / 12345),
           (unsigned long long)(big % 1000000007u), (long long)((int64_t)big / -77),
           (long long)((int64_t)big % -77));

    static char buf[96];
    for (int i = 0; i < 96; i++)
        buf[i] = (char)('a' + i % 26);
    void *(*volatile cpy)(void *, const void *, size_t) = memcpy;   /* not inlined */
    cpy(buf, buf + 50, 40);
    printf("memcpy %u\n", sum(buf, sizeof buf));
    memset(buf + 1, 'x', 17);
    printf("memset %u\n", sum(buf, sizeof buf));

    static char s[80];
    size_t (*volatile len)(const char *) = strlen;
    for (int a = 0; a < 8; a++)
        for (int n = 0; n < 20; n += 3) {
            memset(s, 'q', sizeof s);
            s[a + n] = 0;
            char *(*volatile chr)(const char *, int) = strchr;
            printf("%zu %zu %d %d|", len(s + a), strnlen(s + a, 5),
                   (int)(chr(s + a, 0) - s), chr(s + a, 'z') == NULL);
        }
    printf("\n");
    const char *hay = "abcabcabd abcabd";
    char *(*volatile str)(const char *, const char *) = strstr;
    void *(*volatile mchr)(const void *, int, size_t) = memchr;
    printf("strstr %d %d %d %d\n", (int)(str(hay, "abd") - hay), (int)(str(hay, "") - hay),
           str(hay, "abcd") == NULL, (int)(str(hay + 9, " ") == NULL));
    printf("memchr %d %d\n", (int)((char *)mchr(hay, 'd', 16) - hay), mchr(hay, 'd', 8) == NULL);
    return 0;
}
