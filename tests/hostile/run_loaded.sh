#!/usr/bin/env bash
# Run the hostile suite N times on a loaded machine and report pass/fail per run (issue 11: "the suite passes
# ten runs in a row on a loaded 2-core machine").
#
#   tests/hostile/run_loaded.sh [N]        (default 10; PY=... picks the interpreter, default .venv/bin/python)
#
# Each measured run is `pytest tests/hostile -n 2 -m "not slow"`; while it runs, a second copy of the same
# suite runs beside it in a loop for the whole time (its own --basetemp, its own process group) to load the
# machine; it is stopped (Ctrl-C to its group, so pytest tears its fixtures down) after the last run. Logs go to $OUT (default /tmp/ictdash-loaded-<time>/); the last line
# is the summary. Exit status: 0 when every measured run passed.
set -u
cd "$(dirname "$0")/../.." || exit 2
N=${1:-10}
PY=${PY:-.venv/bin/python}
OUT=${OUT:-/tmp/ictdash-loaded-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
SUITE=(-m pytest tests/hostile -n 2 -m "not slow" -q -p no:cacheprovider)

load_pid=""
start_load() {  # the same suite again and again, in its own session (process group), until $OUT/stop exists
    rm -f "$OUT/stop"
    setsid bash -c 'k=0; while [ ! -e "$1/stop" ]; do k=$((k+1)); shift_py="$2"; "$shift_py" "${@:3}" \
        --basetemp="$1/load-tmp" >"$1/load-$k.log" 2>&1; done' _ "$OUT" "$PY" "${SUITE[@]}" &
    load_pid=$!
}
stop_load() {  # Ctrl-C to the load's process group (pytest tears its fixtures down), SIGKILL if it lingers
    [ -n "$load_pid" ] || return 0
    touch "$OUT/stop"
    kill -INT -- "-$load_pid" 2>/dev/null
    for _ in $(seq 1 120); do kill -0 "$load_pid" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$load_pid" 2>/dev/null
    wait "$load_pid" 2>/dev/null
    load_pid=""
}
trap 'stop_load; exit 130' INT TERM

passed=0
total_start=$(date +%s)
start_load
for i in $(seq 1 "$N"); do
    start=$(date +%s)
    "$PY" "${SUITE[@]}" --basetemp="$OUT/run-$i-tmp" >"$OUT/run-$i.log" 2>&1
    rc=$?
    seconds=$(( $(date +%s) - start ))
    summary=$(grep -E "(passed|failed|error)" "$OUT/run-$i.log" | tail -1)
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1)); verdict=PASS
    else
        verdict=FAIL
    fi
    echo "run $i/$N: $verdict (exit $rc) in ${seconds} s: $summary" | tee -a "$OUT/summary.txt"
    rm -rf "$OUT/run-$i-tmp"
done
stop_load
rm -rf "$OUT/load-tmp"
loads=$(ls "$OUT"/load-*.log 2>/dev/null | wc -l)
minutes=$(( ($(date +%s) - total_start + 30) / 60 ))
echo "loaded runs: $passed of $N passed in ${minutes} min, beside $loads load run(s) of the same suite (logs in $OUT)" \
    | tee -a "$OUT/summary.txt"
[ "$passed" -eq "$N" ]
