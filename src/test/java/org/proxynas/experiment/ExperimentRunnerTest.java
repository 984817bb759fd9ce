package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.cli.ProxyNas;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.RunContext;
import org.proxynas.report.ReportBuilder;
import org.proxynas.select.ProxySet;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.ModelManifest;
import picocli.CommandLine;

/**
 * The whole pipeline on a tiny config (200 Fashion-MNIST images, one epoch per stage, a 3-cell supernet):
 * one uninterrupted run, one run killed after its first search and resumed, and a rerun with only the
 * training budget changed.
 */
class ExperimentRunnerTest {
    private static final String TINY = """
            dataset: fashion-mnist
            limit: 200
            testLimit: 200
            seeds: [0]
            scoring: {epochs: 1, batchSize: 50}
            selection: {methods: [proxy, full], ratios: [0.25]}
            search: {algorithms: [darts], epochs: 1, layers: 3, channels: 4, batchSize: 25}
            training: {epochs: 1, layers: 3, channels: 4, batchSize: 50, auxiliary: false, cutout: 0,
                         dropPath: 0.0, trainLimit: 200}
            """;

    @TempDir
    static Path tmp;
    static ExperimentResults uninterrupted;
    static Path uninterruptedDir;
    static String uninterruptedLog;

    @BeforeAll
    static void runOnce() throws IOException {
        uninterruptedDir = tmp.resolve("a");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        uninterrupted = runner(TINY, uninterruptedDir, false, log).run();
        uninterruptedLog = log.toString(StandardCharsets.UTF_8);
    }

    private static ExperimentRunner runner(String yaml, Path out, boolean resume) {
        return runner(yaml, out, resume, new ByteArrayOutputStream());
    }

    private static ExperimentRunner runner(String yaml, Path out, boolean resume, ByteArrayOutputStream log) {
        return new ExperimentRunner(ExperimentConfig.parse(yaml, "tiny"), yaml, out,
                RunContext.of(List.of("test"), ComputeDevice.AUTO).withResume(resume),
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /**
     * The training stage's key comes from the training job's config: a setting the experiment once left out of its
     * hand-written key (precision) trains the cells again instead of reusing the fp32 ones.
     */
    @Test
    void changingTheTrainingPrecisionTrainsTheCellsAgain() throws IOException {
        Path dir = tmp.resolve("fp16");
        StudyDirs.copyTree(uninterruptedDir, dir);
        List<String> reran = new java.util.ArrayList<>();
        String fp16 = TINY.replace("training: {epochs: 1", "training: {precision: fp16, epochs: 1");
        ExperimentResults changed = runner(fp16, dir, false).onStageDone(key -> reran.add(key.kind())).run();
        assertThat(reran).containsExactly("training", "training");
        JsonNode trained = Json.MAPPER.readTree(dir.resolve(changed.runs().get(0).trainingDir())
                .resolve("config.json").toFile());
        assertThat(trained.path("config").path("precision").asText()).isEqualTo("fp16");
    }

    /** TINY's one-epoch scorer is far from the paper's regime: the run, its results and its report say so. */
    @Test
    void aScorerThatHasNotFitItsDataIsWarnedOfOnceAndRecorded() throws IOException {
        assertThat(uninterrupted.scorer().fitted()).isFalse();
        String warning = uninterrupted.scorer().warning().orElseThrow();
        assertThat(uninterruptedLog.lines().filter(l -> l.contains(warning)))
                .containsExactly("proxynas experiment: warning: " + warning);
        assertThat(ReportBuilder.table(uninterrupted)).endsWith("warning: " + warning + "\n");
        JsonNode recorded = Json.MAPPER.readTree(uninterruptedDir.resolve(ExperimentRunner.RESULTS).toFile())
                .path("scorer");
        assertThat(recorded.path("fitted").asBoolean(true)).isFalse();
        ReportBuilder.rebuild(uninterruptedDir);
        assertThat(Files.readString(uninterruptedDir.resolve(ReportBuilder.REPORT)))
                .contains("<b>Scorer:</b> the scorer has not fit its data");
    }

    @Test
    void everyJsonFileTheExperimentWroteCarriesProvenance() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(uninterruptedDir)) {
            files = all.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("results.json", "done.json", "scores.json", "proxy.json", "subset.json", "config.json",
                        "genotype.json", "search.json", "result.json");
        for (Path f : files) {
            assertThat(Json.MAPPER.readTree(f.toFile()).path("provenance").path("command").isArray())
                    .as(uninterruptedDir.relativize(f).toString()).isTrue();
        }
    }

    /**
     * The experiment and the commands are two callers of the same jobs: replaying the proxy run's stages
     * through the command line with the experiment's settings gives byte-identical scores and genotype,
     * the same proxy indices, and the same evaluation (timings, provenance and names aside).
     */
    @Test
    void theCommandsReproduceTheExperimentsStagesExactly() throws IOException {
        RunResult proxy = uninterrupted.runs().stream().filter(r -> r.method().equals("proxy")).findFirst()
                .orElseThrow();
        Path stages = uninterruptedDir;
        Path cli = tmp.resolve("cli");
        String scores = cli.resolve("scores.csv").toString();
        cli("score", "fashion-mnist", "--epochs", "1", "--batch-size", "50", "--seed", "0", "--limit", "200",
                "--test-limit", "200", "--out", scores);
        try (Stream<Path> found = Files.walk(stages.resolve("stages/scoring"))) {
            Path experimentScores = found.filter(p -> p.getFileName().toString().equals("scores.csv")).findFirst()
                    .orElseThrow();
            assertThat(Files.readAllBytes(Path.of(scores))).isEqualTo(Files.readAllBytes(experimentScores));
        }
        String proxyFile = cli.resolve("proxy.json").toString();
        cli("select", "--scores", scores, "--method", "proxy", "--ratio", "0.25", "--seed", "0", "--out", proxyFile);
        assertThat(Json.read(Path.of(proxyFile), ProxySet.class).indices()).containsExactly(
                Json.read(stages.resolve(proxy.selectionDir()).resolve("proxy.json"), ProxySet.class).indices());
        Path search = cli.resolve("search");
        cli("search", "fashion-mnist", "--subset", proxyFile, "--algo", "darts", "--epochs", "1", "--layers", "3",
                "--channels", "4", "--batch-size", "25", "--seed", "0", "--out", search.toString());
        assertThat(Files.readString(search.resolve("genotype.txt")))
                .isEqualTo(Files.readString(stages.resolve(proxy.searchDir()).resolve("genotype.txt")));
        Path train = cli.resolve("train");
        cli("train", "fashion-mnist", "--genotype", search.resolve("genotype.txt").toString(), "--layers", "3",
                "--channels", "4", "--no-auxiliary", "--epochs", "1", "--batch-size", "50", "--cutout", "0",
                "--drop-path", "0", "--test-limit", "200", "--seed", "0", "--train-subset",
                firstExamplesSubset(stages).toString(), "--out", train.toString());
        assertThat(comparable(train.resolve("result.json")))
                .isEqualTo(comparable(stages.resolve(proxy.trainingDir()).resolve("result.json")));
    }

    /** The subset of the first 200 examples, which the searches on all data and every training read. */
    private static Path firstExamplesSubset(Path experiment) throws IOException {
        try (Stream<Path> found = Files.walk(experiment.resolve("stages/selection"))) {
            return found.filter(p -> p.getFileName().toString().equals("subset.json")).findFirst().orElseThrow();
        }
    }

    private static void cli(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).as(String.join(" ", args) + ": " + err).isZero();
    }

    /** A result.json without what legitimately differs between two runs: times, provenance, the cell's name. */
    private static JsonNode comparable(Path result) throws IOException {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(result.toFile());
        node.remove(List.of("wallSeconds", "imagesPerSecond", "provenance", "network"));
        return node;
    }

    @Test
    void producesAReportWhoseTableMatchesResultsJson() throws IOException {
        assertThat(uninterrupted.runs()).hasSize(2);
        assertThat(uninterrupted.summary()).extracting(SummaryRow::method).containsExactlyInAnyOrder("proxy", "full");
        for (RunResult r : uninterrupted.runs()) {
            assertThat(r.testAccuracy()).isBetween(0.0, 1.0);
            assertThat(r.genotype()).startsWith("Genotype(normal=[");
            assertThat(r.params()).isPositive();
        }
        RunResult proxy = uninterrupted.runs().stream().filter(r -> r.method().equals("proxy")).findFirst().orElseThrow();
        assertThat(proxy.proxySize()).isEqualTo(50);

        JsonNode json = Json.MAPPER.readTree(uninterruptedDir.resolve(ExperimentRunner.RESULTS).toFile());
        ReportBuilder.rebuild(uninterruptedDir);
        String html = Files.readString(uninterruptedDir.resolve(ReportBuilder.REPORT));
        assertThat(html).contains("<img").contains("data:image/png;base64,");
        for (JsonNode row : json.path("summary")) {
            String accuracy = Format.accuracy(row.path("testAccuracyMean").asDouble(), row.path("testAccuracyStd").asDouble());
            assertThat(html).contains(accuracy);
            assertThat(html).contains(row.path("genotypes").get(0).asText());
        }
        for (String stage : ExperimentRunner.STAGES) {
            assertThat(json.path("stageSeconds").has(stage)).as(stage).isTrue();
        }
        assertThat(json.path("provenance").path("proxynasVersion").asText()).isNotEmpty();
        List<Integer> printedRanks = ReportBuilder.table(uninterrupted).lines().skip(2)
                .filter(line -> !line.startsWith("warning:"))
                .map(line -> Integer.parseInt(line.strip().split("\\s+")[0])).toList();
        assertThat(printedRanks).as("the printed table, best first").hasSize(2).isSorted();
    }

    /**
     * Every trained cell is a model directory that results.json and the report name; the printed command that
     * tries the best one measures the accuracy the experiment reports for it.
     */
    @Test
    void everyTrainedCellIsANamedModelAndTheBestOnesCommandReproducesItsAccuracy() throws IOException {
        JsonNode json = Json.MAPPER.readTree(uninterruptedDir.resolve(ExperimentRunner.RESULTS).toFile());
        ReportBuilder.rebuild(uninterruptedDir);
        String html = Files.readString(uninterruptedDir.resolve(ReportBuilder.REPORT));
        for (RunResult r : uninterrupted.runs()) {
            assertThat(r.modelDir()).isEqualTo(r.trainingDir() + "/" + ModelDirectory.DIR);
            ModelManifest manifest = ModelDirectory.read(uninterruptedDir.resolve(r.modelDir()));
            assertThat(manifest.training().finalTestAccuracy()).isEqualTo(r.testAccuracy());
            assertThat(html).contains("<td class=g>" + r.modelDir() + "</td>");
        }
        assertThat(json.path("runs")).allMatch(run -> run.path("modelDir").isTextual());

        RunResult best = uninterrupted.bestModel().orElseThrow();
        assertThat(uninterrupted.runs()).allMatch(r -> r.testAccuracy() <= best.testAccuracy());
        assertThat(html).contains("Best trained cell: <code>" + best.modelDir() + "</code>");
        Path model = uninterruptedDir.resolve(best.modelDir());
        assertThat(uninterrupted.bestModelCommands(uninterruptedDir)).containsExactly(
                "./proxynas predict " + model + " IMAGE...",
                "./proxynas predict " + model + " --dataset fashion-mnist --limit 200");
        StringWriter out = new StringWriter();
        CommandLine cl = ProxyNas.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("predict", model.toString(), "--dataset", "fashion-mnist", "--limit", "200", "--json"))
                .isZero();
        assertThat(Json.MAPPER.readTree(out.toString()).at("/dataset/accuracy").asDouble())
                .isEqualTo(best.testAccuracy());
    }

    @Test
    void aRunKilledAfterItsFirstSearchResumesWithoutRedoingFinishedStages() throws IOException {
        Path dir = tmp.resolve("b");
        class Crash extends RuntimeException {}
        assertThatThrownBy(() -> runner(TINY, dir, false).onStageDone(key -> {
                    if (key.kind().equals("search")) {
                        throw new Crash();
                    }
                }).run())
                .isInstanceOf(Crash.class);
        Map<Path, FileTime> before = StudyDirs.doneFiles(dir);
        assertThat(before).hasSize(4); // scoring, two selections (proxy, full), one search

        List<String> reran = new java.util.ArrayList<>();
        ExperimentResults resumed = runner(TINY, dir, true).onStageDone(key -> reran.add(key.kind())).run();
        assertThat(reran).containsExactly("training", "search", "training");
        for (Map.Entry<Path, FileTime> e : before.entrySet()) {
            assertThat(Files.getLastModifiedTime(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
        }
        assertThat(resumed.runs()).hasSameSizeAs(uninterrupted.runs());
        for (int i = 0; i < resumed.runs().size(); i++) {
            RunResult a = uninterrupted.runs().get(i);
            RunResult b = resumed.runs().get(i);
            assertThat(b.genotype()).isEqualTo(a.genotype());
            assertThat(b.testAccuracy()).isEqualTo(a.testAccuracy());
            assertThat(b.proxySize()).isEqualTo(a.proxySize());
        }
    }

    @Test
    void changingOnlyTheTrainingBudgetReusesScoresProxiesAndSearches() throws IOException {
        Path dir = tmp.resolve("c");
        StudyDirs.copyTree(uninterruptedDir, dir);
        List<String> reran = new java.util.ArrayList<>();
        String moreEpochs = TINY.replace("training: {epochs: 1", "training: {epochs: 2");
        ExperimentResults changed = runner(moreEpochs, dir, false).onStageDone(key -> reran.add(key.kind())).run();
        assertThat(reran).containsExactly("training", "training");
        for (int i = 0; i < changed.runs().size(); i++) {
            assertThat(changed.runs().get(i).genotype()).isEqualTo(uninterrupted.runs().get(i).genotype());
            assertThat(changed.runs().get(i).searchSeconds()).isEqualTo(uninterrupted.runs().get(i).searchSeconds());
        }
    }

    /**
     * One config holds both studies: a ranking section added to a finished experiment trains only the
     * architectures, on the scores, the proxy and the full-data set the experiment already has.
     */
    @Test
    void aRankingSectionReusesTheExperimentsScoresAndProxies() throws IOException {
        Path dir = tmp.resolve("e");
        StudyDirs.copyTree(uninterruptedDir, dir);
        String both = TINY + "ranking: {methods: [proxy], ratio: 0.25, architectures: 3, epochs: 1, layers: 3,"
                + " channels: 4, batchSize: 25, topK: 2}\n";
        List<String> reran = new java.util.ArrayList<>();
        ExperimentResults results = runner(both, dir, false).onStageDone(key -> reran.add(key.kind())).run();

        assertThat(reran).containsOnly("training").hasSize(6); // 3 architectures × (all data, the proxy)
        assertThat(results.runs()).hasSameSizeAs(uninterrupted.runs());
        RankResults ranking = results.ranking();
        assertThat(ranking.methods()).extracting(RankResults.MethodRanking::method).containsExactly("proxy");
        assertThat(ranking.methods().get(0).proxySize()).isEqualTo(50);
        assertThat(dir.resolve(RankStudy.ARCHITECTURES)).isRegularFile();
        assertThat(Json.read(dir.resolve(ExperimentRunner.RESULTS), ExperimentResults.class).ranking().methods())
                .isEqualTo(ranking.methods());
        ReportBuilder.rebuild(dir);
        assertThat(Files.readString(dir.resolve(ReportBuilder.REPORT)))
                .contains("Ranking: does a proxy keep the order of architectures?")
                .contains(Format.estimate(ranking.methods().get(0).tau()));
    }

    @Test
    void aBadConfigFailsBeforeAnyWorkNamingTheKey() {
        Path dir = tmp.resolve("d");
        assertThatThrownBy(() -> runner(TINY.replace("[proxy, full]", "[proxy, best]"), dir, false).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tiny: selection.methods: unknown method 'best'");
        assertThatThrownBy(() -> runner(TINY.replace("fashion-mnist", "idx:/nonexistent"), dir, false).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dataset: ");
        assertThatThrownBy(() -> runner(TINY.replace("algorithms: [darts]", "algorithms: [enas]"), dir, false).run())
                .hasMessageStartingWith("tiny: search.algorithms: unknown algorithm 'enas'");
        assertThatThrownBy(() -> runner(TINY + "ranking: {genotypes: [NO_SUCH_CELL], batchSize: 10}\n", dir, false)
                .run())
                .hasMessageStartingWith("genotypes: genotype: 'NO_SUCH_CELL'");
        assertThat(dir).doesNotExist();
    }
}
