#!/usr/bin/env bash
# Input-pipeline benchmark: ProxyNAS DataLoader vs the torchvision-style PyTorch pipeline, same machine,
# same run. Writes bench/results/dataloader.md. Usage: bench/dataloader.sh [EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
epochs=${1:-3}
bench_classpath
cmd_java="java @etc/jvm.options -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp target/classes:target/test-classes:\$(cat target/bench.cp) org.proxynas.bench.DataLoaderBench fashion-mnist $epochs"
cmd_py="/usr/bin/python3 bench/dataloader_reference.py 1"
out=bench/results/dataloader.md
{
    echo "# Input pipeline throughput"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ), machine: $(nproc) cores, $(cpu_model)"
    echo "- caveat: the machine is shared with other jobs while this runs; compare ratios, not absolute numbers"
    echo "- ProxyNAS: \`$cmd_java\` (batch 64, shuffled, float32 NDArrays, $epochs epochs per configuration after a warm-up round)"
    echo "- PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'): \`$cmd_py\` (torch DataLoader, num_workers=0, 1 epoch)"
    echo
    echo "| step | time or throughput |"
    echo "|---|---|"
    OPT_OUT_TRACKING=true eval "$cmd_java" | grep -v "^{"
    eval "$cmd_py"
    echo
    echo "Reading: both loaders run on one thread; a training step consumes a few thousand images/s on this"
    echo "machine (../shared/djl-notes.md), so the input pipeline should stay well above that."
} | tee "$out.tmp"
mv "$out.tmp" "$out"
