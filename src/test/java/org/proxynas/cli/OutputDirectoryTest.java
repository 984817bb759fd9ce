package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.data.Fixtures;

/** Where a run may write: never a file system root, the home directory, or a directory of the user's own files. */
class OutputDirectoryTest {
    @TempDir
    Path dir;

    private String dataset;

    @BeforeEach
    void writeTinyDataset() throws IOException {
        Fixtures.writeIdx(dir.resolve("data"), Fixtures.random("train", 64, 1, 8, 8, 4, 1),
                Fixtures.random("test", 16, 1, 8, 8, 4, 2), true);
        dataset = "idx:" + dir.resolve("data");
    }

    /** One epoch of a ResNet-20 on 64 images: a second or two. */
    private CliRun train(String out) {
        return CliRun.of("train", dataset, "--arch", "resnet20", "--epochs", "1", "--batch-size", "32", "--out", out);
    }

    @Test
    void aDirectoryOfTheUsersOwnFilesIsRefusedAndLeftAsItWas() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Path notes = Files.writeString(mine.resolve("notes.txt"), "mine");
        CliRun r = train(mine.toString());
        assertThat(r.exit()).isEqualTo(ProxyNas.EXIT_USER);
        assertThat(r.errLines()).containsExactly("proxynas train: " + mine + " holds files of no ProxyNAS run (no"
                + " .lock, config.json, study.json); choose a new or empty directory");
        try (var left = Files.list(mine)) {
            assertThat(left).containsExactly(notes);
        }
    }

    @Test
    void aStudyIntoADirectoryOfTheUsersOwnFilesIsRefusedToo() throws IOException {
        List<String> rows = new ArrayList<>(List.of("index,label,entropy"));
        for (int i = 0; i < 64; i++) {
            rows.add(i + "," + Fixtures.random("train", 64, 1, 8, 8, 4, 1).label(i) + "," + (0.01 * (i + 1)));
        }
        Path scores = Files.write(dir.resolve("scores.csv"), rows);
        Path config = Files.writeString(dir.resolve("experiment.yaml"), """
                dataset: %s
                scoring: {scores: %s}
                selection: {methods: [full]}
                search: {epochs: 1, layers: 3, channels: 4, batchSize: 10}
                training: {epochs: 1, layers: 3, channels: 4, batchSize: 10, auxiliary: false, cutout: 0}
                """.formatted(dataset, scores));
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        CliRun r = CliRun.of("experiment", "--config", config.toString(), "--out", mine.toString());
        assertThat(r.exit()).isEqualTo(ProxyNas.EXIT_USER);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("proxynas experiment: " + mine + " holds files of no ProxyNAS run (no .lock, config.json,"
                        + " study.json); choose a new or empty directory");
    }

    @Test
    void theHomeDirectoryIsRefused() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            CliRun r = train(home.toString());
            assertThat(r.exit()).isEqualTo(ProxyNas.EXIT_USER);
            assertThat(r.errLines()).containsExactly("proxynas train: " + home
                    + " is the home directory; choose a directory of its own for the run");
            try (var left = Files.list(home)) {
                assertThat(left).isEmpty();
            }
        } finally {
            System.setProperty("user.home", before);
        }
    }

    @Test
    void rootOfTheFileSystemIsRefused() {
        CliRun root = train("/");
        assertThat(root.exit()).isEqualTo(ProxyNas.EXIT_USER);
        assertThat(root.errLines()).containsExactly("proxynas train: / is a file system root; choose a directory of"
                + " its own for the run");
    }

    @Test
    void aPathThroughAMissingDirectoryAndBackIsThePathItMeans() throws IOException {
        CliRun r = train(dir.resolve("missing").toString() + "/../run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(dir.resolve("run/result.json")).isRegularFile();
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void aRunsOwnDirectoryIsStillItsToResumeAndAnEmptyOneIsFine() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(train(empty.toString()).exit()).isZero();
        CliRun resumed = CliRun.of("train", dataset, "--arch", "resnet20", "--epochs", "1", "--batch-size", "32",
                "--out", empty.toString(), "--resume");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
    }
}
