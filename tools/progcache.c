/*
 * The cache of whole program translations (tools/progcache.h). In the cache directory:
 *   programs/KEY.exe    a translated program, as `xlate IN -o OUT` wrote it
 *   programs/KEY.meta   "xlate-program 1", the SHA-256 of the .exe, the source path
 * KEY hashes everything the output is made of (tools/aot.c, program_key). An entry is used
 * only when the .exe's SHA-256 is the recorded one; entries are written to temporary names
 * and renamed, so a concurrent translation sees a whole entry or none. The entries together
 * stay under $XLATE_CACHE_PROGRAMS MB (default 256; 0 turns the cache of programs off): the
 * least recently used go first (a hit touches its entry).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifter/image/sha256.h"
#include "tools/args.h"
#include "tools/cache.h"
#include "tools/progcache.h"

#define DEFAULT_LIMIT_MB 256

/* The bound on the entries' bytes; 0: no cache of programs. */
static unsigned long long limit_bytes(void)
{
    const char *e = getenv("XLATE_CACHE_PROGRAMS");
    char *end;
    unsigned long long mb = e && *e ? strtoull(e, &end, 10) : DEFAULT_LIMIT_MB;
    if (e && *e && *end)
        mb = DEFAULT_LIMIT_MB;          /* not a number: as if unset */
    return mb << 20;
}

void progcache_key(const char *what, size_t n, char key[PROGCACHE_KEY_LEN + 1])
{
    struct xl_sha256 s;
    xl_sha256_init(&s);
    xl_sha256_update(&s, what, n);
    xl_sha256_hex(&s, key);
}

static int paths(const char *key, char *exe, char *meta, size_t n)
{
    char dir[PATH_MAX];
    if (cache_dir(dir, sizeof dir) != 0)
        return -1;
    if ((size_t)snprintf(exe, n, "%s/programs/%s.exe", dir, key) >= n ||
        (size_t)snprintf(meta, n, "%s/programs/%s.meta", dir, key) >= n)
        return -1;
    return 0;
}

/* Copies from to a new file `to` (mode 0755); on a failure `to` is removed. */
static int copy(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    int rc = out >= 0 && tool_copy_fd(in, out) == 0 ? 0 : -1;
    close(in);
    if (out >= 0 && (close(out) != 0 || rc != 0)) {
        unlink(to);
        rc = -1;
    }
    return rc;
}

int progcache_get(const char *key, const char *out)
{
    char exe[PATH_MAX], meta[PATH_MAX], line[PATH_MAX + 32], want[65] = "", have[65];
    if (!limit_bytes() || paths(key, exe, meta, sizeof exe) != 0)
        return -1;
    FILE *f = fopen(meta, "r");
    if (!f)
        return -1;
    if (!fgets(line, sizeof line, f) || strcmp(line, "xlate-program 1\n") != 0 ||
        !fgets(line, sizeof line, f) || sscanf(line, "sha256 %64s", want) != 1)
        want[0] = '\0';
    fclose(f);
    if (!want[0] || xl_sha256_file(exe, have) != 0 || strcmp(have, want) != 0)
        return -1;
    /* through a temporary name beside out: a failed copy leaves no half file there */
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.xlate-tmp.%d", out, (int)getpid());
    if (copy(exe, tmp) != 0)
        return -1;
    if (rename(tmp, out) != 0) {
        unlink(tmp);
        return -1;
    }
    utimensat(AT_FDCWD, exe, NULL, 0);  /* recently used */
    return 0;
}

struct old { time_t t; long ns; unsigned long long size; char name[NAME_MAX + 1]; };

static int cmp_old(const void *a, const void *b)
{
    const struct old *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->ns < y->ns ? -1 : x->ns > y->ns;
}

/* Removes the least recently used entries of pdir until `need` more bytes fit. */
static void make_room(const char *pdir, unsigned long long need, unsigned long long limit)
{
    DIR *d = opendir(pdir);
    if (!d)
        return;
    struct old *v = NULL;
    size_t n = 0, cap = 0;
    unsigned long long total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        struct stat st;
        char q[PATH_MAX + NAME_MAX + 2];
        snprintf(q, sizeof q, "%s/%s", pdir, e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".exe") != 0 || stat(q, &st) != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct old *w = realloc(v, cap * sizeof *v);
            if (!w)
                break;
            v = w;
        }
        v[n] = (struct old){ st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (unsigned long long)st.st_size,
                             "" };
        snprintf(v[n].name, sizeof v[n].name, "%.*s", (int)(len - 4), e->d_name);
        total += v[n++].size;
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, cmp_old);
    for (size_t i = 0; i < n && total + need > limit; i++) {
        char q[PATH_MAX + NAME_MAX + 8];
        snprintf(q, sizeof q, "%s/%s.meta", pdir, v[i].name);
        unlink(q);
        snprintf(q, sizeof q, "%s/%s.exe", pdir, v[i].name);
        if (unlink(q) == 0)
            total -= v[i].size;
    }
    free(v);
}

/* mkdir -p */
static void make_dirs(char *path)
{
    for (char *s = path + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(path, 0755);
            *s = '/';
        }
    mkdir(path, 0755);
}

void progcache_put(const char *key, const char *out, const char *source)
{
    char exe[PATH_MAX], meta[PATH_MAX], hash[65], tmp[PATH_MAX + 32];
    unsigned long long limit = limit_bytes();
    struct stat st;
    if (!limit || stat(out, &st) != 0 || (unsigned long long)st.st_size > limit ||
        paths(key, exe, meta, sizeof exe) != 0 || xl_sha256_file(out, hash) != 0)
        return;
    char *slash = strrchr(exe, '/');
    *slash = '\0';
    make_dirs(exe);                     /* DIR/programs */
    make_room(exe, (unsigned long long)st.st_size, limit);
    *slash = '/';
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", exe, (int)getpid());
    if (copy(out, tmp) != 0)
        return;
    if (rename(tmp, exe) != 0) {
        unlink(tmp);
        return;
    }
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", meta, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "xlate-program 1\nsha256 %s\nsource %s\n", hash, source);
    if (fclose(f) != 0 || rename(tmp, meta) != 0)
        unlink(tmp);
}

static bool is_entry(const char *name, const char *ext)
{
    size_t len = strlen(name), e = strlen(ext);
    return len > e && strcmp(name + len - e, ext) == 0;
}

void progcache_count(const char *dir, unsigned *n, unsigned long long *bytes)
{
    char p[PATH_MAX + 512];
    snprintf(p, sizeof p, "%s/programs", dir);
    *n = 0;
    *bytes = 0;
    DIR *d = opendir(p);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        struct stat st;
        char q[PATH_MAX + 1024];
        snprintf(q, sizeof q, "%s/%s", p, e->d_name);
        if (is_entry(e->d_name, ".exe") && stat(q, &st) == 0) {
            (*n)++;
            *bytes += (unsigned long long)st.st_size;
        }
    }
    if (d)
        closedir(d);
}

unsigned progcache_clear(const char *dir)
{
    char p[PATH_MAX + 512];
    snprintf(p, sizeof p, "%s/programs", dir);
    unsigned n = 0;
    DIR *d = opendir(p);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char q[PATH_MAX + 1024];
        snprintf(q, sizeof q, "%s/%s", p, e->d_name);
        if (is_entry(e->d_name, ".exe") || is_entry(e->d_name, ".meta") ||
            is_entry(e->d_name, ".tmp"))
            n += unlink(q) == 0 && is_entry(e->d_name, ".exe");
    }
    if (d)
        closedir(d);
    rmdir(p);
    return n;
}
