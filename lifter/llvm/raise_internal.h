/*
 * The raiser's insides, shared by its files (raise.h is the interface; the design is in
 * raise.c's head comment):
 *   raise.c        the driver: raising one function, modules, threads, emission
 *   raise_state.c  struct cpu, the slots of µIR globals and temps, small utilities
 *   raise_flow.c   control flow, calls and exits
 *   raise_ops.c    µIR ops -> LLVM instructions
 *   raise_vec.c    the Advanced SIMD op, and Q registers as 128-bit values
 *   raise_pairs.c  which two 64-bit ops make one 128-bit operation
 */
#ifndef XL_RAISE_INTERNAL_H
#define XL_RAISE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "known.h"
#include "raise.h"

/* ---- program-wide, read-only while threads run ---- */

struct pent {
    uint32_t key;           /* entry | thumb */
    uint32_t idx;           /* index in fns */
};

struct rprog {
    const struct raise_function *fns;
    size_t nfns;
    struct pent *ents;      /* sorted by key, duplicates removed */
    size_t nents;
    bool *skip;             /* duplicate entries: never raised */
    bool *failed;           /* written only by the thread that owns the function */
    uint64_t *dead_in;      /* per function: raise_dead_on_entry's globals */
    uint64_t *dead_out;     /* per function: the flags dead after it returns (raise_flags.c) */
    uint64_t **flags_live;  /* per function, per block: the flags that may be read from its
                               start on (raise_flags.c); a NULL row: all */
    bool *recursive;        /* per function: on a call-graph cycle (raise_find_recursion) */
    const struct raise_options *o;
    enum raise_emit emit;
    unsigned jobs;
    bool progress;
    atomic_uint done;
    pthread_mutex_t lock;   /* stderr lines */
};

/* ---- one module (one thread) ---- */

struct rmod {
    struct rprog *p;
    unsigned index;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMTargetMachineRef tm;
    LLVMBuilderRef bld, abld;   /* code, and the entry block's allocas */
    LLVMTypeRef i1, i8, i16, i32, i64, ptr, vd, fnty;
    LLVMTypeRef fastty, retty;  /* raised functions' own prototype and its result */
    unsigned md_scope, md_noalias;
    LLVMValueRef guest_scopes;  /* !{!"xl.guest" scope} as a value */
    char path[4096];
    char err[256];
    int rc;
};

/*
 * Calls in host registers (docs/aot.md): every raised function is `{i64, i32 x 10, float
 * x 5} xl_aotf_*(ptr cpu, i32 x 10, float x 5)` in x86_regcallcc, taking and returning
 * these guest registers (each value comes back in the register it went in): r0-r7, sp
 * and lr in general registers, r8-r12 in xmm registers (regcall has no more general ones;
 * a float's bits are the register's); struct cpu holds the others. The result's i64 (in
 * cpu's register) is the return key: pc | thumb where the function returned to, which the
 * callee does not store in struct cpu; a value above 2^32 (cpu itself, from a retired or
 * failed function's bare `ret`) means struct cpu holds pc and thumb (the callee's entry,
 * stored by the caller). `void xl_aot_*(ptr cpu)` wraps it for the runtime: it loads them
 * from struct cpu, calls, stores them back.
 */
#define RAISE_NREGS 15
#define RAISE_NGPR 10                                   /* the first ten: i32 */
extern const unsigned raise_regs[RAISE_NREGS];          /* r0-r7, sp, lr, r8-r12 */
#define RAISE_REGS_MASK 0x7fffull                       /* a bit per global of raise_regs */
/* The type raise_regs[i] is passed as, and its value (i32) to and from that type. */
LLVMTypeRef raise_reg_type(struct rmod *m, unsigned i);
LLVMValueRef raise_reg_to_arg(struct rmod *m, LLVMBuilderRef b, unsigned i, LLVMValueRef v);
LLVMValueRef raise_reg_from_arg(struct rmod *m, LLVMBuilderRef b, unsigned i, LLVMValueRef v);

/* ---- one function ---- */

struct bkey {
    uint32_t key;
    uint32_t idx;
};

/* Two ops raised as one 128-bit operation (raise_pairs.c): at the first op, or at the
   second (late) where the second's inputs are not ready at the first. */
struct vpair {
    int32_t mate;                   /* the other op's index, or -1 */
    bool late;
};

struct rfn {
    struct rmod *m;
    const struct raise_function *f;
    LLVMValueRef fn, cpu;           /* fn: the xl_aotf_* function */
    LLVMBasicBlockRef entry;
    LLVMValueRef entry_lr, entry_sp;    /* r14, r13 at entry (arguments) */
    LLVMValueRef call_sp;           /* r13 at the last call of a raised function */
    LLVMBasicBlockRef *bb;          /* per raise_block */
    /* raise_find_loops: per block, per successor (at back_off[block] + index in succ[]),
       whether that edge closes a cycle; NULL: every jump to a lower address does */
    bool *back;
    uint32_t *back_off;
    struct bkey *keys;              /* sorted (addr | thumb) -> block */
    uint32_t nkeys;
    bool gused[IR_NUM_GLOBALS];
    bool gwritten[IR_NUM_GLOBALS];  /* an output of some op: only these need syncing */
    LLVMValueRef gslot[IR_NUM_GLOBALS];
    /* d2q and d2q+1 share one <2 x i64> slot: a pair reads or writes them as one value
       (raise_pairs.c), which SROA then keeps in a vector register across the function. */
    bool qslot[16];
    struct vpair *vpair;            /* per op of the block: raise_vec_pairs' pairing */
    LLVMValueRef *vhigh;            /* per op: the high half its pair's first op computed */
    LLVMValueRef *loc[2];           /* per temp index, per type */
    /* The value a global or temp slot holds at the end of the LLVM block the builder is
     * in, if that block already loaded or stored it: no reload of what is known. */
    struct tcache { LLVMValueRef v; LLVMBasicBlockRef bb; } gc[IR_NUM_GLOBALS], *lc[2];
    uint32_t nloc;
    const struct raise_block *rb;
    const struct ir_block *b;
    LLVMBasicBlockRef *labels;
    uint32_t cap_labels;
    const char *fail;
};

/* ---- raise_state.c: utilities ---- */

/* Records why r cannot be raised; the first reason is kept. */
void raise_fail(struct rfn *r, const char *why);
int raise_cmp_pent(const void *a, const void *b);     /* by key, for qsort and bsearch */
int raise_cmp_bkey(const void *a, const void *b);     /* likewise */
/* The symbol of the raised function at key (entry | thumb): xl_aot_<hex>_<a|t>. */
void raise_fn_name(char *buf, size_t n, uint32_t key);
/* Gives a raised function hidden visibility (raise_state.c says why). */
void raise_hide(LLVMValueRef fn);
/* The program's function entered at key, or NULL. */
const struct pent *raise_prog_find(const struct rprog *p, uint32_t key);
/* The known routine (known.h) f is (by its name), or KNOWN_NONE; none with no_known. */
enum known_routine raise_known_of(const struct rprog *p, const struct raise_function *f);
/* The known routine (known.h) the function at key is, or KNOWN_NONE. */
enum known_routine raise_known_at(const struct rprog *p, uint32_t key);
/* Weights the conditional branch br so that its true side is rare (a slow path). */
void raise_unlikely(struct rmod *m, LLVMValueRef br);
/* Adds the enum attribute `name` to fn at idx (LLVMAttributeFunctionIndex or a parameter). */
void raise_add_fn_attr(struct rmod *m, LLVMValueRef fn, unsigned idx, const char *name);
/* The wrapper (void (ptr cpu)) of the raised function at key, declared in this module if it
   is defined elsewhere; raise_prog_fast the same for the function itself. */
LLVMValueRef raise_prog_fn(struct rmod *m, uint32_t key);
LLVMValueRef raise_prog_fast(struct rmod *m, uint32_t key);
/* Gives function or call v the raised functions' calling convention (raise_state.c). */
void raise_fast_cc(struct rmod *m, LLVMValueRef v, bool call);
/* The symbol of the raised function itself at key: xl_aotf_<hex>_<a|t>. */
void raise_fast_name(char *buf, size_t n, uint32_t key);
/* A runtime entry point (runtime/aot.h), declared on first use. */
LLVMValueRef raise_rt_fn(struct rmod *m, const char *name, LLVMTypeRef ty);
/* A call of fn at m's code builder. */
LLVMValueRef raise_call(struct rmod *m, LLVMValueRef fn, LLVMValueRef *args, unsigned n);
/* The LLVM type of a µIR type: i64 for IR_I64, else i32. */
LLVMTypeRef raise_ty_of(struct rmod *m, unsigned t);

/* ---- raise_state.c: struct cpu and temps ---- */

/* A load of struct cpu at byte offset off, with bld (!noalias "xl.guest"). */
LLVMValueRef raise_cpu_load(struct rfn *r, LLVMBuilderRef bld, LLVMTypeRef ty, unsigned off);
/* A store of v to struct cpu at byte offset off (!noalias "xl.guest"). */
void raise_cpu_store(struct rfn *r, LLVMValueRef v, unsigned off);
/* Loads slot (cached in c), or the value the current block last loaded or stored there. */
LLVMValueRef raise_slot_load(struct rfn *r, struct tcache *c, LLVMTypeRef ty, LLVMValueRef slot);
/* Stores v to slot and remembers it in c for the current block. */
void raise_slot_store(struct rfn *r, struct tcache *c, LLVMValueRef v, LLVMValueRef slot);
/* Stores back to struct cpu the globals the function writes (before calls out, returns). */
void raise_sync_globals(struct rfn *r);
/* The same, but for the globals in `dead` (a bit per global): a callee's raise_dead_on_entry. */
void raise_sync_globals_but(struct rfn *r, uint64_t dead);
/* Reloads from struct cpu the globals the function uses (after calls that return). */
void raise_reload_globals(struct rfn *r);
/* The same, but not the globals in `dead`: their slots keep what they held (a loop's
   dead registers at its head after xl_aot_interrupt). */
void raise_reload_globals_but(struct rfn *r, uint64_t dead);
/* The value of temp t: its constant, or its slot's. */
LLVMValueRef raise_get(struct rfn *r, uint64_t t);
/* Stores v into temp t, converting between i32 and i64 if the op's types disagree. */
void raise_set(struct rfn *r, uint64_t t, LLVMValueRef v);
/* Value of t as an integer of type ty (helper arguments). */
LLVMValueRef raise_get_as(struct rfn *r, uint64_t t, LLVMTypeRef ty);

/* The arguments of a call of a raised function (cpu, then raise_regs' slots; undef for the
   globals in `dead`) into args[1 + RAISE_NREGS]. */
void raise_fast_args(struct rfn *r, LLVMValueRef *args, uint64_t dead);
/* The registers a call of a raised function returned, into their slots. */
void raise_take_results(struct rfn *r, LLVMValueRef call);
/* Returns key (i64) and v[RAISE_NREGS], the values of raise_regs in order. */
void raise_ret_values(struct rfn *r, LLVMValueRef key, LLVMValueRef *v);
/* The return key of pc and thumb (i32 each): pc | thumb as an i64, or no key (cpu) for an
   ARM pc with bit 1 set, which struct cpu must then hold. */
LLVMValueRef raise_key_of(struct rfn *r, LLVMValueRef pc, LLVMValueRef thumb);
/* Returns raise_regs' slots (the other globals are where they belong already, but for pc
   and thumb) with key, or with the key of the pc and thumb slots if key is NULL. */
void raise_ret_regs_key(struct rfn *r, LLVMValueRef key);
void raise_ret_regs(struct rfn *r);
/* Returns raise_regs and the key as struct cpu holds them (the whole state is there). */
void raise_ret_cpu(struct rfn *r);
/* Stores the pc and thumb of a raised function's returned key to struct cpu (an
   interworking write: an ARM key's bit 1 is cleared), unless it is no key (above 2^32: the
   callee was retired or failed, and struct cpu holds its entry). */
void raise_store_key(struct rfn *r, LLVMValueRef key);
/* The argument of r's function that global g comes in (as i32, converted with b), or NULL
   (not one of raise_regs). */
LLVMValueRef raise_reg_param(struct rfn *r, LLVMBuilderRef b, unsigned g);

/* ---- raise_flow.c: control flow, calls and exits ---- */

/* Whether the builder's current block already ends in a terminator. */
bool raise_terminated(LLVMBuilderRef bld);
/* Code after a terminator (dead, or reached through a later label) goes to a fresh block. */
void raise_ensure_open(struct rfn *r);
/* The LLVM block of label l of the current µIR block, made on first use. */
LLVMBasicBlockRef raise_label_bb(struct rfn *r, uint64_t l);
/* The host version of known routine kr, in front of the translated body (body, where a
   failed guard goes): its first block, which works on the function's arguments alone. */
LLVMBasicBlockRef raise_known_block(struct rfn *r, enum known_routine kr,
                                    LLVMBasicBlockRef body);
/* goto_tb: a branch in the function, a call, a tail call, or a run in the runtime. */
void raise_goto_tb(struct rfn *r, uint32_t target);
/* goto_ptr: a computed jump (a table of targets), a return, an indirect call, or a run. */
void raise_goto_ptr(struct rfn *r);
/* exit_tb: a system call, an exit to the runtime, or a run in the runtime. */
void raise_exit_tb(struct rfn *r, const struct ir_op *op, uint64_t reason);
/* Finds the edges of r's function where its loops' signal checks go (raise_flow.c). */
void raise_find_loops(struct rfn *r);
/* Per function of p: whether it is on a cycle of the call graph; NULL if out of memory. */
bool *raise_find_recursion(const struct rprog *p);
/* A signal check at the entry of r's function (one on a call-graph cycle). */
void raise_entry_check(struct rfn *r);
/* The globals (a bit each) whose values at a call of f are dead (raise_flow.c). */
uint64_t raise_dead_on_entry(const struct raise_function *f);

/* ---- raise_flags.c ---- */

#define RAISE_NZCV (1ull << IR_G_NF | 1ull << IR_G_ZF | 1ull << IR_G_CF | 1ull << IR_G_VF)
/* Sets p->dead_out (the flags no code reads after each function returns; 0 unless
   p->o->closed) and p->flags_live. Returns 0, or -1 when out of memory. */
int raise_flags_analysis(struct rprog *p);

/* ---- raise_pairs.c ---- */

/* Whether temp t is one of the D registers (globals). */
static inline bool raise_is_d(uint64_t t) { return t >= IR_G_D0 && t < IR_G_D0 + 32; }
/* Pairs the ops of b that do one thing to the two halves of Q registers (vec_i64 kinds,
   moves to a Q register, stores of 16 adjacent bytes): pair[k].mate is the other op of op
   k's pair, or -1. Marks in qslot (if not NULL) the Q registers some pair reads or writes
   as a whole. */
void raise_vec_pairs(const struct ir_block *b, struct vpair *pair, bool *qslot);

/* ---- raise_ops.c ---- */

/* The host pointer of the guest address in temp addr (a constant offset folded in). */
LLVMValueRef raise_guest_ptr(struct rfn *r, uint64_t addr);
/* One µIR op as LLVM instructions at the builder's position. */
void raise_op(struct rfn *r, const struct ir_op *op);
/* raise_vec.c: a vec_i64 op, as LLVM vector instructions where there is a direct form. */
void raise_vec(struct rfn *r, const struct ir_op *op);
/* raise_vec.c: if op is one of a pair (raise_vec_pairs), raises it as such and returns
   true (vec_i64, mov_i64 and st_i64 ops). */
bool raise_vec_paired(struct rfn *r, const struct ir_op *op);
/* A call of the overloaded intrinsic `name` on type ty. */
LLVMValueRef raise_intrinsic(struct rmod *m, const char *name, LLVMTypeRef ty,
                             LLVMValueRef *args, unsigned n);
struct ir_helper_info;
/* The declaration of helper h (its bitcode body is linked in and inlined later). */
LLVMValueRef raise_helper_fn(struct rmod *m, const struct ir_helper_info *h);

#endif
