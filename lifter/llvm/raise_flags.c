/*
 * Which condition flags (N, Z, C, V) code may read from where on (raise_flags_analysis):
 * per block of each function, for the signal checks' slow paths (raise_flow.c dead_at),
 * and per function, those no code reads after it returns, which its returns then leave
 * out of struct cpu.
 *
 * A raised function stores every global it wrote when it returns, so a loop that ends a
 * function computed C and V on every turn for the one store after it. The AAPCS says the
 * flags mean nothing after a call, but some routines return their result in them (the
 * EABI's __aeabi_cdcmple, hand-written code) and some leave the caller's alone
 * (__aeabi_read_tp), so it is checked at every call site, not assumed:
 * - within a function, a backward liveness over its blocks, each block's ops followed
 *   along their branches (a helper with env counts as reading them all); a flag that
 *   reaches one of the function's returns (or a tail call) unread and unwritten is marked
 *   so, since whether it is live there depends on the callers;
 * - over the program, a fixed point: a callee's flags are live after its return where the
 *   code after a call of it may read them, or passes them on unwritten to a return whose
 *   own flags are live; a tail call's callee returns to its caller's callers. An indirect
 *   call after which a flag may be read, or an indirect jump out of a function whose flags
 *   live on, could be any function's: the flag is then live after every return.
 * A flag that reaches a call (direct or indirect) or a jump to a function unread counts as
 * dead: the callee's flags are what matter after it (a callee that left them alone and a
 * caller that then read them, expecting the first callee's, is not code a compiler makes).
 * An alignment fault's exit counts as no read: a handler that returns runs the same code
 * again, or steps over the insn into the rest of its block.
 * Only a closed program (raise_options.closed: a static executable) leaves flags out at
 * its returns; elsewhere callers in other modules are not seen. Code that discovery did
 * not find runs in the JIT and is not looked at (docs/aot.md, "Flags after a return").
 */
#include <stdlib.h>

#include "raise_internal.h"
#include "../helpers/helpers.h"

#define NZCV RAISE_NZCV

/* Per path through a block's ops: the flags read before being written (r) and those
   written before being read (w); where paths join, r is what any path read first and w
   what every path wrote first. */
struct fl {
    uint64_t r, w;
};

static struct fl join(struct fl a, struct fl b) { return (struct fl){ a.r | b.r, a.w & b.w }; }

/* A way out of a block: the state there and where it goes. */
struct way {
    struct fl s;
    const struct ir_op *op;     /* goto_tb, goto_ptr or exit_tb */
};

enum { MAX_WAYS = 8, MAX_LABELS = 32 };

/* The ways out of block b (its ops' branches followed within it); how many, or -1 when
   the block is not understood. */
static int ways_out(const struct ir_block *b, struct way *ways)
{
    if (!b || b->n_labels > MAX_LABELS)
        return -1;
    struct fl s = { 0, 0 }, at[MAX_LABELS];
    bool seen[MAX_LABELS] = { false }, reached = true;
    int n = 0;
    for (uint32_t k = 0; k < b->n_ops; k++) {
        const struct ir_op *op = &b->ops[k];
        if (op->opc >= IR_NUM_OPS || op->nout + op->nin > IR_MAX_ARGS)
            return -1;
        unsigned fl = ir_op_info[op->opc].flags;
        const uint64_t *in = ir_op_ins_c(op), *out = ir_op_outs_c(op), *c = ir_op_consts_c(op);
        if (op->opc == IR_set_label) {
            if (c[0] >= MAX_LABELS)
                return -1;
            if (seen[c[0]])
                s = reached ? join(s, at[c[0]]) : at[c[0]];
            reached = reached || seen[c[0]];
            continue;
        }
        if (!reached)
            continue;
        uint64_t rd = 0, wr = 0;
        for (unsigned a = 0; a < op->nin; a++)
            if (in[a] < IR_NUM_GLOBALS)
                rd |= 1ull << in[a];
        for (unsigned a = 0; a < op->nout; a++)
            if (out[a] < IR_NUM_GLOBALS)
                wr |= 1ull << out[a];
        if ((fl & IR_F_CALL) &&
            (c[0] >= IR_NUM_HELPERS || ir_helper_takes_env(&ir_helpers[c[0]])))
            rd |= NZCV;         /* it can see all of struct cpu */
        s.r |= rd & NZCV & ~s.w;
        s.w |= wr & NZCV & ~s.r;
        if (op->opc == IR_br || op->opc == IR_brcond_i32) {
            uint64_t l = op->opc == IR_br ? c[0] : c[1];
            if (l >= MAX_LABELS)
                return -1;
            at[l] = seen[l] ? join(at[l], s) : s;
            seen[l] = true;
            reached = op->opc == IR_brcond_i32;
            continue;
        }
        if (fl & IR_F_BLOCK_END) {
            if (n == MAX_WAYS)
                return -1;
            ways[n++] = (struct way){ s, op };
            reached = false;
            continue;
        }
        if (fl & IR_F_BB_END)   /* another kind of branch */
            return -1;
    }
    return reached ? -1 : n;
}

/* Flag liveness within one function: per block, the flags that may be read before being
   written from its start (live) and those that may reach one of its returns (or a tail
   call) neither read nor written (ret). */
struct fn_flags {
    const struct rprog *p;
    const struct raise_function *f;
    struct bkey *keys;          /* its blocks by key, sorted */
    uint64_t *live, *ret;
};

static long index_of(const struct fn_flags *ff, uint32_t key)
{
    struct bkey k = { .key = key };
    const struct bkey *e = bsearch(&k, ff->keys, ff->f->nblocks, sizeof(k), raise_cmp_bkey);
    return e ? (long)e->idx : -1;
}

/* What follows a jump to key: (live, ret) of the block there. */
static void after_jump(const struct fn_flags *ff, uint32_t key, uint64_t *live, uint64_t *ret)
{
    const struct pent *e = raise_prog_find(ff->p, key);
    if (e && &ff->p->fns[e->idx] != ff->f) {    /* a tail call: its returns are f's */
        *ret |= NZCV;
        return;
    }
    long j = index_of(ff, key);
    if (j < 0) {
        *live |= NZCV;
        return;
    }
    *live |= ff->live[j];
    *ret |= ff->ret[j];
}

/* (live, ret) after a way out of block d. */
static void after_way(const struct fn_flags *ff, const struct xl_dblock *d, const struct ir_op *op,
                      uint64_t *live, uint64_t *ret)
{
    const uint64_t *c = ir_op_consts_c(op);
    if (op->opc == IR_goto_tb) {
        if (d->kind == XL_END_CALL && (uint32_t)c[0] == d->callee)
            return;     /* a direct call: the callee's flags count after it */
        after_jump(ff, (uint32_t)c[0], live, ret);
        return;
    }
    if (op->opc == IR_goto_ptr) {
        if (d->kind == XL_END_RETURN)
            *ret |= NZCV;
        else if (d->kind == XL_END_TABLE)
            for (uint32_t i = 0; i < d->nsucc; i++)
                after_jump(ff, d->succ[i], live, ret);
        else if (d->kind != XL_END_CALL_IND && d->kind != XL_END_INDIRECT)
            *live |= NZCV;
        /* an indirect call, or a jump to a function: the same as a direct call */
        return;
    }
    /* An alignment fault: a handler that returns runs this insn again, or steps over it
       into the rest of the block. The exits that end a block (an undefined insn, a
       breakpoint, no code) read them all: the insn after one, where such a handler
       resumes, is no successor. */
    if (c[0] == IR_EXIT_ALIGN)
        return;
    if (c[0] == IR_EXIT_SYSCALL && d->kind == XL_END_EXIT && d->nsucc == 1)
        after_jump(ff, d->succ[0], live, ret);
    else
        *live |= NZCV;
}

/* Fills ff (live and ret of every block of f): a backward fixed point over its blocks.
   Returns 0, or -1 when out of memory. */
static int fn_flags(struct fn_flags *ff)
{
    uint32_t n = ff->f->nblocks;
    ff->keys = malloc((n + 1) * sizeof(*ff->keys));
    ff->live = calloc(n + 1, sizeof(*ff->live));
    ff->ret = calloc(n + 1, sizeof(*ff->ret));
    if (!ff->keys || !ff->live || !ff->ret)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        const struct xl_dblock *d = ff->f->blocks[i].d;
        ff->keys[i] = (struct bkey){ d ? d->addr | d->thumb : 0, i };
    }
    qsort(ff->keys, n, sizeof(*ff->keys), raise_cmp_bkey);
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t i = n; i-- > 0;) {
            const struct raise_block *b = &ff->f->blocks[i];
            struct way ways[MAX_WAYS];
            int nw = b->d ? ways_out(b->ir, ways) : -1;
            uint64_t live = nw < 0 ? NZCV : 0, ret = 0;
            for (int w = 0; w < nw; w++) {
                uint64_t l = 0, r = 0;
                after_way(ff, b->d, ways[w].op, &l, &r);
                live |= ways[w].s.r | (l & ~ways[w].s.w);
                ret |= r & ~ways[w].s.w & ~ways[w].s.r;
            }
            if ((live | ff->live[i]) != ff->live[i] || (ret | ff->ret[i]) != ff->ret[i]) {
                ff->live[i] |= live;
                ff->ret[i] |= ret;
                changed = true;
            }
        }
    }
    return 0;
}

static void fn_flags_free(struct fn_flags *ff)
{
    free(ff->keys);
    free(ff->live);
    free(ff->ret);
}

/* The function whose entry is key, or -1. */
static long func_of(const struct rprog *p, uint32_t key)
{
    const struct pent *e = raise_prog_find(p, key);
    return e ? (long)e->idx : -1;
}

/* What a call site or a jump out of a function asks of the flags after a return. */
struct site {
    uint32_t from;      /* the function the call is in */
    long to;            /* the callee; -1: an indirect call or jump (any function) */
    uint64_t live;      /* flags read after the call before being written */
    uint64_t ret;       /* flags that reach from's own return unwritten */
    bool tail;          /* a jump: to's returns are from's (live, ret unused) */
};

static int add_site(struct site **v, size_t *n, size_t *cap, struct site s)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        struct site *nv = realloc(*v, c * sizeof(*nv));
        if (!nv)
            return -1;
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = s;
    return 0;
}

/* The call sites and jumps out of function i into sites; ff gets its blocks' flags. */
static int sites_of(const struct rprog *p, uint32_t i, struct fn_flags *ff_out,
                    struct site **v, size_t *n, size_t *cap)
{
    struct fn_flags ff = { .p = p, .f = &p->fns[i] };
    int rc = fn_flags(&ff);
    *ff_out = ff;
    for (uint32_t k = 0; rc == 0 && k < ff.f->nblocks; k++) {
        const struct xl_dblock *d = ff.f->blocks[k].d;
        if (!d)
            continue;
        if (d->kind == XL_END_CALL || d->kind == XL_END_CALL_IND) {
            struct site s = { .from = i, .to = -1 };
            if (d->kind == XL_END_CALL)
                s.to = func_of(p, d->callee);
            long j = index_of(&ff, d->end | d->thumb);
            s.live = j < 0 ? NZCV : ff.live[j];
            s.ret = j < 0 ? 0 : ff.ret[j];
            if ((d->kind == XL_END_CALL_IND || s.to >= 0) && add_site(v, n, cap, s) != 0)
                rc = -1;
            continue;
        }
        if (d->kind == XL_END_INDIRECT) {     /* a jump to some function: its returns are ours */
            if (add_site(v, n, cap, (struct site){ .from = i, .to = -1, .tail = true }) != 0)
                rc = -1;
            continue;
        }
        if (d->kind == XL_END_RETURN || d->kind == XL_END_EXIT)
            continue;
        for (uint32_t s = 0; s < d->nsucc; s++) {
            long g = func_of(p, d->succ[s]);
            if (g >= 0 && (uint32_t)g != i &&
                add_site(v, n, cap, (struct site){ .from = i, .to = g, .tail = true }) != 0)
                rc = -1;
        }
    }
    return rc;
}

int raise_flags_analysis(struct rprog *p)
{
    size_t n = p->nfns, nsites = 0, cap = 0;
    uint64_t *dead = calloc(n + 1, sizeof(*dead));
    uint64_t **live = calloc(n + 1, sizeof(*live));
    struct fn_flags *ff = calloc(n + 1, sizeof(*ff));
    struct site *sites = NULL;
    int rc = -1;
    if (!dead || !live || !ff)
        goto out;
    for (size_t i = 0; i < n; i++) {
        dead[i] = p->o->closed ? RAISE_NZCV : 0;
        if (!p->skip[i] && sites_of(p, (uint32_t)i, &ff[i], &sites, &nsites, &cap) != 0)
            goto out;
    }
    uint64_t everywhere = RAISE_NZCV;   /* what no indirect call or jump makes live */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t k = 0; k < nsites; k++) {
            const struct site *s = &sites[k];
            /* what must stay live after to returns */
            uint64_t need = s->tail ? RAISE_NZCV & ~dead[s->from]
                                    : s->live | (s->ret & ~dead[s->from]);
            uint64_t *d = s->to >= 0 ? &dead[s->to] : &everywhere;
            if (*d & need) {
                *d &= ~need;
                changed = true;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        dead[i] &= everywhere;
        if (!ff[i].live)
            continue;
        /* a block's flags: read from it on, or returned unread to a caller that reads them */
        uint32_t nb = p->fns[i].nblocks;
        for (uint32_t j = 0; j < nb; j++)
            ff[i].live[j] |= ff[i].ret[j] & ~dead[i];
        live[i] = ff[i].live;
        ff[i].live = NULL;
    }
    p->dead_out = dead;
    p->flags_live = live;
    dead = NULL;
    live = NULL;
    rc = 0;
out:
    for (size_t i = 0; ff && i < n; i++)
        fn_flags_free(&ff[i]);
    free(ff);
    free(sites);
    free(dead);
    if (live)
        for (size_t i = 0; i < n; i++)
            free(live[i]);
    free(live);
    return rc;
}
