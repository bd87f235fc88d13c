/*
 * Loads and stores (ARM ARM A8.8): single (ldr/str with their byte, halfword, signed,
 * doubleword and unprivileged forms, every addressing mode), multiple (ldm/stm in the four
 * orders, push/pop), exclusive (ldrex/strex/clrex) and swp/swpb, both atomic across host
 * threads, and the preload hints.
 *
 * Every handler computes its addresses and all loaded values before it writes a register:
 * arm_read_reg returns the global itself, and a load that faults must leave the registers
 * as they were. Where the ARM ARM leaves a register clash UNPREDICTABLE (a load into the
 * base with writeback, ldm with writeback of a base in the list) the loaded value wins, as
 * in QEMU; a store of the base stores its original value.
 *
 * Capstone 4 operand shapes (probed): the memory operand is MEM{base, index, disp} with the
 * index shift in op.shift; a post-indexed offset is one more operand after the MEM (IMM or
 * REG), and post-indexing always writes back (capstone leaves arm->writeback clear for the
 * unprivileged forms). A negative offset shows up as a negative disp or imm, as
 * op.subtracted, or as mem.scale == -1; in A32 capstone loses the sign of some post-indexed
 * forms (ldrsbt r0, [r1], #-1 reads as #1), so A32 takes it from the U bit (bit 23, common to
 * every A32 single load/store encoding).
 */
#include "arm_internal.h"

/* A decoded address: where to access, and the new base when the insn writes back. */
struct maddr {
    ir_temp addr;
    ir_temp new_base;
    int rn;
    bool wback;
};

static bool is_reg(const struct arm_ctx *c, unsigned i)
{
    return i < arm_nops(c) && arm_op(c, i)->type == ARM_OP_REG &&
           xl_reg_num(arm_op(c, i)->reg) >= 0;
}

static int reg_of(const struct arm_ctx *c, unsigned i)
{
    return xl_reg_num(arm_op(c, i)->reg);
}

static uint32_t const_of(const struct arm_ctx *c, ir_temp t)
{
    return (uint32_t)ir_temp_get(c->b, t)->val;
}

/* base + off, or base - off when neg, folded when both are constants. */
static ir_temp add_offset(struct arm_ctx *c, ir_temp base, ir_temp off, bool neg)
{
    struct ir_block *b = c->b;
    if (ir_is_const(b, off) && const_of(c, off) == 0)
        return base;
    if (ir_is_const(b, base) && ir_is_const(b, off)) {
        uint32_t v = const_of(c, base), o = const_of(c, off);
        return ir_const_i32(b, neg ? v - o : v + o);
    }
    ir_temp t = ir_new_i32(b);
    if (neg)
        ir_gen_sub_i32(b, t, base, off);
    else if (ir_is_const(b, base))
        ir_gen_add_i32(b, t, off, base);    /* the constant second, as backends like it */
    else
        ir_gen_add_i32(b, t, base, off);
    return t;
}

static uint32_t magnitude(int32_t v)
{
    return v < 0 ? -(uint32_t)v : (uint32_t)v;
}

static ir_temp add_imm(struct arm_ctx *c, ir_temp base, int32_t v)
{
    return add_offset(c, base, ir_const_i32(c->b, magnitude(v)), v < 0);
}

/* Whether the offset of this insn is subtracted. value_neg: what capstone's operand says. */
static bool offset_negative(const struct arm_ctx *c, bool value_neg)
{
    if (!c->thumb)
        return !((c->insn->raw >> 23) & 1);     /* U bit */
    return value_neg;
}

/* A register offset: Rm shifted by an immediate (LSL/LSR/ASR/ROR/RRX, A8.4.1). Returns
   false for what no load/store encodes (a register-controlled shift). */
static bool reg_offset(struct arm_ctx *c, unsigned reg, arm_shifter type, unsigned amount,
                       ir_temp *out)
{
    if (xl_reg_num(reg) < 0)
        return false;
    ir_temp v = arm_read_reg(c, xl_reg_num(reg));
    switch (type) {
    case ARM_SFT_INVALID:
        *out = v;
        return true;
    case ARM_SFT_LSL: case ARM_SFT_LSR: case ARM_SFT_ASR: case ARM_SFT_ROR: case ARM_SFT_RRX:
        *out = arm_gen_shift(c, v, type, amount, NULL);
        return true;
    case ARM_SFT_ASR_REG: case ARM_SFT_LSL_REG: case ARM_SFT_LSR_REG: case ARM_SFT_ROR_REG:
    case ARM_SFT_RRX_REG:
        break;
    }
    return false;
}

/*
 * The address of the MEM operand at index mi, with its post-indexed offset (operand mi+1)
 * if there is one. Returns false for shapes that are not a valid memory operand, or for
 * writeback to the pc (UNPREDICTABLE).
 */
static bool gen_address(struct arm_ctx *c, unsigned mi, struct maddr *m)
{
    struct ir_block *b = c->b;
    if (mi >= arm_nops(c) || arm_op(c, mi)->type != ARM_OP_MEM)
        return false;
    const cs_arm_op *op = arm_op(c, mi);
    m->rn = xl_reg_num(op->mem.base);
    if (m->rn < 0)
        return false;
    /* The pc as a base: A32 reads pc+8; in T32 only the literal forms use it, Align(PC, 4). */
    ir_temp base = m->rn == 15 ? ir_const_i32(b, c->thumb ? arm_pc_aligned(c) : arm_pc_value(c))
                               : arm_read_reg(c, m->rn);
    ir_temp off;
    bool neg;
    if (op->mem.index != ARM_REG_INVALID) {
        arm_shifter st = op->shift.type;
        unsigned amount = op->shift.value;
        if (st == ARM_SFT_INVALID && op->mem.lshift) {
            st = ARM_SFT_LSL;
            amount = (unsigned)op->mem.lshift;
        }
        if (!reg_offset(c, op->mem.index, st, amount, &off))
            return false;
        neg = offset_negative(c, op->subtracted || op->mem.scale < 0);
    } else {
        int32_t d = op->mem.disp;
        off = ir_const_i32(b, magnitude(d));
        neg = offset_negative(c, op->subtracted || d < 0);
    }

    bool post = arm_nops(c) > mi + 1;
    if (!post) {
        m->addr = add_offset(c, base, off, neg);
        m->wback = c->insn->arm->writeback;
        m->new_base = m->addr;
    } else {
        /* Post-indexed: access at the base, then base +/- the offset operand. */
        const cs_arm_op *p = arm_op(c, mi + 1);
        if (p->type == ARM_OP_IMM) {
            int32_t d = p->imm;
            off = ir_const_i32(b, magnitude(d));
            neg = offset_negative(c, p->subtracted || d < 0);
        } else if (p->type == ARM_OP_REG &&
                   reg_offset(c, p->reg, p->shift.type, p->shift.value, &off)) {
            neg = offset_negative(c, p->subtracted);
        } else {
            return false;
        }
        m->addr = base;
        m->wback = true;
        m->new_base = add_offset(c, base, off, neg);
    }
    return !(m->wback && m->rn == 15);
}

/* ---- Single loads and stores ---- */

static enum arm_result gen_load(struct arm_ctx *c, unsigned memop)
{
    struct maddr m;
    if (!is_reg(c, 0) || !gen_address(c, 1, &m))
        return ARM_UNDEF;
    int rt = reg_of(c, 0);
    if (rt == 15 && memop != IR_MO_32)
        return ARM_UNDEF;       /* UNPREDICTABLE */
    ir_temp v = ir_new_i32(c->b);
    ir_gen_ld_i32(c->b, v, m.addr, memop);
    if (m.wback && m.rn != rt)
        arm_write_reg(c, m.rn, m.new_base);
    if (rt == 15)
        return arm_write_pc_interwork(c, v);    /* LoadWritePC */
    arm_write_reg(c, rt, v);
    return ARM_NEXT;
}

static enum arm_result gen_store(struct arm_ctx *c, unsigned memop)
{
    struct maddr m;
    if (!is_reg(c, 0) || !gen_address(c, 1, &m))
        return ARM_UNDEF;
    /* A stored pc is PCStoreValue(): the pc as the insn reads it. */
    ir_gen_st_i32(c->b, arm_read_reg(c, reg_of(c, 0)), m.addr, memop);
    if (m.wback)
        arm_write_reg(c, m.rn, m.new_base);
    return ARM_NEXT;
}

/* ldrd/strd: Rt at the address, Rt2 at address + 4. */
static enum arm_result trans_LDRD(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    struct maddr m;
    if (!is_reg(c, 0) || !is_reg(c, 1) || !gen_address(c, 2, &m))
        return ARM_UNDEF;
    int rt = reg_of(c, 0), rt2 = reg_of(c, 1);
    if (rt == 15 || rt2 == 15 || rt == rt2)
        return ARM_UNDEF;       /* UNPREDICTABLE */
    /* Two word loads, as the architecture has them without LPAE: a host load of 8 bytes
       that two 4-byte stores wrote shortly before (`str; str; ldrd` spills) cannot take
       its data from the store buffer and waits for both stores to reach the cache. */
    ir_temp lo = ir_new_i32(b), hi = ir_new_i32(b);
    ir_gen_ld_i32(b, lo, m.addr, IR_MO_32);
    ir_gen_ld_i32(b, hi, add_offset(c, m.addr, ir_const_i32(b, 4), false), IR_MO_32);
    if (m.wback && m.rn != rt && m.rn != rt2)
        arm_write_reg(c, m.rn, m.new_base);
    arm_write_reg(c, rt, lo);
    arm_write_reg(c, rt2, hi);
    return ARM_NEXT;
}

static enum arm_result trans_STRD(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    struct maddr m;
    if (!is_reg(c, 0) || !is_reg(c, 1) || !gen_address(c, 2, &m))
        return ARM_UNDEF;
    ir_temp v = ir_new_i64(b);
    ir_gen_concat_i32_i64(b, v, arm_read_reg(c, reg_of(c, 0)), arm_read_reg(c, reg_of(c, 1)));
    ir_gen_st_i64(b, v, m.addr, IR_MO_64);
    if (m.wback)
        arm_write_reg(c, m.rn, m.new_base);
    return ARM_NEXT;
}

/* The unprivileged forms (ldrt ...) are the plain ones in user mode. */
#define LOAD(name, memop) \
    static enum arm_result trans_##name(struct arm_ctx *c) { return gen_load(c, memop); }
#define STORE(name, memop) \
    static enum arm_result trans_##name(struct arm_ctx *c) { return gen_store(c, memop); }
LOAD(LDR, IR_MO_32)
LOAD(LDRB, IR_MO_8)
LOAD(LDRH, IR_MO_16)
LOAD(LDRSB, IR_MO_8 | IR_MO_SIGN)
LOAD(LDRSH, IR_MO_16 | IR_MO_SIGN)
STORE(STR, IR_MO_32)
STORE(STRB, IR_MO_8)
STORE(STRH, IR_MO_16)
#undef LOAD
#undef STORE

/* ---- Load and store multiple ---- */

enum ldm_order { IA, IB, DA, DB };

/*
 * ldm/stm (A8.8.57-A8.8.61, A8.8.197-A8.8.201): the lowest register at the lowest address.
 * stack: push/pop, whose operands are only the list, whose base is sp and which always
 * write back. ldm with writeback of a base in its list is UNPREDICTABLE: the loaded value
 * wins; stm of the base stores its original value.
 */
static enum arm_result gen_multiple(struct arm_ctx *c, enum ldm_order order, bool load, bool stack)
{
    struct ir_block *b = c->b;
    unsigned first = stack ? 0 : 1;
    int rn = 13;
    bool wback = stack || c->insn->arm->writeback;
    if (!stack) {
        if (!is_reg(c, 0))
            return ARM_UNDEF;
        rn = reg_of(c, 0);
    }
    uint32_t list = 0;
    for (unsigned i = first; i < arm_nops(c); i++) {
        if (!is_reg(c, i))
            return ARM_UNDEF;
        list |= 1u << reg_of(c, i);
    }
    unsigned n = (unsigned)__builtin_popcount(list);
    if (n == 0 || rn == 15)
        return ARM_UNDEF;
    /* A32 ldm/stm with the S bit (user registers, exception return): not in user mode. */
    uint32_t raw = c->insn->raw;
    if (!c->thumb && ((raw >> 25) & 7) == 4 && ((raw >> 22) & 1))
        return ARM_UNDEF;
    /* The lowest address and the writeback amount, relative to the base. */
    bool down = order == DA || order == DB;
    int32_t size = (int32_t)(4 * n);
    int32_t lowest = (order == IB || order == DA ? 4 : 0) - (down ? size : 0);
    int32_t delta = down ? -size : size;

    ir_temp base = arm_read_reg(c, rn);
    ir_temp vals[16];
    unsigned k = 0;
    for (int r = 0; r < 16; r++) {
        if (!(list & (1u << r)))
            continue;
        ir_temp a = add_imm(c, base, lowest + 4 * (int32_t)k++);
        if (load) {
            vals[r] = ir_new_i32(b);
            ir_gen_ld_i32(b, vals[r], a, IR_MO_32);
        } else {
            ir_gen_st_i32(b, arm_read_reg(c, r), a, IR_MO_32);  /* the base: its old value */
        }
    }
    if (wback && !(load && (list & (1u << rn))))
        arm_write_reg(c, rn, add_imm(c, base, delta));
    if (!load)
        return ARM_NEXT;
    for (int r = 0; r < 15; r++)
        if (list & (1u << r))
            arm_write_reg(c, r, vals[r]);
    if (list & (1u << 15))
        return arm_write_pc_interwork(c, vals[15]);     /* LoadWritePC */
    return ARM_NEXT;
}

#define MULTIPLE(name, order, load, stack) \
    static enum arm_result trans_##name(struct arm_ctx *c) \
    { return gen_multiple(c, order, load, stack); }
MULTIPLE(LDM, IA, true, false)
MULTIPLE(LDMIB, IB, true, false)
MULTIPLE(LDMDA, DA, true, false)
MULTIPLE(LDMDB, DB, true, false)
MULTIPLE(STM, IA, false, false)
MULTIPLE(STMIB, IB, false, false)
MULTIPLE(STMDA, DA, false, false)
MULTIPLE(STMDB, DB, false, false)
MULTIPLE(POP, IA, true, true)
MULTIPLE(PUSH, DB, false, true)
#undef MULTIPLE

/* ---- Exclusives (A3.4), atomic across host threads, as in QEMU ----
 * ldrex records the address in EXCL_ADDR and the value it read in EXCL_VAL. strex stores,
 * and writes 0 to its status register, iff the address is EXCL_ADDR and an atomic
 * compare-and-swap of EXCL_VAL with the new value succeeds; else it writes 1. Either way the
 * monitor is cleared (EXCL_ADDR = ~0). A word changed and changed back between the two
 * (ABA) lets strex succeed where hardware would fail it: see docs/decisions.md.
 * An exclusive of a halfword or more at an address not aligned to its size faults
 * (SIGBUS, BUS_ADRALN): ldrex before it loads, strex after the monitor test (qemu-arm's
 * order: a strex whose monitor does not match fails without a fault). */

static void clear_monitor(struct arm_ctx *c)
{
    ir_gen_movi_i32(c->b, ir_global(IR_G_EXCL_ADDR), ~0u);
}

/* The address of an exclusive: [Rn] or, in T32, [Rn, #imm]; never writes back. */
static bool excl_address(struct arm_ctx *c, unsigned mi, ir_temp *addr)
{
    struct maddr m;
    if (!gen_address(c, mi, &m) || m.wback || m.rn == 15)
        return false;
    *addr = m.addr;
    return true;
}

void arm_check_align(struct arm_ctx *c, ir_temp addr, uint32_t bytes)
{
    struct ir_block *b = c->b;
    if (bytes == 1)
        return;
    uint32_t ok = ir_new_label(b);
    ir_temp low = ir_new_i32(b);
    ir_gen_and_i32(b, low, addr, ir_const_i32(b, bytes - 1));
    ir_gen_brcond_i32(b, IR_EQ, low, ir_const_i32(b, 0), ok);
    ir_gen_mov_i32(b, ir_global(IR_G_EXCL_ADDR), addr);
    arm_exit(c, IR_EXIT_ALIGN, c->pc);
    ir_gen_set_label(b, ok);
}

static enum arm_result gen_ldrex(struct arm_ctx *c, unsigned memop)
{
    struct ir_block *b = c->b;
    ir_temp addr;
    if (!is_reg(c, 0) || !excl_address(c, 1, &addr) || reg_of(c, 0) == 15)
        return ARM_UNDEF;
    arm_check_align(c, addr, 1u << (memop & IR_MO_SIZE));
    ir_temp v = ir_new_i32(b);
    ir_gen_ld_i32(b, v, addr, memop);
    ir_gen_mov_i32(b, ir_global(IR_G_EXCL_ADDR), addr);
    ir_gen_extu_i32_i64(b, ir_global(IR_G_EXCL_VAL), v);
    arm_write_reg(c, reg_of(c, 0), v);
    return ARM_NEXT;
}

static enum arm_result gen_strex(struct arm_ctx *c, unsigned memop)
{
    struct ir_block *b = c->b;
    ir_temp addr;
    if (!is_reg(c, 0) || !is_reg(c, 1) || !excl_address(c, 2, &addr))
        return ARM_UNDEF;
    int rd = reg_of(c, 0);
    if (rd == 15)
        return ARM_UNDEF;
    ir_temp val = arm_read_reg(c, reg_of(c, 1));
    ir_temp status = ir_new_i32(b), old = ir_new_i32(b), expect = ir_new_i32(b);
    uint32_t fail = ir_new_label(b);
    ir_gen_movi_i32(b, status, 1);
    ir_gen_brcond_i32(b, IR_NE, addr, ir_global(IR_G_EXCL_ADDR), fail);
    arm_check_align(c, addr, 1u << (memop & IR_MO_SIZE));
    ir_gen_extrl_i64_i32(b, expect, ir_global(IR_G_EXCL_VAL));
    /* The cmpxchg compares the low bits only: so does the success test (a strexb after a
       word-sized ldrex, UNPREDICTABLE, must not store and report a failure). */
    if (memop == IR_MO_8)
        ir_gen_ext8u_i32(b, expect, expect);
    else if (memop == IR_MO_16)
        ir_gen_ext16u_i32(b, expect, expect);
    ir_gen_cmpxchg_i32(b, old, addr, expect, val, memop);
    ir_gen_setcond_i32(b, IR_NE, status, old, expect);
    ir_gen_set_label(b, fail);
    clear_monitor(c);
    arm_write_reg(c, rd, status);
    return ARM_NEXT;
}

static enum arm_result trans_LDREXD(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    ir_temp addr;
    if (!is_reg(c, 0) || !is_reg(c, 1) || !excl_address(c, 2, &addr))
        return ARM_UNDEF;
    int rt = reg_of(c, 0), rt2 = reg_of(c, 1);
    if (rt == 15 || rt2 == 15 || rt == rt2)
        return ARM_UNDEF;
    arm_check_align(c, addr, 8);
    ir_temp v = ir_new_i64(b), lo = ir_new_i32(b), hi = ir_new_i32(b);
    ir_gen_ld_i64(b, v, addr, IR_MO_64);
    ir_gen_extrl_i64_i32(b, lo, v);
    ir_gen_extrh_i64_i32(b, hi, v);
    ir_gen_mov_i32(b, ir_global(IR_G_EXCL_ADDR), addr);
    ir_gen_mov_i64(b, ir_global(IR_G_EXCL_VAL), v);
    arm_write_reg(c, rt, lo);
    arm_write_reg(c, rt2, hi);
    return ARM_NEXT;
}

static enum arm_result trans_STREXD(struct arm_ctx *c)
{
    struct ir_block *b = c->b;
    ir_temp addr;
    if (!is_reg(c, 0) || !is_reg(c, 1) || !is_reg(c, 2) || !excl_address(c, 3, &addr))
        return ARM_UNDEF;
    int rd = reg_of(c, 0);
    if (rd == 15)
        return ARM_UNDEF;
    ir_temp val = ir_new_i64(b), old = ir_new_i64(b), status = ir_new_i32(b);
    ir_temp x = ir_new_i64(b), xl = ir_new_i32(b), xh = ir_new_i32(b);
    uint32_t fail = ir_new_label(b);
    ir_gen_concat_i32_i64(b, val, arm_read_reg(c, reg_of(c, 1)), arm_read_reg(c, reg_of(c, 2)));
    ir_gen_movi_i32(b, status, 1);
    ir_gen_brcond_i32(b, IR_NE, addr, ir_global(IR_G_EXCL_ADDR), fail);
    arm_check_align(c, addr, 8);
    ir_gen_cmpxchg_i64(b, old, addr, ir_global(IR_G_EXCL_VAL), val);
    /* old != EXCL_VAL as (lo | hi) of their xor, there being no 64-bit setcond */
    ir_gen_xor_i64(b, x, old, ir_global(IR_G_EXCL_VAL));
    ir_gen_extrl_i64_i32(b, xl, x);
    ir_gen_extrh_i64_i32(b, xh, x);
    ir_gen_or_i32(b, xl, xl, xh);
    ir_gen_setcond_i32(b, IR_NE, status, xl, ir_const_i32(b, 0));
    ir_gen_set_label(b, fail);
    clear_monitor(c);
    arm_write_reg(c, rd, status);
    return ARM_NEXT;
}

static enum arm_result trans_LDREX(struct arm_ctx *c) { return gen_ldrex(c, IR_MO_32); }
static enum arm_result trans_LDREXB(struct arm_ctx *c) { return gen_ldrex(c, IR_MO_8); }
static enum arm_result trans_LDREXH(struct arm_ctx *c) { return gen_ldrex(c, IR_MO_16); }
static enum arm_result trans_STREX(struct arm_ctx *c) { return gen_strex(c, IR_MO_32); }
static enum arm_result trans_STREXB(struct arm_ctx *c) { return gen_strex(c, IR_MO_8); }
static enum arm_result trans_STREXH(struct arm_ctx *c) { return gen_strex(c, IR_MO_16); }

static enum arm_result trans_CLREX(struct arm_ctx *c)
{
    clear_monitor(c);
    return ARM_NEXT;
}

/* ---- swp/swpb (deprecated in ARMv7, still valid): Rt = [Rn]; [Rn] = Rt2, atomically ----
 * One xchg op rather than a cmpxchg retry loop: µIR labels only jump forwards, so a loop
 * would need a helper or a block of its own, while x86 has xchg with memory (locked by
 * itself) and LLVM atomicrmw xchg. */

static enum arm_result gen_swp(struct arm_ctx *c, unsigned memop)
{
    struct ir_block *b = c->b;
    ir_temp addr;
    if (!is_reg(c, 0) || !is_reg(c, 1) || !excl_address(c, 2, &addr))
        return ARM_UNDEF;
    int rt = reg_of(c, 0);
    if (rt == 15 || reg_of(c, 1) == 15)
        return ARM_UNDEF;
    ir_temp old = ir_new_i32(b);
    ir_gen_xchg_i32(b, old, addr, arm_read_reg(c, reg_of(c, 1)), memop);
    arm_write_reg(c, rt, old);
    return ARM_NEXT;
}

static enum arm_result trans_SWP(struct arm_ctx *c) { return gen_swp(c, IR_MO_32); }
static enum arm_result trans_SWPB(struct arm_ctx *c) { return gen_swp(c, IR_MO_8); }

/* pld, pldw, pli: hints, no architectural effect. */
static enum arm_result trans_PLD(struct arm_ctx *c)
{
    (void)c;
    return ARM_NEXT;
}

const struct arm_handler_entry arm_mem_handlers[] = {
    { ARM_INS_LDR, trans_LDR },         { ARM_INS_LDRT, trans_LDR },
    { ARM_INS_LDRB, trans_LDRB },       { ARM_INS_LDRBT, trans_LDRB },
    { ARM_INS_LDRH, trans_LDRH },       { ARM_INS_LDRHT, trans_LDRH },
    { ARM_INS_LDRSB, trans_LDRSB },     { ARM_INS_LDRSBT, trans_LDRSB },
    { ARM_INS_LDRSH, trans_LDRSH },     { ARM_INS_LDRSHT, trans_LDRSH },
    { ARM_INS_STR, trans_STR },         { ARM_INS_STRT, trans_STR },
    { ARM_INS_STRB, trans_STRB },       { ARM_INS_STRBT, trans_STRB },
    { ARM_INS_STRH, trans_STRH },       { ARM_INS_STRHT, trans_STRH },
    { ARM_INS_LDRD, trans_LDRD },       { ARM_INS_STRD, trans_STRD },
    { ARM_INS_LDM, trans_LDM },         { ARM_INS_LDMIB, trans_LDMIB },
    { ARM_INS_LDMDA, trans_LDMDA },     { ARM_INS_LDMDB, trans_LDMDB },
    { ARM_INS_STM, trans_STM },         { ARM_INS_STMIB, trans_STMIB },
    { ARM_INS_STMDA, trans_STMDA },     { ARM_INS_STMDB, trans_STMDB },
    { ARM_INS_POP, trans_POP },         { ARM_INS_PUSH, trans_PUSH },
    { ARM_INS_LDREX, trans_LDREX },     { ARM_INS_LDREXB, trans_LDREXB },
    { ARM_INS_LDREXH, trans_LDREXH },   { ARM_INS_LDREXD, trans_LDREXD },
    { ARM_INS_STREX, trans_STREX },     { ARM_INS_STREXB, trans_STREXB },
    { ARM_INS_STREXH, trans_STREXH },   { ARM_INS_STREXD, trans_STREXD },
    { ARM_INS_CLREX, trans_CLREX },
    { ARM_INS_SWP, trans_SWP },         { ARM_INS_SWPB, trans_SWPB },
    { ARM_INS_PLD, trans_PLD },         { ARM_INS_PLDW, trans_PLD },
    { ARM_INS_PLI, trans_PLD },
    { 0, NULL },
};
