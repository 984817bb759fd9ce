#!/usr/bin/env bash
# Training/inference throughput of ProxyNAS's training loop vs the PyTorch reference, same machine, same run.
# Usage: bench/train.sh [STEPS_SCALE [PATTERN]]   (scale default 1; PATTERN: run only config lines
# matching this regex, e.g. 'C36'; results appended to bench/results/train-raw.jsonl)
# Each configuration runs ProxyNAS (TrainBench) then PyTorch (bench/train_reference.py), THREADS threads each
# (environment, default 2), one process per configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
require_reference_torch bench/train.sh
scale="${1:-1}"
pattern="${2:-.}"
threads="${THREADS:-2}"
raw=bench/results/train-raw.jsonl
bench_classpath
echo "# $(date -u +%FT%TZ) $(cpu_cores) cores, $(cpu_model), load $(cut -d' ' -f1-3 /proc/loadavg), $threads threads" | tee -a "$raw"
# model input batch warmup steps [C layers]
configs='resnet20 1x28x28 64 2 10
resnet20 3x32x32 64 2 10
darts 1x28x28 64 1 4 16 8
darts 3x32x32 64 1 4 16 8
darts 1x28x28 96 1 2 36 20
darts 3x32x32 96 1 2 36 20'
grep -E -- "$pattern" <<<"$configs" | while read -r model input batch warmup steps rest; do
    steps=$((steps * scale))
    bench_java "$threads" org.proxynas.bench.TrainBench "$model" "$input" "$batch" "$warmup" "$steps" $rest \
        | tee -a "$raw"
    /usr/bin/python3 bench/train_reference.py --threads "$threads" "$model" "$input" "$batch" "$warmup" "$steps" $rest | grep "^{" | tee -a "$raw"
done
