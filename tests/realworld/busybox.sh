#!/usr/bin/env bash
# busybox.sh: Debian 12's own static busybox (package busybox-static), armhf under xlate
# against amd64 natively, case by case.
#
#   tests/realworld/busybox.sh [OPTIONS] XLATE
#
#   --aot        run a translation of the ARM busybox (`XLATE busybox -o busybox.x86`, made
#                once and kept in DIR/aot/, made again when XLATE changes or the ARM busybox
#                is newer) instead of `XLATE run busybox`
#   -r REGEX     only the cases whose names match REGEX (bash extended regex)
#   -x REGEX     leave out the cases whose names match REGEX
#   -l, --list   list the selected cases (name, then the command) and exit; XLATE not needed
#   -v           on a failure, also print both outputs' diff and the ARM side's stderr
#   -d DIR       the sysroots (default: $XL_REALWORLD_DIR, else DIR/realworld beside XLATE);
#                fetch.sh fills them first (a no-op when they are there)
#   -t SECS      the time limit of one run (default 30; a run is killed 5 s later)
#   -j N         threads for the --aot translation (default: the number of cores)
#   --selfcheck  run the amd64 busybox twice, in two different directories, instead of the
#                ARM one: every case must be deterministic (XLATE not needed)
#
# Examples:
#   tests/realworld/busybox.sh build/xlate                    # every case, JIT
#   tests/realworld/busybox.sh --aot -r '^proc/' build/xlate  # the multi-process ones, AOT
#   tests/realworld/busybox.sh --list
#
# Each case is one busybox command line: `busybox APPLET ARGS` (argv[0] "../bin/busybox"),
# `busybox sh -c LINE`, or `APPLET ARGS` run through a symlink named after the applet (argv[0]
# dispatch). It runs with the environment LC_ALL=C TZ=UTC HOME=/nonexistent PATH=ROOT/bin only,
# stdin /dev/null, under `timeout -k 5 SECS`, in ROOT/work, a fresh copy of prepared input
# files (fixed contents and times); ROOT/bin holds busybox and a symlink to it per applet; ROOT
# is the same directory for the ARM and the amd64 run of a case. Compared: stdout, the exit
# status, and the files left in ROOT/work (type, mode, size, symlink target, SHA-256).
# Cases named proc/... need fork, exec, wait, pipes or signals between processes.
#
# Output: "PASS NAME" or "FAIL NAME: REASON" per case (REASON: the exit statuses, the first
# differing line, the first line of the ARM side's stderr), then "N passed, N failed".
# Exit status: 0 every case passed, 1 a case failed, 2 usage, 77 no busybox (fetch failed).
# shellcheck disable=SC2016  # the cases' shell code is in single quotes on purpose
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/realworld/lib.sh
. "$here/lib.sh"
rw_me=busybox.sh rw_tool=busybox rw_binary=bin/busybox rw_usage=5,19
rw_packages=(busybox-static)

# ---- the cases ----
# applet NAME ARGS...         busybox ARGS
# shell NAME LINE             busybox sh -c LINE
# symlink NAME APPLET ARGS... ../bin/APPLET ARGS, APPLET a symlink to busybox
applet() { rw_add applet "$1" busybox "${@:2}"; }
shell() { rw_add shell "$1" busybox sh -c "$2"; }
symlink() { rw_add symlink "$@"; }

# Single-process applets, files in, stdout out.
applet echo echo hello world
applet echo-e echo -e 'tab\there\nnew line \\ backslash \0101'
applet echo-n echo -n no newline
applet printf printf '%s=%d %5.2f %x %o %c|%-4s|%4s|%%\n' a 42 3.14159 255 8 xyz ab cd
applet printf-escapes printf 'a\tb\\c\101\n%b\n' 'x\ty'
applet cat cat lines.txt words.txt
applet cat-n cat -n lines.txt
applet cat-missing cat lines.txt nosuchfile
applet head head -n 3 lines.txt
applet head-c head -c 100 bin.dat
applet tail tail -n 2 lines.txt
applet tail-plus tail -n +5 lines.txt
applet wc wc lines.txt words.txt
applet sort sort lines.txt
applet sort-nr sort -n -r nums.txt
applet sort-key sort -t : -k 4,4n -k 1,1r data.txt
applet sort-u sort -u words.txt
applet uniq-c uniq -c sorted.txt
applet cut-fields cut -d : -f 1,3 data.txt
applet cut-chars cut -c 2-4 lines.txt
applet paste paste -d , lines.txt nums.txt
applet sed-subst sed -e 's/a/A/g' -e '2d' lines.txt
applet sed-print sed -n '/an/p;$=' lines.txt
applet sed-ere sed -E 's/^([a-z]+) ([a-z]+)$/\2 \1/' lines.txt
applet awk-sum awk -F: '{ s += $3; n[$4]++ } END { for (k in n) c++; print s, NR, c }' data.txt
applet awk-math awk 'BEGIN { for (i = 1; i <= 5; i++) printf "%d*%d=%d\n", i, i, i * i
    print length("hello"), substr("abcdef", 2, 3), toupper("xy"), 7 / 2, int(-7 / 2), 1e6, 0.1 + 0.2
    printf "%.3f %e %g %d %5.1f%% %x %c\n", 22 / 7, 12345.678, 0.0001, -17 / 3, 99.44, 255, 65
    print index("hello", "ll"), match("foobar", /o+b/), RSTART, RLENGTH, sprintf("%05d", 42) }'
applet awk-fields awk '{ print NF ": " $NF; gsub(/[aeiou]/, "_"); print }' words.txt
applet grep-E grep -E '^(apple|cherry)' lines.txt
applet grep-count grep -c -v a lines.txt
applet grep-in grep -i -n BAN lines.txt
applet grep-nomatch grep zzz lines.txt
applet seq seq 1 3 20
applet seq-w seq -w 8 11
applet seq-s seq -s , 5
applet expr-mul expr 6 '*' 7
applet expr-match expr abcdef : 'a\(b.d\)'
applet expr-zero expr 1 - 1
applet basename basename /a/b/c.txt .txt
applet dirname dirname /a/b/c.txt
applet od od -A d -t x1 -N 40 bin.dat
applet od-c od -c lines.txt
applet hexdump hexdump -C -s 200 bin.dat
applet xxd xxd -l 64 bin.dat
applet xxd-r xxd -r -p hex.txt
applet md5sum md5sum lines.txt bin.dat
applet md5sum-check md5sum -c sums.md5
applet sha1sum sha1sum lines.txt bin.dat
applet sha256sum sha256sum lines.txt bin.dat
applet sha512sum sha512sum bin.dat
applet sha3sum sha3sum bin.dat
applet crc32 crc32 bin.dat
applet base64 base64 bin.dat
applet base64-d base64 -d b64.txt
applet gzip-c gzip -c lines.txt
applet gzip-9 gzip -9 -c bin.dat
applet gunzip-c gunzip -c lines.gz
applet gzip-file gzip words.txt
applet gunzip-file gunzip lines.gz
applet bzip2-c bzip2 -c bin.dat
applet bzip2-d bzip2 -d -c lines.bz2
applet date-epoch date -u -d @0
applet date-format date -d @1234567890 '+%Y-%m-%d %H:%M:%S %Z %j %a %s'
applet cmp-same cmp lines.txt lines.txt
applet cmp-differ cmp lines.txt lines2.txt
applet diff diff -u lines.txt lines2.txt
applet find-name find . -name '*.txt'
applet find-type find sub -type d
applet ls-1 ls -1 sub
applet ls-R ls -R sub
applet ls-ln ls -ln sub
applet ls-missing ls nosuchfile
applet stat stat -c '%n %s %a %F %h' lines.txt sub link0
applet du du -s -k sub
applet mkdir-p mkdir -p x/y/z
applet rm-r rm -r sub
applet mv mv lines.txt moved.txt
applet cp-r cp -r sub copy
applet cp-a cp -a sub copy
applet ln-s ln -s lines.txt newlink
applet readlink readlink link0
applet touch touch new.txt
applet truncate truncate -s 10 lines.txt
applet dd dd if=bin.dat of=dd.out bs=16 count=2 skip=1
applet tar-c tar -cf - sub
applet tar-tv tar -tvf tree.tar
applet tar-x tar -xf tree.tar
applet true true
applet false false
applet test-f test -f lines.txt
applet test-d test -d lines.txt
applet bracket '[' abc = abc -a 3 -gt 2 ']'
applet factor factor 360 1000003 4294967291
applet nl nl lines.txt
applet fold fold -w 5 lines.txt
applet tac tac lines.txt
applet rev rev lines.txt
applet expand expand -t 4 tabs.txt
applet env env -u PATH
applet sleep sleep 0.1
applet busybox-list --list
# The shell alone: builtins and in-process (NOFORK) applets, no second process.
shell sh-arith 'i=0; while [ $i -lt 5 ]; do i=$((i + 1)); printf "%d " $((i * i)); done; echo
echo $((7 % 3)) $((1 << 10)) $((0x1f)) $((-7 / 2)) $((2147483647 + 1))'
shell sh-params 'set -- a "b c" d; echo $#; for x in "$@"; do echo "[$x]"; done
v=hello.tar.gz; echo ${#v} ${v%.*} ${v%%.*} ${v#*.} ${u:-dflt} ${v:1:3}'
shell sh-function 'f() { case $1 in a*) echo A;; [0-9]*) echo N;; *) echo other;; esac; return 3; }
f apple; f 42; f x; echo $?'
shell sh-redirect 'echo one >f; echo two >>f; while read -r l; do echo "<$l>"; done <f; read -r a <f; echo "$a"'
shell sh-ifs 's=a:b::c; IFS=:; set -- $s; echo $# "$3" "$4"'
shell sh-glob 'echo *.txt sub/* s?b/[ab]*'
shell sh-test '[ -f lines.txt ] && [ ! -d lines.txt ] && echo yes; [ abc \< abd ] && echo lt; [ -z "" ]; echo $?'
shell sh-cd 'cd sub/b && echo *; cd ../..; echo *.dat'
shell sh-exit 'exit 3'
shell sh-syntax-error 'if then'
shell sh-builtins 'true; echo $?; false; echo $?; printf "%s|" x y; echo; test 1 -eq 1 && echo t
type cd; command -v echo; kill -l 15; let x=6*7; echo $x; unset x; echo ${x-unset}'
# The last command of sh -c replaces the shell (no fork); other applets are forked (Debian's
# busybox has no NOFORK applets in sh).
shell sh-exec-last 'echo first; seq 3'
# argv[0] dispatch: the applet is named by a symlink to busybox.
symlink link-cat cat lines.txt
symlink link-sha256sum sha256sum bin.dat
symlink link-ls ls -1 sub
symlink link-echo echo via symlink
symlink link-sh sh -c 'echo $((6 * 7))'
symlink link-false false
# Several processes: fork, exec, wait, pipes, signals.
shell proc/cmdsubst 'echo $(echo x)'
shell proc/cmdsubst-applet 'echo "[$(basename /a/b.c .c)]"'
shell proc/cmdsubst-exit 'x=$(exit 2); echo $?'
shell proc/pipeline "echo a b c | tr ' ' '\\n' | sort -r"
shell proc/pipe-status 'false | true; echo $?'
shell proc/pipe-large 'seq 1 20000 | tail -n 1'
shell proc/sigpipe 'yes | head -n 3'
shell proc/subshell '(cd sub && echo inside; exit 4); echo $?'
shell proc/background 'sleep 0.1 & echo started; wait; echo done $?'
shell proc/wait-status '(exit 7) & wait $!; echo $?'
shell proc/kill-child 'sleep 10 & kill $!; wait $!; echo $?'
shell proc/trap-exit "trap 'echo t' EXIT; echo body"
shell proc/trap-usr1 "trap 'echo got USR1' USR1; kill -USR1 \$\$; echo after"
shell proc/kill-0 'kill -0 $$; echo $?'
shell proc/timeout 'timeout 1 sleep 5; echo $?'
shell proc/xargs 'echo 1 2 3 | xargs -n 1 echo n'
shell proc/xargs-file 'xargs -n 2 echo <lines.txt'
shell proc/tar-czf 'tar czf out.tgz sub && tar tzf out.tgz'
shell proc/tar-xzf 'tar xzf tree.tgz && ls -R tree'
shell proc/env-i 'env -i A=1 env'
shell proc/nested-sh "sh -c 'exit 3'; echo \$?"
shell proc/find-exec 'find sub -type f -exec wc -c {} +'
shell proc/time 'time true 2>/dev/null; echo $?'
shell proc/heredoc 'cat <<EOF
line one
$((1 + 1)) two
EOF'
shell proc/read-pipe 'echo hello world | { read a b; echo "b=$b a=$a"; }'
shell proc/while-read 'seq 3 | while read n; do echo "n=$n"; done'
shell proc/ulimit 'ulimit -n'
# Debian's busybox has neither nice nor nohup: ionice runs a command the same way, and
# nohup's point is an ignored SIGHUP surviving exec.
shell proc/ionice 'ionice -c 3 echo idle'
shell proc/nohup "trap '' HUP; sh -c 'kill -HUP \$\$; echo survived'"
shell proc/exec 'exec echo replaced'
shell proc/applet-exec 'sort lines.txt; echo rc=$?'
shell proc/exec-symlink '../bin/wc -l lines.txt'
shell proc/awk-system "awk 'BEGIN { system(\"echo from system\"); \"echo piped\" | getline v; print v }'"
# zcat runs the decompressor in a child process.
applet proc/zcat zcat lines.gz
shell proc/gzip-pipe 'gzip -c lines.txt | gunzip -c | md5sum'
shell proc/stderr-pipe '{ echo out; echo err >&2; } 2>&1 | sort'

rw_main "$@"
