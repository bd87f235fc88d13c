#include <stdio.h>
#include <stdlib.h>

#include "xl_assert.h"

void xl_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "xlate: internal error: %s:%d: %s\n", file, line, expr);
    abort();
}
