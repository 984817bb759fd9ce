package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.data.Fixtures;
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
