package org.proxynas.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;
import org.proxynas.experiment.JobSection.SettingError;
import org.proxynas.nas.search.SearchAlgorithms;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.space.Genotype;
import org.proxynas.score.ScoringConfig;
import org.proxynas.select.SelectionJob;
import org.proxynas.select.MethodLabel;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.NetworkSpec;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * One experiment: which data, which proxies, which search, which training budget, which seeds, and optionally a
 * ranking study over the same scores. Read from YAML or JSON; a config names only what it changes.
 *
 * <p>Each stage section is its job's config: {@code scoring} takes {@link ScoringConfig}'s keys, {@code search}
 * {@link SearchConfig}'s, {@code training} {@link TrainConfig}'s and {@code ranking} {@link RankConfig}'s, under
 * the names of the job's {@code config.json} and over the job's defaults (the paper's full-scale settings; configs
 * for CPU runs shrink them), and the job's record checks them ({@link JobSection}). The experiment fills what it
 * owns: the dataset, limits and seeds, and every stage's inputs and outputs. Everything is checked here, before any
 * work starts, and an error names the key and its line.
 */
public record ExperimentConfig(
        String dataset,
        Integer limit,
        Integer testLimit,
        List<Long> seeds,
        Scoring scoring,
        Selection selection,
        Search search,
        Training training,
        Ranking ranking) {

    /** The pseudo-method "search on all (scored) training data". */
    public static final String FULL = "full";

    /**
     * Step 1: the baseline's settings, or an existing scores file ({@code scores}); {@code shards} above 1 score
     * in that many parts after training the baseline once.
     */
    public record Scoring(String scores, int shards, ObjectNode settings) {
        static final JobSection<ScoringConfig> JOB = JobSection.of("scoring", ScoringConfig.class,
                ScoringConfig.DEFAULTS, Set.of("dataset", "out", "limit", "testLimit", "seed", "embeddings", "model"),
                Set.of("scores", "shards"));

        public Scoring {
            settings = JOB.settings(settings);
            if (shards < 1) {
                throw new SettingError("scoring.shards", "must be positive, found " + shards);
            }
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Scoring of(ObjectNode section) {
            return new Scoring(JOB.text(section, "scores"), JOB.integer(section, "shards", 1), section);
        }

        @JsonValue
        ObjectNode json() {
            ObjectNode node = settings.deepCopy();
            node.put("shards", shards);
            if (scores != null) {
                node.put("scores", scores);
            }
            return node;
        }

        /**
         * The scoring of the first {@code limit} examples of {@code dataset} (testing on {@code testLimit}) under
         * {@code seed}, writing {@code scores.csv} and its embeddings into {@code dir}.
         */
        ScoringConfig config(String dataset, int limit, int testLimit, long seed, Path dir) {
            return JOB.build(settings, Map.of("dataset", dataset, "out", dir.resolve("scores.csv"), "limit", limit,
                    "testLimit", testLimit, "seed", seed, "embeddings", dir.resolve("embeddings.bin")));
        }
    }

    /** Step 2: selection methods (plus {@code full}, meaning no selection), proxy ratios, and the bin width. */
    public record Selection(@JsonDeserialize(contentUsing = MethodLabel.LabelReader.class) List<String> methods,
            List<Double> ratios, Double binWidth) {
        public Selection {
            binWidth = Objects.requireNonNullElse(binWidth, 0.0);
            methods = labels(Objects.requireNonNullElse(methods, List.of("proxy", "random", FULL)), "selection.methods",
                    true);
            ratios = List.copyOf(Objects.requireNonNullElse(ratios, List.of(0.1)));
            if (ratios.isEmpty()) {
                throw new SettingError("selection.ratios", "must name at least one ratio");
            }
            for (double r : ratios) {
                try {
                    SelectionJob.requireRatio(r);
                } catch (UserError e) {
                    throw new SettingError("selection.ratios", e.getMessage());
                }
            }
            if (binWidth < 0) {
                throw new SettingError("selection.binWidth", "must be positive (0 = dataset default), found "
                        + binWidth);
            }
        }
    }

    /** Step 3: the search's settings, for each of the {@code algorithms}. */
    public record Search(List<String> algorithms, ObjectNode settings) {
        static final JobSection<SearchConfig> JOB = JobSection.of("search", SearchConfig.class, SearchConfig.DEFAULTS,
                Set.of("dataset", "subsetFile", "algorithm", "seed", "outDir"), Set.of("algorithms"));

        public Search {
            algorithms = List.copyOf(algorithms);
            settings = JOB.settings(settings);
            for (var keys = settings.path("reselection").fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!RESELECTION_KEYS.contains(key)) {
                    throw new SettingError("search.reselection." + key, "set by the method's label (adaptive,"
                            + " adaptive+balanced, adaptive+p2+bw0.25, adaptive-random) and selection.ratios; this"
                            + " section sets only " + String.join(" and ", new java.util.TreeSet<>(RESELECTION_KEYS)));
                }
            }
            if (algorithms.isEmpty()) {
                throw new SettingError("search.algorithms", "must name at least one algorithm");
            }
            for (String a : algorithms) {
                if (!SearchAlgorithms.names().contains(a)) {
                    throw new SettingError("search.algorithms", "unknown algorithm '" + a + "' (known: "
                            + String.join(", ", SearchAlgorithms.names()) + ")");
                }
            }
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Search of(ObjectNode section) {
            List<String> algorithms = new ArrayList<>();
            JsonNode given = section.path("algorithms");
            if (given.isMissingNode()) {
                algorithms.add(SearchConfig.DEFAULTS.algorithm());
            } else if (!given.isArray()) {
                throw new SettingError("search.algorithms", "expected a list");
            } else {
                given.forEach(a -> algorithms.add(a.asText()));
            }
            return new Search(algorithms, section);
        }

        @JsonValue
        ObjectNode json() {
            ObjectNode node = settings.deepCopy();
            node.set("algorithms", Json.MAPPER.valueToTree(algorithms));
            return node;
        }

        /**
         * The search of {@code algorithm} under {@code seed} on {@code subset} (null: all), into {@code dir}: a static
         * proxy's, so without re-selection whatever the section says (its {@code reselection} is the adaptive
         * methods').
         */
        SearchConfig config(String dataset, String algorithm, long seed, Path subset, Path dir) {
            return build(dataset, algorithm, seed, subset, null, dir, false);
        }

        /**
         * The search of an adaptive method (issue 37) at proxy {@code ratio} of the first {@code examples} training
         * examples: no subset file, re-selecting every {@code reselection.reselectEvery} epochs as the section says,
         * by the method's rule; {@code binWidth} is the study's for a label that sets none.
         */
        SearchConfig adaptiveConfig(String dataset, String algorithm, long seed, AdaptiveMethod method, double ratio,
                int examples, double binWidth, Path dir) {
            SearchConfig.Reselection section = build(dataset, algorithm, seed, null, null, dir, true).reselection();
            if (section == null || !section.on()) {
                throw new SettingError("search.reselection.reselectEvery", "the adaptive methods re-select every"
                        + " reselectEvery epochs: set it above 0 (below epochs)");
            }
            return build(dataset, algorithm, seed, null, method.reselection(section.reselectEvery(),
                    section.poolFraction(), examples, ratio, binWidth), dir, false);
        }

        /** The job's config; the re-selection is {@code reselection}, or the section's with {@code sectionReselection}. */
        private SearchConfig build(String dataset, String algorithm, long seed, Path subset,
                SearchConfig.Reselection reselection, Path dir, boolean sectionReselection) {
            Map<String, Object> stage = new HashMap<>(Map.of("dataset", dataset, "algorithm", algorithm, "seed", seed,
                    "outDir", dir));
            stage.put("subsetFile", subset);
            if (!sectionReselection) {
                stage.put("reselection", reselection);
            }
            return JOB.build(settings, stage);
        }

        /** The keys of {@code search.reselection} a study config may set; the method label and the study set the rest. */
        static final Set<String> RESELECTION_KEYS = Set.of("reselectEvery", "poolFraction");
    }

    /**
     * Step 4: the one training budget every found cell is trained with: the training job's settings, the cell
     * network's shape ({@code layers}, {@code channels}, {@code auxiliary}: null for the head where the images are
     * large enough for it), and the training examples ({@code trainLimit}: the first N, 0 = the scored ones).
     */
    public record Training(int layers, int channels, Boolean auxiliary, int trainLimit, ObjectNode settings) {
        static final JobSection<TrainConfig> JOB = JobSection.of("training", TrainConfig.class,
                TrainConfig.CELL_DEFAULTS,
                Set.of("dataset", "network", "outputDir", "trainSubset", "testLimit", "seed"),
                Set.of("layers", "channels", "auxiliary", "trainLimit"));
        private static final NetworkSpec.Cells DEFAULT_NETWORK =
                (NetworkSpec.Cells) TrainConfig.CELL_DEFAULTS.network();

        public Training {
            settings = JOB.settings(settings);
            if (trainLimit < 0) {
                throw new SettingError("training.trainLimit", "must be >= 0 (0 = the scored examples), found "
                        + trainLimit);
            }
            try {
                new NetworkSpec.Cells("check", DEFAULT_NETWORK.genotype(), layers, channels, auxiliary);
            } catch (UserError e) {
                String field = e.getMessage().startsWith("layers") ? "layers" : "channels";
                throw new SettingError("training." + field, e.getMessage().substring(field.length()).strip());
            }
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Training of(ObjectNode section) {
            return new Training(JOB.integer(section, "layers", DEFAULT_NETWORK.layers()),
                    JOB.integer(section, "channels", DEFAULT_NETWORK.channels()), JOB.bool(section, "auxiliary"),
                    JOB.integer(section, "trainLimit", 0), section);
        }

        @JsonValue
        ObjectNode json() {
            ObjectNode node = settings.deepCopy();
            node.put("layers", layers);
            node.put("channels", channels);
            if (auxiliary != null) {
                node.put("auxiliary", auxiliary);
            }
            node.put("trainLimit", trainLimit);
            return node;
        }

        /**
         * Refuses, naming the key, what this section asks that the dataset's images or the engine cannot do (an
         * auxiliary head on images too small for it, a precision the engine lacks), before the first stage: the
         * trainings otherwise find out after scoring and search. Checked on the default cell, since the cells to
         * train are known only after the search, and these settings are the same for every cell.
         */
        void requireRunnable(String dataset, int height, int width, int testLimit, Path dir) {
            TrainConfig check = config(dataset, "check", DEFAULT_NETWORK.genotype(), 0, testLimit, null, dir);
            try {
                ((NetworkSpec.Cells) check.network()).auxiliaryFor(height, width);
                check.precision().checkAvailable();
            } catch (UserError e) {
                throw new UserError("training." + e.getMessage(), e);
            }
        }

        /** The training of the cell {@code genotype} (named {@code label}) under {@code seed}, into {@code dir}. */
        TrainConfig config(String dataset, String label, Genotype genotype, long seed, int testLimit,
                Path trainSubset, Path dir) {
            Map<String, Object> stage = new HashMap<>(Map.of("dataset", dataset, "network",
                    new NetworkSpec.Cells(label, genotype, layers, channels, auxiliary), "outputDir", dir, "seed", seed,
                    "testLimit", testLimit));
            stage.put("trainSubset", trainSubset);
            return JOB.build(settings, stage);
        }
    }

    /**
     * The ranking study ({@link RankConfig}'s settings) on the experiment's dataset, scores, seeds and test limit,
     * with the selection's bin width; without this section the experiment has none. A proxy it shares with the
     * search part (same method, ratio and seed) is selected once.
     */
    public record Ranking(ObjectNode settings) {
        static final JobSection<RankConfig> JOB = JobSection.of("ranking", RankConfig.class, RankConfig.DEFAULTS,
                Set.of("dataset", "scores", "out", "seeds", "testLimit", "binWidth"), Set.of());

        public Ranking {
            settings = JOB.settings(settings);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Ranking of(ObjectNode section) {
            return new Ranking(section);
        }

        @JsonValue
        ObjectNode json() {
            return settings.deepCopy();
        }

        /** The study over {@code scores} of {@code dataset}, in the experiment's directory {@code out}. */
        RankConfig config(String dataset, Path scores, Path out, List<Long> seeds, int testLimit, double binWidth) {
            return JOB.build(settings, Map.of("dataset", dataset, "scores", scores, "out", out, "seeds", seeds,
                    "testLimit", testLimit, "binWidth", binWidth));
        }
    }

    /** The scoring job of this experiment, writing into {@code dir}. */
    ScoringConfig scoringConfig(Path dir) {
        return scoring.config(dataset, limit, testLimit, seeds.get(0), dir);
    }

    /** The ranking study of this experiment over {@code scores}, in {@code out}; null without a ranking section. */
    RankConfig rankConfig(Path scores, Path out) {
        return ranking == null ? null : ranking.config(dataset, scores, out, seeds, testLimit, selection.binWidth());
    }

    public ExperimentConfig {
        dataset = Objects.requireNonNullElse(dataset, "fashion-mnist");
        limit = Objects.requireNonNullElse(limit, 0);
        testLimit = Objects.requireNonNullElse(testLimit, 0);
        seeds = List.copyOf(Objects.requireNonNullElse(seeds, List.of(0L)));
        require(!seeds.isEmpty(), "seeds", "must name at least one seed");
        require(seeds.stream().distinct().count() == seeds.size(), "seeds", "must not repeat a seed");
        require(limit >= 0, "limit", "must be >= 0 (0 = the whole training split), found " + limit);
        require(testLimit >= 0, "testLimit", "must be >= 0 (0 = the whole test split), found " + testLimit);
        scoring = Objects.requireNonNullElse(scoring, Scoring.of(Json.MAPPER.createObjectNode()));
        selection = Objects.requireNonNullElse(selection, new Selection(null, null, null));
        search = Objects.requireNonNullElse(search, Search.of(Json.MAPPER.createObjectNode()));
        training = Objects.requireNonNullElse(training, Training.of(Json.MAPPER.createObjectNode()));
        // every job's config, built once now, so that a bad setting fails before any work
        Path stage = Path.of("stage");
        if (scoring.scores() == null) {
            scoring.config(dataset, limit, testLimit, seeds.get(0), stage);
        }
        for (String algorithm : search.algorithms()) {
            search.config(dataset, algorithm, seeds.get(0), null, stage);
        }
        List<AdaptiveMethod> adaptive = selection.methods().stream().flatMap(m -> AdaptiveMethod.parse(m).stream())
                .toList();
        for (AdaptiveMethod m : adaptive) {
            for (String algorithm : search.algorithms()) {
                search.adaptiveConfig(dataset, algorithm, seeds.get(0), m, selection.ratios().get(0), limit, 0.5,
                        stage);
            }
        }
        if (adaptive.isEmpty() && search.settings().path("reselection").path("reselectEvery").asInt(0) > 0) {
            throw new SettingError("search.reselection.reselectEvery", "applies only to the adaptive methods (adaptive,"
                    + " adaptive+balanced, adaptive-random), and selection.methods names none");
        }
        training.config(dataset, "check", Training.DEFAULT_NETWORK.genotype(), seeds.get(0), testLimit, null, stage);
        if (ranking != null) {
            ranking.config(dataset, stage.resolve("scores.csv"), stage, seeds, testLimit, selection.binWidth());
        }
    }

    /**
     * The methods as their canonical labels ({@link MethodLabel#label()}), each known, none twice, at least
     * one; {@code full} only where {@code fullAllowed}.
     */
    static List<String> labels(List<String> methods, String key, boolean fullAllowed) {
        require(!methods.isEmpty(), key, "must name at least one method");
        List<String> labels = new ArrayList<>();
        for (String m : methods) {
            if (fullAllowed && m.equals(FULL)) {
                labels.add(m);
                continue;
            }
            try {
                Optional<AdaptiveMethod> adaptive = AdaptiveMethod.parse(m);
                labels.add(adaptive.isPresent() ? adaptive.get().label() : MethodLabel.parse(m).label());
            } catch (UserError e) {
                throw new SettingError(key, e.getMessage());
            }
        }
        require(labels.stream().distinct().count() == labels.size(), key, "must not repeat a method");
        return List.copyOf(labels);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new SettingError(key, message);
        }
    }

    /** Reads a YAML or JSON file (JSON is YAML); unknown keys are errors so typos do not pass silently. */
    public static ExperimentConfig read(Path file) throws IOException {
        return parse(readText(file), file.toString());
    }

    /**
     * The most a config may hold, in bytes (and, for text parsed directly, in characters). A config is a page of
     * settings; a file a thousand times larger is a mistake (the wrong file), and parsing it would take seconds and
     * gigabytes before saying so.
     */
    static final int MAX_CONFIG_SIZE = 1 << 20;

    /** The config file's text, read once: the runner saves exactly the text that was parsed. */
    public static String readText(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw UserError.noSuchFile(file.toString());
        }
        long size = Files.size(file);
        if (size > MAX_CONFIG_SIZE) {
            throw new UserError(file + ": " + size + " bytes, more than the " + MAX_CONFIG_SIZE
                    + " a config may have (is it the config file?)");
        }
        return Files.readString(file);
    }

    /**
     * Reads configs strictly: an unknown key (a typo), a repeated key (which would silently take its last value)
     * and a fraction where a count is expected ({@code epochs: 1.5} would run as 1) are all errors. The stage
     * sections' settings are read into their jobs' records with it too ({@link JobSection}).
     */
    static final ObjectMapper STRICT = YAMLMapper.builder(YAMLFactory.builder().loaderOptions(loaderOptions()).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // a list of one may be written as its value (ranking: {layers: 5})
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    /** SnakeYAML's reader stops at {@link #MAX_CONFIG_SIZE} characters, also for text that came from no file. */
    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CONFIG_SIZE);
        return options;
    }

    /** Parses config text; {@code source} names it in errors (a file name, or "built-in demo config"). */
    public static ExperimentConfig parse(String text, String source) {
        refuseAliases(text, source);
        try {
            ExperimentConfig c = STRICT.readValue(text, ExperimentConfig.class);
            if (c == null) {
                throw new UserError(source + ": the config is empty");
            }
            return c;
        } catch (UnrecognizedPropertyException e) {
            String key = ConfigErrors.key(e);
            throw new UserError(source + ": " + key + ": unknown key; did you mean "
                    + ClosestName.of(String.valueOf(e.getPropertyName()), names(e.getKnownPropertyIds())) + "?"
                    + ConfigErrors.at(e.getLocation()) + renamed(key));
        } catch (JacksonException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof SettingError s) {
                    throw new UserError(source + ": " + s.getMessage() + ConfigErrors.at(text, s.key()), s);
                }
                if (t instanceof IllegalArgumentException iae) {
                    throw new UserError(source + ": " + iae.getMessage(), iae);
                }
            }
            throw new UserError(source + ": " + ConfigErrors.describe(e));
        }
    }

    /**
     * Jackson reads a YAML alias ({@code *name}) as the string "name", not as the anchored value, so a config using
     * one would run with other settings than written; it is refused, naming where. (Nor can aliases then multiply a
     * small file into a huge tree.) Text that is not valid YAML is left to the strict read, which says why.
     */
    private static void refuseAliases(String text, String source) {
        try (JsonParser parser = STRICT.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    String key = ConfigErrors.key(parser.getParsingContext());
                    throw new UserError(source + ": " + (key.isEmpty() ? "" : key + ": ") + "YAML aliases (*"
                            + parser.getText() + ") are not supported; write the value out"
                            + ConfigErrors.at(parser.currentTokenLocation()));
                }
            }
        } catch (IOException e) {
            // not valid YAML: parse() reports it with its place
        }
    }

    private static List<String> names(java.util.Collection<Object> ids) {
        return ids.stream().map(String::valueOf).toList();
    }

    /** A hint for a section renamed since earlier versions. */
    private static String renamed(String key) {
        return key.equals("evaluation") ? " (the section 'evaluation' is now called 'training')" : "";
    }
}
