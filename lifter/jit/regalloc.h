/*
 * Register allocation inside one block: host registers are a cache over the temps' homes
 * (a global's field in struct cpu, a local's 8-byte stack slot). See regalloc.c.
 */
#ifndef XL_JIT_REGALLOC_H
#define XL_JIT_REGALLOC_H

#include "jit_int.h"

#define RA_NONE 0xffffffffu

struct ra_temp {
    int8_t reg;             /* host register, or -1 */
    bool in_mem;            /* the home holds the current value */
    int16_t slot;           /* locals: stack slot, or -1 */
    uint32_t last_use;      /* index of the last op that names the temp */
};

struct cg_fixup {
    uint32_t at, label;     /* rel32 position, label it jumps to */
};

/* The code generation context for one block. */
struct jit_cg {
    struct jit *j;
    const struct ir_block *b;
    struct x86 e;
    uint32_t op;                        /* index of the op being compiled */

    struct ra_temp *t;
    uint32_t cap_t;
    ir_temp reg_temp[16];               /* temp held by each host register, or RA_NONE */
    uint32_t reg_stamp[16];             /* LRU */
    uint32_t stamp;
    uint16_t locked;                    /* registers the current op relies on */
    uint16_t n_used_slots;              /* slots [0, n_used_slots) were handed out */
    uint16_t n_free_slots;              /* ... and these of them came back */
    uint16_t free_slots[JIT_SPILL_SLOTS];

    uint32_t *label_pos;
    uint32_t cap_labels;
    struct cg_fixup *fix;
    uint32_t n_fix, cap_fix;
    struct jit_pcmap *pcmap;
    uint32_t n_pcmap, cap_pcmap;
    uint32_t flags_op;                  /* the setcond that may use the host flags as ... */
    enum x86_cc flags_cc;               /* ... this condition (carry_of_next) */
    int v_reg;                          /* VF's register, zeroed for seto (overflow_follows) */
    uint32_t skip_to;                   /* ops up to here were compiled already (0: none) */
};

#define RA_CALLER_SAVED ((1u << X_RAX) | (1u << X_RCX) | (1u << X_RDX) | (1u << X_RSI) | \
                         (1u << X_RDI) | (1u << X_R8) | (1u << X_R9) | (1u << X_R10) | \
                         (1u << X_R11))

void ra_begin(struct jit_cg *cg);
struct x86_mem ra_home(struct jit_cg *cg, ir_temp t);
/* A register holding t's value, locked for the current op. A constant gets a fresh
   scratch register that belongs to no temp. */
int ra_in(struct jit_cg *cg, ir_temp t);
/* A register to write t into (t's own, or a new one), locked; t's home becomes stale. */
int ra_out(struct jit_cg *cg, ir_temp t);
/* Makes r (a scratch register, or the register of a temp that dies here) hold t. */
void ra_bind_out(struct jit_cg *cg, ir_temp t, int r);
/* True when register r, holding input t, may be overwritten by the op's output. */
bool ra_reusable(struct jit_cg *cg, ir_temp t, int r);
int ra_scratch(struct jit_cg *cg);      /* a free register that belongs to no temp, locked */
void ra_evict(struct jit_cg *cg, int r);/* frees r (moves or spills its temp) and locks it */
/* Basic-block end: store dirty globals (and locals live after this op when `locals`);
   with `forget`, drop every binding (a join point follows). */
void ra_flush(struct jit_cg *cg, bool locals, bool forget);
/* Before a helper call: save and free the caller-saved registers; with `env`, also store
   all dirty globals and drop their bindings (the helper may read or write struct cpu). */
void ra_before_call(struct jit_cg *cg, bool env);
/* After each op: frees locals that died and unlocks registers. */
void ra_end_op(struct jit_cg *cg, const struct ir_op *op);

#endif
