#!/bin/sh
# The guest suite rebuilt as Advanced SIMD code: every C and C++ guest program compiled with
# -O3 -mfpu=neon on top of its variant's options (gcc then vectorizes loops, and the static
# glibc's NEON routines run as they do anyway), in build-neon/, checked against qemu-arm
# under `xlate run`, and through the AOT path for a sample (every program with --all).
#   tools/neon-suite.sh [--all] [-j N]
set -eu
cd "$(dirname "$0")/.."
all= jobs=$(nproc)
while [ $# -gt 0 ]; do
    case $1 in
    --all) all=1 ;;
    -j) jobs=$2; shift ;;
    *) echo "usage: tools/neon-suite.sh [--all] [-j N]" >&2; exit 2 ;;
    esac
    shift
done
cmake -S . -B build-neon -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DXLATE_GUEST_EXTRA_CFLAGS="-O3 -mfpu=neon" >/dev/null
cmake --build build-neon -j"$jobs"
cd build-neon
status=0
ctest -L '^guest$' -j"$jobs" --output-on-failure || status=1
sample='guest-aot/(neon_[a-z]+|float|saturate|strings|matrix|sort|hash|printf)/(arm|thumb)-O2$'
[ -n "$all" ] && sample=.
ctest -L guest-aot -R "$sample" -j"$jobs" --output-on-failure || status=1
exit $status
