/*
 * Unaligned little-endian fields of guest structures in byte buffers (the host is
 * little-endian, as the guest): the conversions of conv.c and conv_net.c, signal frames,
 * and the unit tests that check them.
 */
#ifndef XL_RT_BYTES_H
#define XL_RT_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void rt_put16(uint8_t *p, size_t off, uint16_t v) { memcpy(p + off, &v, 2); }
static inline void rt_put32(uint8_t *p, size_t off, uint32_t v) { memcpy(p + off, &v, 4); }
static inline void rt_put64(uint8_t *p, size_t off, uint64_t v) { memcpy(p + off, &v, 8); }

static inline uint16_t rt_get16(const uint8_t *p, size_t off)
{
    uint16_t v;
    memcpy(&v, p + off, 2);
    return v;
}

static inline uint32_t rt_get32(const uint8_t *p, size_t off)
{
    uint32_t v;
    memcpy(&v, p + off, 4);
    return v;
}

static inline uint64_t rt_get64(const uint8_t *p, size_t off)
{
    uint64_t v;
    memcpy(&v, p + off, 8);
    return v;
}

#endif
