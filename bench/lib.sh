# Sourced by the bench scripts, from the repository root, before their first Java run: what each of them needs
# and used to spell out on its own.
# bench_classpath: compiles the bench classes and sets `cp` to their class path (the test scope: the bench classes
# and all they use). cpu_model: the processor's name, and cpu_cores the cores this process may use (nproc, which
# answers OMP_NUM_THREADS instead once a script has set it), for the machine line of a results file.
# require_reference_torch SCRIPT [PACKAGES]: stops with one line and exit 2 when Debian's python3-torch (or the
# python3-* PACKAGES named, e.g. "torch numpy") is missing.
# bench_java THREADS [JVM FLAGS...] CLASS [ARGS...]: runs a benchmark class in a JVM set up as ./proxynas sets up the
# product's (etc/jvm.options), offline, without progress bars, logging warnings only, on bench_classpath's class
# path, with THREADS libtorch threads and one inter-op thread.
bench_classpath() {
    mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
        -Dmdep.includeScope=test >/dev/null
    cp="target/classes:target/test-classes:$(cat target/bench.cp)"
}

cpu_model() {
    grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs
}

cpu_cores() {
    env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc
}

require_reference_torch() {
    local packages=${2:-torch}
    /usr/bin/python3 -c "import ${packages// /, }" 2>/dev/null || {
        echo "$1: the reference needs Debian's python3-${packages// /, python3-}" \
            "(apt-get install python3-${packages// / python3-})" >&2
        exit 2
    }
}

bench_java() {
    local threads=$1
    shift
    OPT_OUT_TRACKING=true java @etc/jvm.options -Dai.djl.offline=true -Dproxynas.quiet=true \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dai.djl.pytorch.num_threads="$threads" \
        -Dai.djl.pytorch.num_interop_threads=1 -cp "$cp" "$@"
}
