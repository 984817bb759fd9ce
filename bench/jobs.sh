#!/usr/bin/env bash
# What `--jobs N` buys on this machine: the demo (or CONFIG, an experiment config) run in process, one stage at
# a time on all cores, then with --jobs N (N stages at once, cores/N PyTorch threads each), one after the other.
# Prints a markdown report: both wall times, per-stage times of each run, and both results tables (with one
# PyTorch thread per stage the accuracies may differ from the in-process run's in the last digits' rounding).
# Usage: bench/jobs.sh [CONFIG]   (JOBS: the cores this process may use by default)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
config=${1:-}
jobs=${JOBS:-$(cpu_cores)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./proxynas --version >/dev/null
run() { # NAME ARGS...: runs the demo or the config into $work/NAME, prints its wall seconds
    local name=$1 start
    shift
    start=$(date +%s.%N)
    if [ -z "$config" ]; then
        ./proxynas demo --out "$work/$name" "$@" >"$work/$name.table" 2>"$work/$name.log"
    else
        ./proxynas experiment --config "$config" --out "$work/$name" "$@" >"$work/$name.table" 2>"$work/$name.log"
    fi
    echo "$(date +%s.%N) - $start" | bc
}
seq_s=$(run in-process)
jobs_s=$(run jobs --jobs "$jobs")
echo "# bench/jobs.sh $(date -u +%FT%TZ) · $(cpu_cores) cores, $(cpu_model)" \
    "· commit $(git rev-parse --short HEAD) · ${config:-demo}"
echo
printf '| run | wall | speed-up |\n|---|---|---|\n'
printf '| in process | %.0f s | 1.00x |\n' "$seq_s"
printf '| --jobs %s | %.0f s | %.2fx |\n' "$jobs" "$jobs_s" "$(echo "$seq_s / $jobs_s" | bc -l)"
for name in in-process jobs; do
    echo
    echo "$name: seconds per stage kind (results.json): $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['stageSeconds'])" "$work/$name/results.json")"
    echo
    sed -n '/^rank/,/^$/p' "$work/$name.table" | sed 's/^/    /'
done
