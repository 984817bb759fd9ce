#!/usr/bin/env bash
# Seconds per DARTS search step (architecture step on a validation batch + weight step on a training batch)
# and peak RSS, ProxyNAS (DJL) next to the PyTorch reference (quark0/darts, CPU-patched), same machine, same
# run, one process per configuration. Usage: bench/search.sh [THREADS] [WARMUP] [STEPS] [CONFIGS...]
# CONFIGS are C:LAYERS pairs (default "8:5 16:8"). Writes one JSON line per run to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
. etc/glibc-malloc.sh
threads=${1:-2}; warmup=${2:-3}; steps=${3:-20}; shift $(( $# < 3 ? $# : 3 )) || true
configs=${*:-"8:5 16:8"}
mvn -B -q -o test-compile >/dev/null
cpfile=$(mktemp); trap 'rm -f "$cpfile"' EXIT
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
cp=$(cat "$cpfile")
echo "# $(date -u +%FT%TZ) nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) load=$(cut -d' ' -f1-3 /proc/loadavg)"
export OPT_OUT_TRACKING=true OMP_NUM_THREADS=$threads
for cfg in $configs; do
    c=${cfg%%:*}; layers=${cfg##*:}
    for mode in first second; do
        algo=$([ $mode = first ] && echo darts || echo darts-2nd)
        java -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1 \
            -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "target/classes:target/test-classes:$cp" \
            org.proxynas.bench.SearchStepBench $algo $c $layers 64 $warmup $steps
        (cd ../shared/reference && /usr/bin/python3 bench.py darts $mode --C $c --layers $layers --batch 64 \
            --threads $threads --warmup $warmup --steps $steps)
    done
done
