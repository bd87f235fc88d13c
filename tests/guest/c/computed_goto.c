/* guest-aot-levels: O0
 * A bytecode interpreter dispatched by computed goto (labels as values): 600,000 bytecodes.
 * The label table is data pointing at code, so discovery makes each handler a function
 * entry of its own and every dispatch a tail call between raised functions; at -O0 those
 * must still be jumps (a host frame per bytecode overflowed the host stack). */
#include <stdint.h>
#include <stdio.h>

enum { ADD, XOR, ROT, DEC_JNZ, HALT };
struct insn { uint8_t op, a, b; int8_t to; };

__attribute__((noinline)) static uint32_t run(const struct insn *code, uint32_t *r)
{
    static void *const disp[] = { &&add, &&xor_, &&rot, &&dec_jnz, &&halt };
    const struct insn *pc = code;
#define NEXT goto *disp[pc->op]
    NEXT;
add: r[pc->a] += r[pc->b]; pc++; NEXT;
xor_: r[pc->a] ^= r[pc->b] * 0x9e3779b1u; pc++; NEXT;
rot: r[pc->a] = r[pc->a] << 7 | r[pc->a] >> 25; pc++; NEXT;
dec_jnz: pc = --r[pc->a] ? pc + pc->to : pc + 1; NEXT;
halt: return r[1] ^ r[2];
#undef NEXT
}

int main(void)
{
    static const struct insn prog[] = {
        { ADD, 1, 2, 0 }, { XOR, 2, 1, 0 }, { ROT, 1, 0, 0 }, { ROT, 2, 0, 0 },
        { ADD, 2, 3, 0 }, { DEC_JNZ, 0, 0, -5 }, { HALT, 0, 0, 0 },
    };
    uint32_t r[4] = { 100000, 1, 2, 12345 };
    printf("%08x\n", run(prog, r));
    return 0;
}
