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
status=0

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DXLATE_SANITIZE=address,undefined \
      -DXLATE_GUEST_TESTS=OFF >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest -L unit -j"$jobs" --output-on-failure) || status=1

cmake -S . -B build-ubsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXLATE_SANITIZE=undefined >/dev/null
cmake --build build-ubsan -j"$jobs"
(cd build-ubsan && ctest -LE unit -j"$jobs" --output-on-failure) || status=1

exit $status
