#!/usr/bin/env bash
# The README's first command: install what is needed, build xlate, build the bundled hello
# for ARM, translate it ahead of time and run the result, then run it under the JIT alone.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
arm-linux-gnueabihf-gcc -O2 -static -o build/hello_arm tests/hello/hello.c
echo "+ build/xlate build/hello_arm -o build/hello_x86 && build/hello_x86"
build/xlate build/hello_arm -o build/hello_x86
build/hello_x86
echo "+ build/xlate run build/hello_arm"
build/xlate run build/hello_arm
