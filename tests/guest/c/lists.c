/* Linked lists and trees: singly/doubly linked, reverse, merge sort on lists, an unbalanced
 * BST with deletion, and a hash table with chaining. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    int v;
    struct node *next;
};
static struct node *push(struct node *h, int v)
{
    struct node *n = malloc(sizeof(*n));
    n->v = v;
    n->next = h;
    return n;
}
static struct node *reverse(struct node *h)
{
    struct node *r = NULL;
    while (h) {
        struct node *n = h->next;
        h->next = r;
        r = h;
        h = n;
    }
    return r;
}
static struct node *merge(struct node *a, struct node *b)
{
    struct node head, *t = &head;
    while (a && b) {
        if (a->v <= b->v) {
            t->next = a;
            a = a->next;
        } else {
            t->next = b;
            b = b->next;
        }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}
static struct node *msort(struct node *h)
{
    if (!h || !h->next)
        return h;
    struct node *slow = h, *fast = h->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    struct node *b = slow->next;
    slow->next = NULL;
    return merge(msort(h), msort(b));
}

struct tree {
    int key;
    struct tree *l, *r;
};
static struct tree *insert(struct tree *t, int k)
{
    if (!t) {
        t = calloc(1, sizeof(*t));
        t->key = k;
        return t;
    }
    if (k < t->key)
        t->l = insert(t->l, k);
    else if (k > t->key)
        t->r = insert(t->r, k);
    return t;
}
static struct tree *delete(struct tree *t, int k)
{
    if (!t)
        return NULL;
    if (k < t->key)
        t->l = delete(t->l, k);
    else if (k > t->key)
        t->r = delete(t->r, k);
    else {
        if (!t->l || !t->r) {
            struct tree *c = t->l ? t->l : t->r;
            free(t);
            return c;
        }
        struct tree *m = t->r;
        while (m->l)
            m = m->l;
        t->key = m->key;
        t->r = delete(t->r, m->key);
    }
    return t;
}
static int height(struct tree *t)
{
    if (!t)
        return 0;
    int a = height(t->l), b = height(t->r);
    return 1 + (a > b ? a : b);
}
static long inorder(struct tree *t, long acc)
{
    if (!t)
        return acc;
    acc = inorder(t->l, acc);
    acc = acc * 3 + t->key;
    return inorder(t->r, acc % 1000000007);
}

struct entry {
    char key[16];
    int val;
    struct entry *next;
};

int main(void)
{
    struct node *h = NULL;
    unsigned s = 7;
    for (int i = 0; i < 3000; i++) {
        s = s * 1103515245u + 12345u;
        h = push(h, (int)(s >> 16) % 10000);
    }
    h = reverse(h);
    printf("first after reverse %d\n", h->v);
    h = msort(h);
    long chk = 0;
    int prev = -1, sorted = 1, n = 0;
    for (struct node *p = h; p; p = p->next, n++) {
        sorted &= p->v >= prev;
        prev = p->v;
        chk = (chk * 31 + p->v) % 1000000007;
    }
    printf("list n %d sorted %d chk %ld\n", n, sorted, chk);
    while (h) {
        struct node *nx = h->next;
        free(h);
        h = nx;
    }
    struct tree *t = NULL;
    for (int i = 0; i < 2000; i++) {
        s = s * 1103515245u + 12345u;
        t = insert(t, (int)(s >> 12) % 5000);
    }
    printf("tree height %d inorder %ld\n", height(t), inorder(t, 0));
    for (int k = 0; k < 5000; k += 3)
        t = delete(t, k);
    printf("after delete height %d inorder %ld\n", height(t), inorder(t, 0));
    while (t)
        t = delete(t, t->key);

    struct entry *tab[64] = { 0 };
    for (int i = 0; i < 500; i++) {
        char k[16];
        snprintf(k, sizeof(k), "k%d", i * 7 % 311);
        unsigned hh = 5381;
        for (char *c = k; *c; c++)
            hh = hh * 33 + (unsigned char)*c;
        struct entry **pp = &tab[hh % 64];
        while (*pp && strcmp((*pp)->key, k))
            pp = &(*pp)->next;
        if (!*pp) {
            *pp = calloc(1, sizeof(struct entry));
            strcpy((*pp)->key, k);
        }
        (*pp)->val += i;
    }
    long tot = 0;
    int cnt = 0, longest = 0;
    for (int b = 0; b < 64; b++) {
        int len = 0;
        for (struct entry *e = tab[b]; e; e = e->next, len++, cnt++)
            tot += e->val;
        longest = len > longest ? len : longest;
    }
    printf("hash entries %d total %ld longest %d\n", cnt, tot, longest);
    return 0;
}
