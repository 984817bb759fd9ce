#!/usr/bin/env bash
# The cost of running an experiment's stages through Spark, and what a cluster would buy a real study.
# Starts a standalone master and WORKERS workers (one core each) on this machine through the launcher, runs
# bench/cluster-tiny.yaml in-process and with --cluster, and prints a markdown report: both wall times, the
# per-stage overhead of going through Spark (task time on the driver minus the stage's own time), and, for
# STUDY (a finished experiment or rank directory; its stages/graph.json and done.json times), the predicted
# wall time on 1, 4, 16 and 64 workers next to its critical path and total work.
# Usage: bench/cluster.sh [STUDY] (WORKERS=2 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
study=${1:-}
workers=${WORKERS:-2}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 2; rm -rf "$work"' EXIT
./proxynas --version >/dev/null
export SPARK_LOCAL_IP=127.0.0.1
port=$((20000 + RANDOM % 20000))
# a secret of the bench's own, not the user's ~/.config/proxynas/spark.secret
secret="$work/spark.secret"
./proxynas spark-master --host 127.0.0.1 --port "$port" --webui-port 0 --secret-file "$secret" >"$work/master.log" 2>&1 &
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
for i in $(seq "$workers"); do
    ./proxynas spark-worker "spark://127.0.0.1:$port" --host 127.0.0.1 --cores 1 --memory 3g --webui-port 0 \
        --work-dir "$work/worker-$i" --secret-file "$secret" >"$work/worker-$i.log" 2>&1 &
done
# one PyTorch thread per stage in both runs, so the difference is the cluster's
export PROXYNAS_JAVA_OPTS="-Xmx4g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
start=$(date +%s.%N)
./proxynas experiment --config bench/cluster-tiny.yaml --out "$work/local" >/dev/null 2>"$work/local.log"
local_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
./proxynas experiment --config bench/cluster-tiny.yaml --out "$work/cluster" --cluster "spark://127.0.0.1:$port" \
    --secret-file "$secret" >/dev/null 2>"$work/cluster.log"
cluster_s=$(echo "$(date +%s.%N) - $start" | bc)
echo "# bench/cluster.sh $(date -u +%FT%TZ) · $(cpu_cores) cores, $(cpu_model)" \
    "· load $(cut -d' ' -f1-3 /proc/loadavg) · commit $(git rev-parse --short HEAD) · $workers local workers"
python3 bench/cluster_predict.py --local "$work/local" --local-seconds "$local_s" --cluster "$work/cluster" \
    --cluster-seconds "$cluster_s" --cluster-log "$work/cluster.log" ${study:+--study "$study"}
