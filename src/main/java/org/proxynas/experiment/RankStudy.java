package org.proxynas.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.proxynas.common.Checksums;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.data.Split;
import org.proxynas.experiment.RankResults.Estimate;
import org.proxynas.experiment.RankResults.MethodRanking;
import org.proxynas.experiment.RankResults.Training;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.GenotypeSampler;
import org.proxynas.score.ScorerRegime;
import org.proxynas.select.EntropyHistogramSelector;
import org.proxynas.select.SelectionJob;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.TrainResult;
import org.proxynas.train.NetworkSpec;

/**
 * The ranking study: trains a fixed sample of architectures on all scored data and on each method's proxy,
 * with one network shape and one budget, and measures per method how well the proxy accuracies keep the
 * full-data order (Kendall's τ-b, Spearman's ρ, top-k overlap, each with a bootstrap interval over
 * architectures) and what the proxy trainings cost.
 *
 * <p>Every selection and training is a stage of the directory's store ({@link Stages}), keyed by its own
 * settings and inputs, never by the list of methods: adding a method or a seed trains only what is new, and an
 * experiment's {@code ranking:} section reuses the selections its searches made.
 */
public final class RankStudy implements Study<RankResults> {
    public static final String RESULTS = "rank.json";
    public static final String ARCHITECTURES = "architectures.json";
    static final String[] STAGES = {"selection", "training"};

    private final RankConfig config;
    private final int examples;
    private final Stages stages;
    private final RunContext context;
    private final List<Candidate> candidates;
    private StageCluster cluster;
    private final List<ProxyStage> proxies = new ArrayList<>();
    private final List<PlannedTraining> trainings = new ArrayList<>();

    /** One training of the plan: the architecture, the set, the seed, and the stage that trains it. */
    private record PlannedTraining(Candidate candidate, ProxyStage set, long seed, StageStore.Key key) {}

    /** An architecture to train: its name in tables and stage labels, how the user named it, its cells. */
    private record Candidate(String name, String source, Genotype genotype) {}

    /** What {@code architectures.json} holds: the trained set, so every run and reader sees the same one. */
    private record ArchitecturesFile(long sampleSeed, int sampled, List<Entry> architectures, Provenance provenance) {
        record Entry(String name, String source, String genotype) {}
    }

    /**
     * The study over {@code examples} scored examples, in {@code stages}' directory. Checks what can be checked
     * before any work: the genotypes resolve and differ, and the smallest proxy holds a batch.
     */
    RankStudy(RankConfig config, int examples, Stages stages, RunContext context) throws IOException {
        int proxy = SelectionJob.sizeForRatio(config.ratio(), examples);
        if (proxy < config.batchSize()) {
            throw new UserError("batchSize " + config.batchSize() + " exceeds the " + proxy
                    + " examples of a ratio " + config.ratio() + " proxy of " + examples + " scored examples");
        }
        this.config = config;
        this.examples = examples;
        this.stages = stages;
        this.context = context;
        this.candidates = candidates(config);
    }

    /**
     * The study alone: over the scores its config names, in its own directory ({@code config.out()}, where it
     * writes architectures.json and rank.json, from which {@code report.ReportBuilder.writeRank} renders
     * rank.html), with its progress line on {@code log}.
     */
    public RankStudy(RankConfig config, RunContext context, PrintStream log) throws IOException {
        this(config, scoredExamples(config), new Stages(config.out(), context, new StageClock(log, "rank", STAGES)),
                context);
    }

    /** Runs the study's stages on {@code cluster} instead of in this process (null: here). */
    public RankStudy onCluster(StageCluster cluster) {
        this.cluster = cluster;
        return this;
    }

    /** Runs every stage not done yet, then writes and returns rank.json. */
    public RankResults run() throws IOException {
        return Studies.run(this, cluster);
    }

    @Override
    public Stages stages() {
        return stages;
    }

    @Override
    public StageGraph plan() throws IOException {
        StageGraph graph = graph();
        planWork();
        return graph;
    }

    @Override
    public void start() throws IOException {
        writeArchitectures();
    }

    @Override
    public StudyDefinition definition() {
        return StudyDefinition.of(StudyDefinition.RANK, config.absolute(), stages.provenance("none"));
    }

    @Override
    public RankResults collect() throws IOException {
        RankResults results = results(ComputeDevice.describe(context.device().resolve()));
        Json.write(config.out().resolve(RESULTS), results);
        return results;
    }

    /** The study's stages when it runs alone, on the scores the user gave. */
    private StageGraph graph() throws IOException {
        StageGraph graph = new StageGraph();
        StageStore.Key scoresKey = StageStore.key("scores", "scores",
                Map.of("dataset", config.dataset(), "scoresSha256", Checksums.sha256(config.scores())));
        plan(graph, scoresKey, null);
        return graph;
    }

    /** The scored examples ("all data"), after checking the scores can belong to the dataset. */
    private static int scoredExamples(RankConfig config) throws IOException {
        if (!Files.isRegularFile(config.scores())) {
            throw new UserError("scores: no such file " + config.scores());
        }
        SelectionJob.LoadedScores scores = SelectionJob.load(config.scores(), null, null);
        if (scores.dataset().isPresent() && !scores.dataset().get().equals(config.dataset())) {
            throw new UserError("scores: " + config.scores() + " scored " + scores.dataset().get() + ", not "
                    + config.dataset());
        }
        int trainSize;
        try {
            trainSize = Datasets.open(config.dataset(), Split.TRAIN).size();
        } catch (IOException | UserError e) {
            throw new UserError("DATASET: " + e.getMessage(), e);
        }
        int scored = scores.input().size();
        if (scored > trainSize) {
            throw new UserError("scores: " + scored + " scored examples, but " + config.dataset() + " has "
                    + trainSize + " training examples");
        }
        return scored;
    }

    /** The sample, named a00, a01, ..., then the extra genotypes, named by their built-in name or g1, g2, .... */
    private static List<Candidate> candidates(RankConfig config) throws IOException {
        List<Candidate> list = new ArrayList<>();
        List<Genotype> sample = GenotypeSampler.sample(config.architectures(), config.sampleSeed());
        for (int i = 0; i < sample.size(); i++) {
            list.add(new Candidate(String.format(Locale.ROOT, "a%02d", i), "sampled", sample.get(i)));
        }
        for (int i = 0; i < config.genotypes().size(); i++) {
            String given = config.genotypes().get(i);
            Genotype genotype;
            try {
                genotype = Genotype.resolve(given);
            } catch (UserError e) {
                throw new UserError("genotypes: " + e.getMessage(), e);
            }
            String name = Genotype.builtInNames().contains(given.strip()) ? given.strip() : "g" + (i + 1);
            list.add(new Candidate(name, given, genotype));
        }
        Map<Genotype, String> seen = new HashMap<>();
        for (Candidate c : list) {
            String same = seen.putIfAbsent(GenotypeSampler.canonical(c.genotype()), c.name());
            if (same != null) {
                throw new UserError("genotypes: " + c.source() + " is the same architecture as " + same);
            }
        }
        return List.copyOf(list);
    }

    /** Jobs and work units ahead, for the progress line's ETA (a training's unit: one example for one epoch). */
    void planWork() {
        int seeds = config.seeds().size();
        int methods = config.methods().size();
        int proxy = SelectionJob.sizeForRatio(config.ratio(), examples);
        StageClock clock = stages.clock();
        clock.plan("selection", 1 + methods * seeds, 1 + methods * seeds);
        clock.plan("training", candidates.size() * seeds,
                (double) candidates.size() * seeds * examples * config.epochsOn(examples, examples));
        clock.plan("training", candidates.size() * seeds * methods,
                (double) candidates.size() * seeds * methods * proxy * config.epochsOn(proxy, examples));
    }

    /** Writes architectures.json: the trained set, for every run and reader of the study to see the same one. */
    void writeArchitectures() throws IOException {
        Files.createDirectories(config.out());
        Json.write(config.out().resolve(ARCHITECTURES), new ArchitecturesFile(config.sampleSeed(),
                config.architectures(), candidates.stream().map(c -> new ArchitecturesFile.Entry(c.name(),
                        c.source(), c.genotype().toDartsString())).toList(), stages.provenance("none")));
    }

    /**
     * Adds to {@code graph} the selection of every proxy from the scores (made by the stage {@code scoresKey};
     * {@code embeddings} may be null) and the training of every architecture on all data and on each proxy for
     * every seed.
     */
    void plan(StageGraph graph, StageStore.Key scoresKey, Path embeddings) throws IOException {
        double binWidth = config.binWidth() > 0 ? config.binWidth()
                : EntropyHistogramSelector.defaultBinWidth(config.dataset());
        // every selection first: they are cheap, and a method these scores cannot serve fails before any training
        ProxyStage all = ProxyStage.full(graph, stages, config.dataset(), examples);
        for (String method : config.methods()) {
            for (long seed : config.seeds()) {
                proxies.add(ProxyStage.select(graph, stages, config.scores(), embeddings, scoresKey, examples, method,
                        config.ratio(), seed, binWidth));
            }
        }
        for (long seed : config.seeds()) {
            for (Candidate c : candidates) {
                trainings.add(train(graph, c, all, seed));
            }
        }
        for (ProxyStage proxy : proxies) {
            for (Candidate c : candidates) {
                trainings.add(train(graph, c, proxy, proxy.seed()));
            }
        }
    }

    /** Compares the orders, once every stage of the plan is done; {@code device} is what the trainings ran on. */
    RankResults results(String device) throws IOException {
        List<Training> done = new ArrayList<>();
        for (PlannedTraining t : trainings) {
            TrainResult result = Json.MAPPER.treeToValue(stages.done(t.key()).result(), TrainResult.class);
            // imagesPerSecond is the training throughput alone: the test pass after the last epoch only measures
            double trainingSeconds = (double) result.epochs() * result.trainExamples() / result.imagesPerSecond();
            done.add(new Training(t.candidate().name(), t.set().method(), t.seed(), result.trainExamples(),
                    result.epochs(), result.parameters(), result.finalTestAccuracy(), trainingSeconds,
                    config.out().relativize(stages.dir(t.key())).toString()));
        }
        return summarize(done, ProxyStage.classWarnings(proxies), device);
    }

    /** One architecture trained from scratch on one set under one seed, tested on the test split. */
    private PlannedTraining train(StageGraph graph, Candidate c, ProxyStage set, long seed) throws IOException {
        String setLabel = ProxyStage.label(set.method(), set.ratio(), seed);
        int epochs = config.epochsOn(set.size(), examples);
        Function<Path, TrainConfig> training = dir -> TrainConfig.builder()
                .setDataset(config.dataset())
                .setNetwork(new NetworkSpec.Cells(c.name(), c.genotype(), config.layers(), config.channels(), false))
                .setOutputDir(dir)
                .optTrainSubset(set.file())
                .optEpochs(epochs)
                .optBatchSize(config.batchSize())
                .optCutout(0)
                .optDropPath(0.0)
                .optTestLimit(config.testLimit())
                .optTestEveryEpoch(false)
                .optSeed(seed)
                .build();
        // the network's name is the study's, not a setting: two studies naming one cell differently share its training
        ObjectNode settings = StageStore.settings(training.apply(config.out()));
        ((ObjectNode) settings.get("network")).remove("source");
        StageStore.Key key = StageStore.key("training", c.name() + "-" + setLabel, settings, set.key());
        String description = c.name() + " on " + setLabel + ", " + set.size() + " examples × " + epochs + " epochs";
        graph.add(key, List.of(set.key()), TrainingLoop.CHECKPOINT, description, (double) set.size() * epochs,
                (dir, stageContext) -> {
                    TrainResult result = TrainJob.run(training.apply(dir), stageContext);
                    return StageStore.Finished.of(result.wallSeconds(), result, TrainJob.RESULT);
                });
        return new PlannedTraining(c, set, seed, key);
    }

    private RankResults summarize(List<Training> trainings, List<ClassWarning> classWarnings, String device) {
        double[] full = meanAccuracy(trainings, ExperimentConfig.FULL);
        List<RankResults.Architecture> architectures = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            long parameters = trainings.stream().filter(t -> t.architecture().equals(c.name())).findFirst()
                    .orElseThrow().parameters();
            architectures.add(new RankResults.Architecture(c.name(), c.source(), c.genotype().toDartsString(),
                    parameters, full[i]));
        }
        double fullSeconds = RankResults.trainingSeconds(trainings, ExperimentConfig.FULL);
        List<MethodRanking> methods = new ArrayList<>();
        double[] first = null;
        for (String method : config.methods()) {
            double[] proxy = meanAccuracy(trainings, method);
            Training any = trainings.stream().filter(t -> t.method().equals(method)).findFirst().orElseThrow();
            double seconds = RankResults.trainingSeconds(trainings, method);
            double[] baseline = first;
            methods.add(new MethodRanking(method, config.ratio(), any.examples(), any.epochs(), boxed(proxy),
                    estimate(items -> tau(full, proxy, items)),
                    estimate(items -> RankCorrelation.spearmanRho(RankCorrelation.pick(full, items),
                            RankCorrelation.pick(proxy, items))),
                    RankCorrelation.topKOverlap(full, proxy, config.topK()),
                    baseline == null ? null
                            : estimate(items -> tau(full, proxy, items) - tau(full, baseline, items)),
                    seconds, seconds / fullSeconds));
            first = first == null ? proxy : first;
        }
        return new RankResults(config, architectures, trainings, methods, fullAcrossSeeds(trainings),
                classWarnings, scorer(), stages.provenance(device));
    }

    /** Whether the scorer of the study's scores had fit its data. */
    private ScorerRegime scorer() {
        try {
            return SelectionJob.load(config.scores(), null, null).scorer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * τ-b between the full-data accuracies under the first two seeds, or null with one seed: how much of the
     * full-data order is the architectures' and how much the seed's.
     */
    private Estimate fullAcrossSeeds(List<Training> trainings) {
        if (config.seeds().size() < 2) {
            return null;
        }
        double[] a = accuracyUnderSeed(trainings, config.seeds().get(0));
        double[] b = accuracyUnderSeed(trainings, config.seeds().get(1));
        return estimate(items -> tau(a, b, items));
    }

    /** The statistic on every architecture, and its interval; one bootstrap seed pairs every interval. */
    private Estimate estimate(RankCorrelation.Statistic statistic) {
        int[] everyone = IntStream.range(0, candidates.size()).toArray();
        RankCorrelation.Interval interval = RankCorrelation.bootstrap(candidates.size(), config.sampleSeed(),
                statistic);
        return new Estimate(statistic.of(everyone), interval.low(), interval.high());
    }

    private static double tau(double[] x, double[] y, int[] items) {
        return RankCorrelation.kendallTauB(RankCorrelation.pick(x, items), RankCorrelation.pick(y, items));
    }

    /** Per candidate, the test accuracy of its trainings by {@code method}, mean over seeds. */
    private double[] meanAccuracy(List<Training> trainings, String method) {
        return candidates.stream().mapToDouble(c -> trainings.stream()
                .filter(t -> t.method().equals(method) && t.architecture().equals(c.name()))
                .mapToDouble(Training::testAccuracy).average().orElseThrow()).toArray();
    }

    private double[] accuracyUnderSeed(List<Training> trainings, long seed) {
        return candidates.stream().mapToDouble(c -> trainings.stream()
                .filter(t -> t.method().equals(ExperimentConfig.FULL) && t.architecture().equals(c.name())
                        && t.seed() == seed)
                .findFirst().orElseThrow().testAccuracy()).toArray();
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
