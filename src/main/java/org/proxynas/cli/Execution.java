package org.proxynas.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * How the chosen command runs, around its {@code call()}: picocli handles {@link Exception}s but lets an
 * {@link Error} escape as a JVM trace, so an {@link OutOfMemoryError} anywhere in a command is turned into an
 * execution failure here, which {@link ProxyNas}'s handler reports in one line.
 */
final class Execution {
    private Execution() {}

    static int run(ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (OutOfMemoryError e) {
            throw new CommandLine.ExecutionException(chosen(parsed), "out of memory", e);
        }
    }

    /** The subcommand that ran, e.g. {@code proxynas train}. */
    private static CommandLine chosen(ParseResult parsed) {
        List<CommandLine> path = parsed.asCommandLineList();
        return path.get(path.size() - 1);
    }
}
