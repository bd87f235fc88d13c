/* Strings: strlen, strcmp, strchr, strstr and a naive search over generated text.
 * Self-check: strstr's counts for every eighth word equal a byte-by-byte search's, and
 * strlen gives the lengths the words were made with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    enum { LEN = 1 << 16, NW = 512 };
    char *text = malloc(LEN + 1);
    uint32_t x = 7;
    for (int i = 0; i < LEN; i++) {
        x = x * 1103515245u + 12345u;
        text[i] = (x >> 16) % 9 == 0 ? ' ' : (char)('a' + (x >> 20) % 6);
    }
    text[LEN] = 0;
    static char words[NW][8];
    for (int i = 0; i < NW; i++) {
        int l = 2 + i % 5;
        for (int k = 0; k < l; k++)
            words[i][k] = (char)('a' + (i * 7 + k * 3) % 6);
        words[i][l] = 0;
    }
    for (int w = 0; w < NW; w += 8) {
        int cnt = 0, want = 0, l = 2 + w % 5;
        for (const char *p = text; (p = strstr(p, words[w])) != NULL && cnt < 50; p++)
            cnt++;
        for (int i = 0; i + l <= LEN && want < 50; i++) {
            int k = 0;
            while (k < l && text[i + k] == words[w][k])
                k++;
            want += k == l;
        }
        if (cnt != want || strlen(words[w]) != (size_t)l) {
            printf("strsearch: self-check failed: '%s' found %d times, expected %d\n",
                   words[w], cnt, want);
            return 1;
        }
    }
    uint32_t sum = 0;
    for (int r = 0; r < scale * 8; r++) {
        for (int w = r % 8; w < NW; w += 8) {
            const char *p = text;
            int cnt = 0;
            while ((p = strstr(p, words[w])) != NULL && cnt < 50)
                p++, cnt++;
            sum = sum * 3 + (uint32_t)cnt;
        }
        for (int i = 0; i < NW * 8; i++) {
            const char *a = words[i % NW], *b = words[(i * 7 + r) % NW];
            sum += (uint32_t)strlen(a) + (uint32_t)(strcmp(a, b) > 0);
            sum += (uint32_t)(strchr(text + i * 8, ' ') - text);
        }
        /* naive byte loop */
        for (int i = 0; i + 3 < LEN; i++)
            sum += text[i] == 'a' && text[i + 1] == 'b' && text[i + 2] == 'c';
    }
    printf("checksum %08x\n", sum);
    return 0;
}
