#!/usr/bin/env bash
# Instructions per warm bench-day call, counted under callgrind (issue 21): load-independent,
# unlike wall times on a shared machine. Runs bench/instructions.ts `day 1` and `day 3` side by
# side on a snapshot of dist/ (so a rebuild meanwhile does not mix two builds), then prints
# Δinstructions ÷ Δcalls, split into TurboFan compiling (Runtime_CompileOptimized), garbage
# collection (Heap::CollectGarbage) and the rest (the model's and the engine's own work).
# Compiling in the warm replications moves the total by hundreds to thousands of instructions
# a call whenever a change moves which functions reach the optimisation threshold late, or makes
# V8 throw optimised code away (a new hidden class): read it apart from the rest.
# usage: npm run build && bench/callgrind.sh [OUTDIR [N1 N2]]   (needs valgrind; 5–15 min)
# N1 N2 (default 1 3): the two replication counts; e.g. `3 10` counts replications 4–10, past
# most of the JIT's warm-up (the later the replications, the less compiling they carry).
# CACHE=1: simulate the caches too (--cache-sim=yes, valgrind's model of this machine's L1s)
# and add the first-level instruction and data cache misses a call (i1_misses, d1_misses):
# a bench-day call's JIT code does not fit the L1 instruction cache, an M/M/c call's does.
# BRANCH=1: simulate branch prediction too (--branch-sim=yes: Bc/Bcm, Bi/Bim in the files).
# PERFMAP=1: node writes /tmp/perf-<pid>.map (--perf-basic-prof), so that bench/cgself.py can
# name V8's compiled functions: `bench/cgself.py OUTDIR/cg.N1 OUTDIR/cg.N2 WARM_CALLS` gives
# each function's own cost a call.
# MODE=nofaults: bench-day with its fault list emptied (the faults' share is the difference).
# MODE=fixed: bench-day at 1 call an hour, faults kept: instructions a replication
# (instructions_per_replication) that a replication costs whatever its calls.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d /tmp/ccsim-callgrind.XXXXXX)}
n1=${2:-1}
n2=${3:-3}
mkdir -p "$out"
rm -rf "$out/dist" && cp -r "$root/dist" "$out/dist"
for x in scenarios node_modules package.json; do ln -sfn "$root/$x" "$out/$x"; done
cd "$out"
cache=()
[ "${CACHE:-0}" = 1 ] && cache+=(--cache-sim=yes)
[ "${BRANCH:-0}" = 1 ] && cache+=(--branch-sim=yes)
perfmap=()
[ "${PERFMAP:-0}" = 1 ] && perfmap=(--perf-basic-prof)
for n in "$n1" "$n2"; do
  valgrind --tool=callgrind "${cache[@]}" --callgrind-out-file="$out/cg.$n" \
    node "${perfmap[@]}" --single-threaded dist/bench/instructions.js "${MODE:-day}" $n > "$out/out.$n" 2>&1 &
done
wait
total() { grep -o 'I *refs: *[0-9,]*' "$out/out.$1" | tr -dc 0-9; }
calls() { grep -o '"calls":[0-9]*' "$out/out.$1" | tr -dc 0-9; }
incl() {
  callgrind_annotate --inclusive=yes --threshold=100 "$out/cg.$1" 2>/dev/null |
    grep -F "$2" | head -1 | awk '{print $1}' | tr -d , || true
}
t1=$(total "$n1") t3=$(total "$n2") n=$(($(calls "$n2") - $(calls "$n1"))) per=call
# fixed: per replication (its calls are a handful)
[ "${MODE:-day}" = fixed ] && n=$((n2 - n1)) per=replication
c1=$(incl "$n1" 'Runtime_CompileOptimized(') c3=$(incl "$n2" 'Runtime_CompileOptimized(')
g1=$(incl "$n1" 'Heap::CollectGarbage(') g3=$(incl "$n2" 'Heap::CollectGarbage(')
c=$(((${c3:-0} - ${c1:-0}) / n)) g=$(((${g3:-0} - ${g1:-0}) / n))
all=$(((t3 - t1) / n))
misses=""
if [ "${CACHE:-0}" = 1 ]; then
  miss() { grep -o "$2 *misses: *[0-9,]*" "$out/out.$1" | head -1 | tr -dc 0-9; }
  i1=$((($(miss "$n2" I1) - $(miss "$n1" I1)) / n)) d1=$((($(miss "$n2" D1) - $(miss "$n1" D1)) / n))
  misses=",\"i1_misses\":$i1,\"d1_misses\":$d1"
fi
echo "{\"bench\":\"callgrind-${MODE:-day}\",\"replications\":\"$((n1 + 1))-$n2\",\"warm_${per}s\":$n,\"instructions_per_$per\":$all,\"compile\":$c,\"gc\":$g,\"rest\":$((all - c - g))$misses,\"dir\":\"$out\"}"
