package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.data.Datasets;
import org.proxynas.data.Fixtures;
import org.proxynas.data.Split;
import picocli.CommandLine;

/** Bad flags and bad input end with one line and exit 2, before any training starts. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = ProxyNas.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void unparsableGenotypeIsAUserError() {
        assertThat(run("train", "fashion-mnist", "--genotype", "Genotype(normal=[('sep_conv_3x3', 0)",
                "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("proxynas train: --genotype").hasLineCount(1);
    }

    @Test
    void cellOptionsAreRefusedForResNets() {
        assertThat(run("train", "fashion-mnist", "--arch", "resnet20", "--layers", "8", "--out", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--layers applies to --genotype networks only");
    }

    @Test
    void genotypeAndArchAreExclusiveAndOneIsRequired() {
        assertThat(run("train", "fashion-mnist", "--arch", "resnet20", "--genotype", "DARTS_V2", "--out",
                dir.toString())).isEqualTo(2);
        assertThat(run("train", "fashion-mnist", "--out", dir.toString())).isEqualTo(2);
        assertThat(run("train", "fashion-mnist", "--arch", "resnet21", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("6n+2");
    }

    @Test
    void badHyperParametersAreUserErrors() {
        assertThat(run("train", "fashion-mnist", "--genotype", "DARTS_V2", "--drop-path", "1.5", "--out",
                dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--drop-path must be in [0, 1), found 1.5");
    }

    @Test
    void precisionIsCheckedBeforeAnyTraining() {
        assertThat(run("train", "fashion-mnist", "--genotype", "DARTS_V2", "--precision", "fp8", "--out",
                dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--precision").contains("fp32, fp16 or bf16, found 'fp8'");
    }

    @Test
    void bf16WithTheStockJniIsOneLineAndExit2() throws Exception {
        Path data = dir.resolve("data");
        Fixtures.writeIdx(data, Fixtures.random("train", 64, 1, 8, 8, 4, 1),
                Fixtures.random("test", 16, 1, 8, 8, 4, 2), true);
        assertThat(run("train", "idx:" + data, "--arch", "resnet20", "--epochs", "1", "--batch-size", "32",
                "--precision", "bf16", "--out", dir.resolve("run").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("proxynas train: --precision bf16 needs").hasLineCount(1);
        assertThat(dir.resolve("run/config.json")).doesNotExist();
    }

    @Test
    void aSubsetFileWithARepeatedKeyIsRefusedNotReadAsItsLastValue() throws Exception {
        Path data = dir.resolve("data");
        Fixtures.writeIdx(data, Fixtures.random("train", 64, 1, 8, 8, 4, 1),
                Fixtures.random("test", 16, 1, 8, 8, 4, 2), true);
        Path subset = Files.writeString(dir.resolve("subset.json"), "{\"indices\": [0, 1, 2], \"indices\": [3, 4]}");
        assertThat(run("train", "idx:" + data, "--arch", "resnet20", "--epochs", "1", "--batch-size", "2",
                "--train-subset", subset.toString(), "--out", dir.resolve("run").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("proxynas train: " + subset + ": not valid JSON: Duplicate field"
                + " 'indices'").hasLineCount(1);
    }

    @Test
    void aNormalizationCacheEntryWithEditedValuesIsRecomputedNotUsed() throws Exception {
        Path data = dir.resolve("data");
        // a dataset of its own, so no other test shares its cache entry
        Fixtures.writeIdx(data, Fixtures.random("train", 64, 1, 8, 8, 4, 34),
                Fixtures.random("test", 16, 1, 8, 8, 4, 2), true);
        String[] train = {"train", "idx:" + data, "--arch", "resnet20", "--epochs", "1", "--batch-size", "32",
            "--out", dir.resolve("first").toString()};
        assertThat(run(train)).as(err.toString()).isZero();
        JsonNode computed = Json.MAPPER.readTree(dir.resolve("first/model/model.json").toFile()).get("normalization");

        String sha = Datasets.checksum(Datasets.open("idx:" + data, Split.TRAIN));
        Path entry = Path.of(System.getenv("PROXYNAS_CACHE")).resolve("normalization-" + sha + ".json");
        ObjectNode cached = (ObjectNode) Json.MAPPER.readTree(entry.toFile());
        cached.putArray("mean").add(0.9);
        cached.putArray("std").add(0.01);
        Json.write(entry, cached);

        train[train.length - 1] = dir.resolve("second").toString();
        assertThat(run(train)).as(err.toString()).isZero();
        assertThat(Json.MAPPER.readTree(dir.resolve("second/model/model.json").toFile()).get("normalization"))
                .isEqualTo(computed);
    }

    @Test
    void anAuxiliaryHeadOnImagesTooSmallForItIsRefusedBeforeTheRunDirectoryIsWritten() throws Exception {
        Path data = dir.resolve("data");
        Fixtures.writeIdx(data, Fixtures.random("train", 64, 1, 28, 28, 4, 1),
                Fixtures.random("test", 16, 1, 28, 28, 4, 2), true);
        assertThat(run("train", "idx:" + data, "--genotype", "DARTS_V2", "--auxiliary", "--layers", "3", "--channels",
                "4", "--epochs", "1", "--batch-size", "32", "--out", dir.resolve("run").toString())).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("proxynas train: --auxiliary: the auxiliary head needs"
                + " images of at least 32x32 px, found 28x28");
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void resumeContinuesAFinishedRunAndRefusesChangedSettings() throws Exception {
        Path data = dir.resolve("data");
        Fixtures.writeIdx(data, Fixtures.random("train", 128, 1, 8, 8, 4, 1),
                Fixtures.random("test", 32, 1, 8, 8, 4, 2), true);
        String out = dir.resolve("run").toString();
        String[] train = {"train", "idx:" + data, "--arch", "resnet20", "--epochs", "2", "--batch-size", "32",
            "--out", out};
        assertThat(run(train)).as(err.toString()).isZero();
        String first = Files.readString(dir.resolve("run/result.json"));
        String[] resume = Stream.concat(Arrays.stream(train),
                Stream.of("--resume")).toArray(String[]::new);
        assertThat(run(resume)).as(err.toString()).isZero();
        JsonNode a = Json.MAPPER.readTree(first);
        JsonNode b = Json.MAPPER.readTree(
                dir.resolve("run/result.json").toFile());
        assertThat(b.get("finalTestAccuracy")).isEqualTo(a.get("finalTestAccuracy"));
        assertThat(b.get("epochs")).isEqualTo(a.get("epochs"));

        String[] changed = resume.clone();
        changed[Arrays.asList(changed).indexOf("--batch-size") + 1] = "16";
        assertThat(run(changed)).isEqualTo(2);
        assertThat(err.toString()).contains("batchSize: was 32, now 16");
    }
}
