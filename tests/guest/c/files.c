/* stdio on real files: fopen/fwrite/fread/fseek/ftell, fgets/fprintf/fscanf, mkstemp,
 * rename, stat; every file in /tmp is unlinked again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
    char path[64], path2[64];
    snprintf(path, sizeof(path), "/tmp/xlate-guest-files-%d", (int)getpid());
    snprintf(path2, sizeof(path2), "%s.renamed", path);
    FILE *f = fopen(path, "w+b");
    if (!f) {
        perror("fopen");
        return 1;
    }
    unsigned char data[10000];
    for (int i = 0; i < 10000; i++)
        data[i] = (unsigned char)(i * 31 + (i >> 8));
    printf("fwrite %zu\n", fwrite(data, 1, sizeof(data), f));
    fprintf(f, "\nline one %d\nline two %s\n", 42, "end");
    printf("ftell %ld\n", ftell(f));
    fseek(f, 5000, SEEK_SET);
    unsigned char back[100];
    printf("fread %zu match %d\n", fread(back, 1, 100, f), memcmp(back, data + 5000, 100) == 0);
    fseek(f, -10, SEEK_END);
    char line[64];
    printf("tail '%s'", fgets(line, sizeof(line), f));
    fseek(f, 10001, SEEK_SET);
    int num;
    char word[16];
    printf("fscanf %d", fscanf(f, "line one %d line two %15s", &num, word));
    printf(" %d %s\n", num, word);
    rewind(f);
    printf("getc %d %d eof %d\n", getc(f), getc(f), feof(f));
    fclose(f);

    struct stat st;
    printf("rename %d stat %d size %lld reg %d\n", rename(path, path2), stat(path2, &st),
           (long long)st.st_size, S_ISREG(st.st_mode));
    printf("old gone %d\n", access(path, F_OK) == -1);
    /* raw fds: open/read/lseek/write */
    int fd = open(path2, O_RDWR);
    lseek(fd, 3, SEEK_SET);
    unsigned char b3[4];
    printf("read %zd %02x%02x%02x%02x\n", read(fd, b3, 4), b3[0], b3[1], b3[2], b3[3]);
    printf("pwrite %zd\n", pwrite(fd, "XYZ", 3, 0));
    close(fd);
    unlink(path2);

    char tmpl[] = "/tmp/xlate-guest-XXXXXX";
    int t = mkstemp(tmpl);
    printf("mkstemp ok %d\n", t >= 0);
    FILE *g = fdopen(t, "w+");
    for (int i = 0; i < 100; i++)
        fprintf(g, "%d,", i * i);
    fflush(g);
    fseek(g, 0, SEEK_SET);
    long sum = 0;
    int v;
    while (fscanf(g, "%d,", &v) == 1)
        sum += v;
    printf("sum %ld\n", sum);
    fclose(g);
    printf("unlink %d\n", unlink(tmpl));
    return 0;
}
