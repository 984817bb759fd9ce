package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.data.Datasets;
import org.proxynas.data.Fixtures;
import org.proxynas.data.InMemoryImageDataset;
import org.proxynas.data.Split;
import picocli.CommandLine;

class DataInfoCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode json(Run r) throws IOException {
        assertThat(r.exit()).as(r.err()).isZero();
        return Json.MAPPER.readTree(r.out());
    }

    @Test
    void jsonHasExactlyTheDocumentedKeysForEveryFormat() throws IOException {
        InMemoryImageDataset gray = Fixtures.random("g", 20, 1, 6, 6, 4, 1);
        InMemoryImageDataset rgb = Fixtures.random("c", 15, 3, 32, 32, 10, 2);
        Fixtures.writeIdx(dir.resolve("idx"), gray, gray, true);
        Fixtures.writeCifar10(dir.resolve("c10"), rgb, rgb, null);
        InMemoryImageDataset c100 = Fixtures.random("c", 15, 3, 32, 32, 100, 3);
        Fixtures.writeCifar100(dir.resolve("c100"), c100, c100);
        Fixtures.writeSvhn(dir.resolve("svhn/test_32x32.mat"), rgb);
        Fixtures.writeFolder(dir.resolve("folder"), "train", Fixtures.random("f", 5, 3, 9, 9, 2, 4), "png");

        List<String> keys = List.of("dataset", "split", "examples", "channels", "height", "width", "classes",
                "classCounts", "sha256", "provenance");
        String[][] cases = {
            {"idx:" + dir.resolve("idx"), "train", "20", "1", "6", "4"},
            {"cifar10:" + dir.resolve("c10"), "train", "15", "3", "32", "10"},
            {"cifar100:" + dir.resolve("c100"), "test", "15", "3", "32", "20"},
            {"svhn:" + dir.resolve("svhn"), "test", "15", "3", "32", "10"},
            {"folder:" + dir.resolve("folder"), "train", "5", "3", "7", "2"},
        };
        for (String[] c : cases) {
            JsonNode j = json(run("data", "info", c[0], "--split", c[1], "--json", "--label", "coarse",
                    "--image-size", "7"));
            List<String> names = new ArrayList<>();
            j.fieldNames().forEachRemaining(names::add);
            assertThat(names).as(c[0]).containsExactlyElementsOf(keys);
            assertThat(j.get("dataset").asText()).isEqualTo(c[0]);
            assertThat(j.get("split").asText()).isEqualTo(c[1]);
            assertThat(j.get("examples").asInt()).as(c[0]).isEqualTo(Integer.parseInt(c[2]));
            assertThat(j.get("channels").asInt()).isEqualTo(Integer.parseInt(c[3]));
            assertThat(j.get("height").asInt()).isEqualTo(Integer.parseInt(c[4]));
            assertThat(j.get("classes").asInt()).as(c[0]).isEqualTo(Integer.parseInt(c[5]));
            int total = 0;
            for (JsonNode n : j.get("classCounts")) {
                total += n.asInt();
            }
            assertThat(total).isEqualTo(j.get("examples").asInt());
            assertThat(j.get("classCounts")).hasSize(j.get("classes").asInt());
        }
        JsonNode idx = json(run("data", "info", "idx:" + dir.resolve("idx"), "--json"));
        assertThat(idx.get("sha256").asText()).isEqualTo(Datasets.checksum(gray));
    }

    @Test
    void tableNamesTheClassesWithTheirCounts() throws IOException {
        InMemoryImageDataset rgb = Fixtures.random("c", 12, 3, 32, 32, 10, 5);
        Fixtures.writeCifar10(dir, rgb, rgb, List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
                "horse", "ship", "truck"));
        Run r = run("data", "info", "cifar10:" + dir);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("examples  12", "shape     3x32x32", "sha256    " + Datasets.checksum(rgb))
                .containsPattern("\\n\\s+0\\s+airplane\\s+2\\n")
                .containsPattern("\\n\\s+9\\s+truck\\s+1\\n");
    }

    @Test
    void badInputIsExitTwoWithOneStderrLine() throws IOException {
        InMemoryImageDataset gray = Fixtures.random("g", 20, 1, 6, 6, 4, 1);
        Fixtures.writeIdx(dir, gray, gray, false);
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[2] = 9;
        Files.write(labels, bytes);
        Run bad = run("data", "info", "idx:" + dir);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err().lines().toList()).containsExactly(
                "proxynas data info: train split: " + labels + ": bad IDX magic number 0x00000901, expected 0x00000801");

        for (String[] args : new String[][] {
            {"data", "info", "idx:" + dir.resolve("missing")},
            {"data", "info", "nonsense"},
            {"data", "info", "--split", "validation"},
            {"data", "info", "--label", "medium"},
            {"data", "info", "--image-size", "0"},
        }) {
            Run r = run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("proxynas data info: ").doesNotContain("\tat ");
        }
        assertThat(run("data", "info", "--split", "validation").err())
                .isEqualTo("proxynas data info: --split: unknown split 'validation' (expected train or test)" + System.lineSeparator());
        Run debug = run("data", "info", "idx:" + dir.resolve("missing"), "--debug");
        assertThat(debug.exit()).isEqualTo(2);
        assertThat(debug.err()).contains("\tat ");
    }

    @Test
    void defaultsToFashionMnistTrain() throws IOException {
        Run r = run("data", "info", "--json");
        JsonNode j = json(r);
        assertThat(j.get("dataset").asText()).isEqualTo("fashion-mnist");
        assertThat(j.get("split").asText()).isEqualTo(Split.TRAIN.toString());
        // the tests' Fashion-MNIST is the shipped subset (PROXYNAS_DATA, see pom.xml)
        assertThat(j.get("examples").asInt()).isEqualTo(2_000);
    }
}
