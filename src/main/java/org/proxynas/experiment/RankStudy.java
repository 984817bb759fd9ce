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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.proxynas.common.Checksums;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.Seeds;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.data.Split;
import org.proxynas.experiment.RankResults.Estimate;
import org.proxynas.experiment.RankResults.Measurement;
import org.proxynas.experiment.RankResults.MethodRanking;
import org.proxynas.experiment.RankResults.Training;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.GenotypeSampler;
import org.proxynas.nas.space.OperationBias;
import org.proxynas.score.ScorerRegime;
import org.proxynas.select.EntropyHistogramSelector;
import org.proxynas.select.SelectionJob;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.TrainResult;
import org.proxynas.train.NetworkSpec;
import org.proxynas.zerocost.ZeroCostConfig;
import org.proxynas.zerocost.ZeroCostJob;
import org.proxynas.zerocost.ZeroCostResult;

/**
 * The ranking study: trains a fixed sample of architectures on all scored data, lets every method rank them (a
 * proxy training, a training-free measure, or a combination: {@link RankMethod}), and measures per method how well
 * its order keeps the full-data one (Kendall's τ-b, Spearman's ρ, top-k overlap, each with a bootstrap interval
 * over architectures) and what it cost.
 *
 * <p>Every selection, training and measurement is a stage of the directory's store ({@link Stages}), keyed by its
 * own settings and inputs, never by the list of methods: adding a method or a seed computes only what is new, a
 * combination reuses its parts, and an experiment's {@code ranking:} section reuses the selections its searches
 * made.
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
    private final List<PlannedMeasurement> measurements = new ArrayList<>();

    /** One training of the plan: the architecture, the set, the seed, and the stage that trains it. */
    private record PlannedTraining(Candidate candidate, ProxyStage set, long seed, StageStore.Key key) {}

    /** One measurement of the plan: the architecture, the measuring method, the seed, and its stage. */
    private record PlannedMeasurement(Candidate candidate, RankMethod.ZeroCost method, long seed, StageStore.Key key) {}

    /**
     * An architecture to train: its name in tables and stage labels, how the user named it, its cells, and the
     * depth and width of its network.
     */
    private record Candidate(String name, String source, Genotype genotype, int layers, int channels) {
        NetworkSpec.Cells network() {
            return new NetworkSpec.Cells(name, genotype, layers, channels, false);
        }
    }

    /** What {@code architectures.json} holds: the trained set, so every run and reader sees the same one. */
    private record ArchitecturesFile(long sampleSeed, int sampled, List<Entry> architectures, Provenance provenance) {
        record Entry(String name, String source, String genotype, int layers, int channels) {}
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

    /**
     * The sample, {@code architectures} cells for each operation bias, named a00, a01, ..., then the extra genotypes,
     * named by their built-in name or g1, g2, ...; each with a depth and a width drawn from the config's choices.
     */
    private static List<Candidate> candidates(RankConfig config) throws IOException {
        List<Candidate> list = new ArrayList<>();
        // the shapes have a random stream of their own: one choice each leaves the sample as it was
        SplittableRandom shapes = new SplittableRandom(Seeds.stream(config.sampleSeed(), SHAPES));
        for (OperationBias bias : config.operationBiases()) {
            for (Genotype g : GenotypeSampler.sample(config.architectures(), config.sampleSeed(), bias)) {
                list.add(new Candidate(String.format(Locale.ROOT, "a%02d", list.size()),
                        bias.isUniform() ? "sampled" : "sampled (" + bias.name() + ")", g,
                        pick(config.layers(), shapes), pick(config.channels(), shapes)));
            }
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
            list.add(new Candidate(name, given, genotype, pick(config.layers(), shapes),
                    pick(config.channels(), shapes)));
        }
        Map<List<Object>, String> seen = new HashMap<>();
        for (Candidate c : list) {
            String same = seen.putIfAbsent(List.of(GenotypeSampler.canonical(c.genotype()), c.layers(), c.channels()),
                    c.name());
            if (same != null) {
                throw new UserError("genotypes: " + c.source() + " is the same architecture as " + same);
            }
        }
        return List.copyOf(list);
    }

    private static final long SHAPES = 0x5ba9e5;

    private static int pick(List<Integer> choices, SplittableRandom random) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Jobs and work units ahead, for the progress line's ETA (a training's unit: one example for one epoch). */
    void planWork() {
        int seeds = config.seeds().size();
        int proxy = SelectionJob.sizeForRatio(config.ratio(), examples);
        int trained = trainedSelections().size();
        StageClock clock = stages.clock();
        clock.plan("selection", 1 + selections().size() * seeds, 1 + selections().size() * seeds);
        clock.plan("training", candidates.size() * seeds,
                (double) candidates.size() * seeds * examples * config.epochsOn(examples, examples));
        clock.plan("training", candidates.size() * seeds * trained,
                (double) candidates.size() * seeds * trained * proxy * config.epochsOn(proxy, examples));
        int measured = zeroCostMethods().size() * candidates.size() * seeds;
        clock.plan("measurement", measured, measured);
    }

    /** Every method of the config and the parts of its combinations, each once. */
    private List<RankMethod> allMethods() {
        Set<RankMethod> all = new LinkedHashSet<>();
        for (RankMethod m : config.rankMethods()) {
            if (m instanceof RankMethod.Combined c) {
                all.add(c.first());
                all.add(c.second());
            }
            all.add(m);
        }
        return List.copyOf(all);
    }

    /** The selections whose proxies every architecture is trained on. */
    private List<String> trainedSelections() {
        return allMethods().stream().filter(m -> m instanceof RankMethod.Trained).map(RankMethod::label).toList();
    }

    private List<RankMethod.ZeroCost> zeroCostMethods() {
        return allMethods().stream().filter(m -> m instanceof RankMethod.ZeroCost).map(m -> (RankMethod.ZeroCost) m)
                .toList();
    }

    /** Every selection a method trains on or measures on. */
    private List<String> selections() {
        Set<String> all = new LinkedHashSet<>(trainedSelections());
        zeroCostMethods().stream().map(RankMethod.ZeroCost::selection).filter(Objects::nonNull).forEach(all::add);
        return List.copyOf(all);
    }

    /** Writes architectures.json: the trained set, for every run and reader of the study to see the same one. */
    void writeArchitectures() throws IOException {
        Files.createDirectories(config.out());
        Json.write(config.out().resolve(ARCHITECTURES), new ArchitecturesFile(config.sampleSeed(),
                config.architectures(), candidates.stream().map(c -> new ArchitecturesFile.Entry(c.name(),
                        c.source(), c.genotype().toDartsString(), c.layers(), c.channels())).toList(),
                stages.provenance("none")));
    }

    /**
     * Adds to {@code graph} the selection of every proxy from the scores (made by the stage {@code scoresKey};
     * {@code embeddings} may be null), the training of every architecture on all data and on each trained method's
     * proxy, and every measurement, for every seed.
     */
    void plan(StageGraph graph, StageStore.Key scoresKey, Path embeddings) throws IOException {
        double binWidth = config.binWidth() > 0 ? config.binWidth()
                : EntropyHistogramSelector.defaultBinWidth(config.dataset());
        // every selection first: they are cheap, and a method these scores cannot serve fails before any training
        ProxyStage all = ProxyStage.full(graph, stages, config.dataset(), examples);
        Map<String, ProxyStage> bySelectionAndSeed = new HashMap<>();
        for (String selection : selections()) {
            for (long seed : config.seeds()) {
                ProxyStage set = ProxyStage.select(graph, stages, config.scores(), embeddings, scoresKey, examples,
                        selection, config.ratio(), seed, binWidth);
                proxies.add(set);
                bySelectionAndSeed.put(selection + "@" + seed, set);
            }
        }
        for (long seed : config.seeds()) {
            for (Candidate c : candidates) {
                trainings.add(train(graph, c, all, seed));
            }
        }
        for (String selection : trainedSelections()) {
            for (long seed : config.seeds()) {
                for (Candidate c : candidates) {
                    trainings.add(train(graph, c, bySelectionAndSeed.get(selection + "@" + seed), seed));
                }
            }
        }
        for (RankMethod.ZeroCost m : zeroCostMethods()) {
            for (long seed : config.seeds()) {
                ProxyStage set = m.selection() == null ? all : bySelectionAndSeed.get(m.selection() + "@" + seed);
                for (Candidate c : candidates) {
                    measurements.add(measure(graph, c, m, set, seed));
                }
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
        List<Measurement> measured = new ArrayList<>();
        for (PlannedMeasurement m : measurements) {
            ZeroCostResult result = Json.MAPPER.treeToValue(stages.done(m.key()).result(), ZeroCostResult.class);
            ZeroCostResult.Measurement only = result.measurements().get(0);
            int read = Math.min(result.examples(), config.zeroCostBatches() * config.zeroCostBatchSize());
            measured.add(new Measurement(m.candidate().name(), m.method().label(), m.seed(), read, only.value(),
                    only.seconds(), config.out().relativize(stages.dir(m.key())).toString()));
        }
        return summarize(done, measured, ProxyStage.classWarnings(proxies), device);
    }

    /** One measure of an architecture's untrained network under {@code seed}, on batches of {@code set}. */
    private PlannedMeasurement measure(StageGraph graph, Candidate c, RankMethod.ZeroCost method, ProxyStage set,
            long seed) {
        ZeroCostConfig measurement = ZeroCostConfig.builder()
                .setDataset(config.dataset())
                .setNetwork(c.network())
                .optTrainSubset(set.file())
                .optSeed(seed)
                .optBatches(config.zeroCostBatches())
                .optBatchSize(config.zeroCostBatchSize())
                .optMeasures(List.of(method.measure()))
                .build();
        ObjectNode settings = StageStore.settings(measurement);
        ((ObjectNode) settings.get("network")).remove("source");
        String label = c.name() + "-" + method.measure() + "-" + ProxyStage.label(set.method(), set.ratio(), seed);
        StageStore.Key key = StageStore.key("measurement", label, settings, set.key());
        graph.add(key, List.of(set.key()), null, c.name() + " " + method.label() + " seed " + seed, 1,
                (dir, stageContext) -> {
                    ZeroCostResult result = ZeroCostJob.run(measurement, stageContext);
                    Json.write(dir.resolve(MEASUREMENT), result);
                    return StageStore.Finished.of(result.measurements().get(0).seconds(), result, MEASUREMENT);
                });
        return new PlannedMeasurement(c, method, seed, key);
    }

    private static final String MEASUREMENT = "measurement.json";

    /** One architecture trained from scratch on one set under one seed, tested on the test split. */
    private PlannedTraining train(StageGraph graph, Candidate c, ProxyStage set, long seed) throws IOException {
        String setLabel = ProxyStage.label(set.method(), set.ratio(), seed);
        int epochs = config.epochsOn(set.size(), examples);
        Function<Path, TrainConfig> training = dir -> TrainConfig.builder()
                .setDataset(config.dataset())
                .setNetwork(c.network())
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

    private RankResults summarize(List<Training> trainings, List<Measurement> measured,
            List<ClassWarning> classWarnings, String device) {
        double[] full = meanAccuracy(trainings, ExperimentConfig.FULL);
        List<RankResults.Architecture> architectures = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            long parameters = trainings.stream().filter(t -> t.architecture().equals(c.name())).findFirst()
                    .orElseThrow().parameters();
            architectures.add(new RankResults.Architecture(c.name(), c.source(), c.genotype().toDartsString(),
                    c.layers(), c.channels(), parameters, full[i]));
        }
        double fullSeconds = RankResults.trainingSeconds(trainings, ExperimentConfig.FULL);
        Map<RankMethod, Ranked> ranked = new HashMap<>();
        for (RankMethod m : allMethods()) {
            ranked.put(m, rank(m, trainings, measured, ranked));
        }
        List<MethodRanking> methods = new ArrayList<>();
        double[] first = ranked.get(config.rankMethods().get(0)).values();
        for (RankMethod m : config.rankMethods()) {
            Ranked r = ranked.get(m);
            double[] values = r.values();
            List<Estimate> vsParts = m instanceof RankMethod.Combined c
                    ? List.of(tauDifference(full, values, ranked.get(c.first()).values()),
                            tauDifference(full, values, ranked.get(c.second()).values()))
                    : List.of();
            methods.add(new MethodRanking(m.label(), r.kind(), config.ratio(), r.examples(), r.epochs(),
                    boxed(values), estimate(items -> tau(full, values, items)),
                    estimate(items -> RankCorrelation.spearmanRho(RankCorrelation.pick(full, items),
                            RankCorrelation.pick(values, items))),
                    RankCorrelation.topKOverlap(full, values, config.topK()),
                    methods.isEmpty() ? null : tauDifference(full, values, first), vsParts, r.seconds(),
                    r.seconds() / fullSeconds));
        }
        return new RankResults(config, architectures, trainings, measured, methods, fullAcrossSeeds(trainings),
                classWarnings, scorer(), stages.provenance(device));
    }

    /** A method's values per architecture, what it read, and what it cost. */
    private record Ranked(String kind, double[] values, int examples, int epochs, double seconds) {}

    /** How {@code method} ranks the candidates; a combination's parts are in {@code ranked} already. */
    private Ranked rank(RankMethod method, List<Training> trainings, List<Measurement> measured,
            Map<RankMethod, Ranked> ranked) {
        if (method instanceof RankMethod.Trained t) {
            Training any = trainings.stream().filter(x -> x.method().equals(t.selection())).findFirst().orElseThrow();
            return new Ranked("trained", meanAccuracy(trainings, t.selection()), any.examples(), any.epochs(),
                    RankResults.trainingSeconds(trainings, t.selection()));
        }
        if (method instanceof RankMethod.ZeroCost z) {
            List<Measurement> mine = measured.stream().filter(x -> x.method().equals(z.label())).toList();
            // an undefined measure (naswot of identical codes, jacob_cov of a constant row) ranks its network last
            double[] values = candidates.stream().mapToDouble(c -> mine.stream()
                    .filter(x -> x.architecture().equals(c.name())).mapToDouble(Measurement::value)
                    .map(v -> Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v).average().orElseThrow()).toArray();
            return new Ranked("zero-cost", values, mine.get(0).examples(), 0,
                    mine.stream().mapToDouble(Measurement::seconds).sum());
        }
        RankMethod.Combined c = (RankMethod.Combined) method;
        Ranked a = ranked.get(c.first());
        Ranked b = ranked.get(c.second());
        double[] ra = RankCorrelation.ranks(a.values());
        double[] rb = RankCorrelation.ranks(b.values());
        double[] values = IntStream.range(0, ra.length).mapToDouble(i -> (ra[i] + rb[i]) / 2).toArray();
        return new Ranked("combined", values, Math.max(a.examples(), b.examples()), 0, a.seconds() + b.seconds());
    }

    /** τ of {@code values} minus τ of {@code other}, against {@code full}, with a paired interval. */
    private Estimate tauDifference(double[] full, double[] values, double[] other) {
        return estimate(items -> tau(full, values, items) - tau(full, other, items));
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
