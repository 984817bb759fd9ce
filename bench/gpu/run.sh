#!/usr/bin/env bash
# ProxyNAS on a GPU machine, next to PyTorch on the same card: run from the repository root of a checkout that
# holds .gpu/ (made by bench/gpu/pack.sh on a machine with a JDK). Needs python3 with a CUDA PyTorch, CMake
# and a C++ compiler; no Java, no network. Writes everything to $OUT (default target/gpu-out): raw.jsonl (one
# JSON line per measurement), the logs, machine.txt and the JNI it built.
#
# PHASES (default "probe build reference agree precision bench search") picks the parts:
#   probe      machine, driver, PyTorch and CUDA versions, what DJL will load
#   build      DJL 0.36.0's PyTorch JNI built against this machine's libtorch (CMake; plain g++ as a fallback);
#              a prebuilt one ($JNI, or .gpu/libdjl_torch.so from an earlier run) skips it
#   reference  the PyTorch reference rows (bench/gpu/reference_gpu.py)
#   smoke      one ProxyNAS training step on the GPU
#   agree      the same tiny search and short training on the GPU and on the CPU, compared (bench/gpu/agree.py)
#   precision  one DARTS_V2 training in fp32, fp16 and bf16 on the GPU (bf16: the JNI patch of jni-patches/),
#              throughput and agreement with fp32 (bench/gpu/precision.py)
#   bench      the ProxyNAS rows (TrainBench, SearchStepBench) on the GPU
#   search     the paper-size proxy search: score (GPU), select 10%, DARTS C=16 L=8 first order, time-boxed
# Each step is time-boxed so that the whole run ends within DEADLINE seconds (default 470).
set -uo pipefail
root="$(pwd)"
G="$root/.gpu"
OUT="${OUT:-$root/target/gpu-out}"
PHASES="${PHASES:-probe build reference agree precision bench search}"
WORK="${GPU_WORK:-$root/target/gpu-work}"  # scratch (env GPU_WORK): the unpacked runtime, the data, the search's files
L="$OUT/logs"
mkdir -p "$OUT" "$L" "$WORK"
raw="$OUT/raw.jsonl"
# What comes back from the device is at most 8 files: the logs travel as one archive, made on any exit.
finish() {
    cp "$WORK"/paper/search/log.jsonl "$L/paper-search-log.jsonl" 2>/dev/null
    cp "$WORK"/paper/scores.json "$L/paper-scores.json" 2>/dev/null
    tar -C "$OUT" -cJf "$OUT/logs.tar.xz" logs && rm -rf "$L"
}
trap finish EXIT
log() { echo "[$(date -u +%T) +${SECONDS}s] $*" >&2; }
# Every step is time-boxed against DEADLINE (seconds since start, default 470): tbox N = min(N, time left).
DEADLINE="${DEADLINE:-470}"
tbox() { local left=$((DEADLINE - SECONDS)); [ "$left" -lt "$1" ] && echo $((left > 1 ? left : 1)) || echo "$1"; }
has() { [[ " $PHASES " == *" $1 "* ]]; }
py=python3

# GPU (default gpu) is the device the GPU side runs on; GPU=cpu and a preset PYTORCH_LIBRARY_PATH make a dry
# run of the Java phases on a CPU machine.
GPU="${GPU:-gpu}"
# one import of torch (seconds each) for everything this script needs to know about it
read -r TORCH_DIR TORCH_VERSION CUDA_FLAVOR TORCH_CMAKE CXX11_ABI < <($py -c '
import os, torch, torch.utils
print(os.path.dirname(torch.__file__), torch.__version__.split("+")[0],
      "cu" + (torch.version.cuda or "").replace(".", ""), torch.utils.cmake_prefix_path,
      int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null)
NPROC="$(nproc)"

# --- Java runtime and data (cheap; every phase but probe/reference needs them) ---
if [ ! -x "$WORK/jre/bin/java" ]; then
    tar -xJf "$G/jre.tar.xz" -C "$WORK"
fi
export PROXYNAS_DATA="$WORK/data"
if [ ! -e "$PROXYNAS_DATA/fashion-mnist/t10k-labels-idx1-ubyte" ]; then
    mkdir -p "$PROXYNAS_DATA/fashion-mnist"
    for f in "$G"/data/*.xz; do
        xz -dc "$f" > "$PROXYNAS_DATA/fashion-mnist/$(basename "$f" .xz)" &
    done
    wait
fi

if has probe; then
    log "probe"
    {
        nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
        echo "torch $($py -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())')"
        echo "torch dir $TORCH_DIR (writable: $([ -w "$TORCH_DIR/lib" ] && echo yes || echo no)); cmake prefix $TORCH_CMAKE; cxx11 abi $CXX11_ABI"
        echo "cmake: $(cmake --version | head -1); ninja: $(ninja --version 2>/dev/null); c++: $(c++ --version | head -1); nvcc: $(nvcc --version 2>/dev/null | tail -1)"
        echo "cpu: $NPROC x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); memory $(free -g | awk '/Mem/ {print $2}') GiB; kernel $(uname -r)"
        echo "torch/lib:"; ls "$TORCH_DIR/lib"
        echo "cudart:"; find /opt /usr -name 'libcudart.so*' 2>/dev/null | head
    } > "$OUT/machine.txt" 2>&1
    cat "$OUT/machine.txt"
fi

# --- the JNI ---
# JNI: a libdjl_torch.so built earlier for this libtorch (default: .gpu/libdjl_torch.so when packed) skips the
# build, but .gpu's only when its stamp (libdjl_torch.so.patches, which the build writes next to it) names the
# patches of bench/gpu/jni-patches as they are now: a JNI built before a patch was added lacks what it adds.
JNI="${JNI:-}"
patches="$(cat "$root"/bench/gpu/jni-patches/*.patch 2>/dev/null | sha256sum | cut -c1-16)"
[ -z "$JNI" ] && [ -e "$G/libdjl_torch.so" ] && [ "$(cat "$G/libdjl_torch.so.patches" 2>/dev/null)" = "$patches" ] \
    && JNI="$G/libdjl_torch.so"
build_jni() {
    local src="$WORK/djl/engines/pytorch/pytorch-native"
    rm -rf "$WORK/djl" && cp -r "$G/djl" "$WORK/djl"
    for p in "$root"/bench/gpu/jni-patches/*.patch; do
        [ -e "$p" ] && (cd "$WORK/djl" && patch -p1 < "$p") && log "applied $(basename "$p")"
    done
    mkdir -p "$src/build" && cd "$src/build"
    # DJL's build.sh: PT_VERSION only for libtorch < 2.2; USE_CUDA for CUDA flavors. A failed compile is retried
    # with the failing functions stubbed (bench/gpu/stub_failing.py; the list goes to jni-stubs.txt).
    if JAVA_HOME="$WORK/jre" timeout "$(tbox 90)" cmake -G Ninja -DCMAKE_BUILD_TYPE=Release \
            -DCMAKE_PREFIX_PATH="$TORCH_CMAKE" -DJAVA_HOME="$WORK/jre" -DUSE_CUDA=1 .. > "$L/jni-cmake.log" 2>&1; then
        for round in 1 2 3; do
            if timeout "$(tbox 240)" cmake --build . -j "$NPROC" -- -k 0 > "$L/jni-build-$round.log" 2>&1; then
                cd "$root"; echo "$src/build/libdjl_torch.so"; return 0
            fi
            stub "$L/jni-build-$round.log" "$src/src/main/native" || break
        done
        cd "$root"; return 1
    fi
    log "CMake could not configure (jni-cmake.log); trying plain g++ without USE_CUDA"
    # Without USE_CUDA the JNI loses only the separate-CUDA-stream inference option and emptyCache; DJL loads
    # libtorch_cuda itself, so every CUDA kernel is still there.
    cd "$src"
    local inc="-I$TORCH_DIR/include -I$TORCH_DIR/include/torch/csrc/api/include -I$WORK/jre/include"
    inc="$inc -I$WORK/jre/include/linux -Ibuild/include -I$WORK/djl/api/src/main/native"
    mkdir -p build/gcc
    for round in 1 2 3; do
        ls src/main/native/*.cc | timeout "$(tbox 240)" xargs -P "$NPROC" -I{} sh -c \
            "c++ -O2 -fPIC -std=c++17 -D_GLIBCXX_USE_CXX11_ABI=$CXX11_ABI $inc -c {} -o build/gcc/\$(basename {} .cc).o" \
            > "$L/jni-gcc-$round.log" 2>&1 && break
        stub "$L/jni-gcc-$round.log" src/main/native || { cd "$root"; return 1; }
    done
    if c++ -shared -o build/gcc/libdjl_torch.so build/gcc/*.o -L"$TORCH_DIR/lib" -ltorch -ltorch_cpu -lc10 \
            -Wl,-rpath,'$ORIGIN' >> "$L/jni-gcc-link.log" 2>&1; then
        cd "$root"; echo "$src/build/gcc/libdjl_torch.so"; return 0
    fi
    cd "$root"; return 1
}
stub() {  # stub LOG SOURCE_DIR: stubs the functions LOG's errors point into; false when there is none
    local stubs
    stubs="$($py "$root/bench/gpu/stub_failing.py" "$1" "$2")" || return 1
    echo "$stubs" >> "$L/jni-stubs.txt"
    log "stubbed after compile errors: $(echo "$stubs" | tr '\n' ' ')"
}

ref_pid=
if has reference; then
    # The reference runs on CPUs 0-3 while the JNI compiles on the others: the GPU is the reference's alone.
    log "reference (background)"
    (WARMUP=5 STEPS=20 taskset -c 0-3 $py bench/gpu/reference_gpu.py resnet20:3x32x32:64 resnet20:1x28x28:64 resnet20:1x28x28:256 darts_v2:3x32x32:96:36:20 \
        search:first:16:8 search:second:16:8 | tee -a "$raw") > "$L/reference.log" 2>&1 &
    ref_pid=$!
fi
if has build && [ -z "$JNI" ]; then
    log "build JNI"
    [ -n "$ref_pid" ] && taskset -p -c 4-$((NPROC - 1)) $$ > /dev/null
    JNI="$(build_jni)" || { log "JNI build failed: see logs/jni-*.log"; JNI=; }
    taskset -p -c 0-$((NPROC - 1)) $$ > /dev/null
    [ -n "$JNI" ] && cp "$JNI" "$OUT/libdjl_torch.so" && echo "$patches" > "$OUT/libdjl_torch.so.patches" \
        && log "JNI: $JNI"
fi
if [ -n "$ref_pid" ]; then
    wait "$ref_pid"; log "reference done"; cat "$L/reference.log" | grep -v '^{' | tail -5
fi
if [ -e "$L/jni-stubs.txt" ] || { has build && [ -z "$JNI" ]; }; then
    # the headers, to write real patches for bench/gpu/jni-patches on a machine without this libtorch
    tar -C "$TORCH_DIR" -cf - include | xz -6 -T0 > "$OUT/torch-include.tar.xz"
fi
if [ -z "$JNI" ] && [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
    log "no JNI: the Java phases are skipped"
    exit 1
fi

# --- Java environment: DJL on this machine's libtorch (the JNI next to it), cudart for DJL's GPU count ---
mkdir -p "$WORK/cudart"
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
    LIBDIR="$TORCH_DIR/lib"
    if ! cp "$JNI" "$LIBDIR/libdjl_torch.so" 2>/dev/null; then
        log "$LIBDIR is read-only: linking a private copy"
        LIBDIR="$WORK/torchlib"; mkdir -p "$LIBDIR"; ln -sf "$TORCH_DIR"/lib/* "$LIBDIR/"
        cp "$JNI" "$LIBDIR/libdjl_torch.so"
    fi
    cudart="$(find "$(dirname "$TORCH_DIR")/nvidia" /usr/local/cuda*/lib64 /usr/lib/x86_64-linux-gnu \
        -name 'libcudart.so*' 2>/dev/null | head -1)"
    [ -n "$cudart" ] && ln -sf "$cudart" "$WORK/cudart/libcudart.so"
    nvlibs="$(find "$(dirname "$TORCH_DIR")/nvidia" -maxdepth 3 -name lib -type d 2>/dev/null | tr '\n' ':')"
    export LD_LIBRARY_PATH="${nvlibs}${LD_LIBRARY_PATH:-}"
    export PYTORCH_LIBRARY_PATH="$LIBDIR" PYTORCH_VERSION="$TORCH_VERSION" PYTORCH_FLAVOR="$CUDA_FLAVOR"
fi
export OPT_OUT_TRACKING=true DJL_CACHE_DIR="$WORK/djl-cache"
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=1073741824
# arrays, not functions, so that timeout can run them; THREADS: CPU threads (for the CPU side of 'agree')
JAVA=("$WORK/jre/bin/java" -Xmx24g -XX:+UseParallelGC -Dai.djl.offline=true -Djna.library.path="$WORK/cudart"
    -Dai.djl.pytorch.num_threads="${THREADS:-16}" -Dai.djl.pytorch.num_interop_threads=1
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dproxynas.device="$GPU" -cp "$G/app/*")
PNAS=("${JAVA[@]}" org.proxynas.cli.ProxyNas)

if has smoke; then
    log "smoke: ProxyNAS version and one GPU training row"
    "${PNAS[@]}" --version 2>&1 | tee "$L/smoke.log"
    timeout "$(tbox 120)" "${JAVA[@]}" org.proxynas.bench.TrainBench resnet20 3x32x32 64 2 10 2>&1 | tee -a "$L/smoke.log" | grep '^{' >> "$raw"
fi

if has agree; then
    log "agree: tiny search and short training, GPU vs CPU"
    $py -c "import json; json.dump({'indices': list(range(512))}, open('$WORK/first512.json', 'w'))"
    for d in $GPU cpu; do
        rm -rf "$WORK/agree-$d"
        timeout "$(tbox 150)" "${PNAS[@]}" search fashion-mnist --subset "$WORK/first512.json" --epochs 2 --layers 5 --channels 8 \
            --batch-size 32 --seed 1 --device $d --out "$WORK/agree-$d/search" > "$L/agree-search-$d.log" 2>&1
        timeout "$(tbox 150)" "${PNAS[@]}" train fashion-mnist --genotype DARTS_V2 --layers 5 --channels 8 --epochs 2 --batch-size 64 \
            --drop-path 0 --train-subset "$WORK/first512.json" --test-limit 1000 --seed 1 --device $d \
            --out "$WORK/agree-$d/train" > "$L/agree-train-$d.log" 2>&1
    done
    $py bench/gpu/agree.py "$WORK/agree-$GPU" "$WORK/agree-cpu" | tee -a "$raw"
fi

if has precision; then
    # PRECISION_NET and PRECISION_EXAMPLES shrink it for a dry run on a CPU
    log "precision: DARTS_V2 (${PRECISION_NET:=--layers 20 --channels 36}) in fp32, fp16 and bf16 on the GPU"
    $py -c "import json; json.dump({'indices': list(range(${PRECISION_EXAMPLES:=4800}))}, open('$WORK/precision-subset.json', 'w'))"
    for p in fp32 fp16 bf16; do
        rm -rf "$WORK/precision-$p"
        timeout "$(tbox 60)" "${PNAS[@]}" train fashion-mnist --genotype DARTS_V2 $PRECISION_NET --epochs 2 \
            --batch-size 96 --train-subset "$WORK/precision-subset.json" --test-limit 2000 --seed 1 --device $GPU \
            --precision $p --out "$WORK/precision-$p" > "$L/precision-$p.log" 2>&1
    done
    $py bench/gpu/precision.py "$WORK"/precision-fp32 "$WORK"/precision-fp16 "$WORK"/precision-bf16 \
        "DARTS_V2 $PRECISION_NET, batch 96, $PRECISION_EXAMPLES images, 2 epochs" | tee -a "$raw"
fi

if has bench; then
    log "bench: ProxyNAS rows on the GPU"
    IFS='|' read -ra rows <<< "${TRAIN_ROWS:-resnet20 3x32x32 64 5 20|resnet20 1x28x28 64 5 20|resnet20 1x28x28 256 5 20|darts 3x32x32 96 3 20 36 20}"
    for row in "${rows[@]}"; do
        timeout "$(tbox 150)" "${JAVA[@]}" org.proxynas.bench.TrainBench $row 2>>"$L/bench.log" | grep '^{' | tee -a "$raw"
    done
    timeout "$(tbox 60)" "${JAVA[@]}" org.proxynas.bench.DataLoaderBench fashion-mnist 1 2>>"$L/bench.log" \
        | grep '^{' | tee -a "$raw"
    for algo in ${SEARCH_ROWS-darts darts-2nd}; do
        (cd "$WORK" && timeout "$(tbox 150)" "${JAVA[@]}" org.proxynas.bench.SearchStepBench $algo 16 8 64 5 20) \
            2>>"$L/bench.log" | grep '^{' | tee -a "$raw"
    done
fi

if has search; then
    log "search: score on the GPU, select 10%, paper-size proxy search"
    s="$WORK/paper"; rm -rf "$s"; mkdir -p "$s"
    timeout "$(tbox 150)" "${PNAS[@]}" score fashion-mnist --device $GPU --epochs ${SCORE_EPOCHS:-3} --milestones 2 --out "$s/scores.csv" \
        > "$L/search-score.log" 2>&1
    "${PNAS[@]}" select --scores "$s/scores.csv" --ratio 0.1 --out "$s/proxy.json" > "$L/search-select.log" 2>&1
    timeout "$(tbox "${SEARCH_SECONDS:-100}")" "${PNAS[@]}" search fashion-mnist --subset "$s/proxy.json" --epochs 50 --layers 8 \
        --channels 16 --batch-size 64 --device $GPU --out "$s/search" > "$L/search.log" 2>&1
    $py - "$s" <<'PY' | tee -a "$raw"
import json, sys, os
d = sys.argv[1]
epochs = [json.loads(l) for l in open(os.path.join(d, 'search', 'log.jsonl'))] if os.path.exists(os.path.join(d, 'search', 'log.jsonl')) else []
scores = json.load(open(os.path.join(d, 'scores.json'))) if os.path.exists(os.path.join(d, 'scores.json')) else {}
sec = [e['seconds'] for e in epochs]
steady = sec[1:] or sec
print(json.dumps(dict(impl='proxynas', row='paper-proxy-search', proxy_examples=len(json.load(open(os.path.join(d, 'proxy.json')))['indices']) if os.path.exists(os.path.join(d, 'proxy.json')) else None,
                      epochs_done=len(epochs), epoch_seconds=sec,
                      projected_50_epochs_min=(sum(steady) / len(steady) * 50 / 60) if steady else None,
                      val_accuracy=[e['valAccuracy'] for e in epochs], genotype=epochs[-1]['genotype'] if epochs else None,
                      scoring_wall_s=scores.get('wallSeconds'), scoring_train_s=scores.get('trainingSeconds'), scoring_test_accuracy=scores.get('testAccuracy'))))
PY
fi
log "done"
