#!/usr/bin/env bash
# The zero-cost measures of ProxyNAS against a PyTorch reference written after their authors' code
# (bench/zero_cost_reference.py), on the same untrained weights and the same batch, exported by ProxyNAS
# (bench ZeroCostExport): DARTS_V2 and two sampled cells (the first uniform sample of seed 1, the first sample of seed 1
# drawn toward pools and skips). Writes bench/results/zero-cost.md; exits 1 when a measure differs by more than 1e-4
# relative. About 10 minutes on 2 quiet cores.
# Usage: bench/zero-cost.sh [CHANNELS] [LAYERS] [BATCH_SIZE] [SEED] [DATASET]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
channels=${1:-8}
layers=${2:-5}
batch=${3:-64}
seed=${4:-1}
dataset=${5:-fashion-mnist}
tolerance=1e-4
py=/usr/bin/python3
require_reference_torch bench/zero-cost.sh "torch numpy"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
bench_classpath
threads=$(cpu_cores)
java_args="org.proxynas.bench.ZeroCostExport EXPORT_DIR $dataset $channels $layers 1 $batch $seed"
# libtorch warns once that a backward with create_graph makes a cycle; grasp keeps that cycle to scalars (see Grasp)
cells="$(bench_java "$threads" ${java_args/EXPORT_DIR/$work} 2> >(grep -v "create_graph=True will create a reference cycle" >&2))"
all_rows="$($py -W "ignore:Using a non-full backward hook" bench/zero_cost_reference.py "$work" "$threads")"
rows="$(grep -v ' grasp_float32 ' <<< "$all_rows")"
authors_grasp="$(grep ' grasp_float32 ' <<< "$all_rows")"
out=bench/results/zero-cost.md
{
    echo "# Zero-cost measures: ProxyNAS vs a PyTorch reference after the authors' code"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ), machine: $(cpu_cores) cores, $(cpu_model), commit $(git rev-parse --short HEAD)"
    echo "- ProxyNAS (DJL $(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' pom.xml), PyTorch" \
        "$(sed -n 's:.*<pytorch.version>\(.*\)</pytorch.version>.*:\1:p' pom.xml)) against" \
        "bench/zero_cost_reference.py (PyTorch $($py -c 'import torch; print(torch.__version__)'), NumPy" \
        "$($py -c 'import numpy; print(numpy.__version__)')), $threads threads each"
    echo "- networks: DARTS cells, C=$channels, L=$layers, on $dataset; weights: the untrained network a training with" \
        "seed $seed starts from; data: the first batch of $batch training images in seed $seed's order; cells:"
    sed 's/^\([^ ]*\) \(.*\)$/  - \1: `\2`/' <<< "$cells"
    echo "- ProxyNAS: \`bench_java $threads $java_args\` (bench/lib.sh), measures as \`ZeroCostJob\` runs them"
    echo "- PyTorch: \`$py bench/zero_cost_reference.py EXPORT_DIR $threads\`"
    echo "- agreement: relative difference |ProxyNAS − PyTorch| / |PyTorch| at most $tolerance"
    echo
    echo "Relative difference per measure and network:"
    echo
    echo "| measure | $(awk '{print $1}' <<< "$rows" | uniq | paste -sd'|' | sed 's/|/ | /g') |"
    echo "|---|$(awk '{print $1}' <<< "$rows" | uniq | awk '{printf "---|"}')"
    awk '{ if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } cell[$2] = cell[$2] " | " $5 }
        END { for (i = 1; i <= n; i++) print "| " order[i] cell[order[i]] " |" }' <<< "$rows"
    echo
    echo "Values (ProxyNAS, PyTorch):"
    echo
    echo "| network | measure | ProxyNAS | PyTorch | relative difference |"
    echo "|---|---|---|---|---|"
    awk '{ print "| " $1 " | " $2 " | " $3 " | " $4 " | " $5 " |" }' <<< "$rows"
    echo
    echo "grasp is computed in float64 on both sides (its terms cancel, see Grasp.java); for reference, not checked," \
        "the authors' float32 grasp against ProxyNAS's float64 value:"
    echo
    echo "| network | ProxyNAS (float64) | PyTorch (float32, as the authors) | relative difference |"
    echo "|---|---|---|---|"
    awk '{ print "| " $1 " | " $3 " | " $4 " | " $5 " |" }' <<< "$authors_grasp"
} | tee "$out.tmp"
mv "$out.tmp" "$out"
disagreeing="$(awk -v t="$tolerance" '!($5 <= t) { print $1 " " $2 " " $5 }' <<< "$rows")"
if [ -n "$disagreeing" ]; then
    echo "bench/zero-cost.sh: beyond $tolerance relative: $disagreeing" >&2
    exit 1
fi
