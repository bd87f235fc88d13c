/* Integer helpers: division with ARM's results for the cases x86 traps on. */
#include "helpers.h"

/* ARM ARM: UDIV/SDIV by zero give 0 (no trap on ARMv7-A user mode with DZ clear). */
uint32_t helper_udiv(uint32_t n, uint32_t d)
{
    return d ? n / d : 0;
}

/* INT32_MIN / -1 overflows to INT32_MIN. */
uint32_t helper_sdiv(uint32_t n, uint32_t d)
{
    if (d == 0)
        return 0;
    if (n == 0x80000000u && d == 0xffffffffu)
        return n;
    return (uint32_t)((int32_t)n / (int32_t)d);
}
