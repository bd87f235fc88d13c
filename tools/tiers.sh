#!/usr/bin/env bash
# The translation tiers side by side (docs/benchmarks.md, "Tiers"): for each benchmark of
# `xlate bench`, the JIT (`xlate run`), full AOT translation (`xlate PROG -o OUT`) and AOT
# translation with a profile of a training run (`xlate run --profile` at scale 1, then
# `xlate PROG -o OUT --profile`): the time each takes to translate, what it makes, and
# the run time at the benchmark scale (medians of RUNS interleaved runs). Prints a
# Markdown table.
#
#   tools/tiers.sh [-r RUNS] [-s SCALE] [BUILD_DIR [NAME...]]
#
# BUILD_DIR (default build) holds xlate and bench/NAME.{arm,native}; NAMEs default to all.
set -euo pipefail
runs=3 scale=100
while getopts r:s: o; do
    case $o in
        r) runs=$OPTARG ;;
        s) scale=$OPTARG ;;
        *) sed -n '9p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
build=$(cd "${1:-build}" && pwd)
shift $(($# > 0 ? 1 : 0))
xlate=$build/xlate
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for f in "$build"/bench/*.arm; do names+=("$(basename "$f" .arm)"); done
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/xlate-tiers.XXXXXX")
trap 'rm -rf "$T"' EXIT
export XLATE_CACHE_PROGRAMS=0        # every translation is made, none copied

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }
# time_run CMD...: the wall time of one run, output discarded
time_run() { local a; a=$(now); "$@" >/dev/null 2>&1; secs "$a" "$(now)"; }

echo "| benchmark | native | JIT: translate, run | AOT: translate, size, run | profile: train, translate, size, functions, run |"
echo "|---|---|---|---|---|"
for n in "${names[@]}"; do
    arm=$build/bench/$n.arm nat=$build/bench/$n.native
    a=$(now); "$xlate" "$arm" -o "$T/$n.full"; t_full=$(secs "$a" "$(now)")
    a=$(now); "$xlate" run --profile "$T/$n.prof" "$arm" 1 >/dev/null; t_train=$(secs "$a" "$(now)")
    a=$(now)
    fns=$(XLATE_STATS=1 "$xlate" "$arm" -o "$T/$n.pgo" --profile "$T/$n.prof" 2>&1 |
          sed -n 's/.*: \([0-9]*\) functions, .*/\1/p')
    t_pgo=$(secs "$a" "$(now)")
    jit_ms=$(XLATE_STATS=1 "$xlate" run "$arm" "$scale" 2>&1 >/dev/null |
             sed -n 's/.*jit-translate-us=\([0-9]*\).*/\1/p' | head -n 1)
    : >"$T/nat" && : >"$T/jit" && : >"$T/full" && : >"$T/pgo"
    for _ in $(seq "$runs"); do
        time_run "$nat" "$scale" >>"$T/nat"
        time_run "$xlate" run "$arm" "$scale" >>"$T/jit"
        time_run "$T/$n.full" "$scale" >>"$T/full"
        time_run "$T/$n.pgo" "$scale" >>"$T/pgo"
    done
    printf '| %s | %s s | %s ms, %s s | %s s, %s MB, %s s | %s s, %s s, %s MB, %s, %s s |\n' "$n" \
        "$(median <"$T/nat")" "$((jit_ms / 1000))" "$(median <"$T/jit")" \
        "$t_full" "$(mb "$T/$n.full")" "$(median <"$T/full")" \
        "$t_train" "$t_pgo" "$(mb "$T/$n.pgo")" "$fns" "$(median <"$T/pgo")"
done
