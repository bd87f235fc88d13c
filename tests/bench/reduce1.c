/* The parallel reduction of reduce.h on one thread. */
#define NTHREADS 1
#include "reduce.h"
