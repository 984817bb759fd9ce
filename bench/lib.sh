# Sourced by the bench scripts, from the repository root, before their first Java run: what each of them needs
# and used to spell out on its own.
# bench_classpath: compiles the bench classes and sets `cp` to their class path (the test scope: the bench classes
# and all they use). cpu_model: the processor's name, for the machine line of a results file.
# require_reference_torch SCRIPT: stops with one line and exit 2 when Debian's python3-torch is missing.
bench_classpath() {
    mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
        -Dmdep.includeScope=test >/dev/null
    cp="target/classes:target/test-classes:$(cat target/bench.cp)"
}

cpu_model() {
    grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs
}

require_reference_torch() {
    /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null || {
        echo "$1: the reference needs Debian's python3-torch and python3-torchvision" \
            "(apt-get install python3-torch python3-torchvision)" >&2
        exit 2
    }
}
