/* lifter/image/plt.c: function symbols for the PLT stubs of a dynamically linked file. */
#ifndef XL_IMAGE_PLT_H
#define XL_IMAGE_PLT_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* Reads the section headers of the ELF file[0..size) (checked by the caller): a function
   symbol per .plt stub named after its R_ARM_JUMP_SLOT relocation's symbol, and "_plt0".
   Names point into file. *out is malloc'ed (NULL and 0 when there is no PLT). Returns 0,
   or -1 when out of memory. */
int xl_plt_symbols(const uint8_t *file, size_t size, struct xl_symbol **out, size_t *nout);

#endif
