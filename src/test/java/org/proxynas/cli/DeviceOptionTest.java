package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxynas.data.Fixtures;
import picocli.CommandLine;

/** {@code --device} on every command that computes: a typo or a missing GPU is one line, exit 2, no output. */
class DeviceOptionTest {
    @TempDir
    static Path dir;
    static String dataset;

    @BeforeAll
    static void data() throws IOException {
        Fixtures.writeIdx(dir.resolve("data"), Fixtures.random("train", 256, 1, 8, 8, 4, 1),
                Fixtures.random("test", 16, 1, 8, 8, 4, 2), true);
        dataset = "idx:" + dir.resolve("data");
        // a search batch that fits the 25-image proxies, so that only the device is wrong
        Files.writeString(dir.resolve("experiment.yaml"), "dataset: " + dataset + "\nsearch: {batchSize: 8}\n");
    }

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = ProxyNas.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    private String[] command(String name, String device, Path out) {
        return switch (name) {
            case "score" -> new String[] {"score", dataset, "--epochs", "1", "--device", device, "--out",
                out.resolve("scores.csv").toString()};
            case "search" -> new String[] {"search", dataset, "--epochs", "1", "--device", device, "--out",
                out.toString()};
            case "train" -> new String[] {"train", dataset, "--arch", "resnet20", "--epochs", "1", "--device", device,
                "--out", out.toString()};
            default -> new String[] {"experiment", "--config", dir.resolve("experiment.yaml").toString(), "--device",
                device, "--out", out.toString()};
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"score", "search", "train", "experiment"})
    void aMistypedDeviceIsRefusedBeforeAnyWork(String name) {
        Path out = dir.resolve(name + "-typo");
        assertThat(run(command(name, "cuda:0", out))).isEqualTo(2);
        assertThat(err.toString()).contains("--device", "device must be auto, cpu, gpu or gpu:N").hasLineCount(1);
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"score", "search", "train", "experiment"})
    void aGpuOnAMachineWithoutOneIsAUserErrorWithNothingWritten(String name) throws IOException {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        Path out = dir.resolve(name + "-gpu");
        assertThat(run(command(name, "gpu", out))).isEqualTo(2);
        assertThat(err.toString()).startsWith("proxynas " + name + ": device gpu: PyTorch sees no GPU")
                .hasLineCount(1);
        assertThat(!Files.exists(out) || isEmptyOfResults(out)).isTrue();
    }

    private static boolean isEmptyOfResults(Path out) throws IOException {
        try (var files = Files.walk(out)) {
            return files.noneMatch(p -> p.getFileName().toString().matches(
                    "scores\\.csv|search\\.json|result\\.json|results\\.json|checkpoint\\.bin"));
        }
    }
}
