/* Compression: an LZ77 compressor with hash chains (byte-oriented output, LZ4-like) and its
 * decompressor over generated text, repeatedly. Self-check: every round's output
 * decompresses to the input, and the CRC-32 (bitwise, no table; checked against the standard
 * check value of "123456789") of the input equals that of what came back. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

enum { LEN = 1 << 16, WIN = 1 << 15, HBITS = 13, MINM = 4, MAXM = 4 + 127, DEPTH = 24 };

static uint8_t in[LEN], out[LEN + LEN / 64 + 16], back[LEN];
static int32_t head[1 << HBITS], prev[LEN];

static uint32_t hash4(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HBITS);
}

/* Output: 0x00..0x7f = n+1 literal bytes follow; 0x80|(len-MINM), then a 16-bit offset. */
static size_t compress(const uint8_t *src, size_t n, uint8_t *dst)
{
    size_t o = 0, lit = 0, i = 0;
    for (int k = 0; k < (1 << HBITS); k++)
        head[k] = -1;
#define FLUSH()                                                         \
    while (lit) {                                                       \
        size_t l = lit > 128 ? 128 : lit;                               \
        dst[o++] = (uint8_t)(l - 1);                                    \
        memcpy(dst + o, src + i - lit, l);                              \
        o += l, lit -= l;                                               \
    }
    while (i < n) {
        size_t best = 0, boff = 0;
        if (i + MINM <= n) {
            uint32_t h = hash4(src + i);
            int32_t cand = head[h];
            for (int d = 0; d < DEPTH && cand >= 0 && i - (size_t)cand < WIN; d++) {
                size_t l = 0, max = n - i < MAXM ? n - i : MAXM;
                while (l < max && src[cand + l] == src[i + l])
                    l++;
                if (l > best)
                    best = l, boff = i - (size_t)cand;
                cand = prev[cand];
            }
            prev[i] = head[h];
            head[h] = (int32_t)i;
        }
        if (best >= MINM) {
            FLUSH();
            dst[o++] = (uint8_t)(0x80 | (best - MINM));
            dst[o++] = (uint8_t)boff, dst[o++] = (uint8_t)(boff >> 8);
            for (size_t k = 1; k < best; k++) {     /* the skipped positions join the chains */
                size_t j = i + k;
                if (j + MINM <= n) {
                    uint32_t h = hash4(src + j);
                    prev[j] = head[h];
                    head[h] = (int32_t)j;
                }
            }
            i += best;
        } else {
            i++, lit++;
        }
    }
    FLUSH();
#undef FLUSH
    return o;
}

/* -1 when the stream is malformed. */
static long decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t t = src[i++];
        if (t < 0x80) {
            size_t l = (size_t)t + 1;
            if (i + l > n || o + l > cap)
                return -1;
            memcpy(dst + o, src + i, l);
            i += l, o += l;
        } else {
            size_t l = (size_t)(t & 0x7f) + MINM;
            if (i + 2 > n)
                return -1;
            size_t off = src[i] | (size_t)src[i + 1] << 8;
            i += 2;
            if (off == 0 || off > o || o + l > cap)
                return -1;
            for (size_t k = 0; k < l; k++, o++)     /* may overlap: byte by byte */
                dst[o] = dst[o - off];
        }
    }
    return (long)o;
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    static const char *const words[] = {
        "the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "and ",
        "translator ", "binary ", "register ", "block ", "cache ", "\n", "of ", "a ",
    };
    enum { NWORDS = sizeof words / sizeof words[0] };
    uint32_t x = 2024, sum = 0;
    size_t fill = 0;
    while (fill < LEN) {
        x = x * 1103515245u + 12345u;
        const char *w = words[(x >> 16) % NWORDS];
        if ((x >> 8) % 11 == 0) {                   /* some noise: digits */
            in[fill++] = (uint8_t)('0' + (x >> 24) % 10);
            continue;
        }
        for (; *w && fill < LEN; w++)
            in[fill++] = (uint8_t)*w;
    }
    for (int r = 0; r < scale * 2; r++) {
        in[(r * 7919u) % LEN] = (uint8_t)('A' + r % 26);   /* each round a little different */
        size_t clen = compress(in, LEN, out);
        long dlen = decompress(out, clen, back, LEN);
        if (dlen != LEN || memcmp(in, back, LEN) != 0) {
            printf("compress: self-check failed: round %d does not round-trip "
                   "(%ld bytes back)\n", r, dlen);
            return 1;
        }
        sum = sum * 31 + (uint32_t)clen;
    }
    uint32_t c1 = crc32(in, LEN), c2 = crc32(back, LEN);
    if (crc32((const uint8_t *)"123456789", 9) != 0xcbf43926u || c1 != c2) {
        printf("compress: self-check failed: crc %08x, after the round trip %08x\n", c1, c2);
        return 1;
    }
    printf("checksum %08x %08x\n", sum, c1);
    return 0;
}
