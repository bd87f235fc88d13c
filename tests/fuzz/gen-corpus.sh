#!/usr/bin/env bash
# Regenerates the seed corpus (corpus/elf, corpus/lift) with the ARM cross tools.
# The seeds are checked in; run this only to change them.
set -euo pipefail
cd "$(dirname "$0")"
cc=${XLATE_ARM_CC:-arm-linux-gnueabihf-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Two tiny static programs, no libc: ARM with a literal pool and a jump table, and Thumb-2
# with interworking. Kept under 2 KB each (no build id, one page alignment).
cat >"$tmp/arm.S" <<'ASM'
    .syntax unified
    .arm
    .global _start
    .type _start, %function
_start:
    mov r0, #2
    cmp r0, #3
    addls pc, pc, r0, lsl #2
    b 9f
    b 1f
    b 2f
    b 3f
    b 4f
1:  ldr r1, =0x12345678
    b 9f
2:  bl f
    b 9f
3:  blx g
4:
9:  mov r7, #1
    svc #0
    .ltorg
    .type f, %function
f:  push {r4, lr}
    vmov.f64 d0, #1.0
    vadd.f64 d1, d0, d0
    pop {r4, pc}
    .thumb
    .type g, %function
    .thumb_func
g:  movs r0, #1
    cbz r0, 1f
    tbb [pc, r0]
2:  .byte (1f - 2b) / 2, (1f - 2b) / 2
1:  bx lr
ASM
cat >"$tmp/thumb.S" <<'ASM'
    .syntax unified
    .thumb
    .global _start
    .type _start, %function
    .thumb_func
_start:
    movs r0, #0
    ite eq
    addeq r0, r0, #1
    subne r0, r0, #1
    ldrex r1, [sp]
    strex r2, r1, [sp]
    mov r7, #1
    svc #0
ASM
for s in arm thumb; do
    $cc -nostdlib -static -Wl,--build-id=none -Wl,-z,max-page-size=0x1000 -Wl,-N -Wl,--no-warn-rwx-segments \
        -o "$tmp/$s" "$tmp/$s.S"
    cp "$tmp/$s" corpus/elf/$s.elf
    arm-linux-gnueabihf-strip -o corpus/elf/$s-stripped.elf "$tmp/$s"
done
# Truncated variants: inside the ELF header, inside the program headers, mid-file.
head -c 40 corpus/elf/arm.elf >corpus/elf/trunc-ehdr.elf
head -c 80 corpus/elf/arm.elf >corpus/elf/trunc-phdr.elf
head -c $(( $(stat -c %s corpus/elf/arm.elf) / 2 )) corpus/elf/arm.elf >corpus/elf/trunc-half.elf

# Instruction streams for fuzz_lift: byte 0 is the mode (bit 0 Thumb, bit 1 single-step),
# then the .text of the programs above and some hand-picked insns.
text() { arm-linux-gnueabihf-objcopy -O binary -j .text "$1" "$tmp/text"; cat "$tmp/text"; }
{ printf '\x00'; text "$tmp/arm"; } >corpus/lift/arm-text
{ printf '\x02'; text "$tmp/arm"; } >corpus/lift/arm-text-step
{ printf '\x01'; text "$tmp/thumb"; } >corpus/lift/thumb-text
{ printf '\x03'; text "$tmp/thumb"; } >corpus/lift/thumb-text-step
# ARM: adds r0, r0, r1; mul r2, r0, r1; umull r3, r4, r0, r1; clz r5, r0; qadd r6, r0, r1;
# uadd8 r7, r0, r1; vmul.f32 s0, s1, s2; vcvt.s32.f64 s4, d3; bx lr
printf '\x00\x01\x00\x90\xe0\x90\x01\x02\xe0\x90\x31\x84\xe0\x10\x5f\x6f\xe1\x50\x60\x01\xe1'\
'\x91\x7f\x50\xe6\x81\x0a\x20\xee\xc3\x2b\xbd\xee\x1e\xff\x2f\xe1' >corpus/lift/arm-alu
# Thumb: adds r0, r1; lsls r2, r0, #3; it ne; movne r3, #7; sdiv r4, r0, r1; bx lr
printf '\x01\x48\x18\xc2\x00\x18\xbf\x07\x23\x90\xfb\xf1\xf4\x70\x47' >corpus/lift/thumb-alu
