#!/bin/bash
# run-guest.sh [--expect FILE] [--repeat N] [--sysroot DIR] [--aot[=FLAGS]] XLATE PROG [ARGS...]
# Runs PROG under qemu-arm (the oracle) and under `XLATE run`, with the same arguments,
# environment and stdin (/dev/null); compares stdout and exit status (a death by signal
# counts as 128+sig). On a mismatch prints a unified diff and both statuses and exits 1.
# --aot: translates PROG first (`XLATE PROG -o PROG.x86 $XL_AOT_FLAGS`) and runs PROG.x86
# instead of `XLATE run PROG`, with PROG as its argv[0]; then once more with XLATE_STATS=1
# (not in the compared run: the guest would see it in its environment), and fails when more
# than XL_MAX_JIT_BLOCKS (20) blocks of PROG's own code ran in the JIT: code discovery
# missed them (the XLATE_STATS line of its module; libraries run in the JIT for now).
# --aot=FLAGS: the same with FLAGS (e.g. -O3) added; the output is PROG.FLAGS.x86, so that
# the tests of one PROG at several levels can run at once.
# XL_GUEST_SELFCHECK=1 runs qemu-arm twice instead (checks that a program is deterministic).
# --expect FILE: FILE is the oracle's stdout and 0 its status, for programs that qemu-arm
# cannot run as Linux would (an execve of an ARM program needs binfmt_misc there).
# --repeat N: runs the xlate side N times (translating once), each run compared with the one
# oracle run; the first mismatch fails. For threaded programs, whose interleavings vary.
# --sysroot DIR: dynamically linked programs; qemu-arm, `xlate run` and the translation
# (`XLATE -L DIR PROG -o ...`) get -L DIR. Their libraries are translated into
# $XLATE_CACHE_DIR (default: xlate-cache beside XLATE).
set -u
expect=
repeat=1
sysroot=()
while :; do
    case "${1:-}" in
    --expect) expect=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --sysroot) sysroot=(-L "$2"); shift 2 ;;
    *) break ;;
    esac
done
mode=jit
aot_flags=${XL_AOT_FLAGS:-}
out_suffix=.x86
case "${1:-}" in
--aot) mode=aot; shift ;;
--aot=*)
    mode=aot
    aot_flags="$aot_flags ${1#--aot=}"
    out_suffix=$(printf '%s' "${1#--aot=}" | tr -c 'A-Za-z0-9' _).x86
    out_suffix=.${out_suffix#_}
    shift ;;
esac
if [ $# -lt 2 ]; then
    echo "usage: $0 [--expect FILE] [--repeat N] [--sysroot DIR] [--aot[=FLAGS]] XLATE PROG [ARGS...]" >&2
    exit 2
fi
xlate=$1 prog=$2
shift 2
qemu=${QEMU_ARM:-qemu-arm}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xl-guest.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
ulimit -c 0

# Fixed environment so that getenv() tests see the same values under both.
export XL_GUEST_VAR="hello from the environment" LC_ALL=C TZ=UTC

run() {     # run OUT CMD...: stdout to OUT, stderr to OUT.err; sets $status
    local out=$1
    shift
    (cd "$tmp" && exec timeout -k 5 30 "$@") </dev/null >"$out" 2>"$out.err"
    status=$?
}

if [ -n "$expect" ]; then
    cp "$expect" "$tmp/oracle" && status=0
else
    run "$tmp/oracle" "$qemu" "${sysroot[@]}" "$prog" "$@"
fi
oracle_status=$status
if [ "$oracle_status" = 124 ]; then
    echo "FAIL: the program timed out under qemu-arm" >&2
    exit 1
fi
if [ $mode = aot ] && [ "${XL_GUEST_SELFCHECK:-0}" != 1 ]; then
    # Translated libraries go into a cache in the build tree, not the user's.
    XLATE_CACHE_DIR=${XLATE_CACHE_DIR:-$(cd "$(dirname "$xlate")" && pwd)/xlate-cache}
    export XLATE_CACHE_DIR
    # Every test translates (no copy of an earlier translation of the same program).
    export XLATE_CACHE_PROGRAMS=0
    # shellcheck disable=SC2086
    if ! "$xlate" "${sysroot[@]}" "$prog" -o "$prog$out_suffix" $aot_flags \
        2>"$tmp/translate.err"; then
        echo "FAIL: xlate ${sysroot[*]} $prog -o $prog$out_suffix $aot_flags"
        head -20 "$tmp/translate.err"
        exit 1
    fi
fi

for ((i = 1; i <= repeat; i++)); do
    if [ "${XL_GUEST_SELFCHECK:-0}" = 1 ]; then
        run "$tmp/xlate" "$qemu" "${sysroot[@]}" "$prog" "$@"
    elif [ $mode = aot ]; then
        run "$tmp/xlate" bash -c 'exec -a "$0" "$@"' "$prog" "$prog$out_suffix" "$@"
    else
        run "$tmp/xlate" "$xlate" run "${sysroot[@]}" "$prog" "$@"
    fi
    xlate_status=$status
    if ! cmp -s "$tmp/oracle" "$tmp/xlate" || [ "$oracle_status" != "$xlate_status" ]; then
        echo "FAIL: $prog $*"
        [ "$repeat" -gt 1 ] && echo "(run $i of $repeat)"
        diff -u --label "${expect:-qemu-arm}" --label "xlate ($mode)" "$tmp/oracle" \
            "$tmp/xlate" | head -200
        echo "exit status: qemu-arm $oracle_status, xlate $xlate_status"
        echo "--- xlate stderr (first 40 lines):"
        head -40 "$tmp/xlate.err"
        exit 1
    fi
done

[ $mode = aot ] && [ "${XL_GUEST_SELFCHECK:-0}" != 1 ] || exit 0
run "$tmp/stats" env XLATE_STATS=1 XLATE_LOG=jit bash -c 'exec -a "$0" "$@"' "$prog" \
    "$prog$out_suffix" "$@"
# The module line of PROG itself (its absolute path), else the process's line.
abs=$(realpath "$prog")
jit=$(awk -v m="module=$abs" '$1 == "xlate-stats:" && $2 == m { sub(/.*jit-blocks=/, ""); print $1 + 0 }' \
    "$tmp/stats.err")
[ -n "$jit" ] || jit=$(sed -n 's/^xlate-stats: aot-.* jit-blocks=\([0-9]*\) .*/\1/p' "$tmp/stats.err")
if [ -n "$jit" ] && [ "$jit" -gt "${XL_MAX_JIT_BLOCKS:-20}" ]; then
    echo "FAIL: $prog$out_suffix ran $jit blocks of its own code in the JIT (at most" \
        "${XL_MAX_JIT_BLOCKS:-20})"
    grep 'jit: translating' "$tmp/stats.err" | head -40
    exit 1
fi
exit 0
