#!/usr/bin/env bash
# bash.sh: Debian 12's static bash (package bash-static), armhf under xlate against amd64
# natively, one shell command line or script per case.
#
#   tests/realworld/bash.sh [OPTIONS] XLATE
#
#   --aot        run a translation of the ARM bash (`XLATE bash-static -o bash.x86`, made once
#                and kept in DIR/aot/, made again when XLATE changes or the ARM bash is newer)
#                instead of `XLATE run bash-static`
#   -r REGEX     only the cases whose names match REGEX (bash extended regex)
#   -x REGEX     leave out the cases whose names match REGEX
#   -l, --list   list the selected cases (name, then the command) and exit; XLATE not needed
#   -v           on a failure, also print both outputs' diff and the ARM side's stderr
#   -d DIR       the sysroots (default: $XL_REALWORLD_DIR, else DIR/realworld beside XLATE);
#                fetch.sh fills them first (a no-op when they are there)
#   -t SECS      the time limit of one run (default 30; a run is killed 5 s later)
#   -j N         threads for the --aot translation (default: the number of cores)
#   --selfcheck  run the amd64 bash twice, in two different directories, instead of the ARM
#                one: every case must be deterministic (XLATE not needed)
#
# Examples:
#   tests/realworld/bash.sh build/xlate                      # every case, JIT
#   tests/realworld/bash.sh --aot -r '^trap/' -v build/xlate # the trap cases, AOT, with diffs
#   tests/realworld/bash.sh --list
#
# Each case is `bash -c LINE` or `bash ../script ARGS` (a script file beside the work
# directory), bash being ../bin/bash, a symlink to bash-static. External commands are busybox
# applets: ROOT/bin holds busybox (the armhf one on the ARM side, so the ARM bash execs ARM
# programs as on an ARM machine; the amd64 one on the other) and a symlink to it per applet;
# PATH is ROOT/bin only, so no program of the host runs. Environment, stdin, time limit, work
# directory and what is compared are busybox.sh's (tests/realworld/README.md): stdout, the
# exit status and the files left in ROOT/work.
#
# Output: "PASS NAME" or "FAIL NAME: REASON" per case, then "N passed, N failed".
# Exit status: 0 every case passed, 1 a case failed, 2 usage, 77 no bash (fetch failed).
# shellcheck disable=SC2016  # the cases' shell code is in single quotes on purpose
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/realworld/lib.sh
. "$here/lib.sh"
rw_me=bash.sh rw_tool=bash rw_binary=bin/bash-static rw_usage=5,19
rw_packages=(bash-static busybox-static)

# ---- the cases ----
# cmd NAME LINE              bash -c LINE
# script NAME TEXT ARGS...   bash ../script ARGS, ../script holding TEXT
cmd() { rw_add cmd "$1" bash -c "$2"; }
script() { rw_script "$1" "$2" bash ../script "${@:3}"; }

# Command substitution: $( ), backticks, nesting, status, large output.
cmd subst/dollar 'x=$(echo inner); echo "[$x]" "$(echo a; echo b)" "$(echo nested $(echo deep))"'
cmd subst/backticks 'x=`echo back`; echo "$x" `echo a \`echo b\``'
cmd subst/status 'x=$(exit 3); echo $?; x=$(false) || echo failed; echo "[$(exit 4)]" $?'
cmd subst/newlines 'x=$(printf "a\n\n\n"); echo "${#x}[$x]"; y="$(printf "b\nc")"; echo "$y"'
cmd subst/file 'x=$(<lines.txt); echo "${#x}"; echo "${x%%$'"'\\n'"'*}"'
cmd subst/external 'echo "$(sort lines.txt | head -n 2)"; n=$(wc -l <lines.txt); echo $((n * 2))'
cmd subst/large 'x=$(seq 1 30000); echo ${#x} "${x: -11}"'
cmd subst/arith 'echo $(( $(echo 6) * `echo 7` ))'
# Pipelines: status, pipefail, SIGPIPE, more than a pipe buffer, bash builtins on both ends.
cmd pipe/basic "echo a b c | tr ' ' '\\n' | sort -r"
cmd pipe/pipestatus 'true | false | (exit 3) | true; echo "${PIPESTATUS[@]}"; ! false; echo $?'
cmd pipe/pipefail 'false | true; echo $?; set -o pipefail; false | true; echo $?
(exit 4) | (exit 5) | true; echo $?'
cmd pipe/sigpipe 'yes | head -n 3; echo "${PIPESTATUS[@]}"'
cmd pipe/large 'seq 1 200000 | sort -rn | head -n 2; echo "${PIPESTATUS[@]}"'
cmd pipe/megabyte 's=$(printf "%0100d" 0); for i in {1..10000}; do echo "$s"; done | md5sum
echo "${PIPESTATUS[@]}"'
cmd pipe/lastpipe 'seq 1 3000 | while read -r n; do s=$((s + n)); done; echo "${s-unset}"
shopt -s lastpipe; s=0; seq 1 3000 | while read -r n; do s=$((s + n)); done; echo $s'
cmd pipe/stderr '{ echo out; echo err >&2; } |& sort; { echo o2; echo e2 >&2; } 2>&1 >/dev/null | cat'
cmd pipe/group 'printf "%s\n" c a b | sort | { read -r first; echo "first=$first"; cat; }'
# Subshells: ( ), variables and cwd kept apart, $BASH_SUBSHELL, $BASHPID.
cmd subshell/vars 'x=1; (x=2; echo "in $x"); echo "out $x"; (exit 3); echo $?'
cmd subshell/cd '(cd sub/b && echo "${PWD##*/}" *); echo "${PWD##*/}"'
cmd subshell/nesting 'echo $BASH_SUBSHELL; (echo $BASH_SUBSHELL; (echo $BASH_SUBSHELL))
{ echo group $BASH_SUBSHELL; }; echo "$(echo $BASH_SUBSHELL)"'
cmd subshell/pids '[ "$$" = "$BASHPID" ] && echo top; ( [ "$$" != "$BASHPID" ] && echo sub-differs )
echo "$([ "$$" != "$BASHPID" ] && echo cmdsubst-differs)"'
cmd subshell/trap '(false); echo $?; (trap "echo sub trap" EXIT; exit 7); echo $?'
cmd subshell/redirect '(echo a; echo b >&2) 2>err.txt >out.txt; cat out.txt err.txt'
# Traps and signals: EXIT, ERR, DEBUG, RETURN, USR1, INT, TERM and kill; signals between
# processes; an ignored signal kept through exec.
cmd trap/exit "trap 'echo bye \$?' EXIT; echo body; exit 5"
cmd trap/err "trap 'echo \"ERR at \$LINENO: \$?\"' ERR; false; echo next
(exit 3); f() { return 4; }; f; true"
cmd trap/errtrace 'set -E; trap "echo err in \${FUNCNAME[0]:-main}" ERR; f() { false; echo after; }; f'
cmd trap/usr1 "trap 'echo got USR1' USR1; kill -USR1 \$\$; echo after; kill -s USR1 \$\$; echo again"
cmd trap/int "trap 'echo got INT' INT; kill -INT \$\$; echo after; trap - INT; trap -p INT; echo end"
cmd trap/term-default 'echo before; kill -TERM $$; echo not reached'
cmd trap/term-exit "trap 'echo exit trap' EXIT; trap 'echo term; exit 9' TERM; kill -TERM \$\$
echo not reached"
cmd trap/list "trap 'echo a' USR1 HUP; trap -p; trap - HUP; trap -p; kill -l 10; kill -l SIGTERM"
cmd trap/debug-return 'trap "echo \"+ \$BASH_COMMAND\"" DEBUG; x=1; echo $x; trap - DEBUG
f() { trap "echo returning from f" RETURN; echo in f; }; f; echo out'
cmd trap/ignored "trap '' USR2; kill -USR2 \$\$; echo survived
bash -c 'kill -USR2 \$\$; echo child survived'"
cmd trap/segv "trap 'echo got SEGV; exit 2' SEGV; kill -SEGV \$\$; echo not reached"
cmd trap/kill-child 'sleep 10 & p=$!; kill -TERM $p; wait $p; echo $?; kill -0 $$ && echo alive'
cmd trap/subshell-term 'mkfifo ready
(trap "echo sub got TERM; exit 3" TERM; echo >ready; while :; do sleep 0.05; done) &
read -r <ready; kill -TERM $!; wait $!; echo "status $?"; rm ready'
# The child signals while the parent is (most likely) in `wait`, which then returns 128 + 10
# after the trap; waiting again gets the status. Either way the same output.
cmd trap/wait-interrupted 'trap "echo got USR1" USR1; (sleep 0.3; kill -USR1 $$; sleep 0.3; exit 6) &
p=$!; until wait $p; s=$?; ((s <= 128)); do :; done; echo "status $s"'
# Background jobs: wait, $!, wait -n, jobs, %N, coproc.
cmd job/wait-all 'for i in 1 2 3; do (sleep 0.$i; echo "job $i" >job$i.txt) & done; wait
echo $?; cat job*.txt; rm job*.txt'
cmd job/wait-pid '(exit 7) & p=$!; wait $p; echo $?; [ "$p" -gt 0 ] && echo pid-ok
(exit 3) & wait $!; echo $?; wait 1; echo $?'
cmd job/wait-n '(sleep 0.5; exit 4) & (exit 3) & wait -n; echo $?; wait -n; echo $?; wait -n; echo $?'
cmd job/order 'echo start; { sleep 0.3; echo late; } & echo early; wait; echo end'
cmd job/many 'for i in $(seq 1 30); do (exit $((i % 5))) & pids+=($!); done
for p in "${pids[@]}"; do wait $p; s+=$?; done; echo $s'
cmd job/jobspec 'sleep 5 & jobs; kill %1; wait %1; echo $?'
# The read end is copied first: bash closes COPROC's fds when it reaps the coprocess, which
# can happen before the read (a race in bash itself, seen once in CI under UBSan).
cmd job/coproc 'coproc tr a-z A-Z; exec {rd}<&"${COPROC[0]}"; echo hello >&"${COPROC[1]}"
eval "exec ${COPROC[1]}>&-"; read -r l <&$rd; echo "$l"; wait $COPROC_PID; echo $?'
# Here-documents and here-strings (bash 5.2 uses a pipe for small ones, a file for large).
cmd heredoc/basic 'x=world; cat <<EOF; cat <<"EOF"; cat <<-EOF
hello $x $((1 + 2)) $(echo sub)
EOF
not expanded $x
EOF
		tabs stripped
	EOF'
cmd heredoc/large 'x=$(printf "%0100000d" 7); wc -c <<EOF
$x
EOF
md5sum <<<"$x"'
cmd heredoc/string 'read -r a b <<<"one two three"; echo "$b|$a"; tr a-z A-Z <<<"here string"
wc -c <<<""'
cmd heredoc/function 'f() {
	cat <<-EOF
		f got $1
	EOF
}
for i in 1 2; do f $i; done'
# Process substitution (/dev/fd/N).
cmd procsub/diff 'diff <(printf "a\nb\nc\n") <(printf "a\nx\nc\n"); echo $?'
cmd procsub/paste 'paste -d , <(seq 3) <(seq 4 6) <(printf "%s\n" x y z)'
cmd procsub/while 'n=0; while read -r l; do n=$((n + ${#l})); done < <(sort lines.txt); echo $n'
cmd procsub/output 'echo to-upper > >(tr a-z A-Z >up.txt); wait $!; cat up.txt
tee >(wc -l >count.txt) <lines.txt >/dev/null; wait $!; cat count.txt'
cmd procsub/devfd 'echo <(:); cat /dev/fd/0 <<<"via /dev/fd/0"; exec 3<lines.txt
head -n 1 /dev/fd/3; read -r l </dev/fd/3; echo "$l"; cat /dev/stdin <<<"via /dev/stdin"'
# Arithmetic: 64-bit on both (intmax_t), bases, operators, the RANDOM sequence of a seed.
cmd arith/basic 'echo $((7 + 3 * 2)) $((7 / 2)) $((-7 / 2)) $((-7 % 3)) $((2 ** 10)) $((1 << 40))
echo $((0xff)) $((010)) $((2#1011)) $((36#zz)) $((16#7fffffff + 1)) $[3 * 4]'
cmd arith/int64 'echo $((9223372036854775807 + 1)) $((2 ** 63)) $((3000000000 * 3))
echo $((-9223372036854775808 / -1)) $((-9223372036854775808 % -1)) $((1 << 63 >> 63))
echo $((0x7fffffffffffffff / 3)) $((-5 >> 1)) $((-7 % 1000000000007)) $((123456789012 * 1000))'
cmd arith/ops 'i=5; echo $((i++)) $((++i)) $((i--)) $((i > 3 ? 10 : 20)) $((i += 4, i *= 2))
echo $((~i)) $((i & 6 | 1 ^ 3)) $((!i)); ((i > 100)) || echo small
let "j = i * 2" "k = j % 7"; echo $j $k; declare -i n=3*4; n+=1; echo $n'
cmd arith/errors 'echo $((1 / 0)); echo after'
cmd arith/loop 'for ((i = 0, s = 0; i < 20000; i++)); do ((s += i * i % 7)); done; echo $s'
cmd arith/random 'RANDOM=42; echo $RANDOM $RANDOM $RANDOM; RANDOM=7; echo $((RANDOM % 100))'
# Arrays: indexed (sparse, slices, negative index), associative (hash order printed as is).
cmd array/indexed 'a=(zero one "two words" three); a[10]=ten; a+=(eleven); echo ${#a[@]} "${!a[@]}"
echo "${a[@]:1:2}"; unset "a[1]"; declare -p a; for x in "${a[@]}"; do echo "<$x>"; done
echo "${a[-1]}" "${#a[2]}"'
cmd array/assoc 'declare -A m=([apple]=red [banana]=yellow [cherry]="dark red"); m[kiwi]=green
unset "m[banana]"; echo ${#m[@]}; echo "${!m[@]}"; for k in "${!m[@]}"; do echo "$k=${m[$k]}"; done
declare -p m; [[ -v m[apple] ]] && echo has-apple; declare -A big
for i in {1..500}; do big[k$i]=$((i * i)); done; echo ${#big[@]} "${big[k321]}"'
cmd array/ops 'a=(c a b); IFS=$'"'\\n'"' sorted=($(sort <<<"${a[*]}")); unset IFS
echo "${sorted[*]}"; b=("${a[@]/#/x-}"); echo "${b[@]}"; echo "${a[@]^^}"; IFS=,; echo "${a[*]}"'
cmd array/split 'IFS=: read -r -a f <<<"root:x:0:0:root:/root:/bin/sh"; echo ${#f[@]} "${f[5]}"
set -- ${f[@]:0:3}; echo $#'
# Strings: parameter expansion, case, namerefs, regex and extglob, brace expansion, quoting.
cmd string/params 'v=hello.tar.gz; echo ${#v} ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${v:1:3} ${v: -2}
echo ${v/l/L} ${v//l/L} ${v/#h/H} ${v/%gz/xz} ${v^} ${v^^} ${u:-dflt} ${u-x} ${v:+set}
u=; echo "[${u:-empty}] [${u-unset}]"; : ${w:=assigned}; echo $w'
cmd string/case 'v="Hello World"; echo "${v,,}" "${v^^}" "${v~~}" "${v@U}" "${v@L}" "${v@Q}"
printf "%q\n" "a b\$c" "$(printf "tab\there")"'
cmd string/indirect 'name=v; v=val; echo ${!name}; declare -n ref=v; ref=changed; echo $v
pre_a=1 pre_b=2; echo ${!pre_*}'
cmd string/regex '[[ "key-123" =~ ^([a-z]+)-([0-9]+)$ ]] && echo "${BASH_REMATCH[@]}"
[[ abc == a* ]] && echo glob; shopt -s extglob; [[ foo.txt == @(*.txt|*.md) ]] && echo ext
v=aaa-bbb; echo ${v//+(a)/X}; [[ b > a ]] && echo gt; [[ abc =~ x|(b) ]]; echo "${BASH_REMATCH[1]}"'
cmd string/brace 'echo {a,b}{1,2} {1..5} {05..10..2} {z..u..2} x{,y}z; echo a{b,c{d,e}}f'
cmd string/quoting "echo \$'a\\tb\\x41\\101' 'single \$x' \"double \\\$x\" \$\"C\" \$'it\\'s'"
cmd string/ifs 's="a:b::c"; IFS=:; set -- $s; echo $# "[$3]" "$4"; IFS=" "; set -- "  x   y  "
echo $#; set -- $1; echo $#'
cmd string/glob 'echo *.txt; echo sub/* s?b/[ab]*; shopt -s nullglob; echo nomatch*
shopt -s globstar; echo **/*.txt'
# read: fields, options, and the offset a read leaves in a file for the next command.
cmd read/fields 'while IFS=: read -r user x uid gid; do echo "$uid $user"; done <data.txt | sort -n'
cmd read/options 'read -r -n 3 a <lines.txt; echo "$a"; read -r -d , b <<<"x,y"; echo "$b"
read -r -a arr <words.txt; echo ${#arr[@]}; IFS= read -r c <tabs.txt; echo "${#c}"
read -r nothing </dev/null; echo $?'
cmd read/offset '{ read -r first; echo "first=$first"; cat; } <lines.txt
{ read -r x; while read -r y; do echo "y=$y"; done; } <words.txt'
cmd read/loop 'seq 1 20000 >n.txt; s=0; while read -r n; do ((s += n)); done <n.txt; echo $s; rm n.txt'
# read -t on a FIFO nobody writes to: the time-out path (status 128 + SIGALRM).
cmd read/timeout 'mkfifo f; exec 3<>f; read -t 0.2 -u 3 x; echo $?; rm f; read -t 0 <lines.txt; echo $?'
# bash reading its script from a file on stdin leaves the offset after each command it runs:
# `read` and `cat` take the lines that follow them in the script.
rw_script read/script-stdin 'read -r line
this line is read by read, not run
echo "got: $line"
cat
echo "not run: cat reads this line"' bash -c 'bash <../script; echo $?'
# Functions: recursion (with and without command substitution), locals, FUNCNAME, caller.
cmd func/fib 'fib() { if (($1 < 2)); then echo $1; else echo $(($(fib $(($1 - 1))) + $(fib $(($1 - 2))))); fi; }
fib 8'
cmd func/deep 'f() { local n=$1; ((n == 0)) && return; f $((n - 1)); r=$((r + n)); }; r=0; f 1000
echo $r'
cmd func/fact 'fact() { local n=$1 r; ((n <= 1)) && { echo 1; return; }; r=$(fact $((n - 1)))
echo $((n * r)); }; fact 20'
cmd func/locals 'x=global; f() { local x=local; g; }; g() { echo "g sees $x"; }; f; echo $x
h() { local -a arr=(1 2); declare -g G=set; echo "${FUNCNAME[*]} ${#arr[@]}"; }; h; echo $G'
cmd func/args 'f() { echo $# "$1" "${@:2}"; shift 2; echo "$*"; return 7; }; f a "b c" d e; echo $?
declare -f f; type -t f'
cmd func/caller 'a() { b; }; b() { echo "${FUNCNAME[@]}" "${BASH_LINENO[@]}"; caller 0; }; a'
# set -e, pipefail, nounset, inherit_errexit.
cmd errexit/basic 'set -e; echo one; false || echo or-ok; if false; then :; fi; ! true; echo two
false; echo not reached'
cmd errexit/function 'set -e; f() { false; echo in-f; }; f || echo f-failed; echo next; f
echo not reached'
cmd errexit/subst 'set -e; x=$(false; echo y); echo "x=$x"; shopt -s inherit_errexit
x=$(false; echo z); echo "not reached $x"'
cmd errexit/pipefail 'set -eo pipefail; true | false | true && echo no; echo after-and; false | true
echo not reached'
cmd errexit/nounset 'set -u; echo ${defined:-ok}; echo $undefined; echo not reached'
cmd errexit/subshell 'set -e; (false; echo not printed); echo not reached'
# exec and redirections: fds kept open, {var} fds, stdout moved, noclobber, exec of bash.
cmd exec/fds 'exec 3>out.txt 4<lines.txt; read -r -u 4 l; echo "first: $l" >&3; read -r l <&4
echo "second: $l" >&3; exec 3>&- 4<&-; cat out.txt; echo x >&3; echo $?'
cmd exec/stdout 'exec 5>&1 >log.txt; echo to-log; ls sub; exec >&5 5>&-; echo back; cat log.txt'
cmd exec/varfd 'exec {fd}>v.txt; echo "fd $fd"; echo data >&$fd; exec {fd}>&-
exec {a}<lines.txt {b}<words.txt; echo $a $b; read -r -u $b w; echo "$w"'
cmd exec/noclobber 'set -C; echo x >lines.txt; echo $?; echo y >|lines.txt; cat lines.txt
echo z >>new.txt; cat new.txt'
cmd exec/replace "exec bash -c 'echo \"replaced: \$0 \$*\"' name a b; echo not reached"
cmd exec/argv0 "exec -a myname bash -c 'echo \$0'"
cmd exec/nested-bash "bash -c 'exit 3'; echo \$?; bash -c 'echo \"\$1-\$2\"' _ x y
echo 'echo from stdin' | bash; bash <<<'echo \$((6 * 7))'"
cmd exec/not-found 'nosuchcmd; echo $?; ./lines.txt; echo $?; ../bin; echo $?; sub/a.txt; echo $?'
cmd exec/redir-error 'echo a >sub; echo $?; cat <nosuch; echo $?; exec 3<nosuch; echo "goes on (not POSIX mode)"'
# source, printf -v, mapfile, ulimit, command -v, type.
cmd source/basic 'printf "%s\n" "x=5" "f() { echo \"f \$1 \$x\"; }" "return 3" "echo not reached" >lib.sh
source ./lib.sh; echo $?; f arg; echo "echo \"args: \$# \$*\"" >args.sh; . ./args.sh a b c
set -- p q; . ./args.sh'
cmd source/path 'mkdir d; echo "echo sourced via PATH \$1" >d/s.sh; PATH=$PWD/d:$PATH; . s.sh one'
cmd printf/v 'printf -v s "%05d|%-4s|%x|%o|%c|%5.2f|%e" 42 ab 255 8 xyz 3.14159 12345.678; echo "$s"
printf -v "arr[1]" %s elem; echo "${arr[1]}"; printf "%s," a b c; echo; printf "%b\n" "a\tb"
printf "%(%Y-%m-%d %H:%M:%S)T\n" 1234567890; printf "%d %d %i\n" "'"'"'A" 0x10 -077
printf "%*d|%-*d|%.3s|\n" 5 1 4 2 abcdef'
cmd mapfile/basic 'mapfile -t a <lines.txt; echo ${#a[@]} "${a[3]}"; mapfile -t -s 2 -n 3 b <lines.txt
echo "${b[@]}"; mapfile -d : -t c < <(printf a:b:c); echo ${#c[@]} "${c[2]}"
readarray -t -O 5 d < <(seq 2); declare -p d; mapfile -t -C "echo cb" -c 3 e <lines.txt'
cmd ulimit/n 'ulimit -n; ulimit -S -n 64; ulimit -n; (ulimit -n 32; ulimit -n; exec 40>x.txt); echo $?
ulimit -n; ulimit -n 65; echo $?'
cmd ulimit/all 'ulimit -a'
cmd command/v 'f() { :; }; for c in cd echo cat f if nosuch; do
p=$(command -v "$c") || p=missing; echo "$c: ${p/#${PWD%/*}/ROOT}"; done'
cmd command/type 'f() { echo hi; }; type -t cd cat f if nosuch; echo $?; type cd f
t=$(type cat); echo "${t/${PWD%/*}/ROOT}"; command echo via command; command -V printf'
# A script file: $0, arguments, LINENO, BASH_SOURCE, getopts, case, loops, eval.
script script/args 'echo "$# args: $*"
echo "${0##*/} ${BASH_SOURCE[0]##*/} line $LINENO"
f() {
    echo "in f, line $LINENO, called from line ${BASH_LINENO[0]}"
}
f
while getopts ab:c o; do echo "opt $o ${OPTARG-}"; done
shift $((OPTIND - 1)); echo "rest: $*"' -a -b val -c 'rest 1' r2
script script/control 'for w in apple 42 x.txt ""; do
    case $w in a*) echo A ;; [0-9]*) echo N ;; *.txt) echo T ;; "") echo empty ;; esac
done
i=0; until ((i >= 3)); do ((i++)); continue; done; echo $i
while :; do break; done
cmd="echo evaluated \$((2 + 3))"; eval "$cmd"; x=1; eval "x$x=one"; echo $x1
exit 4'
# A script as people write them: word frequencies with an associative array and sort.
script script/wordfreq 'declare -A count
total=0
for f in "$@"; do
    while read -r -a words; do
        for w in "${words[@]}"; do
            w=${w,,}
            count[$w]=$((${count[$w]:-0} + 1))
            ((total++))
        done
    done <"$f"
done
for w in "${!count[@]}"; do printf "%3d %s\n" "${count[$w]}" "$w"; done | sort -k1,1nr -k2 | head -n 5
printf "%d words, %d distinct\n" "$total" "${#count[@]}"' words.txt lines.txt
cmd misc/umask-env 'umask; umask 077; : >private.txt; umask; export V=1
env | grep -E "^(V|LC_ALL|TZ|HOME)=" | sort; (unset HOME; cd; echo $?)'
cmd misc/dirs 'cd sub; pushd b >/dev/null; echo "${PWD##*/}"; popd >/dev/null; echo "${PWD##*/}"
cd ..; cd - >/dev/null; echo "${PWD##*/}"; cd nosuch; echo $?'
cmd misc/options 'set -o | grep -E "^(errexit|pipefail|noclobber)"; shopt extglob nullglob; echo "$-"'

rw_main "$@"
