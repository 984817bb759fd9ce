package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxynas.nas.search.SearchAlgorithms;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.select.BinProbability;
import picocli.CommandLine;

/** Bad flags and bad subset files: one line on stderr naming the problem, exit 2, nothing written. */
class SearchCommandTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--algo foo                          | unknown algorithm 'foo'",
        "--epochs 0                          | --epochs must be > 0, found 0",
        "--channels -4                       | --channels must be > 0, found -4",
        "--batch-size 0                      | --batch-size must be > 0, found 0",
        "--subset OUTSIDE                    | is outside 0..1999",
        "--subset DUPLICATE                  | is a duplicate",
        "--subset EMPTY                      | \"indices\" is empty",
        "--reselect-every 2 --epochs 2       | --reselect-every must be below epochs 2",
        "--reselect-every 1 --reselect-method kcenter --epochs 2 | --reselect-method must be one of proxy, random",
        "--reselect-every 1 --pool-fraction 1.5 --epochs 2 | --pool-fraction must be in (0, 1], found 1.5",
        "--reselect-every 1 --ratio 0.03 --pool-fraction 0.01 --epochs 2 --batch-size 16 | --pool-fraction 0.01 scores 20 of the 2000 training examples, fewer than the proxy's 60",
        "--reselect-every 1 --pool-limit 5000 --epochs 2 | --pool-limit 5000 exceeds the 2000"
    })
    void badInputIsOneLineAndExitTwo(String flags, String expected) throws IOException {
        Files.writeString(tmp.resolve("outside.json"), "{\"indices\":[0,2000]}");
        Files.writeString(tmp.resolve("duplicate.json"), "{\"indices\":[3,4,3]}");
        Files.writeString(tmp.resolve("empty.json"), "{\"indices\":[]}");
        String[] parts = flags.trim()
                .replace("OUTSIDE", tmp.resolve("outside.json").toString())
                .replace("DUPLICATE", tmp.resolve("duplicate.json").toString())
                .replace("EMPTY", tmp.resolve("empty.json").toString())
                .split("\\s+");
        Path out = tmp.resolve("out");
        String[] args = new String[parts.length + 4];
        args[0] = "search";
        args[1] = "fashion-mnist";
        System.arraycopy(parts, 0, args, 2, parts.length);
        args[parts.length + 2] = "--out";
        args[parts.length + 3] = out.toString();

        StringWriter err = new StringWriter();
        var cl = ProxyNas.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);

        assertThat(code).isEqualTo(ProxyNas.EXIT_USER);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).startsWith("proxynas search: ").contains(expected);
        assertThat(out).doesNotExist();
    }

    @Test
    void helpListsEveryNameTheRegistryHolds() {
        StringWriter help = new StringWriter();
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(help));
        assertThat(cl.execute("search", "--help")).isZero();
        String text = help.toString().replaceAll("\\s+", " ");
        for (String name : SearchAlgorithms.names()) {
            assertThat(text).contains(name);
        }
    }

    @Test
    void theReselectionFlagsFillTheConfigsReselectionSection() {
        CommandLine cl = ProxyNas.commandLine();
        cl.parseArgs("search", "fashion-mnist", "--out", "x", "--reselect-every", "2", "--reselect-method", "random",
                "--pool-fraction", "0.5", "--pool-limit", "1000", "--ratio", "0.2", "--balanced");
        SearchCommand search = (SearchCommand) cl.getSubcommands().get("search").getCommand();
        assertThat(search.config().reselection()).isEqualTo(new SearchConfig.Reselection(2, "random", 0.5, 1000, 0.2,
                BinProbability.P1, null, true));
    }
}
