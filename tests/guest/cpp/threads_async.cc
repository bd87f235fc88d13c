// Futures and C++20 thread facilities: std::async (a new thread) whose worker throws, the
// exception caught around get() in the caller; std::async deferred; std::promise set from
// another thread, with a value and with an exception; std::packaged_task; exceptions caught
// and rethrown across threads with std::exception_ptr; std::jthread with stop_token and
// stop_callback; std::latch, std::barrier and std::counting_semaphore; atomic wait/notify.
// Output from the main thread only.
// guest-repeat: 3
// guest-max-jit-blocks: 120
// (Why more than 20: after an exception unwound AOT frames, the frames above the handler go
// on in the JIT until they return (docs/aot.md), and each thread has a JIT of its own
// (docs/threads.md): start_thread's and _M_do_set's tails, once per thread that catches;
// 33 blocks at -O2, 98 at -O0 where the std::future machinery is not inlined.)
#include <atomic>
#include <barrier>
#include <cstdio>
#include <exception>
#include <future>
#include <latch>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct Custom {
    int code;
};

static int work(int n)
{
    if (n < 0)
        throw std::invalid_argument("negative: " + std::to_string(n));
    if (n == 13)
        throw Custom{13};
    int s = 0;
    for (int i = 1; i <= n; i++)
        s += i;
    return s;
}

static void test_async()
{
    std::thread::id main_id = std::this_thread::get_id();
    auto f1 = std::async(std::launch::async, work, 100);
    auto f2 = std::async(std::launch::async, work, -4);
    auto f3 = std::async(std::launch::async, work, 13);
    auto where = std::async(std::launch::async, [] { return std::this_thread::get_id(); });
    auto lazy = std::async(std::launch::deferred, [] { return std::this_thread::get_id(); });
    std::printf("async value %d\n", f1.get());
    try {
        f2.get();
        std::printf("async: no exception?\n");
    } catch (const std::invalid_argument &e) {
        std::printf("async exception caught by get(): invalid_argument \"%s\"\n", e.what());
    }
    try {
        f3.get();
    } catch (const Custom &c) {
        std::printf("async custom exception: code %d\n", c.code);
    }
    std::printf("async ran elsewhere %d, deferred ran here %d\n", where.get() != main_id,
                lazy.get() == main_id);

    std::vector<std::future<int>> many;
    for (int i = 0; i < 8; i++)
        many.push_back(std::async(std::launch::async, work, i * 10));
    int total = 0;
    for (auto &f : many)
        total += f.get();
    std::printf("8 asyncs: total %d\n", total);
}

static void test_promise()
{
    std::promise<std::string> p;
    auto f = p.get_future();
    std::thread t([&p] { p.set_value("from the other thread"); });
    std::printf("promise: %s\n", f.get().c_str());
    t.join();

    std::promise<int> pe;
    auto fe = pe.get_future();
    std::thread te([&pe] {
        try {
            throw std::runtime_error("set_exception");
        } catch (...) {
            pe.set_exception(std::current_exception());
        }
    });
    try {
        fe.get();
    } catch (const std::runtime_error &e) {
        std::printf("promise exception: %s\n", e.what());
    }
    te.join();

    std::packaged_task<int(int)> task(work);
    auto ft = task.get_future();
    std::thread tt(std::move(task), 20);
    tt.join();
    std::printf("packaged_task: %d\n", ft.get());

    std::exception_ptr ep;
    std::thread tx([&ep] {
        try {
            std::vector<int> v;
            (void)v.at(3);
        } catch (...) {
            ep = std::current_exception();
        }
    });
    tx.join();
    try {
        std::rethrow_exception(ep);
    } catch (const std::out_of_range &) {
        std::printf("exception_ptr rethrown in main: out_of_range\n");
    }

    std::shared_future<int> sf = std::async(std::launch::async, work, 10).share();
    std::vector<std::thread> readers;
    std::atomic<int> sum{0};
    for (int i = 0; i < 4; i++)
        readers.emplace_back([sf, &sum] { sum += sf.get(); });
    for (auto &r : readers)
        r.join();
    std::printf("shared_future read by 4 threads: %d\n", sum.load());
}

static void test_cxx20()
{
    std::atomic<long> ticks{0};
    bool callback_ran = false;
    {
        std::jthread jt([&ticks](std::stop_token st) {
            while (!st.stop_requested())
                ticks++;
        });
        std::stop_callback cb(jt.get_stop_token(), [&] { callback_ran = true; });
        while (ticks.load() < 1000)
            std::this_thread::yield();
        jt.request_stop();      // runs the callback here, while it is still registered
    }   // joins
    std::printf("jthread stopped: callback %d, ran %d\n", callback_ran, ticks.load() >= 1000);

    const int n = 5;
    std::latch done(n);
    std::atomic<int> rounds_ok{0}, completions{0};
    int slots[n] = {};
    std::barrier sync(n, [&]() noexcept { completions++; });
    std::counting_semaphore<2> sem(2);
    std::atomic<int> inside{0}, max_inside{0};
    std::vector<std::jthread> ts;
    for (int i = 0; i < n; i++)
        ts.emplace_back([&, i] {
            for (int r = 0; r < 20; r++) {
                slots[i] = r;
                sync.arrive_and_wait();
                bool ok = true;
                for (int k = 0; k < n; k++)
                    ok &= slots[k] == r;
                if (ok)
                    rounds_ok++;
                sync.arrive_and_wait();
            }
            for (int r = 0; r < 50; r++) {
                // Not sem.acquire(): libstdc++ 12's blocking acquire can miss a release
                // that comes between its failed try and its futex wait (GCC bug 98033),
                // and then sleeps forever: seen under xlate run about once in 150 runs,
                // a worker asleep on a count of 2 with no thread left to release it. The
                // race is in the library, so any run of it may hit it.
                while (!sem.try_acquire())
                    std::this_thread::yield();
                int now = ++inside;
                int m = max_inside.load();
                while (now > m && !max_inside.compare_exchange_weak(m, now))
                    ;
                --inside;
                sem.release();
            }
            done.count_down();
        });
    done.wait();
    std::printf("latch passed; barrier rounds ok %d of %d, completions %d; semaphore(2) "
                "never exceeded %d\n", rounds_ok.load(), 20 * n, completions.load(),
                max_inside.load() <= 2);
    ts.clear();

    std::atomic<int> flag{0};
    std::thread waker([&flag] {
        flag.store(1);
        flag.notify_one();
    });
    flag.wait(0);
    waker.join();
    std::printf("atomic wait/notify: %d\n", flag.load());
}

int main()
{
    test_async();
    test_promise();
    test_cxx20();
    return 0;
}
