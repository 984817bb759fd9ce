package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.proxynas.common.Json;
import org.proxynas.data.Datasets;
import org.proxynas.data.Fixtures;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.ProxyExport;
import org.proxynas.data.Split;
import picocli.CommandLine;

class ScoreCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = ProxyNas.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(List.of("--epochs", "0"), "--epochs must be >= 1, found 0"),
                Arguments.of(List.of("--arch", "resnet18"), "--arch must be one of resnet20, resnet56, found 'resnet18'"),
                Arguments.of(List.of("--lr", "-1"), "--lr must be > 0, found -1"),
                Arguments.of(List.of("--milestones", "5,3"), "--milestones must be increasing epochs >= 1, found [5, 3]"),
                Arguments.of(List.of("--limit", "2001"), "--limit 2001 exceeds the 2000 train examples of fashion-mnist"),
                Arguments.of(List.of("--model", "missing.params"), "no such file: missing.params"),
                Arguments.of(List.of("--resume", "--model", "m.params"), "--resume continues training, a given model skips it"),
                Arguments.of(List.of("--epochs", "many"), "Invalid value for option '--epochs': 'many' is not an int"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputIsOneLineAndExitTwoBeforeAnyWork(List<String> flags, String message) throws IOException {
        List<String> args = new ArrayList<>(List.of("score", "fashion-mnist", "--out", dir.resolve("s.csv").toString()));
        args.addAll(flags);
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("proxynas score: ").contains(message);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void outputMustBeACsvFile() {
        Run r = run("score", "--out", dir.resolve("scores.txt").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("proxynas score: --out must name a .csv file, found '" + dir.resolve("scores.txt")
                + "'" + System.lineSeparator());
    }

    @Test
    void outputBelowAFileIsRejectedBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        Run r = run("score", "--out", file.resolve("s.csv").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("proxynas score: --out: " + file + " is a file, expected a directory"
                + System.lineSeparator());
    }

    @Test
    void unknownDatasetIsAUserError() {
        Run r = run("score", "nosuchformat:/tmp", "--out", dir.resolve("s.csv").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void garbageModelFileIsAUserError() throws IOException {
        Path model = dir.resolve("bad.params");
        Files.writeString(model, "not a model");
        Run r = run("score", "--limit", "64", "--test-limit", "64", "--batch-size", "32", "--model", model.toString(),
                "--out", dir.resolve("s.csv").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("bad.params: not a saved resnet20");
        assertThat(Files.exists(dir.resolve("s.csv"))).isFalse();
    }

    @Test
    void aModelOfAnotherDatasetIsOneLineNamingIt() throws IOException {
        Fixtures.writeIdx(dir.resolve("four"), Fixtures.random("a", 64, 1, 8, 8, 4, 1),
                Fixtures.random("b", 16, 1, 8, 8, 4, 2), false);
        Fixtures.writeIdx(dir.resolve("six"), Fixtures.random("a", 64, 1, 8, 8, 6, 3),
                Fixtures.random("b", 16, 1, 8, 8, 6, 4), false);
        Run four = run("score", "idx:" + dir.resolve("four"), "--epochs", "1", "--batch-size", "32", "--out",
                dir.resolve("four.csv").toString());
        assertThat(four.exit()).as(four.err()).isZero();
        Path model = dir.resolve("four.model.params");
        Run r = run("score", "idx:" + dir.resolve("six"), "--batch-size", "32", "--model", model.toString(), "--out",
                dir.resolve("six.csv").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("proxynas score: " + model + ": not a saved resnet20 for 6 classes of this dataset");
        assertThat(dir.resolve("six.csv")).doesNotExist();
    }

    /**
     * The pipeline's first two steps as a user runs them: score, select with the paper's method, export in
     * the source format. The dataset is a 128-image IDX copy of Fashion-MNIST's head, so that the whole
     * training split is scored (export needs scores for every example).
     */
    @Test
    void scoreThenSelectThenExportReadsBackTheSelectedExamples() throws IOException {
        ImageDataset fashion = Datasets.open("fashion-mnist", Split.TRAIN);
        Path small = dir.resolve("small");
        ProxyExport.write("fashion-mnist", fashion, IntStream.range(0, 128).toArray(), small);
        String spec = "idx:" + small;
        Path out = dir.resolve("run/scores.csv");
        Run r = run("score", spec, "--test-limit", "64", "--epochs", "1", "--batch-size", "64", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("scored 128 of 128 training examples of " + spec)
                .contains("entropy (nats; ln K = 2.3026) over 128 examples").contains("q0.50").contains("trained 1 epochs");
        JsonNode command = Json.MAPPER.readTree(dir.resolve("run/scores.json").toFile()).get("provenance").get("command");
        assertThat(command.get(0).asText()).isEqualTo("proxynas");
        assertThat(command.get(1).asText()).isEqualTo("score");
        assertThat(command.get(2).asText()).isEqualTo(spec);
        assertThat(Files.exists(dir.resolve("run/scores.model.params"))).isTrue();
        assertThat(Files.exists(dir.resolve("run/scores.csv.ckpt/checkpoint.bin"))).isTrue();

        Path proxy = dir.resolve("run/proxy.json");
        Path export = dir.resolve("run/proxy-data");
        Run s = run("select", "--scores", out.toString(), "--method", "proxy", "--ratio", "0.25", "--seed", "1",
                "--out", proxy.toString(), "--export", export.toString());
        assertThat(s.exit()).as(s.err()).isZero();
        JsonNode indices = Json.MAPPER.readTree(proxy.toFile()).get("indices");
        assertThat(indices).hasSize(32);

        ImageDataset source = Datasets.open(spec, Split.TRAIN);
        ImageDataset exported = Datasets.open("idx:" + export, Split.TRAIN);
        assertThat(exported.size()).isEqualTo(32);
        byte[] a = new byte[source.imageBytes()];
        byte[] b = new byte[source.imageBytes()];
        for (int k = 0; k < 32; k++) {
            int i = indices.get(k).asInt();
            assertThat(i).isBetween(0, 127);
            assertThat(exported.label(k)).isEqualTo(source.label(i));
            source.readImage(i, a, 0);
            exported.readImage(k, b, 0);
            assertThat(b).isEqualTo(a);
        }
    }
}
