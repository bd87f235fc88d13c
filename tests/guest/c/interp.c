/* A small interpreter: an expression parser producing bytecode for a stack VM, and the VM
 * running a few programs (loops, calls), dispatched by a switch. */
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, JZ, JMP, PRINT, HALT, NEG, DUP, CALL, RET };
static int code[512], ncode;
static void emit(int x) { code[ncode++] = x; }

/* expr := term (('+'|'-') term)*; term := factor (('*'|'/'|'%') factor)*;
 * factor := number | var | '(' expr ')' | '-' factor */
static const char *src;
static void expr(void);
static void skip(void) { while (isspace((unsigned char)*src)) src++; }
static void factor(void)
{
    skip();
    if (*src == '(') {
        src++;
        expr();
        skip();
        src++;
    } else if (*src == '-') {
        src++;
        factor();
        emit(NEG);
    } else if (isdigit((unsigned char)*src)) {
        emit(PUSH);
        emit((int)strtol(src, (char **)&src, 10));
    } else {
        emit(LOAD);
        emit(*src++ - 'a');
    }
}
static void term(void)
{
    factor();
    for (;;) {
        skip();
        char c = *src;
        if (c != '*' && c != '/' && c != '%')
            return;
        src++;
        factor();
        emit(c == '*' ? MUL : c == '/' ? DIV : MOD);
    }
}
static void expr(void)
{
    term();
    for (;;) {
        skip();
        char c = *src;
        if (c != '+' && c != '-')
            return;
        src++;
        term();
        emit(c == '+' ? ADD : SUB);
    }
}

static long run(int pc, int *vars)
{
    long stack[64];
    int sp = 0, rs[16], rsp = 0;
    long steps = 0;
    for (;;) {
        steps++;
        switch (code[pc++]) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = vars[code[pc++]]; break;
        case STORE: vars[code[pc++]] = (int)stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case DIV: sp--; stack[sp - 1] /= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case NEG: stack[sp - 1] = -stack[sp - 1]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
        case JMP: pc = code[pc]; break;
        case CALL: rs[rsp++] = pc + 1; pc = code[pc]; break;
        case RET: pc = rs[--rsp]; break;
        case PRINT: printf("print %ld\n", stack[--sp]); break;
        case HALT: return steps;
        }
    }
}

int main(void)
{
    const char *exprs[] = { "1 + 2 * 3", "(1 + 2) * 3", "-(4 - 10) * 7 % 5", "a * b - c / 2",
                            "((a + 1) * (b - 1) + 100) / (c + 1)", "a*a*a - b*b + c*-3" };
    int vars[26] = { 0 };
    vars[0] = 7, vars[1] = -3, vars[2] = 20;
    for (int i = 0; i < 6; i++) {
        ncode = 0;
        src = exprs[i];
        expr();
        emit(PRINT);
        emit(HALT);
        printf("%s => ", exprs[i]);
        fflush(stdout);
        run(0, vars);
    }
    /* loop: s = 0; i = 0; while (i < 1000) { s = s + i * i % 7; i = i + 1 } print s */
    ncode = 0;
    int prog[] = { PUSH, 0, STORE, 18, PUSH, 0, STORE, 8,
                   /* 8: */ LOAD, 8, PUSH, 1000, LT, JZ, 40,
                   LOAD, 18, LOAD, 8, LOAD, 8, MUL, PUSH, 7, MOD, ADD, STORE, 18,
                   LOAD, 8, PUSH, 1, ADD, STORE, 8, CALL, 44, JMP, 8, HALT,
                   /* 40: */ LOAD, 18, PRINT, HALT,
                   /* 44: */ LOAD, 19, PUSH, 3, ADD, STORE, 19, RET };
    memcpy(code, prog, sizeof(prog));
    memset(vars, 0, sizeof(vars));
    long steps = run(0, vars);
    printf("steps %ld t=%d\n", steps, vars[19]);
    return 0;
}
