#!/usr/bin/env bash
# Packs into .gpu/ (ignored by git; the device tool carries it, 64 MiB at most) everything bench/gpu/run.sh
# needs on a GPU machine that has Python + PyTorch (CUDA) + CMake + a C++ compiler but no Java, no Maven and
# no network:
#   app/          the application and benchmark classes with their runtime jars, without the 450 MB CPU libtorch
#                 and DJL's prebuilt JNI (run.sh builds the JNI against the machine's own libtorch)
#   jre.tar.xz    a jlink'd Java runtime (its include/ has jni.h for the JNI build)
#   djl/          DJL 0.36.0's PyTorch JNI sources (engines/pytorch/pytorch-native, api/src/main/native) and the
#                 JNI header javac generates from PyTorchLibrary.java, which needs a JDK, so it is made here
#   data/         Fashion-MNIST (xz)
# The PyTorch reference (bench/gpu/reference_gpu.py with bench/reference_nets.py) travels with the repository.
#
# Usage: DJL_GIT=<a git clone of github.com/deepjavalibrary/djl with tag v0.36.0> bench/gpu/pack.sh
# The application is packed anew every time; the runtime, sources and data only when missing (FRESH=1: all).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
: "${DJL_GIT:?set DJL_GIT to a git clone of https://github.com/deepjavalibrary/djl (tag v0.36.0)}"
djl_tag=v0.36.0
out=.gpu
fmnist=${FMNIST_DIR:-/usr/share/datasets/fashion-mnist}
[ "${FRESH:-0}" = 1 ] && rm -rf "$out"
rm -rf "$out/app" && mkdir -p "$out/app"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

echo "pack: application"
mvn -B -q -o -DskipTests package
(cd target/test-classes && jar cf "$root/$out/app/proxynas-bench.jar" .)
cp target/proxynas.jar "$out/app/"
for j in target/lib/*.jar; do
    case "$(basename "$j")" in pytorch-native-*|pytorch-jni-*) ;; *) cp "$j" "$out/app/" ;; esac
done

if [ ! -e "$out/jre.tar.xz" ]; then
    echo "pack: Java runtime"
    jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    modules=java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported
    "$jdk/bin/jlink" --add-modules "$modules,jdk.zipfs,java.scripting,jdk.crypto.ec" --strip-debug --no-man-pages \
        --output "$tmp/jre"
    tar -C "$tmp" -cf - jre | xz -6 -T0 > "$out/jre.tar.xz.tmp" && mv "$out/jre.tar.xz.tmp" "$out/jre.tar.xz"
fi

if [ ! -d "$out/djl" ]; then
    echo "pack: DJL $djl_tag JNI sources"
    git -C "$DJL_GIT" archive "$djl_tag" engines/pytorch/pytorch-native/CMakeLists.txt \
        engines/pytorch/pytorch-native/src/main/native engines/pytorch/pytorch-engine/src/main/java \
        api/src/main/native | tar -x -C "$tmp"
    mkdir -p "$out/djl/engines/pytorch/pytorch-native/build/include"
    cp -r "$tmp/api" "$out/djl/"
    cp -r "$tmp/engines/pytorch/pytorch-native/CMakeLists.txt" "$tmp/engines/pytorch/pytorch-native/src" \
        "$out/djl/engines/pytorch/pytorch-native/"
    javac -cp "$(ls target/lib/api-*.jar)" -sourcepath "$tmp/engines/pytorch/pytorch-engine/src/main/java" \
        -h "$out/djl/engines/pytorch/pytorch-native/build/include" -d "$tmp/classes" \
        "$tmp/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
fi

if [ ! -d "$out/data" ]; then
    echo "pack: data"
    mkdir -p "$out/data"
    for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
        gzip -dc "$fmnist/$f.gz" | xz -6 -T0 > "$out/data/$f.xz"
    done
fi

du -sh "$out"/* && du -sb "$out" | awk '{printf "pack: %.1f MiB in .gpu (the device tool carries at most 64 MiB with the repository)\n", $1 / 1048576}'
