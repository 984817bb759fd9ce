#!/usr/bin/env bash
# Forward + backward step time of the supernet (DARTS, PC-DARTS) and a DARTS_V2 network: ProxyNAS vs the
# PyTorch reference code, same machine, same run, both on one thread. Writes bench/results/networks.md.
# Usage: bench/networks.sh [BATCH] [WARMUP] [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
require_reference_torch bench/networks.sh
batch=${1:-32}
warmup=${2:-2}
steps=${3:-5}
bench_classpath
java_args="org.proxynas.bench.NetworksBench $batch $warmup $steps"
cmd_py="/usr/bin/python3 bench/networks_reference.py $batch $warmup $steps 1"
java_out=$(bench_java 1 $java_args 2>/dev/null)
py_out=$(eval "$cmd_py")
out=bench/results/networks.md
{
    echo "# Network step time: ProxyNAS (DJL $(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' pom.xml), PyTorch 2.7.1) vs DARTS reference (PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'))"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ), machine: $(cpu_cores) cores, $(cpu_model), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- compare ratios, not absolute numbers: other work on the machine slows both sides"
    echo "- one step = forward + cross-entropy + backward (no optimizer) on random 1x28x28 images, batch $batch, median of $steps steps after $warmup warm-up steps, one thread each"
    echo "- ProxyNAS: \`bench_java 1 $java_args\` (bench/lib.sh)"
    echo "- PyTorch: \`$cmd_py\`"
    echo
    echo "| network | ProxyNAS s/step | PyTorch s/step | ProxyNAS / PyTorch |"
    echo "|---|---|---|---|"
    join <(echo "$java_out" | sort) <(echo "$py_out" | sort) \
        | awk '{printf "| %s | %.3f | %.3f | %.2f |\n", $1, $2, $3, $2 / $3}'
} | tee "$out.tmp"
mv "$out.tmp" "$out"
