#!/usr/bin/env bash
# The README's second command (and CI's): the whole test suite.
#  - build/        a plain build: xlate, the guest programs, the CLI tests
#  - build-asan/   unit tests under AddressSanitizer + UBSan
#  - build-ubsan/  guest and CLI tests with xlate under UBSan. ASan cannot run translated
#                  code: its shadow memory lies inside the guest's low 4 GiB.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
jobs=$(nproc)
XLATE_AOT_SAMPLE=${XLATE_AOT_SAMPLE:-'guest-aot/[^/]+/(thumb-O2|arm|thumb)(/aot-O[0-3])?$'}
status=0

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DXLATE_SANITIZE=address,undefined \
      -DXLATE_GUEST_TESTS=OFF >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest -L unit -j"$jobs" --output-on-failure) || status=1

cmake -S . -B build-ubsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXLATE_SANITIZE=undefined >/dev/null
cmake --build build-ubsan -j"$jobs"
(cd build-ubsan && ctest -LE 'unit|guest-aot' -j"$jobs" --output-on-failure) || status=1
# The AOT path: translating a static glibc program at -O2 takes about 7 s here, so CI runs
# every guest program through it in one build (Thumb -O2, Debian's default; the assembly
# tests in their modes); `ctest -L guest-aot` runs all four builds of each. Debian's
# busybox runs a sample of its cases under the JIT here (tests/realworld); the AOT sample is
# `ctest -R realworld-aot`, and every case `tests/realworld/busybox.sh [--aot] build/xlate`.
(cd build-ubsan && ctest -L guest-aot -R "$XLATE_AOT_SAMPLE" -j"$jobs" --output-on-failure) \
    || status=1

# libFuzzer harnesses (tests/fuzz): the ELF reader and decode+lift+verify, 20 s each, after
# replaying every input that once crashed them.
CC=clang-19 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXLATE_FUZZ=ON \
      -DXLATE_SANITIZE=address,undefined -DXLATE_GUEST_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_elf fuzz_lift
(cd build-fuzz && ctest -L fuzz --output-on-failure) || status=1

exit $status
