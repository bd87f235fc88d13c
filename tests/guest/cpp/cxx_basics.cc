// C++ without threads, so that a failure of the thread tests is not a C++ one: exceptions
// thrown through several frames and destructors (ARM EHABI unwinding), rethrow, nested
// try, RTTI and dynamic_cast, virtual calls, static constructors and destructors, iostream,
// std::string, containers and algorithms, std::function and lambdas.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

static int unwound;
struct Guard {
    int id;
    ~Guard() { unwound += id; }
};

static int thrower(int depth)
{
    Guard g{depth};
    if (depth == 0)
        throw std::runtime_error("bottom");
    return thrower(depth - 1) + 1;
}

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const { return "shape"; }
};
struct Rect : Shape {
    double w, h;
    Rect(double w, double h) : w(w), h(h) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};
struct Square : Rect {
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square"; }
};

struct Static {
    Static() { std::printf("static constructor\n"); }
    ~Static() { std::printf("static destructor\n"); }
} static_object;

int main()
{
    try {
        thrower(5);
    } catch (const std::exception &e) {
        std::printf("caught %s after unwinding %d\n", e.what(), unwound);
    }
    try {
        try {
            throw 42;
        } catch (int v) {
            std::printf("inner %d\n", v);
            throw;
        }
    } catch (int v) {
        std::printf("rethrown %d\n", v);
    }
    try {
        std::vector<int> v(3);
        (void)v.at(10);
    } catch (const std::out_of_range &) {
        std::printf("out_of_range from the library\n");
    }

    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Rect>(2, 3));
    shapes.push_back(std::make_unique<Square>(4));
    for (auto &s : shapes)
        std::printf("%s %.1f square? %d\n", s->name().c_str(), s->area(),
                    dynamic_cast<Square *>(s.get()) != nullptr);
    std::printf("typeid %s\n", typeid(*shapes[1]).name());

    std::map<std::string, int> words;
    std::istringstream in("the quick brown fox jumps over the lazy dog the end");
    for (std::string w; in >> w;)
        words[w]++;
    std::ostringstream out;
    for (auto &[w, n] : words)
        out << w << '=' << n << ' ';
    std::cout << out.str() << std::endl;

    std::vector<int> v{5, 3, 9, 1, 7};
    std::sort(v.begin(), v.end(), std::greater<int>());
    std::function<int(int)> twice = [](int x) { return 2 * x; };
    std::transform(v.begin(), v.end(), v.begin(), twice);
    for (int x : v)
        std::cout << x << ' ';
    std::cout << std::hex << 255 << std::dec << ' ' << 3.25 << '\n';
    return 0;
}
