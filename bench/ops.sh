#!/usr/bin/env bash
# Single libtorch operators, ProxyNAS (DJL, libtorch 2.7.1) next to PyTorch 1.13, same input, same machine, same
# run, at 1 and 2 threads: whether a training row's gap is in the kernels themselves (bench/OpBench.java,
# bench/op_reference.py). Usage: bench/ops.sh [C H W BATCH]   (default 16 28 28 64: a DARTS C=16 first-stage
# feature map). Appends a dated table to bench/results/ops.md and the raw lines to bench/results/ops-raw.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
shape=("${@:-16 28 28 64}")
read -r c h w batch <<<"${shape[*]}"
bench_classpath
run=$(mktemp); trap 'rm -f "$run"' EXIT
# two alternations, the faster of each side kept: the machine's load comes and goes between runs
for threads in 1 2 1 2; do
    OMP_NUM_THREADS=$threads bench_java "$threads" org.proxynas.bench.OpBench "$c" "$h" "$w" "$batch" \
        | grep '^{' >>"$run"
    OMP_NUM_THREADS=$threads /usr/bin/python3 bench/op_reference.py "$threads" "$c" "$h" "$w" "$batch" >>"$run"
done
cat "$run" >>bench/results/ops-raw.jsonl
table=$(/usr/bin/python3 - "$run" <<'TABLE'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ms = {}
for r in rows:
    key = (r['impl'] != 'pytorch', r['op'], r['threads'])
    ms[key] = min(ms.get(key, float('inf')), r['ms_per_call'])
print('| operator | 1 thread: ProxyNAS / PyTorch ms | ratio | 2 threads: ProxyNAS / PyTorch ms | ratio |')
print('|---|---|---|---|---|')
for op in dict.fromkeys(r['op'] for r in rows):
    cells = []
    for t in ('1', '2'):
        ours, ref = ms[(True, op, t)], ms[(False, op, t)]
        cells += [f'{ours:.3f} / {ref:.3f}', f'{ours / ref:.2f}']
    print(f'| {op} | ' + ' | '.join(cells) + ' |')
TABLE
)
{
    echo
    echo "## $(date -u +%FT%H:%MZ), $(cpu_cores) cores ($(cpu_model)), load $(cut -d' ' -f1-3 /proc/loadavg), input ${batch}x${c}x${h}x${w}, commit $(git rev-parse --short HEAD)"
    echo
    echo "$table"
} | tee -a bench/results/ops.md
