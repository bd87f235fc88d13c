/* The helper table, expanded from helpers.def. */
#include "helpers.h"

const struct ir_helper_info ir_helpers[IR_NUM_HELPERS] = {
#define DEF_HELPER(name, flags, ret, nargs, a1, a2, a3, a4) \
    [IR_HELPER_##name] = { #name, (void *)helper_##name, flags, IR_HT_##ret, nargs, \
                           { IR_HT_##a1, IR_HT_##a2, IR_HT_##a3, IR_HT_##a4 } },
#include "helpers.def"
#undef DEF_HELPER
};
