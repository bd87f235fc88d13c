/* N Z C V after every A32 flag-setting form: arithmetic (adds/subs/adcs/sbcs/rsbs/rscs),
 * compares (cmp/cmn/tst/teq), moves and logic ops with the shifter carry-out for every
 * shift by immediate and by register (counts 0, 32, > 32, >= 256), immediates whose
 * rotation sets C. A32 only (rsc, register-shifted operands).
 * guest-modes: arm */
#include "macros.inc"
    .arm
    .text
    .global asm_main
asm_main:
    push {r4-r8, lr}
    PAIRS adds, adds r0, r4, r5
    PAIRS subs, subs r0, r4, r5
    PAIRS adcs, adcs r0, r4, r5
    PAIRS sbcs, sbcs r0, r4, r5
    PAIRS rsbs, rsbs r0, r4, r5
    PAIRS rscs, rscs r0, r4, r5
    PAIRS cmp, cmp r4, r5
    PAIRS cmn, cmn r4, r5
    PAIRS tst, tst r4, r5
    PAIRS teq, teq r4, r5
    PAIRS ands, ands r0, r4, r5
    PAIRS orrs, orrs r0, r4, r5
    PAIRS eors, eors r0, r4, r5
    PAIRS bics, bics r0, r4, r5
    PAIRS movs, movs r0, r5
    PAIRS mvns, mvns r0, r5
    PAIRS adds_lsl1, adds r0, r4, r5, lsl #1
    PAIRS subs_asr31, subs r0, r4, r5, asr #31
    PAIRS ands_lsl1, ands r0, r4, r5, lsl #1
    PAIRS ands_lsl31, ands r0, r4, r5, lsl #31
    PAIRS orrs_lsr1, orrs r0, r4, r5, lsr #1
    PAIRS orrs_lsr32, orrs r0, r4, r5, lsr #32
    PAIRS eors_asr1, eors r0, r4, r5, asr #1
    PAIRS eors_asr32, eors r0, r4, r5, asr #32
    PAIRS bics_ror1, bics r0, r4, r5, ror #1
    PAIRS bics_ror31, bics r0, r4, r5, ror #31
    PAIRS movs_rrx, movs r0, r5, rrx
    PAIRS mvns_rrx, mvns r0, r5, rrx
    PAIRS teq_lsl4, teq r4, r5, lsl #4
    PAIRS tst_lsr32, tst r4, r5, lsr #32
    PAIRS cmp_ror8, cmp r4, r5, ror #8
    PAIRS adcs_rrx, adcs r0, r4, r5, rrx
    COUNTS movs_lsl_reg, movs r0, r4, lsl r5
    COUNTS movs_lsr_reg, movs r0, r4, lsr r5
    COUNTS movs_asr_reg, movs r0, r4, asr r5
    COUNTS movs_ror_reg, movs r0, r4, ror r5
    COUNTS ands_lsl_reg, ands r0, r4, r4, lsl r5
    COUNTS eors_ror_reg, eors r0, r5, r4, ror r5
    COUNTS adds_asr_reg, adds r0, r5, r4, asr r5
    COUNTS mov_lsr_reg_noflags, mov r0, r4, lsr r5
    PAIRS movs_imm_rot, movs r0, #0x80000000
    PAIRS movs_imm_norot, movs r0, #0xff
    PAIRS movs_imm_0xff000000, movs r0, #0xff000000
    PAIRS tst_imm_rot, tst r4, #0xf0000000
    PAIRS ands_imm_norot, ands r0, r4, #1
    PAIRS cmp_imm, cmp r4, #1
    PAIRS cmn_imm, cmn r4, #1
    PAIRS rsbs_imm0, rsbs r0, r4, #0
    PAIRS adds_self, adds r0, r4, r4
    PAIRS subs_self, subs r0, r5, r5
    mov r0, #0
    pop {r4-r8, pc}
