#!/usr/bin/env bash
# Diagnostic for garbage gradients in the supernet (see SupernetGradientCheck): five independent runs of a few
# forward/backward passes through a 4-node supernet; a healthy engine prints values near 1 in every run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
bench_classpath
for run in 1 2 3 4 5; do
    bench_java "$(cpu_cores)" org.proxynas.bench.SupernetGradientCheck "${1:-4}" "${2:-4}" 2>/dev/null
done
