#!/usr/bin/env bash
# Input-pipeline benchmark: ProxyNAS DataLoader vs the torchvision-style PyTorch pipeline, same machine,
# same run. Writes bench/results/dataloader.md. Usage: bench/dataloader.sh [EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
epochs=${1:-3}
bench_classpath
java_args="org.proxynas.bench.DataLoaderBench fashion-mnist $epochs"
cmd_py="/usr/bin/python3 bench/dataloader_reference.py 1"
out=bench/results/dataloader.md
{
    echo "# Input pipeline throughput"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ), machine: $(cpu_cores) cores, $(cpu_model)," \
        "load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- compare ratios, not absolute numbers: other work on the machine slows both sides"
    echo "- ProxyNAS: \`bench_java 1 $java_args\` (bench/lib.sh; batch 64, shuffled, float32 NDArrays, $epochs epochs" \
        "per configuration after a warm-up round)"
    echo "- PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'): \`$cmd_py\` (torch DataLoader, num_workers=0, 1 epoch)"
    echo
    echo "| step | time or throughput |"
    echo "|---|---|"
    bench_java 1 $java_args | grep -v "^{"
    eval "$cmd_py"
    echo
    echo "Reading: both loaders run on one thread; a training step consumes a few thousand images/s on this"
    echo "machine (../shared/djl-notes.md), so the input pipeline should stay well above that."
} | tee "$out.tmp"
mv "$out.tmp" "$out"
