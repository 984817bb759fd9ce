package org.proxynas.cli;

import java.util.ArrayList;
import java.util.List;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.RunContext;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Mixed into every command that computes: {@code --device}, and the run context built from it. */
public final class RunOptions {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE", converter = DeviceParser.class,
            description = "auto | cpu | gpu | gpu:N: where to compute; auto takes the first GPU PyTorch sees, "
                    + "else the CPU; checkpoints resume on any device (default: ${DEFAULT-VALUE}).")
    ComputeDevice device;

    /**
     * The context a command's job runs in: the device, the command line as the user typed it, and bars and notes
     * on the console, notes under the command's name.
     */
    RunContext context(CommandSpec spec) {
        return RunContext.of(recordedCommand(spec), device).withProgress(new ProgressListener() {
            @Override
            public void note(String message) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": note: " + message);
                spec.commandLine().getErr().flush();
            }
        });
    }

    /** {@code proxynas <command> <args...>}: the one form every output's provenance records. */
    static List<String> recordedCommand(CommandSpec spec) {
        List<String> command = new ArrayList<>(List.of("proxynas"));
        // the subcommand's parse result holds the arguments from the subcommand's own name on
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return command;
    }

    static final class DeviceParser implements ITypeConverter<ComputeDevice> {
        @Override
        public ComputeDevice convert(String value) {
            try {
                return ComputeDevice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
