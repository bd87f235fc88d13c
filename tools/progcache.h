/*
 * Whole translations of programs, kept in the cache directory beside the translated
 * libraries (tools/cache.h) under programs/: `xlate IN -o OUT` run again on the same
 * program with the same options copies its earlier output (docs/aot.md, "Translated
 * before").
 */
#ifndef XL_TOOLS_PROGCACHE_H
#define XL_TOOLS_PROGCACHE_H

#include <stddef.h>

#define PROGCACHE_KEY_LEN 64

/* The key of everything that makes an output: `what` is a text naming each input (the
   program's content hash, the options key, the runtime archives...). */
void progcache_key(const char *what, size_t n, char key[PROGCACHE_KEY_LEN + 1]);

/* Copies the translation cached under key to out (mode 0755). 0, or -1 when there is
   none, it is damaged (its recorded SHA-256 differs), or the copy failed. */
int progcache_get(const char *key, const char *out);

/* Keeps a copy of out, translated from source, under key; failures are silent (the
   translation is done, only the next one is slower). */
void progcache_put(const char *key, const char *out, const char *source);

/* For `xlate cache`: the number of cached programs and their bytes; removing them all. */
void progcache_count(const char *dir, unsigned *n, unsigned long long *bytes);
unsigned progcache_clear(const char *dir);

#endif
