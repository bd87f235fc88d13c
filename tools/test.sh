#!/usr/bin/env bash
# The README's second command (and CI's): the whole test suite.
#  - build/        a plain build: xlate, the guest programs, the CLI tests
#  - build-asan/   unit tests under AddressSanitizer + UBSan
#  - build-ubsan/  guest and CLI tests with xlate under UBSan. ASan cannot run translated
#                  code: its shadow memory lies inside the guest's low 4 GiB.
#
#   tools/test.sh          CI's run: the AOT path on a sample (below), under 25 min on 2 cores
#   tools/test.sh --all    also every guest program in all four builds through the AOT path
#                          and every busybox case under the JIT and AOT (about 1.5 h)
set -euo pipefail
cd "$(dirname "$0")/.."
all=
if [ "${1:-}" = --all ]; then
    all=1
elif [ $# -gt 0 ]; then
    echo "usage: tools/test.sh [--all]" >&2
    exit 2
fi
tools/install-deps.sh
jobs=$(nproc)
# The AOT sample: translating a static glibc program takes about 30 s of CPU (C++: 2 min),
# so CI translates the assembly tests in their modes and, at Thumb -O2 (Debian's default),
# the C programs whose AOT code has paths of its own: signals and faults, setjmp, indirect
# calls and jump tables, known routines, fork/exec, threads and exclusives, TLS, VFP,
# generated code. The rest of those paths run in dynamically linked builds: once the cache
# holds the loader, libc, libm, libstdc++ and libgcc_s (about 2 min, the first time), each
# of them translates in a second, libraries included.
aot_c='abort|alloca|atomics|ctors|efault|exec|float|fork_wait|funcptr|known|nullptr|printf'
aot_c+='|procself|recursion|saturate|segv|setjmp|signals|switch|tls|threads_atomic'
aot_c+='|threads_basic|threads_sync|gencode|selfpatch|smc|longjmp_loop'
aot_c+='|neon_int|neon_float|neon_vectorize|neon_libc|neon_align'
aot_dyn='cxx_basics|dlopen|mathlib|setjmp|signals|threads_std|sigwait|threads_exit|threads_fork'
aot_dyn+='|threads_signals|polling|sockets|sock_restart|syscalls_misc|trampoline'
aot_dyn+='|excl_align|signal_recursion|longjmp_loop'
# computed_goto at arm -O2 (its handlers are function entries there) through -O0 codegen.
XLATE_AOT_SAMPLE=${XLATE_AOT_SAMPLE:-"guest-aot/([^/]+/(arm|thumb)|($aot_c)/thumb-O2(/aot-O[0-3])?|($aot_dyn)/thumb-dyn|(cxx_basics|dlopen)/arm-dyn|computed_goto/arm-O2/aot-O0)\$"}
[ -n "$all" ] && XLATE_AOT_SAMPLE=.
status=0

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DXLATE_SANITIZE=address,undefined \
      -DXLATE_GUEST_TESTS=OFF >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest -L unit -j"$jobs" --output-on-failure) || status=1

cmake -S . -B build-ubsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXLATE_SANITIZE=undefined >/dev/null
cmake --build build-ubsan -j"$jobs"
(cd build-ubsan && ctest -LE 'unit|guest-aot' -j"$jobs" --output-on-failure) || status=1
# Debian's busybox runs a sample of its cases under the JIT above (tests/realworld); the AOT
# sample is `ctest -R realworld-aot`, every case `tests/realworld/busybox.sh [--aot] XLATE`.
(cd build-ubsan && ctest -L guest-aot -R "$XLATE_AOT_SAMPLE" -j"$jobs" --output-on-failure) \
    || status=1
if [ -n "$all" ]; then
    (cd build-ubsan && ctest -R realworld-aot --output-on-failure) || status=1
    tests/realworld/busybox.sh build-ubsan/xlate || status=1
    tests/realworld/busybox.sh --aot build-ubsan/xlate || status=1
fi

# libFuzzer harnesses (tests/fuzz): the ELF reader and decode+lift+verify, 20 s each, after
# replaying every input that once crashed them.
CC=clang-19 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXLATE_FUZZ=ON \
      -DXLATE_SANITIZE=address,undefined -DXLATE_GUEST_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_elf fuzz_lift
(cd build-fuzz && ctest -L fuzz --output-on-failure) || status=1

exit $status
