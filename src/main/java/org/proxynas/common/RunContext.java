package org.proxynas.common;

import java.util.List;

/**
 * How a stage runs, as opposed to what it computes (its config): the command line recorded in every
 * output's provenance, and the compute device. Two runs that differ only here produce the same results
 * (up to floating-point rounding between devices), and a checkpoint written under one context resumes
 * under another.
 */
public record RunContext(List<String> command, ComputeDevice device) {
    /** A library call: no command line, the first GPU when there is one. */
    public static final RunContext DEFAULT = new RunContext(List.of(), ComputeDevice.AUTO);

    public RunContext {
        command = List.copyOf(command);
        if (device == null) {
            throw new UserError("device must be set (auto, cpu, gpu or gpu:N)");
        }
    }

    public static RunContext of(List<String> command, ComputeDevice device) {
        return new RunContext(command, device);
    }

    public RunContext withDevice(ComputeDevice other) {
        return new RunContext(command, other);
    }
}
