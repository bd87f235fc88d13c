/*
 * The shared libraries a dynamically linked program needs, found the way the guest's ld.so
 * finds them, in a sysroot: its PT_INTERP loader, then DT_NEEDED breadth first through
 * every library found, each name looked up in the requiring object's DT_RPATH (without a
 * DT_RUNPATH) or DT_RUNPATH ($ORIGIN expanded), then Debian's multiarch and the default
 * directories. A guest path names the sysroot's file when it exists there, else the host's
 * (the runtime's rule, docs/dynamic.md); a candidate that is not an ARM shared object is
 * skipped, as ld.so skips it.
 */
#include <elf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lifter/image/image.h"
#include "tools/needed.h"

static const char *const default_dirs[] = {
    "/lib/arm-linux-gnueabihf", "/usr/lib/arm-linux-gnueabihf", "/lib", "/usr/lib",
};

/* The host file for guest path p: sysroot/p when it exists, else p. */
static void host_path(const char *sysroot, const char *p, char *out, size_t n)
{
    struct stat st;
    if (sysroot && *sysroot && p[0] == '/') {
        snprintf(out, n, "%s%s", sysroot, p);
        if (stat(out, &st) == 0)
            return;
    }
    snprintf(out, n, "%s", p);
}

/* img's DT_NEEDED names and its search path (DT_RUNPATH, else DT_RPATH), into *names (a
   malloc'ed array of strdup'ed names) and path (NULL when none). */
static int dynamic_entries(const struct xl_image *img, char ***names, size_t *n, char **path)
{
    *names = NULL;
    *n = 0;
    *path = NULL;
    Elf32_Ehdr eh;
    if (img->file_size < sizeof eh)
        return 0;
    memcpy(&eh, img->file, sizeof eh);
    uint32_t dyn_off = 0, dyn_size = 0;
    for (uint32_t i = 0; i < eh.e_phnum; i++) {
        uint64_t off = (uint64_t)eh.e_phoff + (uint64_t)i * eh.e_phentsize;
        Elf32_Phdr ph;
        if (eh.e_phentsize < sizeof ph || off + sizeof ph > img->file_size)
            break;
        memcpy(&ph, img->file + off, sizeof ph);
        if (ph.p_type == PT_DYNAMIC) {
            dyn_off = ph.p_offset;
            dyn_size = ph.p_filesz;
        }
    }
    if (!dyn_size || dyn_off > img->file_size || dyn_size > img->file_size - dyn_off)
        return 0;
    size_t nd = dyn_size / sizeof(Elf32_Dyn);
    Elf32_Dyn *d = malloc(nd * sizeof *d + 1);
    if (!d)
        return -1;
    memcpy(d, img->file + dyn_off, nd * sizeof *d);
    uint32_t strtab = 0, strsz = 0, runpath = 0, rpath = 0;
    bool has_runpath = false, has_rpath = false;
    size_t nneeded = 0;
    for (size_t i = 0; i < nd && d[i].d_tag != DT_NULL; i++) {
        switch (d[i].d_tag) {
        case DT_STRTAB: strtab = d[i].d_un.d_ptr; break;
        case DT_STRSZ: strsz = d[i].d_un.d_val; break;
        case DT_RUNPATH: runpath = d[i].d_un.d_val; has_runpath = true; break;
        case DT_RPATH: rpath = d[i].d_un.d_val; has_rpath = true; break;
        case DT_NEEDED: nneeded++; break;
        }
    }
    /* The table at its file address (unbiased: the image may be rebased). */
    uint32_t avail;
    const char *str = strsz ? (const char *)xl_image_ptr(img, strtab + img->bias, &avail) : NULL;
    int rc = 0;
    if (!str || avail < strsz)
        goto out;
    *names = calloc(nneeded + 1, sizeof **names);
    if (!*names) {
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < nd && d[i].d_tag != DT_NULL; i++) {
        uint32_t o = d[i].d_un.d_val;
        if (d[i].d_tag != DT_NEEDED || o >= strsz || !memchr(str + o, '\0', strsz - o))
            continue;
        if (!((*names)[(*n)++] = strdup(str + o)))
            rc = -1;
    }
    uint32_t p = has_runpath ? runpath : rpath;
    if ((has_runpath || has_rpath) && p < strsz && memchr(str + p, '\0', strsz - p))
        *path = strdup(str + p);
out:
    free(d);
    return rc;
}

static void free_names(char **names, size_t n, char *path)
{
    for (size_t k = 0; k < n; k++)
        free(names[k]);
    free(names);
    free(path);
}

static int add(struct needed *nd, const char *guest, const char *host)
{
    for (size_t i = 0; i < nd->n; i++)
        if (strcmp(nd->libs[i].guest, guest) == 0)
            return 0;
    struct needed_lib *l = realloc(nd->libs, (nd->n + 1) * sizeof *l);
    if (!l)
        return -1;
    nd->libs = l;
    l[nd->n].guest = strdup(guest);
    l[nd->n].host = strdup(host);
    if (!l[nd->n].guest || !l[nd->n].host)
        return -1;
    nd->n++;
    return 0;
}

/* Looks name up in the directories of the colon-separated list dirs (origin: the
   requiring object's guest directory, for $ORIGIN); 1 when found (guest, host set). A
   file of that name that is no ARM shared object is skipped, and the first one is
   described in skipped (when it is still empty), for the error if nothing else is found. */
static int lookup_in(const char *dirs, const char *origin, const char *name,
                     const char *sysroot, char *guest, char *host, size_t n,
                     char *skipped, size_t skipped_len)
{
    char *copy = strdup(dirs), *save = NULL;
    if (!copy)
        return -1;
    int found = 0;
    for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char dir[PATH_MAX];
        if (strncmp(d, "$ORIGIN", 7) == 0)
            snprintf(dir, sizeof dir, "%s%s", origin, d + 7);
        else if (strncmp(d, "${ORIGIN}", 9) == 0)
            snprintf(dir, sizeof dir, "%s%s", origin, d + 9);
        else
            snprintf(dir, sizeof dir, "%s", d);
        if (snprintf(guest, n, "%s/%s", dir, name) >= (int)n)
            continue;
        host_path(sysroot, guest, host, n);
        struct xl_image img;
        char err[200];
        struct stat st;
        if (xl_image_load_library(host, &img, err, sizeof err) == 0) {
            xl_image_free(&img);
            found = 1;
        } else if (!*skipped && stat(host, &st) == 0 && S_ISREG(st.st_mode)) {
            snprintf(skipped, skipped_len, "%s: %s", host, err);
        }
    }
    free(copy);
    return found;
}

int needed_libraries(const struct xl_image *prog, const char *prog_guest_dir,
                     const char *sysroot, struct needed *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char guest[PATH_MAX], host[PATH_MAX];
    struct xl_image cur;
    bool have_cur = false;
    if (prog->interp) {
        host_path(sysroot, prog->interp, host, sizeof host);
        if (add(out, prog->interp, host) != 0)
            goto oom;
    }
    /* The program, then each library found, in turn: breadth first. */
    size_t next = 0;
    const struct xl_image *img = prog;
    const char *origin = prog_guest_dir;
    char dir[PATH_MAX];
    for (;;) {
        char **names, *path;
        size_t n;
        if (dynamic_entries(img, &names, &n, &path) != 0)
            goto oom;
        for (size_t i = 0; i < n; i++) {
            int f = 0;
            char skipped[PATH_MAX + 256] = "";
            if (strchr(names[i], '/')) {        /* a path: that file, or nothing */
                snprintf(guest, sizeof guest, "%s", names[i]);
                host_path(sysroot, guest, host, sizeof host);
                struct stat st;
                f = stat(host, &st) == 0 ? 1 : 0;
            }
            if (!f && path)
                f = lookup_in(path, origin, names[i], sysroot, guest, host, sizeof guest,
                              skipped, sizeof skipped);
            for (size_t k = 0; !f && !strchr(names[i], '/') && k < sizeof default_dirs / sizeof default_dirs[0]; k++)
                f = lookup_in(default_dirs[k], origin, names[i], sysroot, guest, host,
                              sizeof guest, skipped, sizeof skipped);
            const char *by = img == prog ? "the program" : out->libs[next - 1].guest;
            if (f == 0 && *skipped)     /* as ld.so: it looked on, and found no other */
                snprintf(err, errlen, "no usable library %s (needed by %s): %s", names[i], by,
                         skipped);
            else if (f == 0)
                snprintf(err, errlen, "the library %s (needed by %s) is not in %s", names[i],
                         by, sysroot && *sysroot ? sysroot : "the host's directories");
            if (f <= 0) {
                free_names(names, n, path);
                if (f < 0)
                    goto oom;
                goto fail;
            }
            if (add(out, guest, host) != 0) {
                free_names(names, n, path);
                goto oom;
            }
        }
        free_names(names, n, path);
        if (have_cur)
            xl_image_free(&cur);
        have_cur = false;
        /* The next library (the loader, first, needs nothing). */
        while (next < out->n) {
            const struct needed_lib *l = &out->libs[next++];
            char e[200];
            if (xl_image_load_library(l->host, &cur, e, sizeof e) != 0) {
                snprintf(err, errlen, "%s (%s): %s", l->guest, l->host, e);
                goto fail;
            }
            have_cur = true;
            snprintf(dir, sizeof dir, "%s", l->guest);
            char *slash = strrchr(dir, '/');
            if (slash)
                *slash = '\0';
            origin = dir;
            break;
        }
        if (!have_cur)
            return 0;
        img = &cur;
    }
oom:
    snprintf(err, errlen, "out of memory");
fail:
    if (have_cur)
        xl_image_free(&cur);
    needed_free(out);
    return -1;
}

void needed_free(struct needed *nd)
{
    for (size_t i = 0; i < nd->n; i++) {
        free(nd->libs[i].guest);
        free(nd->libs[i].host);
    }
    free(nd->libs);
    memset(nd, 0, sizeof *nd);
}
