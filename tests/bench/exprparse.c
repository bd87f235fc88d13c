/* A parser: a tokenizer and a recursive-descent (precedence-climbing) parser that evaluates
 * C-like integer expressions (| ^ & << >> + - * / % unary - ~, parentheses, decimal and hex
 * numbers, variables a..z) from text. The text is printed from random expression trees with
 * only the parentheses that precedence needs (and some spare ones, and random blanks).
 * Self-check: each parse must give the value of evaluating its tree directly. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

enum { NEXPR = 150, MAXNODES = 1 << 18, TEXTLEN = 1 << 20 };

struct node { char op; uint8_t var; uint16_t pad; uint32_t num; int32_t l, r; };
static struct node nodes[MAXNODES];
static int nnodes;
static char text[TEXTLEN];
static size_t tlen;
static uint32_t vars[26];
static uint32_t seed = 77;

static uint32_t rnd(void)
{
    seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
    return seed;
}

/* The arithmetic, shared by both evaluators: defined for every input. */
static uint32_t apply(char op, uint32_t a, uint32_t b)
{
    switch (op) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '<': return a << (b & 31);
    case '>': return a >> (b & 31);
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b ? a / b : 0;
    case '%': return b ? a % b : a;
    }
    return 0;
}

static int prec(char op)
{
    switch (op) {
    case '|': return 1;
    case '^': return 2;
    case '&': return 3;
    case '<': case '>': return 4;
    case '+': case '-': return 5;
    case '*': case '/': case '%': return 6;
    case 'n': case '~': return 7;       /* unary minus, complement */
    }
    return 8;                           /* number, variable */
}

static int gen(int depth)
{
    int i = nnodes++;
    struct node *n = &nodes[i];
    uint32_t k = rnd();
    if (depth == 0 || k % 8 == 0 || nnodes > MAXNODES - 4) {
        if (k & 0x100)
            n->op = 'v', n->var = (uint8_t)((k >> 9) % 26);
        else
            n->op = '#', n->num = (k >> 12) % ((k & 0x200) ? 100000u : 16u);
        return i;
    }
    if (k % 16 == 1) {
        n->op = (k & 0x100) ? 'n' : '~';
        n->l = gen(depth - 1);
        return i;
    }
    static const char ops[] = "|^&<>+-*/%+-*+";
    n->op = ops[(k >> 4) % (sizeof ops - 1)];
    n->l = gen(depth - 1);
    nodes[i].r = gen(depth - 1);
    return i;
}

static uint32_t eval_tree(int i)
{
    const struct node *n = &nodes[i];
    switch (n->op) {
    case '#': return n->num;
    case 'v': return vars[n->var];
    case 'n': return 0u - eval_tree(n->l);
    case '~': return ~eval_tree(n->l);
    }
    return apply(n->op, eval_tree(n->l), eval_tree(n->r));
}

static void put(const char *s)
{
    while (*s)
        text[tlen++] = *s++;
    if (rnd() % 4 == 0)
        text[tlen++] = ' ';
}

/* Parenthesized when the child binds less tightly than its place needs; sometimes anyway. */
static void print(int i, int need)
{
    const struct node *n = &nodes[i];
    int p = prec(n->op);
    int paren = p < need || rnd() % 16 == 0;
    char buf[16];
    if (paren)
        put("(");
    switch (n->op) {
    case '#':
        snprintf(buf, sizeof buf, (n->num & 1) ? "0x%x" : "%u", n->num);
        put(buf);
        break;
    case 'v':
        buf[0] = (char)('a' + n->var), buf[1] = 0;
        put(buf);
        break;
    case 'n':
    case '~':
        put(n->op == 'n' ? "-" : "~");
        print(n->l, 7);
        break;
    default:
        print(n->l, p);                 /* left-associative: the right side needs more */
        put(n->op == '<' ? "<<" : n->op == '>' ? ">>" : (char[]){ n->op, 0 });
        print(n->r, p + 1);
        break;
    }
    if (paren)
        put(")");
}

/* ---- the parser ---- */

static const char *pp;

static void skip(void)
{
    while (*pp == ' ')
        pp++;
}

static uint32_t parse_bin(int minprec);

static uint32_t parse_unary(void)
{
    skip();
    char c = *pp;
    if (c == '-' || c == '~') {
        pp++;
        uint32_t v = parse_unary();
        return c == '-' ? 0u - v : ~v;
    }
    if (c == '(') {
        pp++;
        uint32_t v = parse_bin(1);
        skip();
        if (*pp++ != ')')
            return 0xdeadbeefu;
        return v;
    }
    if (c >= 'a' && c <= 'z') {
        pp++;
        return vars[c - 'a'];
    }
    uint32_t v = 0;
    if (c == '0' && pp[1] == 'x') {
        for (pp += 2;; pp++) {
            char d = *pp;
            if (d >= '0' && d <= '9')
                v = v * 16 + (uint32_t)(d - '0');
            else if (d >= 'a' && d <= 'f')
                v = v * 16 + (uint32_t)(d - 'a' + 10);
            else
                break;
        }
        return v;
    }
    while (*pp >= '0' && *pp <= '9')
        v = v * 10 + (uint32_t)(*pp++ - '0');
    return v;
}

/* The binary operator at pp (its one-letter code), 0 at the end of the expression. */
static char peek_op(int *len)
{
    skip();
    *len = 1;
    switch (*pp) {
    case '|': case '^': case '&': case '+': case '-': case '*': case '/': case '%':
        return *pp;
    case '<': case '>':
        *len = 2;
        return pp[1] == pp[0] ? *pp : 0;
    }
    return 0;
}

static uint32_t parse_bin(int minprec)
{
    uint32_t lhs = parse_unary();
    for (;;) {
        int len;
        char op = peek_op(&len);
        if (!op || prec(op) < minprec)
            return lhs;
        pp += len;
        uint32_t rhs = parse_bin(prec(op) + 1);
        lhs = apply(op, lhs, rhs);
    }
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 100;
    static size_t start[NEXPR];
    static int root[NEXPR];
    for (int e = 0; e < NEXPR; e++) {
        root[e] = gen(9);
        start[e] = tlen;
        print(root[e], 1);
        text[tlen++] = ';';
        text[tlen++] = 0;
    }
    uint32_t sum = 0;
    for (int r = 0; r < scale * 2; r++) {
        for (int v = 0; v < 26; v++)
            vars[v] = rnd() >> (r % 24);
        for (int e = 0; e < NEXPR; e++) {
            pp = text + start[e];
            uint32_t got = parse_bin(1);
            skip();
            uint32_t want = eval_tree(root[e]);
            if (got != want || *pp != ';') {
                printf("exprparse: self-check failed: round %d, expression %d: parsed %u, "
                       "tree %u, stopped at '%.20s'\n", r, e, got, want, pp);
                return 1;
            }
            sum = sum * 33 + got;
        }
    }
    printf("checksum %08x %d %zu\n", sum, nnodes, tlen);
    return 0;
}
