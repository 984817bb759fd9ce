#!/usr/bin/env bash
# Inference throughput of DARTS_V2 (C=36, L=20, CIFAR-shaped 3x32x32 inputs) exported to ONNX, in ONNX Runtime vs
# DJL's PyTorch engine, batch 1 and 64, same threads, and the export's wall time; the file is checked by Debian's
# onnx checker when python3-onnx is installed. Writes bench/results/export.md.
# Usage: bench/export.sh [WARMUP] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
warmup=${1:-3}
iterations=${2:-10}
threads=$(cpu_cores)
thread_counts=$([ "$threads" -gt 1 ] && echo "1,$threads" || echo 1)
bench_classpath
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java_args="org.proxynas.bench.ExportBench $work $thread_counts $warmup $iterations"
lines=$(bench_java "$threads" $java_args 2>/dev/null)
onnx_file=$(echo "$lines" | awk '$1 == "onnx" {print $2}')
if /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
    check=$(/usr/bin/python3 -c 'import onnx, sys
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
print("passes the onnx " + onnx.__version__ + " checker (full_check, shape inference included)")' "$onnx_file" 2>&1 \
        | tail -1)
else
    check="not checked (apt-get install python3-onnx for Debian's onnx checker)"
fi
ort_version=$(sed -n '/<artifactId>onnxruntime<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p}' pom.xml)
out=bench/results/export.md
{
    echo "# ONNX export: DARTS_V2 (C=36, L=20) in ONNX Runtime $ort_version vs DJL $(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' pom.xml) on PyTorch 2.7.1"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ), machine: $(cpu_cores) cores, $(cpu_model), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- compare ratios, not absolute numbers: other work on the machine slows both sides"
    echo "- network: DARTS_V2, C=36, L=20, 3x32x32 inputs, 10 classes, trained one epoch on 64 random images by the"
    echo "  evaluation job (the weights do not change the speed); its auxiliary head is in the weights, not in the graph"
    echo "- forward only, the same batch of random normalized images in both; batch 1: median of $iterations runs after"
    echo "  $warmup warm-up runs, batch 64: median of $(( iterations / 3 > 3 ? iterations / 3 : 3 )) after 1; the same threads in both"
    echo "  (DJL: libtorch's intra-op threads, autograd off, the network's blocks as \`predict --dataset\` runs them;"
    echo "  ONNX Runtime: intra-op threads, its default graph optimizations, which fold batch norm into the convolutions)"
    echo "$lines" | awk '$1 == "onnx" {printf "- ONNX file: %.1f MB, %d nodes, opset 17; ", $3 / 1e6, $4}'
    echo "$check"
    echo "- command: \`nice -n 10 bench/export.sh $warmup $iterations\` (ProxyNAS: \`bench_java $threads ${java_args/$work/WORKDIR}\`)"
    echo "- last column: the largest logit difference between the two, relative to the largest logit (two training"
    echo "  steps leave batch norm's running statistics far from the activations', so the logits are large here)"
    echo
    echo "| threads | batch | DJL PyTorch img/s | ONNX Runtime img/s | ONNX Runtime / DJL | max logit difference / max logit |"
    echo "|---|---|---|---|---|---|"
    echo "$lines" | awk '$1 == "threads" {printf "| %d | %d | %.2f | %.2f | %.2f | %.1e |\n", $2, $4, $4 / $5, $4 / $6, $5 / $6, $7 / $8}'
    echo
    echo "$lines" | awk '$1 == "export_seconds" {printf "Export wall time (read the model directory, load it in DJL, build the graph, write the file): %.2f s the first time, %.2f s the median of three.\n", $2, $3}'
} | tee "$out.tmp"
mv "$out.tmp" "$out"
