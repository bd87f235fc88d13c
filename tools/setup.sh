#!/usr/bin/env bash
# The README's first command: install what is needed, build xlate, build the bundled hello
# for ARM and run it through xlate.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
arm-linux-gnueabihf-gcc -O2 -static -o build/hello_arm tests/hello/hello.c
echo "+ build/xlate run build/hello_arm"
build/xlate run build/hello_arm
