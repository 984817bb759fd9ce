package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output that cannot be written (here: a plot asked for under a regular file; a full disk goes the same way, see
 * AtomicFilesTest) is the environment's failure, not bad input: exit 1, one line naming the file, nothing written.
 */
class OutputFailuresTest {
    @TempDir
    Path dir;

    @Test
    void aPlotThatCannotBeWrittenIsNamedWithExitOneAndNoProxySet() throws IOException {
        List<String> rows = new ArrayList<>(List.of("index,label,entropy"));
        for (int i = 0; i < 50; i++) {
            rows.add(i + "," + (i % 5) + "," + (0.01 * (i + 1)));
        }
        Path scores = Files.write(dir.resolve("scores.csv"), rows);
        Path file = Files.writeString(dir.resolve("plots"), "a regular file");
        Path plot = file.resolve("proxy.png");
        Path out = dir.resolve("proxy.json");

        CliRun r = CliRun.of("select", "--scores", scores.toString(), "--size", "10", "--plot", plot.toString(),
                "--out", out.toString());

        assertThat(r.exit()).isEqualTo(ProxyNas.EXIT_INTERNAL);
        assertThat(r.errLines()).containsExactly("proxynas select: cannot write " + plot + ": " + file
                + " is not a directory");
        assertThat(out).doesNotExist();
        assertThat(Files.readString(file)).isEqualTo("a regular file");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactlyInAnyOrder(scores, file);
        }
    }
}
