package org.proxynas.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.data.SubsetFile;
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

    private final ExperimentConfig config;
    private final String configText;
    private final Path out;
    private final boolean resume;
    private final RunContext context;
    private final PrintStream log;
    private final StageStore store;
    private final StageClock clock;
    private Consumer<StageStore.Key> onStageDone = key -> {};

    public ExperimentRunner(ExperimentConfig config, String configText, Path out, boolean resume,
            RunContext context, PrintStream log) {
        this.config = config;
        this.configText = configText;
        this.out = out;
        this.resume = resume;
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
        return config.limit() > 0 ? config.limit() : train.size();
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
        Path emb = store.dir(scoringKey).resolve("embeddings.bin");
        return Files.isRegularFile(emb) ? emb : null;
    }

    /** Step 1, once: the baseline's scores of the (first {@code limit}) training examples. */
    private Path score(StageStore.Key key) throws IOException {
        Path dir = store.dir(key);
        Path scores = dir.resolve("scores.csv");
        JsonNode done = store.doneSummary(key);
        if (done != null) {
            clock.cached("scoring", "scores", done.path("seconds").asDouble(), 1);
            return scores;
        }
        boolean resumeStage = prepare(dir);
        clock.start("scoring", "baseline " + config.scoring().arch() + ", " + config.scoring().epochs() + " epochs",
                1);
        double seconds;
        if (config.scoring().scores() != null) {
            Path given = Path.of(config.scoring().scores());
            Files.copy(given, scores, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path json = ScoresCsv.summaryOf(given);
            if (Files.isRegularFile(json)) {
                Files.copy(json, dir.resolve("scores.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            seconds = 0;
            store.markDone(key, Map.of("seconds", seconds), "scores.csv");
        } else {
            int epochs = config.scoring().epochs();
            // The recipe's step decay (x0.1 at 100 and 150 of 200 epochs), scaled to the epochs given.
            List<Integer> milestones = IntStream.of(epochs / 2, epochs * 3 / 4).filter(m -> m >= 1).distinct()
                    .boxed().toList();
            ScoringSummary summary = ScoringJob.run(ScoringConfig.builder()
                    .setDataset(config.dataset())
                    .setOut(scores)
                    .optArch(config.scoring().arch())
                    .optEpochs(epochs)
                    .optBatchSize(config.scoring().batchSize())
                    .optLr(config.scoring().lr())
                    .optMilestones(milestones)
                    .optSeed(config.seeds().get(0))
                    .optLimit(config.limit())
                    .optTestLimit(config.testLimit())
                    .optEmbeddings(dir.resolve("embeddings.bin"))
                    .optResume(resumeStage)
                    .build(), context).summary();
            seconds = summary.wallSeconds();
            store.markDone(key, Map.of("seconds", seconds, "trainAccuracy", summary.trainAccuracy(),
                    "testAccuracy", summary.testAccuracy()), "scores.csv", "embeddings.bin");
        }
        clock.finish("scoring", seconds);
        onStageDone.accept(key);
        return scores;
    }

    /** Step 2: one proxy set. Cheap, but cached like the rest so its indices never change under a search. */
    private Proxy select(Path scores, StageStore.Key scoringKey, String method, double ratio, long seed)
            throws IOException {
        double binWidth = config.selection().binWidth() > 0 ? config.selection().binWidth()
                : ProxyDataSelector.defaultBinWidth(config.dataset());
        StageStore.Key key = StageStore.key("selection", label(method, ratio, seed),
                Map.of("method", method, "ratio", ratio, "seed", seed, "binWidth", binWidth), scoringKey);
        Path dir = store.dir(key);
        Path file = dir.resolve("proxy.json");
        JsonNode done = store.doneSummary(key);
        if (done != null) {
            clock.cached("selection", key.label(), done.path("seconds").asDouble(), 1);
            return new Proxy(method, ratio, seed, done.path("size").asInt(), done.path("seconds").asDouble(), key, file);
        }
        prepare(dir);
        clock.start("selection", method + " ratio " + ratio + " seed " + seed, 1);
        ProxySet set = SelectionJob.run(SelectionConfig.builder()
                .setScores(scores)
                .setOut(file)
                .setRatio(ratio)
                .optEmbeddings(embeddingsOf(scoringKey))
                .optMethod(method)
                .optSeed(seed)
                .optBinWidth(binWidth)
                .optPlot(dir.resolve("proxy.png"))
                .build(), context);
        store.markDone(key, Map.of("seconds", set.wallSeconds(), "size", set.size()), "proxy.json");
        clock.finish("selection", set.wallSeconds());
        onStageDone.accept(key);
        return new Proxy(method, ratio, seed, set.size(), set.wallSeconds(), key, file);
    }

    /** The "full" baseline: every scored example, written as a subset file so it runs the same path. */
    private Proxy fullData(int n) throws IOException {
        StageStore.Key key = StageStore.key("selection", ExperimentConfig.FULL,
                Map.of("dataset", config.dataset(), "examples", n));
        Path file = store.dir(key).resolve("subset.json");
        if (store.doneSummary(key) == null) {
            SubsetFile.writeFirst(file, ExperimentConfig.FULL, n, provenance("none"));
            store.markDone(key, Map.of("seconds", 0.0, "size", n), "subset.json");
        }
        return new Proxy(ExperimentConfig.FULL, 1.0, -1, n, 0, key, file);
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
        if (s.nodes() != 4) {
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
        Path searchDir = store.dir(searchKey);
        JsonNode searchDone = store.doneSummary(searchKey);
        String genotypeText;
        double searchSeconds;
        if (searchDone != null) {
            genotypeText = searchDone.path("genotype").asText();
            searchSeconds = searchDone.path("seconds").asDouble();
            clock.cached("search", label, searchSeconds, proxy.size());
        } else {
            boolean resumeStage = prepare(searchDir);
            clock.start("search", label + " on " + proxy.size() + " examples", proxy.size());
            SearchResult result = SearchJob.run(searchConfig(algorithm, seed, searchDir)
                    .optSubsetFile(proxy.file())
                    .optResume(resumeStage)
                    .build(), context, record -> {});
            genotypeText = result.genotype().toDartsString();
            searchSeconds = result.wallSeconds();
            store.markDone(searchKey, Map.of("seconds", searchSeconds, "genotype", genotypeText),
                    "genotype.json");
            clock.finish("search", searchSeconds);
            onStageDone.accept(searchKey);
        }

        ExperimentConfig.Evaluation e = config.evaluation();
        StageStore.Key evalKey = StageStore.key("evaluation", label, Map.of("epochs", e.epochs(),
                "layers", e.layers(), "channels", e.channels(), "batchSize", e.batchSize(),
                "auxiliary", e.auxiliary(), "cutout", e.cutout(), "dropPath", e.dropPath(),
                "trainLimit", e.trainLimit(), "testLimit", config.testLimit(), "seed", seed), searchKey);
        Path evalDir = store.dir(evalKey);
        JsonNode evalDone = store.doneSummary(evalKey);
        EvaluationResult evaluation;
        if (evalDone != null) {
            evaluation = Json.MAPPER.treeToValue(evalDone, EvaluationResult.class);
            clock.cached("evaluation", label, evaluation.wallSeconds(), 1);
        } else {
            boolean resumeStage = prepare(evalDir);
            clock.start("evaluation", label + ", " + e.epochs() + " epochs", 1);
            Genotype genotype = Genotype.parse(genotypeText);
            EvaluationConfig.Builder b = EvaluationConfig.builder()
                    .setDataset(config.dataset())
                    .setNetwork(new NetworkSpec.Cells(label, genotype, e.layers(), e.channels(), e.auxiliary()))
                    .setOutputDir(evalDir)
                    .optEpochs(e.epochs())
                    .optBatchSize(e.batchSize())
                    .optCutout(e.cutout())
                    .optDropPath(e.dropPath())
                    .optTestLimit(config.testLimit())
                    .optSeed(seed)
                    .optResume(resumeStage);
            if (e.trainLimit() > 0) {
                b.optTrainSubset(trainLimitSubset(e.trainLimit()));
            }
            evaluation = EvaluationJob.run(b.build(), context);
            store.markDone(evalKey, evaluation, EvaluationJob.RESULT);
            clock.finish("evaluation", evaluation.wallSeconds());
            onStageDone.accept(evalKey);
        }
        return new RunResult(proxy.method(), proxy.ratio(), seed, algorithm, proxy.size(), proxy.seconds(),
                searchSeconds, evaluation.wallSeconds(), genotypeText, evaluation.parameters(),
                evaluation.finalTestAccuracy(), evaluation.bestTestAccuracy(),
                out.relativize(store.dir(proxy.key())).toString(), out.relativize(searchDir).toString(),
                out.relativize(evalDir).toString());
    }

    /** The first {@code n} training examples, as a subset file the evaluation reads. */
    private Path trainLimitSubset(int n) throws IOException {
        Path file = out.resolve("subsets").resolve("train-first-" + n + ".json");
        if (!Files.isRegularFile(file)) {
            SubsetFile.writeFirst(file, "first", n, provenance("none"));
        }
        return file;
    }

    /**
     * Makes a stage directory ready to run; returns whether the stage resumes. A directory left by an
     * interrupted run is resumed with {@code --resume}, otherwise cleared so the stage starts over.
     */
    private boolean prepare(Path dir) throws IOException {
        boolean leftover = Files.isDirectory(dir);
        if (leftover && !resume) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        return leftover && resume;
    }

    /** This experiment's provenance now; {@code device} is what the stage at hand computed on. */
    private Provenance provenance(String device) {
        return Provenance.capture(device, context.command());
    }

    private static String label(String method, double ratio, long seed) {
        return String.format(Locale.ROOT, "%s-r%s-s%d", method, ratio, seed);
    }

    private List<String> reproduceCommands() {
        return List.of("./proxynas experiment --config " + out.resolve("experiment.yaml") + " --out " + out,
                "./proxynas report " + out);
    }
}
