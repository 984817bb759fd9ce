#!/usr/bin/env bash
# ProxyNAS next to the PyTorch reference (Debian's python3-torch 1.13 running bench/*_reference.py), every row of
# the speed issue in one run, each row's two sides back to back so both see the same machine load: training and
# inference throughput, peak memory, and the share of ProxyNAS's wall time inside libtorch's operators (from
# PyTorch's profiler, bench/KernelShare). Prints a markdown table and appends it, dated, to bench/results/speed.md;
# raw lines go to bench/results/speed-raw.jsonl.
# Usage: [QUICK=1] [THREADS=2] [PAIRS=N] [LIMIT=1] bench/compare.sh
#   QUICK=1: fewer steps, no C=36 L=20 training row and only the C=8 L=5 search rows, ~10 minutes on 2 cores;
#   the full run takes about an hour. A row that fails (e.g. out of memory) is reported and skipped.
#   PAIRS=N: every row N times, alternating ProxyNAS and the reference; each ratio is then the median of the N
#   pairs' ratios, with their range (N times as long). On a shared machine single pairs of one row can differ
#   by 30%, more than most gaps the table is meant to show.
#   LIMIT=1: each training row also runs the reference's network traced (TorchScript) in both libtorches: in
#   PyTorch 1.13 (is a trace as fast as the eager network there?) and in ProxyNAS's libtorch 2.7.1 through DJL,
#   one native call per forward pass, with ProxyNAS's loop around it. That is the speed ProxyNAS's own network
#   code could reach at best on libtorch 2.7.1; the table gets both columns (about twice as long).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
threads="${THREADS:-2}"
quick="${QUICK:-0}"
pairs="${PAIRS:-1}"
limit="${LIMIT:-0}"
if ! [[ "$pairs" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench/compare.sh: PAIRS must be a positive whole number, found '$pairs'" >&2
    exit 2
fi
if ! [[ "$limit" =~ ^[01]$ ]]; then
    echo "bench/compare.sh: LIMIT must be 0 or 1, found '$limit'" >&2
    exit 2
fi
py=/usr/bin/python3
require_reference_torch bench/compare.sh
raw=bench/results/speed-raw.jsonl
run="$(mktemp)"; traces="$(mktemp -d)"; trap 'rm -rf "$run" "$traces"' EXIT

bench_classpath
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
java_bench() { bench_java "$threads" -Dbench.kernelShare=true "$@" | grep '^{'; }
failed() { echo "bench/compare.sh: row failed, left out of the table: $1" >&2; }
header="{\"header\":true,\"date\":\"$(date -u +%FT%TZ)\",\"cores\":$(cpu_cores),\"cpu\":\"$(cpu_model)\",\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"threads\":$threads,\"quick\":$quick,\"pairs\":$pairs,\"limit\":$limit,\"commit\":\"$(git rev-parse --short HEAD)\",\"reference_torch\":\"$($py -c 'import torch; print(torch.__version__)')\"}"
echo "$header" | tee -a "$run"

# Each training row: WARMUP steps, then 3 rounds of STEPS steps; then max(WARMUP, STEPS) untimed inference batches and
# 3 timed rounds of STEPS; a throughput is the median of its rounds, on both sides (TrainBench,
# bench/train_reference.py).
# Warm-up steps are many for the small rows: the JVM's JIT compiles for the first few seconds and, on 2
# cores, takes a core from libtorch's two threads (3 warm-up steps measured ResNet-20 ~20% slow).
if [ "$quick" = 1 ]; then
    # model input batch warmup steps [C layers]
    train_rows='resnet20 1x28x28 64 20 5
resnet20 3x32x32 64 20 5
resnet20 1x28x28 256 5 2
darts 1x28x28 64 1 2 16 8
darts 3x32x32 64 1 2 16 8'
    search_rows='8 5 1 3'
else
    train_rows='resnet20 1x28x28 64 40 10
resnet20 3x32x32 64 40 10
resnet20 1x28x28 256 10 4
darts 1x28x28 64 2 3 16 8
darts 3x32x32 64 2 3 16 8
darts 3x32x32 96 1 1 36 20'
    search_rows='8 5 2 8
16 8 1 4'
fi
while read -r model input batch warmup steps rest; do
    for _ in $(seq "$pairs"); do
        java_bench org.proxynas.bench.TrainBench "$model" "$input" "$batch" "$warmup" "$steps" $rest | tee -a "$run" \
            || failed "ProxyNAS $model $input $batch $rest"
        $py bench/train_reference.py --threads "$threads" "$model" "$input" "$batch" "$warmup" "$steps" $rest \
            | grep '^{' | tee -a "$run" || failed "reference $model $input $batch $rest"
        [ "$limit" = 1 ] || continue
        $py bench/train_reference.py --threads "$threads" --torchscript "$traces" "$model" "$input" "$batch" \
            "$warmup" "$steps" $rest | grep '^{' | tee -a "$run" || failed "reference trace $model $input $batch $rest"
        java_bench -Dbench.torchscript="$traces" org.proxynas.bench.TrainBench "$model" "$input" "$batch" "$warmup" \
            "$steps" $rest | tee -a "$run" || failed "trace in libtorch 2.7.1 $model $input $batch $rest"
    done
done <<< "$train_rows"
while read -r c layers warmup steps; do
    for mode in first second; do
        algo=$([ "$mode" = first ] && echo darts || echo darts-2nd)
        for _ in $(seq "$pairs"); do
            java_bench org.proxynas.bench.SearchStepBench "$algo" "$c" "$layers" 64 "$warmup" "$steps" \
                | tee -a "$run" || failed "ProxyNAS search $mode order C=$c L=$layers"
            $py bench/search_reference.py "$mode" --C "$c" --layers "$layers" --batch 64 --threads "$threads" \
                --warmup "$warmup" --steps "$steps" | tee -a "$run" \
                || failed "reference search $mode order C=$c L=$layers"
        done
    done
done <<< "$search_rows"

cat "$run" >> "$raw"
table="$($py bench/speed_table.py "$run")"
echo "$table"
printf '\n%s\n' "$table" >> bench/results/speed.md
