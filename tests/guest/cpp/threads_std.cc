// The C++ standard library's threads: std::thread with join and arguments by value and by
// reference, std::mutex and std::lock_guard around a plain counter, std::atomic (int, a
// 64-bit counter, compare_exchange), a producer/consumer queue with std::condition_variable,
// thread_local objects with constructors and destructors (run at each thread's exit),
// std::call_once, std::shared_mutex, std::recursive_mutex and std::unique_lock::try_lock.
// All output comes from the main thread after the joins.
// guest-repeat: 3
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <numeric>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

static void test_join()
{
    std::vector<long> results(6);
    std::vector<std::thread> ts;
    for (int i = 0; i < 6; i++)
        ts.emplace_back([i, &results](long base) { results[i] = base * i + i * i; }, 100L);
    for (auto &t : ts)
        t.join();
    std::string s;
    for (long r : results)
        s += " " + std::to_string(r);
    std::thread moved([] {});
    std::thread other = std::move(moved);
    bool joinable = other.joinable() && !moved.joinable();
    other.join();
    std::printf("std::thread results:%s, moved joinable %d, after join %d\n", s.c_str(),
                joinable, other.joinable());

    std::thread::id ids[4];
    std::vector<std::thread> idt;
    for (int i = 0; i < 4; i++)
        idt.emplace_back([&ids, i] { ids[i] = std::this_thread::get_id(); });
    for (auto &t : idt)
        t.join();
    bool distinct = true;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < i; j++)
            distinct &= ids[i] != ids[j] && ids[i] != std::this_thread::get_id();
    std::printf("thread ids distinct %d\n", distinct);
}

static void test_mutex_atomic()
{
    std::mutex mu;
    long long plain = 0;
    std::atomic<int> a32{0};
    std::atomic<std::uint64_t> a64{0};
    std::atomic<unsigned> cas_max{0};
    std::vector<std::thread> ts;
    const int n = 8, iters = 10000;
    for (int t = 0; t < n; t++)
        ts.emplace_back([&, t] {
            for (int i = 0; i < iters; i++) {
                {
                    std::lock_guard<std::mutex> g(mu);
                    plain += t + 1;
                }
                a32.fetch_add(1, std::memory_order_relaxed);
                a64 += 0x100000001ull;
                unsigned cand = (unsigned)(t * iters + i) * 2654435761u % 1000003u;
                unsigned cur = cas_max.load();
                while (cand > cur && !cas_max.compare_exchange_weak(cur, cand))
                    ;
            }
        });
    for (auto &t : ts)
        t.join();
    unsigned want = 0;
    for (unsigned v = 0; v < n * iters; v++)
        want = std::max(want, v * 2654435761u % 1000003u);
    std::printf("mutex counter %lld, atomic<int> %d, atomic<uint64_t> %016llx, cas max %s, "
                "lock-free 64 %d\n", plain, a32.load(), (unsigned long long)a64.load(),
                cas_max.load() == want ? "ok" : "BAD", (int)a64.is_lock_free());

    std::recursive_mutex rm;
    std::unique_lock<std::recursive_mutex> l1(rm), l2(rm);
    bool other_got = true;
    std::thread([&] {
        std::unique_lock<std::recursive_mutex> l(rm, std::try_to_lock);
        other_got = l.owns_lock();
    }).join();
    std::printf("recursive_mutex held twice here, try_lock elsewhere %d\n", other_got);
}

static void test_condvar()
{
    std::mutex mu;
    std::condition_variable not_empty, not_full;
    std::deque<int> q;
    const int items = 5000, cap = 4;
    bool done = false;
    long long consumed = 0;
    int count = 0;
    std::thread producer([&] {
        for (int i = 1; i <= items; i++) {
            std::unique_lock<std::mutex> l(mu);
            not_full.wait(l, [&] { return q.size() < cap; });
            q.push_back(i);
            not_empty.notify_one();
        }
        std::lock_guard<std::mutex> l(mu);
        done = true;
        not_empty.notify_all();
    });
    std::vector<std::thread> consumers;
    for (int c = 0; c < 2; c++)
        consumers.emplace_back([&] {
            for (;;) {
                std::unique_lock<std::mutex> l(mu);
                not_empty.wait(l, [&] { return !q.empty() || done; });
                if (q.empty())
                    return;
                consumed += q.front();
                count++;
                q.pop_front();
                not_full.notify_one();
            }
        });
    producer.join();
    for (auto &t : consumers)
        t.join();
    std::printf("condition_variable queue: %d items, sum %lld (want %lld)\n", count, consumed,
                (long long)items * (items + 1) / 2);

    std::unique_lock<std::mutex> l(mu);
    auto st = not_empty.wait_for(l, std::chrono::milliseconds(10));
    std::printf("wait_for with nobody notifying: %s\n",
                st == std::cv_status::timeout ? "timeout" : "?");
}

static std::atomic<int> constructed{0}, destroyed{0};
struct PerThread {
    int value;
    std::string name;
    PerThread() : value(7), name("fresh") { constructed++; }
    ~PerThread() { destroyed++; }
};
static thread_local PerThread per_thread;
static thread_local int tl_counter = 100;

static void test_thread_local()
{
    per_thread.value = 1;               // main's copy
    per_thread.name = "main";
    std::vector<int> seen(5);
    std::vector<std::thread> ts;
    for (int i = 0; i < 5; i++)
        ts.emplace_back([i, &seen] {
            bool fresh = per_thread.value == 7 && per_thread.name == "fresh" && tl_counter == 100;
            per_thread.value = i * 10;
            tl_counter += i;
            std::this_thread::yield();
            seen[i] = fresh && per_thread.value == i * 10 && tl_counter == 100 + i;
        });
    for (auto &t : ts)
        t.join();
    int good = std::accumulate(seen.begin(), seen.end(), 0);
    std::printf("thread_local: %d of 5 threads had their own, constructed %d destroyed %d, "
                "main's %d %s\n", good, constructed.load(), destroyed.load(), per_thread.value,
                per_thread.name.c_str());
}

static void test_once_shared()
{
    std::once_flag flag;
    std::atomic<int> calls{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 6; i++)
        ts.emplace_back([&] { std::call_once(flag, [&] { calls++; }); });
    for (auto &t : ts)
        t.join();

    std::shared_mutex sm;
    int a = 0, b = 0, torn = 0;
    std::vector<std::thread> rw;
    for (int i = 0; i < 6; i++)
        rw.emplace_back([&, i] {
            for (int k = 0; k < 2000; k++) {
                if (i == 0) {
                    std::unique_lock<std::shared_mutex> w(sm);
                    a++;
                    b++;
                } else {
                    std::shared_lock<std::shared_mutex> r(sm);
                    if (a != b)
                        __atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED);
                }
            }
        });
    for (auto &t : rw)
        t.join();
    std::printf("call_once ran %d time(s); shared_mutex a %d b %d torn %d\n", calls.load(), a,
                b, torn);
}

int main()
{
    test_join();
    test_mutex_atomic();
    test_condvar();
    test_thread_local();
    test_once_shared();
    return 0;
}
