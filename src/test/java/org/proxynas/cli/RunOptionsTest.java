package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxynas.common.Json;
import org.proxynas.data.Fixtures;
import picocli.CommandLine;

/**
 * What every computing command shares: {@code --device} (a typo or a missing GPU is one line, exit 2, no
 * output) and the one form of the recorded command line.
 */
class RunOptionsTest {
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
        assertThat(err.toString()).startsWith("proxynas " + name + ": --device gpu: PyTorch sees no GPU")
                .hasLineCount(1);
        assertThat(!Files.exists(out) || isEmptyOfResults(out)).isTrue();
    }

    @Test
    void everyOutputRecordsTheCommandAsTyped() throws IOException {
        Path out = dir.resolve("recorded");
        String scores = out.resolve("scores.csv").toString();
        String proxy = out.resolve("proxy.json").toString();
        assertThat(run("score", dataset, "--epochs", "1", "--batch-size", "64", "--out", scores)).isZero();
        assertThat(run("select", "--scores", scores, "--ratio", "0.5", "--out", proxy)).isZero();
        assertThat(run("search", dataset, "--subset", proxy, "--epochs", "1", "--layers", "3", "--channels", "4",
                "--batch-size", "32", "--out", out.resolve("search").toString())).isZero();
        assertThat(run("train", dataset, "--genotype", out.resolve("search/genotype.txt").toString(), "--layers",
                "3", "--channels", "4", "--epochs", "1", "--out", out.resolve("train").toString())).isZero();
        Files.writeString(out.resolve("tiny.yaml"), "dataset: " + dataset + """

                seeds: [0]
                scoring: {epochs: 1, batchSize: 64}
                selection: {methods: [random], ratios: [0.5]}
                search: {algorithms: [darts], epochs: 1, layers: 3, channels: 4, batchSize: 32}
                training: {epochs: 1, layers: 3, channels: 4, batchSize: 64, auxiliary: false, cutout: 0,
                             dropPath: 0.0}
                """);
        assertThat(run("experiment", "--config", out.resolve("tiny.yaml").toString(), "--out",
                out.resolve("experiment").toString())).isZero();

        Map<String, Path> recorded = Map.of("score", out.resolve("scores.json"), "select", out.resolve("proxy.json"),
                "search", out.resolve("search/search.json"), "train", out.resolve("train/result.json"),
                "experiment", out.resolve("experiment/results.json"));
        for (Map.Entry<String, Path> e : recorded.entrySet()) {
            JsonNode command = Json.MAPPER.readTree(e.getValue().toFile()).path("provenance").path("command");
            assertThat(command.get(0).asText()).as(e.getKey()).isEqualTo("proxynas");
            assertThat(command.get(1).asText()).as(e.getKey()).isEqualTo(e.getKey());
            assertThat(command.get(2).asText()).as(e.getKey()).isNotEqualTo(e.getKey());
        }
    }

    private static boolean isEmptyOfResults(Path out) throws IOException {
        try (var files = Files.walk(out)) {
            return files.noneMatch(p -> p.getFileName().toString().matches(
                    "scores\\.csv|search\\.json|result\\.json|results\\.json|checkpoint\\.bin"));
        }
    }
}
