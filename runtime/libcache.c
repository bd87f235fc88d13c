/*
 * Translated libraries from the cache (tools/cache.c makes them; docs/dynamic.md). When a
 * translated program's guest maps a shared library (ld.so's first mapping of the file, or
 * the loader itself), the file's SHA-256 names its entry: a host shared object whose
 * xl_module_info says for which guest base its code is. If that range is free, the library
 * goes there and its AOT table serves lookups in it; otherwise (no entry, a stale or
 * damaged one, the range taken) the library runs in the JIT as before.
 *
 * Only a translated program has a cache key (xl_guest_cache_key, from the translation's
 * options); `xlate run` stays JIT-only. Host objects are never unloaded: a guest that
 * unmaps a library and maps it again gets the same code back.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lifter/image/sha256.h"
#include "../lifter/ir/xl_log.h"
#include "aot.h"
#include "rt_internal.h"

extern const char xl_guest_cache_key[] __attribute__((weak));
extern const char xl_guest_cache_dir[] __attribute__((weak));

static const char *cache_dir(void)
{
    const char *d = getenv("XLATE_CACHE_DIR");
    return d && *d ? d : xl_guest_cache_dir;
}

/* A library mapped without a translation (one that the program dlopens, or a file changed
   since): its path goes into the cache's `wanted` list, which the next `xlate` translation
   works through (tools/cache.c), once per content. Best effort; only for the mapping that
   loads a library (len known), not for a file the loader merely opened. */
static void want(const char *dir, const char *hash, int fd, uint64_t len)
{
    char path[PATH_MAX], list[PATH_MAX + 16], line[PATH_MAX + 80];
    if (!len || rt_fd_path(fd, path, sizeof path) <= 0)
        return;
    snprintf(list, sizeof list, "%s/wanted", dir);
    FILE *f = fopen(list, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, hash, 64) == 0) {
            fclose(f);
            return;
        }
    if (f)
        fclose(f);
    int w = open(list, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (w < 0)
        return;
    int k = snprintf(line, sizeof line, "%s %s\n", hash, path);
    if (k > 0 && (size_t)k < sizeof line && write(w, line, (size_t)k) != k) {
        /* best effort */
    }
    close(w);
}

/* The "so HASH" line of so_path's .meta. */
static bool so_hash_recorded(const char *so_path, char out[65])
{
    char meta[PATH_MAX + 160], line[PATH_MAX + 32];
    size_t n = strlen(so_path);
    snprintf(meta, sizeof meta, "%.*s.meta", (int)(n - 3), so_path);
    FILE *f = fopen(meta, "r");
    bool ok = false;
    while (f && !ok && fgets(line, sizeof line, f))
        ok = sscanf(line, "so %64s", out) == 1 && strlen(out) == 64;
    if (f)
        fclose(f);
    return ok;
}

static bool so_hash_now(const char *so_path, const char *memo, char out[65])
{
    int fd = open(so_path, O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && xl_sha256_fd_memo(fd, memo, out) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

bool rt_libcache_enabled(void)
{
    return xl_guest_cache_key && xl_guest_cache_key[0] && xl_guest_cache_dir &&
           cache_dir()[0];
}

/* len: the length of the mapping it is for, 0 when not known yet. */
const struct xl_module_info *rt_libcache_find(int fd, uint64_t len, const char *name)
{
    if (!rt_libcache_enabled())
        return NULL;
    const char *dir = cache_dir();
    char memo[PATH_MAX], hash[65], path[PATH_MAX + 128], nm[PATH_MAX];
    if (!name) {
        rt_fd_path(fd, nm, sizeof nm);
        name = nm;
    }
    snprintf(memo, sizeof memo, "%s/files", dir);
    if (xl_sha256_fd_memo(fd, memo, hash) != 0)
        return NULL;
    snprintf(path, sizeof path, "%s/%.32s-%s.so", dir, hash, xl_guest_cache_key);
    if (access(path, R_OK) != 0) {
        want(dir, hash, fd, len);
        return NULL;
    }
    /* The shared object must be the one its .meta records (its SHA-256, remembered by file
       identity, so that it is read once after each change): a damaged entry is never
       loaded. */
    char want[65] = "", got[65] = "";
    if (!so_hash_recorded(path, want) || !so_hash_now(path, memo, got) ||
        strcmp(want, got) != 0) {
        if (xl_log_enabled(XL_LOG_JIT))
            xl_log("jit: %s: cache entry %s not used: damaged", name, path);
        return NULL;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    const struct xl_module_info *mi = h ? dlsym(h, "xl_module_info") : NULL;
    const char *why = !h                                   ? dlerror()
                      : !mi                                ? "no xl_module_info"
                      : mi->magic != XL_MODULE_MAGIC       ? "not a translated library"
                      : mi->format != XL_MODULE_FORMAT     ? "another format"
                      : strncmp(mi->key, xl_guest_cache_key, XL_MODULE_KEY_LEN) != 0
                          ? "another xlate or options"
                      : strncmp(mi->content, hash, XL_MODULE_CONTENT_LEN) != 0
                          ? "made from another file"
                      : len && RT_PAGE_UP(len) != mi->span ? "another size"
                                                           : NULL;
    if (why) {
        if (xl_log_enabled(XL_LOG_JIT))
            xl_log("jit: %s: cache entry %s not used: %s", name, path, why);
        if (h)
            dlclose(h);
        return NULL;
    }
    if (xl_log_enabled(XL_LOG_JIT))
        xl_log("jit: %s: translated library %s, at 0x%08x", name, path, mi->base);
    return mi;
}

void rt_libcache_opened(struct rt_thread *rt, uint32_t pc, int fd)
{
    struct rt_process *p = rt->proc;
    rt->pending_lib = NULL;
    if (!rt_libcache_enabled() || pc < p->interp_start || pc >= p->interp_end)
        return;
    /* Only ELF files are worth a hash: the loader also opens its cache and the like. */
    unsigned char magic[4];
    if (pread(fd, magic, 4, 0) == 4 && memcmp(magic, "\177ELF", 4) == 0)
        rt->pending_lib = rt_libcache_find(fd, 0, NULL);
}
