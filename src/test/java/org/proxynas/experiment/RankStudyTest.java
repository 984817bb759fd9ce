package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cli.ProxyNas;
import org.proxynas.common.Json;
import org.proxynas.data.Datasets;
import org.proxynas.data.Split;
import org.proxynas.report.ReportBuilder;
import org.proxynas.score.ScorerRegime;
import picocli.CommandLine;

/**
 * {@code proxynas rank} end to end on a tiny study: 200 Fashion-MNIST images, three sampled architectures plus
 * DARTS_V2 as 3-cell C=4 networks, one epoch. Then the same study with a second method: only its selection and
 * its trainings run.
 */
class RankStudyTest {
    @TempDir
    static Path tmp;
    static Path out;
    static Path scores;
    static String printed;

    @BeforeAll
    static void rankOnce() throws IOException {
        scores = tmp.resolve("scores.csv");
        writeScores(scores, 200);
        out = tmp.resolve("rank study"); // a space, which the report's Reproduce line must quote
        printed = rank("proxy");
    }

    /** Scores of the first n images with their true labels: ranking needs a selection, not a trained scorer. */
    private static void writeScores(Path file, int n) throws IOException {
        int[] labels = Datasets.open("fashion-mnist", Split.TRAIN).labels();
        StringBuilder csv = new StringBuilder("index,label,entropy\n");
        for (int i = 0; i < n; i++) {
            csv.append(i).append(',').append(labels[i]).append(',').append(Math.pow(10, -(i * 7 % 13))).append('\n');
        }
        Files.writeString(file, csv);
    }

    /** Runs the study in {@code out} with {@code methods}; {@code more} are flag-value pairs added or replaced. */
    private static String rank(String methods, String... more) {
        StringWriter stdout = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("rank", "fashion-mnist", "--scores", scores.toString(),
                "--methods", methods, "--ratio", "0.25", "--architectures", "3", "--genotypes", "DARTS_V2",
                "--epochs", "1", "--layers", "3", "--channels", "4", "--batch-size", "25", "--test-limit", "100",
                "--top-k", "2", "--device", "cpu", "--out", out.toString()));
        for (int i = 0; i < more.length; i += 2) {
            int at = args.indexOf(more[i]);
            if (at >= 0) {
                args.set(at + 1, more[i + 1]);
            } else {
                args.addAll(List.of(more[i], more[i + 1]));
            }
        }
        int code = cl.execute(args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        return stdout.toString();
    }

    /**
     * Training-free measures and a combination beside a data proxy, on architectures drawn with two operation
     * biases and two depths: the measures cost seconds and no training, the combination costs its parts and is
     * compared with each, and adding them to a study trains nothing new.
     */
    @Test
    void zeroCostMeasuresAndACombinationRankTheSameArchitecturesWithoutTraining() throws IOException {
        Path copy = tmp.resolve("zero-cost");
        Path original = out;
        out = copy;
        try {
            rank("proxy", "--biases", "uniform,parameter-free", "--architectures", "2", "--layers", "3,4");
            Map<Path, FileTime> before = StudyDirs.doneFiles(copy);
            String table = rank("proxy,zc:synflow,params,zc:naswot@proxy,mean:proxy/zc:synflow", "--biases",
                    "uniform,parameter-free", "--architectures", "2", "--layers", "3,4", "--zero-cost-batch-size", "16");
            Map<Path, FileTime> after = StudyDirs.doneFiles(copy);
            assertThat(after.keySet().stream().filter(p -> !before.containsKey(p))
                    .map(p -> copy.relativize(p).getName(1).toString()).distinct())
                    .as("only measurements are new").containsExactly("measurement");

            RankResults r = Json.read(copy.resolve(RankStudy.RESULTS), RankResults.class);
            assertThat(r.architectures()).hasSize(5);
            assertThat(r.architectures()).extracting(RankResults.Architecture::source)
                    .containsExactly("sampled", "sampled", "sampled (parameter-free)", "sampled (parameter-free)",
                            "DARTS_V2");
            assertThat(r.architectures()).extracting(RankResults.Architecture::layers).allMatch(l -> l == 3 || l == 4);
            assertThat(r.methods()).extracting(RankResults.MethodRanking::kind)
                    .containsExactly("trained", "zero-cost", "zero-cost", "zero-cost", "combined");
            RankResults.MethodRanking synflow = r.methods().get(1);
            assertThat(synflow.epochs()).isZero();
            assertThat(synflow.proxySize()).isEqualTo(16);
            assertThat(synflow.seconds()).isPositive();
            assertThat(synflow.values()).hasSize(5).allMatch(v -> v > 0);
            RankResults.MethodRanking params = r.methods().get(2);
            for (int i = 0; i < 5; i++) {
                assertThat(params.values().get(i)).as("params is the trained network's count")
                        .isEqualTo((double) r.architectures().get(i).parameters());
            }
            RankResults.MethodRanking combined = r.methods().get(4);
            assertThat(combined.tauVsParts()).hasSize(2);
            assertThat(combined.seconds()).isCloseTo(r.methods().get(0).seconds() + synflow.seconds(),
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.measurements()).hasSize(5 * 3);
            assertThat(table).contains("zc:naswot@proxy").contains("mean:proxy/zc:synflow: Δτ vs proxy ");
            assertThat(Files.readString(copy.resolve(ReportBuilder.RANK_REPORT)))
                    .contains("mean:proxy/zc:synflow: Δτ vs proxy ");
        } finally {
            out = original;
        }
    }

    @Test
    void writesEveryOutputWithProvenance() throws IOException {
        assertThat(out.resolve(RankStudy.ARCHITECTURES)).isRegularFile();
        assertThat(out.resolve(RankStudy.RESULTS)).isRegularFile();
        assertThat(out.resolve(ReportBuilder.RANK_REPORT)).isRegularFile();
        List<Path> json;
        try (Stream<Path> all = Files.walk(out)) {
            json = all.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
        }
        assertThat(json).extracting(p -> p.getFileName().toString())
                .contains("architectures.json", "rank.json", "done.json", "proxy.json", "subset.json", "config.json",
                        "result.json");
        for (Path f : json) {
            assertThat(Json.MAPPER.readTree(f.toFile()).path("provenance").path("command").isArray())
                    .as(out.relativize(f).toString()).isTrue();
        }
    }

    @Test
    void reportsTheAgreementOfEveryMethodInTheTableTheJsonAndTheReport() throws IOException {
        JsonNode results = Json.MAPPER.readTree(out.resolve(RankStudy.RESULTS).toFile());
        assertThat(results.path("architectures")).hasSize(4);
        assertThat(results.path("architectures").get(3).path("name").asText()).isEqualTo("DARTS_V2");
        assertThat(results.path("trainings")).hasSize(8); // 4 architectures × (all data + one proxy)
        JsonNode proxy = results.path("methods").get(0);
        assertThat(proxy.path("proxySize").asInt()).isEqualTo(50);
        assertThat(proxy.path("values")).hasSize(4);
        assertThat(proxy.path("kind").asText()).isEqualTo("trained");
        assertThat(proxy.path("costRatio").asDouble()).isPositive();

        RankResults read = Json.read(out.resolve(RankStudy.RESULTS), RankResults.class);
        String tau = Format.estimate(read.methods().get(0).tau());
        assertThat(printed).contains("Kendall τ-b").contains(tau).contains("rank.html");
        String html = Files.readString(out.resolve(ReportBuilder.RANK_REPORT));
        assertThat(html).contains(tau).contains("data:image/png;base64,").contains("DARTS_V2");
        assertThat(html.split("<img").length - 1).isEqualTo(2); // a scatter for the method, τ per method
        assertThat(html).contains("<h2>Reproduce</h2><pre>proxynas rank fashion-mnist --scores " + scores)
                .contains(" --out '" + out + "'</pre>");

        JsonNode architectures = Json.MAPPER.readTree(out.resolve(RankStudy.ARCHITECTURES).toFile());
        assertThat(architectures.path("architectures")).hasSize(4);
        assertThat(architectures.path("architectures").get(0).path("genotype").asText())
                .isEqualTo(read.architectures().get(0).genotype());
    }

    @Test
    void theReportFlagsAProxyThatMissesClasses() throws IOException {
        RankResults r = Json.read(out.resolve(RankStudy.RESULTS), RankResults.class);
        Path clean = Files.createDirectories(tmp.resolve("report-clean"));
        ReportBuilder.writeRank(clean, r);
        assertThat(Files.readString(clean.resolve(ReportBuilder.RANK_REPORT))).doesNotContain("Class balance");
        String text = "proxy-r0.25-s0 misses 1 of 10 classes (Trouser); proxy+balanced selects within each class";
        ClassWarning warning = new ClassWarning("proxy-r0.25-s0", "proxy", text);
        ScorerRegime unfitted = new ScorerRegime(0.657, 1.07);
        RankResults flaggedResults = new RankResults(r.config(), r.architectures(), r.trainings(), r.measurements(), r.methods(),
                r.fullAcrossSeeds(), List.of(warning), unfitted, r.provenance());
        Path flagged = Files.createDirectories(tmp.resolve("report-flagged"));
        ReportBuilder.writeRank(flagged, flaggedResults);
        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(flaggedResults), RankResults.class)
                .classWarnings()).containsExactly(warning);
        assertThat(Files.readString(flagged.resolve(ReportBuilder.RANK_REPORT))).contains("Class balance")
                .contains(text).contains("<td>proxy <span title=\"misses or under-represents classes\">⚠</span></td>")
                .contains("<b>Scorer:</b> the scorer has not fit its data (train accuracy 65.7%");
        assertThat(ReportBuilder.rankTable(flaggedResults)).endsWith("warning: " + unfitted.warning().orElseThrow()
                + "\n");
        RankResults fitted = new RankResults(r.config(), r.architectures(), r.trainings(), r.measurements(), r.methods(),
                r.fullAcrossSeeds(), List.of(), new ScorerRegime(1.0, 0.0015), r.provenance());
        ReportBuilder.writeRank(clean, fitted);
        assertThat(Files.readString(clean.resolve(ReportBuilder.RANK_REPORT))).doesNotContain("<b>Scorer:</b>")
                .contains("Scorer: train accuracy 100.0%, median entropy 0.0015 nats");
    }

    @Test
    void addingAMethodVariantTrainsOnlyItsOwnProxies() throws IOException {
        Path copy = tmp.resolve("copy");
        StudyDirs.copyTree(out, copy);
        Map<Path, FileTime> before = StudyDirs.doneFiles(copy);
        Path original = out;
        out = copy;
        try {
            rank("proxy,proxy+balanced");
        } finally {
            out = original;
        }
        Map<Path, FileTime> after = StudyDirs.doneFiles(copy);
        for (Map.Entry<Path, FileTime> e : before.entrySet()) {
            assertThat(after.get(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
        }
        List<Path> added = new ArrayList<>(after.keySet());
        added.removeAll(before.keySet());
        assertThat(added).extracting(p -> copy.relativize(p).getName(1).toString() + "/"
                        + copy.relativize(p).getName(2).toString().replaceAll("-[0-9a-f]{10}$", ""))
                .containsExactlyInAnyOrder("selection/proxy+balanced-r0.25-s0",
                        "training/a00-proxy+balanced-r0.25-s0", "training/a01-proxy+balanced-r0.25-s0",
                        "training/a02-proxy+balanced-r0.25-s0", "training/DARTS_V2-proxy+balanced-r0.25-s0");
        RankResults first = Json.read(out.resolve(RankStudy.RESULTS), RankResults.class);
        RankResults both = Json.read(copy.resolve(RankStudy.RESULTS), RankResults.class);
        assertThat(both.methods()).hasSize(2);
        assertThat(both.methods().get(0).tau()).isEqualTo(first.methods().get(0).tau());
        assertThat(both.methods().get(1).tauVsFirst()).isNotNull();
        assertThat(both.methods().get(1).method()).isEqualTo("proxy+balanced");
        assertThat(both.classWarnings()).noneMatch(w -> w.method().equals("proxy+balanced"));
    }
}
