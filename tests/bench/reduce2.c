/* The parallel reduction of reduce.h on two threads: reduce1 over this is the speedup. */
#define NTHREADS 2
#include "reduce.h"
