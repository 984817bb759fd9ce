package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.UserError;
import org.proxynas.data.Fixtures;
import org.proxynas.data.InMemoryImageDataset;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.NetworkSpec;

/** Error messages a user met while probing bad inputs: each is one line that names what to fix. */
class OneLineErrorsTest {
    @TempDir
    Path dir;

    @Test
    void theLibraryNamesTheSettingAndTheCommandLineTheFlag() {
        assertThatThrownBy(() -> TrainConfig.builder().setDataset("fashion-mnist")
                .setNetwork(new NetworkSpec.ResNet(20)).setOutputDir(dir).optBatchSize(1).build())
                .isInstanceOf(UserError.class).hasMessageStartingWith("batchSize must be >= 2");
        CliRun r = CliRun.of("train", "fashion-mnist", "--arch", "resnet20", "--batch-size", "1", "--out",
                dir.resolve("t").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas train: --batch-size must be >= 2 (batch norm trains on pairs at least), found 1");
        assertThat(ProxyNas.inFlagTerms("weightDecay must be >= 0", ProxyNas.commandLine().getSubcommands()
                .get("search").getCommandSpec())).isEqualTo("--weight-decay must be >= 0");
        assertThat(ProxyNas.inFlagTerms("nodes: no such flag here", ProxyNas.commandLine().getSubcommands()
                .get("select").getCommandSpec())).isEqualTo("nodes: no such flag here");
    }

    @Test
    void aHeaderOnlyScoresFileIsNamed() throws IOException {
        Path scores = Files.writeString(dir.resolve("scores.csv"), "index,label,entropy\n");
        CliRun r = CliRun.of("select", "--scores", scores.toString(), "--size", "1", "--out",
                dir.resolve("proxy.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas select: " + scores
                + ":2: no rows after the header, expected one row per training example");
    }

    @Test
    void aMissingCifarBatchIsNamedWithoutAnEmptyListOfAlternatives() throws IOException {
        InMemoryImageDataset rgb = Fixtures.random("c", 10, 3, 32, 32, 10, 1);
        Fixtures.writeCifar10(dir, rgb, rgb, null);
        Files.delete(dir.resolve("data_batch_4.bin"));
        CliRun r = CliRun.of("data", "info", "cifar10:" + dir);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas data info: train split: no such file: "
                + dir.resolve("data_batch_4.bin"));
    }

    @Test
    void anUnreadableSvhnFileSaysWhyWithoutJavaClassNames() throws IOException {
        Path file = dir.resolve("test_32x32.mat");
        Fixtures.writeSvhn(file, Fixtures.random("s", 4, 3, 32, 32, 10, 1));
        byte[] whole = Files.readAllBytes(file);
        byte[] garbage = new byte[2000];
        Arrays.fill(garbage, (byte) 'x');
        for (byte[] content : new byte[][] {Arrays.copyOf(whole, 200), garbage, new byte[0]}) {
            Files.write(file, content);
            CliRun r = CliRun.of("data", "info", "svhn:" + dir, "--split", "test");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).startsWith("proxynas data info: test split: " + file + ": not a readable MATLAB v5 file (")
                    .doesNotContainPattern("java\\.|Exception|\\(\\)");
        }
    }

    @Test
    void aBadFlagValueIsOneLineThatSaysWhereTheUsageIs() {
        CliRun r = CliRun.of("score", "--epochs", "many");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas score: Invalid value for option '--epochs': 'many' is not"
                + " an int (see 'proxynas score --help')");

        CliRun missing = CliRun.of("train", "fashion-mnist", "--out", dir.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.errLines()).hasSize(1);
        assertThat(missing.err()).startsWith("proxynas train: Missing required argument");
    }

    @Test
    void searchRefusesABatchLargerThanItsDataLikeTrainAndScore() throws IOException {
        InMemoryImageDataset gray = Fixtures.random("g", 20, 1, 8, 8, 2, 1);
        Fixtures.writeIdx(dir.resolve("idx"), gray, gray, false);
        Path out = dir.resolve("search");
        CliRun r = CliRun.of("search", "idx:" + dir.resolve("idx"), "--batch-size", "100000", "--epochs", "1",
                "--layers", "3", "--channels", "4", "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("proxynas search: --batch-size 100000 exceeds the 10 examples of the"
                + " smaller search half (20 examples split at trainPortion 0.5)");
        assertThat(out).doesNotExist();
    }
}
