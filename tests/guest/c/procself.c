/* The guest's own /proc files: /proc/self/exe (readlink, open), /proc/self/cmdline (its
 * argv), /proc/self/auxv (the ARM auxiliary vector: 32-bit pairs). guest-args: one "two 2" */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char link[4096], real[4096];
    ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    /* The ARM file itself, as under qemu-arm: a translated program names the file it was
       made from while that file holds the same program (it does here, in the build tree). */
    printf("exe links to a file: %d\n", realpath(link, real) && access(real, R_OK) == 0);
    unsigned char h[20] = { 0 };
    int fd = open(link, O_RDONLY);
    read(fd, h, sizeof h);
    close(fd);
    printf("the link's file is an ARM ELF: %d\n", memcmp(h, ELFMAG, 4) == 0 && h[18] == EM_ARM);
    memset(h, 0, sizeof h);
    fd = open("/proc/self/exe", O_RDONLY);
    read(fd, h, sizeof h);
    close(fd);
    printf("exe is an ARM ELF: %d\n", memcmp(h, ELFMAG, 4) == 0 && h[18] == EM_ARM);

    char buf[4096];
    fd = open("/proc/self/cmdline", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    close(fd);
    int words = 0;
    for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1, words++)
        if (words > 0)
            printf("cmdline word %d: %s\n", words, buf + i);
    printf("cmdline words %d argc %d\n", words, argc);

    fd = open("/proc/self/auxv", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    close(fd);
    unsigned pagesz = 0, entry = 0;
    for (ssize_t i = 0; i + 8 <= n; i += 8) {
        unsigned k, v;
        memcpy(&k, buf + i, 4);
        memcpy(&v, buf + i + 4, 4);
        if (k == AT_PAGESZ)
            pagesz = v;
        if (k == AT_ENTRY)
            entry = v;
    }
    printf("auxv: pagesz %u, entry matches %d\n", pagesz, entry == getauxval(AT_ENTRY));
    return 0;
}
