package org.proxynas.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code proxynas data}: the dataset subcommands. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Inspect datasets.",
        subcommands = {DataInfoCommand.class})
public final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (expected: info)");
    }
}
