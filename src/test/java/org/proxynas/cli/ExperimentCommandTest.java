package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxynas.common.Json;
import org.proxynas.data.Datasets;
import org.proxynas.data.Fixtures;
import org.proxynas.data.InMemoryImageDataset;
import org.proxynas.data.Split;
import org.proxynas.experiment.ExperimentRunner;

/** {@code proxynas experiment} as a user runs it, on a dataset of 20 tiny images and given scores. */
class ExperimentCommandTest {
    @TempDir
    Path dir;

    /** One search on all 20 images and one training, an epoch each: a few seconds. */
    private Path tinyConfig() throws IOException {
        InMemoryImageDataset train = Fixtures.random("train", 20, 1, 8, 8, 2, 1);
        Fixtures.writeIdx(dir.resolve("data"), train, Fixtures.random("test", 10, 1, 8, 8, 2, 2), false);
        List<String> rows = new ArrayList<>(List.of("index,label,entropy"));
        for (int i = 0; i < train.size(); i++) {
            rows.add(i + "," + train.label(i) + "," + (0.01 * (i + 1)));
        }
        Path scores = Files.write(dir.resolve("scores.csv"), rows);
        return Files.writeString(dir.resolve("experiment.yaml"), """
                dataset: idx:%s
                scoring: {scores: %s}
                selection: {methods: [full]}
                search: {epochs: 1, layers: 3, channels: 4, batchSize: 10}
                training: {epochs: 1, layers: 3, channels: 4, batchSize: 10, auxiliary: false, cutout: 0}
                """.formatted(dir.resolve("data"), scores));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "search:\\n  epochs: 1.5\\n              | search.epochs: expected an integer, found 1.5 (line 3, column 11)",
        "seeds: [0, 2.0]\\n                     | seeds[1]: expected an integer, found 2.0 (line 2, column 12)",
        "search:\\n  epochs: 2\\n  epochs: 3\\n | search.epochs: duplicate key, each key may appear once (line 4, column 9)",
        "limit: 5\\nlimit: 6\\n                 | limit: duplicate key, each key may appear once (line 3, column 6)",
        "search:\\n  epochs: 2\\n layers: 3\\n  | not valid YAML: expected <block end>, but found '<block mapping start>' (line 4, column 2)",
        "search: {epochs: 2\\n                  | not valid YAML: expected ',' or '}', but got <stream end> (line 3, column 1)",
        "search: {epochs: &e 2}\\ntraining: {epochs: *e}\\n | training.epochs: YAML aliases (*e) are not supported; write the value out (line 3, column 20)",
    })
    void aConfigThatWouldRunOtherwiseThanWrittenIsRefusedNamingTheKey(String yaml, String message) throws IOException {
        // a missing dataset first: were the config accepted, the run would stop there, not run for hours
        String text = "dataset: idx:" + dir.resolve("no-data") + "\n" + yaml.replace("\\n", "\n");
        Path config = Files.writeString(dir.resolve("bad.yaml"), text);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas experiment: " + config + ": " + message);
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auxiliary: false | auxiliary: true | training.auxiliary: the auxiliary head needs images of at least 32x32 px,"
                + " found 8x8",
        "cutout: 0}       | cutout: 0, precision: bf16} | training.precision bf16 needs DJL's PyTorch JNI built with"
                + " bench/gpu/jni-patches/bfloat16.patch",
    })
    void trainingSettingsTheDataOrEngineCannotRunAreRefusedBeforeTheFirstStage(String from, String to, String message)
            throws IOException {
        Path config = Files.writeString(dir.resolve("late.yaml"), Files.readString(tinyConfig()).replace(from, to));
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("proxynas experiment: " + message);
        assertThat(doneFiles(out)).isEmpty();
    }

    @Test
    void aConfigOfMoreThanAMegabyteIsRefusedBeforeItIsParsed() throws IOException {
        Path config = Files.writeString(dir.resolve("huge.yaml"), "dataset: idx:" + dir.resolve("no-data") + "\n#" + "x".repeat(1 << 20));
        CliRun r = CliRun.of("experiment", "--config", config.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas experiment: " + config + ": " + Files.size(config)
                + " bytes, more than the 1048576 a config may have (is it the config file?)");
    }

    @Test
    void aSearchBatchLargerThanTheSearchDataIsRefusedBeforeAnyWork() throws IOException {
        String config = Files.readString(tinyConfig()).replace("batchSize: 10}", "batchSize: 11}");
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("experiment", "--config", Files.writeString(dir.resolve("big-batch.yaml"), config)
                .toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas experiment: search.batchSize: 11 exceeds the 10 examples"
                + " of the smaller half of the smallest search (20 examples)");
        assertThat(out).doesNotExist();
    }

    /** The stages marked done under {@code out}: none, when a run was refused before its first stage. */
    private static List<Path> doneFiles(Path out) throws IOException {
        if (!Files.exists(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(p -> p.getFileName().toString().equals("done.json")).toList();
        }
    }

    @Test
    void scoresOfAnotherDatasetAreRefusedBeforeAnyWork() throws IOException {
        Path config = tinyConfig();
        // same size and labels, other pixels: only the checksum the scores' summary recorded tells them apart
        InMemoryImageDataset other = Fixtures.random("train", 20, 1, 8, 8, 2, 7);
        Fixtures.writeIdx(dir.resolve("other"), other, Fixtures.random("test", 10, 1, 8, 8, 2, 2), false);
        String otherSha = Datasets.checksum(Datasets.open("idx:" + dir.resolve("other"), Split.TRAIN));
        Path summary = Files.writeString(dir.resolve("scores.json"), "{\"dataset\":\"idx:" + dir.resolve("other")
                + "\",\"datasetSha256\":\"" + otherSha + "\"}");
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas experiment: scoring.scores: " + summary
                + " says the scored dataset had SHA-256 " + otherSha + ", idx:" + dir.resolve("data") + " has "
                + Datasets.checksum(Datasets.open("idx:" + dir.resolve("data"), Split.TRAIN)));
        assertThat(doneFiles(out)).isEmpty();
    }

    @Test
    void scoresWithOtherLabelsAreRefusedNamingTheUsersFile() throws IOException {
        Path config = tinyConfig();
        Path scores = dir.resolve("scores.csv");
        List<String> rows = new ArrayList<>(Files.readAllLines(scores));
        String[] first = rows.get(1).split(",");
        rows.set(1, first[0] + "," + (1 - Integer.parseInt(first[1])) + "," + first[2]);
        Files.write(scores, rows);
        CliRun r = CliRun.of("experiment", "--config", config.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("proxynas experiment: scoring.scores: "
                + scores + ": index 0 has label ");
        assertThat(doneFiles(dir.resolve("out"))).isEmpty();
    }

    @Test
    void aDamagedScoresFileIsNamedAsTheUserWroteItAndNoStageIsMarkedDone() throws IOException {
        Path config = tinyConfig();
        Path scores = dir.resolve("scores.csv");
        Files.writeString(scores, Files.readString(scores) + "20,1,not-a-number\n");
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("proxynas experiment: scoring.scores: "
                + scores + ":22: ");
        assertThat(doneFiles(out)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"summary", "runs", "config", "provenance"})
    void reportOnResultsMissingAKeyNamesTheFileAndTheKey(String key) throws IOException {
        Path out = dir.resolve("out");
        CliRun ran = CliRun.of("experiment", "--config", tinyConfig().toString(), "--out", out.toString());
        assertThat(ran.exit()).as(ran.err()).isZero();
        Path results = out.resolve(ExperimentRunner.RESULTS);
        ObjectNode damaged = (ObjectNode) Json.MAPPER.readTree(results.toFile());
        damaged.remove(key);
        Json.write(results, damaged);
        CliRun r = CliRun.of("report", out.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("proxynas report: " + results + ": ")
                .contains(key).doesNotContain("NullPointerException").doesNotContain("Cannot invoke");
    }

    @Test
    void reportSaysWhichStageOutputsAreMissingOrDamagedInsteadOfSilentlyDrawingLess() throws IOException {
        Path out = dir.resolve("out");
        Path config = Files.writeString(tinyConfig(), Files.readString(tinyConfig())
                .replace("selection: {methods: [full]}", "selection: {methods: [full, proxy], ratios: [0.5]}")
                .replace("search: {epochs: 1, layers: 3, channels: 4, batchSize: 10}",
                        "search: {epochs: 1, layers: 3, channels: 4, batchSize: 5}"));
        CliRun ran = CliRun.of("experiment", "--config", config.toString(), "--out", out.toString());
        assertThat(ran.exit()).as(ran.err()).isZero();
        assertThat(CliRun.of("report", out.toString()).errLines()).isEmpty();

        JsonNode runs = Json.MAPPER.readTree(out.resolve(ExperimentRunner.RESULTS).toFile()).get("runs");
        JsonNode proxy = runs.get(0).get("method").asText().equals("proxy") ? runs.get(0) : runs.get(1);
        Path png = out.resolve(proxy.get("selectionDir").asText()).resolve("proxy.png");
        Files.write(png, new byte[] {1, 2, 3});
        Path log = out.resolve(proxy.get("trainingDir").asText()).resolve("log.jsonl");
        Files.delete(log);
        CliRun r = CliRun.of("report", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.errLines()).containsExactlyInAnyOrder(
                "proxynas report: warning: " + png + " (not a readable image): the proxy histogram of proxy r=0.5"
                        + " darts seed 0 is left out of the report",
                "proxynas report: warning: " + log + " (missing): the training curve of proxy r=0.5 darts seed 0"
                        + " is left out of the report");
        assertThat(Files.readString(out.resolve("report.html"))).doesNotContain("proxy, ratio 0.5, seed 0");
    }

    @Test
    void reproduceAndTryTheModelCommandsQuotePathsWithSpaces() throws IOException {
        Path out = dir.resolve("my runs/it's here");
        CliRun r = CliRun.of("experiment", "--config", tinyConfig().toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        JsonNode commands = Json.MAPPER.readTree(out.resolve(ExperimentRunner.RESULTS).toFile()).get("commands");
        String quoted = "'" + out.toString().replace("'", "'\\''") + "'";
        assertThat(commands.get(0).asText()).isEqualTo("./proxynas experiment --config '"
                + out.resolve("experiment.yaml").toString().replace("'", "'\\''") + "' --out " + quoted);
        assertThat(commands.get(1).asText()).isEqualTo("./proxynas report " + quoted);

        JsonNode run = Json.MAPPER.readTree(out.resolve(ExperimentRunner.RESULTS).toFile()).get("runs").get(0);
        String model = out.resolve(run.get("modelDir").asText()).toString();
        String quotedModel = "'" + model.replace("'", "'\\''") + "'";
        assertThat(r.out()).contains("best model: " + model + " (full 1.00, darts, seed 0: ")
                .contains("\n  ./proxynas predict " + quotedModel + " IMAGE...\n")
                .contains("\n  ./proxynas predict " + quotedModel + " --dataset idx:" + dir.resolve("data") + "\n");
    }
}
