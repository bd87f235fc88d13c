#!/usr/bin/env bash
# dynamic.sh: Debian 12's own dynamically linked armhf programs (sqlite3, gawk, lua5.4,
# coreutils, grep, sed, xz), unpacked with their libraries into one sysroot, under
# `xlate run -L ROOT` (or translated: `xlate -L ROOT PROG -o PROG.x86`) against
# `qemu-arm -L ROOT`, case by case.
#
#   tests/realworld/dynamic.sh [OPTIONS] XLATE
#
#   --aot        run translations of the programs (made once into DIR/aot-dynamic/, made
#                again when XLATE changes), with the program's path as argv[0]; their
#                libraries are translated into $XLATE_CACHE_DIR (default:
#                DIR/aot-dynamic/cache)
#   -r REGEX     only the cases whose names match REGEX (bash extended regex)
#   -x REGEX     leave out the cases whose names match REGEX
#   -l, --list   list the selected cases (name, stdin, then the command) and exit
#   -v           on a failure, also print both outputs' diff and xlate's stderr
#   -d DIR       the sysroot's parent (default: $XL_REALWORLD_DIR, else DIR/realworld beside
#                XLATE); fetch.sh fills DIR/armhf first (a no-op when it is there)
#   -t SECS      the time limit of one run (default 60; a run is killed 5 s later)
#   --qemu PATH  the oracle (default: qemu-arm on PATH)
#   -j N         threads for the --aot translations (default: the number of cores)
#
# Examples:
#   tests/realworld/dynamic.sh build/xlate                  # every case
#   tests/realworld/dynamic.sh -r '^sqlite/' -v build/xlate
#   tests/realworld/dynamic.sh --aot build/xlate            # every case, translated
#
# A case is one program of the sysroot (a path inside it, as usr/bin/sqlite3) with arguments
# and a file of the work directory (or /dev/null) as stdin. Both sides run it by its absolute
# host path (so argv[0] is the same), in ROOT/work: a fresh copy of prepared input files with
# fixed contents and times, with the environment LC_ALL=C TZ=UTC HOME=/nonexistent
# PATH=/nonexistent TMPDIR=ROOT/tmp, under `timeout -k 5 SECS`. Compared: stdout, the exit
# status, stderr, and the files left in ROOT/work (type, mode, size, symlink target, SHA-256).
#
# Output: "PASS NAME" or "FAIL NAME: REASON" per case, then "N passed, N failed".
# Exit status: 0 every case passed, 1 a case failed, 2 usage, 77 no sysroot (fetch failed) or
# no qemu-arm.
# shellcheck disable=SC2016  # the cases' programs are in single quotes on purpose
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/realworld/lib.sh
. "$here/lib.sh"   # quote, clip, describe_status, first_diff, files
me=dynamic.sh
packages=(sqlite3 gawk lua5.4 coreutils grep sed xz-utils)

# ---- the cases ----
# dcase NAME STDIN PROG ARGS...: ROOT/PROG ARGS < work/STDIN ("-": /dev/null).
names=() stdins=() argvs=()
dcase() {
    names+=("$1")
    stdins+=("$2")
    shift 2
    argvs+=("$(printf '%q ' "$@")")
}

# sqlite3 (libsqlite3, libreadline, libz): SQL read from stdin.
dcase sqlite/200k rows.sql usr/bin/sqlite3 :memory:
dcase sqlite/functions funcs.sql usr/bin/sqlite3 -batch :memory:
dcase sqlite/file-db make.sql usr/bin/sqlite3 -batch new.db
dcase sqlite/modes - usr/bin/sqlite3 -header -column :memory: \
    "SELECT 1 AS one, 'two' AS two, 3.5 AS three UNION ALL SELECT 10, 'twenty', -0.25;"
dcase sqlite/csv - usr/bin/sqlite3 -csv :memory: \
    "SELECT 'a,b', 'say \"hi\"', NULL, x'414243', 1e-7, 9223372036854775807;"
dcase sqlite/error - usr/bin/sqlite3 :memory: "SELECT * FROM missing;"
dcase sqlite/dump dump.sql usr/bin/sqlite3 -batch :memory:

# gawk (libmpfr, libgmp, libsigsegv, libreadline).
dcase gawk/fields - usr/bin/gawk -F: \
    '{ n[$4]++; s[$4] = s[$4] " " $1 } END { PROCINFO["sorted_in"] = "@ind_num_asc"; for (g in n) printf "%s %d%s\n", g, n[g], s[g] }' \
    data.txt
dcase gawk/math - usr/bin/gawk \
    'BEGIN { printf "%.17g %.17g %.17g %.17g\n", sin(1), exp(10), log(3), atan2(1, 2); printf "%d %x %o %e %g\n", 2^53, 255, 8, 1/3, 1e-5; print int(-3.7), 7 % 3, -7 % 3, 2 ** 0.5; srand(7); print rand() < 1 }'
dcase gawk/strings - usr/bin/gawk \
    '{ a = $0; gsub(/[aeiou]/, "<&>", a); print toupper($1), length($0), a, gensub(/(\w+) (\w+)/, "\\2 \\1", "g") } END { n = split("a:b::c", p, ":"); print n, p[3] "|" p[4]; if (match("foo123bar", /[0-9]+/, m)) print RSTART, RLENGTH, m[0] }' \
    words.txt
dcase gawk/mpfr - usr/bin/gawk -M 'BEGIN { print 2^200; print 3^100 % 1000007; printf "%.30f\n", 1/3 }'
dcase gawk/bigfile - usr/bin/gawk '{ s += $1; c[$2]++ } END { print NR, s; PROCINFO["sorted_in"] = "@ind_str_asc"; for (k in c) print k, c[k] }' big.txt
dcase gawk/printf-sort - usr/bin/gawk \
    'BEGIN { for (i = 0; i < 2000; i++) v[i] = (i * 7919) % 2003; n = asort(v, w); for (i = 1; i <= n; i += 250) printf "%5d %s\n", w[i], sprintf("%08.3f|%-6s|%c", w[i] / 7, "ab", 65 + i % 26) }'

# lua5.4 (liblua5.4).
dcase lua/script - usr/bin/lua5.4 t.lua a b
dcase lua/error - usr/bin/lua5.4 -e 'local t = nil; print(pcall(function() return t.x end)); error("boom")'
dcase lua/stdin words.txt usr/bin/lua5.4 -e 'local n = 0; for l in io.lines() do n = n + #l; io.write(l:reverse(), "\n") end; print(n)'

# coreutils.
dcase core/ls-ln - bin/ls -lnR --time-style=+%s
dcase core/ls-sort - bin/ls -1aSr
dcase core/sort-n nums.txt usr/bin/sort -n
dcase core/sort-key - usr/bin/sort -t: -k3,3n -k1,1r data.txt
dcase core/sort-big - usr/bin/sort --parallel=2 -S 64K -k2,2 -k1,1n big.txt -o sorted-big.txt
dcase core/sort-u - usr/bin/sort -u -r lines.txt lines2.txt
dcase core/sha256sum - usr/bin/sha256sum lines.txt bin.dat big.txt
dcase core/sha256-check - usr/bin/sha256sum -c sums.sha256
dcase core/md5-b2 - usr/bin/b2sum -l 128 bin.dat
dcase core/seq - usr/bin/seq -w 0 7 100
dcase core/seq-float - usr/bin/seq -f '%.3e' 0.5 0.25 3
dcase core/seq-big - usr/bin/seq 999999999990 999999999999
dcase core/printf - usr/bin/printf '%s=%d %5.2f %x %o %c|%-4s|%4s|%%|%b|%q\n' a 42 3.14159 255 8 xyz ab cd 'x\ty' 'a b'
dcase core/printf-float - usr/bin/printf '%.20g %a %e %G\n' 0.1 1.5 1e300 1e-300
dcase core/expr - usr/bin/expr '(' 123456789 '*' 1000 ')' / 7 % 1000 + 2
dcase core/expr-match - usr/bin/expr match abc123def '[a-z]*\([0-9]*\)'
dcase core/expr-false - usr/bin/expr 3 '<' 2
dcase core/wc - usr/bin/wc lines.txt words.txt big.txt
dcase core/tr words.txt usr/bin/tr -s 'a-z ' 'A-Z_'
dcase core/cut - usr/bin/cut -d: -f1,3 --output-delimiter=' ' data.txt
dcase core/od - usr/bin/od -A x -t x1z -N 64 bin.dat
dcase core/base64 - usr/bin/base64 -w 40 bin.dat
dcase core/date - bin/date -u -d @1234567890 '+%Y-%m-%d %H:%M:%S %j %a %s'
dcase core/factor - usr/bin/factor 600851475143 9999999967 18446744073709551557
dcase core/stat - usr/bin/stat -c '%n %s %a %F %Y' lines.txt sub link0
dcase core/cp-mv - bin/cp -a sub sub2
dcase core/missing - bin/cat missing.txt
dcase core/head-tail - usr/bin/tail -n 3 big.txt

# grep (libpcre2-8).
dcase grep/E - bin/grep -E -n '^(apple|b.n)' lines.txt lines2.txt
dcase grep/count - bin/grep -c -i -w the words.txt
dcase grep/o - bin/grep -o -E '[0-9]+' data.txt
dcase grep/P - bin/grep -P '(?<=a)p+' lines.txt
dcase grep/r - bin/grep -r -l second .
dcase grep/none - bin/grep nothing-here lines.txt
dcase grep/big - bin/grep -c -E ' (abc|def) 0*1' big.txt

# sed.
dcase sed/s - bin/sed -e 's/a/A/g' -e '2d' -e '$a\' -e 'the end' lines.txt
dcase sed/E - bin/sed -E -n 's/^([a-z]+) ([a-z]+).*/\2-\1/p' lines.txt words.txt
dcase sed/y-range - bin/sed -n '/cherry/,/fig/{y/abcdefghij/ABCDEFGHIJ/;=;p}' lines.txt
dcase sed/in-place - bin/sed -i.bak -e 's/[0-9]/#/g' data.txt
dcase sed/error - bin/sed -e 's/unterminated' lines.txt

# xz (liblzma).
dcase xz/compress - usr/bin/xz -c -6 big.txt
dcase xz/threads - usr/bin/xz -k -T2 --block-size=256KiB big.txt
dcase xz/decompress - usr/bin/xz -d -c lines.xz
dcase xz/list - usr/bin/xz -l -vv lines.xz
dcase xz/corrupt - usr/bin/xz -t broken.xz

# ---- the driver ----
usage() {
    sed -n '7,22s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

# The input files, every time the same, with one fixed modification time.
prepare() {
    local i bytes=''
    mkdir -p "$tpl/sub/b" || exit 1
    cd "$tpl" || exit 1
    printf '%s\n' banana apple cherry 'apple pie' date elderberry fig 'grape fruit' >lines.txt
    printf '%s\n' banana apple cherry 'apple tart' date elderberry fig 'grape fruit' kiwi \
        >lines2.txt
    printf '%s\n' 'the quick brown fox' 'jumps over the lazy dog' 'the end' the >words.txt
    printf '%s\n' 10 2 33 -4 5.5 100 0 7 >nums.txt
    printf '%s\n' root:x:0:0 alice:x:1000:100 bob:x:999:100 carol:x:1001:50 dave:x:7:100 \
        >data.txt
    for i in $(seq 0 255); do bytes+=$(printf '\\%03o' "$i"); done
    # shellcheck disable=SC2059
    printf "$bytes$bytes" >bin.dat
    awk 'BEGIN { for (i = 0; i < 100000; i++)
                     printf "%d %s %05d\n", (i * 7919) % 100003, substr("abcdefghij", i % 8 + 1, 3), i }' \
        >big.txt
    printf 'first\n' >sub/a.txt
    printf 'second\nline\n' >sub/b/c.txt
    ln -s lines.txt link0
    sha256sum lines.txt bin.dat >sums.sha256
    printf '%s\n' 'lines.txt: garbage line' >>sums.sha256
    xz -c lines.txt >lines.xz && head -c 60 lines.xz >broken.xz || exit 1
    cat >rows.sql <<'EOF'
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, s TEXT, x REAL);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000)
INSERT INTO t SELECT i, (i * 7919) % 1000, printf('n%06d', (i * 31) % 200000), i / 7.0 FROM c;
CREATE INDEX tk ON t(k);
SELECT count(*), sum(k), total(x), min(s), max(s) FROM t;
SELECT k, count(*), round(avg(x), 4) FROM t WHERE k < 5 GROUP BY k ORDER BY k;
SELECT s, id FROM t ORDER BY s DESC, id LIMIT 3;
SELECT k % 7, count(*), max(id) FROM t WHERE s LIKE 'n1%5' GROUP BY 1 ORDER BY 1;
SELECT id, sum(k) OVER (ORDER BY id ROWS 2 PRECEDING) FROM t WHERE id <= 5;
SELECT count(*) FROM t a JOIN t b ON b.id = a.k + 1 WHERE a.id % 1000 = 0;
EOF
    cat >funcs.sql <<'EOF'
SELECT printf('%.3f %e %d %s %5.1f|%-5s|', pi(), 1e100 / 3, 1 << 40, 'x', -2.25, 'ab');
SELECT sqrt(2), power(2, 0.5), ln(10), exp(1), 7 / 2, 7 / 2.0, -7 % 3, 1e308 * 10;
SELECT json_object('a', 1, 'b', json_array(1, 2.5, 'x')), json_extract('{"x":[1,{"y":2}]}', '$.x[1].y');
SELECT hex(zeroblob(4)), upper('abc'), length('h€llo'), substr('hello', 2, 3), replace('aaa', 'a', 'bc');
SELECT quote('it''s'), typeof(1), typeof(1.0), typeof('1'), typeof(x'00'), typeof(NULL);
SELECT group_concat(v, '-') FROM (SELECT value AS v FROM json_each('[3,1,2]') ORDER BY v);
SELECT date('2024-02-28', '+1 day'), strftime('%s', '2001-09-09 01:46:40'), julianday('2000-01-01');
SELECT instr('banana', 'nan'), trim('  x  '), ltrim('xxy', 'x'), char(72, 105), unicode('€');
SELECT abs(-9223372036854775807), round(2.5), round(-2.5), cast('12abc' AS INTEGER), 0x7fffffff + 1;
EOF
    cat >make.sql <<'EOF'
CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)
INSERT INTO kv SELECT printf('key%05d', i), zeroblob(i % 97) FROM c;
DELETE FROM kv WHERE k LIKE '%7';
SELECT count(*), sum(length(v)) FROM kv;
PRAGMA integrity_check;
EOF
    cat >dump.sql <<'EOF'
CREATE TABLE p(a INTEGER, b TEXT, c REAL, d BLOB);
INSERT INTO p VALUES (1, 'one', 1.5, x'01ff'), (2, 'it''s', -0.0, NULL), (NULL, '', 1e-300, x'');
CREATE VIEW v AS SELECT a * 2 AS a2 FROM p;
.dump
EOF
    cat >t.lua <<'EOF'
print(_VERSION, #arg, arg[1], arg[2])
local t = {}
for i = 1, 10 do t[i] = i * i end
print(table.concat(t, ","), #t, select("#", 1, 2, 3))
print(string.format("%5.2f|%-5s|%x|%q|%g", math.pi, "ab", 255, "a\nb", 1e20))
print(math.maxinteger, math.mininteger, 7 // 2, -7 // 2, 7 % -3, 2^63, 1 // 0.0, 3 | 5, 6 ~ 3)
print(("hello world"):gsub("o", "0"), ("x=1, y=22"):match("y=(%d+)"))
for k, v in string.gmatch("a=1, b=2", "(%w+)=(%w+)") do io.write(k, v, ";") end print()
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
print(co(1), co(10))
local mt = {__add = function(a, b) return a.v + b.v end, __tostring = function() return "obj" end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(a + b, tostring(a), rawequal(a, b))
local keys = {}
for k in pairs({x = 1, y = 2, z = 3}) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "), os.date("!%Y-%m-%d %H:%M:%S", 1234567890))
local big = {}
for i = 1, 200000 do big[i] = {i, tostring(i)} end
local s = 0
for _, v in ipairs(big) do s = s + v[1] + #v[2] end
print(s, string.rep("ab", 3, "-"), utf8.char(8364, 72), utf8.len("h€llo"))
print(pcall(error, {code = 42}), select(2, pcall(error, "msg", 0)))
print(string.pack and #string.pack("<i4d", 1, 2.0), tonumber("0x10"), tonumber("z", 36), math.tointeger(3.0))
EOF
    find . -depth -exec touch -h -d @1000000000 {} + || exit 1
    cd / || exit 1
}

# run_side SIDE OUT CASE: runs the case in $T/run; OUT.out, OUT.err, OUT.files, $status.
run_side() {
    local side=$1 out=$2 i=$3 root=$T/run stdin
    rm -rf "$root" && mkdir -p "$root/tmp" && cp -a "$tpl" "$root/work" || exit 1
    eval "set -- ${argvs[i]}"
    set -- "$sysroot/$1" "${@:2}"
    if [ "$side" = qemu ]; then
        set -- "$qemu" -L "$sysroot" "$@"
    elif [ $mode = aot ]; then
        set -- "$BASH" -c 'exec -a "$0" "$@"' "$1" "$(aot_of "$1")" "${@:2}"
    else
        set -- "$xlate" run -L "$sysroot" "$@"
    fi
    stdin=/dev/null
    [ "${stdins[i]}" = - ] || stdin=$root/work/${stdins[i]}
    # This shell's stderr off meanwhile: it reports a case killed by a signal there.
    exec 8>&2 2>/dev/null
    (cd "$root/work" && exec env -i LC_ALL=C TZ=UTC HOME=/nonexistent PATH=/nonexistent \
        TMPDIR="$root/tmp" "$timeout_bin" -k 5 "$tmo" "$@") \
        <"$stdin" >"$out.out" 2>"$out.err" 8>&-
    status=$?
    exec 2>&8 8>&-
    files "$root/work" >"$out.files"
}

# aot_of PROG: the translation of the program at absolute path PROG.
aot_of() {
    printf '%s/aot-dynamic/%s.x86' "$dir" "$(printf '%s' "${1#"$sysroot"/}" | tr / _)"
}

# translate PROG: its translation made unless this xlate made it already (one at a time).
translate() {
    local arm=$1 out
    out=$(aot_of "$1")
    mkdir -p "$dir/aot-dynamic" || exit 1
    (
        flock 9
        made_by=$(sha256sum <"$xlate")
        if [ ! -x "$out" ] || [ "$made_by" != "$(cat "$out.xlate" 2>/dev/null)" ] ||
            [ "$arm" -nt "$out" ]; then
            echo "$me: translating $arm" >&2
            if ! "$xlate" -L "$sysroot" "$arm" -o "$out.tmp" -j "$jobs" >"$out.log" 2>&1; then
                echo "FAIL aot-translation of $arm: $(tail -n 1 "$out.log")"
                exit 1
            fi
            mv -f "$out.tmp" "$out" && printf '%s\n' "$made_by" >"$out.xlate" || exit 1
        fi
    ) 9>"$dir/aot-dynamic/.lock"
}

include='' exclude='' list=0 verbose=0 dir=${XL_REALWORLD_DIR:-} tmo=60 qemu='' mode=jit
jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
    case $1 in
    --aot) mode=aot ;;
    -j) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
    -r) [ $# -ge 2 ] || usage; include=$2; shift ;;
    -x) [ $# -ge 2 ] || usage; exclude=$2; shift ;;
    -l | --list) list=1 ;;
    -v) verbose=1 ;;
    -d) [ $# -ge 2 ] || usage; dir=$2; shift ;;
    -t) [ $# -ge 2 ] || usage; tmo=$2; shift ;;
    --qemu) [ $# -ge 2 ] || usage; qemu=$2; shift ;;
    -h | --help) usage ;;
    -*) echo "$me: unknown option $1" >&2; usage ;;
    *) break ;;
    esac
    shift
done
[ $# -le 1 ] || usage
xlate=${1:-}

selected=()
for i in "${!names[@]}"; do
    n=${names[i]}
    if [ -n "$include" ] && ! [[ $n =~ $include ]]; then continue; fi
    if [ -n "$exclude" ] && [[ $n =~ $exclude ]]; then continue; fi
    selected+=("$i")
done
if [ ${#selected[@]} -eq 0 ]; then
    echo "$me: no case matches" >&2
    exit 2
fi
if [ $list = 1 ]; then
    for i in "${selected[@]}"; do
        eval "set -- ${argvs[i]}"
        line=$1
        for w in "${@:2}"; do line+=" $(quote "$w")"; done
        [ "${stdins[i]}" = - ] || line+=" < ${stdins[i]}"
        printf '%-20s %s\n' "${names[i]}" "$line"
    done
    exit 0
fi
[ -n "$xlate" ] || usage
if [ ! -x "$xlate" ]; then
    echo "$me: $xlate: not an executable" >&2
    exit 2
fi
xlate=$(cd "$(dirname "$xlate")" && pwd)/$(basename "$xlate")
[ -n "$dir" ] || dir=$(dirname "$xlate")/realworld
[ -n "$qemu" ] || qemu=$(command -v qemu-arm) || { echo "$me: no qemu-arm" >&2; exit 77; }

"$here/fetch.sh" -d "$dir" -a armhf -r "${packages[@]}" >&2
rc=$?
[ $rc = 0 ] || exit $((rc == 77 ? 77 : 1))
sysroot=$(cd "$dir/armhf" && pwd)
for f in usr/bin/sqlite3 usr/bin/gawk usr/bin/lua5.4 bin/ls bin/grep bin/sed usr/bin/xz \
    lib/ld-linux-armhf.so.3; do
    if [ ! -e "$sysroot/$f" ]; then
        echo "$me: $sysroot/$f is missing after fetch.sh" >&2
        exit 77
    fi
done

dir=$(cd "$dir" && pwd)
if [ $mode = aot ]; then
    # The libraries' translations: a cache of the test's own, not the user's.
    export XLATE_CACHE_DIR=${XLATE_CACHE_DIR:-$dir/aot-dynamic/cache}
    export XLATE_CACHE_PROGRAMS=0     # every program translated here, none copied
    declare -A progs=()
    for i in "${selected[@]}"; do
        eval "set -- ${argvs[i]}"
        progs[$1]=1
    done
    for p in "${!progs[@]}"; do
        translate "$sysroot/$p" || { echo "0 passed, 1 failed"; exit 1; }
    done
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/xl-dynamic.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
ulimit -c 0
umask 022
timeout_bin=$(command -v timeout) || { echo "$me: no timeout command" >&2; exit 1; }
tpl=$T/tpl
prepare

passed=0 failed=0
for i in "${selected[@]}"; do
    name=${names[i]}
    run_side xlate "$T/a" "$i"
    got=$status
    run_side qemu "$T/b" "$i"
    want=$status
    reasons=()
    if [ "$got" != "$want" ]; then
        reasons+=("$(describe_status "$got"), want $(describe_status "$want")")
    fi
    if ! cmp -s "$T/a.out" "$T/b.out"; then
        reasons+=("stdout $(first_diff "$T/a.out" "$T/b.out")")
    fi
    if ! cmp -s "$T/a.files" "$T/b.files"; then
        line=$(diff "$T/a.files" "$T/b.files" | grep -m 1 '^[<>]')
        reasons+=("files: $(clip "$line")")
    fi
    if ! cmp -s "$T/a.err" "$T/b.err"; then
        reasons+=("stderr $(first_diff "$T/a.err" "$T/b.err")")
    fi
    if [ ${#reasons[@]} -eq 0 ]; then
        echo "PASS $name"
        passed=$((passed + 1))
        continue
    fi
    msg=${reasons[0]}
    for r in "${reasons[@]:1}"; do msg+="; $r"; done
    echo "FAIL $name: $msg"
    failed=$((failed + 1))
    if [ $verbose = 1 ]; then
        diff -u --label "qemu-arm (want)" --label xlate "$T/b.out" "$T/a.out" |
            head -n 40 | sed 's/^/    /'
        diff -u --label "qemu-arm files" --label "xlate files" "$T/b.files" "$T/a.files" |
            head -n 20 | sed 's/^/    /'
        echo "    --- xlate stderr:"
        head -n 20 "$T/a.err" | sed 's/^/    /'
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
