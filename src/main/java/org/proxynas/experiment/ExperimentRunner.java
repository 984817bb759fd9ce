package org.proxynas.experiment;

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
import org.proxynas.select.ProxyDataSelector;
import org.proxynas.select.ProxySelection;
import org.proxynas.train.EvaluationConfig;
import org.proxynas.train.EvaluationJob;
import org.proxynas.train.EvaluationResult;
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
public final class ExperimentRunner {
    public static final String RESULTS = "results.json";
    /** The config as the user wrote it, saved with the results; cluster workers read the experiment from it. */
    static final String CONFIG = "experiment.yaml";
    /** The stages whose wall time {@code results.json} records, in pipeline order. */
    static final String[] STAGES = {"scoring", "selection", "search", "evaluation"};
    private static final String SCORES = "scores.csv";
    private static final String EMBEDDINGS = "embeddings.bin";

    private final ExperimentConfig config;
    private final String configText;
    private final Path out;
    private final RunContext context;
    private final Stages stages;
    private final StageClock clock;
    private StageCluster cluster;

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
        this.stages = new Stages(out, CONFIG, context, clock);
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

    public ExperimentResults run() throws IOException {
        int examples = validate();
        Plan plan = plan(examples);
        String device = ComputeDevice.describe(context.device().resolve());
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve(CONFIG), configText);
        planWork(examples);
        if (plan.ranking() != null) {
            plan.ranking().planWork();
            plan.ranking().writeArchitectures();
        }
        stages.runAll(plan.graph(), cluster);

        List<RunResult> runs = new ArrayList<>();
        for (PlannedRun run : plan.runs()) {
            runs.add(run.result());
        }
        RankResults rankResults = plan.ranking() == null ? null : plan.ranking().results(device);
        ExperimentResults results = new ExperimentResults(config, clock.secondsByStage(), runs,
                SummaryRow.summarize(runs), rankResults, ProxyStage.classWarnings(plan.sets()),
                ProxySelection.load(plan.scores(), null, null).scorer(), reproduceCommands(),
                stages.provenance(device));
        Json.write(out.resolve(RESULTS), results);
        return results;
    }

    /**
     * Runs the one stage {@code hash} of the experiment in {@code out}, whose config {@link #run} wrote there:
     * a cluster task, on a worker ({@link StageTask}).
     */
    static void runStage(Path out, String hash, RunContext context) throws IOException {
        Path file = out.resolve(CONFIG);
        String text = ExperimentConfig.readText(file);
        ExperimentRunner runner = new ExperimentRunner(ExperimentConfig.parse(text, file.toString()), text, out,
                context, System.err);
        runner.stages.run(runner.plan(runner.validate()).graph().stage(hash));
    }

    /** Every stage of the experiment, and how to read its results once they ran. */
    private record Plan(StageGraph graph, Path scores, List<ProxyStage> sets, List<PlannedRun> runs,
            RankStudy ranking) {}

    /** Steps 3 and 4 for one proxy, algorithm and seed: the search and the training of the cell it finds. */
    private record PlannedRun(ProxyStage proxy, String algorithm, long seed, StageStore.Key searchKey,
            StageStore.Key evaluationKey, Stages stages, Path out) {
        RunResult result() throws IOException {
            StageStore.Done search = stages.done(searchKey);
            StageStore.Done evaluated = stages.done(evaluationKey);
            EvaluationResult evaluation = Json.MAPPER.treeToValue(evaluated.result(), EvaluationResult.class);
            Path model = stages.dir(evaluationKey).resolve(ModelDirectory.DIR);
            return new RunResult(proxy.method(), proxy.ratio(), seed, algorithm,
                    stages.done(proxy.key()).result().path("size").asInt(), proxy.seconds(stages), search.seconds(),
                    evaluation.wallSeconds(), search.result().path("genotype").asText(), evaluation.parameters(),
                    evaluation.finalTestAccuracy(), evaluation.bestTestAccuracy(),
                    out.relativize(stages.dir(proxy.key())).toString(),
                    out.relativize(stages.dir(searchKey)).toString(),
                    out.relativize(stages.dir(evaluationKey)).toString(),
                    Files.isDirectory(model) ? out.relativize(model).toString() : null);
        }
    }

    /** The stage graph: score once, select every proxy, search and train on each, then the ranking study. */
    private Plan plan(int examples) throws IOException {
        StageGraph graph = new StageGraph();
        StageStore.Key scoringKey = scoringKey();
        // the ranking study checks its genotypes and batch size here, before anything is written
        RankStudy ranking = config.ranking() == null ? null
                : new RankStudy(rankConfig(stages.dir(scoringKey).resolve(SCORES)), examples, stages);
        Path scores = score(graph, scoringKey, examples);
        Path embeddings = config.scoring().scores() == null ? stages.dir(scoringKey).resolve(EMBEDDINGS) : null;
        double binWidth = config.selection().binWidth() > 0 ? config.selection().binWidth()
                : ProxyDataSelector.defaultBinWidth(config.dataset());
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
                    runs.add(searchAndEvaluate(graph, fullSet, algorithm, seed));
                }
            }
            for (ProxyStage p : sets) {
                runs.add(searchAndEvaluate(graph, p, algorithm, p.seed()));
            }
        }
        if (ranking != null) {
            ranking.plan(graph, scoringKey, embeddings);
        }
        return new Plan(graph, scores, sets, runs, ranking);
    }

    private List<String> proxyMethods() {
        return config.selection().methods().stream().filter(m -> !m.equals(ExperimentConfig.FULL)).toList();
    }

    private boolean searchesFullData() {
        return config.selection().methods().contains(ExperimentConfig.FULL);
    }

    /** The ranking section as a study of its own over the experiment's scores, seeds and test limit. */
    private RankConfig rankConfig(Path scores) {
        ExperimentConfig.Ranking r = config.ranking();
        return RankConfig.builder()
                .setDataset(config.dataset())
                .setScores(scores)
                .setOut(out)
                .optMethods(r.methods())
                .optRatio(r.ratio())
                .optArchitectures(r.architectures())
                .optGenotypes(r.genotypes())
                .optSampleSeed(r.sampleSeed())
                .optSeeds(config.seeds())
                .optBudget(r.budget())
                .optEpochs(r.epochs())
                .optLayers(r.layers())
                .optChannels(r.channels())
                .optBatchSize(r.batchSize())
                .optTestLimit(config.testLimit())
                .optTopK(r.topK())
                .optBinWidth(config.selection().binWidth())
                .build();
    }

    /** Jobs and work units per stage, for the overall progress line's ETA (search units: examples). */
    private void planWork(int examples) {
        List<String> methods = proxyMethods();
        boolean full = searchesFullData();
        int algorithms = config.search().algorithms().size();
        int seeds = config.seeds().size();
        ExperimentConfig.Scoring s = config.scoring();
        int scoringJobs = s.scores() != null || s.shards() == 1 ? 1
                : ScoringJob.shards(examples, s.batchSize(), s.shards()).size() + 2;
        clock.plan("scoring", scoringJobs, 1);
        for (double ratio : config.selection().ratios()) {
            int size = ProxySelection.sizeForRatio(ratio, examples);
            clock.plan("selection", methods.size() * seeds, methods.size() * seeds);
            clock.plan("search", methods.size() * seeds * algorithms, (double) size * methods.size() * seeds * algorithms);
            clock.plan("evaluation", methods.size() * seeds * algorithms, methods.size() * seeds * algorithms);
        }
        if (full) {
            clock.plan("selection", 1, 1);
            clock.plan("search", seeds * algorithms, (double) examples * seeds * algorithms);
            clock.plan("evaluation", seeds * algorithms, seeds * algorithms);
        }
    }

    /**
     * Everything that can be checked without doing work, so a bad config fails in the first second.
     * Returns the number of training examples the experiment scores.
     */
    private int validate() throws IOException {
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

    /**
     * The stage that makes the experiment's scores.csv. The shard count enters its key only above 1, so the
     * scores of experiments run before shards existed stay valid.
     */
    private StageStore.Key scoringKey() throws IOException {
        Map<String, Object> settings = scoringSettings();
        if (config.scoring().shards() > 1) {
            settings.put("shards", config.scoring().shards());
        }
        return StageStore.key("scoring", "scores", settings);
    }

    /** What the scores depend on: the data and the baseline's recipe, or the given scores' checksum. */
    private Map<String, Object> scoringSettings() throws IOException {
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
            // the small-set recipe's settings enter only where they differ from the paper's, so scores made
            // before they existed stay valid
            if (!s.schedule().equals(ScoringConfig.STEP)) {
                settings.put("schedule", s.schedule());
            }
            if (!s.augment()) {
                settings.put("augment", false);
            }
        }
        return settings;
    }

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
            graph.add(key, List.of(), CHECKPOINT, "baseline " + s.arch() + ", " + s.epochs() + " epochs", 1,
                    (dir, stageContext) -> scored(ScoringJob.run(scoringConfig(dir).build(), stageContext).summary()));
        } else {
            scoreInShards(graph, key, examples);
        }
        return stages.dir(key).resolve(SCORES);
    }

    private static final String CHECKPOINT = SCORES + ".ckpt/" + TrainingLoop.CHECKPOINT;

    /** The baseline stage, a stage per shard, and the merge as stage {@code key}. */
    private void scoreInShards(StageGraph graph, StageStore.Key key, int examples) throws IOException {
        ExperimentConfig.Scoring s = config.scoring();
        Map<String, Object> baselineSettings = scoringSettings();
        baselineSettings.put("part", "baseline");
        StageStore.Key baselineKey = StageStore.key("scoring", "baseline", baselineSettings);
        // the baseline stage writes the model and baseline.json in its directory; the shards and the merge read them
        ScoringConfig baseline = scoringConfig(stages.dir(baselineKey)).build();
        Path model = baseline.modelOut();
        graph.add(baselineKey, List.of(), CHECKPOINT, "baseline " + s.arch() + ", " + s.epochs() + " epochs", 1,
                (dir, stageContext) -> {
                    long start = System.nanoTime();
                    ScoringJob.trainBaselineOnly(baseline, stageContext);
                    return StageStore.Finished.of((System.nanoTime() - start) / 1e9, Map.of(),
                            model.getFileName().toString(), baseline.baselineJson().getFileName().toString());
                });
        List<int[]> ranges = ScoringJob.shards(examples, s.batchSize(), s.shards());
        List<StageStore.Key> shardKeys = new ArrayList<>();
        for (int[] range : ranges) {
            StageStore.Key shardKey = StageStore.key("scoring", "shard-" + range[0] + "-" + range[1],
                    Map.of("from", range[0], "to", range[1]), baselineKey);
            graph.add(shardKey, List.of(baselineKey), null, "scores of examples " + range[0] + "-" + range[1], 0,
                    (dir, stageContext) -> {
                        long start = System.nanoTime();
                        ScoringJob.scoreShard(scoringConfig(dir).optModel(model).build(), range[0], range[1],
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
            ScoringConfig merged = scoringConfig(dir).optModel(model).build();
            return scored(ScoringJob.mergeShards(merged, baseline.baselineJson(),
                    shardKeys.stream().map(k -> stages.dir(k).resolve(SCORES)).toList(),
                    shardKeys.stream().map(k -> stages.dir(k).resolve(EMBEDDINGS)).toList(),
                    shardSeconds, stageContext).summary());
        });
    }

    /** How the experiment scores, writing into {@code dir}. */
    private ScoringConfig.Builder scoringConfig(Path dir) {
        ExperimentConfig.Scoring s = config.scoring();
        return ScoringConfig.builder()
                .setDataset(config.dataset())
                .setOut(dir.resolve(SCORES))
                .optArch(s.arch())
                .optEpochs(s.epochs())
                .optBatchSize(s.batchSize())
                .optLr(s.lr())
                .optSchedule(s.schedule())
                .optAugment(s.augment())
                .optSeed(config.seeds().get(0))
                .optLimit(config.limit())
                .optTestLimit(config.testLimit())
                .optEmbeddings(dir.resolve(EMBEDDINGS));
    }

    private static StageStore.Finished scored(ScoringSummary summary) {
        return StageStore.Finished.of(summary.wallSeconds(), Map.of("trainAccuracy", summary.trainAccuracy(),
                "testAccuracy", summary.testAccuracy()), SCORES, EMBEDDINGS);
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
    private PlannedRun searchAndEvaluate(StageGraph graph, ProxyStage proxy, String algorithm, long seed)
            throws IOException {
        String label = ProxyStage.label(proxy.method(), proxy.ratio(), seed) + "-" + algorithm;
        StageStore.Key searchKey = StageStore.key("search", label, searchSettings(algorithm, seed), proxy.key());
        graph.add(searchKey, List.of(proxy.key()), SearchJob.CHECKPOINT, label + " on " + proxy.size() + " examples",
                proxy.size(), (dir, stageContext) -> {
                    SearchResult result = SearchJob.run(searchConfig(algorithm, seed, dir)
                            .optSubsetFile(proxy.file())
                            .build(), stageContext);
                    return StageStore.Finished.of(result.wallSeconds(),
                            Map.of("genotype", result.genotype().toDartsString()), "genotype.json");
                });

        ExperimentConfig.Evaluation e = config.evaluation();
        StageStore.Key evalKey = StageStore.key("evaluation", label, Map.of("epochs", e.epochs(),
                "layers", e.layers(), "channels", e.channels(), "batchSize", e.batchSize(),
                "auxiliary", e.auxiliary(), "cutout", e.cutout(), "dropPath", e.dropPath(),
                "trainLimit", e.trainLimit(), "testLimit", config.testLimit(), "seed", seed), searchKey);
        graph.add(evalKey, List.of(searchKey), TrainingLoop.CHECKPOINT, label + ", " + e.epochs() + " epochs", 1,
                (dir, stageContext) -> {
                    String genotype = stages.done(searchKey).result().path("genotype").asText();
                    EvaluationConfig.Builder b = EvaluationConfig.builder()
                            .setDataset(config.dataset())
                            .setNetwork(new NetworkSpec.Cells(label, Genotype.parse(genotype), e.layers(),
                                    e.channels(), e.auxiliary()))
                            .setOutputDir(dir)
                            .optEpochs(e.epochs())
                            .optBatchSize(e.batchSize())
                            .optCutout(e.cutout())
                            .optDropPath(e.dropPath())
                            .optTestLimit(config.testLimit())
                            .optPrecision(e.precision())
                            .optSeed(seed);
                    if (e.trainLimit() > 0) {
                        b.optTrainSubset(trainLimitSubset(e.trainLimit()));
                    }
                    EvaluationResult result = EvaluationJob.run(b.build(), stageContext);
                    return StageStore.Finished.of(result.wallSeconds(), result, EvaluationJob.RESULT,
                            ModelDirectory.DIR + "/" + ModelDirectory.MANIFEST);
                });
        return new PlannedRun(proxy, algorithm, seed, searchKey, evalKey, stages, out);
    }

    /** The first {@code n} training examples, as a subset file the evaluation reads. */
    private Path trainLimitSubset(int n) throws IOException {
        Path file = out.resolve("subsets").resolve("train-first-" + n + ".json");
        if (!Files.isRegularFile(file)) {
            SubsetFile.writeFirst(file, "first", n, stages.provenance("none"));
        }
        return file;
    }

    private List<String> reproduceCommands() {
        return List.of(
                ShellWords.join(List.of("./proxynas", "experiment", "--config", out.resolve(CONFIG).toString(),
                        "--out", out.toString())),
                ShellWords.join(List.of("./proxynas", "report", out.toString())));
    }
}
