package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        assertThat(err.toString()).startsWith("proxynas train: genotype").hasLineCount(1);
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
}
