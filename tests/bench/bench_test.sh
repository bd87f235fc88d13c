#!/bin/sh
# `xlate bench` end to end (CTest cli/bench):
#
#   bench_test.sh XLATE BENCH_DIR
#
# 1. refusals: an unknown option exits 2, a missing directory exits 1 with one line;
# 2. --quick on fib (-O0, one run): exit 0, the table has an ok fib row and a geomean row, the
#    CSV has the columns native, aot, jit and qemu with positive times and the AOT and JIT
#    code figures (so the runtime's stats line was read), the SVG is well-formed XML with a
#    bar per way;
# 3. a program whose native output differs (a fake NAME.native): its row says FAIL, the exit
#    status is 1.

XLATE=$1
DIR=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/xlate-bench-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../lib.sh"

for f in fib.native fib.arm; do
    [ -x "$DIR/$f" ] || { echo "FAIL: $DIR/$f is missing (the bench_programs target)"; exit 1; }
done

# 1. Refusals.
run 2 "$XLATE" bench --bogus
[ "$(head -n 1 "$T/err")" = "xlate: error: unknown option '--bogus'" ] ||
    fail "unknown option: got '$(head -n 1 "$T/err")'"
[ -s "$T/out" ] && fail "unknown option: something on stdout"
run 2 "$XLATE" bench --runs 0
run 1 "$XLATE" bench --dir "$T/nowhere"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "missing dir: $(wc -l <"$T/err") lines on stderr"
case $(cat "$T/err") in
    "xlate: error: no benchmark programs"*) ;;
    *) fail "missing dir: got '$(cat "$T/err")'" ;;
esac
run 1 "$XLATE" bench --dir "$DIR" --filter no-such-benchmark
run 0 "$XLATE" bench --help
grep -q 'xlate bench' "$T/out" || fail "bench --help does not describe xlate bench"

# 2. The quick run on fib.
run 0 "$XLATE" bench --dir "$DIR" --quick --filter fib --runs 1 -O0 --csv "$T/b.csv" \
    --chart "$T/b.svg"
cp "$T/out" "$T/table"
grep -q '^benchmark  *native  *aot  *jit  *qemu-arm  *aot/native' "$T/table" ||
    fail "no table header: $(head -5 "$T/table")"
grep -q '^fib .* ok$' "$T/table" || fail "no ok row for fib: $(cat "$T/table")"
grep -q '^geomean ' "$T/table" || fail "no geomean row"
[ "$(wc -l <"$T/b.csv")" -eq 2 ] || fail "CSV: $(wc -l <"$T/b.csv") lines, expected 2"
# Every named column of the header, then the values of the fib row by name.
awk -F, -v qemu="$(command -v qemu-arm)" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NR == 2 {
        for (k = split("benchmark native aot jit qemu", need, " "); k > 0; k--)
            if (!(need[k] in col)) { print "CSV: no column " need[k]; bad = 1 }
        if (bad) exit 1
        if ($col["benchmark"] != "fib") { print "CSV: row " $1; bad = 1 }
        for (k = split("native aot jit aot_guest_insns aot_code_bytes jit_guest_insns " \
                       "jit_code_bytes jit_translate_ms xlate_s aot_native", v, " "); k > 0; k--)
            if (!(v[k] in col) || !($col[v[k]] + 0 > 0)) {
                print "CSV: " v[k] " is not positive: \"" $col[v[k]] "\""; bad = 1
            }
        if (qemu != "" && !($col["qemu"] + 0 > 0)) { print "CSV: no qemu time"; bad = 1 }
        if ($col["check"] != "ok") { print "CSV: check is " $col["check"]; bad = 1 }
    }
    END { exit bad }' "$T/b.csv" >"$T/csv.log" || fail "$(cat "$T/csv.log")"
checks=$((checks + 1))
if command -v python3 >/dev/null 2>&1; then
    python3 - "$T/b.svg" >"$T/svg.log" 2>&1 <<'PY' || fail "SVG: $(cat "$T/svg.log")"
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
root = doc.documentElement
assert root.tagName == 'svg', root.tagName
assert root.getAttribute('xmlns') == 'http://www.w3.org/2000/svg'
text = ' '.join(t.firstChild.data for t in doc.getElementsByTagName('text') if t.firstChild)
for word in ('fib', 'geomean', 'AOT', 'JIT', 'qemu-arm', 'log scale'):
    assert word in text, 'no "%s" in the text of the chart' % word
bars = [r for r in doc.getElementsByTagName('rect') if r.getElementsByTagName('title')]
assert len(bars) >= 4, '%d bars' % len(bars)        # fib and geomean, aot and jit at least
PY
else
    grep -q '</svg>' "$T/b.svg" || fail "SVG: no </svg>"
fi
checks=$((checks + 1))

# 3. A wrong output is caught: the native side of 'fake' prints another checksum.
mkdir "$T/fake"
cp "$DIR/fib.arm" "$T/fake/fake.arm"
printf '#!/bin/sh\necho "checksum 0"\n' >"$T/fake/fake.native"
chmod +x "$T/fake/fake.native"
run 1 "$XLATE" bench --dir "$T/fake" --quick --no-qemu -O0 --csv "$T/f.csv"
grep -q '^fake .* FAIL$' "$T/out" || fail "the fake row is not flagged: $(cat "$T/out")"
grep -q '^FAIL fake: aot: output differs from native' "$T/out" ||
    fail "no reason for the failure: $(cat "$T/out")"
tail -n 1 "$T/f.csv" | grep -q ',FAIL$' || fail "CSV: the fake row is not FAIL"

finish
