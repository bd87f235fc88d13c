#!/usr/bin/env bash
# Installs what xlate needs on a fresh Debian 12 machine (run as root or with sudo).
set -euo pipefail
pkgs=(cmake make gcc g++ pkg-config python3
      llvm-19-dev clang-19 libclang-rt-19-dev
      libcapstone-dev libelf-dev libcmocka-dev zlib1g-dev libzstd-dev
      gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
