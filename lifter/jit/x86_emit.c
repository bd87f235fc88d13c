/*
 * The x86-64 encoder. Each function emits one instruction; the assembly it stands for is
 * written next to the bytes (Intel syntax, `r`/`m` for the register and memory operands).
 * Reference: Intel SDM vol. 2, chapter 2 (REX, ModRM, SIB, VEX) and the opcode tables.
 */
#include <stddef.h>
#include <string.h>

#include "x86_emit.h"
#include "../ir/xl_assert.h"

enum { B8_REG = 1, B8_RM = 2 };     /* which operand is a byte register (forces REX) */

void x86_init(struct x86 *e, uint8_t *buf, uint8_t *end)
{
    e->start = e->p = buf;
    e->end = end;
    e->overflow = false;
}

void x86_u32(struct x86 *e, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x86_byte(e, (uint8_t)(v >> (8 * i)));
}

static void u16(struct x86 *e, uint16_t v)
{
    x86_byte(e, (uint8_t)v);
    x86_byte(e, (uint8_t)(v >> 8));
}

static bool fits8(int64_t v) { return v >= -128 && v <= 127; }
static bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

void x86_align(struct x86 *e, unsigned align)
{
    while (x86_pos(e) % align && !e->overflow)
        x86_byte(e, 0xcc);                          /* int3: padding, never executed */
}

void x86_align_jmp_rel32(struct x86 *e)
{
    /* The rel32 starts one byte after the E9 opcode. */
    switch (((uintptr_t)e->p + 1) & 3) {
    case 0: break;
    case 1: x86_byte(e, 0x0f); x86_byte(e, 0x1f); x86_byte(e, 0x00); break;   /* nop [rax] */
    case 2: x86_byte(e, 0x66); x86_byte(e, 0x90); break;                      /* xchg ax,ax */
    case 3: x86_byte(e, 0x90); break;                                         /* nop */
    }
}

void x86_patch_rel32(struct x86 *e, uint32_t at, uint32_t to)
{
    if (e->overflow)
        return;
    int32_t rel = (int32_t)to - (int32_t)(at + 4);
    memcpy(e->start + at, &rel, 4);
}

/* REX.W R X B, emitted when a bit is set or a byte register needs it (spl..dil). */
static void rex(struct x86 *e, bool w, int reg, int index, int base, bool force)
{
    uint8_t r = (uint8_t)(0x40 | (w << 3) | ((reg >= 8) << 2) | ((index >= 8) << 1) |
                          (base >= 8));
    if (r != 0x40 || force)
        x86_byte(e, r);
}

static void opcode(struct x86 *e, uint32_t op)
{
    if (op > 0xffff)
        x86_byte(e, (uint8_t)(op >> 16));
    if (op > 0xff)
        x86_byte(e, (uint8_t)(op >> 8));
    x86_byte(e, (uint8_t)op);
}

static bool is_b8_high(int r) { return r >= 4 && r <= 7; }

/* [pfx] REX opcode ModRM(11, reg, rm) */
static void ins_rr(struct x86 *e, uint8_t pfx, uint32_t op, bool w, int reg, int rm, int b8)
{
    if (pfx)
        x86_byte(e, pfx);
    rex(e, w, reg, X_NOREG, rm,
        ((b8 & B8_REG) && is_b8_high(reg)) || ((b8 & B8_RM) && is_b8_high(rm)));
    opcode(e, op);
    x86_byte(e, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

static void modrm_mem(struct x86 *e, int reg, struct x86_mem m, unsigned imm_bytes)
{
    uint8_t rg = (uint8_t)((reg & 7) << 3);
    uint8_t ss = (uint8_t)(m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0);
    if (m.rip) {
        x86_byte(e, 0x05 | rg);                     /* [rip + disp32] */
        int64_t d = (int64_t)((intptr_t)m.target - (intptr_t)(e->p + 4 + imm_bytes));
        xl_assert(fits32(d));
        x86_u32(e, (uint32_t)d);
        return;
    }
    if (m.base == X_NOREG) {
        x86_byte(e, 0x04 | rg);                     /* SIB, no base: [index*s + disp32] */
        if (m.index == X_NOREG)
            x86_byte(e, 0x25);
        else
            x86_byte(e, (uint8_t)(ss << 6 | (m.index & 7) << 3 | 5));
        x86_u32(e, (uint32_t)m.disp);
        return;
    }
    unsigned mod = (m.disp == 0 && (m.base & 7) != 5) ? 0 : fits8(m.disp) ? 1 : 2;
    if (m.index != X_NOREG || (m.base & 7) == 4) {
        xl_assert(m.index != X_RSP);
        x86_byte(e, (uint8_t)(mod << 6 | rg | 4));
        x86_byte(e, (uint8_t)(ss << 6 | ((m.index == X_NOREG ? 4 : m.index) & 7) << 3 |
                              (m.base & 7)));
    } else {
        x86_byte(e, (uint8_t)(mod << 6 | rg | (m.base & 7)));
    }
    if (mod == 1)
        x86_byte(e, (uint8_t)(int8_t)m.disp);
    else if (mod == 2)
        x86_u32(e, (uint32_t)m.disp);
}

/* [pfx] REX opcode ModRM(mem) [imm follows: imm_bytes, for rip-relative] */
static void ins_rm(struct x86 *e, uint8_t pfx, uint32_t op, bool w, int reg, struct x86_mem m,
                   bool b8reg, unsigned imm_bytes)
{
    if (pfx)
        x86_byte(e, pfx);
    rex(e, w, reg, m.index, m.base, b8reg && is_b8_high(reg));
    opcode(e, op);
    modrm_mem(e, reg, m, imm_bytes);
}

void x86_mov_rr(struct x86 *e, bool w, int dst, int src)
{
    ins_rr(e, 0, 0x89, w, src, dst, 0);             /* mov r(dst), r(src) */
}

void x86_mov_ri(struct x86 *e, bool w, int dst, uint64_t imm)
{
    if (!w || imm <= 0xffffffffu) {
        rex(e, false, X_NOREG, X_NOREG, dst, false);
        x86_byte(e, (uint8_t)(0xb8 + (dst & 7)));   /* mov r32, imm32 (zero-extends) */
        x86_u32(e, (uint32_t)imm);
    } else if (fits32((int64_t)imm)) {
        ins_rr(e, 0, 0xc7, true, 0, dst, 0);        /* mov r64, simm32 */
        x86_u32(e, (uint32_t)imm);
    } else {
        rex(e, true, X_NOREG, X_NOREG, dst, false);
        x86_byte(e, (uint8_t)(0xb8 + (dst & 7)));   /* movabs r64, imm64 */
        x86_u32(e, (uint32_t)imm);
        x86_u32(e, (uint32_t)(imm >> 32));
    }
}

void x86_mov_load(struct x86 *e, bool w, int dst, struct x86_mem m)
{
    ins_rm(e, 0, 0x8b, w, dst, m, false, 0);        /* mov r, [m] */
}

void x86_mov_store(struct x86 *e, bool w, struct x86_mem m, int src)
{
    ins_rm(e, 0, 0x89, w, src, m, false, 0);        /* mov [m], r */
}

void x86_mov_store_imm(struct x86 *e, unsigned size, struct x86_mem m, uint32_t imm)
{
    switch (size) {
    case 1:
        ins_rm(e, 0, 0xc6, false, 0, m, false, 1);  /* mov byte [m], imm8 */
        x86_byte(e, (uint8_t)imm);
        break;
    case 2:
        ins_rm(e, 0x66, 0xc7, false, 0, m, false, 2); /* mov word [m], imm16 */
        u16(e, (uint16_t)imm);
        break;
    default:
        ins_rm(e, 0, 0xc7, size == 8, 0, m, false, 4); /* mov dword/qword [m], simm32 */
        x86_u32(e, imm);
        break;
    }
}

void x86_store_narrow(struct x86 *e, unsigned size, struct x86_mem m, int src)
{
    if (size == 1)
        ins_rm(e, 0, 0x88, false, src, m, true, 0); /* mov byte [m], r8 */
    else
        ins_rm(e, 0x66, 0x89, false, src, m, false, 0); /* mov word [m], r16 */
}

void x86_load_ext(struct x86 *e, bool w, unsigned size, bool sign, int dst, struct x86_mem m)
{
    switch (size) {
    case 1:     /* movzx r32, byte [m] / movsx r, byte [m] */
        ins_rm(e, 0, sign ? 0x0fbe : 0x0fb6, w && sign, dst, m, false, 0);
        break;
    case 2:     /* movzx r32, word [m] / movsx r, word [m] */
        ins_rm(e, 0, sign ? 0x0fbf : 0x0fb7, w && sign, dst, m, false, 0);
        break;
    case 4:
        if (w && sign)
            ins_rm(e, 0, 0x63, true, dst, m, false, 0);  /* movsxd r64, dword [m] */
        else
            ins_rm(e, 0, 0x8b, false, dst, m, false, 0); /* mov r32, [m] */
        break;
    default:
        ins_rm(e, 0, 0x8b, true, dst, m, false, 0);      /* mov r64, [m] */
        break;
    }
}

void x86_ext_rr(struct x86 *e, bool w, unsigned size, bool sign, int dst, int src)
{
    if (size == 1)      /* movzx r32, r8 / movsx r, r8 */
        ins_rr(e, 0, sign ? 0x0fbe : 0x0fb6, w && sign, dst, src, B8_RM);
    else                /* movzx r32, r16 / movsx r, r16 */
        ins_rr(e, 0, sign ? 0x0fbf : 0x0fb7, w && sign, dst, src, 0);
}

void x86_movsxd_rr(struct x86 *e, int dst, int src)
{
    ins_rr(e, 0, 0x63, true, dst, src, 0);          /* movsxd r64, r32 */
}

void x86_lea(struct x86 *e, bool w, int dst, struct x86_mem m)
{
    ins_rm(e, 0, 0x8d, w, dst, m, false, 0);        /* lea r, [m] */
}

void x86_alu_rr(struct x86 *e, enum x86_alu op, bool w, int dst, int src)
{
    ins_rr(e, 0, (uint32_t)(op << 3 | 1), w, src, dst, 0);  /* op r(dst), r(src) */
}

void x86_alu_ri(struct x86 *e, enum x86_alu op, bool w, int dst, int32_t imm)
{
    if (fits8(imm)) {
        ins_rr(e, 0, 0x83, w, op, dst, 0);          /* op r, simm8 */
        x86_byte(e, (uint8_t)(int8_t)imm);
    } else {
        ins_rr(e, 0, 0x81, w, op, dst, 0);          /* op r, imm32 */
        x86_u32(e, (uint32_t)imm);
    }
}

void x86_alu_rm(struct x86 *e, enum x86_alu op, bool w, int dst, struct x86_mem m)
{
    ins_rm(e, 0, (uint32_t)(op << 3 | 3), w, dst, m, false, 0);   /* op r, [m] */
}

void x86_test_rr(struct x86 *e, bool w, int a, int b)
{
    ins_rr(e, 0, 0x85, w, b, a, 0);                 /* test r(a), r(b) */
}

void x86_test_ri(struct x86 *e, bool w, int a, int32_t imm)
{
    ins_rr(e, 0, 0xf7, w, 0, a, 0);                 /* test r, imm32 */
    x86_u32(e, (uint32_t)imm);
}

void x86_imul_rr(struct x86 *e, bool w, int dst, int src)
{
    ins_rr(e, 0, 0x0faf, w, dst, src, 0);           /* imul r(dst), r(src) */
}

void x86_imul_rri(struct x86 *e, bool w, int dst, int src, int32_t imm)
{
    if (fits8(imm)) {
        ins_rr(e, 0, 0x6b, w, dst, src, 0);         /* imul r(dst), r(src), simm8 */
        x86_byte(e, (uint8_t)(int8_t)imm);
    } else {
        ins_rr(e, 0, 0x69, w, dst, src, 0);         /* imul r(dst), r(src), imm32 */
        x86_u32(e, (uint32_t)imm);
    }
}

void x86_shift_ri(struct x86 *e, enum x86_shift op, bool w, int dst, uint8_t imm)
{
    if (imm == 1) {
        ins_rr(e, 0, 0xd1, w, op, dst, 0);          /* shl/shr/sar/ror r, 1 */
    } else {
        ins_rr(e, 0, 0xc1, w, op, dst, 0);          /* shl/shr/sar/ror r, imm8 */
        x86_byte(e, imm);
    }
}

void x86_shift_cl(struct x86 *e, enum x86_shift op, bool w, int dst)
{
    ins_rr(e, 0, 0xd3, w, op, dst, 0);              /* shl/shr/sar/ror r, cl */
}

void x86_shiftx(struct x86 *e, enum x86_shift op, bool w, int dst, int src, int cnt)
{
    /* VEX.LZ.{66,F2,F3}.0F38.W{0,1} F7 /r: shlx/shrx/sarx r(dst), r(src), r(cnt) */
    uint8_t pp = op == X_SHL ? 1 : op == X_SHR ? 3 : 2;
    x86_byte(e, 0xc4);
    x86_byte(e, (uint8_t)(((dst < 8) << 7) | (1 << 6) | ((src < 8) << 5) | 0x02));
    x86_byte(e, (uint8_t)((w << 7) | ((~cnt & 15) << 3) | pp));
    x86_byte(e, 0xf7);
    x86_byte(e, (uint8_t)(0xc0 | (dst & 7) << 3 | (src & 7)));
}

void x86_not(struct x86 *e, bool w, int r)
{
    ins_rr(e, 0, 0xf7, w, 2, r, 0);                 /* not r */
}

void x86_inc_m(struct x86 *e, bool w, struct x86_mem m)
{
    ins_rm(e, 0, 0xff, w, 0, m, false, 0);          /* inc [m] */
}

void x86_neg(struct x86 *e, bool w, int r)
{
    ins_rr(e, 0, 0xf7, w, 3, r, 0);                 /* neg r */
}

void x86_bswap(struct x86 *e, bool w, int r)
{
    rex(e, w, X_NOREG, X_NOREG, r, false);
    x86_byte(e, 0x0f);
    x86_byte(e, (uint8_t)(0xc8 + (r & 7)));         /* bswap r */
}

void x86_lzcnt(struct x86 *e, bool w, int dst, int src)
{
    ins_rr(e, 0xf3, 0x0fbd, w, dst, src, 0);        /* lzcnt r(dst), r(src) */
}

void x86_bsr(struct x86 *e, bool w, int dst, int src)
{
    ins_rr(e, 0, 0x0fbd, w, dst, src, 0);           /* bsr r(dst), r(src) */
}

void x86_cmov(struct x86 *e, enum x86_cc cc, bool w, int dst, int src)
{
    ins_rr(e, 0, 0x0f40u + cc, w, dst, src, 0);     /* cmovcc r(dst), r(src) */
}

void x86_setcc(struct x86 *e, enum x86_cc cc, int dst8)
{
    ins_rr(e, 0, 0x0f90u + cc, false, 0, dst8, B8_RM);  /* setcc r8 */
}

static uint32_t rel32(struct x86 *e, const void *target)
{
    uint32_t at = x86_pos(e);
    int64_t d = target ? (int64_t)((intptr_t)target - (intptr_t)(e->p + 4)) : 0;
    xl_assert(fits32(d));
    x86_u32(e, (uint32_t)d);
    return at;
}

uint32_t x86_jmp_rel32(struct x86 *e, const void *target)
{
    x86_byte(e, 0xe9);                              /* jmp rel32 */
    return rel32(e, target);
}

uint32_t x86_jcc_rel32(struct x86 *e, enum x86_cc cc, const void *target)
{
    x86_byte(e, 0x0f);
    x86_byte(e, (uint8_t)(0x80 + cc));              /* jcc rel32 */
    return rel32(e, target);
}

void x86_jmp_r(struct x86 *e, int r)
{
    ins_rr(e, 0, 0xff, false, 4, r, 0);             /* jmp r64 */
}

void x86_jmp_m(struct x86 *e, struct x86_mem m)
{
    ins_rm(e, 0, 0xff, false, 4, m, false, 0);      /* jmp qword [m] */
}

void x86_call(struct x86 *e, const void *fn)
{
    int64_t d = (int64_t)((intptr_t)fn - (intptr_t)(e->p + 5));
    if (fits32(d)) {
        x86_byte(e, 0xe8);                          /* call rel32 */
        x86_u32(e, (uint32_t)d);
    } else {
        x86_mov_ri(e, true, X_R11, (uint64_t)(uintptr_t)fn);   /* movabs r11, fn */
        ins_rr(e, 0, 0xff, false, 2, X_R11, 0);     /* call r11 */
    }
}

void x86_ret(struct x86 *e)
{
    x86_byte(e, 0xc3);                              /* ret */
}

void x86_push(struct x86 *e, int r)
{
    rex(e, false, X_NOREG, X_NOREG, r, false);
    x86_byte(e, (uint8_t)(0x50 + (r & 7)));         /* push r64 */
}

void x86_pop(struct x86 *e, int r)
{
    rex(e, false, X_NOREG, X_NOREG, r, false);
    x86_byte(e, (uint8_t)(0x58 + (r & 7)));         /* pop r64 */
}

void x86_mfence(struct x86 *e)
{
    x86_byte(e, 0x0f);
    x86_byte(e, 0xae);
    x86_byte(e, 0xf0);                              /* mfence */
}

void x86_lock_cmpxchg(struct x86 *e, unsigned size, struct x86_mem m, int src)
{
    x86_byte(e, 0xf0);                              /* lock */
    if (size == 1)
        ins_rm(e, 0, 0x0fb0, false, src, m, true, 0);       /* cmpxchg byte [m], r8 */
    else if (size == 2)
        ins_rm(e, 0x66, 0x0fb1, false, src, m, false, 0);   /* cmpxchg word [m], r16 */
    else
        ins_rm(e, 0, 0x0fb1, size == 8, src, m, false, 0);  /* cmpxchg [m], r32/r64 */
}

void x86_xchg_m(struct x86 *e, unsigned size, struct x86_mem m, int reg)
{
    if (size == 1)
        ins_rm(e, 0, 0x86, false, reg, m, true, 0);         /* xchg byte [m], r8 */
    else if (size == 2)
        ins_rm(e, 0x66, 0x87, false, reg, m, false, 0);     /* xchg word [m], r16 */
    else
        ins_rm(e, 0, 0x87, size == 8, reg, m, false, 0);    /* xchg [m], r32/r64 */
}

void x86_movq_xr(struct x86 *e, int xmm, int r)
{
    ins_rr(e, 0x66, 0x0f6e, true, xmm, r, 0);           /* movq xmm, r64 */
}

void x86_movq_rx(struct x86 *e, int r, int xmm)
{
    ins_rr(e, 0x66, 0x0f7e, true, xmm, r, 0);           /* movq r64, xmm */
}

void x86_sse_rr(struct x86 *e, uint32_t op, int dst, int src)
{
    ins_rr(e, 0x66, op, false, dst, src, 0);            /* op xmm(dst), xmm(src) */
}

void x86_sse_shift_ri(struct x86 *e, uint32_t op, unsigned ext, int xmm, uint8_t imm)
{
    ins_rr(e, 0x66, op, false, (int)ext, xmm, 0);       /* psllw/psrlw/psraw... xmm, imm8 */
    x86_byte(e, imm);
}

void x86_sse_shuf(struct x86 *e, uint8_t pfx, int dst, int src, uint8_t imm)
{
    ins_rr(e, pfx, 0x0f70, false, dst, src, 0);         /* pshufd/pshuflw xmm, xmm, imm8 */
    x86_byte(e, imm);
}
