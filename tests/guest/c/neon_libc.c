/*
 * The C library's string and memory routines at every size up to 300 bytes and every
 * alignment of source and destination, checked against byte loops: with NEON in AT_HWCAP
 * glibc's resolvers pick its Advanced SIMD versions (memcpy, memmove, memchr, strlen ...),
 * which run here like any other guest code.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static unsigned char src[512], dst[512], ref[512];

static void fill(unsigned char *p, unsigned n, unsigned seed)
{
    for (unsigned i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16) | 1;     /* no zero bytes */
    }
}

int main(void)
{
    unsigned long hw = getauxval(AT_HWCAP);
    printf("hwcap neon %lu vfpv4 %lu\n", hw >> 12 & 1, hw >> 16 & 1);
    unsigned bad = 0;
    uint32_t sum = 0;
    for (unsigned n = 0; n <= 300; n++)
        for (unsigned sa = 0; sa < 16; sa++)
            for (unsigned da = 0; da < 16; da += 3) {
                fill(src, sizeof(src), n * 31 + sa);
                memset(dst, 0xaa, sizeof(dst));
                memset(ref, 0xaa, sizeof(ref));
                memcpy(dst + da, src + sa, n);
                for (unsigned i = 0; i < n; i++)
                    ref[da + i] = src[sa + i];
                bad += memcmp(dst, ref, sizeof(dst)) != 0;
                /* memmove within one buffer, both directions */
                memmove(dst + sa, dst + da, n);
                memmove(ref + sa + 0, ref + da, 0);
                unsigned char tmp[512];
                for (unsigned i = 0; i < n; i++)
                    tmp[i] = ref[da + i];
                for (unsigned i = 0; i < n; i++)
                    ref[sa + i] = tmp[i];
                bad += memcmp(dst, ref, sizeof(dst)) != 0;
                /* memchr, strlen, strchr, memcmp's sign */
                src[sa + n] = 0;
                unsigned char key = n ? src[sa + n / 2] : 1;
                const unsigned char *hit = memchr(src + sa, key, n);
                const unsigned char *want = NULL;
                for (unsigned i = 0; i < n && !want; i++)
                    if (src[sa + i] == key)
                        want = src + sa + i;
                bad += hit != want;
                bad += strlen((char *)src + sa) != n;
                bad += strchr((char *)src + sa, key) != (n ? (const char *)want : NULL);
                if (n) {
                    memcpy(dst, src + sa, n);
                    dst[n - 1] ^= 0x40;
                    int c = memcmp(src + sa, dst, n), w = src[sa + n - 1] < dst[n - 1] ? -1 : 1;
                    bad += (c < 0 ? -1 : c > 0) != w;
                }
                memset(dst + da, (int)n, n);
                for (unsigned i = 0; i < n; i++)
                    bad += dst[da + i] != (unsigned char)n;
                sum = sum * 33 + (uint32_t)(hit ? hit - src : 0) + dst[da];
            }
    printf("mismatches %u checksum %08x\n", bad, sum);
    return bad != 0;
}
