package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.EngineException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxynas.common.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * Exit 2 is for the user's errors only: the project's UserError and bad flags. An engine bug that throws a
 * plain IllegalArgumentException, or a full disk, is exit 1, with the same one-line report; an engine error
 * says "could not start PyTorch" only when the engine did not load.
 */
class ExitCodeTest {
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Parameters(index = "0")
        String kind;

        @Override
        public Integer call() throws Exception {
            switch (kind) {
                case "user" -> throw new UserError("--epochs must be >= 1, found 0");
                case "engine" -> throw new IllegalArgumentException("Expected all tensors to be on the same device");
                case "disk" -> throw new IOException("out/result.json: No space left on device");
                case "operator" -> throw new EngineException("element 0 of tensors does not require grad");
                case "load" -> throw new EngineException("Failed to load PyTorch native library",
                        new IOException("libtorch.so: cannot open shared object file"));
                default -> throw new IllegalStateException("unreachable");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "user, 2, '--epochs must be >= 1, found 0'",
        "engine, 1, 'Expected all tensors to be on the same device'",
        "disk, 1, 'out/result.json: No space left on device'",
        "operator, 1, 'PyTorch: element 0 of tensors does not require grad'",
        "load, 1, 'could not start PyTorch: Failed to load PyTorch native library (IOException: libtorch.so: cannot"
            + " open shared object file)'",
    })
    void onlyUserErrorsExitWithTwo(String kind, int exit, String message) {
        CommandLine cl = ProxyNas.commandLine();
        cl.addSubcommand("boom", new Boom());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("boom", kind)).isEqualTo(exit);
        assertThat(err.toString()).isEqualTo("proxynas boom: " + message + System.lineSeparator());
    }
}
