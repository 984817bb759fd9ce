package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxynas.common.DirectoryLock;
import org.proxynas.data.Fixtures;

/** Two runs into one directory: the second is refused with one line naming the holder; the first completes. */
class OutputLockTest {
    @TempDir
    Path dir;

    private String dataset;

    @BeforeEach
    void writeTinyDataset() throws IOException {
        Fixtures.writeIdx(dir.resolve("data"), Fixtures.random("train", 20, 1, 8, 8, 2, 1),
                Fixtures.random("test", 10, 1, 8, 8, 2, 2), false);
        dataset = "idx:" + dir.resolve("data");
    }

    /** A search of one epoch on 20 images: a couple of seconds. */
    private CliRun search(Path out) {
        return CliRun.of("search", dataset, "--epochs", "1", "--layers", "3", "--channels", "4", "--batch-size", "10",
                "--out", out.toString());
    }

    @Test
    void aSearchIntoADirectoryAnotherProcessHoldsIsRefusedAndRunsOnceItIsFree() throws Exception {
        Path out = dir.resolve("out");
        Path childDir = Files.createDirectories(dir.resolve("child"));
        Process holder = ChildJvm.start("64m", Map.of(), HoldLock.class.getName(), List.of(out.toString()), childDir);
        try {
            awaitLine(childDir.resolve("stdout"), "locked", holder);

            CliRun refused = search(out);
            assertThat(refused.exit()).isEqualTo(ProxyNas.EXIT_USER);
            assertThat(refused.errLines()).hasSize(1);
            assertThat(refused.err()).startsWith("proxynas search: " + out.toRealPath() + " is in use by another run (pid "
                    + holder.pid() + "@").contains("; wait for it to end or choose another directory");
            assertThat(out.resolve("genotype.txt")).doesNotExist();
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        CliRun second = search(out);
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(out.resolve("genotype.txt")).exists();
        assertThat(out.resolve(DirectoryLock.FILE)).doesNotExist();
    }

    /**
     * Every command that writes a directory holds its lock: a study its directory (from the start), a job its run
     * directory (once its inputs are checked; score's is the checkpoint directory beside the scores).
     */
    @ParameterizedTest
    @ValueSource(strings = {"search", "train", "score", "experiment", "demo"})
    void everyCommandThatWritesADirectoryIsRefusedWhileItIsLocked(String command) throws IOException {
        Path out = dir.resolve("out");
        // a study is refused before it reads anything: were the lock to let it through, it would fail on a missing
        // dataset at once (the demo would run)
        String missing = "idx:" + dir.resolve("missing");
        Path config = Files.writeString(dir.resolve("experiment.yaml"), "dataset: " + missing + "\n");
        Path locked = command.equals("score") ? out.resolve("scores.csv.ckpt") : out;
        List<String> args = switch (command) {
            case "search" -> List.of("search", dataset, "--epochs", "1", "--layers", "3", "--channels", "4",
                    "--batch-size", "10", "--out", out.toString());
            case "train" -> List.of("train", dataset, "--arch", "resnet20", "--epochs", "1", "--batch-size", "10",
                    "--out", out.toString());
            case "score" -> List.of("score", dataset, "--epochs", "1", "--batch-size", "10", "--out",
                    out.resolve("scores.csv").toString());
            case "experiment" -> List.of("experiment", "--config", config.toString(), "--out", out.toString());
            default -> List.of("demo", "--out", out.toString());
        };
        try (DirectoryLock held = DirectoryLock.acquire(locked)) {
            CliRun r = CliRun.of(args);
            assertThat(r.exit()).isEqualTo(ProxyNas.EXIT_USER);
            assertThat(r.errLines()).containsExactly("proxynas " + command + ": " + locked.toRealPath()
                    + " is in use by another run (pid " + Files.readString(locked.resolve(DirectoryLock.FILE)).strip()
                    + "); wait for it to end or choose another directory");
            try (var files = Files.list(locked)) {
                assertThat(files).containsExactly(locked.resolve(DirectoryLock.FILE));
            }
        }
    }

    @Test
    void theLockOfARunKilledWithSigkillIsTakenOverWithANote() throws Exception {
        Path out = dir.resolve("out");
        Path childDir = Files.createDirectories(dir.resolve("child"));
        Process killed = ChildJvm.start("64m", Map.of(), HoldLock.class.getName(), List.of(out.toString()), childDir);
        awaitLine(childDir.resolve("stdout"), "locked", killed);
        killed.destroyForcibly();
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String left = Files.readString(out.resolve(DirectoryLock.FILE)).strip();
        assertThat(left).startsWith(killed.pid() + "@");

        CliRun r = search(out);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.errLines()).containsExactly("proxynas search: note: took over the lock of " + out.toRealPath()
                + " left by pid " + left + ", which is no longer running");
        assertThat(out.resolve("genotype.txt")).exists();
        assertThat(out.resolve(DirectoryLock.FILE)).doesNotExist();
    }

    private static void awaitLine(Path file, String line, Process process) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (Files.exists(file) && Files.readString(file).lines().anyMatch(line::equals)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the lock holder ended early: " + Files.readString(file.resolveSibling("stderr")));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the lock holder did not take the lock within a minute");
    }
}
