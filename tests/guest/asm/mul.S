/* Multiplies: mul/muls/mla/mls, umull/smull/umlal/smlal/umaal (64-bit results), the
 * halfword forms smulbb/bt/tb/tt, smlabb (sets Q on overflow), smulwb/smlawb,
 * smmul/smmulr/smmla/smmls, smuad/smusd/smlald.
 * guest-modes: arm thumb */
#include "macros.inc"
    .text
    .global asm_main
    .macro L64 tag, a, b, insn:vararg      /* r2:r3 = 0x00000001:0xfffffffe before insn */
    .pushsection .rodata.tags, "a"
9003:
    .asciz "\tag"
    .popsection
    ldr r4, =\a
    ldr r5, =\b
    mov r2, #1
    mvn r3, #1
    msr APSR_nzcvqg, r2
    \insn
    mrs r0, APSR
    mov r1, r2
    mov r2, r3
    mov r3, r0
    ldr r0, =9003b
    bl report64
    b 9004f
    .ltorg
9004:
    .endm
    .macro ALL64 name, insn:vararg
    L64 "\name 0,0", 0, 0, \insn
    L64 "\name ffffffff,ffffffff", 0xffffffff, 0xffffffff, \insn
    L64 "\name 80000000,80000000", 0x80000000, 0x80000000, \insn
    L64 "\name 7fffffff,80000000", 0x7fffffff, 0x80000000, \insn
    L64 "\name 12345678,9abcdef0", 0x12345678, 0x9abcdef0, \insn
    L64 "\name fffffffe,3", 0xfffffffe, 3, \insn
    .endm
    .macro MULTEST name, insn:vararg
    .irp init, 0x00000000, 0xf0000000
    TEST "\name 0,5 \init", \init, 0, 5, \insn
    TEST "\name 7fff8000,7fff7fff \init", \init, 0x7fff8000, 0x7fff7fff, \insn
    TEST "\name 80008000,80008000 \init", \init, 0x80008000, 0x80008000, \insn
    TEST "\name ffff0001,0001ffff \init", \init, 0xffff0001, 0x0001ffff, \insn
    TEST "\name 12345678,9abcdef0 \init", \init, 0x12345678, 0x9abcdef0, \insn
    TEST "\name 7fffffff,7fffffff \init", \init, 0x7fffffff, 0x7fffffff, \insn
    .endr
    .endm
    .type asm_main, %function
asm_main:
    push {r4-r8, lr}
    ALL64 umull, umull r2, r3, r4, r5
    ALL64 smull, smull r2, r3, r4, r5
    ALL64 umlal, umlal r2, r3, r4, r5
    ALL64 smlal, smlal r2, r3, r4, r5
    ALL64 umaal, umaal r2, r3, r4, r5
    ALL64 smlald, smlald r2, r3, r4, r5
    ALL64 smlalbb, smlalbb r2, r3, r4, r5
    MULTEST mul, mul r0, r4, r5
    MULTEST mla, mla r0, r4, r5, r4
    MULTEST mls, mls r0, r4, r5, r4
    MULTEST smulbb, smulbb r0, r4, r5
    MULTEST smulbt, smulbt r0, r4, r5
    MULTEST smultb, smultb r0, r4, r5
    MULTEST smultt, smultt r0, r4, r5
    MULTEST smlabb, smlabb r0, r4, r5, r4
    MULTEST smlatt, smlatt r0, r4, r5, r5
    MULTEST smulwb, smulwb r0, r4, r5
    MULTEST smlawt, smlawt r0, r4, r5, r4
    MULTEST smmul, smmul r0, r4, r5
    MULTEST smmulr, smmulr r0, r4, r5
    MULTEST smmla, smmla r0, r4, r5, r4
    MULTEST smmls, smmls r0, r4, r5, r4
    MULTEST smuad, smuad r0, r4, r5
    MULTEST smusd, smusd r0, r4, r5
    MULTEST smlad, smlad r0, r4, r5, r4
#ifndef __thumb__
    MULTEST muls, muls r0, r4, r5
    ALL64 umulls, umulls r2, r3, r4, r5
    ALL64 smlals, smlals r2, r3, r4, r5
#endif
    mov r0, #0
    pop {r4-r8, pc}
