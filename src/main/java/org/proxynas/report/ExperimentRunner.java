package org.proxynas.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.common.ShellWords;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.data.SubsetFile;
import org.proxynas.learn.LrSchedule;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.nas.search.SearchAlgorithms;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.search.SearchJob;
import org.proxynas.nas.search.SearchResult;
import org.proxynas.nas.space.Genotype;
import org.proxynas.score.ScoresCsv;
import org.proxynas.score.ScoringConfig;
import org.proxynas.score.ScoringJob;
import org.proxynas.score.ScoringSummary;
import org.proxynas.select.ProxyDataSelector;
import org.proxynas.select.ProxySelection;
import org.proxynas.select.ProxySet;
import org.proxynas.select.SelectionConfig;
import org.proxynas.select.SelectionJob;
import org.proxynas.select.Selectors;
import org.proxynas.train.EvaluationConfig;
import org.proxynas.train.EvaluationJob;
import org.proxynas.train.EvaluationResult;
import org.proxynas.train.NetworkSpec;

/**
 * Runs one experiment: score once, select every proxy, search on every proxy and on the full data, train
 * every found cell with the same budget, for every seed; then write {@code results.json} and the report.
 *
 * <p>Each stage is a job that reads files and writes its own directory under {@code DIR/stages}, keyed by
 * the hash of its settings and inputs ({@link StageStore}). So a rerun skips finished stages, a changed
 * setting reruns only the stages downstream of it, and with {@code resume} an interrupted stage continues
 * from its last checkpoint (without it, the interrupted stage starts over).
 */
public final class ExperimentRunner {
    public static final String RESULTS = "results.json";
    public static final String REPORT = "report.html";
    private static final String SCORES = "scores.csv";
    private static final String EMBEDDINGS = "embeddings.bin";
    private static final String PROXY = "proxy.json";
    private static final String SUBSET = "subset.json";

    private final ExperimentConfig config;
    private final String configText;
    private final Path out;
    private final RunContext context;
    private final PrintStream log;
    private final StageStore store;
    private final StageClock clock;
    private Consumer<StageStore.Key> onStageDone = key -> {};

    /**
     * With {@code context.resume()}, an interrupted stage continues from its checkpoint; without it, it starts
     * over. Finished stages are reused either way.
     */
    public ExperimentRunner(ExperimentConfig config, String configText, Path out, RunContext context,
            PrintStream log) {
        this.config = config;
        this.configText = configText;
        this.out = out;
        this.context = context;
        this.log = log;
        this.store = new StageStore(out, () -> provenance("none"));
        this.clock = new StageClock(log);
    }

    /**
     * Called after each stage that ran (not for reused ones) has recorded its outputs: a place to report
     * progress elsewhere, or, in tests, to simulate a crash between two stages.
     */
    public ExperimentRunner onStageDone(Consumer<StageStore.Key> listener) {
        this.onStageDone = listener;
        return this;
    }

    /** A proxy set on disk: what the searches read. */
    private record Proxy(String method, double ratio, long seed, int size, double seconds, StageStore.Key key,
            Path file) {}

    public ExperimentResults run() throws IOException {
        int examples = validate();
        String device = ComputeDevice.describe(context.device().resolve());
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("experiment.yaml"), configText);

        StageStore.Key scoringKey = scoringKey();
        List<String> methods = config.selection().methods().stream().filter(m -> !m.equals(ExperimentConfig.FULL)).toList();
        boolean full = config.selection().methods().contains(ExperimentConfig.FULL);
        planWork(methods, full, examples);

        Path scores = score(scoringKey);
        List<Proxy> sets = new ArrayList<>();
        for (String method : methods) {
            for (double ratio : config.selection().ratios()) {
                for (long seed : config.seeds()) {
                    sets.add(select(scores, scoringKey, method, ratio, seed));
                }
            }
        }
        Proxy fullSet = full ? fullData(examples) : null;

        List<RunResult> runs = new ArrayList<>();
        for (String algorithm : config.search().algorithms()) {
            for (long seed : config.seeds()) {
                if (fullSet != null) {
                    runs.add(searchAndEvaluate(fullSet, algorithm, seed));
                }
            }
            for (Proxy p : sets) {
                runs.add(searchAndEvaluate(p, algorithm, p.seed()));
            }
        }
        ExperimentResults results = new ExperimentResults(config, clock.secondsByStage(), runs,
                SummaryRow.summarize(runs), reproduceCommands(),
                provenance(device));
        Json.write(out.resolve(RESULTS), results);
        ReportBuilder.write(out, results, configText);
        return results;
    }

    /** Jobs and work units per stage, for the overall progress line's ETA (search units: examples). */
    private void planWork(List<String> methods, boolean full, int examples) {
        int algorithms = config.search().algorithms().size();
        int seeds = config.seeds().size();
        clock.plan("scoring", 1, 1);
        for (double ratio : config.selection().ratios()) {
            int size = ProxySelection.sizeForRatio(ratio, examples);
            clock.plan("selection", methods.size() * seeds, methods.size() * seeds);
            clock.plan("search", methods.size() * seeds * algorithms, (double) size * methods.size() * seeds * algorithms);
            clock.plan("evaluation", methods.size() * seeds * algorithms, methods.size() * seeds * algorithms);
        }
        if (full) {
            clock.plan("search", seeds * algorithms, (double) examples * seeds * algorithms);
            clock.plan("evaluation", seeds * algorithms, seeds * algorithms);
        }
    }

    /**
     * Everything that can be checked without doing work, so a bad config fails in the first second.
     * Returns the number of training examples the experiment scores.
     */
    private int validate() throws IOException {
        for (String m : config.selection().methods()) {
            if (!m.equals(ExperimentConfig.FULL) && !Selectors.METHODS.contains(m)) {
                throw new UserError("selection.methods: unknown method '" + m + "' (known: "
                        + ExperimentConfig.FULL + ", " + String.join(", ", Selectors.METHODS) + ")");
            }
        }
        for (String a : config.search().algorithms()) {
            if (!SearchAlgorithms.names().contains(a)) {
                throw new UserError("search.algorithms: unknown algorithm '" + a + "' (known: "
                        + String.join(", ", SearchAlgorithms.names()) + ")");
            }
            try {
                searchConfig(a, 0, out).build();
            } catch (UserError e) {
                throw new UserError("search (" + a + "): " + e.getMessage(), e);
            }
        }
        if (config.scoring().scores() != null && !Files.isRegularFile(Path.of(config.scoring().scores()))) {
            throw new UserError("scoring.scores: no such file " + config.scoring().scores());
        }
        ImageDataset train;
        try {
            train = Datasets.open(config.dataset(), Split.TRAIN);
        } catch (IOException | UserError e) {
            throw new UserError("dataset: " + e.getMessage());
        }
        if (config.limit() > train.size()) {
            throw new UserError("limit: " + config.limit() + " is more than the " + train.size()
                    + " training examples of " + config.dataset());
        }
        if (config.evaluation().trainLimit() > train.size()) {
            throw new UserError("evaluation.trainLimit: " + config.evaluation().trainLimit()
                    + " is more than the " + train.size() + " training examples of " + config.dataset());
        }
        int examples = config.limit() > 0 ? config.limit() : train.size();
        requireSearchBatchFits(examples);
        return examples;
    }

    /** The search refuses a batch larger than either half of its data: find out before scoring, not after. */
    private void requireSearchBatchFits(int examples) {
        int smallest = examples;
        if (!config.selection().methods().stream().allMatch(ExperimentConfig.FULL::equals)) {
            for (double ratio : config.selection().ratios()) {
                smallest = Math.min(smallest, ProxySelection.sizeForRatio(ratio, examples));
            }
        }
        int smallerHalf = smallest / 2;
        if (config.search().batchSize() > smallerHalf) {
            throw new UserError("search.batchSize: " + config.search().batchSize() + " exceeds the "
                    + smallerHalf + " examples of the smaller half of the smallest search (" + smallest
                    + " examples)");
        }
    }

    private StageStore.Key scoringKey() throws IOException {
        ExperimentConfig.Scoring s = config.scoring();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dataset", config.dataset());
        settings.put("limit", config.limit());
        settings.put("testLimit", config.testLimit());
        if (s.scores() != null) {
            settings.put("scoresSha256", org.proxynas.common.Checksums.sha256(Path.of(s.scores())));
        } else {
            settings.put("arch", s.arch());
            settings.put("epochs", s.epochs());
            settings.put("batchSize", s.batchSize());
            settings.put("lr", s.lr());
            settings.put("seed", config.seeds().get(0));
        }
        return StageStore.key("scoring", "scores", settings);
    }

    private Path embeddingsOf(StageStore.Key scoringKey) {
        Path emb = store.dir(scoringKey).resolve(EMBEDDINGS);
        return Files.isRegularFile(emb) ? emb : null;
    }

    /** A stage's work: run in its directory under a context whose resume flag says whether it continues. */
    private interface StageWork {
        StageStore.Finished run(Path dir, RunContext stageContext) throws IOException;
    }

    /**
     * Every stage goes through here: reused when its {@code done.json} still matches, else run (continuing
     * its {@code checkpoint} under --resume), recorded in the store, timed on the progress line.
     */
    private StageStore.Done stage(StageStore.Key key, String checkpoint, String description, double units,
            StageWork work) throws IOException {
        StageStore.Done done = store.done(key);
        if (done != null) {
            clock.cached(key.kind(), key.label(), done.seconds(), units);
            return done;
        }
        boolean continues = store.prepare(key, checkpoint, context.resume());
        clock.start(key.kind(), description, units);
        StageStore.Finished finished = work.run(store.dir(key), context.withResume(continues));
        done = store.markDone(key, finished);
        clock.finish(key.kind(), finished.seconds());
        onStageDone.accept(key);
        return done;
    }

    /** Step 1, once: the baseline's scores of the (first {@code limit}) training examples. */
    private Path score(StageStore.Key key) throws IOException {
        ExperimentConfig.Scoring s = config.scoring();
        String checkpoint = SCORES + ".ckpt/" + TrainingLoop.CHECKPOINT;
        stage(key, checkpoint, "baseline " + s.arch() + ", " + s.epochs() + " epochs", 1, (dir, stageContext) -> {
            if (s.scores() != null) {
                Path given = Path.of(s.scores());
                Files.copy(given, dir.resolve(SCORES), StandardCopyOption.REPLACE_EXISTING);
                Path summary = ScoresCsv.summaryOf(given);
                if (Files.isRegularFile(summary)) {
                    Files.copy(summary, ScoresCsv.summaryOf(dir.resolve(SCORES)), StandardCopyOption.REPLACE_EXISTING);
                }
                return StageStore.Finished.of(0, Map.of(), SCORES);
            }
            ScoringSummary summary = ScoringJob.run(ScoringConfig.builder()
                    .setDataset(config.dataset())
                    .setOut(dir.resolve(SCORES))
                    .optArch(s.arch())
                    .optEpochs(s.epochs())
                    .optBatchSize(s.batchSize())
                    .optLr(s.lr())
                    .optMilestones(LrSchedule.MultiStep.scaledMilestones(s.epochs()))
                    .optSeed(config.seeds().get(0))
                    .optLimit(config.limit())
                    .optTestLimit(config.testLimit())
                    .optEmbeddings(dir.resolve(EMBEDDINGS))
                    .build(), stageContext).summary();
            return StageStore.Finished.of(summary.wallSeconds(), Map.of("trainAccuracy", summary.trainAccuracy(),
                    "testAccuracy", summary.testAccuracy()), SCORES, EMBEDDINGS);
        });
        return store.dir(key).resolve(SCORES);
    }

    /** Step 2: one proxy set. Cheap, but cached like the rest so its indices never change under a search. */
    private Proxy select(Path scores, StageStore.Key scoringKey, String method, double ratio, long seed)
            throws IOException {
        double binWidth = config.selection().binWidth() > 0 ? config.selection().binWidth()
                : ProxyDataSelector.defaultBinWidth(config.dataset());
        StageStore.Key key = StageStore.key("selection", label(method, ratio, seed),
                Map.of("method", method, "ratio", ratio, "seed", seed, "binWidth", binWidth), scoringKey);
        StageStore.Done done = stage(key, null, method + " ratio " + ratio + " seed " + seed, 1,
                (dir, stageContext) -> {
                    ProxySet set = SelectionJob.run(SelectionConfig.builder()
                            .setScores(scores)
                            .setOut(dir.resolve(PROXY))
                            .setRatio(ratio)
                            .optEmbeddings(embeddingsOf(scoringKey))
                            .optMethod(method)
                            .optSeed(seed)
                            .optBinWidth(binWidth)
                            .optPlot(dir.resolve("proxy.png"))
                            .build(), stageContext);
                    return StageStore.Finished.of(set.wallSeconds(), Map.of("size", set.size()), PROXY);
                });
        return new Proxy(method, ratio, seed, done.result().path("size").asInt(), done.seconds(), key,
                store.dir(key).resolve(PROXY));
    }

    /** The "full" baseline: every scored example, written as a subset file so it runs the same path. */
    private Proxy fullData(int n) throws IOException {
        StageStore.Key key = StageStore.key("selection", ExperimentConfig.FULL,
                Map.of("dataset", config.dataset(), "examples", n));
        stage(key, null, "all " + n + " examples", 1, (dir, stageContext) -> {
            SubsetFile.writeFirst(dir.resolve(SUBSET), ExperimentConfig.FULL, n, provenance("none"));
            return StageStore.Finished.of(0, Map.of("size", n), SUBSET);
        });
        return new Proxy(ExperimentConfig.FULL, 1.0, -1, n, 0, key, store.dir(key).resolve(SUBSET));
    }

    /** The search settings the config gives {@code algorithm}, short of the proxy and the resume flag. */
    private SearchConfig.Builder searchConfig(String algorithm, long seed, Path dir) {
        ExperimentConfig.Search s = config.search();
        return SearchConfig.builder()
                .setDataset(config.dataset())
                .setAlgorithm(algorithm)
                .setOutDir(dir)
                .optEpochs(s.epochs())
                .optLayers(s.layers())
                .optChannels(s.channels())
                .optNodes(s.nodes())
                .optMultiplier(s.nodes())
                .optBatchSize(s.batchSize())
                .optSgas(s.sgas().settings())
                .optSeed(seed);
    }

    /**
     * What a search stage's hash covers. The node count enters only when it is not DARTS' 4, and SGAS'
     * schedule only for SGAS, so stages of experiments run before these settings existed stay valid.
     */
    private Map<String, Object> searchSettings(String algorithm, long seed) {
        ExperimentConfig.Search s = config.search();
        Map<String, Object> settings = new HashMap<>(Map.of("algorithm", algorithm, "seed", seed,
                "epochs", s.epochs(), "layers", s.layers(), "channels", s.channels(), "batchSize", s.batchSize()));
        if (s.nodes() != SearchConfig.DEFAULT_NODES) {
            settings.put("nodes", s.nodes());
        }
        if (algorithm.equals("sgas")) {
            settings.put("sgas", s.sgas());
        }
        return settings;
    }

    /** Steps 3 and 4 for one proxy, algorithm and seed. */
    private RunResult searchAndEvaluate(Proxy proxy, String algorithm, long seed) throws IOException {
        String label = label(proxy.method(), proxy.ratio(), seed) + "-" + algorithm;
        StageStore.Key searchKey = StageStore.key("search", label, searchSettings(algorithm, seed), proxy.key());
        StageStore.Done search = stage(searchKey, SearchJob.CHECKPOINT, label + " on " + proxy.size() + " examples",
                proxy.size(), (dir, stageContext) -> {
                    SearchResult result = SearchJob.run(searchConfig(algorithm, seed, dir)
                            .optSubsetFile(proxy.file())
                            .build(), stageContext);
                    return StageStore.Finished.of(result.wallSeconds(),
                            Map.of("genotype", result.genotype().toDartsString()), "genotype.json");
                });
        String genotypeText = search.result().path("genotype").asText();

        ExperimentConfig.Evaluation e = config.evaluation();
        StageStore.Key evalKey = StageStore.key("evaluation", label, Map.of("epochs", e.epochs(),
                "layers", e.layers(), "channels", e.channels(), "batchSize", e.batchSize(),
                "auxiliary", e.auxiliary(), "cutout", e.cutout(), "dropPath", e.dropPath(),
                "trainLimit", e.trainLimit(), "testLimit", config.testLimit(), "seed", seed), searchKey);
        StageStore.Done evaluated = stage(evalKey, TrainingLoop.CHECKPOINT, label + ", " + e.epochs() + " epochs", 1,
                (dir, stageContext) -> {
                    EvaluationConfig.Builder b = EvaluationConfig.builder()
                            .setDataset(config.dataset())
                            .setNetwork(new NetworkSpec.Cells(label, Genotype.parse(genotypeText), e.layers(),
                                    e.channels(), e.auxiliary()))
                            .setOutputDir(dir)
                            .optEpochs(e.epochs())
                            .optBatchSize(e.batchSize())
                            .optCutout(e.cutout())
                            .optDropPath(e.dropPath())
                            .optTestLimit(config.testLimit())
                            .optSeed(seed);
                    if (e.trainLimit() > 0) {
                        b.optTrainSubset(trainLimitSubset(e.trainLimit()));
                    }
                    EvaluationResult result = EvaluationJob.run(b.build(), stageContext);
                    return StageStore.Finished.of(result.wallSeconds(), result, EvaluationJob.RESULT);
                });
        EvaluationResult evaluation = Json.MAPPER.treeToValue(evaluated.result(), EvaluationResult.class);
        return new RunResult(proxy.method(), proxy.ratio(), seed, algorithm, proxy.size(), proxy.seconds(),
                search.seconds(), evaluation.wallSeconds(), genotypeText, evaluation.parameters(),
                evaluation.finalTestAccuracy(), evaluation.bestTestAccuracy(),
                out.relativize(store.dir(proxy.key())).toString(), out.relativize(store.dir(searchKey)).toString(),
                out.relativize(store.dir(evalKey)).toString());
    }

    /** The first {@code n} training examples, as a subset file the evaluation reads. */
    private Path trainLimitSubset(int n) throws IOException {
        Path file = out.resolve("subsets").resolve("train-first-" + n + ".json");
        if (!Files.isRegularFile(file)) {
            SubsetFile.writeFirst(file, "first", n, provenance("none"));
        }
        return file;
    }

    /** This experiment's provenance now; {@code device} is what the stage at hand computed on. */
    private Provenance provenance(String device) {
        return Provenance.capture(device, context.command());
    }

    private static String label(String method, double ratio, long seed) {
        return String.format(Locale.ROOT, "%s-r%s-s%d", method, ratio, seed);
    }

    private List<String> reproduceCommands() {
        return List.of(
                ShellWords.join(List.of("./proxynas", "experiment", "--config", out.resolve("experiment.yaml").toString(),
                        "--out", out.toString())),
                ShellWords.join(List.of("./proxynas", "report", out.toString())));
    }
}
