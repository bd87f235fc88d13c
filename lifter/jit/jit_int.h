/* The JIT's internal interfaces: code cache, compiled blocks, code generation context. */
#ifndef XL_JIT_INT_H
#define XL_JIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jit.h"
#include "x86_emit.h"

#define JIT_CACHE_SIZE   (64u << 20)    /* one mapping: header (jump cache, stubs), blocks */
#define JIT_JC_BITS      12             /* inline jump cache for goto_ptr: 4096 entries */
#define JIT_JC_SIZE      (1u << JIT_JC_BITS)
#define JIT_HASH_BITS    16             /* (pc, thumb) -> block table */
#define JIT_MAX_SLOTS    2              /* goto_tb chain slots per block */
#define JIT_SPILL_SLOTS  510            /* 8-byte stack slots for locals */
/* The enter trampoline pushes 6 registers; with the return address that is 56 bytes, so
   a frame of 8 mod 16 keeps rsp 16-byte aligned inside blocks (for helper calls). */
#define JIT_FRAME_SIZE   (JIT_SPILL_SLOTS * 8 + 8)
_Static_assert((JIT_FRAME_SIZE + 56) % 16 == 0, "rsp is 16-byte aligned in blocks");

/* Host register that holds struct cpu * while guest code runs; scratch never allocated. */
#define JIT_ENV     X_RBP
#define JIT_SCRATCH X_R11

/* The exit value of the trampoline: reason in bits 7:0, chain slot in 15:8; the block
   that took a chain exit in `tb`. */
struct jit_ret {
    uint64_t reason;
    struct jit_tb *tb;
};

/* Jump-cache entry, read by generated code: key is pc | thumb. */
struct jit_jc_entry {
    uint32_t key, pad;
    void *code;
};
_Static_assert(sizeof(struct jit_jc_entry) == 16, "the probe scales the index by 16");

/* A compiled block. It lives in the code cache right before its code. */
struct jit_tb {
    struct jit_tb *hash_next;
    uint32_t pc;
    uint32_t thumb;
    uint8_t *code;
    uint32_t code_size;
    uint32_t n_slots;
    uint32_t guest_end;                 /* after its last guest insn */
    uint32_t jmp_at[JIT_MAX_SLOTS];     /* offset of the patchable rel32 from code */
    uint32_t stub_at[JIT_MAX_SLOTS];    /* offset of the slot's exit stub (unlinked) */
    uint32_t target[JIT_MAX_SLOTS];     /* goto_tb's guest target: pc | thumb */
    /* The jumps linked into this block, for jit_invalidate to unlink: a list of
       (block | slot) whose next is that block's jmp_next[slot]; 0 ends it. */
    uintptr_t jmp_in;
    uintptr_t jmp_next[JIT_MAX_SLOTS];
    bool dead;                          /* dropped by jit_invalidate, till the next flush */
    uint32_t n_pcmap;
    const struct jit_pcmap *pcmap;      /* after the code: one entry per guest insn */
};

struct jit_pcmap {
    uint32_t host_off, guest_pc;        /* code from host_off on belongs to guest_pc */
};

struct jit {
    struct jit_hooks hooks;
    struct jit_stats stats;
    uint8_t *cache;                     /* JIT_CACHE_SIZE bytes, rwx */
    struct jit_jc_entry *jc;            /* at the start of the cache (rip-relative probes) */
    struct jit_ret (*enter)(struct cpu *cpu, void *code);
    uint8_t *epilogue;                  /* shared exit: eax/rdx hold the jit_ret */
    uint8_t *exit_lookup;               /* mov eax, IR_EXIT_LOOKUP; jmp epilogue */
    uint8_t *exit_interrupt;            /* mov eax, IR_EXIT_INTERRUPT; jmp epilogue */
    uint8_t *code_start, *code_ptr, *code_end;
    uint64_t generation;                /* bumped by every flush */
    struct jit_tb *hash[1u << JIT_HASH_BITS];
    bool has_lzcnt, has_bmi2;
    /* Blocks in cache (= address) order, for jit_guest_pc. */
    struct jit_tb **tbs;
    uint32_t n_tbs, cap_tbs;
    /* jit_exec_until: the current stop; a filter (bit per hash_key) of the keys that have
       ever been stops, never linked into; and of the keys linked into since the last
       flush. A false positive only costs a link or a flush. */
    uint32_t stop;
    uint8_t was_stop[(1u << JIT_HASH_BITS) / 8];
    uint8_t linked_into[(1u << JIT_HASH_BITS) / 8];
    /* Per-compile scratch arrays, grown as needed. */
    struct jit_cg *cg;
};

/* cache.c */
bool jit_cache_init(struct jit *j);
void jit_cache_fini(struct jit *j);
void jit_flush(struct jit *j);
struct jit_tb *jit_lookup(struct jit *j, uint32_t pc, bool thumb);
void jit_insert(struct jit *j, struct jit_tb *tb);
void jit_link(struct jit *j, struct jit_tb *from, unsigned slot, struct jit_tb *to);
/* Nothing reaches tb any more (lookup, jump cache, linked jumps); its memory stays until
   the next flush. */
void jit_drop(struct jit *j, struct jit_tb *tb);
/* Makes key the stop of the coming run (see jit_exec_until); false if it was one before. */
void jit_set_stop(struct jit *j, uint32_t key);
/* key may be linked into (it has never been a stop). */
bool jit_may_link(const struct jit *j, uint32_t key);
static inline uint32_t jit_jc_index(uint32_t key) { return (key >> 1) & (JIT_JC_SIZE - 1); }

/* codegen.c: compiles b at j->code_ptr; NULL when the cache is full. */
struct jit_tb *jit_codegen(struct jit *j, const struct ir_block *b);
void jit_cg_free(struct jit_cg *cg);
/* A helper argument: t's value (w: all 64 bits) into argument register r, after
   ra_before_call (codegen.c). */
void jit_load_arg(struct jit_cg *cg, int r, ir_temp t, bool w);
/* vec.c: an Advanced SIMD op (vec_i64). */
void jit_gen_vec(struct jit_cg *cg, const struct ir_op *op);

#endif
