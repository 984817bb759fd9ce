#!/usr/bin/env bash
# Channels-last (NHWC) activations against ProxyNAS's NCHW, libtorch 2.7.1 through DJL (bench/LayoutCheck.java):
# (1) whether libtorch computes a 1x1 stride-2 convolution's weight gradient (DARTS' FactorizedReduce) correctly in
# each layout, one process per case because a wrong case can corrupt the heap and abort (or hang: a minute at most)
# the JVM; (2) what the layout would gain, ResNet-20 and DARTS_V2 inference and training steps, alternated twice.
# Usage: bench/layout.sh [ROUNDS]   (default 5). Appends a dated section to bench/results/layout.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
rounds="${1:-5}"
bench_classpath
run=$(mktemp); crashes=$(mktemp -d); trap 'rm -rf "$run" "$crashes"' EXIT
check() {
    OPT_OUT_TRACKING=true OMP_NUM_THREADS=2 timeout 60 java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
        -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
        -XX:ErrorFile="$crashes/hs_err_%p.log" -cp "$cp" org.proxynas.bench.LayoutCheck "$@" 2>/dev/null | grep '^{'
}
for c in 1 2 4 8 16; do
    for size in 8 9 26 27 28; do
        check gradient "$c" "$size" >>"$run" \
            || echo "{\"check\":\"conv1x1_stride2_weight_grad\",\"channels\":$c,\"size\":$size,\"failed\":true}" >>"$run"
    done
done
for pass in 1 2; do
    for model in resnet20 darts_v2; do
        for layout in nchw channels-last; do
            check speed "$model" "$layout" "$rounds" >>"$run"
        done
    done
done
table=$(/usr/bin/python3 - "$run" <<'TABLE'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
grads = [r for r in rows if 'check' in r]
sizes = sorted({r['size'] for r in grads})
def cell(r):
    if r.get('failed'):
        return 'JVM aborted or hung'
    n, c = r['nchw_rel_err'], r['channels_last_rel_err']
    return '%.0e / %s' % (n, ('%.0e' % c) if c < 1e-4 else '**%.2g**' % c)
print('1×1 stride-2 convolution, weight gradient, max relative error against the exact one (NCHW / channels-last):')
print()
print('| channels | ' + ' | '.join('%d×%d' % (s, s) for s in sizes) + ' |')
print('|---|' + '---|' * len(sizes))
for c in sorted({r['channels'] for r in grads}):
    by = {r['size']: r for r in grads if r['channels'] == c}
    print('| %d | ' % c + ' | '.join(cell(by[s]) for s in sizes) + ' |')
print()
print('Throughput, images/s, batch 64, 1×28×28, the better of two alternations (each the median of its rounds):')
print()
print('| model | inference NCHW | inference channels-last | ratio | training step NCHW | channels-last | ratio |')
print('|---|---|---|---|---|---|---|')
for model in ('resnet20', 'darts_v2'):
    best = {}
    for r in rows:
        if r.get('model') == model:
            for k in ('infer_img_per_s', 'train_img_per_s'):
                best[(r['layout'], k)] = max(best.get((r['layout'], k), 0), r[k])
    i0, i1 = best[('nchw', 'infer_img_per_s')], best[('channels-last', 'infer_img_per_s')]
    t0, t1 = best[('nchw', 'train_img_per_s')], best[('channels-last', 'train_img_per_s')]
    print('| %s | %.0f | %.0f | %.2f | %.1f | %.1f | %.2f |' % (model, i0, i1, i1 / i0, t0, t1, t1 / t0))
TABLE
)
header="## $(date -u +%FT%H:%MZ), $(cpu_cores) cores ($(cpu_model)), load $(cut -d' ' -f1-3 /proc/loadavg), 2 threads, commit $(git rev-parse --short HEAD), libtorch 2.7.1"
printf '\n%s\n\n%s\n' "$header" "$table" | tee -a bench/results/layout.md
