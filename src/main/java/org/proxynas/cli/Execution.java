package org.proxynas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.proxynas.common.DirectoryLock;
import org.proxynas.common.OutputDirectory;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * How the chosen command runs, around its {@code call()}:
 * <ul>
 *   <li>a command that {@link LocksOutputDirectory} runs holding its directory's lock, so that a second run into
 *       the same directory is refused instead of mixing its files into the first one's;
 *   <li>picocli handles {@link Exception}s but lets an {@link Error} escape as a JVM trace, so an
 *       {@link OutOfMemoryError} anywhere in a command is turned into an execution failure, which
 *       {@link ProxyNas}'s handler reports in one line.
 * </ul>
 */
final class Execution {
    private Execution() {}

    static int run(ParseResult parsed) {
        CommandLine chosen = chosen(parsed);
        try {
            Path dir = chosen.getCommand() instanceof LocksOutputDirectory c && !asksForHelp(parsed)
                    ? c.outputDirectory() : null;
            // A path that is a file cannot receive a run's outputs at all; the command's own check says so.
            if (dir == null || (Files.exists(dir) && !Files.isDirectory(dir))) {
                return new CommandLine.RunLast().execute(parsed);
            }
            OutputDirectory.require(dir);
            try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
                lock.tookOverFrom().ifPresent(holder -> chosen.getErr().println(chosen.getCommandSpec().qualifiedName()
                        + ": note: took over the lock of " + lock.directory() + " left by " + holder
                        + ", which is no longer running"));
                return new CommandLine.RunLast().execute(parsed);
            }
        } catch (OutOfMemoryError e) {
            throw new CommandLine.ExecutionException(chosen, "out of memory", e);
        } catch (IOException | IllegalArgumentException e) {
            // from the lock: the command's own failures arrive wrapped already
            throw new CommandLine.ExecutionException(chosen, e.getMessage(), e);
        }
    }

    /** The subcommand that runs, e.g. {@code proxynas train}. */
    private static CommandLine chosen(ParseResult parsed) {
        List<CommandLine> path = parsed.asCommandLineList();
        return path.get(path.size() - 1);
    }

    private static boolean asksForHelp(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }
}
