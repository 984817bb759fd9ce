package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad settings of a ranking study: one line on stderr naming the setting, exit 2, nothing written. */
class RankCommandTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--ratio 1.5                | --ratio must be in (0, 1], found 1.5",
        "--ratio 0                  | --ratio must be in (0, 1], found 0.0",
        "--methods proxy,best       | --methods: unknown method 'best'",
        "--methods zc:nosuch        | --methods: method 'zc:nosuch': unknown zero-cost measure 'nosuch'",
        "--methods mean:proxy       | --methods: method 'mean:proxy': a combination names two methods, mean:A/B",
        "--methods zc:params@proxy  | --methods: method 'zc:params@proxy': params reads no data",
        "--architectures 2          | --architectures must rank at least 3",
        "--top-k 4 --architectures 3 | --top-k must be between 1 and the 3 architectures, found 4",
        "--budget fortnight         | --budget",
        "--genotypes NO_SUCH_CELL --batch-size 10 | --genotypes: genotype: 'NO_SUCH_CELL' is not a built-in name",
        "--genotypes DARTS_V2,DARTS --batch-size 10 | --genotypes: DARTS is the same architecture as DARTS_V2",
        "--scores MISSING           | --scores: no such file",
        "--ratio 0.01               | --batch-size 64 exceeds the 2 examples of a ratio 0.01 proxy",
    })
    void badInputIsOneLineNamingTheSettingAndExitTwo(String flags, String expected) throws IOException {
        Path scores = tmp.resolve("scores.csv");
        StringBuilder csv = new StringBuilder("index,label,entropy\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i).append(',').append(i % 10).append(',').append(0.01 * (i + 1)).append('\n');
        }
        Files.writeString(scores, csv);
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("rank", "fashion-mnist", "--out", out.toString()));
        if (!flags.contains("--scores")) {
            args.addAll(List.of("--scores", scores.toString()));
        }
        args.addAll(List.of(flags.trim().replace("MISSING", tmp.resolve("none.csv").toString()).split("\\s+")));

        StringWriter err = new StringWriter();
        var cl = ProxyNas.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args.toArray(String[]::new));

        assertThat(code).isEqualTo(ProxyNas.EXIT_USER);
        assertThat(err.toString().lines().filter(l -> !l.startsWith("Try ")).toList()).hasSize(1);
        assertThat(err.toString()).startsWith("proxynas rank: ").contains(expected);
        assertThat(out).doesNotExist();
    }

    @Test
    void helpListsEveryRankingMethodFromTheRegistries() {
        CliRun help = CliRun.of("rank", "--help");
        String text = help.out().replaceAll("\\s+", " ");
        for (String method : org.proxynas.select.Selectors.METHODS) {
            assertThat(text).contains(method);
        }
        for (String measure : org.proxynas.zerocost.ZeroCostMeasures.NAMES) {
            assertThat(text).contains(org.proxynas.experiment.RankMethod.DATA_FREE.contains(measure) ? measure
                    : "zc:" + measure);
        }
        assertThat(text).contains("mean:A/B");
    }
}
