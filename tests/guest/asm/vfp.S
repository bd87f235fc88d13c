/* VFP corners: vcvt of NaN/inf/huge/negative to s32/u32 saturates (and sets IOC), vcvtr
 * rounding, vcmp/vcmpe with NaN (flags 0011), vmrs APSR_nzcv, every vmov form, vdiv by
 * zero (DZC), vsqrt of a negative (default NaN, IOC), denormals (FZ off), vneg/vabs of NaN
 * (sign only, no IOC), signaling NaN quieting. Reports the result and FPSCR.
 * guest-modes: arm thumb */
#include "macros.inc"
    .fpu vfpv3-d16
    .text
    .global asm_main
    /* VT tag, a, b, insn: d0 = a, d1 = b (64-bit), also s8 = low(a) s9 = low(b) as floats;
     * FPSCR cleared; result d2 and FPSCR are reported. */
    .macro VT tag, a, b, insn:vararg
    .pushsection .rodata.tags, "a"
9010:
    .asciz "\tag"
    .popsection
    ldr r4, =\a & 0xffffffff
    ldr r5, =\a >> 32
    vmov d0, r4, r5
    vmov s8, r4
    ldr r4, =\b & 0xffffffff
    ldr r5, =\b >> 32
    vmov d1, r4, r5
    vmov s9, r4
    mov r4, #0
    vmov d2, r4, r4
    vmsr fpscr, r4
    msr APSR_nzcvqg, r4
    \insn
    vmov r1, r2, d2
    vmrs r3, fpscr
    ldr r0, =9010b
    bl report_fp
    b 9011f
    .ltorg
9011:
    .endm
#define NAN64   0x7ff8000000000000
#define SNAN64  0x7ff0000000000001
#define NNAN64  0xfff8000000000123
#define INF64   0x7ff0000000000000
#define NINF64  0xfff0000000000000
#define ONE64   0x3ff0000000000000
#define M1_64   0xbff0000000000000
#define BIG64   0x41f0000000000000  /* 2^32 */
#define E10_64  0x4202a05f20000000  /* 1e10 */
#define M25_64  0xc004000000000000  /* -2.5 */
#define H15_64  0x3ff8000000000000  /* 1.5 */
#define DEN64   0x0000000000000001
#define MIN64   0x0010000000000000
#define ZERO64  0
#define NZERO64 0x8000000000000000
#define FNAN    0x7fc00000
#define FSNAN   0x7f800001
#define FINF    0x7f800000
#define FBIG    0x4f800000          /* 2^32 */
#define FM25    0xc0200000          /* -2.5 */
#define FDEN    0x00000001
SEQ(cvt_s32_f64, vcvt.s32.f64 s6, d0; vmov r6, s6; vmov d2, r6, r6)
SEQ(cvt_u32_f64, vcvt.u32.f64 s6, d0; vmov r6, s6; vmov d2, r6, r6)
SEQ(cvtr_s32_f64, vcvtr.s32.f64 s6, d0; vmov r6, s6; vmov d2, r6, r6)
SEQ(cvt_s32_f32, vcvt.s32.f32 s6, s8; vmov r6, s6; vmov d2, r6, r6)
SEQ(cvt_u32_f32, vcvt.u32.f32 s6, s8; vmov r6, s6; vmov d2, r6, r6)
SEQ(cvt_f32_f64, vcvt.f32.f64 s6, d0; vmov r6, s6; vmov d2, r6, r6)
SEQ(cvt_f64_f32, vcvt.f64.f32 d2, s8)
SEQ(cmp_f64, vcmp.f64 d0, d1; vmrs APSR_nzcv, fpscr; mrs r6, APSR; vmov d2, r6, r6)
SEQ(cmpe_f64, vcmpe.f64 d0, d1; vmrs APSR_nzcv, fpscr; mrs r6, APSR; vmov d2, r6, r6)
SEQ(cmp_f32, vcmp.f32 s8, s9; vmrs APSR_nzcv, fpscr; mrs r6, APSR; vmov d2, r6, r6)
SEQ(cmp_zero, vcmp.f64 d0, #0; vmrs APSR_nzcv, fpscr; mrs r6, APSR; vmov d2, r6, r6)
SEQ(add_f32, vadd.f32 s6, s8, s9; vmov r6, s6; vmov d2, r6, r6)
SEQ(mul_f32, vmul.f32 s6, s8, s9; vmov r6, s6; vmov d2, r6, r6)
SEQ(div_f32, vdiv.f32 s6, s8, s9; vmov r6, s6; vmov d2, r6, r6)
SEQ(neg_f32, vneg.f32 s6, s8; vmov r6, s6; vmov d2, r6, r6)
SEQ(abs_f32, vabs.f32 s6, s8; vmov r6, s6; vmov d2, r6, r6)
SEQ(movs, vmov r6, s8; vmov s7, r6; vmov r7, s7; vmov d2, r6, r7)
SEQ(movrrd, vmov r6, r7, d0; vmov d2, r7, r6)
SEQ(movss, vmov s12, s13, r4, r5; vmov r6, r7, s12, s13; vmov d2, r6, r7)
SEQ(movlane, vmov.32 d2[1], r4; vmov.32 r6, d0[1]; vmov.32 d2[0], r6)
SEQ(movimm, vmov.f64 d2, #-1.5; vmov.f32 s6, #0.125; vmov r6, s6; vmov.32 d2[0], r6)
SEQ(movreg, vmov.f64 d3, d0; vmov.f64 d2, d3)
SEQ(sitof, vmov s6, r4; vcvt.f64.s32 d2, s6)
SEQ(uitof, vmov s6, r4; vcvt.f64.u32 d2, s6)
SEQ(mla_f64, vmov.f64 d2, d1; vmla.f64 d2, d0, d1)
SEQ(nmul_f64, vnmul.f64 d2, d0, d1)
    .type asm_main, %function
asm_main:
    push {r4-r8, lr}
    .irp v, NAN64, SNAN64, NNAN64, INF64, NINF64, BIG64, E10_64, M25_64, H15_64, DEN64, M1_64, NZERO64
    VT "cvt.s32.f64 \v", \v, 0, cvt_s32_f64
    VT "cvt.u32.f64 \v", \v, 0, cvt_u32_f64
    VT "cvtr.s32.f64 \v", \v, 0, cvtr_s32_f64
    VT "cvt.f32.f64 \v", \v, 0, cvt_f32_f64
    VT "cmp.f64 \v,1", \v, ONE64, cmp_f64
    VT "cmpe.f64 \v,1", \v, ONE64, cmpe_f64
    VT "cmp.f64 \v,#0", \v, 0, cmp_zero
    VT "add.f64 \v,1", \v, ONE64, vadd.f64 d2, d0, d1
    VT "div.f64 1,\v", ONE64, \v, vdiv.f64 d2, d1, d0
    VT "sqrt.f64 \v", \v, 0, vsqrt.f64 d2, d0
    VT "neg.f64 \v", \v, 0, vneg.f64 d2, d0
    VT "abs.f64 \v", \v, 0, vabs.f64 d2, d0
    VT "mul.f64 \v,min", \v, MIN64, vmul.f64 d2, d0, d1
    VT "mla.f64 \v,1.5", \v, H15_64, mla_f64
    VT "nmul.f64 \v,-2.5", \v, M25_64, nmul_f64
    .endr
    .irp v, FNAN, FSNAN, FINF, FBIG, FM25, FDEN, 0x80000000, 0x3f800000
    VT "cvt.s32.f32 \v", \v, 0, cvt_s32_f32
    VT "cvt.u32.f32 \v", \v, 0, cvt_u32_f32
    VT "cvt.f64.f32 \v", \v, 0, cvt_f64_f32
    VT "cmp.f32 \v,\v", \v, \v, cmp_f32
    VT "add.f32 \v,1", \v, 0x3f800000, add_f32
    VT "mul.f32 \v,den", \v, FDEN, mul_f32
    VT "div.f32 \v,0", \v, 0, div_f32
    VT "div.f32 \v,-0", \v, 0x80000000, div_f32
    VT "neg.f32 \v", \v, 0, neg_f32
    VT "abs.f32 \v", \v, 0, abs_f32
    .endr
    VT "cmp 1,1", ONE64, ONE64, cmp_f64
    VT "cmp -1,1", M1_64, ONE64, cmp_f64
    VT "cmp 0,-0", ZERO64, NZERO64, cmp_f64
    VT "cmp inf,nan", INF64, NAN64, cmp_f64
    VT "cmpe snan,1", SNAN64, ONE64, cmpe_f64
    VT "vmov s/r", 0x123456789abcdef0, 0, movs
    VT "vmov rr/d", 0x123456789abcdef0, 0, movrrd
    VT "vmov ss/rr", 0x123456789abcdef0, 0, movss
    VT "vmov lanes", 0x123456789abcdef0, 0, movlane
    VT "vmov imm", 0, 0, movimm
    VT "vmov d", 0x0123456789abcdef, 0, movreg
    VT "s32->f64 -7", 0xfffffff9, 0, sitof
    VT "u32->f64 -7", 0xfffffff9, 0, uitof
    VT "den+den", DEN64, DEN64, vadd.f64 d2, d0, d1
    VT "min/2", MIN64, 0x4000000000000000, vdiv.f64 d2, d0, d1
    VT "0/0", ZERO64, ZERO64, vdiv.f64 d2, d0, d1
    VT "inf-inf", INF64, INF64, vsub.f64 d2, d0, d1
    VT "inf*0", INF64, ZERO64, vmul.f64 d2, d0, d1
    VT "1/3 inexact", ONE64, 0x4008000000000000, vdiv.f64 d2, d0, d1
    VT "max*2 overflow", 0x7fefffffffffffff, 0x4000000000000000, vmul.f64 d2, d0, d1
    mov r0, #0
    pop {r4-r8, pc}
