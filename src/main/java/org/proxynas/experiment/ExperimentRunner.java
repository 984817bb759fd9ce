package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.RunContext;
import org.proxynas.common.ShellWords;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.data.SubsetFile;
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
import org.proxynas.select.EntropyHistogramSelector;
import org.proxynas.select.MethodLabel;
import org.proxynas.select.Selectors;
import org.proxynas.select.SelectionJob;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.TrainResult;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.NetworkSpec;

/**
 * Runs one experiment: score once, select every proxy, search on every proxy and on the full data, train
 * every found cell with the same budget, for every seed; then, when the config has a {@code ranking} section,
 * the ranking study on the same scores ({@link RankStudy}); then write {@code results.json}, from which
 * {@code report.ReportBuilder} renders the report.
 *
 * <p>Each stage is a job that reads files and writes its own directory under {@code DIR/stages}, keyed by
 * the hash of its settings and inputs, through the one cache-or-run path of {@link Stages}. So a rerun skips
 * finished stages, a changed setting reruns only the stages downstream of it, and with {@code resume} an
 * interrupted stage continues from its last checkpoint (without it, the interrupted stage starts over).
 */
public final class ExperimentRunner implements Study<ExperimentResults> {
    public static final String RESULTS = "results.json";
    /** The config as the user wrote it, saved with the results for the report and to run it again. */
    static final String CONFIG = "experiment.yaml";
    /** The stages whose wall time {@code results.json} records, in pipeline order. */
    static final String[] STAGES = {"scoring", "selection", "search", "training"};
    private static final String SCORES = "scores.csv";
    private static final String EMBEDDINGS = "embeddings.bin";

    private final ExperimentConfig config;
    private final String configText;
    private final Path out;
    private final RunContext context;
    private final Stages stages;
    private final StageClock clock;
    private StageCluster cluster;
    private Plan plan;

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
        this.clock = new StageClock(log, "experiment", STAGES);
        this.stages = new Stages(out, context, clock);
    }

    /**
     * Called after each stage that ran (not for reused ones) has recorded its outputs: a place to report
     * progress elsewhere, or, in tests, to simulate a crash between two stages.
     */
    public ExperimentRunner onStageDone(Consumer<StageStore.Key> listener) {
        stages.onStageDone(listener);
        return this;
    }

    /**
     * Runs the experiment's stages on {@code cluster} instead of in this process: every stage whose inputs are
     * done at once, each as a task of a worker that sees this experiment's directory at the same path.
     */
    public ExperimentRunner onCluster(StageCluster cluster) {
        this.cluster = cluster;
        return this;
    }

    /** Runs every stage not done yet, then writes and returns results.json. */
    public ExperimentResults run() throws IOException {
        return Studies.run(this, cluster);
    }

    @Override
    public Stages stages() {
        return stages;
    }

    @Override
    public StageGraph plan() throws IOException {
        int examples = validate();
        plan = plan(examples);
        planWork(examples);
        if (plan.ranking() != null) {
            plan.ranking().planWork();
        }
        return plan.graph();
    }

    @Override
    public void start() throws IOException {
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve(CONFIG), configText);
        if (plan.ranking() != null) {
            plan.ranking().writeArchitectures();
        }
    }

    @Override
    public StudyDefinition definition() {
        return StudyDefinition.of(StudyDefinition.EXPERIMENT, config, stages.provenance("none"));
    }

    @Override
    public ExperimentResults collect() throws IOException {
        String device = ComputeDevice.describe(context.device().resolve());
        List<RunResult> runs = new ArrayList<>();
        for (PlannedRun run : plan.runs()) {
            runs.add(run.result());
        }
        RankResults rankResults = plan.ranking() == null ? null : plan.ranking().results(device);
        ExperimentResults results = new ExperimentResults(config, clock.secondsByStage(), runs,
                SummaryRow.summarize(runs), rankResults, ProxyStage.classWarnings(plan.sets()),
                SelectionJob.load(plan.scores(), null, null).scorer(), reproduceCommands(),
                stages.provenance(device));
        Json.write(out.resolve(RESULTS), results);
        return results;
    }

    /** Every stage of the experiment, and how to read its results once they ran. */
    private record Plan(StageGraph graph, Path scores, List<ProxyStage> sets, List<PlannedRun> runs,
            RankStudy ranking) {}

    /**
     * Steps 3 and 4 for one proxy, algorithm and seed: the search and the training of the cell it finds. The proxy is
     * a selection stage's ({@code proxy}), or, for an adaptive method, the search's own (null; no selection stage).
     *
     * @param scoringKey the scoring stage whose time the run's method pays for, or null for one that reads no scores
     */
    private record PlannedRun(String method, double ratio, int size, ProxyStage proxy, String algorithm, long seed,
            StageStore.Key scoringKey, StageStore.Key searchKey, StageStore.Key trainingKey, Stages stages, Path out) {
        RunResult result() throws IOException {
            StageStore.Done search = stages.done(searchKey);
            StageStore.Done evaluated = stages.done(trainingKey);
            TrainResult trained = Json.MAPPER.treeToValue(evaluated.result(), TrainResult.class);
            Path model = stages.dir(trainingKey).resolve(ModelDirectory.DIR);
            return new RunResult(method, ratio, seed, algorithm,
                    proxy == null ? size : stages.done(proxy.key()).result().path("size").asInt(),
                    proxy == null ? 0 : proxy.seconds(stages), search.seconds(),
                    search.result().path("reselectionSeconds").asDouble(0),
                    scoringKey == null ? 0 : stages.done(scoringKey).seconds(),
                    trained.wallSeconds(), search.result().path("genotype").asText(), trained.parameters(),
                    trained.finalTestAccuracy(), trained.bestTestAccuracy(),
                    proxy == null ? null : out.relativize(stages.dir(proxy.key())).toString(),
                    out.relativize(stages.dir(searchKey)).toString(),
                    out.relativize(stages.dir(trainingKey)).toString(),
                    Files.isDirectory(model) ? out.relativize(model).toString() : null, classBalance());
        }

        /** The proxy's class balance: the selected set's, or the mean over an adaptive search's re-selections. */
        private Double classBalance() throws IOException {
            if (proxy != null) {
                return method.equals(ExperimentConfig.FULL) ? null : proxy.read().classBalance();
            }
            double sum = 0;
            int proxies = 0;
            for (String line : Files.readAllLines(stages.dir(searchKey).resolve("log.jsonl"))) {
                JsonNode counts = Json.MAPPER.readTree(line).path("reselection").path("classCounts");
                if (counts.isArray() && counts.size() > 0) {
                    int min = Integer.MAX_VALUE;
                    int max = 0;
                    for (JsonNode c : counts) {
                        min = Math.min(min, c.asInt());
                        max = Math.max(max, c.asInt());
                    }
                    sum += max == 0 ? 0 : (double) min / max;
                    proxies++;
                }
            }
            return proxies == 0 ? null : sum / proxies;
        }
    }

    /** The stage graph: score once, select every proxy, search and train on each, then the ranking study. */
    private Plan plan(int examples) throws IOException {
        StageGraph graph = new StageGraph();
        StageStore.Key scoringKey = scoringKey();
        // the ranking study checks its genotypes and batch size here, before anything is written
        RankStudy ranking = config.ranking() == null ? null
                : new RankStudy(config.rankConfig(stages.dir(scoringKey).resolve(SCORES), out), examples, stages,
                        context);
        Path scores = score(graph, scoringKey, examples);
        Path embeddings = config.scoring().scores() == null ? stages.dir(scoringKey).resolve(EMBEDDINGS) : null;
        double binWidth = config.selection().binWidth() > 0 ? config.selection().binWidth()
                : EntropyHistogramSelector.defaultBinWidth(config.dataset());
        List<ProxyStage> sets = new ArrayList<>();
        for (String method : proxyMethods()) {
            for (double ratio : config.selection().ratios()) {
                for (long seed : config.seeds()) {
                    sets.add(ProxyStage.select(graph, stages, scores, embeddings, scoringKey, examples, method, ratio,
                            seed, binWidth));
                }
            }
        }
        ProxyStage fullSet = searchesFullData() ? ProxyStage.full(graph, stages, config.dataset(), examples) : null;
        List<PlannedRun> runs = new ArrayList<>();
        for (String algorithm : config.search().algorithms()) {
            for (long seed : config.seeds()) {
                if (fullSet != null) {
                    runs.add(searchAndEvaluate(graph, fullSet, algorithm, seed, null));
                }
            }
            for (ProxyStage p : sets) {
                runs.add(searchAndEvaluate(graph, p, algorithm, p.seed(), usesScores(p.method()) ? scoringKey : null));
            }
            for (String method : adaptiveMethods()) {
                for (double ratio : config.selection().ratios()) {
                    for (long seed : config.seeds()) {
                        runs.add(adaptiveSearchAndEvaluate(graph, method, ratio, seed, algorithm, examples, binWidth));
                    }
                }
            }
        }
        if (ranking != null) {
            ranking.plan(graph, scoringKey, embeddings);
        }
        return new Plan(graph, scores, sets, runs, ranking);
    }

    /** The methods that select a static proxy: all but {@code full} and the adaptive ones. */
    private List<String> proxyMethods() {
        return config.selection().methods().stream().filter(m -> !m.equals(ExperimentConfig.FULL)
                && !AdaptiveMethod.names(m)).toList();
    }

    /** The adaptive methods (issue 37): searches that re-select their own proxy, with no selection stage. */
    private List<String> adaptiveMethods() {
        return config.selection().methods().stream().filter(AdaptiveMethod::names).toList();
    }

    /** Whether a static proxy method reads the scores, so that its cost includes the scoring stage's time. */
    private static boolean usesScores(String method) {
        MethodLabel m = MethodLabel.parse(method);
        return Selectors.create(m.name(), m.options(EntropyHistogramSelector.DEFAULT_BIN_WIDTH)).usesScores();
    }

    private boolean searchesFullData() {
        return config.selection().methods().contains(ExperimentConfig.FULL);
    }

    /** Jobs and work units per stage, for the overall progress line's ETA (search units: examples). */
    private void planWork(int examples) {
        List<String> methods = proxyMethods();
        boolean full = searchesFullData();
        int algorithms = config.search().algorithms().size();
        int seeds = config.seeds().size();
        ExperimentConfig.Scoring s = config.scoring();
        int scoringJobs = s.scores() != null || s.shards() == 1 ? 1
                : ScoringJob.shards(examples, scoringConfig(out).batchSize(), s.shards()).size() + 2;
        clock.plan("scoring", scoringJobs, 1);
        int searched = methods.size() + adaptiveMethods().size();
        for (double ratio : config.selection().ratios()) {
            int size = SelectionJob.sizeForRatio(ratio, examples);
            clock.plan("selection", methods.size() * seeds, methods.size() * seeds);
            clock.plan("search", searched * seeds * algorithms, (double) size * searched * seeds * algorithms);
            clock.plan("training", searched * seeds * algorithms, searched * seeds * algorithms);
        }
        if (full) {
            clock.plan("selection", 1, 1);
            clock.plan("search", seeds * algorithms, (double) examples * seeds * algorithms);
            clock.plan("training", seeds * algorithms, seeds * algorithms);
        }
    }

    /**
     * Everything that can be checked without doing work, so a bad config fails in the first second.
     * Returns the number of training examples the experiment scores.
     */
    private int validate() throws IOException {
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
        if (config.training().trainLimit() > train.size()) {
            throw new UserError("training.trainLimit: " + config.training().trainLimit()
                    + " is more than the " + train.size() + " training examples of " + config.dataset());
        }
        requireGivenScoresFit(train);
        config.training().requireRunnable(config.dataset(), train.height(), train.width(), config.testLimit(), out);
        int examples = config.limit() > 0 ? config.limit() : train.size();
        requireSearchBatchFits(examples);
        return examples;
    }

    /**
     * Given scores are read here, from the user's file, so a damaged one is named as the user wrote it (not as
     * the stage's copy) and no stage is marked done; and they must be this dataset's, checked as select checks
     * them, or every proxy set would be chosen by another dataset's entropies and labels.
     */
    private void requireGivenScoresFit(ImageDataset train) throws IOException {
        if (config.scoring().scores() == null) {
            return;
        }
        try {
            SelectionJob.LoadedScores given = SelectionJob.load(Path.of(config.scoring().scores()), null, null);
            SelectionJob.requireScoresOf(given, train, config.dataset());
        } catch (UserError e) {
            throw new UserError("scoring.scores: " + e.getMessage(), e);
        }
    }

    /** The search refuses a batch larger than either half of its data: find out before scoring, not after. */
    private void requireSearchBatchFits(int examples) {
        int smallest = examples;
        if (!config.selection().methods().stream().allMatch(ExperimentConfig.FULL::equals)) {
            for (double ratio : config.selection().ratios()) {
                smallest = Math.min(smallest, SelectionJob.sizeForRatio(ratio, examples));
            }
        }
        int smallerHalf = smallest / 2;
        int batchSize = config.search().config(config.dataset(), config.search().algorithms().get(0), 0, null, out)
                .batchSize();
        if (batchSize > smallerHalf) {
            throw new UserError("search.batchSize: " + batchSize + " exceeds the " + smallerHalf
                    + " examples of the smaller half of the smallest search (" + smallest + " examples)");
        }
    }

    /**
     * The stage that makes the experiment's scores.csv: the scoring job's config (its shard count when above 1), or
     * the given scores' checksum.
     */
    private StageStore.Key scoringKey() throws IOException {
        ExperimentConfig.Scoring s = config.scoring();
        if (s.scores() != null) {
            return StageStore.key("scoring", "scores", new GivenScores(config.dataset(), config.limit(),
                    config.testLimit(), org.proxynas.common.Checksums.sha256(Path.of(s.scores()))));
        }
        ScoringConfig scoring = scoringConfig(out);
        return s.shards() > 1 ? StageStore.key("scoring", "scores", new ShardedScoring(scoring, s.shards()))
                : StageStore.key("scoring", "scores", scoring);
    }

    /** What the stage of a given scores file depends on: the file's content, and the data it is used with. */
    private record GivenScores(String dataset, int limit, int testLimit, String scoresSha256) {}

    /** What a sharded scoring depends on: the scoring, and how many parts it merges. */
    private record ShardedScoring(ScoringConfig scoring, int shards) {}

    /**
     * Step 1, once: the baseline's scores of the (first {@code limit}) training examples, by the stage
     * {@code key}. With {@code scoring.shards} above 1, that stage merges the scores of as many shard stages,
     * each scoring a range of examples with the model of a baseline stage before them.
     */
    private Path score(StageGraph graph, StageStore.Key key, int examples) throws IOException {
        ExperimentConfig.Scoring s = config.scoring();
        if (s.scores() != null) {
            graph.add(key, List.of(), null, "given scores " + s.scores(), 1, (dir, stageContext) -> {
                Path given = Path.of(s.scores());
                Files.copy(given, dir.resolve(SCORES), StandardCopyOption.REPLACE_EXISTING);
                Path summary = ScoresCsv.summaryOf(given);
                if (Files.isRegularFile(summary)) {
                    Files.copy(summary, ScoresCsv.summaryOf(dir.resolve(SCORES)), StandardCopyOption.REPLACE_EXISTING);
                }
                return StageStore.Finished.of(0, Map.of(), SCORES);
            });
        } else if (s.shards() == 1) {
            ScoringConfig scoring = scoringConfig(out);
            graph.add(key, List.of(), CHECKPOINT, "baseline " + scoring.arch() + ", " + scoring.epochs() + " epochs", 1,
                    (dir, stageContext) -> scored(ScoringJob.run(scoringConfig(dir), stageContext).summary()));
        } else {
            scoreInShards(graph, key, examples);
        }
        return stages.dir(key).resolve(SCORES);
    }

    private static final String CHECKPOINT = SCORES + ".ckpt/" + TrainingLoop.CHECKPOINT;

    /** The baseline stage, a stage per shard, and the merge as stage {@code key}. */
    private void scoreInShards(StageGraph graph, StageStore.Key key, int examples) throws IOException {
        ExperimentConfig.Scoring s = config.scoring();
        StageStore.Key baselineKey = StageStore.key("scoring", "baseline", scoringConfig(out));
        // the baseline stage writes the model and baseline.json in its directory; the shards and the merge read them
        ScoringConfig baseline = scoringConfig(stages.dir(baselineKey));
        Path model = baseline.modelOut();
        graph.add(baselineKey, List.of(), CHECKPOINT, "baseline " + baseline.arch() + ", " + baseline.epochs()
                + " epochs", 1,
                (dir, stageContext) -> {
                    long start = System.nanoTime();
                    ScoringJob.trainBaselineOnly(baseline, stageContext);
                    return StageStore.Finished.of((System.nanoTime() - start) / 1e9, Map.of(),
                            model.getFileName().toString(), baseline.baselineJson().getFileName().toString());
                });
        List<int[]> ranges = ScoringJob.shards(examples, baseline.batchSize(), s.shards());
        List<StageStore.Key> shardKeys = new ArrayList<>();
        for (int[] range : ranges) {
            StageStore.Key shardKey = StageStore.key("scoring", "shard-" + range[0] + "-" + range[1],
                    new ShardRange(range[0], range[1]), baselineKey);
            graph.add(shardKey, List.of(baselineKey), null, "scores of examples " + range[0] + "-" + range[1], 0,
                    (dir, stageContext) -> {
                        long start = System.nanoTime();
                        ScoringJob.scoreShard(scoringConfig(dir).withModel(model), range[0], range[1],
                                stageContext);
                        return StageStore.Finished.of((System.nanoTime() - start) / 1e9, Map.of(), SCORES,
                                EMBEDDINGS);
                    });
            shardKeys.add(shardKey);
        }
        graph.add(key, shardKeys, null, "scores of " + ranges.size() + " shards", 0, (dir, stageContext) -> {
            double shardSeconds = 0;
            for (StageStore.Key k : shardKeys) {
                shardSeconds += stages.done(k).seconds();
            }
            ScoringConfig merged = scoringConfig(dir).withModel(model);
            return scored(ScoringJob.mergeShards(merged, baseline.baselineJson(),
                    shardKeys.stream().map(k -> stages.dir(k).resolve(SCORES)).toList(),
                    shardKeys.stream().map(k -> stages.dir(k).resolve(EMBEDDINGS)).toList(),
                    shardSeconds, stageContext).summary());
        });
    }

    /** The examples [from, to) a shard scores. */
    private record ShardRange(int from, int to) {}

    /** How the experiment scores, writing into {@code dir}. */
    private ScoringConfig scoringConfig(Path dir) {
        return config.scoringConfig(dir);
    }

    private static StageStore.Finished scored(ScoringSummary summary) {
        return StageStore.Finished.of(summary.wallSeconds(), Map.of("trainAccuracy", summary.trainAccuracy(),
                "testAccuracy", summary.testAccuracy()), SCORES, EMBEDDINGS);
    }

    /** Steps 3 and 4 for one static proxy, algorithm and seed; {@code scoringKey} as {@link PlannedRun} has it. */
    private PlannedRun searchAndEvaluate(StageGraph graph, ProxyStage proxy, String algorithm, long seed,
            StageStore.Key scoringKey) throws IOException {
        String label = ProxyStage.label(proxy.method(), proxy.ratio(), seed) + "-" + algorithm;
        ExperimentConfig.Search search = config.search();
        StageStore.Key searchKey = StageStore.key("search", label,
                search.config(config.dataset(), algorithm, seed, proxy.file(), out).resolved(), proxy.key());
        graph.add(searchKey, List.of(proxy.key()), SearchJob.CHECKPOINT, label + " on " + proxy.size() + " examples",
                proxy.size(), (dir, stageContext) -> searched(SearchJob.run(search.config(config.dataset(), algorithm,
                        seed, proxy.file(), dir), stageContext)));
        return evaluate(graph, proxy.method(), proxy.ratio(), proxy.size(), proxy, algorithm, seed, scoringKey,
                label, searchKey);
    }

    /**
     * Steps 3 and 4 for an adaptive method (issue 37): a search that starts from a random proxy of {@code ratio} of
     * the {@code examples} and re-selects it as it learns, so it depends on no scoring or selection stage.
     */
    private PlannedRun adaptiveSearchAndEvaluate(StageGraph graph, String method, double ratio, long seed,
            String algorithm, int examples, double binWidth) throws IOException {
        String label = ProxyStage.label(method, ratio, seed) + "-" + algorithm;
        AdaptiveMethod adaptive = AdaptiveMethod.parse(method).orElseThrow();
        ExperimentConfig.Search search = config.search();
        int size = SelectionJob.sizeForRatio(ratio, examples);
        StageStore.Key searchKey = StageStore.key("search", label, search.adaptiveConfig(config.dataset(), algorithm,
                seed, adaptive, ratio, examples, binWidth, out).resolved());
        graph.add(searchKey, List.of(), SearchJob.CHECKPOINT, label + " on " + size + " examples, re-selected",
                size, (dir, stageContext) -> searched(SearchJob.run(search.adaptiveConfig(config.dataset(), algorithm,
                        seed, adaptive, ratio, examples, binWidth, dir), stageContext)));
        return evaluate(graph, method, ratio, size, null, algorithm, seed, null, label, searchKey);
    }

    /** What a search stage records: its time (re-selections included), the genotype, the re-selections' time. */
    private static StageStore.Finished searched(SearchResult result) {
        return StageStore.Finished.of(result.wallSeconds(), Map.of("genotype", result.genotype().toDartsString(),
                "reselections", result.reselections(), "reselectionSeconds", result.reselectionSeconds()),
                "genotype.json");
    }

    /** Step 4 for the cell of the search {@code searchKey}. */
    private PlannedRun evaluate(StageGraph graph, String method, double ratio, int size, ProxyStage proxy,
            String algorithm, long seed, StageStore.Key scoringKey, String label, StageStore.Key searchKey)
            throws IOException {

        ExperimentConfig.Training t = config.training();
        ProxyStage trainSet = t.trainLimit() > 0 ? ProxyStage.full(graph, stages, config.dataset(), t.trainLimit())
                : null;
        Path trainSubset = trainSet == null ? null : trainSet.file();
        TrainConfig planned = t.config(config.dataset(), label, Genotype.named("DARTS_V2"), seed,
                config.testLimit(), trainSubset, out);
        // the cell is the search's output: the key holds the search's key in its place (and the label is the stage's)
        ObjectNode settings = StageStore.settings(planned);
        ((ObjectNode) settings.get("network")).remove(List.of("genotype", "source"));
        List<StageStore.Key> inputs = trainSet == null ? List.of(searchKey) : List.of(searchKey, trainSet.key());
        StageStore.Key trainingKey = StageStore.key("training", label, settings, inputs.toArray(StageStore.Key[]::new));
        graph.add(trainingKey, inputs, TrainingLoop.CHECKPOINT, label + ", " + planned.epochs() + " epochs", 1,
                (dir, stageContext) -> {
                    Genotype genotype = Genotype.parse(stages.done(searchKey).result().path("genotype").asText());
                    TrainResult result = TrainJob.run(t.config(config.dataset(), label, genotype, seed,
                            config.testLimit(), trainSubset, dir), stageContext);
                    return StageStore.Finished.of(result.wallSeconds(), result, TrainJob.RESULT,
                            ModelDirectory.DIR + "/" + ModelDirectory.MANIFEST);
                });
        return new PlannedRun(method, ratio, size, proxy, algorithm, seed, scoringKey, searchKey, trainingKey, stages,
                out);
    }

    private List<String> reproduceCommands() {
        return List.of(
                ShellWords.join(List.of("./proxynas", "experiment", "--config", out.resolve(CONFIG).toString(),
                        "--out", out.toString())),
                ShellWords.join(List.of("./proxynas", "report", out.toString())));
    }
}
