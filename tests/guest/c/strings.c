/* String and memory functions of static glibc (its ARM asm and ifunc-free paths). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <stdlib.h>

static unsigned sum(const unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + p[i];
    return s;
}

int main(void)
{
    const char *words[] = { "", "a", "hello", "hello world", "The quick brown fox jumps",
                            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
    for (unsigned i = 0; i < 6; i++)
        printf("strlen %zu\n", strlen(words[i]));
    char buf[512], buf2[512];
    /* every alignment and length for memcpy/memmove/memset */
    unsigned char src[300];
    for (int i = 0; i < 300; i++)
        src[i] = (unsigned char)(i * 7 + 3);
    unsigned acc = 0;
    for (int off = 0; off < 8; off++)
        for (int len = 0; len < 70; len += 3) {
            memset(buf, 0x5a, sizeof(buf));
            memcpy(buf + off, src + (7 - off), (size_t)len);
            acc = acc * 3 + sum((unsigned char *)buf, 100);
            memmove(buf + off + 3, buf + off, (size_t)len);  /* overlapping, forwards */
            acc = acc * 3 + sum((unsigned char *)buf, 100);
            memmove(buf, buf + off + 1, (size_t)len);        /* overlapping, backwards */
            acc = acc * 3 + sum((unsigned char *)buf, 100);
            memset(buf + off, off * 11, (size_t)len);
            acc = acc * 3 + sum((unsigned char *)buf, 100);
        }
    printf("mem acc %08x\n", acc);
    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strncat(buf, "World!!!", 6);
    printf("%s %zu\n", buf, strlen(buf));
    strncpy(buf2, "abc", 8);
    printf("strncpy %d %d %d\n", buf2[2], buf2[3], buf2[7]);
    const char *cmp[][2] = { { "abc", "abd" }, { "abc", "abc" }, { "b", "abc" }, { "", "a" },
                             { "abc", "ab" }, { "\xff", "a" } };
    for (int i = 0; i < 6; i++) {
        int r = strcmp(cmp[i][0], cmp[i][1]), r2 = strncmp(cmp[i][0], cmp[i][1], 2);
        int r3 = memcmp(cmp[i][0], cmp[i][1], 2);
        printf("cmp %d %d %d %d\n", (r > 0) - (r < 0), (r2 > 0) - (r2 < 0), (r3 > 0) - (r3 < 0),
               strcasecmp("HeLLo", "hello"));
    }
    const char *hay = "the cat sat on the mat with another cat";
    printf("strstr %d %d %d\n", (int)(strstr(hay, "cat") - hay),
           (int)(strstr(hay + 5, "cat") - hay), strstr(hay, "dog") == NULL);
    printf("strchr %d strrchr %d memchr %d\n", (int)(strchr(hay, 'o') - hay),
           (int)(strrchr(hay, 'a') - hay), (int)((char *)memchr(hay, 'w', strlen(hay)) - hay));
    printf("strspn %zu strcspn %zu\n", strspn("aaabbbccc", "ab"), strcspn(hay, "xyzm"));
    char tok[] = "a,bb,,ccc;dd";
    for (char *save, *t = strtok_r(tok, ",;", &save); t; t = strtok_r(NULL, ",;", &save))
        printf("tok '%s'\n", t);
    char *d = strdup(words[4]);
    for (char *p = d; *p; p++)
        *p = (char)(isupper((unsigned char)*p) ? tolower(*p) : toupper(*p));
    printf("%s\n", d);
    free(d);
    /* long strings: word-at-a-time strlen/strchr must not read past what they may */
    char *big = malloc(5000);
    for (int i = 0; i < 4999; i++)
        big[i] = (char)('a' + i % 26);
    big[4999] = 0;
    printf("big %zu %d %d\n", strlen(big), (int)(strchr(big, 'z') - big), strcmp(big, big + 26));
    free(big);
    return 0;
}
