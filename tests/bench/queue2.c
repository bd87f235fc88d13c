/* The producer/consumer queue of queue.h on two threads, a producer and a consumer: queue1
 * over this is the speedup. */
#define NTHREADS 2
#include "queue.h"
