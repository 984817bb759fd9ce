#!/usr/bin/env bash
# Seconds per search step (architecture step on a validation batch + weight step on a training batch) and
# peak RSS, one process per configuration: every ProxyNAS algorithm (DJL), then the PyTorch reference
# (bench/search_reference.py: DARTS' supernet and architecture step) for DARTS first and second order, same
# machine, same run.
# Usage: bench/search.sh [THREADS] [WARMUP] [STEPS] [CONFIGS...]
# CONFIGS are C:LAYERS pairs (default "8:5 16:8"); ALGOS picks the ProxyNAS algorithms (default all seven).
# Writes one JSON line per run to stdout, then, as '#' lines, each configuration's seconds per step by
# algorithm next to ProxyNAS' and the reference's darts.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
require_reference_torch bench/search.sh
threads=${1:-2}; warmup=${2:-3}; steps=${3:-20}; shift $(( $# < 3 ? $# : 3 )) || true
configs=${*:-"8:5 16:8"}
algos=${ALGOS:-"darts darts-2nd pc-darts sdarts-rs sdarts-adv sgas gdas"}
lines=$(mktemp); trap 'rm -f "$lines"' EXIT
bench_classpath
echo "# $(date -u +%FT%TZ) nproc=$(cpu_cores) cpu=$(cpu_model) load=$(cut -d' ' -f1-3 /proc/loadavg)"
export OMP_NUM_THREADS=$threads
for cfg in $configs; do
    c=${cfg%%:*}; layers=${cfg##*:}
    for algo in $algos; do
        bench_java "$threads" org.proxynas.bench.SearchStepBench "$algo" "$c" "$layers" 64 "$warmup" "$steps" \
            | tee -a "$lines"
    done
    for mode in first second; do
        /usr/bin/python3 bench/search_reference.py "$mode" --C "$c" --layers "$layers" --batch 64 \
            --threads "$threads" --warmup "$warmup" --steps "$steps" | tee -a "$lines"
    done
done
/usr/bin/python3 - "$lines" <<'TABLE'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
for c, layers in sorted({(r["C"], r["layers"]) for r in runs}):
    here = [r for r in runs if (r["C"], r["layers"]) == (c, layers)]
    ours = {r["mode"]: r["s_per_step_mean"] for r in here if r.get("impl") == "proxynas-djl"}
    ref = {r["mode"]: r["s_per_step_mean"] for r in here if r.get("impl") != "proxynas-djl"}
    print(f"# C={c} L={layers}: algorithm, s/step, x ProxyNAS darts, x reference darts (first order)")
    for algo, s in ours.items():
        vs_ours = f"{s / ours['darts']:6.2f}" if "darts" in ours else "     -"
        vs_ref = f"{s / ref['first']:6.2f}" if "first" in ref else "     -"
        print(f"#   {algo:11s} {s:8.2f} {vs_ours} {vs_ref}")
    for mode, s in ref.items():
        print(f"#   reference darts {mode} order {s:.2f}")
TABLE
