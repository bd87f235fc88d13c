/* Placeholder: this instruction class is being written. */
#include "arm_internal.h"

const struct arm_handler_entry arm_bits_handlers[] = {
    { 0, NULL },
};
