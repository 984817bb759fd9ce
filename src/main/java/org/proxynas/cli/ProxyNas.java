package org.proxynas.cli;

import ai.djl.engine.EngineException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.proxynas.common.UserError;
import org.proxynas.common.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine;

/**
 * The {@code proxynas} command. Exit codes: 0 success, 2 any user error (bad flag, bad or missing input
 * file), 1 an internal error. Errors are one stderr line {@code proxynas <cmd>: <message>}; {@code --debug}
 * adds the stack trace.
 */
@Command(
        name = "proxynas",
        mixinStandardHelpOptions = true,
        versionProvider = ProxyNas.VersionProvider.class,
        description = "Neural architecture search on entropy-selected proxy data (Na et al., IJCAI 2021).",
        subcommands = {
            DemoCommand.class,
            DataCommand.class,
            ScoreCommand.class,
            SelectCommand.class,
            SearchCommand.class,
            TrainCommand.class,
            ParamsCommand.class,
            ExperimentCommand.class,
            RankCommand.class,
            ReportCommand.class,
        })
public final class ProxyNas {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_USER = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ProxyNas());
        cl.setExecutionExceptionHandler(ProxyNas::handleExecutionException);
        cl.setParameterExceptionHandler(ProxyNas::handleParameterException);
        cl.setExitCodeExceptionMapper(e -> isUserError(e) ? EXIT_USER : EXIT_INTERNAL);
        return cl;
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(prefix(cmd) + e.getMessage());
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        return EXIT_USER;
    }

    private static int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean debug = isDebug(parsed);
        cmd.getErr().println(prefix(cmd) + describe(e));
        if (debug) {
            e.printStackTrace(cmd.getErr());
        }
        return isUserError(e) ? EXIT_USER : EXIT_INTERNAL;
    }

    private static boolean isDebug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    /**
     * Bad input is the user's to fix (the project's own {@link UserError}, and picocli's flag errors); every
     * other exception, the JDK's and the engine's included, is ours or the environment's.
     */
    static boolean isUserError(Throwable e) {
        return e instanceof UserError || e instanceof CommandLine.ParameterException;
    }

    /** One line: JDK file exceptions carry only the path as message, so say what happened to it. */
    static String describe(Throwable e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof NoSuchFileException) {
            return "no such file: " + t.getMessage();
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + t.getMessage();
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = t.getClass().getSimpleName();
        }
        msg = msg.lines().findFirst().orElse(msg);
        if (t instanceof EngineException) {
            // DJL's own message ("Failed to save pytorch index file") hides why: the root cause says it
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root == t ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
            return "could not start PyTorch: " + msg + why;
        }
        return msg;
    }

    /** {@code --version}: ours and the engine's, without starting the engine. */
    static final class VersionProvider implements IVersionProvider {
        private static String libtorch() {
            String path = System.getenv("PYTORCH_LIBRARY_PATH");
            return path == null || path.isBlank() ? "the bundled CPU build" : "libtorch in " + path;
        }

        @Override
        public String[] getVersion() {
            return new String[] {
                "proxynas " + Versions.proxynas(),
                "DJL " + Versions.djl() + ", PyTorch " + Versions.pytorch() + " (" + libtorch() + ")",
                "Java " + Versions.java()
            };
        }
    }
}
