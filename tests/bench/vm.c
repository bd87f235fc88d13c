/* An interpreter with indirect branches: a register bytecode VM dispatched by computed goto
 * (labels as values), running a nested-loop program. Self-check: a short run of the same
 * program must give what the same loops written in C give. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

enum { LDI, ADD, SUB, MUL, XOR, SHR, DEC_JNZ, JMP, MOV, ADDI, AND, HALT };
struct insn { uint8_t op, a, b, c; int32_t imm; };

static uint32_t run(const struct insn *code, uint32_t *r)
{
    static void *const disp[] = { &&ldi, &&add, &&sub, &&mul, &&xor_, &&shr, &&dec_jnz, &&jmp,
                                  &&mov, &&addi, &&and_, &&halt };
    const struct insn *pc = code;
#define NEXT goto *disp[pc->op]
    NEXT;
ldi: r[pc->a] = (uint32_t)pc->imm; pc++; NEXT;
add: r[pc->a] = r[pc->b] + r[pc->c]; pc++; NEXT;
sub: r[pc->a] = r[pc->b] - r[pc->c]; pc++; NEXT;
mul: r[pc->a] = r[pc->b] * r[pc->c]; pc++; NEXT;
xor_: r[pc->a] = r[pc->b] ^ r[pc->c]; pc++; NEXT;
shr: r[pc->a] = r[pc->b] >> (r[pc->c] & 31); pc++; NEXT;
dec_jnz: if (--r[pc->a]) pc = code + pc->imm; else pc++; NEXT;
jmp: pc = code + pc->imm; NEXT;
mov: r[pc->a] = r[pc->b]; pc++; NEXT;
addi: r[pc->a] = r[pc->b] + (uint32_t)pc->imm; pc++; NEXT;
and_: r[pc->a] = r[pc->b] & r[pc->c]; pc++; NEXT;
halt: return r[0];
#undef NEXT
}

/* The bytecode program below, in C. */
static uint32_t reference(uint32_t outer)
{
    uint32_t acc = 1;
    do {
        uint32_t inner = 1000;
        do {
            acc ^= acc * inner;
            acc += acc >> 3;
            acc += 12345;
        } while (--inner);
        acc -= acc & outer;
    } while (--outer);
    return acc;
}

/* The VM running the nested loops with `outer` outer rounds. */
static uint32_t run_program(uint32_t outer)
{
    const struct insn prog[] = {
        { LDI, 0, 0, 0, 1 },                /* 0: acc */
        { LDI, 1, 0, 0, (int32_t)outer },   /* 1: outer counter */
        { LDI, 2, 0, 0, 1000 },             /* 2: inner counter */
        { LDI, 5, 0, 0, 3 },
        { MUL, 3, 0, 2, 0 },                /* 4: inner loop */
        { XOR, 0, 0, 3, 0 },
        { SHR, 4, 0, 5, 0 },
        { ADD, 0, 0, 4, 0 },
        { ADDI, 0, 0, 0, 12345 },
        { DEC_JNZ, 2, 0, 0, 4 },
        { AND, 6, 0, 1, 0 },
        { SUB, 0, 0, 6, 0 },
        { DEC_JNZ, 1, 0, 0, 2 },
        { HALT, 0, 0, 0, 0 },
    };
    uint32_t regs[8] = { 0 };
    return run(prog, regs);
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    uint32_t got = run_program(7), want = reference(7);
    if (got != want) {
        printf("vm: self-check failed: %08x, the C loops say %08x\n", got, want);
        return 1;
    }
    printf("checksum %08x\n", run_program((uint32_t)scale * 600));
    return 0;
}
