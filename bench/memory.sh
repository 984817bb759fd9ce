#!/usr/bin/env bash
# Where the training rows' extra memory is: the same training steps, ProxyNAS (TrainBench) and the PyTorch reference
# (bench/train_reference.py), each under glibc's malloc (ProxyNAS with etc/glibc-malloc.sh, as ./proxynas runs it;
# the reference with glibc's defaults) and under jemalloc (LD_PRELOAD, when libjemalloc2 is installed), whose freed
# pages go back to the kernel: a gap that stays under jemalloc is live tensors, one that goes is how glibc's heap
# holds freed memory. ProxyNAS runs twice per allocator: with the launcher's heap settings (etc/jvm.options) and with
# a small heap (-Xmx128m, serial GC), which shows the Java heap's share. Peak RSS is the kernel's high-water mark
# (bench/rss_peak.py).
# Usage: THREADS=2 bench/memory.sh   Results: bench/results/memory-raw.jsonl (one JSON line per run).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
threads="${THREADS:-2}"
raw=bench/results/memory-raw.jsonl
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
bench_classpath
echo "# $(date -u +%FT%TZ) $(cpu_cores) cores, $(cpu_model), load $(cut -d' ' -f1-3 /proc/loadavg), $threads threads, commit $(git rev-parse --short HEAD)" | tee -a "$raw"
allocators=glibc
[ -e "$jemalloc" ] && allocators="glibc jemalloc" || echo "# no $jemalloc (apt-get install libjemalloc2): glibc only" | tee -a "$raw"
configs='resnet20 3x32x32 64 2 10
darts 3x32x32 64 1 8 16 8'
while read -r config; do
    for allocator in $allocators; do
        preload=; [ "$allocator" = jemalloc ] && preload="$jemalloc"
        for jvm in launcher small-heap; do
            heap=@etc/jvm.options
            [ "$jvm" = small-heap ] && heap="-Xmx128m -XX:+UseSerialGC"
            (. etc/glibc-malloc.sh
             OPT_OUT_TRACKING=true LD_PRELOAD="$preload" python3 bench/rss_peak.py "$allocator" java $heap \
                 -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
                 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" org.proxynas.bench.TrainBench $config) \
                | sed "s/^{/{\"jvm\":\"$jvm\",/" | tee -a "$raw"
        done
        LD_PRELOAD="$preload" python3 bench/rss_peak.py "$allocator" \
            /usr/bin/python3 bench/train_reference.py --threads "$threads" $config | tee -a "$raw"
    done
done <<<"$configs"
