#!/usr/bin/env bash
# ProxyNAS's networks against the reference networks' TorchScript traces, both in ProxyNAS's libtorch 2.7.1, in one
# JVM, rounds alternated (bench TraceComparison): how much ProxyNAS's own network code costs beyond the operators.
# The traces are written by bench/train_reference.py --torchscript (PyTorch 1.13, one short timing run each).
# Usage: [THREADS=2] [ROUNDS=9] [TRACE_NO_GRAD=1] bench/trace-comparison.sh [PATTERN]   (PATTERN: only matching rows)
#   TRACE_NO_GRAD=1: the evaluation trace runs with autograd off instead of under libtorch's InferenceMode, which
#   DJL uses for module calls only (ProxyNAS's own operators run with autograd off): what InferenceMode is worth.
# Raw lines go to bench/results/trace-raw.jsonl, the table is appended, dated, to bench/results/trace.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
threads="${THREADS:-2}"
rounds="${ROUNDS:-9}"
pattern="${1:-.}"
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench/trace-comparison.sh: ROUNDS must be a positive whole number, found '$rounds'" >&2
    exit 2
fi
py=/usr/bin/python3
require_reference_torch bench/trace-comparison.sh
run="$(mktemp)"; traces="$(mktemp -d)"; trap 'rm -rf "$run" "$traces"' EXIT
bench_classpath
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
echo "{\"header\":true,\"date\":\"$(date -u +%FT%TZ)\",\"cores\":$(cpu_cores),\"cpu\":\"$(cpu_model)\",\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"threads\":$threads,\"commit\":\"$(git rev-parse --short HEAD)\"}" | tee -a "$run"
# model input batch warmup steps [C layers]; a round is STEPS batches, 1–3 s
rows='resnet20 1x28x28 64 20 10
resnet20 3x32x32 64 20 10
resnet20 1x28x28 256 5 3
darts 1x28x28 64 2 2 16 8
darts 3x32x32 64 2 2 16 8'
grep -E -- "$pattern" <<< "$rows" | while read -r model input batch warmup steps rest; do
    $py bench/train_reference.py --threads "$threads" --rounds 1 --torchscript "$traces" "$model" "$input" "$batch" \
        1 1 $rest > /dev/null
    bench_java "$threads" -Dbench.rounds="$rounds" \
        -Dbench.traceNoGrad="$([ "${TRACE_NO_GRAD:-0}" = 1 ] && echo true || echo false)" \
        org.proxynas.bench.TraceComparison "$traces" "$model" "$input" "$batch" "$warmup" "$steps" $rest \
        | grep '^{' | tee -a "$run"
done
cat "$run" >> bench/results/trace-raw.jsonl
table="$($py - "$run" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
h = lines[0]
print('### %s, %d cores (%s), load %s, %d threads, commit %s%s' % (
    h['date'][:16].replace('T', ' ') + 'Z', h['cores'], h['cpu'], h['load'], h['threads'], h['commit'],
    '' if all(r.get('trace_inference_mode', True) for r in lines[1:]) else ', trace inference without InferenceMode'))
print('\n| workload | rounds | train: ProxyNAS / trace | inference: ProxyNAS / trace | img/s ProxyNAS, trace '
      '(train; inference) | page faults per batch, ProxyNAS, trace (train; inference) |\n|---|---|---|---|---|---|')
for r in lines[1:]:
    name = ('ResNet-20' if r['model'] == 'resnet20' else 'DARTS_V2 C=%d L=%d' % (r['C'], r['layers']))
    cell = lambda q: '%.2f (%.2f–%.2f)' % (q['median'], q['min'], q['max'])
    print('| %s, %s, batch %d | %d | %s | %s | %.0f, %.0f; %.0f, %.0f | %.0f, %.0f; %.0f, %.0f |' % (
        name, r['input'].replace('x', '×'), r['batch'], r['rounds'], cell(r['train_ratio']), cell(r['infer_ratio']),
        r['train_img_per_s'], r['trace_train_img_per_s'], r['infer_img_per_s'], r['trace_infer_img_per_s'],
        r['train_faults_per_batch'], r['trace_train_faults_per_batch'], r['infer_faults_per_batch'],
        r['trace_infer_faults_per_batch']))
PY
)"
echo "$table"
printf '\n%s\n' "$table" >> bench/results/trace.md
