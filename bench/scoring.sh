#!/usr/bin/env bash
# Scoring throughput (images/s) of ProxyNAS's ResNet-20 next to the PyTorch reference, same machine, same
# run: inference (what scoring every example costs) and training (what the baseline's epochs cost), on
# 1x28x28 (Fashion-MNIST) and 3x32x32 (CIFAR-sized, random pixels), 2 threads each.
# Usage: bench/scoring.sh [batch] [steps]      (defaults 128 40; writes bench/results/scoring.md)
# 40 steps, because the JVM compiles for its first seconds: at 10, that compiling is a large share of the timed
# inference, and ProxyNAS measured 0.64x the reference at 3x32x32 against 1.01x at 40 (one run each, Intel Xeon,
# 2026-11-29).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
require_reference_torch bench/scoring.sh
batch=${1:-128}
steps=${2:-40}
py=/usr/bin/python3
out=bench/results/scoring.md
log=$(mktemp)
trap 'rm -f "$log"' EXIT

bench_classpath

export OMP_NUM_THREADS=2 MKL_NUM_THREADS=2
# Each configuration runs ProxyNAS then PyTorch back to back, so both see about the same machine load.
for mode in infer train; do
    for shape in 1x28x28 3x32x32; do
        bench_java 2 org.proxynas.bench.ScoringBench "$mode" "$shape" "$batch" "$steps" | tee -a "$log"
        $py bench/scoring_reference.py "$mode" --shape "$shape" --threads 2 --batch "$batch" --warmup 3 \
            --steps "$steps" | tee -a "$log"
    done
done

$py - "$log" "$batch" "$steps" > "$out" <<'PY'
import datetime, json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
get = lambda impl, mode, shape: next(r['img_per_s'] for r in rows
                                     if r['impl'] == impl and r['mode'] == mode and r['shape'] == shape)
cpu = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
nproc = len(os.sched_getaffinity(0))  # not the nproc command: it answers OMP_NUM_THREADS, set above
load = open('/proc/loadavg').read().split()[:3]
print('# Scoring throughput: ProxyNAS ResNet-20 vs PyTorch reference\n')
print(f'- date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC')
print(f'- machine: {nproc} cores, {cpu}; load average at the end {" ".join(load)}')
print(f'- command: `bench/scoring.sh {sys.argv[2]} {sys.argv[3]}` (batch {sys.argv[2]}, {sys.argv[3]} timed steps after 3 warm-up,'
      ' 2 threads each; ProxyNAS training times its whole second epoch)')
print('- each row runs ProxyNAS and PyTorch back to back so both see similar load: the ratio is what to read'
      ' (other work on the machine moves absolute numbers, and single ratios by up to 30%; speed.md)\n')
print('| mode | input | ProxyNAS img/s | PyTorch img/s | ProxyNAS / PyTorch |')
print('|---|---|---:|---:|---:|')
for mode in ('infer', 'train'):
    for shape in ('1x28x28', '3x32x32'):
        a, b = get('proxynas', mode, shape), get('pytorch', mode, shape)
        print(f'| {mode} | {shape} | {a:.1f} | {b:.1f} | {a / b:.2f} |')
print('\nProxyNAS inference includes the per-example scores (entropy, true-class probability, margin in float64)'
      ' and the 64-d features copied back per batch, as `proxynas score` does. ProxyNAS training is the shared'
      ' TrainingLoop with its DataLoader (crop augmentation, normalization, batches built in Java each step);'
      ' the PyTorch reference steps on one pre-built tensor batch, so it does less work per image.\n')
print('Raw lines:\n\n```')
for r in rows:
    print(json.dumps(r))
print('```')
PY
cat "$out"
