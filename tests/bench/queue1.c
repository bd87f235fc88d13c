/* The producer/consumer queue of queue.h on one thread: it makes a ringful of items, then
 * takes and hashes them. */
#define NTHREADS 1
#include "queue.h"
