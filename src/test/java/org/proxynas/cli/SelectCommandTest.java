package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxynas.score.ScoreTable;
import org.proxynas.score.ScoresCsv;
import org.proxynas.select.ProxySet;
import picocli.CommandLine;

class SelectCommandTest {
    @TempDir
    Path dir;
    Path scores;
    Path out;
    final StringWriter stdout = new StringWriter();
    final StringWriter stderr = new StringWriter();

    @BeforeEach
    void writeScores() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 500;
        int[] labels = new int[n];
        double[] entropy = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 5;
            entropy[i] = Math.pow(10, -8 * rng.nextDouble());
        }
        scores = dir.resolve("scores.csv");
        ScoresCsv.write(scores, ScoreTable.of(labels, entropy));
        out = dir.resolve("proxy.json");
    }

    private int run(String... args) {
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        List<String> all = new ArrayList<>(List.of("select"));
        all.addAll(List.of(args));
        return cl.execute(all.toArray(String[]::new));
    }

    @Test
    void writesAProxySetOthersCanRead() throws IOException {
        Path png = dir.resolve("proxy.png");
        int code = run("--scores", scores.toString(), "--ratio", "0.1", "--seed", "4", "--out", out.toString(),
                "--plot", png.toString());
        assertThat(code).as(stderr.toString()).isZero();
        ProxySet set = ProxySet.read(out);
        assertThat(set.size()).isEqualTo(50);
        assertThat(set.method()).isEqualTo("proxy");
        assertThat(set.seed()).isEqualTo(4);
        assertThat(set.stats().classCountsFull()).containsExactly(100, 100, 100, 100, 100);
        assertThat(set.provenance().command()).contains("--ratio", "0.1");
        assertThat(Files.readString(out)).contains("\"indicesSha256\"", "\"scoresSha256\"", "\"quantiles\"");
        assertThat(Files.size(png)).isGreaterThan(1000);
        assertThat(stdout.toString()).contains("50 of 500 examples");
    }

    @Test
    void compareListsEveryMethodAndSaysWhatIsMissing() {
        int code = run("--scores", scores.toString(), "--compare", "--size", "40");
        assertThat(code).as(stderr.toString()).isZero();
        String table = stdout.toString();
        assertThat(table).contains("random-balanced", "entropy-tails", "proxy");
        assertThat(table).contains("kcenter          n/a (needs --embeddings)");
        assertThat(table).contains("forgetting       n/a (needs the forgetting column in the scores file)");
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--ratio 0                     | --ratio must be in (0, 1], found 0.0",
        "--ratio 1.5                   | --ratio must be in (0, 1], found 1.5",
        "--size 501                    | --size must be between 1 and the 500 scored examples, found 501",
        "--ratio 0.1 --method best     | --method: unknown method 'best'",
        "--ratio 0.1 --size 3          | give exactly one of --ratio and --size, found both",
        "--seed 1                      | give exactly one of --ratio and --size, found neither",
        "--ratio 0.1 --method kcenter  | method kcenter needs --embeddings",
        "--ratio 0.1 --export x        | --export needs the dataset",
        "--ratio 0.1 --probability p4  | --probability must be p1, p2 or p3, found 'p4'",
        "--ratio 0.1 --bin-width -1    | --bin-width must be a positive number, found -1.0",
    })
    void badFlagsAreOneLineExitTwoAndLeaveNoFile(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("--scores", scores.toString(), "--out", out.toString()));
        args.addAll(List.of(flags.trim().split("\\s+")));
        assertThat(run(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(stderr.toString()).startsWith("proxynas select: ").contains(message);
        assertThat(stderr.toString().strip().lines()).hasSize(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void malformedScoresNameTheLine() throws IOException {
        Files.writeString(scores, "index,label,entropy\n0,1,0.5\n1,1,abc\n");
        assertThat(run("--scores", scores.toString(), "--ratio", "0.5", "--out", out.toString())).isEqualTo(2);
        assertThat(stderr.toString().strip()).isEqualTo("proxynas select: " + scores + ":3: entropy 'abc' is not a number");
        assertThat(out).doesNotExist();
    }
}
