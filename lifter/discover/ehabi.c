/*
 * Landing pads from the ARM EHABI exception tables.
 *
 * .ARM.exidx: pairs of words, sorted by function. Word 0 is a prel31 offset to the function
 * start; word 1 is EXIDX_CANTUNWIND (1), an inline compact entry (bit 31 set), or a prel31
 * offset to the function's .ARM.extab entry. An extab entry with bit 31 of its first word
 * set is a compact model (personality index in bits 24-27): no LSDA. Otherwise that word is
 * a prel31 offset to the personality routine, the next word's top byte counts the unwind
 * opcode words after it, and the LSDA follows them (libgcc's
 * _Unwind_GetLanguageSpecificData).
 *
 * The LSDA is GCC's gcc_except_table format (libsupc++ parse_lsda_header): LPStart encoding
 * [+ LPStart], TType encoding [+ uleb128 offset], call-site encoding + uleb128 table length,
 * then call-site records {start, length, landing pad, uleb128 action}. A landing pad is
 * LPStart (default: the function start) + its offset; 0 means none. The unwinder keeps the
 * state of the frame's pc when it jumps there (_Unwind_SetIP), so a pad is in its
 * function's state; discover.c decides which.
 *
 * Input is untrusted: every read goes through a cursor bounded by the segment's file data,
 * and the total work is bounded by MAX_RECORDS.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ehabi.h"

#define EXIDX_CANTUNWIND    1u
#define MAX_LSDA            (1u << 20)  /* bytes of one LSDA looked at */
#define MAX_RECORDS         (1u << 20)  /* call-site records read in total */

#define DW_EH_PE_omit       0xffu
#define DW_EH_PE_pcrel      0x10u

#ifndef PT_ARM_EXIDX
#define PT_ARM_EXIDX        0x70000001u
#endif

/* A bounded reader over guest bytes: p is at guest address addr, end is one past the last. */
struct cur {
    const uint8_t *p, *end;
    uint32_t addr;
    bool bad;
};

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The word at guest address a, false when it is not in the file data. */
static bool word_at(const struct xl_image *img, uint32_t a, uint32_t *w)
{
    uint32_t avail;
    const uint8_t *p = xl_image_ptr(img, a, &avail);
    if (!p || avail < 4)
        return false;
    *w = rd32(p);
    return true;
}

/* A prel31 field (EHABI: bits 0-30, signed) at address a. */
static uint32_t prel31(uint32_t w, uint32_t a)
{
    uint32_t off = w & 0x7fffffffu;
    if (off & 0x40000000u)
        off |= 0x80000000u;
    return a + off;
}

static void skip(struct cur *c, uint32_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = true;
        return;
    }
    c->p += n;
    c->addr += n;
}

static uint8_t u8(struct cur *c)
{
    if (c->bad || c->p == c->end) {
        c->bad = true;
        return 0;
    }
    c->addr++;
    return *c->p++;
}

/* LEB128; bits beyond 32 are dropped (no sane table has them). */
static uint32_t leb128(struct cur *c, bool sign)
{
    uint32_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = u8(c);
        if (shift < 32)
            v |= (uint32_t)(b & 0x7f) << shift;
        shift += 7;
    } while ((b & 0x80) && !c->bad);
    if (sign && shift < 32 && (b & 0x40))
        v |= ~0u << shift;
    return v;
}

/* A DW_EH_PE-encoded value. Only absolute and (when pcrel_ok) pc-relative applications are
   taken: the others need bases an ARM static executable's LSDA never uses. */
static uint32_t encoded(struct cur *c, uint8_t enc, bool pcrel_ok)
{
    uint32_t at = c->addr, v = 0;
    uint8_t app = enc & 0x70;
    if ((enc & 0x80) || !(app == 0 || (app == DW_EH_PE_pcrel && pcrel_ok))) {
        c->bad = true;
        return 0;
    }
    switch (enc & 0x0f) {
    case 0x00:                  /* absptr: 4 bytes on ARM */
    case 0x03:                  /* udata4 */
    case 0x0b:                  /* sdata4 */
        if ((size_t)(c->end - c->p) >= 4)
            v = rd32(c->p);
        skip(c, 4);
        break;
    case 0x02:                  /* udata2 */
    case 0x0a:                  /* sdata2 */
        if ((size_t)(c->end - c->p) >= 2)
            v = (uint32_t)(c->p[0] | c->p[1] << 8);
        if ((enc & 0x0f) == 0x0a)
            v = (uint32_t)(int32_t)(int16_t)v;
        skip(c, 2);
        break;
    case 0x04:                  /* udata8, sdata8: the low word */
    case 0x0c:
        if ((size_t)(c->end - c->p) >= 8)
            v = rd32(c->p);
        skip(c, 8);
        break;
    case 0x01:
        v = leb128(c, false);
        break;
    case 0x09:
        v = leb128(c, true);
        break;
    default:
        c->bad = true;
        return 0;
    }
    return app == DW_EH_PE_pcrel ? v + at : v;
}

struct pads {
    struct xl_landing_pad *v;
    size_t n, cap;
    uint32_t records;           /* call-site records read so far, against MAX_RECORDS */
    bool oom;
};

static void push(struct pads *ps, uint32_t func, uint32_t pad)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        struct xl_landing_pad *nv = realloc(ps->v, cap * sizeof(*nv));
        if (!nv) {
            ps->oom = true;
            return;
        }
        ps->v = nv;
        ps->cap = cap;
    }
    ps->v[ps->n++] = (struct xl_landing_pad){ func, pad };
}

/* Whether the personality routine at pers reads GCC's LSDA format: unnamed (stripped), or
   __gxx_personality_v0, __gcc_personality_v0 (C cleanups), and the other GCC front ends'
   *_personality_v0, which share libgcc's parser. */
static bool gcc_personality(const struct xl_image *img, uint32_t pers)
{
    const struct xl_symbol *s = xl_image_symbol_at(img, pers & ~1u);
    if (!s || !s->func || s->addr != (pers & ~1u) || !s->name)
        return true;
    size_t n = strlen(s->name), k = strlen("_personality_v0");
    return n >= k && strcmp(s->name + n - k, "_personality_v0") == 0;
}

/* The call-site table of the LSDA at lsda for the function at fn; pads are kept below hi
   (the next exidx entry's function) when LPStart is the function's start. */
static void parse_lsda(const struct xl_image *img, uint32_t fn, uint32_t hi, uint32_t lsda,
                       struct pads *ps)
{
    uint32_t avail;
    const uint8_t *p = xl_image_ptr(img, lsda, &avail);
    if (!p)
        return;
    struct cur c = { p, p + (avail < MAX_LSDA ? avail : MAX_LSDA), lsda, false };
    uint32_t lpstart = fn & ~1u;
    bool own_start = true;
    uint8_t enc = u8(&c);
    if (enc != DW_EH_PE_omit) {
        lpstart = encoded(&c, enc, true);
        own_start = false;
    }
    if (u8(&c) != DW_EH_PE_omit)
        leb128(&c, false);                  /* TType offset: the types are not needed */
    uint8_t cs_enc = u8(&c);
    uint32_t len = leb128(&c, false);
    if (c.bad || len > (size_t)(c.end - c.p))
        return;
    c.end = c.p + len;
    while (c.p < c.end && !c.bad && ps->records < MAX_RECORDS && !ps->oom) {
        ps->records++;
        encoded(&c, cs_enc, false);         /* start */
        encoded(&c, cs_enc, false);         /* length */
        uint32_t lp = encoded(&c, cs_enc, false);
        leb128(&c, false);                  /* action */
        if (c.bad || lp == 0)
            continue;
        uint32_t pad = lpstart + lp;
        if (own_start && ((pad & ~1u) < lpstart || (pad & ~1u) >= hi))
            continue;                       /* GCC keeps pads inside their function */
        push(ps, fn, pad);
    }
}

static int cmp_pad(const void *x, const void *y)
{
    const struct xl_landing_pad *a = x, *b = y;
    if (a->pad != b->pad)
        return a->pad < b->pad ? -1 : 1;
    return a->func < b->func ? -1 : a->func > b->func;
}

int xl_ehabi_scan(const struct xl_image *img, uint32_t exidx, uint32_t size,
                  struct xl_landing_pad **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    uint32_t avail;
    if (!xl_image_ptr(img, exidx, &avail))
        return 0;
    if (size > avail)
        size = avail;
    struct pads ps = { 0 };
    uint32_t count = size / 8;
    for (uint32_t i = 0; i < count && !ps.oom && ps.records < MAX_RECORDS; i++) {
        uint32_t e = exidx + i * 8, w0, w1, x0, x1;
        if (!word_at(img, e, &w0) || !word_at(img, e + 4, &w1))
            break;
        if (w1 == EXIDX_CANTUNWIND || (w1 & 0x80000000u))
            continue;                       /* no extab entry */
        uint32_t fn = prel31(w0, e), ex = prel31(w1, e + 4);
        if (!word_at(img, ex, &x0) || (x0 & 0x80000000u) ||
            !gcc_personality(img, prel31(x0, ex)) || !word_at(img, ex + 4, &x1))
            continue;
        uint32_t hi = UINT32_MAX, next;
        if (i + 1 < count && word_at(img, e + 8, &next) && prel31(next, e + 8) > fn)
            hi = prel31(next, e + 8) & ~1u;
        uint64_t lsda = (uint64_t)ex + 8 + 4 * (uint64_t)(x1 >> 24);
        if (lsda <= UINT32_MAX)
            parse_lsda(img, fn, hi, (uint32_t)lsda, &ps);
    }
    if (ps.oom) {
        free(ps.v);
        return -1;
    }
    if (ps.n) {
        qsort(ps.v, ps.n, sizeof(*ps.v), cmp_pad);
        size_t k = 0;
        for (size_t i = 0; i < ps.n; i++)
            if (!k || ps.v[k - 1].pad != ps.v[i].pad || ps.v[k - 1].func != ps.v[i].func)
                ps.v[k++] = ps.v[i];
        ps.n = k;
    }
    *out = ps.v;
    *n = ps.n;
    return 0;
}

int xl_ehabi_landing_pads(const struct xl_image *img, struct xl_landing_pad **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* The program headers, from the file (the image checked them when it loaded it); their
       addresses are the file's, before any rebase. */
    Elf32_Ehdr eh;
    if (!img->file || img->file_size < sizeof(eh))
        return 0;
    memcpy(&eh, img->file, sizeof(eh));
    if (eh.e_phentsize < sizeof(Elf32_Phdr) || eh.e_phoff > img->file_size)
        return 0;
    for (uint32_t i = 0; i < eh.e_phnum; i++) {
        uint64_t off = (uint64_t)eh.e_phoff + (uint64_t)i * eh.e_phentsize;
        if (off + sizeof(Elf32_Phdr) > img->file_size)
            break;
        Elf32_Phdr ph;
        memcpy(&ph, img->file + off, sizeof(ph));
        if (ph.p_type == PT_ARM_EXIDX)
            return xl_ehabi_scan(img, ph.p_vaddr + img->bias, ph.p_memsz, out, n);
    }
    return 0;
}
