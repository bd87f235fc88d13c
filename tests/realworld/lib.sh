# lib.sh: what busybox.sh and bash.sh share (tests/realworld/README.md); sourced, not run.
#
# The sourcing script sets
#   here         the directory of these scripts
#   rw_me        its name, for messages ("bash.sh")
#   rw_tool      the program under test, as ROOT/bin/$rw_tool runs it ("bash")
#   rw_packages  the Debian packages to fetch for armhf and amd64; busybox-static among them
#   rw_binary    the program under test in its package ("bin/bash-static")
#   rw_usage     the line range of its header that is the usage text (sed's "5,19")
# declares its cases with rw_add (or rw_script), then calls rw_main "$@".
#
# A case is an argv whose first word names a program in ROOT/bin: rw_tool, busybox, or a
# busybox applet (bin-SIDE holds busybox, a symlink to it per applet, and rw_tool). When the
# tool is not busybox itself, the ARM side's busybox is the armhf one (under --aot too), which
# the tool runs through exec, as on an ARM machine. A case may come with a script: its text is
# written to ROOT/script before the run.
# shellcheck shell=bash disable=SC2154  # rw_* and here: set by the sourcing script

names=() kinds=() argvs=() scripts=()
# rw_add KIND NAME PROG ARGS...: a case that runs ../bin/PROG ARGS (KIND: for the script).
rw_add() {
    local kind=$1 name=$2
    shift 2
    names+=("$name")
    kinds+=("$kind")
    argvs+=("$(printf '%q ' "$@")")
    scripts+=("")
}
# rw_script NAME TEXT PROG ARGS...: a case with ROOT/script (mode 755) holding TEXT.
rw_script() {
    local name=$1 text=$2
    shift 2
    rw_add script "$name" "$@"
    scripts[${#scripts[@]} - 1]=$text
}

rw_usage() {
    sed -n "${rw_usage}s/^# \\{0,1\\}//p" "$0" >&2
    exit 2
}

# quote WORD: WORD, in single quotes when the shell would need them; newlines shown as \n.
quote() {
    local w=$1 q="'\\''"
    if [[ $w =~ ^[A-Za-z0-9_./:@%+=,-]+$ ]]; then
        printf '%s' "$w"
    else
        w="'${w//\'/$q}'"
        printf '%s' "${w//$'\n'/\\n}"
    fi
}

# clip TEXT: printable, at most 150 characters.
clip() {
    local s
    s=$(printf '%s' "$1" | LC_ALL=C tr -c '[:print:]' '?')
    [ ${#s} -le 150 ] || s="${s:0:147}..."
    printf '%s' "$s"
}
describe_status() {
    case $1 in
    124) echo "timed out" ;;
    137) echo "killed after the time limit" ;;
    1[3-9][0-9] | 2[0-5][0-9]) echo "signal $(($1 - 128))" ;;
    *) echo "exit $1" ;;
    esac
}
# first_diff GOT WANT: the first differing line, as "line K: 'got', want 'want'".
first_diff() {
    local c n k
    c=$(cmp "$1" "$2" 2>&1)
    n=$(printf '%s\n' "$c" | sed -n 's/.* byte \([0-9]*\).*/\1/p' | head -n 1)
    n=${n:-0}
    case $c in *EOF*) ;; *) n=$((n - 1)) ;; esac
    k=$(($(head -c "$n" "$1" | wc -l) + 1))
    printf 'line %s: %s, want %s' "$k" "$(line_of "$1" "$k")" "$(line_of "$2" "$k")"
}
line_of() {   # line_of FILE K: 'line K', or nothing
    local l
    l=$(awk -v k="$2" 'NR == k { print "=" $0; exit }' "$1")
    if [ -n "$l" ]; then printf "'%s'" "$(clip "${l#=}")"; else printf 'nothing'; fi
}

# rw_translate ARM OUT: OUT made from ARM by `XLATE ARM -o OUT` unless it is there already,
# made by this xlate (the same bytes, recorded in OUT.xlate) from this ARM file (older than
# OUT). One translation at a time per directory (ctest -j).
rw_translate() {
    local arm=$1 out=$2 d
    # its own memo below: nothing goes into the user's cache of translated programs
    export XLATE_CACHE_PROGRAMS=0
    d=$(dirname "$out")
    mkdir -p "$d" || exit 1
    (
        flock 9
        made_by=$(sha256sum <"$xlate")
        if [ ! -x "$out" ] || [ "$made_by" != "$(cat "$out.xlate" 2>/dev/null)" ] ||
            [ "$arm" -nt "$out" ]; then
            echo "$rw_me: translating $arm into $out (-j $jobs)" >&2
            start=$(date +%s)
            log=$out.log
            if ! "$xlate" "$arm" -o "$out.tmp" -j "$jobs" >"$log" 2>&1; then
                echo "$rw_me: the translation failed:" >&2
                tail -n 20 "$log" >&2
                rm -f "$out.tmp"
                echo "FAIL aot-translation: $(tail -n 1 "$log")"
                echo "0 passed, 1 failed"
                exit 1
            fi
            mv -f "$out.tmp" "$out" && printf '%s\n' "$made_by" >"$out.xlate" || exit 1
            echo "$rw_me: translated in $(($(date +%s) - start)) s" >&2
        fi
    ) 9>"$d/.lock" || exit 1
}

# make_bin SIDE TOOL BUSYBOX: ROOT/bin of SIDE ($T/bin-SIDE): busybox, a symlink to it per
# applet (`busybox --install -s`), and rw_tool.
make_bin() {
    local d=$T/bin-$1 a
    mkdir -p "$d" && ln -s "$3" "$d/busybox" || exit 1
    for a in $applets; do
        [ "$a" = busybox ] || ln -s busybox "$d/$a" || exit 1
    done
    [ "$rw_tool" = busybox ] || ln -sf "$2" "$d/$rw_tool" || exit 1
}

# The input files, every time the same: text, binary, a tree, and archives made by the amd64
# busybox; all with one fixed modification time.
prepare() {
    local bb=$T/bin-x86/busybox i bytes=''
    mkdir -p "$tpl/sub/b" "$tpl/tree/d" || exit 1
    cd "$tpl" || exit 1
    printf '%s\n' banana apple cherry 'apple pie' date elderberry fig 'grape fruit' >lines.txt
    printf '%s\n' banana apple cherry 'apple tart' date elderberry fig 'grape fruit' kiwi \
        >lines2.txt
    printf '%s\n' 'the quick brown fox' 'jumps over the lazy dog' 'the end' the >words.txt
    printf '%s\n' 10 2 33 -4 5.5 100 0 7 >nums.txt
    printf '%s\n' root:x:0:0 alice:x:1000:100 bob:x:999:100 carol:x:1001:50 dave:x:7:100 \
        >data.txt
    printf '%s\n' a a b c c c d a >sorted.txt
    printf 'a\tb\tc\n\tindented\nno tabs\n' >tabs.txt
    printf 'aGVsbG8sIHdvcmxkIQo=\n' >b64.txt
    printf '68656c6c6f2c20787864210a\n' >hex.txt
    for i in $(seq 0 255); do bytes+=$(printf '\\%03o' "$i"); done
    # shellcheck disable=SC2059
    printf "$bytes$bytes" >bin.dat
    printf 'first\n' >sub/a.txt
    printf 'second\nline\n' >sub/b/c.txt
    : >sub/empty
    printf 'in the tree\n' >tree/d/f.txt
    ln -s lines.txt link0
    "$bb" gzip -c lines.txt >lines.gz
    "$bb" bzip2 -c lines.txt >lines.bz2
    "$bb" md5sum lines.txt bin.dat >sums.md5
    find . -depth -exec touch -h -d @1000000000 {} + || exit 1
    "$bb" tar -cf tree.tar tree && "$bb" tar -czf tree.tgz tree || exit 1
    rm -r tree
    find . -depth -exec touch -h -d @1000000000 {} + || exit 1
    cd / || exit 1
}

# files DIR: every entry of DIR (type, mode, size, symlink target), then the SHA-256 of the
# regular files.
files() {
    (
        cd "$1" || exit 1
        find . -mindepth 1 \( -type d -printf '%y %m %p\n' \) -o -printf '%y %m %s %p %l\n' |
            LC_ALL=C sort
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
    )
}

# run_side SIDE ROOT OUT CASE: runs the case; OUT.out, OUT.err, OUT.files, $status.
run_side() {
    local side=$1 root=$2 out=$3 i=$4
    rm -rf "$root" && mkdir -p "$root" && cp -a "$tpl" "$root/work" &&
        ln -s "$T/bin-$side" "$root/bin" || exit 1
    if [ -n "${scripts[i]}" ]; then
        printf '%s\n' "${scripts[i]}" >"$root/script" && chmod 755 "$root/script" || exit 1
    fi
    eval "set -- ${argvs[i]}"
    set -- "../bin/$1" "${@:2}"
    [ "$side" != arm ] || set -- "$xlate" run "$@"
    # This shell's stderr off meanwhile: it reports a case killed by a signal ("Terminated")
    # there after the command's own redirections are gone.
    exec 8>&2 2>/dev/null
    (cd "$root/work" &&
        exec env -i "${case_env[@]}" PATH="$root/bin" "$timeout_bin" -k 5 "$tmo" "$@") \
        </dev/null >"$out.out" 2>"$out.err" 8>&-
    status=$?
    exec 2>&8 8>&-
    files "$root/work" >"$out.files"
}

# rw_main ARGS: the options (the usage text of the sourcing script), then every selected case.
rw_main() {
    local mode=jit include='' exclude='' list=0 verbose=0 selfcheck=0
    local dir=${XL_REALWORLD_DIR:-} rc i n w line
    tmo=30
    jobs=$(nproc 2>/dev/null || echo 2)
    while [ $# -gt 0 ]; do
        case $1 in
        --aot) mode=aot ;;
        -r) [ $# -ge 2 ] || rw_usage; include=$2; shift ;;
        -x) [ $# -ge 2 ] || rw_usage; exclude=$2; shift ;;
        -l | --list) list=1 ;;
        -v) verbose=1 ;;
        -d) [ $# -ge 2 ] || rw_usage; dir=$2; shift ;;
        -t) [ $# -ge 2 ] || rw_usage; tmo=$2; shift ;;
        -j) [ $# -ge 2 ] || rw_usage; jobs=$2; shift ;;
        --selfcheck) selfcheck=1 ;;
        -h | --help) rw_usage ;;
        -*) echo "$rw_me: unknown option $1" >&2; rw_usage ;;
        *) break ;;
        esac
        shift
    done
    xlate=${1:-}
    [ $# -le 1 ] || rw_usage

    local selected=()
    for i in "${!names[@]}"; do
        n=${names[i]}
        if [ -n "$include" ] && ! [[ $n =~ $include ]]; then continue; fi
        if [ -n "$exclude" ] && [[ $n =~ $exclude ]]; then continue; fi
        selected+=("$i")
    done

    if [ $list = 1 ]; then
        for i in "${selected[@]}"; do
            eval "set -- ${argvs[i]}"
            # The program under test by its name, anything else as the path it runs by.
            if [ "$1" = "$rw_tool" ]; then line=$1; else line=../bin/$1; fi
            shift
            for w in "$@"; do line+=" $(quote "$w")"; done
            [ -z "${scripts[i]}" ] || line+="   # ../script: $(quote "${scripts[i]}")"
            printf '%-24s %s\n' "${names[i]}" "$line"
        done
        exit 0
    fi
    if [ $selfcheck = 0 ]; then
        [ -n "$xlate" ] || rw_usage
        if [ ! -x "$xlate" ]; then
            echo "$rw_me: $xlate: not an executable" >&2
            exit 2
        fi
        xlate=$(cd "$(dirname "$xlate")" && pwd)/$(basename "$xlate")
        [ -n "$dir" ] || dir=$(dirname "$xlate")/realworld
    fi
    [ -n "$dir" ] || dir=$here/../../build/realworld
    if [ ${#selected[@]} -eq 0 ]; then
        echo "$rw_me: no case matches" >&2
        exit 2
    fi

    # ---- the binaries ----
    "$here/fetch.sh" -d "$dir" "${rw_packages[@]}" >&2
    rc=$?
    [ $rc = 0 ] || exit $((rc == 77 ? 77 : 1))
    dir=$(cd "$dir" && pwd)
    local arm=$dir/armhf/$rw_binary x86=$dir/amd64/$rw_binary
    local arm_bb=$dir/armhf/bin/busybox x86_bb=$dir/amd64/bin/busybox f
    for f in "$arm" "$x86" "$arm_bb" "$x86_bb"; do
        if [ ! -x "$f" ]; then
            echo "$rw_me: $f is missing after fetch.sh" >&2
            exit 77
        fi
    done
    # The two sides are only comparable as builds of one source version (a suite that apt
    # could not read for one architecture, e.g. -security, leaves an older one).
    local p va vb
    for p in "${rw_packages[@]}"; do
        va=$(cat "$dir/armhf/.fetched/$p") vb=$(cat "$dir/amd64/.fetched/$p")
        va=${va#*_} vb=${vb#*_}
        va=${va%%_*} vb=${vb%%_*}
        [ "${va%+b*}" = "${vb%+b*}" ] ||
            echo "$rw_me: warning: $p versions differ: armhf $va, amd64 $vb" >&2
    done
    local aot=$dir/aot/$rw_tool.x86
    [ $mode = jit ] || [ $selfcheck = 1 ] || rw_translate "$arm" "$aot"

    T=$(mktemp -d "${TMPDIR:-/tmp}/xl-$rw_tool.XXXXXX") || exit 1
    trap 'rm -rf "$T"' EXIT
    ulimit -c 0
    umask 022
    timeout_bin=$(command -v timeout) || { echo "$rw_me: no timeout command" >&2; exit 1; }
    case_env=(LC_ALL=C TZ=UTC HOME=/nonexistent)   # and PATH=ROOT/bin

    applets=$("$x86_bb" --list) || exit 1
    local sides
    make_bin x86 "$x86" "$x86_bb"
    if [ $selfcheck = 1 ]; then
        sides=(x86 x86)
    elif [ $mode = aot ]; then
        # The translated busybox is its own busybox; another tool's children run the ARM one.
        if [ "$rw_tool" = busybox ]; then make_bin aot "$aot" "$aot"; else make_bin aot "$aot" "$arm_bb"; fi
        sides=(aot x86)
    else
        make_bin arm "$arm" "$arm_bb"
        sides=(arm x86)
    fi
    tpl=$T/tpl
    prepare

    local passed=0 failed=0 name got want root2 reasons r msg err
    for i in "${selected[@]}"; do
        name=${names[i]}
        run_side "${sides[0]}" "$T/run" "$T/a" "$i"
        got=$status
        if [ $selfcheck = 1 ]; then root2=$T/run-again; else root2=$T/run; fi
        run_side "${sides[1]}" "$root2" "$T/b" "$i"
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
        if [ ${#reasons[@]} -eq 0 ]; then
            echo "PASS $name"
            passed=$((passed + 1))
            continue
        fi
        err=$(head -n 1 "$T/a.err")
        if [ -n "$err" ] && [ "$err" != "$(head -n 1 "$T/b.err")" ]; then
            reasons+=("stderr: $(clip "$err")")
        fi
        msg=${reasons[0]}
        for r in "${reasons[@]:1}"; do msg+="; $r"; done
        echo "FAIL $name: $msg"
        failed=$((failed + 1))
        if [ $verbose = 1 ]; then
            diff -u --label "${sides[1]} (want)" --label "${sides[0]}" "$T/b.out" "$T/a.out" |
                head -n 40 | sed 's/^/    /'
            diff -u --label "${sides[1]} files" --label "${sides[0]} files" \
                "$T/b.files" "$T/a.files" | head -n 20 | sed 's/^/    /'
            echo "    --- ${sides[0]} stderr:"
            head -n 20 "$T/a.err" | sed 's/^/    /'
        fi
    done
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
