/*
 * The cache of translated shared libraries (docs/dynamic.md, "The library cache").
 *
 * In the cache directory:
 *   HASH32-KEY.so     a library's translation: a host shared object exporting
 *                     xl_module_info (runtime/aot.h); HASH32 is the first 32 hex digits of
 *                     the library file's SHA-256, KEY the options key (this xlate and the
 *                     options that change code)
 *   HASH32-KEY.meta   what it was made from: source path, content hash, key, guest base and
 *                     span, and the SHA-256 of the .so itself
 *   bases             the guest base of every library ever translated, one line each
 *                     (content hash, base, span): bases never overlap, so that all the
 *                     libraries of a program can be where their code expects them
 *   files/            memo of file hashes by device, inode, size and time
 *   wanted            libraries that translated programs mapped without a translation
 *                     (dlopen'ed ones): content hash and path; the next translation makes
 *                     them
 *   lock              flock'ed while an entry or the bases change
 * An entry is valid when its .meta names the same content and key and the .so's SHA-256 is
 * the recorded one; anything else is translated again (never trusted).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lifter/image/image.h"
#include "lifter/image/sha256.h"
#include "runtime/aot.h"
#include "runtime/rt.h"
#include "tools/aot.h"
#include "tools/args.h"
#include "tools/cache.h"
#include "tools/needed.h"
#include "tools/progcache.h"

extern char **environ;

/* Where translated libraries go in the guest's address space: above the room a program's
   brk has (it starts at XL_PIE_BASE and up), below where the top-down mmap allocator starts
   (under the stack), 64 KiB aligned. */
#define LIB_LO 0x10000000u
#define LIB_HI 0xa0000000u
#define LIB_ALIGN 0x10000u

/* ---- names ---- */

int cache_dir(char *out, size_t n)
{
    const char *d = getenv("XLATE_CACHE_DIR");
    int r;
    if (d && *d)
        r = snprintf(out, n, "%s", d);
    else if ((d = getenv("XDG_CACHE_HOME")) && d[0] == '/')
        r = snprintf(out, n, "%s/xlate", d);
    else if ((d = getenv("HOME")) && *d)
        r = snprintf(out, n, "%s/.cache/xlate", d);
    else
        return -1;
    if (r <= 0 || (size_t)r >= n)
        return -1;
    /* Absolute, so that a translated program finds it from any directory. */
    if (out[0] != '/') {
        char cwd[PATH_MAX], rel[PATH_MAX];
        snprintf(rel, sizeof rel, "%s", out);
        if (!getcwd(cwd, sizeof cwd) || snprintf(out, n, "%s/%s", cwd, rel) >= (int)n)
            return -1;
    }
    return 0;
}

int cache_options_key(const struct cache_opts *o, char key[CACHE_KEY_LEN + 1])
{
    /* This xlate and its LLVM raiser, which makes the code (lifter/llvm/module). */
    static char self[65], raiser[65];
    char so[PATH_MAX + 64];
    if (!raiser[0]) {
        if (aot_raiser_path(so, sizeof so) != 0 || xl_sha256_file("/proc/self/exe", self) != 0 ||
            xl_sha256_file(so, raiser) != 0) {
            self[0] = raiser[0] = '\0';
            return -1;
        }
    }
    char text[320], h[65];
    int n = snprintf(text, sizeof text, "xlate-cache-%d %s %s O%d cpu=%s known=%d",
                     XL_MODULE_FORMAT, self, raiser, o->opt_level, o->cpu ? o->cpu : "",
                     !o->no_known);
    struct xl_sha256 s;
    xl_sha256_init(&s);
    xl_sha256_update(&s, text, (size_t)n);
    xl_sha256_hex(&s, h);
    snprintf(key, CACHE_KEY_LEN + 1, "%.*s", CACHE_KEY_LEN, h);
    return 0;
}

static int mkdirs(const char *path)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static void entry_path(const char *dir, const char *content, const char *key, const char *ext,
                       char *out, size_t n)
{
    snprintf(out, n, "%s/%.32s-%s.%s", dir, content, key, ext);
}

/* ---- .meta files ---- */

struct meta {
    char source[PATH_MAX];
    char content[65], key[CACHE_KEY_LEN + 1], so[65];
    uint32_t base, span;
};

static int read_meta(const char *path, struct meta *m)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[PATH_MAX + 32];
    int fields = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "source ", 7) == 0)
            fields += snprintf(m->source, sizeof m->source, "%s", line + 7) > 0;
        else if (sscanf(line, "content %64s", m->content) == 1 ||
                 sscanf(line, "key %16s", m->key) == 1 || sscanf(line, "so %64s", m->so) == 1 ||
                 sscanf(line, "base %" SCNx32, &m->base) == 1 ||
                 sscanf(line, "span %" SCNx32, &m->span) == 1)
            fields++;
    }
    fclose(f);
    return fields == 6 ? 0 : -1;
}

static int write_meta(const char *path, const struct meta *m)
{
    char tmp[PATH_MAX + 32];
    if (snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid()) >= (int)sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "source %s\ncontent %s\nkey %s\nbase %08" PRIx32 "\nspan %08" PRIx32 "\nso %s\n",
            m->source, m->content, m->key, m->base, m->span, m->so);
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* The entry's state: 1 valid, 0 missing, -1 damaged or stale (its .meta or .so). */
static int entry_state(const char *dir, const char *content, const char *key, struct meta *m)
{
    char mp[PATH_MAX + 64], sp[PATH_MAX + 64], h[65];
    entry_path(dir, content, key, "meta", mp, sizeof mp);
    entry_path(dir, content, key, "so", sp, sizeof sp);
    if (access(mp, F_OK) != 0 && access(sp, F_OK) != 0)
        return 0;
    if (read_meta(mp, m) != 0 || strcmp(m->content, content) != 0 || strcmp(m->key, key) != 0 ||
        xl_sha256_file(sp, h) != 0 || strcmp(h, m->so) != 0)
        return -1;
    return 1;
}

/* ---- bases ---- */

struct range {
    uint32_t base, span;
};

static int cmp_range(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    return x->base < y->base ? -1 : x->base > y->base;
}

/* The guest base of the library with this content and span: the recorded one, else a new
   one that overlaps no other library's (appended to `bases`). Under the cache lock. */
static int base_for(const char *dir, const char *content, uint32_t span, uint32_t *base)
{
    char path[PATH_MAX + 16], line[256], c[65];
    snprintf(path, sizeof path, "%s/bases", dir);
    struct range *r = NULL;
    size_t n = 0;
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        uint32_t b, s;
        if (sscanf(line, "%64s %" SCNx32 " %" SCNx32, c, &b, &s) != 3)
            continue;
        if (strcmp(c, content) == 0 && s >= span) {
            fclose(f);
            free(r);
            *base = b;
            return 0;
        }
        struct range *nr = realloc(r, (n + 1) * sizeof *r);
        if (!nr) {
            fclose(f);
            free(r);
            return -1;
        }
        r = nr;
        r[n++] = (struct range){ b, s };
    }
    if (f)
        fclose(f);
    if (n)
        qsort(r, n, sizeof *r, cmp_range);
    uint64_t at = LIB_LO;
    for (size_t i = 0; i < n; i++) {
        if (at + span <= r[i].base)
            break;
        uint64_t end = ((uint64_t)r[i].base + r[i].span + LIB_ALIGN - 1) & ~(uint64_t)(LIB_ALIGN - 1);
        if (end > at)
            at = end;
    }
    free(r);
    if (at + span > LIB_HI)
        return -1;
    f = fopen(path, "a");
    if (!f)
        return -1;
    fprintf(f, "%s %08" PRIx64 " %08" PRIx32 "\n", content, at, span);
    if (fclose(f) != 0)
        return -1;
    *base = (uint32_t)at;
    return 0;
}

/* ---- translating ---- */

static int lock_cache(const char *dir)
{
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/lock", dir);
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* The library `host` (guest: its name for messages) gets a valid entry of key; made unless
   there is one. *made tells whether it was. */
static int ensure_entry(const char *dir, const char *host, const char *guest, const char *key,
                        const struct cache_opts *o, unsigned jobs, bool *made, char *err,
                        size_t errlen)
{
    *made = false;
    char memo[PATH_MAX + 16], content[65];
    snprintf(memo, sizeof memo, "%s/files", dir);
    int fd = open(host, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || xl_sha256_fd_memo(fd, memo, content) != 0) {
        snprintf(err, errlen, "%s: %s", host, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    int lk = lock_cache(dir);
    if (lk < 0) {
        snprintf(err, errlen, "cannot lock the cache %s: %s", dir, strerror(errno));
        return -1;
    }
    struct meta m;
    int rc = 0;
    if (entry_state(dir, content, key, &m) == 1)
        goto out;
    struct xl_image img;
    char e[256];
    if (xl_image_load_library(host, &img, e, sizeof e) != 0) {
        rc = -1;
        snprintf(err, errlen, "%s: %s", host, e);
        goto out;
    }
    uint64_t lo, hi;
    xl_image_span(&img, &lo, &hi);
    xl_image_free(&img);
    uint32_t base;
    if (base_for(dir, content, (uint32_t)(hi - lo), &base) != 0) {
        rc = -1;
        snprintf(err, errlen, "no room left for %s in the cache's guest address range", host);
        goto out;
    }
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "xlate: translating the library %s into the cache (once)\n", guest);
    char so[PATH_MAX + 64], tmp[PATH_MAX + 96], mp[PATH_MAX + 64];
    entry_path(dir, content, key, "so", so, sizeof so);
    entry_path(dir, content, key, "meta", mp, sizeof mp);
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", so, (int)getpid());
    struct aot_library lib = { .base = base, .key = key, .content = content };
    if (aot_translate_library(host, tmp, &lib, o, jobs, e, sizeof e) != 0) {
        rc = -1;
        snprintf(err, errlen, "translating the library %s: %s", guest, e);
        unlink(tmp);
        goto out;
    }
    memset(&m, 0, sizeof m);
    char *real = realpath(host, NULL);
    snprintf(m.source, sizeof m.source, "%s", real ? real : host);
    free(real);
    snprintf(m.content, sizeof m.content, "%s", content);
    snprintf(m.key, sizeof m.key, "%s", key);
    m.base = base;
    m.span = (uint32_t)(hi - lo);
    unlink(mp);             /* no .meta names a .so being replaced */
    if (xl_sha256_file(tmp, m.so) != 0 || rename(tmp, so) != 0 || write_meta(mp, &m) != 0) {
        rc = -1;
        snprintf(err, errlen, "cannot write %s: %s", so, strerror(errno));
        unlink(tmp);
        goto out;
    }
    *made = true;
out:
    close(lk);
    return rc;
}

/* The libraries that translated programs mapped without a translation (runtime/libcache.c
   writes `wanted`: content hash and path, one per line; dlopen'ed ones, mostly): each one
   that still has that content is translated now. A failure is a warning: the program being
   translated does not depend on them. The list is emptied. */
static void translate_wanted(const char *dir, const char *key, const struct cache_opts *o,
                             unsigned jobs)
{
    char list[PATH_MAX + 16], taken[PATH_MAX + 32], line[PATH_MAX + 80], hash[65], e[512];
    snprintf(list, sizeof list, "%s/wanted", dir);
    snprintf(taken, sizeof taken, "%s/wanted.%d", dir, (int)getpid());
    if (rename(list, taken) != 0)
        return;                             /* none, or another xlate took it */
    FILE *f = fopen(taken, "r");
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strlen(line) < 66 || line[64] != ' ')
            continue;
        const char *path = line + 65;
        bool made;
        if (xl_sha256_file(path, hash) != 0 || strncmp(hash, line, 64) != 0)
            continue;                       /* gone or changed since */
        if (ensure_entry(dir, path, path, key, o, jobs, &made, e, sizeof e) != 0)
            fprintf(stderr, "xlate: warning: %s\n", e);
    }
    if (f)
        fclose(f);
    unlink(taken);
}

int cache_prepare(const struct xl_image *prog, const char *sysroot, const struct cache_opts *o,
                  unsigned jobs, char *err, size_t errlen)
{
    char dir[PATH_MAX], key[CACHE_KEY_LEN + 1], memo[PATH_MAX + 16];
    if (cache_dir(dir, sizeof dir) != 0) {
        snprintf(err, errlen, "no cache directory: set XLATE_CACHE_DIR or HOME");
        return -1;
    }
    snprintf(memo, sizeof memo, "%s/files", dir);
    if (mkdirs(memo) != 0) {
        snprintf(err, errlen, "cannot create the cache %s: %s", dir, strerror(errno));
        return -1;
    }
    if (cache_options_key(o, key) != 0) {
        snprintf(err, errlen, "cannot read this xlate's executable: %s", strerror(errno));
        return -1;
    }
    /* The sysroot the program will run with, chosen as xlate run chooses it. */
    char *root = rt_sysroot_choose(sysroot, NULL, environ);
    char pdir[PATH_MAX];
    snprintf(pdir, sizeof pdir, "%s", prog->path);
    char *slash = strrchr(pdir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(pdir, sizeof pdir, ".");
    struct needed nd;
    int r = needed_libraries(prog, pdir, root, &nd, err, errlen);
    free(root);
    if (r != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < nd.n && rc == 0; i++) {
        bool made;
        rc = ensure_entry(dir, nd.libs[i].host, nd.libs[i].guest, key, o, jobs, &made, err,
                          errlen);
    }
    needed_free(&nd);
    if (rc == 0)
        translate_wanted(dir, key, o, jobs);
    return rc;
}

/* ---- xlate cache ---- */

static int list(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT) {
            printf("the cache %s is empty\n", dir);
            return 0;
        }
        tool_error("cannot read the cache %s: %s", dir, strerror(errno));
        return 1;
    }
    char key[CACHE_KEY_LEN + 1];
    struct cache_opts def = { .opt_level = 2 };
    bool have_key = cache_options_key(&def, key) == 0;
    struct dirent *e;
    unsigned n = 0, bad = 0;
    unsigned long long bytes = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".meta") != 0)
            continue;
        char mp[PATH_MAX + 256], sp[PATH_MAX + 256], h[65];
        snprintf(mp, sizeof mp, "%s/%s", dir, e->d_name);
        snprintf(sp, sizeof sp, "%s/%.*s.so", dir, (int)(len - 5), e->d_name);
        struct meta m;
        struct stat st;
        const char *state = "ok";
        if (read_meta(mp, &m) != 0)
            state = "damaged (.meta)";
        else if (stat(sp, &st) != 0 || xl_sha256_file(sp, h) != 0 || strcmp(h, m.so) != 0)
            state = "damaged (.so)";
        else
            bytes += (unsigned long long)st.st_size;
        bad += strcmp(state, "ok") != 0;
        printf("%-16s %-15s base %08" PRIx32 " %s%s\n", m.key[0] ? m.key : "?", state, m.base,
               m.source[0] ? m.source : e->d_name,
               have_key && strcmp(m.key, key) == 0 ? "" : "  (another xlate or options)");
        n++;
    }
    closedir(d);
    printf("%u entries, %llu bytes, %u damaged, in %s\n", n, bytes, bad, dir);
    unsigned np;
    unsigned long long pbytes;
    progcache_count(dir, &np, &pbytes);
    printf("%u translated programs, %llu bytes, in %s/programs\n", np, pbytes, dir);
    return 0;
}

static int clear(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : (tool_error("cannot read the cache %s: %s", dir,
                                                 strerror(errno)), 1);
    int lk = lock_cache(dir);
    struct dirent *e;
    unsigned n = 0;
    char p[PATH_MAX + 512];
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        bool ours = (len > 3 && strcmp(e->d_name + len - 3, ".so") == 0) ||
                    (len > 5 && strcmp(e->d_name + len - 5, ".meta") == 0) ||
                    (len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0) ||
                    strcmp(e->d_name, "bases") == 0;
        if (!ours)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        n += unlink(p) == 0 && len > 3 && strcmp(e->d_name + len - 3, ".so") == 0;
    }
    closedir(d);
    snprintf(p, sizeof p, "%s/files", dir);
    DIR *fd = opendir(p);
    while (fd && (e = readdir(fd)) != NULL) {
        char q[PATH_MAX + 1024];
        snprintf(q, sizeof q, "%s/%s", p, e->d_name);
        if (e->d_name[0] != '.')
            unlink(q);
    }
    if (fd)
        closedir(fd);
    rmdir(p);
    if (lk >= 0)
        close(lk);
    printf("removed %u translated libraries and %u translated programs from %s\n", n,
           progcache_clear(dir), dir);
    return 0;
}

/* --prefill: every ARM shared object under the directories given. */
static struct {
    const char *dir;
    char key[CACHE_KEY_LEN + 1];
    struct cache_opts o;
    unsigned jobs, made, had, failed;
} pf;

static int prefill_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    /* Shared objects by name (NAME.so, NAME.so.N...): PIE programs are ET_DYN too. */
    const char *so = strstr(path + ftw->base, ".so");
    if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_size < 52 || !so ||
        (so[3] != '\0' && so[3] != '.'))
        return 0;
    struct xl_image img;
    char e[512];
    if (xl_image_load_library(path, &img, e, sizeof e) != 0)
        return 0;               /* not an ARM shared object */
    xl_image_free(&img);
    bool made;
    if (ensure_entry(pf.dir, path, path, pf.key, &pf.o, pf.jobs, &made, e, sizeof e) != 0) {
        fprintf(stderr, "xlate: warning: %s\n", e);
        pf.failed++;
    } else if (made) {
        printf("translated %s\n", path);
        pf.made++;
    } else {
        pf.had++;
    }
    return 0;
}

static const char cache_usage[] =
    "usage: xlate cache --list | --clear | --prefill DIR... [-O0..-O3] [-j N] [--cpu CPU]\n"
    "  The cache of translated ARM shared libraries ($XLATE_CACHE_DIR, else\n"
    "  $XDG_CACHE_HOME/xlate, else ~/.cache/xlate).\n"
    "    --list         every entry: options key, state, guest base, the library\n"
    "    --clear        remove every translated library and program\n"
    "    --prefill DIR  translate every ARM shared object (NAME.so, NAME.so.N) under DIR\n"
    "                   (e.g. a sysroot's lib directories) with these options, unless it\n"
    "                   is there already\n";

int cache_main(int argc, char **argv)
{
    enum { NONE, LIST, CLEAR, PREFILL } what = NONE;
    int first_dir = 0, ndirs = 0;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    pf.o = (struct cache_opts){ .opt_level = 2 };
    pf.jobs = cores > 0 ? (unsigned)cores : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val;
        if (strcmp(a, "--list") == 0)
            what = LIST;
        else if (strcmp(a, "--clear") == 0)
            what = CLEAR;
        else if (strcmp(a, "--prefill") == 0) {
            what = PREFILL;
            first_dir = i + 1;
            while (i + 1 < argc && argv[i + 1][0] != '-') {
                i++;
                ndirs++;
            }
        } else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3])
            pf.o.opt_level = a[2] - '0';
        else if (value_opt(argv, argc, &i, "--jobs", "-j", &val)) {
            if (!val || atoi(val) < 1)
                return tool_usage_error("cache ", "-j needs a number of jobs");
            pf.jobs = (unsigned)atoi(val);
        } else if (value_opt(argv, argc, &i, "--cpu", NULL, &val)) {
            if (!val || !*val)
                return tool_usage_error("cache ", "--cpu needs a host CPU name");
            pf.o.cpu = val;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(cache_usage, stdout);
            return 0;
        } else
            return tool_usage_error("cache ", "unknown argument '%s'", a);
    }
    if (what == NONE)
        return tool_usage_error("cache ", "cache: say --list, --clear or --prefill DIR");
    if (what == PREFILL && ndirs == 0)
        return tool_usage_error("cache ", "--prefill needs a directory");
    char dir[PATH_MAX];
    if (cache_dir(dir, sizeof dir) != 0) {
        tool_error("no cache directory: set XLATE_CACHE_DIR or HOME");
        return 1;
    }
    if (what == LIST)
        return list(dir);
    if (what == CLEAR)
        return clear(dir);
    char memo[PATH_MAX + 16];
    snprintf(memo, sizeof memo, "%s/files", dir);
    if (mkdirs(memo) != 0) {
        tool_error("cannot create the cache %s: %s", dir, strerror(errno));
        return 1;
    }
    if (cache_options_key(&pf.o, pf.key) != 0) {
        tool_error("cannot read this xlate's executable: %s", strerror(errno));
        return 1;
    }
    pf.dir = dir;
    for (int k = 0; k < ndirs; k++) {
        struct stat st;
        if (stat(argv[first_dir + k], &st) != 0 || !S_ISDIR(st.st_mode)) {
            tool_error("%s: not a directory", argv[first_dir + k]);
            return 1;
        }
        nftw(argv[first_dir + k], prefill_one, 16, FTW_PHYS);
    }
    printf("%u translated, %u already there, %u failed\n", pf.made, pf.had, pf.failed);
    return pf.failed ? 1 : 0;
}
