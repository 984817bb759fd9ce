#!/usr/bin/env bash
# Training throughput with glibc's default malloc behaviour vs etc/glibc-malloc.sh, same configurations as
# bench/train.sh (ProxyNAS only), back to back in one run. Usage: THREADS=1 bench/malloc.sh
# Results: one JSON line per run appended to bench/results/malloc-raw.jsonl, with "malloc" = default|tuned.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
threads="${THREADS:-2}"
raw=bench/results/malloc-raw.jsonl
bench_classpath
echo "# $(date -u +%FT%TZ) $(cpu_cores) cores, $(cpu_model), load $(cut -d' ' -f1-3 /proc/loadavg), $threads threads" | tee -a "$raw"
configs='resnet20 1x28x28 64 2 10
resnet20 3x32x32 64 2 10
darts 1x28x28 64 1 4 16 8
darts 3x32x32 64 1 4 16 8'
while read -r config; do
    for malloc in default tuned; do
        (
            unset MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_ MALLOC_TOP_PAD_
            [ "$malloc" = default ] || . etc/glibc-malloc.sh
            bench_java "$threads" org.proxynas.bench.TrainBench $config | grep '^{' \
                | sed "s/^{/{\"malloc\":\"$malloc\",/"
        ) | tee -a "$raw"
    done
done <<<"$configs"
