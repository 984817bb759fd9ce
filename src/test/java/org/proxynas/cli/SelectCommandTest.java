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
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.proxynas.common.Json;
import org.proxynas.data.DatasetOptions;
import org.proxynas.data.Datasets;
import org.proxynas.data.Fixtures;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.score.ScoreTable;
import org.proxynas.score.ScoresCsv;
import org.proxynas.select.ProxySet;
import org.proxynas.select.Selectors;
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
    void warnsWhenTheSetMissesClassesAndSuggestsBalancing() throws IOException {
        int n = 500;
        int[] labels = new int[n];
        double[] entropy = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 5;
            entropy[i] = labels[i] == 0 ? 1e-9 * (i + 1) : 0.5 + 1e-4 * i; // class 0 fills the low tail
        }
        Path skewed = dir.resolve("skewed.csv");
        ScoresCsv.write(skewed, ScoreTable.of(labels, entropy));
        assertThat(run("--scores", skewed.toString(), "--method", "entropy-bottom", "--ratio", "0.1", "--out",
                out.toString())).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("warning: the proxy set misses 4 of 5 classes (class 1, class 2, class 3, class 4)")
                .contains("--balanced selects within each class");
        assertThat(ProxySet.read(out).classShortfall()).startsWith("misses 4 of 5 classes");

        stderr.getBuffer().setLength(0);
        assertThat(run("--scores", skewed.toString(), "--method", "entropy-bottom", "--balanced", "--ratio", "0.1",
                "--out", out.toString())).as(stderr.toString()).isZero();
        // these synthetic scores are no fitted scorer's: only that warning is left
        assertThat(stderr.toString()).doesNotContain("the proxy set").contains("warning: the scorer has not fit");
        assertThat(ProxySet.read(out).classShortfall()).isNull();
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
    void exportsTheProxySetOfTheScoredDataset() throws IOException {
        Path src = dir.resolve("idx");
        Fixtures.writeIdx(src, Fixtures.random("a", 500, 1, 6, 5, 5, 1), Fixtures.random("b", 10, 1, 6, 5, 5, 2), false);
        String sha = Datasets.checksum(Datasets.open("idx:" + src, Split.TRAIN));
        Files.writeString(dir.resolve("scores.json"), "{\"dataset\":\"idx:" + src + "\",\"datasetSha256\":\"" + sha
                + "\",\"classNames\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}");
        Path export = dir.resolve("proxy-idx");
        int code = run("--scores", scores.toString(), "--ratio", "0.1", "--out", out.toString(), "--export",
                export.toString());
        assertThat(code).as(stderr.toString()).isZero();
        ProxySet set = ProxySet.read(out);
        assertThat(set.dataset()).isEqualTo("idx:" + src);
        assertThat(set.datasetSha256()).isEqualTo(sha);
        ImageDataset back = Datasets.open("idx:" + export, Split.TRAIN);
        assertThat(back.size()).isEqualTo(50);
        int[] idx = set.indices();
        for (int j = 0; j < idx.length; j++) {
            assertThat(back.label(j)).isEqualTo(idx[j] % 5);
        }
    }

    /** A folder dataset of 40 images in 4 classes with its scores and their summary; returns the scores. */
    private Path scoredFolder() throws IOException {
        Path src = dir.resolve("folder");
        Fixtures.writeFolder(src, "train", Fixtures.random("a", 40, 3, 6, 6, 4, 1), "png");
        ImageDataset train = Datasets.open("folder:" + src, Split.TRAIN);
        double[] entropy = new double[train.size()];
        for (int i = 0; i < entropy.length; i++) {
            entropy[i] = 0.01 * (i + 1);
        }
        Path csv = dir.resolve("folder-scores.csv");
        ScoresCsv.write(csv, ScoreTable.of(train.labels(), entropy));
        Files.writeString(dir.resolve("folder-scores.json"), "{\"dataset\":\"folder:" + src
                + "\",\"datasetSha256\":\"" + Datasets.checksum(train) + "\"}");
        return csv;
    }

    private static long filesUnder(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            return files.filter(p -> Files.isSymbolicLink(p) || Files.isRegularFile(p)).count();
        }
    }

    @Test
    void aSecondExportReplacesThePreviousOneCompletely() throws IOException {
        Path csv = scoredFolder();
        Path export = dir.resolve("export");
        assertThat(run("--scores", csv.toString(), "--size", "20", "--out", out.toString(), "--export",
                export.toString())).as(stderr.toString()).isZero();
        assertThat(filesUnder(export.resolve("train"))).isEqualTo(20);
        assertThat(run("--scores", csv.toString(), "--size", "6", "--out", out.toString(), "--export",
                export.toString())).as(stderr.toString()).isZero();
        assertThat(filesUnder(export.resolve("train"))).as("no link of the first export is left").isEqualTo(6);
        assertThat(Datasets.open("folder:" + export, Split.TRAIN).size()).isEqualTo(6);
    }

    @Test
    void aDirectoryOfTheUsersOwnFilesIsNeverExportedInto() throws IOException {
        Path csv = scoredFolder();
        Path export = Files.createDirectories(dir.resolve("mine"));
        Path own = Files.writeString(export.resolve("train-images-idx3-ubyte.gz"), "the user's own file");
        assertThat(run("--scores", csv.toString(), "--size", "6", "--out", out.toString(), "--export",
                export.toString())).isEqualTo(2);
        assertThat(stderr.toString().lines()).containsExactly("proxynas select: --export: " + export
                + " holds files and is not an earlier export (no .proxynas-export in it); choose a new or empty"
                + " directory");
        assertThat(Files.readString(own)).isEqualTo("the user's own file");
        assertThat(export.resolve("train")).doesNotExist();
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--method random --probability p2 | --probability applies only to proxy, not to random",
        "--method proxy --low-fraction 0.3 | --low-fraction applies only to entropy-tails, not to proxy",
        "--method entropy-top --bin-width 0.25 | --bin-width applies only to proxy, not to entropy-top"})
    void aFlagTheMethodDoesNotReadIsRefusedNotIgnored(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("--scores", scores.toString(), "--ratio", "0.1", "--out",
                out.toString()));
        args.addAll(List.of(flags.split(" ")));
        assertThat(run(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(stderr.toString().lines()).containsExactly("proxynas select: " + message);
        assertThat(out).doesNotExist();
    }

    @Test
    void scoresSavedWithAByteOrderMarkAreReadAsTheSameScores() throws IOException {
        Path marked = dir.resolve("marked.csv");
        Files.write(marked, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Files.readAllBytes(scores)));
        assertThat(run("--scores", marked.toString(), "--ratio", "0.1", "--seed", "4", "--out", out.toString()))
                .as(stderr.toString()).isZero();
        Path plain = dir.resolve("plain.json");
        assertThat(run("--scores", scores.toString(), "--ratio", "0.1", "--seed", "4", "--out", plain.toString()))
                .as(stderr.toString()).isZero();
        assertThat(ProxySet.read(out).indices()).containsExactly(ProxySet.read(plain).indices());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void aMissingScoresOrEmbeddingsFileIsBadInputNamingIt() {
        Path missing = dir.resolve("missing.csv");
        assertThat(run("--scores", missing.toString(), "--ratio", "0.1", "--out", out.toString())).isEqualTo(2);
        assertThat(stderr.toString().lines()).containsExactly("proxynas select: no such file: " + missing);

        stderr.getBuffer().setLength(0);
        Path noEmbeddings = dir.resolve("missing.bin");
        assertThat(run("--scores", scores.toString(), "--embeddings", noEmbeddings.toString(), "--method", "kcenter",
                "--ratio", "0.1", "--out", out.toString())).isEqualTo(2);
        assertThat(stderr.toString().lines()).containsExactly("proxynas select: no such file: " + noEmbeddings);
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource({"1e-6, 1.0E-6", "1e-9, 1.0E-9"})
    void aBinWidthThatWouldMakeMillionsOfBinsIsRefusedInOneLine(String width, String shown) {
        // the scores' entropies span 1e-8 .. 1: nine decades
        assertThat(run("--scores", scores.toString(), "--ratio", "0.1", "--bin-width", width, "--out",
                out.toString())).isEqualTo(2);
        assertThat(stderr.toString().lines()).containsExactly("proxynas select: --bin-width " + shown + " would cut"
                + " the scores' log10-entropy range [-8, 0] into more than 100000 bins; choose a width of at least"
                + " 9.0E-5");
        assertThat(out).doesNotExist();
    }

    @Test
    void aDatasetWhoseChecksumDiffersFromTheScoredOneIsRefused() throws IOException {
        Path src = dir.resolve("idx");
        Fixtures.writeIdx(src, Fixtures.random("a", 500, 1, 6, 5, 5, 1), Fixtures.random("b", 10, 1, 6, 5, 5, 2), false);
        Files.writeString(dir.resolve("scores.json"), "{\"dataset\":\"idx:" + src + "\",\"datasetSha256\":\"0abc\"}");
        int code = run("--scores", scores.toString(), "--ratio", "0.1", "--out", out.toString(), "--export",
                dir.resolve("e").toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr.toString()).contains("scored dataset had SHA-256 0abc");
        assertThat(out).doesNotExist();
    }

    @Test
    void scoresOfAnotherDatasetAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path src = dir.resolve("idx");
        Fixtures.writeIdx(src, Fixtures.random("a", 500, 1, 6, 5, 7, 1), Fixtures.random("b", 10, 1, 6, 5, 7, 2), false);
        int code = run("--scores", scores.toString(), "--ratio", "0.1", "--out", out.toString(), "--dataset",
                "idx:" + src, "--export", dir.resolve("e").toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr.toString()).contains(":", "index 5 has label 0 but dataset idx:" + src + " says 5");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("e")).doesNotExist();
    }

    @Test
    void compareListsEveryMethodAndSaysWhatIsMissing() {
        int code = run("--scores", scores.toString(), "--compare", "--size", "40");
        assertThat(code).as(stderr.toString()).isZero();
        String table = stdout.toString();
        assertThat(table).contains("random-balanced", "entropy-tails", "proxy");
        assertThat(table).contains("kcenter          n/a (needs embeddings)");
        assertThat(table).contains("forgetting       n/a (needs the forgetting column in the scores file)");
        assertThat(out).doesNotExist();
    }

    @Test
    void compareAsJsonNamesMissingInputs() throws IOException {
        int code = run("--scores", scores.toString(), "--compare", "--ratio", "0.2", "--json");
        assertThat(code).as(stderr.toString()).isZero();
        JsonNode rows = Json.MAPPER.readTree(stdout.toString());
        assertThat(rows).hasSize(Selectors.METHODS.size());
        assertThat(rows.get(0).get("method").asText()).isEqualTo("random");
        assertThat(rows.get(0).get("size").asInt()).isEqualTo(100);
        assertThat(rows.get(6).get("unavailable").asText()).isEqualTo("needs embeddings");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--ratio 0                     | ratio must be in (0, 1], found 0.0",
        "--ratio 1.5                   | ratio must be in (0, 1], found 1.5",
        "--size 501                    | --size must be between 1 and the 500 scored examples, found 501",
        "--ratio 0.1 --method best     | method: unknown method 'best'",
        "--ratio 0.1 --size 3          | give exactly one of ratio and size, found both",
        "--seed 1                      | give exactly one of ratio and size, found neither",
        "--ratio 0.1 --method kcenter  | --method kcenter needs embeddings",
        "--ratio 0.1 --export x        | export needs the dataset",
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

    @Test
    void cifar100ScoredWithCoarseLabelsIsReopenedWithThemForTheExport() throws IOException {
        Path c100 = dir.resolve("c100");
        Fixtures.writeCifar100(c100, Fixtures.random("train", 64, 3, 32, 32, 100, 1),
                Fixtures.random("test", 16, 3, 32, 32, 100, 2));
        Path csv = dir.resolve("coarse/scores.csv");
        CommandLine score = ProxyNas.commandLine();
        score.setOut(new PrintWriter(new StringWriter()));
        score.setErr(new PrintWriter(stderr));
        assertThat(score.execute("score", "cifar100:" + c100, "--label", "coarse", "--epochs", "1", "--batch-size",
                "32", "--out", csv.toString())).as(stderr.toString()).isZero();
        Path export = dir.resolve("coarse-proxy");
        assertThat(run("--scores", csv.toString(), "--size", "16", "--out", out.toString(), "--export",
                export.toString())).as(stderr.toString()).isZero();
        ImageDataset exported = Datasets.open("cifar100:" + export, Split.TRAIN, new DatasetOptions("coarse", 32));
        assertThat(exported.size()).isEqualTo(16);
        assertThat(exported.numClasses()).isEqualTo(20);
    }

    @Test
    void theSummaryIsFoundByTheScoresOwnNameAndMustDescribeThem() throws IOException {
        Path src = dir.resolve("idx");
        Fixtures.writeIdx(src, Fixtures.random("train", 128, 1, 8, 8, 4, 1), Fixtures.random("test", 16, 1, 8, 8, 4, 2),
                true);
        Path csv = dir.resolve("runs/foo.csv");
        CommandLine score = ProxyNas.commandLine();
        score.setOut(new PrintWriter(new StringWriter()));
        score.setErr(new PrintWriter(stderr));
        assertThat(score.execute("score", "idx:" + src, "--epochs", "1", "--batch-size", "32", "--out",
                csv.toString())).as(stderr.toString()).isZero();
        assertThat(run("--scores", csv.toString(), "--ratio", "0.25", "--out", out.toString())).isZero();
        ProxySet set = Json.read(out, ProxySet.class);
        assertThat(set.dataset()).isEqualTo("idx:" + src);
        assertThat(set.datasetSha256()).isNotNull();

        // a summary of another run next to the same scores: refused, not trusted
        Path other = dir.resolve("runs/foo.json");
        Files.writeString(other, Files.readString(other).replace(set.scoresSha256(), "0".repeat(64)));
        assertThat(run("--scores", csv.toString(), "--ratio", "0.25", "--out", dir.resolve("p2.json").toString()))
                .isEqualTo(2);
        assertThat(stderr.toString()).contains(other.toString(), "describes scores with SHA-256 " + "0".repeat(64));
        assertThat(dir.resolve("p2.json")).doesNotExist();
    }

    @Test
    void helpListsEveryNameTheRegistryHolds() {
        StringWriter help = new StringWriter();
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(help));
        assertThat(cl.execute("select", "--help")).isZero();
        String text = help.toString().replaceAll("\\s+", " ");
        for (String name : Selectors.METHODS) {
            assertThat(text).contains(name);
        }
    }
}
