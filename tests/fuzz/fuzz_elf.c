/*
 * libFuzzer: the ELF loader and code discovery on arbitrary bytes. xl_image_load_mem must
 * refuse or accept any file without crashing, leaking or tripping a sanitizer, and
 * xl_discover must terminate on whatever image it accepted. Discovery only follows code that
 * is in the file, so -max_len bounds its work.
 */
#include <stddef.h>
#include <stdint.h>

#include "lifter/discover/discover.h"
#include "lifter/image/image.h"
#include "lifter/ir/xl_assert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xl_image img;
    char err[256];
    err[0] = '\0';
    if (xl_image_load_mem(data, size, "fuzz.elf", &img, err, sizeof err) != 0) {
        xl_assert(err[0] != '\0');      /* a refusal always says why */
        return 0;
    }
    /* The accessors on every segment edge and symbol. */
    for (size_t i = 0; i < img.nsegs; i++) {
        const struct xl_segment *s = &img.segs[i];
        uint32_t avail;
        const uint8_t *p = xl_image_ptr(&img, s->vaddr, &avail);
        if (p && avail)
            (void)*(volatile const uint8_t *)&p[avail - 1];
        (void)xl_image_mapping_at(&img, s->vaddr);
        (void)xl_image_symbol_at(&img, s->vaddr + s->memsz - 1);
    }
    (void)xl_image_symbol_at(&img, img.entry & ~1u);

    struct xl_program prog;
    err[0] = '\0';
    if (xl_discover(&img, &prog, err, sizeof err) == 0) {
        for (size_t i = 0; i < prog.nblocks; i++) {
            const struct xl_dblock *d = &prog.blocks[i];
            xl_assert(xl_program_block(&prog, d->addr, d->thumb) != NULL);
        }
        xl_program_free(&prog);
    } else {
        xl_assert(err[0] != '\0');
    }
    xl_image_free(&img);
    return 0;
}
