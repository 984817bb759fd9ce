package org.proxynas.cli;

import picocli.CommandLine.Option;

/** Mixed into every leaf command: {@code --debug} prints stack traces for errors. */
public final class DebugOption {
    @Option(names = "--debug", description = "Show the stack trace when a command fails.")
    boolean debug;
}
