/* More of what busybox and coreutils call: fallocate (64-bit pairs in r2:r3, r4:r5), flock,
 * sync/syncfs, getrusage (32-bit struct rusage), getresuid32, memfd_create. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    int fd = open("misc.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
    printf("fallocate %d\n", fallocate(fd, 0, 4096, 1 << 20));
    struct stat st; fstat(fd, &st); printf("size %lld\n", (long long)st.st_size);
    printf("flock %d\n", flock(fd, LOCK_EX));
    sync(); printf("syncfs %d\n", syncfs(fd));
    struct rusage ru; printf("getrusage %d sane %d\n", getrusage(RUSAGE_SELF, &ru), ru.ru_maxrss > 0);
    uid_t r, e, s; printf("getresuid %d %d\n", getresuid(&r, &e, &s), r == getuid());
    int m = memfd_create("x", 0); printf("memfd %d write %d\n", m >= 0, (int)write(m, "abc", 3));
    unlink("misc.tmp");
    return 0;
}
