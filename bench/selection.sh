#!/usr/bin/env bash
# Selection time per method on synthetic scores (50k and 1.28M examples, 10%); k-center on 50k x 64;
# then numpy's choice(replace=False, p) and a numpy k-center on the same shapes as the reference.
# Usage: bench/selection.sh [sizes] [kcenter-max-n] [reps]   e.g. bench/selection.sh 50000,1280000 50000 3
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
. etc/glibc-malloc.sh
bench_classpath
echo "machine: $(cpu_cores) cores, $(cpu_model), $(date -u +%FT%TZ)"
bench_java 1 org.proxynas.bench.SelectionBench "$@"
# The reference (numpy, as the paper's public code samples), same shapes, measured in the same run.
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    echo; echo "| n | reference | size | wall (s) |"; echo "|---|---|---|---|"
    /usr/bin/python3 bench/selection_reference.py "${1:-50000,1280000}"
fi
