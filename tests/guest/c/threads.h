/* What the thread tests (threads_*.c) share: start a thread (with attributes or
 * without) or stop the test with the reason, and join one for its result. */
#ifndef GUEST_THREADS_H
#define GUEST_THREADS_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline pthread_t spawn_attr(void *(*fn)(void *), uintptr_t arg, pthread_attr_t *attr)
{
    pthread_t t;
    int e = pthread_create(&t, attr, fn, (void *)arg);
    if (e) {
        printf("pthread_create: %s\n", strerror(e));
        exit(1);
    }
    return t;
}

static inline pthread_t spawn(void *(*fn)(void *), uintptr_t arg)
{
    return spawn_attr(fn, arg, NULL);
}

static inline uintptr_t join(pthread_t t)
{
    void *r;
    pthread_join(t, &r);
    return (uintptr_t)r;
}

#endif
