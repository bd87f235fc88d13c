/*
 * Code discovery: recursive traversal over the guest's executable segments.
 *
 * Three passes, read as a list in xl_discover():
 *   1. runs: a worklist of (addr, state) leaders; each is decoded straight on until an insn
 *      that ends a block (as lifter/arm ends them: any pc write, svc, bkpt, undefined) or
 *      until it reaches an insn another run already decoded in the same state. Every
 *      decoded insn start, every leader and every insn inside an IT block is a bit in a
 *      per-segment bitmap, so no halfword is decoded twice in one state and the total work
 *      is bounded by the size of the code. Jump tables are resolved after the worklist
 *      drains (their guard may sit in a run decoded later), in rounds until nothing changes.
 *   2. blocks: each run is cut at the leaders inside it (insn sizes come from the first
 *      halfword alone, no second decode); a block never starts inside an IT block.
 *   3. functions: the entry, call targets, function symbols and C++ landing pads; each
 *      one's blocks are found by a walk that does not cross into another function's entry
 *      (tail calls).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "discover.h"
#include "../image/coderefs.h"
#include "../image/routines.h"
#include "computed.h"
#include "ehabi.h"
#include "../decode/decode.h"

/* Upper bounds that keep hostile input cheap. */
#define MAX_INSNS       (1u << 24)  /* decoded insns in total */
#define MAX_TABLE       (1u << 14)  /* jump table entries */
#define MAX_ROUNDS      64          /* table resolution rounds */
#define WINDOW          24          /* insns searched backwards for a table's guard */

enum { BIT_START, BIT_INIT, BIT_LEAD, NBITS };  /* insn start, inside an IT block, leader */

struct region {
    uint32_t base, size;
    const uint8_t *data;
    uint64_t *bits[2][NBITS];       /* [thumb][kind], one bit per halfword */
};

/* How a computed jump may be bounded: a guarded table of one of four forms, or any other
   jump through a register, whose straight line computed.c evaluates. */
enum table_form { TBL_NONE, TBL_LDR, TBL_ADD, TBL_TBB, TBL_TBH, TBL_COMPUTED };

struct run {
    uint32_t start, end;
    uint32_t callee;
    uint32_t succ_off, nsucc;       /* into disc.succ */
    uint8_t thumb, kind, cond;
    uint8_t table;                  /* enum table_form while unresolved */
    unsigned table_idx;             /* capstone register holding the index */
};

struct vec {
    uint32_t *v;
    size_t n, cap;
};

struct disc {
    const struct xl_image *img;
    struct xl_decoder dec;
    struct region *regs;
    size_t nregs;
    struct run *runs;
    size_t nruns, runs_cap;
    struct vec succ;                /* run successors */
    struct vec work;                /* leaders to decode: addr | thumb */
    struct vec funcs;               /* function entries: addr | thumb */
    struct vec strong;              /* the entries (of funcs) with a reason besides data
                                       pointing at them: symbol, call, program entry ... */
    struct vec pending;             /* runs ending in an unresolved jump table */
    uint32_t budget;
    bool oom;
    struct xl_exec_ranges exec;     /* the executable sections (code, not .rodata) */
};

static void vpush(struct disc *d, struct vec *v, uint32_t x)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        uint32_t *nv = realloc(v->v, cap * sizeof(*nv));
        if (!nv) {
            d->oom = true;
            return;
        }
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = x;
}

/* ---- regions and bitmaps ---- */

static struct region *region_of(struct disc *d, uint32_t addr)
{
    for (size_t i = 0; i < d->nregs; i++)
        if (addr >= d->regs[i].base && addr - d->regs[i].base < d->regs[i].size)
            return &d->regs[i];
    return NULL;
}

static bool bit(const struct region *r, bool thumb, int k, uint32_t addr)
{
    uint32_t i = (addr - r->base) >> 1;
    return r->bits[thumb][k][i >> 6] >> (i & 63) & 1;
}

static void set_bit(struct region *r, bool thumb, int k, uint32_t addr)
{
    uint32_t i = (addr - r->base) >> 1;
    r->bits[thumb][k][i >> 6] |= (uint64_t)1 << (i & 63);
}

static uint32_t insn_size(const struct region *r, uint32_t addr, bool thumb)
{
    if (!thumb)
        return 4;
    const uint8_t *p = r->data + (addr - r->base);
    uint16_t hw = (uint16_t)(p[0] | p[1] << 8);
    return (hw >> 11) >= 0x1d ? 4 : 2;
}

/* Whether code in this state may live at addr: not data, not the other state's code. */
static bool state_ok(const struct disc *d, uint32_t addr, bool thumb)
{
    char m = xl_image_mapping_at(d->img, addr);
    return m != 'd' && !(m == 'a' && thumb) && !(m == 't' && !thumb);
}

/* Whether a leader starts a function, and why: a code address found only in data (a
   function pointer, or a label's address in a computed goto's table) is ENTRY_REF. */
enum entry_kind { NOT_ENTRY, ENTRY, ENTRY_REF };

/*
 * A leader: a branch target, call target or seed. Targets that cannot be code in the given
 * state (outside the executable segments, outside the executable sections, misaligned,
 * data, the other state per the mapping symbols, inside an IT block) are dropped: their
 * edges lead to the runtime. The read-only data sharing the text's segment is not code,
 * whatever a table read too far or a pc-relative string address with bit 0 set (PIC Thumb
 * code) seems to say.
 */
static void add_target(struct disc *d, uint32_t addr, bool thumb, enum entry_kind func)
{
    struct region *r = region_of(d, addr);
    if (!r || (addr & (thumb ? 1u : 3u)) || !xl_may_be_code(&d->exec, addr) ||
        !state_ok(d, addr, thumb) || bit(r, thumb, BIT_INIT, addr))
        return;
    if (func != NOT_ENTRY)
        vpush(d, &d->funcs, addr | thumb);
    if (func == ENTRY)
        vpush(d, &d->strong, addr | thumb);
    if (bit(r, thumb, BIT_LEAD, addr))
        return;
    set_bit(r, thumb, BIT_LEAD, addr);
    if (!bit(r, thumb, BIT_START, addr))
        vpush(d, &d->work, addr | thumb);
}

static void add_succ(struct disc *d, uint32_t v)
{
    add_target(d, v & ~1u, v & 1, NOT_ENTRY);
}

/* ---- pass 1: runs ---- */

static bool op_is_reg(const cs_arm *a, unsigned i, unsigned reg)
{
    return i < a->op_count && a->operands[i].type == ARM_OP_REG &&
           (unsigned)a->operands[i].reg == reg;
}

static bool list_has_pc(const cs_arm *a, unsigned from)
{
    for (unsigned i = from; i < a->op_count; i++)
        if (op_is_reg(a, i, ARM_REG_PC))
            return true;
    return false;
}

static bool writes_pc(const cs_arm *a)
{
    for (unsigned i = 0; i < a->op_count; i++)
        if (op_is_reg(a, i, ARM_REG_PC) && (a->operands[i].access & CS_AC_WRITE))
            return true;
    return false;
}

/*
 * Whether insn ends a block, and how. Sets kind, callee, the direct successors and, for a
 * jump table candidate, its form and index register.
 */
static bool classify(const struct xl_insn *in, struct run *run, uint32_t succ[2], unsigned *ns)
{
    const cs_arm *a = in->arm;
    uint32_t next = (in->addr + in->size) | in->thumb;
    bool t = in->thumb;
    run->cond = in->cond != ARM_COND_AL;
    *ns = 0;
    switch (in->cs->id) {
    case ARM_INS_B:
        if (a->op_count < 1 || a->operands[0].type != ARM_OP_IMM)
            break;
        succ[(*ns)++] = (uint32_t)a->operands[0].imm | t;
        if (run->cond)
            succ[(*ns)++] = next;
        run->kind = run->cond ? XL_END_COND : XL_END_JUMP;
        return true;
    case ARM_INS_CBZ:
    case ARM_INS_CBNZ:
        if (a->op_count < 2 || a->operands[1].type != ARM_OP_IMM)
            break;
        succ[0] = (uint32_t)a->operands[1].imm | 1u;
        succ[1] = next;
        *ns = 2;
        run->cond = true;
        run->kind = XL_END_COND;
        return true;
    case ARM_INS_BL:
    case ARM_INS_BLX:
        succ[(*ns)++] = next;
        if (a->op_count >= 1 && a->operands[0].type == ARM_OP_IMM) {
            /* bl keeps the state, blx imm switches it */
            bool callee_thumb = in->cs->id == ARM_INS_BL ? t : !t;
            run->callee = (uint32_t)a->operands[0].imm | callee_thumb;
            run->kind = XL_END_CALL;
        } else {
            run->kind = XL_END_CALL_IND;
        }
        return true;
    case ARM_INS_BX:
    case ARM_INS_BXJ:
        run->kind = op_is_reg(a, 0, ARM_REG_LR) ? XL_END_RETURN : XL_END_INDIRECT;
        run->table = run->kind == XL_END_INDIRECT ? TBL_COMPUTED : TBL_NONE;
        return true;
    case ARM_INS_TBB:
    case ARM_INS_TBH:
        run->kind = XL_END_INDIRECT;
        if (a->op_count >= 1 && a->operands[0].type == ARM_OP_MEM &&
            a->operands[0].mem.base == ARM_REG_PC && a->operands[0].mem.index != ARM_REG_INVALID) {
            run->table = in->cs->id == ARM_INS_TBB ? TBL_TBB : TBL_TBH;
            run->table_idx = a->operands[0].mem.index;
        }
        return true;
    case ARM_INS_SVC:
        succ[(*ns)++] = next;
        run->kind = XL_END_EXIT;
        return true;
    case ARM_INS_BKPT:
    case ARM_INS_UDF:
    case ARM_INS_TRAP:
        run->kind = XL_END_EXIT;
        return true;
    case ARM_INS_ERET:
    case ARM_INS_RFEDA: case ARM_INS_RFEDB: case ARM_INS_RFEIA: case ARM_INS_RFEIB:
        run->kind = XL_END_INDIRECT;
        return true;
    case ARM_INS_POP:
        if (!list_has_pc(a, 0))
            break;
        run->kind = XL_END_RETURN;
        return true;
    case ARM_INS_LDM:
        if (!list_has_pc(a, 1))
            break;
        run->kind = op_is_reg(a, 0, ARM_REG_SP) && a->writeback ? XL_END_RETURN
                                                                 : XL_END_INDIRECT;
        return true;
    case ARM_INS_LDR:
        if (!op_is_reg(a, 0, ARM_REG_PC) || a->op_count < 2 || a->operands[1].type != ARM_OP_MEM)
            break;
        run->kind = XL_END_INDIRECT;
        run->table = TBL_COMPUTED;
        if (a->operands[1].mem.base == ARM_REG_SP && a->op_count == 3 &&
            a->operands[2].type == ARM_OP_IMM && a->operands[2].imm == 4) {
            run->kind = XL_END_RETURN;          /* ldr pc, [sp], #4 */
            run->table = TBL_NONE;
        }
        else if (!t && a->operands[1].mem.base == ARM_REG_PC &&
                 a->operands[1].mem.index != ARM_REG_INVALID &&
                 a->operands[1].shift.type == ARM_SFT_LSL && a->operands[1].shift.value == 2 &&
                 a->operands[1].subtracted == false) {
            run->table = TBL_LDR;               /* ldr pc, [pc, rN, lsl #2] */
            run->table_idx = a->operands[1].mem.index;
        }
        return true;
    case ARM_INS_MOV:
        if (!op_is_reg(a, 0, ARM_REG_PC))
            break;
        run->kind = op_is_reg(a, 1, ARM_REG_LR) && a->operands[1].shift.type == ARM_SFT_INVALID
                    ? XL_END_RETURN : XL_END_INDIRECT;
        run->table = run->kind == XL_END_INDIRECT ? TBL_COMPUTED : TBL_NONE;
        return true;
    case ARM_INS_ADD:
        if (!op_is_reg(a, 0, ARM_REG_PC))
            break;
        run->kind = XL_END_INDIRECT;
        run->table = TBL_COMPUTED;
        if (!t && a->op_count == 3 && op_is_reg(a, 1, ARM_REG_PC) &&
            a->operands[2].type == ARM_OP_REG && a->operands[2].shift.type == ARM_SFT_LSL &&
            a->operands[2].shift.value == 2 && !(in->raw >> 20 & 1)) {
            run->table = TBL_ADD;               /* add pc, pc, rN, lsl #2 */
            run->table_idx = a->operands[2].reg;
        }
        return true;
    default:
        break;
    }
    bool ldm = in->cs->id == ARM_INS_LDMDA || in->cs->id == ARM_INS_LDMDB ||
               in->cs->id == ARM_INS_LDMIB;
    if (writes_pc(a) || (ldm && list_has_pc(a, 1))) {
        run->kind = XL_END_INDIRECT;
        run->table = writes_pc(a) && !ldm ? TBL_COMPUTED : TBL_NONE;
        return true;
    }
    run->cond = false;
    return false;
}

static void store_run(struct disc *d, const struct run *run)
{
    if (d->nruns == d->runs_cap) {
        size_t cap = d->runs_cap ? d->runs_cap * 2 : 1024;
        struct run *nr = realloc(d->runs, cap * sizeof(*nr));
        if (!nr) {
            d->oom = true;
            return;
        }
        d->runs = nr;
        d->runs_cap = cap;
    }
    d->runs[d->nruns++] = *run;
}

/* setjmp and friends: longjmp comes back to the insn after the call with the stack of the
   call, from wherever it is. That insn becomes a function entry too, so the runtime can
   resume there in AOT code (the caller goes on into it as a tail call). */
static bool returns_twice(const struct disc *d, uint32_t callee)
{
    static const char *const names[] = { "setjmp", "_setjmp", "__sigsetjmp", "sigsetjmp",
                                         "__setjmp", "getcontext" };
    const struct xl_symbol *s = xl_image_symbol_at(d->img, callee & ~1u);
    for (size_t i = 0; s && s->addr == (callee & ~1u) && i < sizeof(names) / sizeof(names[0]);
         i++)
        if (strcmp(s->name, names[i]) == 0)
            return true;
    return false;
}

/* The svc of clone in the libc's __clone: a new thread starts right after it, from the
   runtime's dispatcher, in every thread; as a function entry it runs in AOT code instead
   of being translated by each thread's JIT. */
static bool starts_threads(const struct disc *d, uint32_t addr)
{
    const struct xl_symbol *s = xl_image_symbol_at(d->img, addr);
    return s && (strcmp(s->name, "__clone") == 0 || strcmp(s->name, "clone") == 0);
}

/*
 * Code addresses made pc-relatively: `ldr rN, [pc, #k]` of a literal, later `add rN, pc`
 * (Thumb) or `add rN, pc, rN` (ARM) is how position-independent code takes the address of
 * a static function it passes as a callback (ld.so's _dl_catch_exception operations,
 * qsort comparators, sqlite's methods). A sum with the Thumb bit set that lands on code is
 * a function entry. lit[] holds each low register's literal while nothing else wrote it.
 */
struct pcrel {
    uint32_t lit[13];
    uint16_t valid;
};

static int low_reg(unsigned reg)
{
    return reg >= ARM_REG_R0 && reg <= ARM_REG_R12 ? (int)(reg - ARM_REG_R0) : -1;
}

static void pcrel_step(struct disc *d, const struct region *r, struct pcrel *pr,
                       const struct xl_insn *in)
{
    const cs_arm *a = in->arm;
    int rd = a->op_count ? low_reg(a->operands[0].reg) : -1;
    bool reg0 = a->op_count && a->operands[0].type == ARM_OP_REG;
    if (in->cs->id == ARM_INS_LDR && a->op_count == 2 && reg0 && rd >= 0 &&
        a->operands[1].type == ARM_OP_MEM && a->operands[1].mem.base == ARM_REG_PC &&
        a->operands[1].mem.index == ARM_REG_INVALID && in->cond == ARM_COND_AL) {
        uint32_t at = ((in->addr + (in->thumb ? 4 : 8)) & ~3u) +
                      (uint32_t)(a->operands[1].subtracted ? -a->operands[1].mem.disp
                                                           : a->operands[1].mem.disp);
        if (at - r->base < r->size && r->size - (at - r->base) >= 4) {
            memcpy(&pr->lit[rd], r->data + (at - r->base), 4);
            pr->valid |= (uint16_t)(1u << rd);
            return;
        }
    }
    bool add_pc = in->cs->id == ARM_INS_ADD && reg0 && rd >= 0 && (pr->valid >> rd & 1) &&
                  ((a->op_count == 2 && op_is_reg(a, 1, ARM_REG_PC)) ||
                   (a->op_count == 3 && op_is_reg(a, 1, ARM_REG_PC) &&
                    op_is_reg(a, 2, a->operands[0].reg)));
    if (add_pc) {
        uint32_t t = pr->lit[rd] + in->addr + (in->thumb ? 4 : 8);
        if (t & 1)
            add_target(d, t & ~1u, true, ENTRY);
        else if (xl_arm_code_ptr(d->img, &d->exec, t))
            add_target(d, t, false, ENTRY);  /* an IFUNC resolver's ARM memcpy */
    }
    /* Whatever this insn writes is no longer the literal (a call clobbers r0-r3, ip). */
    if (reg0 && rd >= 0 && (a->operands[0].access & CS_AC_WRITE))
        pr->valid &= (uint16_t)~(1u << rd);
    if (in->cs->id == ARM_INS_BL || in->cs->id == ARM_INS_BLX || a->op_count == 0 ||
        in->cs->id == ARM_INS_POP || in->cs->id == ARM_INS_LDM)
        pr->valid = 0;
}

static void decode_run(struct disc *d, uint32_t start, bool thumb)
{
    struct region *r = region_of(d, start);
    if (!r || bit(r, thumb, BIT_START, start))
        return;
    struct run run = { .start = start, .thumb = thumb, .kind = XL_END_EXIT };
    uint32_t succ[2];
    unsigned ns = 0;
    bool fall_ok = true;            /* whether the conditional fall-through may be a leader */
    xl_decoder_reset(&d->dec);
    uint32_t addr = start;
    struct pcrel pr = { .valid = 0 };
    for (;;) {
        if (addr - r->base >= r->size || !state_ok(d, addr, thumb) || d->budget == 0)
            break;                  /* end of code: XL_END_EXIT without successors */
        if (addr != start && d->dec.itstate == 0 && bit(r, thumb, BIT_START, addr)) {
            run.kind = XL_END_FALL;
            succ[ns++] = addr | thumb;
            break;
        }
        d->budget--;
        uint32_t avail = r->size - (addr - r->base);
        struct xl_insn in;
        bool ok = xl_decode(&d->dec, r->data + (addr - r->base), avail, addr, thumb, &in);
        if (!ok) {
            if (in.size && in.size <= avail) {  /* undefined insn: part of the block */
                set_bit(r, thumb, BIT_START, addr);
                addr += in.size;
            }
            break;
        }
        set_bit(r, thumb, BIT_START, addr);
        if (in.in_it)
            set_bit(r, thumb, BIT_INIT, addr);
        pcrel_step(d, r, &pr, &in);
        addr += in.size;
        if (classify(&in, &run, succ, &ns)) {
            fall_ok = !in.in_it || in.it_last;
            break;
        }
    }
    xl_decoder_reset(&d->dec);
    run.end = addr;
    if (run.end == run.start)
        return;
    run.succ_off = (uint32_t)d->succ.n;
    run.nsucc = ns;
    for (unsigned i = 0; i < ns; i++)
        vpush(d, &d->succ, succ[i]);
    if (run.table)
        vpush(d, &d->pending, (uint32_t)d->nruns);
    store_run(d, &run);
    /* A pc write in the middle of an IT block falls into the rest of it: no block there. */
    for (unsigned i = 0; i < ns; i++)
        if (fall_ok || succ[i] != (run.end | thumb))
            add_succ(d, succ[i]);
    if (run.cond && fall_ok && (run.kind == XL_END_RETURN || run.kind == XL_END_INDIRECT))
        add_succ(d, run.end | thumb);
    if (run.kind == XL_END_CALL) {
        add_target(d, run.callee & ~1u, run.callee & 1, ENTRY);
        if (returns_twice(d, run.callee))
            add_target(d, run.end, thumb, ENTRY);
    }
    if (run.kind == XL_END_EXIT && ns == 1 && succ[0] == (run.end | thumb) &&
        starts_threads(d, run.start))
        add_target(d, run.end, thumb, ENTRY);
}

static void drain(struct disc *d)
{
    while (d->work.n && !d->oom) {
        uint32_t v = d->work.v[--d->work.n];
        decode_run(d, v & ~1u, v & 1);
    }
}

/*
 * C++ landing pads (ehabi.c), function entries of their own: the unwinder reaches them, so
 * the dispatcher resumes there, as after setjmp's second return. A pad is in its function's
 * state: the mapping symbol's, else the function symbol's, else the state the traversal so
 * far decoded the function in (a stripped file), else Thumb if the table's bit 0 says so;
 * otherwise the pad is left to the JIT.
 */
static void add_landing_pads(struct disc *d)
{
    struct xl_landing_pad *lp;
    size_t n;
    if (xl_ehabi_landing_pads(d->img, &lp, &n) < 0) {
        d->oom = true;
        return;
    }
    for (size_t i = 0; i < n && !d->oom; i++) {
        uint32_t fn = lp[i].func & ~1u, pad = lp[i].pad & ~1u;
        char m = xl_image_mapping_at(d->img, pad);
        const struct xl_symbol *s = xl_image_symbol_at(d->img, fn);
        struct region *r = region_of(d, fn);
        bool thumb;
        if (m == 't' || m == 'a')
            thumb = m == 't';
        else if (s && s->func)
            thumb = s->thumb;
        else if (r && bit(r, true, BIT_START, fn) != bit(r, false, BIT_START, fn))
            thumb = bit(r, true, BIT_START, fn);
        else if ((lp[i].func | lp[i].pad) & 1)
            thumb = true;
        else
            continue;       /* no guess: a wrong state would decode garbage */
        add_target(d, pad, thumb, ENTRY);
    }
    free(lp);
}

/* ---- jump tables ---- */

/* One insn of the window before a table insn, as far as the guard search needs it. */
struct wrec {
    uint32_t addr, size;
    unsigned id;
    enum arm_cond cond;
    bool cmp_imm;               /* cmp rN, #k */
    unsigned cmp_reg;
    uint32_t k;
    bool sets_flags, writes_idx;
    bool and_mask;              /* and idx, rM, #2^m-1 */
};

/* The run that falls into addr in this state (ends there with FALL or COND), or NULL. */
static const struct run *run_into(const struct disc *d, uint32_t addr, bool thumb)
{
    for (size_t i = 0; i < d->nruns; i++) {
        const struct run *p = &d->runs[i];
        if (p->end == addr && p->thumb == thumb &&
            (p->kind == XL_END_FALL || p->kind == XL_END_COND))
            return p;
    }
    return NULL;
}

/* Decodes [from, to) into the last WINDOW records of w. Returns the count, or -1. */
static int window(struct disc *d, uint32_t from, uint32_t to, bool thumb, unsigned idx,
                  struct wrec *w)
{
    struct region *r = region_of(d, from);
    if (!r || to < from || to - r->base > r->size)
        return -1;
    unsigned n = 0;
    xl_decoder_reset(&d->dec);
    for (uint32_t addr = from; addr < to;) {
        struct xl_insn in;
        if (!xl_decode(&d->dec, r->data + (addr - r->base), to - addr, addr, thumb, &in)) {
            xl_decoder_reset(&d->dec);
            return -1;
        }
        if (n == WINDOW) {
            memmove(w, w + 1, (WINDOW - 1) * sizeof(*w));
            n--;
        }
        struct wrec *x = &w[n++];
        memset(x, 0, sizeof(*x));
        x->addr = addr;
        x->size = in.size;
        x->id = in.cs->id;
        x->cond = in.cond;
        const cs_arm *a = in.arm;
        x->cmp_imm = x->id == ARM_INS_CMP && a->op_count == 2 &&
                     a->operands[0].type == ARM_OP_REG && a->operands[1].type == ARM_OP_IMM &&
                     a->operands[0].shift.type == ARM_SFT_INVALID;
        if (x->cmp_imm) {
            x->cmp_reg = a->operands[0].reg;
            x->k = (uint32_t)a->operands[1].imm;
        }
        cs_regs regs_read, regs_write;
        uint8_t nr = 0, nw = 0;
        x->sets_flags = a->update_flags;
        if (cs_regs_access(thumb ? d->dec.h_thumb : d->dec.h_arm, in.cs, regs_read, &nr,
                           regs_write, &nw) == CS_ERR_OK) {
            for (unsigned i = 0; i < nw; i++) {
                if (regs_write[i] == ARM_REG_CPSR)
                    x->sets_flags = true;
                if (regs_write[i] == idx)
                    x->writes_idx = true;
            }
        } else {
            x->writes_idx = x->sets_flags = true;   /* unknown: assume the worst */
        }
        uint32_t m = a->op_count == 3 && a->operands[2].type == ARM_OP_IMM
                     ? (uint32_t)a->operands[2].imm : 0;
        x->and_mask = x->id == ARM_INS_AND && op_is_reg(a, 0, idx) && in.cond == ARM_COND_AL &&
                      m && m < MAX_TABLE && (m & (m + 1)) == 0;
        if (x->and_mask)
            x->k = m;
        addr += in.size;
    }
    xl_decoder_reset(&d->dec);
    return (int)n;
}

/*
 * The number of table entries, from the guard before the table insn: `cmp idx, #k` then
 * either the table insn conditional on LS (k+1 entries) / CC (k), or a `bhi` (k+1) / `bcs`
 * (k) to the default between them. An `and idx, rM, #2^m-1` bounds it too. 0: not found.
 */
static uint32_t table_bound(const struct wrec *w, int n, unsigned idx, enum arm_cond tcond)
{
    bool need_branch = tcond == ARM_COND_AL;
    int plus = tcond == ARM_COND_LS ? 1 : tcond == ARM_COND_CC ? 0 : -1;
    if (!need_branch && plus < 0)
        return 0;
    for (int i = n - 1; i >= 0 && i >= n - WINDOW; i--) {
        const struct wrec *x = &w[i];
        if (x->cmp_imm && x->cond == ARM_COND_AL) {
            if (x->cmp_reg != idx || plus < 0)
                return 0;
            return x->k + (uint32_t)plus;
        }
        if (x->id == ARM_INS_B && x->cond != ARM_COND_AL) {
            if (need_branch && plus < 0) {
                plus = x->cond == ARM_COND_HI ? 1 : x->cond == ARM_COND_CS ? 0 : -1;
                if (plus < 0)
                    return 0;
            }
            continue;
        }
        if (x->and_mask && need_branch && plus < 0)
            return x->k + 1;
        if (x->sets_flags || x->writes_idx)
            return 0;
    }
    return 0;
}

/* Where the straight line into a run's last insn starts: the run and up to nruns runs
   falling into it, until it is `bytes` long. */
static uint32_t line_start(const struct disc *d, const struct run *run, int nruns,
                           uint32_t bytes)
{
    uint32_t from = run->start;
    for (int i = 0; i < nruns && run->end - from < bytes; i++) {
        const struct run *p = run_into(d, from, run->thumb);
        if (!p)
            break;
        from = p->start;
    }
    return from;
}

/* Ends run ri as a table (or computed jump) with these n targets. */
static void set_targets(struct disc *d, size_t ri, const uint32_t *t, uint32_t n)
{
    d->runs[ri].succ_off = (uint32_t)d->succ.n;
    d->runs[ri].nsucc = n;
    d->runs[ri].kind = XL_END_TABLE;
    d->runs[ri].table = TBL_NONE;
    for (uint32_t i = 0; i < n; i++) {
        vpush(d, &d->succ, t[i]);
        add_succ(d, t[i]);
    }
}

static bool resolve_table(struct disc *d, size_t ri, uint32_t from)
{
    struct run run = d->runs[ri];
    uint32_t at = run.end - 4;          /* every table form is a 4-byte insn */
    struct wrec w[WINDOW + 1];
    int n = window(d, from, run.end, run.thumb, run.table_idx, w);
    if (n < 1 || w[n - 1].addr != at)
        return false;
    uint32_t count = table_bound(w, n - 1, run.table_idx, w[n - 1].cond);
    if (count == 0 || count > MAX_TABLE)
        return false;

    uint32_t base = run.table == TBL_TBB || run.table == TBL_TBH ? at + 4 : at + 8;
    uint32_t esize = run.table == TBL_TBB ? 1 : run.table == TBL_TBH ? 2 : 4;
    uint32_t avail = 0;
    const uint8_t *tab = run.table == TBL_ADD ? NULL : xl_image_ptr(d->img, base, &avail);
    if (run.table != TBL_ADD && (!tab || avail / esize < count))
        return false;
    uint32_t *t = malloc(count * sizeof(*t));
    if (!t) {
        d->oom = true;
        return false;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint32_t v;
        switch (run.table) {
        case TBL_LDR:
            v = (uint32_t)tab[4 * i] | (uint32_t)tab[4 * i + 1] << 8 |
                (uint32_t)tab[4 * i + 2] << 16 | (uint32_t)tab[4 * i + 3] << 24;
            break;
        case TBL_ADD:
            v = base + 4 * i;
            break;
        case TBL_TBB:
            v = (base + 2u * tab[i]) | 1u;
            break;
        default:
            v = (base + 2u * (uint32_t)(tab[2 * i] | tab[2 * i + 1] << 8)) | 1u;
            break;
        }
        t[i] = v;
    }
    set_targets(d, ri, t, count);
    free(t);
    return true;
}

/* Whether a computed jump may go to addr: code in that state, not inside an IT block or
   inside a 32-bit Thumb insn already decoded. */
static bool code_at(struct disc *d, uint32_t addr, bool thumb)
{
    struct region *r = region_of(d, addr);
    if (!r || (addr & (thumb ? 1u : 3u)) || !state_ok(d, addr, thumb) ||
        bit(r, thumb, BIT_INIT, addr))
        return false;
    return !(thumb && addr - r->base >= 2 && bit(r, true, BIT_START, addr - 2) &&
             insn_size(r, addr - 2, true) == 4);
}

/* The entry of a function symbol: a computed tail call (a veneer) may go there. */
static bool func_entry(const struct disc *d, uint32_t addr)
{
    const struct xl_symbol *s = xl_image_symbol_at(d->img, addr);
    return s && s->func && s->addr == addr;
}

/*
 * The entry line of function symbol fs (its first run, which no branch enters in the
 * middle) and the registers nothing after it writes (but the insns that leave, like
 * `add sp, sp, #12; pop {r4-r11, pc}`): r4-r11, and r0-r3, ip and lr if the function calls nothing (a
 * callee may clobber them); and its stack words if nothing stores to the stack later. A
 * threaded interpreter keeps its dispatch tables' addresses there, set up once. false when
 * there is none.
 */
static bool entry_line(struct disc *d, const struct xl_symbol *fs, bool thumb,
                       struct xl_entry_line *line)
{
    const struct run *first = NULL;
    for (size_t i = 0; i < d->nruns && !first; i++)
        if (d->runs[i].start == fs->addr && d->runs[i].thumb == thumb)
            first = &d->runs[i];
    struct region *r = region_of(d, fs->addr);
    if (!first || !r || fs->size > r->size - (fs->addr - r->base))
        return false;
    for (uint32_t a = first->start + 2; a < first->end; a += 2)
        if (bit(r, thumb, BIT_LEAD, a))
            return false;
    uint32_t written = 0, epilogue_sp = 0;
    bool calls = false, stack_stores = false;
    xl_decoder_reset(&d->dec);
    for (uint32_t a = first->end; a < fs->addr + fs->size;) {
        struct xl_insn in;
        cs_regs rd, wr;
        uint8_t nr = 0, nw = 0;
        if (!state_ok(d, a, thumb) ||
            !xl_decode(&d->dec, r->data + (a - r->base), fs->addr + fs->size - a, a, thumb, &in)) {
            xl_decoder_reset(&d->dec);
            a += thumb ? 2 : 4;             /* data, or not code in this state */
            continue;
        }
        a += in.size;
        unsigned id = in.cs->id;
        calls |= id == ARM_INS_BL || id == ARM_INS_BLX;
        if (id == ARM_INS_STR || id == ARM_INS_STRB || id == ARM_INS_STRH ||
            id == ARM_INS_STRD || id == ARM_INS_VSTR)
            for (unsigned i = 0; i < in.arm->op_count; i++)
                stack_stores |= in.arm->operands[i].type == ARM_OP_MEM &&
                                in.arm->operands[i].mem.base == ARM_REG_SP;
        if (cs_regs_access(thumb ? d->dec.h_thumb : d->dec.h_arm, in.cs, rd, &nr, wr, &nw)) {
            written = ~0u;
            break;
        }
        uint32_t w = 0;
        for (unsigned i = 0; i < nw; i++)
            if (xl_reg_num(wr[i]) >= 0)
                w |= 1u << xl_reg_num(wr[i]);
        /* `add sp, sp, #k; pop {r4-r11, pc}` leaves: those writes do not count */
        if (!(w >> 15 & 1))
            written |= epilogue_sp;
        epilogue_sp = id == ARM_INS_ADD && w == 1u << 13 && in.arm->op_count == 3 &&
                      in.arm->operands[2].type == ARM_OP_IMM ? w : 0;
        if (!(w >> 15 & 1))
            written |= w & ~epilogue_sp;
    }
    xl_decoder_reset(&d->dec);
    *line = (struct xl_entry_line){ first->start, first->end,
                                    (uint16_t)(~written & (calls ? 0x0ff0u : 0x5fffu)),
                                    !stack_stores && !(written >> 13 & 1) };
    return line->keep != 0 || line->keep_stack;
}

/* Any other jump through a register: the values computed.c finds, from its straight line
   alone or else with what the function's entry line set up, kept inside the function
   symbol that holds the jump when there is one (a bounded guess may overshoot), or at
   another function's entry. */
static bool resolve_computed(struct disc *d, size_t ri, uint32_t from)
{
    const struct run *run = &d->runs[ri];
    const struct xl_symbol *fs = xl_image_symbol_at(d->img, run->end - 2);
    bool bounded = fs && fs->func && fs->size && run->end - 2 - fs->addr < fs->size;
    uint32_t t[XL_MAX_COMPUTED];
    unsigned k = 0;
    for (int pass = 0; pass < 2 && !k; pass++) {
        struct xl_entry_line line;
        if (pass && (!bounded || from == fs->addr || !entry_line(d, fs, run->thumb, &line)))
            break;
        unsigned n = xl_computed_targets(&d->dec, d->img, pass ? &line : NULL, from,
                                         run->end, run->thumb, t);
        for (unsigned i = 0; i < n; i++) {
            uint32_t a = t[i] & ~1u;
            if ((!bounded || a - fs->addr < fs->size || func_entry(d, a)) &&
                code_at(d, a, t[i] & 1))
                t[k++] = t[i];
        }
    }
    if (k)
        set_targets(d, ri, t, k);
    return k != 0;
}

static bool resolve_jump(struct disc *d, size_t ri)
{
    const struct run *run = &d->runs[ri];
    return (run->table != TBL_COMPUTED && resolve_table(d, ri, line_start(d, run, 3, 4 * WINDOW))) ||
           resolve_computed(d, ri, line_start(d, run, 8, 256));
}

/* Resolves tables in rounds (a guard may be in a run found later); the rest stay indirect. */
static void resolve_tables(struct disc *d)
{
    for (int round = 0; round < MAX_ROUNDS && d->pending.n && !d->oom; round++) {
        bool progress = false;
        size_t keep = 0;
        size_t npend = d->pending.n;
        uint32_t *pend = malloc(npend * sizeof(*pend) + 1);
        if (!pend) {
            d->oom = true;
            return;
        }
        memcpy(pend, d->pending.v, npend * sizeof(*pend));
        d->pending.n = 0;
        for (size_t i = 0; i < npend; i++) {
            if (resolve_jump(d, pend[i]))
                progress = true;
            else
                pend[keep++] = pend[i];
        }
        drain(d);
        for (size_t i = 0; i < keep; i++)
            vpush(d, &d->pending, pend[i]);
        free(pend);
        if (!progress)
            break;
    }
    for (size_t i = 0; i < d->pending.n; i++)
        d->runs[d->pending.v[i]].table = TBL_NONE;  /* stays XL_END_INDIRECT */
}

/* ---- pass 2: blocks ---- */

struct tblock {
    struct xl_dblock b;
    uint32_t succ_off;              /* into the output pool, fixed up at the end */
};

static int cmp_tblock(const void *x, const void *y)
{
    const struct xl_dblock *a = &((const struct tblock *)x)->b;
    const struct xl_dblock *b = &((const struct tblock *)y)->b;
    if (a->addr != b->addr)
        return a->addr < b->addr ? -1 : 1;
    return (int)a->thumb - (int)b->thumb;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static size_t find_block(const struct tblock *t, size_t n, uint32_t addr, bool thumb)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].b.addr < addr || (t[mid].b.addr == addr && t[mid].b.thumb < thumb))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && t[lo].b.addr == addr && t[lo].b.thumb == thumb ? lo : SIZE_MAX;
}

static const char *func_name(const struct xl_image *img, uint32_t addr, bool thumb)
{
    size_t lo = 0, hi = img->nsyms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (img->syms[mid].addr < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    const char *any = NULL;
    for (; lo < img->nsyms && img->syms[lo].addr == addr; lo++)
        if (img->syms[lo].func && !img->syms[lo].ifunc) {
            if (img->syms[lo].thumb == thumb)
                return img->syms[lo].name;
            any = img->syms[lo].name;
        }
    return any ? any : xl_routine_at(img, addr, thumb);
}

static int fail(char *err, size_t errlen, const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", why);
    return -1;
}

static void disc_free(struct disc *d)
{
    for (size_t i = 0; i < d->nregs; i++)
        for (int t = 0; t < 2; t++)
            for (int k = 0; k < NBITS; k++)
                free(d->regs[i].bits[t][k]);
    free(d->regs);
    free(d->runs);
    free(d->succ.v);
    free(d->work.v);
    free(d->funcs.v);
    free(d->strong.v);
    free(d->pending.v);
    xl_decoder_fini(&d->dec);
}

/* Builds blocks, functions and the output from the runs. */
static int build(struct disc *d, struct xl_program *out)
{
    struct vec pool = { 0 };
    size_t ntb = 0, tcap = d->nruns + 16;
    struct tblock *tb = malloc(tcap * sizeof(*tb));
    if (!tb)
        return -1;
    for (size_t i = 0; i < d->nruns && !d->oom; i++) {
        const struct run *run = &d->runs[i];
        struct region *r = region_of(d, run->start);
        bool th = run->thumb;
        uint32_t bstart = run->start;
        for (uint32_t a = run->start;;) {
            uint32_t next = a + insn_size(r, a, th);
            bool last = next >= run->end;
            bool cut = !last && bit(r, th, BIT_LEAD, next) && !bit(r, th, BIT_INIT, next);
            if (!last && !cut) {
                a = next;
                continue;
            }
            if (!bit(r, th, BIT_INIT, bstart)) {    /* never a block inside an IT block */
                if (ntb == tcap) {
                    tcap *= 2;
                    struct tblock *n2 = realloc(tb, tcap * sizeof(*tb));
                    if (!n2) {
                        free(tb);
                        free(pool.v);
                        return -1;
                    }
                    tb = n2;
                }
                struct tblock *t = &tb[ntb++];
                memset(t, 0, sizeof(*t));
                t->b.addr = bstart;
                t->b.thumb = th;
                t->succ_off = (uint32_t)pool.n;
                if (last) {
                    t->b.end = run->end;
                    t->b.kind = (enum xl_dblock_end)run->kind;
                    t->b.cond = run->cond;
                    t->b.callee = run->kind == XL_END_CALL ? run->callee : 0;
                    t->b.nsucc = run->nsucc;
                    for (uint32_t s = 0; s < run->nsucc; s++)
                        vpush(d, &pool, d->succ.v[run->succ_off + s]);
                } else {
                    t->b.end = next;
                    t->b.kind = XL_END_FALL;
                    t->b.nsucc = 1;
                    vpush(d, &pool, next | th);
                }
            }
            if (last)
                break;
            bstart = a = next;
        }
    }
    if (ntb)
        qsort(tb, ntb, sizeof(*tb), cmp_tblock);

    /* Functions: entries with a block, sorted, unique. */
    if (d->funcs.n)
        qsort(d->funcs.v, d->funcs.n, sizeof(uint32_t), cmp_u32);
    size_t nf = 0;
    for (size_t i = 0; i < d->funcs.n; i++) {
        uint32_t e = d->funcs.v[i];
        if ((nf && d->funcs.v[nf - 1] == e) || find_block(tb, ntb, e & ~1u, e & 1) == SIZE_MAX)
            continue;
        d->funcs.v[nf++] = e;
    }
    d->funcs.n = nf;
    struct xl_function *fn = calloc(nf + 1, sizeof(*fn));
    uint32_t *entry_of = malloc((ntb + 1) * sizeof(uint32_t));   /* block → function or ~0 */
    uint32_t *stamp = calloc(ntb + 1, sizeof(uint32_t));
    uint32_t *owner = malloc((ntb + 1) * sizeof(uint32_t));
    uint32_t *queue = malloc((ntb + 1) * sizeof(uint32_t));
    uint32_t *fb_off = malloc((nf + 1) * sizeof(uint32_t));
    uint8_t *ref_only = malloc(nf + 1);
    if (!fn || !entry_of || !stamp || !owner || !queue || !fb_off || !ref_only || d->oom) {
        free(fn), free(entry_of), free(stamp), free(owner), free(queue), free(fb_off);
        free(ref_only);
        free(tb), free(pool.v);
        return -1;
    }
    memset(entry_of, 0xff, (ntb + 1) * sizeof(uint32_t));
    memset(owner, 0xff, (ntb + 1) * sizeof(uint32_t));
    for (size_t f = 0; f < nf; f++)
        entry_of[find_block(tb, ntb, d->funcs.v[f] & ~1u, d->funcs.v[f] & 1)] = (uint32_t)f;
    /* ref_only[f]: only data points at f's entry. */
    if (d->strong.n)
        qsort(d->strong.v, d->strong.n, sizeof(uint32_t), cmp_u32);
    for (size_t f = 0; f < nf; f++)
        ref_only[f] = !d->strong.n || !bsearch(&d->funcs.v[f], d->strong.v, d->strong.n,
                                               sizeof(uint32_t), cmp_u32);

    /* Duplicated blocks cost memory: past this many memberships, a walk stops at blocks
       another function already owns (they stay reachable through the runtime). */
    size_t members = 0, max_members = 16 * ntb + 65536;
    struct vec fblocks = { 0 };
    for (size_t f = 0; f < nf; f++) {
        uint32_t e = d->funcs.v[f];
        fn[f].entry = e;
        fn[f].name = func_name(d->img, e & ~1u, e & 1);
        fb_off[f] = (uint32_t)fblocks.n;
        size_t qh = 0, qt = 0;
        uint32_t eb = (uint32_t)find_block(tb, ntb, e & ~1u, e & 1);
        queue[qt++] = eb;
        stamp[eb] = (uint32_t)f + 1;
        while (qh < qt) {
            uint32_t bi = queue[qh++];
            vpush(d, &fblocks, bi);
            members++;
            if (owner[bi] == UINT32_MAX)
                owner[bi] = (uint32_t)f;
            const struct xl_dblock *b = &tb[bi].b;
            uint32_t nextra = b->cond && b->kind != XL_END_COND ? 1 : 0;
            for (uint32_t s = 0; s < b->nsucc + nextra; s++) {
                uint32_t v = s < b->nsucc ? pool.v[tb[bi].succ_off + s] : b->end | b->thumb;
                size_t si = find_block(tb, ntb, v & ~1u, v & 1);
                if (si == SIZE_MAX || stamp[si] == f + 1)
                    continue;       /* no block, or seen */
                /* Another function's entry is a tail call, but for a computed goto's label
                   (a computed jump's target that only data points at) walked from a
                   function with a reason of its own: an interpreter's dispatch then stays
                   inside its function instead of jumping from handler to handler. */
                if (entry_of[si] != UINT32_MAX &&
                    !(b->kind == XL_END_TABLE && ref_only[entry_of[si]] && !ref_only[f]))
                    continue;
                if (members + qt > max_members && owner[si] != UINT32_MAX)
                    continue;
                stamp[si] = (uint32_t)f + 1;
                queue[qt++] = (uint32_t)si;
            }
        }
        fn[f].nblocks = (uint32_t)(fblocks.n - fb_off[f]);
    }

    /* Blocks no function reaches (behind a block dropped inside an IT block) are left out. */
    uint32_t *newidx = queue;
    size_t nb = 0;
    for (size_t i = 0; i < ntb; i++)
        newidx[i] = owner[i] == UINT32_MAX ? UINT32_MAX : (uint32_t)nb++;
    struct xl_dblock *blocks = calloc(nb + 1, sizeof(*blocks));
    size_t succ_total = pool.n;
    uint32_t *final = malloc((succ_total + fblocks.n + 1) * sizeof(uint32_t));
    if (!blocks || !final || d->oom) {
        free(blocks), free(final), free(fn), free(entry_of), free(stamp), free(owner);
        free(queue), free(fb_off), free(ref_only), free(tb), free(pool.v), free(fblocks.v);
        return -1;
    }
    if (succ_total)
        memcpy(final, pool.v, succ_total * sizeof(uint32_t));
    for (size_t i = 0; i < ntb; i++) {
        if (newidx[i] == UINT32_MAX)
            continue;
        struct xl_dblock *b = &blocks[newidx[i]];
        *b = tb[i].b;
        b->succ = final + tb[i].succ_off;
        b->func = owner[i];
    }
    for (size_t i = 0; i < fblocks.n; i++)
        final[succ_total + i] = newidx[fblocks.v[i]];
    for (size_t f = 0; f < nf; f++)
        fn[f].blocks = final + succ_total + fb_off[f];

    out->blocks = blocks;
    out->nblocks = nb;
    out->funcs = fn;
    out->nfuncs = nf;
    out->pool = final;
    free(entry_of), free(stamp), free(owner), free(queue), free(fb_off), free(ref_only);
    free(tb), free(pool.v), free(fblocks.v);
    return 0;
}

int xl_discover(const struct xl_image *img, struct xl_program *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct disc d = { .img = img, .budget = MAX_INSNS };
    if (xl_decoder_init(&d.dec) < 0)
        return fail(err, errlen, "cannot open capstone");
    d.regs = calloc(img->nsegs + 1, sizeof(*d.regs));
    if (!d.regs) {
        disc_free(&d);
        return fail(err, errlen, "out of memory");
    }
    for (size_t i = 0; i < img->nsegs; i++) {
        const struct xl_segment *s = &img->segs[i];
        if (!(s->flags & PF_X) || !s->filesz || !s->data)
            continue;
        struct region *r = &d.regs[d.nregs++];
        r->base = s->vaddr;
        r->size = s->filesz;
        r->data = s->data;
        size_t words = ((size_t)s->filesz / 2 + 63) / 64 + 1;
        for (int t = 0; t < 2; t++)
            for (int k = 0; k < NBITS; k++)
                if (!(r->bits[t][k] = calloc(words, sizeof(uint64_t))))
                    d.oom = true;
    }
    if (d.nregs == 0) {
        disc_free(&d);
        return fail(err, errlen, "no executable segment");
    }

    xl_exec_sections(img, &d.exec);
    /* Seeds: the entry (a shared library has none) and function symbols, in the state
       their mapping symbol gives. */
    char m = xl_image_mapping_at(img, img->entry & ~1u);
    if (!img->shared)
        add_target(&d, img->entry & ~1u, m == 't' || (m != 'a' && (img->entry & 1)), ENTRY);
    for (size_t i = 0; i < img->nsyms && !d.oom; i++) {
        const struct xl_symbol *s = &img->syms[i];
        if (!s->func)
            continue;
        m = xl_image_mapping_at(img, s->addr);
        add_target(&d, s->addr, m == 't' || (m != 'a' && s->thumb), ENTRY);
    }
    /* Code that data points at (function pointers of a stripped library). */
    uint32_t *refs;
    size_t nrefs;
    if (xl_code_refs(img, &refs, &nrefs) != 0)
        d.oom = true;
    for (size_t i = 0; i < nrefs && !d.oom; i++) {
        m = xl_image_mapping_at(img, refs[i] & ~1u);
        if (m == 'd' || (m && (m == 't') != (refs[i] & 1)))
            continue;               /* the mapping symbols say otherwise */
        add_target(&d, refs[i] & ~1u, refs[i] & 1, ENTRY_REF);
    }
    free(refs);
    drain(&d);
    add_landing_pads(&d);
    drain(&d);
    resolve_tables(&d);
    int rc = d.oom ? -1 : build(&d, out);
    disc_free(&d);
    if (rc < 0) {
        xl_program_free(out);
        return fail(err, errlen, "out of memory");
    }
    return 0;
}

void xl_program_free(struct xl_program *p)
{
    if (!p)
        return;
    free(p->blocks);
    free(p->funcs);
    free(p->pool);
    memset(p, 0, sizeof(*p));
}

const struct xl_dblock *xl_program_block(const struct xl_program *p, uint32_t addr, bool thumb)
{
    size_t lo = 0, hi = p->nblocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct xl_dblock *b = &p->blocks[mid];
        if (b->addr < addr || (b->addr == addr && b->thumb < thumb))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->nblocks && p->blocks[lo].addr == addr && p->blocks[lo].thumb == thumb)
        return &p->blocks[lo];
    return NULL;
}
