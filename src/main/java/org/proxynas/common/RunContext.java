package org.proxynas.common;

import java.util.List;
import java.util.Objects;

/**
 * How a stage runs, as opposed to what it computes (its config): the command line recorded in every output's
 * provenance, the compute device, whether to continue a checkpointed run, and where progress goes. Two runs
 * that differ only here produce the same results (up to floating-point rounding between devices), and a
 * checkpoint written under one context resumes under another.
 *
 * @param resume continue the run checkpointed in the stage's output; without it, an output holding a
 *     checkpoint is refused
 */
public record RunContext(List<String> command, ComputeDevice device, boolean resume, ProgressListener progress) {
    /** A library call: no command line, the first GPU when there is one, a fresh run, bars on the console. */
    public static final RunContext DEFAULT = of(List.of(), ComputeDevice.AUTO);

    public RunContext {
        command = List.copyOf(command);
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(progress, "progress");
    }

    /** A fresh run with console progress. */
    public static RunContext of(List<String> command, ComputeDevice device) {
        return new RunContext(command, device, false, ProgressListener.CONSOLE);
    }

    public RunContext withResume(boolean on) {
        return new RunContext(command, device, on, progress);
    }

    public RunContext withProgress(ProgressListener listener) {
        return new RunContext(command, device, resume, listener);
    }
}
