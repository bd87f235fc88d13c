/*
 * A small x86-64 encoder: just the instructions the JIT emits. Every function writes one
 * instruction; its assembly is in the comment next to the bytes (x86_emit.c).
 *
 * Writes never overrun the buffer: past the end they set `overflow` and are dropped, and
 * the caller discards the whole block (the code cache is then flushed).
 */
#ifndef XL_X86_EMIT_H
#define XL_X86_EMIT_H

#include <stdbool.h>
#include <stdint.h>

enum x86_reg {
    X_RAX, X_RCX, X_RDX, X_RBX, X_RSP, X_RBP, X_RSI, X_RDI,
    X_R8, X_R9, X_R10, X_R11, X_R12, X_R13, X_R14, X_R15,
    X_NOREG = -1,
};

/* Condition codes (the low nibble of jcc/setcc/cmovcc). */
enum x86_cc {
    X_CC_O, X_CC_NO, X_CC_B, X_CC_AE, X_CC_E, X_CC_NE, X_CC_BE, X_CC_A,
    X_CC_S, X_CC_NS, X_CC_P, X_CC_NP, X_CC_L, X_CC_GE, X_CC_LE, X_CC_G,
};

/* Group-1 ALU ops: the /digit of 81/83 and (op << 3) | 1 for the r/m, r form. */
enum x86_alu { X_ADD, X_OR, X_ADC, X_SBB, X_AND, X_SUB, X_XOR, X_CMP };

/* Group-2 shifts: the /digit of C1/D3. */
enum x86_shift { X_ROL, X_ROR, X_SHL = 4, X_SHR = 5, X_SAR = 7 };

/* A memory operand: [base + index*scale + disp], base may be X_NOREG (absolute disp32),
   or rip-relative to an absolute target (only for instructions without an immediate). */
struct x86_mem {
    int8_t base, index;
    uint8_t scale;          /* 1, 2, 4, 8 */
    bool rip;
    int32_t disp;
    const void *target;     /* rip: the address referred to */
};

static inline struct x86_mem x86_base(int base, int32_t disp)
{
    return (struct x86_mem){ .base = (int8_t)base, .index = X_NOREG, .scale = 1, .disp = disp };
}
static inline struct x86_mem x86_bix(int base, int index, unsigned scale, int32_t disp)
{
    return (struct x86_mem){ .base = (int8_t)base, .index = (int8_t)index,
                             .scale = (uint8_t)scale, .disp = disp };
}
static inline struct x86_mem x86_abs(int32_t disp)
{
    return (struct x86_mem){ .base = X_NOREG, .index = X_NOREG, .scale = 1, .disp = disp };
}
static inline struct x86_mem x86_rip(const void *target)
{
    return (struct x86_mem){ .base = X_NOREG, .index = X_NOREG, .scale = 1, .rip = true,
                             .target = target };
}

struct x86 {
    uint8_t *start, *p, *end;
    bool overflow;
};

void x86_init(struct x86 *e, uint8_t *buf, uint8_t *end);
static inline uint32_t x86_pos(const struct x86 *e) { return (uint32_t)(e->p - e->start); }
/* Inline: every instruction is emitted a byte at a time. */
static inline void x86_byte(struct x86 *e, uint8_t b)
{
    if (e->p < e->end)
        *e->p++ = b;
    else
        e->overflow = true;
}
void x86_u32(struct x86 *e, uint32_t v);
void x86_align(struct x86 *e, unsigned align);      /* nop padding */
/* Pads with nops so that the rel32 of a jmp emitted next is 4-byte aligned (patchable). */
void x86_align_jmp_rel32(struct x86 *e);
/* Writes the rel32 at position `at` so that it jumps to position `to`. */
void x86_patch_rel32(struct x86 *e, uint32_t at, uint32_t to);

/* Moves. `w` selects 64-bit operands; 32-bit forms zero the upper half. */
void x86_mov_rr(struct x86 *e, bool w, int dst, int src);
void x86_mov_ri(struct x86 *e, bool w, int dst, uint64_t imm);   /* shortest form */
void x86_mov_load(struct x86 *e, bool w, int dst, struct x86_mem m);
void x86_mov_store(struct x86 *e, bool w, struct x86_mem m, int src);
void x86_mov_store_imm(struct x86 *e, unsigned size, struct x86_mem m, uint32_t imm); /* 1..8 */
void x86_store_narrow(struct x86 *e, unsigned size, struct x86_mem m, int src); /* 1, 2 */
void x86_load_ext(struct x86 *e, bool w, unsigned size, bool sign, int dst, struct x86_mem m);
void x86_ext_rr(struct x86 *e, bool w, unsigned size, bool sign, int dst, int src);
void x86_movsxd_rr(struct x86 *e, int dst, int src);
void x86_lea(struct x86 *e, bool w, int dst, struct x86_mem m);

/* Arithmetic. */
void x86_alu_rr(struct x86 *e, enum x86_alu op, bool w, int dst, int src);
void x86_alu_ri(struct x86 *e, enum x86_alu op, bool w, int dst, int32_t imm);
void x86_alu_rm(struct x86 *e, enum x86_alu op, bool w, int dst, struct x86_mem m);
void x86_test_rr(struct x86 *e, bool w, int a, int b);
void x86_test_ri(struct x86 *e, bool w, int a, int32_t imm);
void x86_imul_rr(struct x86 *e, bool w, int dst, int src);
void x86_imul_rri(struct x86 *e, bool w, int dst, int src, int32_t imm);
void x86_shift_ri(struct x86 *e, enum x86_shift op, bool w, int dst, uint8_t imm);
void x86_shift_cl(struct x86 *e, enum x86_shift op, bool w, int dst);
/* BMI2 shlx/shrx/sarx: dst = src shifted by cnt (mod width). */
void x86_shiftx(struct x86 *e, enum x86_shift op, bool w, int dst, int src, int cnt);
void x86_not(struct x86 *e, bool w, int r);
void x86_neg(struct x86 *e, bool w, int r);
void x86_inc_m(struct x86 *e, bool w, struct x86_mem m);
void x86_bswap(struct x86 *e, bool w, int r);
void x86_lzcnt(struct x86 *e, bool w, int dst, int src);
void x86_bsr(struct x86 *e, bool w, int dst, int src);
void x86_cmov(struct x86 *e, enum x86_cc cc, bool w, int dst, int src);
void x86_setcc(struct x86 *e, enum x86_cc cc, int dst8);

/* Control flow. The rel32 forms return the position of their rel32 field. */
uint32_t x86_jmp_rel32(struct x86 *e, const void *target);     /* NULL: patched later */
uint32_t x86_jcc_rel32(struct x86 *e, enum x86_cc cc, const void *target);
void x86_jmp_r(struct x86 *e, int r);
void x86_jmp_m(struct x86 *e, struct x86_mem m);
void x86_call(struct x86 *e, const void *fn);                  /* rel32 or via r11 */
void x86_ret(struct x86 *e);
void x86_push(struct x86 *e, int r);
void x86_pop(struct x86 *e, int r);
void x86_mfence(struct x86 *e);

/* Atomics on memory, size 1, 2, 4 or 8. lock cmpxchg compares [m] with rax/eax/ax/al,
   stores src on equality, else loads [m] into it; xchg with memory is always locked. */
void x86_lock_cmpxchg(struct x86 *e, unsigned size, struct x86_mem m, int src);
void x86_xchg_m(struct x86 *e, unsigned size, struct x86_mem m, int reg);

/* SSE on xmm registers 0-15 (for the Advanced SIMD ops): 64-bit moves between a general
   register and an xmm register's low half (the high half zeroed), a 66-prefixed op
   `op xmm(dst), xmm(src)` (opcode 0x0fxx or 0x0f38xx), and a shift of the lanes by an
   immediate (opcode 0x0f71/72/73 with its /ext). */
void x86_movq_xr(struct x86 *e, int xmm, int r);
void x86_movq_rx(struct x86 *e, int r, int xmm);
void x86_sse_rr(struct x86 *e, uint32_t op, int dst, int src);
void x86_sse_shift_ri(struct x86 *e, uint32_t op, unsigned ext, int xmm, uint8_t imm);
/* pshufd (prefix 0x66), pshuflw (0xf2): `op xmm(dst), xmm(src), imm8` (opcode 0x0f70). */
void x86_sse_shuf(struct x86 *e, uint8_t pfx, int dst, int src, uint8_t imm);

#endif
