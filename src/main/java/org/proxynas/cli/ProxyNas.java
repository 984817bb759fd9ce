package org.proxynas.cli;

import ai.djl.engine.EngineException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.proxynas.common.ErrorMessages;
import org.proxynas.common.ShellWords;
import org.proxynas.common.UserError;
import org.proxynas.common.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine;

/**
 * The {@code proxynas} command. Exit codes: 0 success, 2 any user error (bad flag, bad or missing input
 * file), 1 an internal error or an output that could not be written. Errors are one stderr line
 * {@code proxynas <cmd>: <message>}; {@code --debug} adds the stack trace.
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
            PredictCommand.class,
            ExportCommand.class,
            ParamsCommand.class,
            ExperimentCommand.class,
            RankCommand.class,
            ReportCommand.class,
            SparkMasterCommand.class,
            SparkWorkerCommand.class,
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
        // a path as the user means it: "--out ../a/../b" is ../b even when ../a does not exist (the kernel would
        // resolve "../a/.." through ../a, and fail), and the path recorded in provenance and messages is that one
        cl.registerConverter(Path.class, text -> Path.of(text).normalize());
        TrainCommand.describeDefaults(cl.getSubcommands().get("train").getCommandSpec());
        cl.setExecutionStrategy(Execution::run);
        cl.setExecutionExceptionHandler(ProxyNas::handleExecutionException);
        cl.setParameterExceptionHandler(ProxyNas::handleParameterException);
        cl.setExitCodeExceptionMapper(e -> isUserError(e) ? EXIT_USER : EXIT_INTERNAL);
        return cl;
    }

    /** One line like every other error, with where to read the usage at its end. */
    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        // picocli starts some of its messages with "Error: ", which our prefix already says
        String message = e.getMessage().replaceFirst("^Error: ", "");
        cmd.getErr().println(prefix(cmd) + ErrorMessages.firstLine(message) + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        return EXIT_USER;
    }

    private static int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean debug = isDebug(parsed);
        cmd.getErr().println(prefix(cmd) + (e.getCause() instanceof OutOfMemoryError oom
                ? outOfMemory(oom, parsed.originalArgs())
                : isUserError(e) ? inFlagTerms(describe(e), cmd.getCommandSpec()) : describe(e)));
        if (debug) {
            e.printStackTrace(cmd.getErr());
        }
        return isUserError(e) ? EXIT_USER : EXIT_INTERNAL;
    }

    /** A setting's name at the start of a message, as the library writes it: {@code batchSize must be ...}. */
    private static final Pattern LEADING_SETTING = Pattern.compile("^([a-z][A-Za-z0-9]*)(?=[ :])");

    /**
     * The library names settings as configs do ({@code batchSize must be >= 2}), so a YAML user reads the key;
     * on the command line the user typed a flag, so a message that starts with a setting this command has as
     * a flag names the flag ({@code --batch-size must be >= 2}).
     */
    static String inFlagTerms(String message, CommandLine.Model.CommandSpec spec) {
        Matcher m = LEADING_SETTING.matcher(message);
        if (!m.find()) {
            return message;
        }
        String flag = "--" + m.group(1).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        return spec.findOption(flag) != null ? flag + message.substring(m.end()) : message;
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

    /**
     * What ran out and how to give more: the launcher passes {@code PROXYNAS_JAVA_OPTS} to the JVM, so the same
     * command with twice the heap (rounded up to a power of two) is one copy-paste away.
     */
    static String outOfMemory(OutOfMemoryError e, List<String> args) {
        long limitMb = Runtime.getRuntime().maxMemory() >> 20;
        long suggestedMb = Long.highestOneBit(Math.max(1, 2 * limitMb - 1)) << 1;
        String heap = suggestedMb >= 1024 ? (suggestedMb >> 10) + "g" : suggestedMb + "m";
        List<String> command = new ArrayList<>(List.of("./proxynas"));
        command.addAll(args);
        return "out of memory (" + (e.getMessage() == null ? "Java heap space" : e.getMessage())
                + "; the Java heap is limited to " + limitMb + " MB); give it more, e.g. PROXYNAS_JAVA_OPTS=-Xmx"
                + heap + " " + ShellWords.join(command);
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
        String msg = ErrorMessages.oneLine(t);
        if (t instanceof EngineException) {
            // DJL wraps what stopped the engine from loading ("Failed to save pytorch index file" hides why: the
            // root cause says it); an operator's own error comes from libtorch without a cause
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root == t) {
                return "PyTorch: " + msg;
            }
            return "could not start PyTorch: " + msg + " (" + root.getClass().getSimpleName() + ": "
                    + root.getMessage() + ")";
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
