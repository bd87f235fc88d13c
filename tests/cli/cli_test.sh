#!/bin/sh
# CLI tests of the xlate command.
#
#   cli_test.sh errors XLATE [ARM_CC]   every refusal: exactly one stderr line starting
#                                       "xlate: error: ", the right exit status, no signal;
#                                       usage errors exit 2, --help and --version exit 0
#   cli_test.sh dump XLATE [ARM_CC]     `xlate dump` on a small ARM program
#   cli_test.sh binfmt XLATE [ARM_CC]   `xlate binfmt --install/--status/--remove` and an
#                                       ARM program run directly, in a private binfmt_misc
#   cli_test.sh cache XLATE [ARM_CC]    the cache of translated libraries: a program with a
#                                       small library of its own, translated twice, the
#                                       entries listed, damaged, rebuilt, cleared
#   cli_test.sh profile XLATE [ARM_CC]  `xlate run --profile` counts, checked against a
#                                       known number of calls; `xlate IN --profile` raises
#                                       what ran and leaves the rest to the JIT
#   cli_test.sh aot XLATE [ARM_CC] [HELLO_C]
#                                       `xlate IN -o OUT` on the bundled hello: the output
#                                       runs from a copy elsewhere, with an empty environment
#
# ARM_CC (default: arm-linux-gnueabihf-gcc from PATH) builds the ARM programs at test time;
# without it the ARM cases are skipped (exit 77 when nothing else was tested).

mode=$1
XLATE=$2
CC=${3:-}
case $CC in
    '' | *NOTFOUND) CC=$(command -v arm-linux-gnueabihf-gcc 2>/dev/null || true) ;;
esac

T=$(mktemp -d "${TMPDIR:-/tmp}/xlate-cli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
# Translated libraries go into a cache of the test's own, never the user's.
export XLATE_CACHE_DIR="$T/cache"
ulimit -c 0 2>/dev/null
. "$(dirname "$0")/../lib.sh"

# expect_error STATUS LINE CMD...: exactly one stderr line; it is LINE (or starts with it
# when LINE ends in '*'), nothing on stdout.
expect_error() {
    status=$1
    line=$2
    shift 2
    run "$status" "$@"
    n=$(wc -l <"$T/err")
    first=$(head -n 1 "$T/err")
    [ "$n" -eq 1 ] || fail "$desc: $n lines on stderr, expected 1: $(cat "$T/err")"
    case $first in
        "xlate: error: "*) ;;
        *) fail "$desc: stderr does not start with 'xlate: error: ': $first" ;;
    esac
    case $line in
        *'*') prefix=${line%\*} ;;
        *) prefix= ;;
    esac
    if [ -n "$prefix" ]; then
        case $first in "$prefix"*) ;; *) fail "$desc: got '$first', expected '$line'" ;; esac
    else
        [ "$first" = "$line" ] || fail "$desc: got '$first', expected '$line'"
    fi
    [ -s "$T/out" ] && fail "$desc: unexpected stdout: $(head -c 200 "$T/out")"
}

# expect_usage CMD...: exit status 2, the first stderr line starts with "xlate: error: ".
expect_usage() {
    run 2 "$@"
    case $(head -n 1 "$T/err") in
        "xlate: error: "*) ;;
        *) fail "$desc: stderr does not start with 'xlate: error: ': $(head -n 1 "$T/err")" ;;
    esac
}

# Both ways in for a program: run and dump load it alike.
expect_load_error() {
    expect_error 1 "xlate: error: $1: $2" "$XLATE" run "$1"
    expect_error 1 "xlate: error: $1: $2" "$XLATE" dump --ir "$1"
}

build_arm() {  # build_arm OUT FLAGS... (the source is $T/hello.c)
    out=$1
    shift
    [ -n "$CC" ] && "$CC" "$@" -o "$out" "$T/hello.c" >"$T/cc.log" 2>&1
}

cat >"$T/hello.c" <<'EOF'
#include <stdio.h>
int main(int argc, char **argv) { printf("hello %d %s\n", argc, argv[0]); return 0; }
EOF

errors() {
    # Usage: --help, --version, unknown options and commands, the AOT form.
    run 0 "$XLATE" --help
    grep -q 'xlate run' "$T/out" || fail "--help does not describe 'xlate run'"
    grep -q 'xlate dump' "$T/out" || fail "--help does not describe 'xlate dump'"
    grep -q -- '-o OUT' "$T/out" || fail "--help does not mention 'xlate IN -o OUT'"
    [ -s "$T/err" ] && fail "--help wrote to stderr"
    run 0 "$XLATE" run --help
    run 0 "$XLATE" dump --help
    run 0 "$XLATE" --version
    [ "$(wc -l <"$T/out")" -eq 1 ] || fail "--version: not one line"
    grep -q '^xlate [0-9]' "$T/out" || fail "--version: got '$(cat "$T/out")'"
    expect_usage "$XLATE"
    expect_usage "$XLATE" --bogus
    [ "$(head -n 1 "$T/err")" = "xlate: error: unknown option '--bogus'" ] ||
        fail "unknown option: got '$(head -n 1 "$T/err")'"
    expect_usage "$XLATE" run --bogus prog
    expect_usage "$XLATE" dump --bogus prog
    expect_usage "$XLATE" dump --at nonsense prog
    expect_usage "$XLATE" dump --count 0 prog
    expect_usage "$XLATE" binfmt
    expect_usage "$XLATE" binfmt --install --remove
    expect_usage "$XLATE" binfmt --install --name a/b
    expect_usage "$XLATE" dump -d nonsense prog
    expect_usage "$XLATE" run
    expect_usage "$XLATE" dump
    expect_usage "$XLATE" frobnicate
    # The AOT form: usage errors exit 2, a program that cannot be translated exits 1;
    # neither leaves an output behind.
    expect_usage "$XLATE" "$T/in" -o
    expect_usage "$XLATE" -o "$T/out.exe"
    expect_usage "$XLATE" "$T/in" -o "$T/out.exe" --emit=bogus
    expect_usage "$XLATE" "$T/in" -o "$T/out.exe" -j 0
    expect_usage "$XLATE" "$T/in" -o "$T/out.exe" --frob
    expect_error 1 "xlate: error: $T/in: No such file or directory" "$XLATE" "$T/in" -o "$T/out.exe"
    [ -e "$T/out.exe" ] && fail "the AOT form created its output"

    # Files that are not ARM programs.
    printf 'just some text\n' >"$T/notes.txt"
    : >"$T/empty"
    expect_load_error "$T/notes.txt" "not an ELF file"
    expect_error 1 "xlate: error: $T/notes.txt: not an ELF file" "$XLATE" "$T/notes.txt" \
        -o "$T/out.exe"
    expect_error 1 "xlate: error: $T: Is a directory" "$XLATE" "$T" -o "$T/out.exe"
    [ -e "$T/out.exe" ] && fail "the AOT form created its output for a bad input"
    expect_load_error "$T/empty" "not an ELF file"
    expect_load_error "$T/missing" "No such file or directory"
    expect_load_error "$T" "Is a directory"
    # Options end at PROG: what follows belongs to the guest.
    expect_error 1 "xlate: error: $T/missing: No such file or directory" \
        "$XLATE" run "$T/missing" --bogus
    expect_error 1 "xlate: error: -odd: No such file or directory" "$XLATE" run -- -odd
    true_bin=/bin/true
    [ -e "$true_bin" ] || true_bin=/usr/bin/true
    if [ -e "$true_bin" ] && head -c 4 "$true_bin" | grep -q ELF; then
        expect_load_error "$true_bin" "not a 32-bit ARM executable*"
    fi

    if [ -z "$CC" ]; then
        echo "arm-linux-gnueabihf-gcc not found: ARM programs skipped"
        return
    fi
    if ! build_arm "$T/hello" -static -O2; then
        fail "cannot build a static ARM program: $(cat "$T/cc.log")"
        return
    fi
    size=$(wc -c <"$T/hello")
    head -c 40 "$T/hello" >"$T/cut40"
    head -c 100 "$T/hello" >"$T/cut100"
    head -c $((size / 2)) "$T/hello" >"$T/cut-half"
    expect_load_error "$T/cut40" "truncated file (the ELF header is incomplete)"
    expect_load_error "$T/cut100" "truncated file (program headers end at offset *"
    expect_load_error "$T/cut-half" "truncated file (segment *"

    # Dynamically linked: both paths run them with a sysroot; a translation keeps its -L as
    # the default, after XLATE_LD_PREFIX.
    if build_arm "$T/hello-dyn" -O2; then
        root=/usr/arm-linux-gnueabihf
        if [ -e "$root/lib/ld-linux-armhf.so.3" ]; then
            desc="run -L $root hello-dyn"
            run 0 "$XLATE" run -L "$root" "$T/hello-dyn" a
            [ "$(cat "$T/out")" = "hello 2 $T/hello-dyn" ] || fail "$desc: $(cat "$T/out")"
            desc="xlate -L $root hello-dyn -o hello-dyn.x86"
            run 0 "$XLATE" -L "$root" --no-libs "$T/hello-dyn" -o "$T/hello-dyn.x86"
            run 0 env -u XLATE_LD_PREFIX -u QEMU_LD_PREFIX "$T/hello-dyn.x86" a
            [ "$(cat "$T/out")" = "hello 2 $T/hello-dyn.x86" ] || fail "$desc: $(cat "$T/out")"
            # Not an error, but it needs a library built here: one that wants an executable
            # stack (a nested function's trampoline), dlopened by a program that did not,
            # so ld.so makes the stack executable with PROT_GROWSDOWN on one page; the
            # trampoline then runs 200 KB further down. 3 = 1 + 2; 15 = 7 + 8 at the bottom.
            cat >"$T/xstack.c" <<'EOF'
static int apply(int (*f)(int), int x) { return f(x); }
int lib_fn(int base, int x) { int add(int v) { return v + base; } return apply(add, x); }
EOF
            cat >"$T/xmain.c" <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
static int deep(int n, int (*fn)(int, int))
{
    volatile char pad[5000];
    pad[0] = (char)n;
    return n ? deep(n - 1, fn) + pad[0] - (char)n : fn(7, 8);
}
int main(int argc, char **argv)
{
    void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
    if (!h) { printf("dlopen: %s\n", dlerror()); return 1; }
    int (*fn)(int, int) = (int (*)(int, int))dlsym(h, "lib_fn");
    printf("lib_fn %d, deep %d\n", fn(1, 2), deep(40, fn));
    return 0;
}
EOF
            desc="dlopen of a library that wants an executable stack"
            if "$CC" -shared -fPIC -O2 -Wl,--no-warn-execstack -o "$T/libxstack.so" \
                    "$T/xstack.c" >"$T/cc.log" 2>&1 &&
                "$CC" -O2 -o "$T/xmain" "$T/xmain.c" >>"$T/cc.log" 2>&1; then
                run 0 "$XLATE" run -L "$root" "$T/xmain" "$T/libxstack.so"
                [ "$(cat "$T/out")" = "lib_fn 3, deep 15" ] || fail "$desc: $(cat "$T/out")"
            else
                fail "$desc: cannot build it: $(cat "$T/cc.log")"
            fi
            if [ ! -e /lib/ld-linux-armhf.so.3 ]; then
                mkdir -p "$T/empty-root"
                expect_error 127 "xlate: error: cannot load the dynamic loader /lib/ld-linux-armhf.so.3: *" \
                    env XLATE_LD_PREFIX="$T/empty-root" "$T/hello-dyn.x86"
            fi
        fi
        expect_error 1 "xlate: error: sysroot $T/none: not a directory" \
            "$XLATE" run -L "$T/none" "$T/hello-dyn"
        expect_error 1 "xlate: error: sysroot $T/none: not a directory" \
            "$XLATE" -L "$T/none" "$T/hello-dyn" -o "$T/hello-dyn.x86"
        # A library the program needs is not in the sysroot: one line, before any output.
        echo 'int missing_fn(void) { return 1; }' >"$T/missing.c"
        if [ -e "$root/lib/ld-linux-armhf.so.3" ] &&
            "$CC" -shared -fPIC -Wl,-soname,libmissing.so -o "$T/libmissing.so" "$T/missing.c" \
                >/dev/null 2>&1 &&
            "$CC" -O2 -o "$T/needs-lib" "$T/hello.c" -Wl,--no-as-needed "$T/libmissing.so" \
                >/dev/null 2>&1 &&
            "$CC" -O2 -o "$T/needs-wrong" "$T/hello.c" -Wl,--no-as-needed \
                -Wl,-rpath,"$T/wrong" "$T/libmissing.so" >/dev/null 2>&1; then
            rm -f "$T/libmissing.so"
            expect_error 1 "xlate: error: the library libmissing.so (needed by the program) is not in $root" \
                "$XLATE" -L "$root" "$T/needs-lib" -o "$T/needs-lib.x86"
            # One of the wrong architecture in its RUNPATH: skipped, as ld.so skips it, and
            # named in the error when no other is found.
            mkdir -p "$T/wrong"
            if cc -shared -fPIC -o "$T/wrong/libmissing.so" "$T/missing.c" >/dev/null 2>&1; then
                expect_error 1 "xlate: error: no usable library libmissing.so (needed by the program): $T/wrong/libmissing.so: not a 32-bit ARM executable (64-bit ELF for x86-64)" \
                    "$XLATE" -L "$root" "$T/needs-wrong" -o "$T/needs-wrong.x86"
            else
                fail "cannot build a host shared library with cc"
            fi
        else
            fail "cannot build a program that needs a library of its own"
        fi
        # no sysroot at all ("" turns the default off): the loader is not on this host
        if [ ! -e /lib/ld-linux-armhf.so.3 ]; then
            expect_error 127 "xlate: error: cannot load the dynamic loader /lib/ld-linux-armhf.so.3: *" \
                env -u XLATE_LD_PREFIX -u QEMU_LD_PREFIX "$XLATE" run -L "" "$T/hello-dyn"
        fi
    else
        fail "cannot build a dynamically linked ARM program"
    fi
    if build_arm "$T/hello.o" -c -O2; then
        expect_load_error "$T/hello.o" "not an executable (a relocatable object file)"
    fi
}

dump() {
    if [ -z "$CC" ]; then
        echo "arm-linux-gnueabihf-gcc not found: skipped"
        exit 77
    fi
    cat >"$T/tiny.S" <<'EOF'
        .syntax unified
        .text
        .global _start
        .arm
_start: mov     r0, #0
        add     r0, r0, #1
        blx     thumb_fn
        mov     r7, #1
        svc     #0
        .thumb
        .thumb_func
thumb_fn:
        adds    r0, r0, #2
        bx      lr
EOF
    "$CC" -nostdlib -static -o "$T/tiny" "$T/tiny.S" >"$T/cc.log" 2>&1 ||
        { fail "cannot build tiny.S: $(cat "$T/cc.log")"; return; }
    entry=$("$XLATE" dump --ir "$T/tiny" 2>/dev/null | sed -n 's/^block \(0x[0-9a-f]*\).*/\1/p')
    run 0 "$XLATE" dump --ir "$T/tiny"
    grep -q '^block 0x[0-9a-f]* arm' "$T/out" || fail "dump: no 'block ... arm' header"
    grep -q '^0x[0-9a-f]*:  ' "$T/out" || fail "dump: no disassembly lines"
    grep -q '^-- ir --$' "$T/out" || fail "dump: no µIR"
    [ -s "$T/err" ] && fail "dump wrote to stderr: $(cat "$T/err")"
    run 0 "$XLATE" dump --opt --count 3 "$T/tiny"
    [ "$(grep -c '^block ' "$T/out")" -ge 2 ] || fail "dump --count 3: fewer than 2 blocks"
    grep -q '^-- opt --$' "$T/out" || fail "dump --opt: no optimized µIR"
    run 0 "$XLATE" dump -d opt "$T/tiny"
    grep -q '^-- ir --$' "$T/out" && fail "dump -d opt printed the unoptimized µIR"
    # The Thumb function, found by its symbol; bit 0 of --at means Thumb too.
    if [ -n "$entry" ]; then
        run 0 "$XLATE" dump --at $((entry + 20)) "$T/tiny"
        grep -q '^block 0x[0-9a-f]* thumb' "$T/out" || fail "dump --at thumb_fn: not Thumb"
        run 0 "$XLATE" dump --at $((entry + 21)) "$T/tiny"
        grep -q '^block 0x[0-9a-f]* thumb' "$T/out" || fail "dump --at thumb_fn+1: not Thumb"
    else
        fail "dump: no block header to take the entry from"
    fi
    expect_error 1 "xlate: error: $T/tiny: 0x00001000 is not in an executable segment of the file" \
        "$XLATE" dump --at 0x1000 "$T/tiny"
}

aot() {
    hello_c=${HELLO_C:-}
    if [ -z "$CC" ] || [ -z "$hello_c" ]; then
        echo "arm-linux-gnueabihf-gcc or tests/hello/hello.c not found: skipped"
        exit 77
    fi
    "$CC" -static -O2 -o "$T/hello_arm" "$hello_c" >"$T/cc.log" 2>&1 ||
        { fail "cannot build hello: $(cat "$T/cc.log")"; return; }
    run 0 "$XLATE" "$T/hello_arm" -o "$T/hello_x86"
    [ -s "$T/err" ] && fail "xlate wrote to stderr (not a terminal): $(head -3 "$T/err")"
    [ -x "$T/hello_x86" ] || { fail "no executable $T/hello_x86"; return; }
    # Nothing from the build tree: a copy in another directory, run from a third one with
    # an empty environment, needs only the system's C library.
    mkdir -p "$T/elsewhere" "$T/cwd"
    cp "$T/hello_x86" "$T/elsewhere/hello"
    rm -f "$T/hello_x86"
    (cd "$T/cwd" && exec env -i "$T/elsewhere/hello" a b) >"$T/out" 2>"$T/err"
    rc=$?
    checks=$((checks + 1))
    [ "$rc" -eq 0 ] || fail "translated hello: exit status $rc: $(head -3 "$T/err")"
    [ "$(cat "$T/out")" = "hello from arm (2 arguments)" ] ||
        fail "translated hello printed '$(cat "$T/out")'"
    [ -s "$T/err" ] && fail "translated hello wrote to stderr: $(head -3 "$T/err")"
    if command -v ldd >/dev/null 2>&1; then
        libs=$(ldd "$T/elsewhere/hello" | awk '{print $1}' |
               grep -v -E '^(linux-vdso|/lib64/ld-linux-x86-64|libc|libm)\.so' | tr '\n' ' ')
        checks=$((checks + 1))
        [ -z "$libs" ] || fail "translated hello needs more than libc: $libs"
    fi
    # What the output leaves out (docs/aot.md, "The translate command"): the runtime's debug
    # sections, capstone's other architectures, dynamic symbols of raised functions.
    if command -v readelf >/dev/null 2>&1; then
        checks=$((checks + 1))
        readelf -S "$T/elsewhere/hello" | grep -q '\.debug_' &&
            fail "translated hello has debug sections"
        readelf -s "$T/elsewhere/hello" | grep -q -E ' (X86|AArch64|PPC)_getInstruction$' &&
            fail "translated hello holds capstone's other architectures"
        readelf --dyn-syms "$T/elsewhere/hello" | grep -q -E ' xl_aot_[0-9a-f]+_[at]$' &&
            fail "translated hello exports its raised functions"
        # -s: no symbol table either, and it still runs; XLATE_STATS=1: the summary line.
        run 0 env XLATE_STATS=1 "$XLATE" "$T/hello_arm" -O0 -s -o "$T/hello_s"
        grep -q -x "xlate: $T/hello_s: [0-9]* functions, [0-9]* guest insns at -O0 in [0-9.]* s; [0-9.]* MB, [0-9.]*x the input, [0-9]* bytes per guest insn" "$T/err" ||
            fail "XLATE_STATS=1 xlate: no summary line: '$(cat "$T/err")'"
        readelf -S "$T/hello_s" | grep -q '\.symtab' && fail "-s left a symbol table"
        [ "$("$T/hello_s")" = "hello from arm (0 arguments)" ] || fail "-s: the output does not run"
    fi
    # XLATE_STATS: at exit, the process's line, then one per module with work (here the
    # program only, named by the ARM file it was made from).
    (cd "$T/cwd" && exec env -i XLATE_STATS=1 "$T/elsewhere/hello") >"$T/out" 2>"$T/err"
    checks=$((checks + 1))
    { sed -n 1p "$T/err" | grep -q '^xlate-stats: aot-functions=[1-9][0-9]* aot-blocks=[1-9][0-9]* jit-blocks=[0-9]* jit-insns=[0-9]* jit-translate-us=[0-9]* jit-code-bytes=[0-9]* jit-flushes=0 jit-dropped=0 aot-entered=[1-9][0-9]* aot-entered-insns=[1-9][0-9]* aot-share=[0-9.]*%$' &&
        sed -n 2p "$T/err" | grep -q "^xlate-stats: module=$(realpath "$T/hello_arm") aot-functions=[1-9][0-9]* jit-blocks=0 jit-insns=0 aot-entered=[1-9][0-9]* aot-entered-insns=[1-9][0-9]* aot-share=100.0%\$" &&
        [ "$(wc -l <"$T/err")" -eq 2 ]; } ||
        fail "XLATE_STATS=1: got '$(cat "$T/err")'"
    # The text emitters.
    for kind in ir llvm asm; do
        run 0 "$XLATE" "$T/hello_arm" -O0 --emit=$kind -o "$T/hello.$kind"
        [ -s "$T/hello.$kind" ] || fail "--emit=$kind wrote nothing"
    done
    grep -q '^block 0x' "$T/hello.ir" || fail "--emit=ir: no block headers"
    grep -q 'define' "$T/hello.llvm" || fail "--emit=llvm: no function definitions"
    # An unknown --cpu: one error line (LLVM itself would warn once per function).
    expect_error 1 "xlate: error: $T/hello_arm: unknown host CPU 'no-such-cpu'*" \
        "$XLATE" "$T/hello_arm" -O0 --emit=obj --cpu no-such-cpu -o "$T/hello.o"
}

# `xlate binfmt`: in a user and mount namespace of its own, where binfmt_misc mounted afresh
# is a private instance (Linux 6.7 and later), so the machine's own entries never change.
# Elsewhere (an older kernel, no user namespaces) the case is skipped.
binfmt() {
    if [ "${XL_BINFMT_INNER:-}" != 1 ]; then
        [ -n "$CC" ] || { echo "SKIP: no ARM compiler"; exit 77; }
        name=xlate-test-$$
        XL_BINFMT_INNER=1 XL_BINFMT_NAME=$name unshare --user --map-root-user --mount \
            sh "$0" binfmt "$XLATE" "$CC"
        rc=$?
        if [ -e "/proc/sys/fs/binfmt_misc/$name" ]; then   # leaked: undo, and say so
            echo -1 >"/proc/sys/fs/binfmt_misc/$name"
            echo "FAIL: the entry $name reached the machine's binfmt_misc"
            exit 1
        fi
        exit $rc
    fi
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null ||
        { echo "SKIP: no private binfmt_misc instance here (Linux 6.7+)"; exit 77; }
    name=$XL_BINFMT_NAME
    exec 3>&-       # whatever the caller left open as fd 3: the guest's fd 3 is free
    trap '"$XLATE" binfmt --remove --name "$name" >/dev/null 2>&1; rm -rf "$T"' EXIT
    cat >"$T/fd.c" <<'EOF2'
#include <fcntl.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    /* binfmt_misc's O flag hands xlate the executable as fd 3: the guest must not see it */
    printf("%s %d fd3 %s\n", argv[0], argc, fcntl(3, F_GETFD) < 0 ? "closed" : "open");
    return 7;
}
EOF2
    "$CC" -static -O1 -o "$T/fd_arm" "$T/fd.c" >"$T/cc.log" 2>&1 || fail "cannot build fd.c"
    run 1 "$XLATE" binfmt --status --name "$name"
    grep -qx "$name: not registered" "$T/out" || fail "--status before: $(cat "$T/out")"
    run 0 "$XLATE" binfmt --install --name "$name"
    grep -q "^interpreter $(readlink -f "$XLATE")\$" "/proc/sys/fs/binfmt_misc/$name" ||
        fail "the entry names another interpreter: $(cat "/proc/sys/fs/binfmt_misc/$name")"
    expect_error 1 "xlate: error: binfmt: '$name' is registered already*" \
        "$XLATE" binfmt --install --name "$name"
    run 0 "$XLATE" binfmt --status --name "$name"
    grep -qx 'flags: POCF' "$T/out" || fail "--status: $(cat "$T/out")"
    # The ARM program runs by itself, with its argv, exit status and descriptors.
    run 7 "$T/fd_arm" a "b c"
    [ "$(cat "$T/out")" = "$T/fd_arm 3 fd3 closed" ] || fail "direct run: $(cat "$T/out")"
    # argv[0] as the caller gave it (the P flag).
    if command -v bash >/dev/null; then
        run 7 bash -c "exec -a custom-name '$T/fd_arm' x"
        [ "$(cat "$T/out")" = "custom-name 2 fd3 closed" ] || fail "argv[0]: $(cat "$T/out")"
    fi
    run 0 "$XLATE" binfmt --remove --name "$name"
    run 1 "$XLATE" binfmt --status --name "$name"
    # Unregistered, the kernel refuses the file again (sh: 126, or ENOEXEC's message).
    "$T/fd_arm" >"$T/out" 2>&1
    rc=$?
    checks=$((checks + 1))
    [ "$rc" -ne 7 ] || fail "the ARM program still ran after --remove"
}

# `xlate cache` and a translated program's use of it, on a program with a small library
# of its own (no libc: translating the loader and the library takes seconds).
cache() {
    root=/usr/arm-linux-gnueabihf
    if [ -z "$CC" ] || [ ! -e "$root/lib/ld-linux-armhf.so.3" ]; then
        echo "no ARM compiler or no $root: skipped"
        exit 77
    fi
    cat >"$T/tiny.c" <<'EOF2'
int tiny_twice(int x) { return 2 * x + (x > 20); }
EOF2
    cat >"$T/main.S" <<'EOF2'
@ _start: write(1, "tiny NN\n") with NN = tiny_twice(21) from libtiny.so, exit(0).
        .syntax unified
        .arm
        .global _start
_start: mov     r0, #21
        bl      tiny_twice(PLT)
        mov     r2, #'0'            @ tens, by subtracting 10
1:      cmp     r0, #10
        subge   r0, r0, #10
        addge   r2, r2, #1
        bge     1b
        add     r3, r0, #'0'
        ldr     r1, =msg
        strb    r2, [r1, #5]
        strb    r3, [r1, #6]
        mov     r0, #1
        mov     r2, #8
        mov     r7, #4
        svc     #0
        mov     r0, #0
        mov     r7, #1
        svc     #0
        .data
msg:    .ascii  "tiny ??\n"
EOF2
    "$CC" -shared -fPIC -nostdlib -O2 -o "$T/libtiny.so" "$T/tiny.c" >"$T/cc.log" 2>&1 &&
        "$CC" -nostdlib -o "$T/tinyprog" "$T/main.S" -L"$T" -ltiny \
            -Wl,-rpath,'$ORIGIN',--dynamic-linker=/lib/ld-linux-armhf.so.3 >>"$T/cc.log" 2>&1 ||
        { fail "cannot build the program: $(cat "$T/cc.log")"; return; }
    desc="qemu-arm tinyprog"
    if command -v qemu-arm >/dev/null 2>&1; then
        run 0 qemu-arm -L "$root" "$T/tinyprog"
        [ "$(cat "$T/out")" = "tiny 43" ] || fail "$desc printed '$(cat "$T/out")'"
    fi

    # The first translation makes two entries: the loader and libtiny.
    desc="xlate -L $root tinyprog"
    run 0 "$XLATE" -L "$root" "$T/tinyprog" -o "$T/tiny.x86"
    run 0 "$XLATE" cache --list
    grep -q " ok .*/ld-linux-armhf.so.3\$" "$T/out" && grep -q " ok .*/libtiny.so\$" "$T/out" &&
        grep -q '^2 entries' "$T/out" || fail "cache --list after translating: $(cat "$T/out")"
    so=$(ls "$XLATE_CACHE_DIR"/*.so | while read -r f; do
        grep -q libtiny "${f%.so}.meta" && echo "$f"; done)
    [ -f "$so" ] || { fail "no entry for libtiny in $XLATE_CACHE_DIR"; return; }
    # The program runs the library's translation: no JIT work in it.
    desc="tiny.x86"
    run 0 env XLATE_STATS=1 "$T/tiny.x86"
    [ "$(cat "$T/out")" = "tiny 43" ] || fail "$desc printed '$(cat "$T/out")'"
    grep -q "^xlate-stats: module=$(realpath "$T/libtiny.so") aot-functions=[1-9][0-9]* jit-blocks=0 " \
        "$T/err" || fail "$desc: libtiny did not run translated: $(cat "$T/err")"
    # Of its code, tiny_twice ran, translated: one function entered, all of what ran.
    grep -q "^xlate-stats: module=$(realpath "$T/libtiny.so") .* aot-entered=1 aot-entered-insns=[1-9][0-9]* aot-share=100.0%\$" \
        "$T/err" || fail "$desc: libtiny's entered functions: $(cat "$T/err")"

    # A second translation reuses both entries.
    touch -d @1000000000 "$so"
    run 0 "$XLATE" -L "$root" "$T/tinyprog" -o "$T/tiny2.x86"
    [ "$(stat -c %Y "$so")" = 1000000000 ] || fail "the second translation rebuilt libtiny's entry"

    # A damaged entry: listed so, never loaded (the library runs in the JIT), rebuilt by
    # the next translation.
    printf 'XXXX' | dd of="$so" bs=1 seek=200 conv=notrunc 2>/dev/null
    run 0 "$XLATE" cache --list
    grep -q "damaged (.so) .*/libtiny.so\$" "$T/out" || fail "cache --list: $(cat "$T/out")"
    desc="tiny.x86 with a damaged entry"
    run 0 env XLATE_STATS=1 "$T/tiny.x86"
    [ "$(cat "$T/out")" = "tiny 43" ] || fail "$desc printed '$(cat "$T/out")'"
    grep -q "^xlate-stats: module=$(realpath "$T/libtiny.so") aot-functions=0 jit-blocks=[1-9]" \
        "$T/err" || fail "$desc: libtiny's damaged translation was used: $(cat "$T/err")"
    desc="xlate tinyprog after the damage"
    run 0 "$XLATE" -L "$root" "$T/tinyprog" -o "$T/tiny.x86"
    run 0 "$XLATE" cache --list
    grep -q " ok .*/libtiny.so\$" "$T/out" || fail "not rebuilt: $(cat "$T/out")"
    # A library file that changes is another entry: the old one is not used for it.
    "$CC" -shared -fPIC -nostdlib -O0 -o "$T/libtiny.so" "$T/tiny.c" 2>/dev/null
    desc="tiny.x86 with a changed libtiny"
    run 0 env XLATE_STATS=1 "$T/tiny.x86"
    [ "$(cat "$T/out")" = "tiny 43" ] || fail "$desc printed '$(cat "$T/out")'"
    grep -q "module=$(realpath "$T/libtiny.so") aot-functions=0 " "$T/err" ||
        fail "$desc: the old translation was used: $(cat "$T/err")"
    # ... and is noted as wanted; the next translation (of any program) makes its entry.
    grep -q "^$(sha256sum <"$T/libtiny.so" | cut -c1-64) $(realpath "$T/libtiny.so")\$" \
        "$XLATE_CACHE_DIR/wanted" 2>/dev/null || fail "$desc: not in the wanted list"
    run 0 "$XLATE" -L "$root" "$T/tinyprog" -o "$T/tiny3.x86"
    [ ! -e "$XLATE_CACHE_DIR/wanted" ] || fail "the wanted list was not taken"
    run 0 env XLATE_STATS=1 "$T/tiny.x86"
    grep -q "module=$(realpath "$T/libtiny.so") aot-functions=[1-9][0-9]* jit-blocks=0 " \
        "$T/err" || fail "tiny.x86 after the next translation: $(cat "$T/err")"

    # --prefill, then --clear.
    mkdir -p "$T/libs" && cp "$T/libtiny.so" "$T/libs/" && cp "$T/tinyprog" "$T/libs/"
    run 0 "$XLATE" cache --prefill "$T/libs" -j 2
    grep -q "^0 translated, 1 already there, 0 failed" "$T/out" ||
        fail "cache --prefill: $(cat "$T/out")"
    run 0 "$XLATE" cache --clear
    run 0 "$XLATE" cache --list
    grep -q '^0 entries' "$T/out" || fail "cache --list after --clear: $(cat "$T/out")"
    expect_usage "$XLATE" cache
    expect_usage "$XLATE" cache --prefill
    expect_error 1 "xlate: error: $T/none: not a directory" "$XLATE" cache --prefill "$T/none"
}

# Profiles (docs/aot.md, "Profiles"): the counts of a run, and a translation that raises
# only the functions that ran in it.
profile() {
    [ -n "$CC" ] || { echo "arm-linux-gnueabihf-gcc not found: skipped"; exit 77; }
    cat >"$T/prof.c" <<'EOF2'
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
__attribute__((noinline)) int tick(int x) { return x * 3 + 1; }
__attribute__((noinline)) int other(int x) { return x ^ 0x55; }
static int others(void)
{
    int s = 0;
    for (int i = 0; i < 7; i++)
        s += other(i);
    return s;
}
int main(int argc, char **argv)
{
    int s = 0;
    if (argc > 1 && strcmp(argv[1], "fork") == 0) {   /* the child takes the other path */
        pid_t pid = fork();
        if (pid == 0) {
            printf("%d\n", others());
            return 0;
        }
        waitpid(pid, NULL, 0);
        argc = 1;
    }
    if (argc > 1)
        s = others();
    else
        for (int i = 0; i < 1234; i++)
            s = tick(s) & 0xffff;
    printf("%d\n", s);
    return 0;
}
EOF2
    "$CC" -static -O2 -o "$T/prof" "$T/prof.c" >"$T/cc.log" 2>&1 ||
        { fail "cannot build the program: $(cat "$T/cc.log")"; return; }
    desc="xlate run --profile"
    run 0 "$XLATE" run --profile "$T/p1" "$T/prof"
    [ "$(cat "$T/out")" = "51236" ] || fail "$desc printed '$(cat "$T/out")'"
    head -n 1 "$T/p1" | grep -q -x 'xlate-profile 1' || fail "$desc: no header in $T/p1"
    # The program's module by its content hash; tick's entry block ran exactly 1234 times.
    mod=$(grep "^module 0 0x[0-9a-f]* $(sha256sum <"$T/prof" | cut -c1-64) " "$T/p1")
    [ -n "$mod" ] || fail "$desc: no module line with the program's hash: $(head -4 "$T/p1")"
    start=$(echo "$mod" | awk '{print $3}')
    tick=$(arm-linux-gnueabihf-nm "$T/prof" 2>/dev/null | awk '$3 == "tick" {print $1}')
    if [ -n "$tick" ] && [ -n "$start" ]; then
        # (bit 0 of the offset is the state: the cross compiler's default may be Thumb)
        off=$(printf '0x%x' $((0x$tick - start)))
        t_off=$(printf '0x%x' $((0x$tick - start + 1)))
        grep -q -x -E "block 0 ($off|$t_off) 1234" "$T/p1" ||
            fail "$desc: tick (offset $off) not counted 1234 times: $(grep -E " ($off|$t_off) " "$T/p1")"
    fi
    desc="xlate --profile"
    run 0 env XLATE_STATS=1 "$XLATE" "$T/prof" -o "$T/prof.x" --profile "$T/p1"
    grep -q "^xlate: $T/prof.x: [1-9][0-9]* functions, [0-9]* guest insns at -O2 ([1-9][0-9]* more did not run in the profile: left to the JIT) in " \
        "$T/err" || fail "$desc: summary '$(cat "$T/err")'"
    # The same translation again: the cache of programs copies the same output.
    desc="xlate --profile again"
    run 0 env XLATE_STATS=1 "$XLATE" "$T/prof" -o "$T/prof.x2" --profile "$T/p1"
    grep -q "^xlate: $T/prof.x2: translated before (the cache of programs), in " "$T/err" ||
        fail "$desc: not from the cache: '$(cat "$T/err")'"
    cmp -s "$T/prof.x" "$T/prof.x2" || fail "$desc: another output"
    # Other counts are another translation; a damaged entry is not used; with
    # XLATE_CACHE_PROGRAMS=0 nothing is copied.
    { cat "$T/p1"; echo "block 0 0x0 1"; } >"$T/p1b"
    desc="xlate with other counts"
    run 0 env XLATE_STATS=1 "$XLATE" "$T/prof" -o "$T/prof.x3" --profile "$T/p1b"
    grep -q "did not run in the profile" "$T/err" || fail "$desc: '$(cat "$T/err")'"
    for f in "$XLATE_CACHE_DIR"/programs/*.exe; do printf 'x' >>"$f"; done
    desc="xlate over a damaged entry"
    run 0 env XLATE_STATS=1 "$XLATE" "$T/prof" -o "$T/prof.x3" --profile "$T/p1"
    grep -q "did not run in the profile" "$T/err" || fail "$desc: '$(cat "$T/err")'"
    desc="xlate with XLATE_CACHE_PROGRAMS=0"
    run 0 env XLATE_STATS=1 XLATE_CACHE_PROGRAMS=0 "$XLATE" "$T/prof" -o "$T/prof.x3" \
        --profile "$T/p1"
    grep -q "did not run in the profile" "$T/err" || fail "$desc: '$(cat "$T/err")'"
    run 0 "$XLATE" cache --list
    grep -q "^2 translated programs, [1-9][0-9]* bytes, in $XLATE_CACHE_DIR/programs\$" "$T/out" ||
        fail "cache --list: $(cat "$T/out")"
    run 0 "$XLATE" cache --clear
    grep -q "^removed 0 translated libraries and 2 translated programs from " "$T/out" ||
        fail "cache --clear: $(cat "$T/out")"
    [ -z "$(ls "$XLATE_CACHE_DIR/programs" 2>/dev/null)" ] || fail "cache --clear left programs"
    # What ran in the profile runs translated; what did not (other) runs in the JIT.
    run 0 env XLATE_STATS=1 "$T/prof.x"
    [ "$(cat "$T/out")" = "51236" ] || fail "prof.x printed '$(cat "$T/out")'"
    grep -q '^xlate-stats: .* jit-blocks=0 ' "$T/err" || fail "prof.x ran JIT blocks: $(cat "$T/err")"
    run 0 env XLATE_STATS=1 "$T/prof.x" other
    [ "$(cat "$T/out")" = "586" ] || fail "prof.x other printed '$(cat "$T/out")'"
    grep -q '^xlate-stats: .* jit-blocks=[1-9]' "$T/err" ||
        fail "prof.x other: other() did not run in the JIT: $(cat "$T/err")"
    # A forked child's counts are a section of their own (the parent's, before the fork,
    # are not counted again there), and its code is raised too.
    desc="xlate run --profile, a child"
    run 0 "$XLATE" run --profile "$T/p4" "$T/prof" fork
    [ "$(cat "$T/out")" = "$(printf '586\n51236')" ] || fail "$desc printed '$(cat "$T/out")'"
    [ "$(grep -c -x 'xlate-profile 1' "$T/p4")" -eq 2 ] || fail "$desc: not two sections"
    if [ -n "$tick" ] && [ -n "$start" ]; then
        [ "$(grep -c -x -E "block 0 ($off|$t_off) 1234" "$T/p4")" -eq 1 ] ||
            fail "$desc: tick's count not once in the file: $(grep -E " ($off|$t_off) " "$T/p4")"
    fi
    run 0 "$XLATE" "$T/prof" -o "$T/prof.x4" --profile "$T/p4"
    run 0 env XLATE_STATS=1 "$T/prof.x4" fork
    [ "$(grep -c '^xlate-stats: aot-functions=.* jit-blocks=0 ' "$T/err")" -eq 2 ] ||
        fail "prof.x4 fork: not two processes without JIT blocks: $(cat "$T/err")"
    # Bad profiles: one line each.
    expect_error 1 "xlate: error: profile $T/none: No such file or directory" \
        "$XLATE" "$T/prof" -o "$T/prof.y" --profile "$T/none"
    echo "not a profile" >"$T/p2"
    expect_error 1 "xlate: error: profile $T/p2: not a profile of xlate run --profile" \
        "$XLATE" "$T/prof" -o "$T/prof.y" --profile "$T/p2"
    { head -n 3 "$T/p1"; echo "block 0 zz"; } >"$T/p3"
    expect_error 1 "xlate: error: profile $T/p3: line 4 is not a module or block line" \
        "$XLATE" "$T/prof" -o "$T/prof.y" --profile "$T/p3"
    cp "$T/prof" "$T/prof2" && printf 'x' >>"$T/prof2"
    expect_error 1 "xlate: error: profile $T/p1 has no counts of $T/prof2 (it was made from other programs or another build of it)" \
        "$XLATE" "$T/prof2" -o "$T/prof.y" --profile "$T/p1"
    [ -e "$T/prof.y" ] && fail "a refused profile left an output"
    expect_usage "$XLATE" run --profile
    expect_error 127 "xlate: error: cannot write the profile $T/nodir/p: No such file or directory" \
        "$XLATE" run --profile "$T/nodir/p" "$T/prof"
    expect_usage "$XLATE" "$T/prof" -o "$T/prof.y" --profile
}

case $mode in
    errors) errors ;;
    cache) cache ;;
    dump) dump ;;
    aot) aot ;;
    profile) profile ;;
    binfmt) binfmt ;;
    *) echo "usage: cli_test.sh errors|dump|aot|profile|cache|binfmt XLATE [ARM_CC]"; exit 2 ;;
esac

finish
