# Shell helpers of the CLI-level tests (tests/cli/cli_test.sh, tests/bench/bench_test.sh),
# sourced after they set T, their scratch directory.

failures=0
checks=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run EXPECTED_STATUS CMD...: runs CMD with stdout in $T/out, stderr in $T/err; a signal
# death or another exit status is a failure (with the start of stderr). desc names CMD.
run() {
    want_rc=$1
    shift
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    checks=$((checks + 1))
    desc="'$*'"
    if [ "$rc" -gt 128 ]; then
        fail "$desc died of signal $((rc - 128))"
    elif [ "$rc" -ne "$want_rc" ]; then
        fail "$desc: exit status $rc, expected $want_rc; stderr: $(head -c 400 "$T/err")"
    fi
}

# The last line of a test script: the counts, and its exit status.
finish() {
    echo "$checks checks, $failures failures"
    [ "$failures" -eq 0 ]
}
