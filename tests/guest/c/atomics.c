/* ldrex/strex users: __atomic builtins of 1, 2, 4 and 8 bytes, __sync_* builtins, CAS loops,
 * exchange, fences, C11 stdatomic. Single-threaded: the values are exact. */
#include <stdio.h>
#include <stdint.h>
#include <stdatomic.h>

static uint8_t a8;
static uint16_t a16;
static uint32_t a32;
static uint64_t a64;
static _Atomic int counter;
static atomic_llong big;

int main(void)
{
    for (int i = 0; i < 300; i++) {
        __atomic_fetch_add(&a8, 7, __ATOMIC_SEQ_CST);
        __atomic_fetch_sub(&a16, 1001, __ATOMIC_ACQ_REL);
        __sync_fetch_and_add(&a32, 0x01010101u);
        __atomic_fetch_add(&a64, 0x123456789ull, __ATOMIC_RELAXED);
    }
    printf("add %02x %04x %08x %016llx\n", a8, a16, a32, (unsigned long long)a64);
    printf("or %08x and %08x xor %08x nand %08x\n", __sync_fetch_and_or(&a32, 0xf0),
           __sync_fetch_and_and(&a32, 0xffff00ff), __sync_fetch_and_xor(&a32, 0x55555555),
           __atomic_fetch_nand(&a32, 0x0f0f0f0f, __ATOMIC_SEQ_CST));
    printf("now %08x add_fetch %08x sub_fetch %08x\n", a32, __sync_add_and_fetch(&a32, 5),
           __sync_sub_and_fetch(&a32, 10));
    uint32_t exp = 1234;
    int ok = __atomic_compare_exchange_n(&a32, &exp, 99, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas fail %d exp %08x\n", ok, exp);
    ok = __atomic_compare_exchange_n(&a32, &exp, 99, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas ok %d now %u\n", ok, a32);
    printf("val cas %u %u\n", __sync_val_compare_and_swap(&a32, 99, 7),
           __sync_val_compare_and_swap(&a32, 99, 8));
    printf("bool cas %d %d\n", __sync_bool_compare_and_swap(&a16, a16, 3),
           __sync_bool_compare_and_swap(&a16, 4, 5));
    printf("xchg %u %u\n", __atomic_exchange_n(&a32, 555, __ATOMIC_SEQ_CST), a32);
    printf("tas %d %d\n", __sync_lock_test_and_set(&a8, 1), a8);
    __sync_lock_release(&a8);
    uint64_t e64 = a64;
    ok = __atomic_compare_exchange_n(&a64, &e64, 0xdeadbeefcafef00dull, 1, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST);
    /* a weak CAS may fail spuriously; loop as real code does */
    while (!ok)
        ok = __atomic_compare_exchange_n(&a64, &e64, 0xdeadbeefcafef00dull, 1,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("cas64 %016llx\n", (unsigned long long)__atomic_load_n(&a64, __ATOMIC_ACQUIRE));
    printf("xchg64 %016llx\n",
           (unsigned long long)__atomic_exchange_n(&a64, 1ull << 63, __ATOMIC_SEQ_CST));
    __atomic_store_n(&a64, 42, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __sync_synchronize();
    for (int i = 0; i < 1000; i++)
        atomic_fetch_add(&counter, i);
    atomic_store(&big, -5);
    atomic_fetch_sub(&big, 1ll << 40);
    printf("counter %d big %lld a64 %llu\n", atomic_load(&counter), atomic_load(&big),
           (unsigned long long)a64);
    /* a spin lock */
    static int lock;
    int acquired = 0;
    for (int i = 0; i < 10; i++) {
        while (__atomic_test_and_set(&lock, __ATOMIC_ACQUIRE))
            ;
        acquired++;
        __atomic_clear(&lock, __ATOMIC_RELEASE);
    }
    printf("lock %d lockfree %d %d\n", acquired, __atomic_always_lock_free(8, 0),
           atomic_is_lock_free(&big));
    return 0;
}
