/*
 * The syscall table (runtime/syscalls*.def) and the conversions of the older and IPC calls
 * (runtime/conv_old.c, conv_ipc.c). The table: every number up to 469 and every
 * ARM-private one has exactly one line; its names are those of the ARM EABI headers of the
 * cross toolchain (when installed), the numbers only the OABI has are refused with ENOSYS;
 * and docs/syscalls.md lists exactly the refused lines, with their errno and reason (on a
 * mismatch the test prints the rows the document should have). Conversion expectations are
 * worked out by hand from the ARM kernel headers (offsets in comments), never copied from
 * output. Pure functions on plain buffers: runs under ASan.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/timex.h>

#include "runtime/bytes.h"
#include "runtime/conv_ipc.h"
#include "runtime/conv_old.h"

/* ---------------- the table ---------------- */

enum kind { K_PASS, K_CALL, K_REFUSE };
struct ent {
    uint32_t nr;
    const char *name;
    enum kind kind;
    int err;
    const char *why;
};

static const struct ent table[] = {
#define PASS(n) K_PASS, 0, NULL
#define CALL(f) K_CALL, 0, NULL
#define SYS(nr, name, impl, shape) { nr, #name, impl },
#define REFUSE(nr, name, err, why) { nr, #name, K_REFUSE, err, why },
#include "runtime/syscalls.def"
#include "runtime/syscalls_net.def"
#include "runtime/syscalls_refused.def"
#undef REFUSE
#undef SYS
#undef CALL
#undef PASS
};
#define NTABLE (sizeof(table) / sizeof(table[0]))
#define NGENERIC 470u

static const struct ent *find(uint32_t nr)
{
    const struct ent *e = NULL;
    for (size_t i = 0; i < NTABLE; i++)
        if (table[i].nr == nr) {
            assert_null(e);         /* one line per number */
            e = &table[i];
        }
    return e;
}

static void test_every_number(void **state)
{
    (void)state;
    for (uint32_t nr = 0; nr < NGENERIC; nr++)
        if (!find(nr))
            fail_msg("syscall %u has no line in runtime/syscalls*.def", nr);
    for (uint32_t nr = 0xf0001; nr <= 0xf0006; nr++)
        assert_non_null(find(nr));
    for (size_t i = 0; i < NTABLE; i++) {
        assert_true(table[i].nr < NGENERIC || (table[i].nr >= 0xf0000 && table[i].nr < 0xf0008));
        if (table[i].kind == K_REFUSE) {
            assert_true(table[i].err > 0);
            assert_true(strlen(table[i].why) > 0 && strlen(table[i].why) < 80);
        }
    }
}

/* "#define __NR_name (__NR_SYSCALL_BASE + n)" lines of an ARM unistd header. */
static int read_header(const char *path, char names[][40], uint32_t max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256], name[40];
    unsigned n;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "#define __NR_%39s (__NR_SYSCALL_BASE + %u)", name, &n) == 2 && n < max)
            snprintf(names[n], sizeof(names[n]), "%s", name);
    fclose(f);
    return 0;
}

static void test_arm_names(void **state)
{
    (void)state;
    static char eabi[NGENERIC][40], oabi[NGENERIC][40];
    if (read_header("/usr/arm-linux-gnueabihf/include/asm/unistd-eabi.h", eabi, NGENERIC) ||
        read_header("/usr/arm-linux-gnueabihf/include/asm/unistd-oabi.h", oabi, NGENERIC))
        skip();                     /* no ARM cross toolchain headers */
    for (uint32_t nr = 0; nr < NGENERIC; nr++) {
        const struct ent *e = find(nr);
        if (eabi[nr][0]) {
            if (strcmp(e->name, eabi[nr]) != 0)
                fail_msg("syscall %u is %s in the table, %s in unistd-eabi.h", nr, e->name,
                         eabi[nr]);
        } else if (oabi[nr][0]) {   /* OABI only: Linux gives an EABI caller ENOSYS */
            assert_string_equal(e->name, oabi[nr]);
            assert_int_equal(e->kind, K_REFUSE);
            assert_int_equal(e->err, ENOSYS);
        }
    }
    assert_string_equal(find(0xf0001)->name, "breakpoint");
    assert_string_equal(find(0xf0002)->name, "cacheflush");
    assert_string_equal(find(0xf0005)->name, "set_tls");
}

/* docs/syscalls.md: the table rows "| number | name | errno | reason |" under the heading
   "## Refused calls" are the REFUSE lines, in order. */
static void test_docs_refused(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof(path), "%s", __FILE__);
    char *cut = strstr(path, "tests/unit/");
    assert_non_null(cut);
    snprintf(cut, sizeof(path) - (size_t)(cut - path), "docs/syscalls.md");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    bool in = false;
    size_t k = 0;
    int bad = 0;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "## ", 3) == 0)
            in = strncmp(line, "## Refused calls", 16) == 0;
        unsigned nr;
        if (!in || sscanf(line, "| %u |", &nr) != 1)
            continue;
        while (k < NTABLE && table[k].kind != K_REFUSE)
            k++;
        char want[512] = "";
        if (k < NTABLE)
            snprintf(want, sizeof(want), "| %u | %s | %s | %s |\n", table[k].nr, table[k].name,
                     strerrorname_np(table[k].err), table[k].why);
        if (strcmp(line, want) != 0)
            bad++;
        k++;
    }
    fclose(f);
    while (k < NTABLE && table[k].kind != K_REFUSE)
        k++;
    if (bad || k < NTABLE) {
        printf("docs/syscalls.md's refused rows should be:\n");
        for (size_t i = 0; i < NTABLE; i++)
            if (table[i].kind == K_REFUSE)
                printf("| %u | %s | %s | %s |\n", table[i].nr, table[i].name,
                       strerrorname_np(table[i].err), table[i].why);
        fail_msg("%d rows differ, %s", bad, k < NTABLE ? "rows missing" : "none missing");
    }
}

/* ---------------- conv_old.c ---------------- */

static void test_ids16(void **state)
{
    (void)state;
    assert_int_equal(rt_id_from16(0xffff), 0xffffffffu);    /* "unchanged" */
    assert_int_equal(rt_id_from16(0x1ffff), 0xffffffffu);   /* the low half is the id */
    assert_int_equal(rt_id_from16(0x10005), 5);
    assert_int_equal(rt_id_to16(1000), 1000);
    assert_int_equal(rt_id_to16(65535), 65535);
    assert_int_equal(rt_id_to16(65536), 65534);             /* overflowuid */
    assert_int_equal(rt_id_to16(0xffffffffu), 65534);
}

static void test_stat32(void **state)
{
    (void)state;
    struct stat st;
    memset(&st, 0, sizeof(st));
    st.st_dev = 0x803;
    st.st_ino = 0x12345678;
    st.st_mode = 0100644;
    st.st_nlink = 2;
    st.st_uid = 70000;                                      /* does not fit: 65534 */
    st.st_gid = 100;
    st.st_rdev = 0x501;
    st.st_size = 0x7fffffff;
    st.st_blksize = 4096;
    st.st_blocks = 24;
    st.st_atim = (struct timespec){ 1700000001, 11 };
    st.st_mtim = (struct timespec){ 1700000002, 22 };
    st.st_ctim = (struct timespec){ 1700000003, 33 };
    uint8_t out[RT_ARM_STAT_SIZE + 4];
    memset(out, 0xee, sizeof(out));
    assert_int_equal(rt_conv_stat32(&st, out), 0);
    assert_int_equal(rt_get32(out, 0), 0x803);              /* st_dev */
    assert_int_equal(rt_get32(out, 4), 0x12345678);         /* st_ino */
    assert_int_equal(rt_get16(out, 8), 0100644);            /* st_mode, u16 */
    assert_int_equal(rt_get16(out, 10), 2);                 /* st_nlink, u16 */
    assert_int_equal(rt_get16(out, 12), 65534);             /* st_uid */
    assert_int_equal(rt_get16(out, 14), 100);               /* st_gid */
    assert_int_equal(rt_get32(out, 16), 0x501);             /* st_rdev */
    assert_int_equal(rt_get32(out, 20), 0x7fffffff);        /* st_size */
    assert_int_equal(rt_get32(out, 24), 4096);              /* st_blksize */
    assert_int_equal(rt_get32(out, 28), 24);                /* st_blocks */
    assert_int_equal(rt_get32(out, 32), 1700000001);        /* st_atime */
    assert_int_equal(rt_get32(out, 36), 11);
    assert_int_equal(rt_get32(out, 40), 1700000002);        /* st_mtime */
    assert_int_equal(rt_get32(out, 44), 22);
    assert_int_equal(rt_get32(out, 48), 1700000003);        /* st_ctime */
    assert_int_equal(rt_get32(out, 52), 33);
    assert_int_equal(rt_get32(out, 56), 0);                 /* __unused4, 5 */
    assert_int_equal(rt_get32(out, 60), 0);
    assert_int_equal(rt_get32(out, 64), 0xeeeeeeee);        /* 64 bytes, no more */
    st.st_size = 0x80000000ll;
    assert_int_equal(rt_conv_stat32(&st, out), -EOVERFLOW);
    st.st_size = 1;
    st.st_ino = 0x100000000ull;
    assert_int_equal(rt_conv_stat32(&st, out), -EOVERFLOW);
    st.st_ino = 1;
    st.st_nlink = 65536;
    assert_int_equal(rt_conv_stat32(&st, out), -EOVERFLOW);
}

static void test_statfs32(void **state)
{
    (void)state;
    struct statfs h;
    memset(&h, 0, sizeof(h));
    h.f_type = 0xef53;
    h.f_bsize = 4096;
    h.f_blocks = 1000;
    h.f_bfree = 500;
    h.f_bavail = 400;
    h.f_files = (fsfilcnt_t)-1;                             /* unknown: fits as -1 */
    h.f_ffree = 77;
    memcpy(&h.f_fsid, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    h.f_namelen = 255;
    h.f_frsize = 4096;
    h.f_flags = 0x20;
    uint8_t out[RT_ARM_STATFS_SIZE + 4];
    memset(out, 0xee, sizeof(out));
    assert_int_equal(rt_conv_statfs32(&h, out), 0);
    assert_int_equal(rt_get32(out, 0), 0xef53);             /* f_type */
    assert_int_equal(rt_get32(out, 4), 4096);               /* f_bsize */
    assert_int_equal(rt_get32(out, 8), 1000);               /* f_blocks */
    assert_int_equal(rt_get32(out, 12), 500);               /* f_bfree */
    assert_int_equal(rt_get32(out, 16), 400);               /* f_bavail */
    assert_int_equal(rt_get32(out, 20), 0xffffffffu);       /* f_files */
    assert_int_equal(rt_get32(out, 24), 77);                /* f_ffree */
    assert_memory_equal(out + 28, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);  /* f_fsid */
    assert_int_equal(rt_get32(out, 36), 255);               /* f_namelen */
    assert_int_equal(rt_get32(out, 40), 4096);              /* f_frsize */
    assert_int_equal(rt_get32(out, 44), 0x20);              /* f_flags */
    assert_int_equal(rt_get32(out, 48), 0);                 /* f_spare */
    assert_int_equal(rt_get32(out, 64), 0xeeeeeeee);
    h.f_bavail = 0x100000000ull;
    assert_int_equal(rt_conv_statfs32(&h, out), -EOVERFLOW);
    h.f_bavail = 1;
    h.f_ffree = 0x100000000ull;
    assert_int_equal(rt_conv_statfs32(&h, out), -EOVERFLOW);
}

/* One host linux_dirent64 record: ino 0, off 8, reclen 16, type 18, name 19. */
static size_t dirent64(uint8_t *p, uint64_t ino, uint64_t off, uint8_t type, const char *name)
{
    size_t rec = (19 + strlen(name) + 1 + 7) & ~(size_t)7;
    memset(p, 0, rec);
    rt_put64(p, 0, ino);
    rt_put64(p, 8, off);
    rt_put16(p, 16, (uint16_t)rec);
    p[18] = type;
    memcpy(p + 19, name, strlen(name));
    return rec;
}

static void test_dirents(void **state)
{
    (void)state;
    uint8_t h[256], out[256];
    size_t n = dirent64(h, 11, 100, 4, ".");
    n += dirent64(h + n, 12, 0x1234567800000200ull, 8, "file.txt");
    size_t hlast = n;
    n += dirent64(h + n, 0x100000001ull, 300, 8, "big");
    size_t used;
    int64_t next;
    int overflow;
    memset(out, 0xee, sizeof(out));
    size_t o = rt_dirents_to_arm(h, n, out, sizeof(out), &used, &next, &overflow);
    /* ".": reclen 10 + 1 + 2 = 13 -> 16; "file.txt": 10 + 8 + 2 = 20 */
    assert_int_equal(o, 16 + 20);
    assert_int_equal(used, hlast);                          /* stopped at the big inode */
    assert_int_equal(overflow, 1);
    assert_int_equal(next, (int64_t)0x1234567800000200ull);
    assert_int_equal(rt_get32(out, 0), 11);                 /* d_ino */
    assert_int_equal(rt_get32(out, 4), 100);                /* d_off */
    assert_int_equal(rt_get16(out, 8), 16);                 /* d_reclen */
    assert_string_equal((char *)out + 10, ".");             /* d_name */
    assert_int_equal(out[15], 4);                           /* d_type: the last byte */
    assert_int_equal(rt_get32(out, 16), 12);
    assert_int_equal(rt_get32(out, 20), 0x200);             /* d_off: low 32 bits */
    assert_int_equal(rt_get16(out, 24), 20);
    assert_string_equal((char *)out + 26, "file.txt");
    assert_int_equal(out[35], 8);
    assert_int_equal(out[36], 0xee);
    /* room for the first record only */
    o = rt_dirents_to_arm(h, n, out, 30, &used, &next, &overflow);
    assert_int_equal(o, 16);
    assert_int_equal(overflow, 0);
    assert_int_equal(next, 100);
    assert_int_equal(used, (19 + 2 + 7) & ~7);
    /* no room at all */
    o = rt_dirents_to_arm(h, n, out, 8, &used, &next, &overflow);
    assert_int_equal(o, 0);
    assert_int_equal(used, 0);
}

static void test_flock32(void **state)
{
    (void)state;
    uint8_t in[RT_ARM_FLOCK_SIZE];
    rt_put16(in, 0, F_WRLCK);                               /* l_type */
    rt_put16(in, 2, SEEK_END);                              /* l_whence */
    rt_put32(in, 4, (uint32_t)-100);                        /* l_start, signed */
    rt_put32(in, 8, 50);                                    /* l_len */
    rt_put32(in, 12, 1234);                                 /* l_pid */
    struct flock h;
    rt_flock32_to_host(in, &h);
    assert_int_equal(h.l_type, F_WRLCK);
    assert_int_equal(h.l_whence, SEEK_END);
    assert_int_equal(h.l_start, -100);
    assert_int_equal(h.l_len, 50);
    assert_int_equal(h.l_pid, 1234);
    uint8_t out[RT_ARM_FLOCK_SIZE];
    assert_int_equal(rt_flock32_to_arm(&h, out), 0);
    assert_memory_equal(in, out, sizeof(in));
    h.l_start = 0x80000000ll;
    assert_int_equal(rt_flock32_to_arm(&h, out), -EOVERFLOW);
}

static void test_timex32(void **state)
{
    (void)state;
    uint8_t in[RT_ARM_TIMEX_SIZE];
    for (uint32_t i = 0; i < RT_ARM_TIMEX_SIZE / 4; i++)
        rt_put32(in, 4 * i, 0x100 + i);
    rt_put32(in, 4, (uint32_t)-5);                          /* offset, a signed long */
    struct timex h;
    rt_timex32_to_host(in, &h);
    assert_int_equal(h.modes, 0x100);                       /* 0 */
    assert_int_equal(h.offset, -5);                         /* 4 */
    assert_int_equal(h.freq, 0x102);                        /* 8 */
    assert_int_equal(h.maxerror, 0x103);
    assert_int_equal(h.esterror, 0x104);
    assert_int_equal(h.status, 0x105);                      /* 20 */
    assert_int_equal(h.constant, 0x106);
    assert_int_equal(h.precision, 0x107);
    assert_int_equal(h.tolerance, 0x108);                   /* 32 */
    assert_int_equal(h.time.tv_sec, 0x109);                 /* 36 */
    assert_int_equal(h.time.tv_usec, 0x10a);                /* 40 */
    assert_int_equal(h.tick, 0x10b);                        /* 44 */
    assert_int_equal(h.ppsfreq, 0x10c);
    assert_int_equal(h.jitter, 0x10d);
    assert_int_equal(h.shift, 0x10e);                       /* 56 */
    assert_int_equal(h.stabil, 0x10f);
    assert_int_equal(h.jitcnt, 0x110);
    assert_int_equal(h.calcnt, 0x111);
    assert_int_equal(h.errcnt, 0x112);
    assert_int_equal(h.stbcnt, 0x113);                      /* 76 */
    assert_int_equal(h.tai, 0x114);                         /* 80 */
    uint8_t out[RT_ARM_TIMEX_SIZE];
    rt_timex32_to_arm(&h, out);
    assert_memory_equal(out, in, 84);
    for (uint32_t i = 84; i < RT_ARM_TIMEX_SIZE; i++)       /* the padding is zero */
        assert_int_equal(out[i], 0);
}

static void test_siginfo_user(void **state)
{
    (void)state;
    uint8_t in[128] = { 0 };
    rt_put32(in, 0, 34);                                    /* guest SIGRTMIN + 2 */
    rt_put32(in, 4, 5);                                     /* si_errno */
    rt_put32(in, 8, (uint32_t)-1);                          /* SI_QUEUE */
    rt_put32(in, 12, 4321);                                 /* si_pid */
    rt_put32(in, 16, 1000);                                 /* si_uid */
    rt_put32(in, 20, 0xdeadbeef);                           /* si_value */
    siginfo_t h;
    rt_siginfo_user_to_host(in, &h);
    assert_int_equal(h.si_signo, 36);                       /* two higher on the host */
    assert_int_equal(h.si_errno, 5);
    assert_int_equal(h.si_code, SI_QUEUE);
    assert_int_equal(h.si_pid, 4321);
    assert_int_equal(h.si_uid, 1000);
    assert_int_equal((uintptr_t)h.si_value.sival_ptr, 0xdeadbeef);
}

/* ---------------- conv_ipc.c ---------------- */

static void perm(struct ipc_perm *p)
{
    p->__key = 0x1234;
    p->uid = 1000;
    p->gid = 70000;                                         /* too big for the old u16 */
    p->cuid = 2;
    p->cgid = 3;
    p->mode = 01640;
    p->__seq = 9;
}

static void check_perm64(const uint8_t *o)
{
    assert_int_equal(rt_get32(o, 0), 0x1234);               /* key */
    assert_int_equal(rt_get32(o, 4), 1000);                 /* uid */
    assert_int_equal(rt_get32(o, 8), 70000);                /* gid */
    assert_int_equal(rt_get32(o, 12), 2);                   /* cuid */
    assert_int_equal(rt_get32(o, 16), 3);                   /* cgid */
    assert_int_equal(rt_get16(o, 20), 01640);               /* mode, u16 */
    assert_int_equal(rt_get16(o, 24), 9);                   /* seq */
}

static void check_perm_old(const uint8_t *o)
{
    assert_int_equal(rt_get32(o, 0), 0x1234);
    assert_int_equal(rt_get16(o, 4), 1000);
    assert_int_equal(rt_get16(o, 6), 65534);                /* overflowgid */
    assert_int_equal(rt_get16(o, 8), 2);
    assert_int_equal(rt_get16(o, 10), 3);
    assert_int_equal(rt_get16(o, 12), 01640);
    assert_int_equal(rt_get16(o, 14), 9);
}

static void test_semid(void **state)
{
    (void)state;
    struct semid_ds h;
    memset(&h, 0, sizeof(h));
    perm(&h.sem_perm);
    h.sem_otime = 0x100000002ll;                            /* past 2038: high word 1 */
    h.sem_ctime = 7;
    h.sem_nsems = 3;
    uint8_t o[RT_ARM_SEMID64_SIZE + 4];
    memset(o, 0xee, sizeof(o));
    rt_semid_to_arm(&h, true, o);
    check_perm64(o);
    assert_int_equal(rt_get32(o, 36), 2);                   /* sem_otime */
    assert_int_equal(rt_get32(o, 40), 1);                   /* sem_otime_high */
    assert_int_equal(rt_get32(o, 44), 7);                   /* sem_ctime */
    assert_int_equal(rt_get32(o, 48), 0);
    assert_int_equal(rt_get32(o, 52), 3);                   /* sem_nsems */
    assert_int_equal(rt_get32(o, 64), 0xeeeeeeee);
    memset(o, 0xee, sizeof(o));
    rt_semid_to_arm(&h, false, o);
    check_perm_old(o);
    assert_int_equal(rt_get32(o, 16), 2);                   /* sem_otime */
    assert_int_equal(rt_get32(o, 20), 7);                   /* sem_ctime */
    assert_int_equal(rt_get32(o, 24), 0);                   /* kernel pointers */
    assert_int_equal(rt_get16(o, 40), 3);                   /* sem_nsems, u16 */
    assert_int_equal(rt_get32(o, RT_ARM_SEMID_OLD_SIZE), 0xeeeeeeee);

    uint8_t in[RT_ARM_SEMID64_SIZE] = { 0 };
    rt_put32(in, 4, 5);
    rt_put32(in, 8, 6);
    rt_put16(in, 20, 0600);
    rt_semid_from_arm(in, true, &h);
    assert_int_equal(h.sem_perm.uid, 5);
    assert_int_equal(h.sem_perm.gid, 6);
    assert_int_equal(h.sem_perm.mode, 0600);
    memset(in, 0, sizeof(in));
    rt_put16(in, 4, 0xffff);                                /* old: taken as it is */
    rt_put16(in, 6, 8);
    rt_put16(in, 12, 0644);
    rt_semid_from_arm(in, false, &h);
    assert_int_equal(h.sem_perm.uid, 0xffff);
    assert_int_equal(h.sem_perm.gid, 8);
    assert_int_equal(h.sem_perm.mode, 0644);
}

static void test_msqid(void **state)
{
    (void)state;
    struct msqid_ds h;
    memset(&h, 0, sizeof(h));
    perm(&h.msg_perm);
    h.msg_stime = 1;
    h.msg_rtime = 2;
    h.msg_ctime = 3;
    h.__msg_cbytes = 70000;
    h.msg_qnum = 4;
    h.msg_qbytes = 80000;
    h.msg_lspid = 0x12345;
    h.msg_lrpid = 6;
    uint8_t o[RT_ARM_MSQID64_SIZE + 4];
    memset(o, 0xee, sizeof(o));
    rt_msqid_to_arm(&h, true, o);
    check_perm64(o);
    assert_int_equal(rt_get32(o, 36), 1);                   /* msg_stime, then high */
    assert_int_equal(rt_get32(o, 44), 2);                   /* msg_rtime */
    assert_int_equal(rt_get32(o, 52), 3);                   /* msg_ctime */
    assert_int_equal(rt_get32(o, 60), 70000);               /* msg_cbytes */
    assert_int_equal(rt_get32(o, 64), 4);                   /* msg_qnum */
    assert_int_equal(rt_get32(o, 68), 80000);               /* msg_qbytes */
    assert_int_equal(rt_get32(o, 72), 0x12345);             /* msg_lspid */
    assert_int_equal(rt_get32(o, 76), 6);                   /* msg_lrpid */
    assert_int_equal(rt_get32(o, 88), 0xeeeeeeee);
    memset(o, 0xee, sizeof(o));
    rt_msqid_to_arm(&h, false, o);
    check_perm_old(o);
    assert_int_equal(rt_get32(o, 16), 0);                   /* msg_first, msg_last */
    assert_int_equal(rt_get32(o, 24), 1);                   /* msg_stime */
    assert_int_equal(rt_get32(o, 28), 2);
    assert_int_equal(rt_get32(o, 32), 3);
    assert_int_equal(rt_get32(o, 36), 70000);               /* msg_lcbytes */
    assert_int_equal(rt_get32(o, 40), 80000);               /* msg_lqbytes */
    assert_int_equal(rt_get16(o, 44), 0xffff);              /* msg_cbytes, clamped */
    assert_int_equal(rt_get16(o, 46), 4);                   /* msg_qnum */
    assert_int_equal(rt_get16(o, 48), 0xffff);              /* msg_qbytes, clamped */
    assert_int_equal(rt_get16(o, 50), 0x2345);              /* msg_lspid, u16 */
    assert_int_equal(rt_get16(o, 52), 6);
    assert_int_equal(rt_get32(o, RT_ARM_MSQID_OLD_SIZE), 0xeeeeeeee);

    uint8_t in[RT_ARM_MSQID64_SIZE] = { 0 };
    rt_put32(in, 68, 4096);
    rt_msqid_from_arm(in, true, &h);
    assert_int_equal(h.msg_qbytes, 4096);
    memset(in, 0, sizeof(in));
    rt_put32(in, 40, 100000);                               /* lqbytes when qbytes is 0 */
    rt_msqid_from_arm(in, false, &h);
    assert_int_equal(h.msg_qbytes, 100000);
    rt_put16(in, 48, 300);
    rt_msqid_from_arm(in, false, &h);
    assert_int_equal(h.msg_qbytes, 300);
}

static void test_shmid(void **state)
{
    (void)state;
    struct shmid_ds h;
    memset(&h, 0, sizeof(h));
    perm(&h.shm_perm);
    h.shm_segsz = 10000;
    h.shm_atime = 1;
    h.shm_dtime = 2;
    h.shm_ctime = 3;
    h.shm_cpid = 4;
    h.shm_lpid = 5;
    h.shm_nattch = 6;
    uint8_t o[RT_ARM_SHMID64_SIZE + 4];
    memset(o, 0xee, sizeof(o));
    rt_shmid_to_arm(&h, true, o);
    check_perm64(o);
    assert_int_equal(rt_get32(o, 36), 10000);               /* shm_segsz */
    assert_int_equal(rt_get32(o, 40), 1);                   /* shm_atime, then high */
    assert_int_equal(rt_get32(o, 48), 2);                   /* shm_dtime */
    assert_int_equal(rt_get32(o, 56), 3);                   /* shm_ctime */
    assert_int_equal(rt_get32(o, 64), 4);                   /* shm_cpid */
    assert_int_equal(rt_get32(o, 68), 5);                   /* shm_lpid */
    assert_int_equal(rt_get32(o, 72), 6);                   /* shm_nattch */
    assert_int_equal(rt_get32(o, 84), 0xeeeeeeee);
    memset(o, 0xee, sizeof(o));
    rt_shmid_to_arm(&h, false, o);
    check_perm_old(o);
    assert_int_equal(rt_get32(o, 16), 10000);               /* shm_segsz, int */
    assert_int_equal(rt_get32(o, 20), 1);
    assert_int_equal(rt_get32(o, 24), 2);
    assert_int_equal(rt_get32(o, 28), 3);
    assert_int_equal(rt_get16(o, 32), 4);                   /* shm_cpid, u16 */
    assert_int_equal(rt_get16(o, 34), 5);
    assert_int_equal(rt_get16(o, 36), 6);                   /* shm_nattch, u16 */
    assert_int_equal(rt_get32(o, RT_ARM_SHMID_OLD_SIZE), 0xeeeeeeee);

    struct shminfo si = { .shmmax = 0xfffffffffeffffffull, .shmmin = 1, .shmmni = 4096,
                          .shmseg = 4096, .shmall = 0xffffffffff000000ull };
    uint8_t i64[RT_ARM_SHMINFO64_SIZE], iold[RT_ARM_SHMINFO_OLD_SIZE];
    rt_shminfo_to_arm(&si, true, i64);
    assert_int_equal(rt_get32(i64, 0), 0xfeffffff);         /* a 32-bit kernel's default */
    assert_int_equal(rt_get32(i64, 4), 1);
    assert_int_equal(rt_get32(i64, 8), 4096);
    assert_int_equal(rt_get32(i64, 12), 4096);
    assert_int_equal(rt_get32(i64, 16), 0xff000000);
    assert_int_equal(rt_get32(i64, 20), 0);                 /* __unused */
    rt_shminfo_to_arm(&si, false, iold);
    assert_int_equal(rt_get32(iold, 0), 0x7fffffff);        /* clamped to INT_MAX */
    assert_int_equal(rt_get32(iold, 8), 4096);

    struct shm_info sh = { .used_ids = 2, .shm_tot = 3, .shm_rss = 4, .shm_swp = 5,
                           .swap_attempts = 6, .swap_successes = 7 };
    uint8_t so[RT_ARM_SHM_INFO_SIZE];
    rt_shm_info_to_arm(&sh, so);
    for (uint32_t i = 0; i < 6; i++)
        assert_int_equal(rt_get32(so, 4 * i), 2 + i);
}

static void test_mq_attr(void **state)
{
    (void)state;
    uint8_t in[RT_ARM_MQ_ATTR_SIZE] = { 0 };
    rt_put32(in, 0, O_NONBLOCK);                            /* mq_flags */
    rt_put32(in, 4, 10);                                    /* mq_maxmsg */
    rt_put32(in, 8, 8192);                                  /* mq_msgsize */
    rt_put32(in, 12, 3);                                    /* mq_curmsgs */
    struct mq_attr h;
    rt_mq_attr_to_host(in, &h);
    assert_int_equal(h.mq_flags, O_NONBLOCK);
    assert_int_equal(h.mq_maxmsg, 10);
    assert_int_equal(h.mq_msgsize, 8192);
    assert_int_equal(h.mq_curmsgs, 3);
    uint8_t out[RT_ARM_MQ_ATTR_SIZE];
    rt_mq_attr_to_arm(&h, out);
    assert_memory_equal(out, in, sizeof(in));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_number), cmocka_unit_test(test_arm_names),
        cmocka_unit_test(test_docs_refused), cmocka_unit_test(test_ids16),
        cmocka_unit_test(test_stat32),       cmocka_unit_test(test_statfs32),
        cmocka_unit_test(test_dirents),      cmocka_unit_test(test_flock32),
        cmocka_unit_test(test_timex32),      cmocka_unit_test(test_siginfo_user),
        cmocka_unit_test(test_semid),        cmocka_unit_test(test_msqid),
        cmocka_unit_test(test_shmid),        cmocka_unit_test(test_mq_attr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
