/* SHA-256 (FIPS 180-4), for the content keys of the translation cache (docs/dynamic.md). */
#ifndef XL_SHA256_H
#define XL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct xl_sha256 {
    uint32_t h[8];
    uint64_t len;               /* bytes hashed so far */
    uint8_t buf[64];
    size_t nbuf;
};

void xl_sha256_init(struct xl_sha256 *s);
void xl_sha256_update(struct xl_sha256 *s, const void *data, size_t n);
/* The digest as 64 lowercase hex digits and a NUL. */
void xl_sha256_hex(struct xl_sha256 *s, char out[65]);
/* The hex digest of a whole file; 0, or -1 with errno. */
int xl_sha256_file(const char *path, char out[65]);
/* The same for an open file descriptor, read with pread from offset 0. */
int xl_sha256_fd(int fd, char out[65]);
/* xl_sha256_fd, remembered in memo_dir (when not NULL) under the file's identity (device,
   inode, size, modification time): a file hashed once is not read again until it
   changes. Writing the memo is best effort. */
int xl_sha256_fd_memo(int fd, const char *memo_dir, char out[65]);

#endif
