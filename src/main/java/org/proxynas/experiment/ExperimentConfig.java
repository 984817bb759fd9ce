package org.proxynas.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.proxynas.common.Precision;
import org.proxynas.common.UserError;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.score.ScoringConfig;
import org.proxynas.select.SelectionMethod;
import org.proxynas.train.EvaluationConfig;

/**
 * One experiment: which data, which proxies, which search, which evaluation budget, which seeds, and
 * optionally a ranking study over the same scores. Read
 * from YAML or JSON; every field has a default so a config names only what it changes. Validation
 * happens here, before any work starts, and names the offending key.
 */
public record ExperimentConfig(
        String dataset,
        Integer limit,
        Integer testLimit,
        List<Long> seeds,
        Scoring scoring,
        Selection selection,
        Search search,
        Evaluation evaluation,
        Ranking ranking) {
    // Defaults are the paper's full-scale settings (method.md); configs for CPU runs shrink them.

    /** Step 1: the baseline that scores every example, or an existing scores file. */
    public record Scoring(String arch, Integer epochs, Integer batchSize, Double lr, String schedule, Boolean augment,
            String scores, Integer shards) {
        public Scoring {
            schedule = Objects.requireNonNullElse(schedule, ScoringConfig.STEP);
            augment = Objects.requireNonNullElse(augment, true);
            require(ScoringConfig.SCHEDULES.contains(schedule), "scoring.schedule",
                    "must be one of " + String.join(", ", ScoringConfig.SCHEDULES) + ", found '" + schedule + "'");
            shards = Objects.requireNonNullElse(shards, 1);
            require(shards > 0, "scoring.shards", "must be positive, found " + shards);
            arch = Objects.requireNonNullElse(arch, ScoringConfig.DEFAULT_ARCH);
            epochs = Objects.requireNonNullElse(epochs, ScoringConfig.DEFAULT_EPOCHS);
            batchSize = Objects.requireNonNullElse(batchSize, ScoringConfig.DEFAULT_BATCH_SIZE);
            lr = Objects.requireNonNullElse(lr, ScoringConfig.DEFAULT_LR);
            require(arch.equals("resnet20") || arch.equals("resnet56"), "scoring.arch",
                    "must be resnet20 or resnet56, found '" + arch + "'");
            require(epochs > 0, "scoring.epochs", "must be positive, found " + epochs);
            require(batchSize > 0, "scoring.batchSize", "must be positive, found " + batchSize);
            require(lr > 0, "scoring.lr", "must be positive, found " + lr);
        }
    }

    /** Step 2: selection methods (plus {@code full}, meaning no selection) and proxy ratios. */
    public record Selection(@JsonDeserialize(contentUsing = SelectionMethod.LabelReader.class) List<String> methods,
            List<Double> ratios, Double binWidth) {
        public Selection {
            binWidth = Objects.requireNonNullElse(binWidth, 0.0);
            methods = labels(Objects.requireNonNullElse(methods, List.of("proxy", "random", FULL)), "selection.methods",
                    true);
            ratios = List.copyOf(Objects.requireNonNullElse(ratios, List.of(0.1)));
            require(!ratios.isEmpty(), "selection.ratios", "must name at least one ratio");
            for (double r : ratios) {
                require(r > 0 && r <= 1, "selection.ratios", "each ratio must be in (0, 1], found " + r);
            }
            require(binWidth >= 0, "selection.binWidth", "must be positive (0 = dataset default), found " + binWidth);
        }
    }

    /**
     * Step 3: the search algorithms and their budget, the supernet's nodes per cell, and SGAS' decision
     * schedule, which must fit the epochs.
     */
    public record Search(List<String> algorithms, Integer epochs, Integer layers, Integer channels,
            Integer batchSize, Integer nodes, Sgas sgas) {
        public Search {
            epochs = Objects.requireNonNullElse(epochs, SearchConfig.DEFAULT_EPOCHS);
            layers = Objects.requireNonNullElse(layers, SearchConfig.DEFAULT_LAYERS);
            channels = Objects.requireNonNullElse(channels, SearchConfig.DEFAULT_CHANNELS);
            batchSize = Objects.requireNonNullElse(batchSize, SearchConfig.DEFAULT_BATCH_SIZE);
            nodes = Objects.requireNonNullElse(nodes, SearchConfig.DEFAULT_NODES);
            sgas = Objects.requireNonNullElse(sgas, new Sgas(null, null, null, null));
            algorithms = List.copyOf(
                    Objects.requireNonNullElse(algorithms, List.of(SearchConfig.DEFAULT_ALGORITHM)));
            require(!algorithms.isEmpty(), "search.algorithms", "must name at least one algorithm");
            require(epochs > 0, "search.epochs", "must be positive, found " + epochs);
            require(layers >= 3, "search.layers", "must be at least 3, found " + layers);
            require(channels > 0, "search.channels", "must be positive, found " + channels);
            require(batchSize > 0, "search.batchSize", "must be positive, found " + batchSize);
            require(nodes > 0, "search.nodes", "must be positive, found " + nodes);
            int needed = sgas.settings().lastDecisionEpoch(nodes) + 1;
            require(!algorithms.contains("sgas") || epochs >= needed, "search.epochs",
                    epochs + " is too short for sgas: deciding the " + 2 * nodes + " edges of a " + nodes
                    + "-node cell takes " + needed + " epochs (search.sgas.decisionWarmup "
                    + sgas.decisionWarmup() + " + " + (2 * nodes - 1) + " x search.sgas.decisionFrequency "
                    + sgas.decisionFrequency() + " + 1)");
        }
    }

    /** SGAS' criterion and decision schedule ({@link SearchConfig.SgasSettings}; defaults the authors'). */
    public record Sgas(Integer criterion, Integer decisionWarmup, Integer decisionFrequency, Integer historySize) {
        public Sgas {
            SearchConfig.SgasSettings defaults = SearchConfig.SgasSettings.DEFAULTS;
            criterion = Objects.requireNonNullElse(criterion, defaults.criterion());
            decisionWarmup = Objects.requireNonNullElse(decisionWarmup, defaults.decisionWarmup());
            decisionFrequency = Objects.requireNonNullElse(decisionFrequency, defaults.decisionFrequency());
            historySize = Objects.requireNonNullElse(historySize, defaults.historySize());
            try {
                new SearchConfig.SgasSettings(criterion, decisionWarmup, decisionFrequency, historySize);
            } catch (UserError e) {
                throw new UserError("search.sgas: " + e.getMessage(), e);
            }
        }

        public SearchConfig.SgasSettings settings() {
            return new SearchConfig.SgasSettings(criterion, decisionWarmup, decisionFrequency, historySize);
        }
    }

    /** Step 4: the one evaluation budget every found cell is trained with. */
    public record Evaluation(Integer epochs, Integer layers, Integer channels, Integer batchSize,
            Boolean auxiliary, Integer cutout, Double dropPath, Integer trainLimit,
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Precision.DefaultFilter.class)
            Precision precision) {
        public Evaluation {
            epochs = Objects.requireNonNullElse(epochs, EvaluationConfig.CELL_EPOCHS);
            layers = Objects.requireNonNullElse(layers, EvaluationConfig.CELL_LAYERS);
            channels = Objects.requireNonNullElse(channels, EvaluationConfig.CELL_CHANNELS);
            batchSize = Objects.requireNonNullElse(batchSize, EvaluationConfig.CELL_BATCH_SIZE);
            auxiliary = Objects.requireNonNullElse(auxiliary, true);
            cutout = Objects.requireNonNullElse(cutout, EvaluationConfig.CELL_CUTOUT);
            dropPath = Objects.requireNonNullElse(dropPath, EvaluationConfig.CELL_DROP_PATH);
            trainLimit = Objects.requireNonNullElse(trainLimit, 0);
            precision = Objects.requireNonNullElse(precision, Precision.FP32);
            require(epochs > 0, "evaluation.epochs", "must be positive, found " + epochs);
            require(layers >= 3, "evaluation.layers", "must be at least 3, found " + layers);
            require(channels > 0, "evaluation.channels", "must be positive, found " + channels);
            require(batchSize > 0, "evaluation.batchSize", "must be positive, found " + batchSize);
            require(cutout >= 0, "evaluation.cutout", "must be >= 0, found " + cutout);
            require(dropPath >= 0 && dropPath < 1, "evaluation.dropPath", "must be in [0, 1), found " + dropPath);
            require(trainLimit >= 0, "evaluation.trainLimit", "must be >= 0 (0 = all), found " + trainLimit);
        }
    }

    /**
     * The ranking study ({@link RankConfig}) on the experiment's dataset, scores, seeds and test limit, with
     * the selection's bin width; without this key the experiment has none. A proxy it shares with the search
     * part (same method, ratio and seed) is selected once.
     */
    public record Ranking(@JsonDeserialize(contentUsing = SelectionMethod.LabelReader.class) List<String> methods, Double ratio, Integer architectures, List<String> genotypes,
            Long sampleSeed, RankConfig.Budget budget, Integer epochs, Integer layers, Integer channels,
            Integer batchSize, Integer topK) {
        public Ranking {
            methods = labels(Objects.requireNonNullElse(methods, List.of(RankConfig.DEFAULT_METHODS.split(","))),
                    "ranking.methods", false);
            ratio = Objects.requireNonNullElse(ratio, RankConfig.DEFAULT_RATIO);
            architectures = Objects.requireNonNullElse(architectures, RankConfig.DEFAULT_ARCHITECTURES);
            genotypes = List.copyOf(Objects.requireNonNullElse(genotypes, List.of()));
            sampleSeed = Objects.requireNonNullElse(sampleSeed, 0L);
            budget = Objects.requireNonNullElse(budget, RankConfig.Budget.EPOCHS);
            epochs = Objects.requireNonNullElse(epochs, RankConfig.DEFAULT_EPOCHS);
            layers = Objects.requireNonNullElse(layers, RankConfig.DEFAULT_LAYERS);
            channels = Objects.requireNonNullElse(channels, RankConfig.DEFAULT_CHANNELS);
            batchSize = Objects.requireNonNullElse(batchSize, RankConfig.DEFAULT_BATCH_SIZE);
            topK = Objects.requireNonNullElse(topK, RankConfig.DEFAULT_TOP_K);
            require(ratio > 0 && ratio <= 1, "ranking.ratio", "must be in (0, 1], found " + ratio);
            require(architectures >= 3, "ranking.architectures", "must be at least 3, found " + architectures);
            require(epochs > 0, "ranking.epochs", "must be positive, found " + epochs);
            require(layers >= 3, "ranking.layers", "must be at least 3, found " + layers);
            require(channels > 0, "ranking.channels", "must be positive, found " + channels);
            require(batchSize >= 2, "ranking.batchSize", "must be at least 2, found " + batchSize);
            require(topK >= 1 && topK <= architectures, "ranking.topK",
                    "must be between 1 and ranking.architectures (" + architectures + "), found " + topK);
        }
    }

    /** The pseudo-method "search on all (scored) training data". */
    public static final String FULL = "full";

    public ExperimentConfig {
        dataset = Objects.requireNonNullElse(dataset, "fashion-mnist");
        limit = Objects.requireNonNullElse(limit, 0);
        testLimit = Objects.requireNonNullElse(testLimit, 0);
        seeds = List.copyOf(Objects.requireNonNullElse(seeds, List.of(0L)));
        require(!seeds.isEmpty(), "seeds", "must name at least one seed");
        require(seeds.stream().distinct().count() == seeds.size(), "seeds", "must not repeat a seed");
        require(limit >= 0, "limit", "must be >= 0 (0 = the whole training split), found " + limit);
        require(testLimit >= 0, "testLimit", "must be >= 0 (0 = the whole test split), found " + testLimit);
        scoring = Objects.requireNonNullElse(scoring, new Scoring(null, null, null, null, null, null, null, null));
        selection = Objects.requireNonNullElse(selection, new Selection(null, null, null));
        search = Objects.requireNonNullElse(search, new Search(null, null, null, null, null, null, null));
        evaluation = Objects.requireNonNullElse(evaluation,
                new Evaluation(null, null, null, null, null, null, null, null, null));
    }

    /**
     * The methods as their canonical labels ({@link SelectionMethod#label()}), each known, none twice, at least
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
                labels.add(SelectionMethod.parse(m).label());
            } catch (UserError e) {
                throw new UserError(key + ": " + e.getMessage(), e);
            }
        }
        require(labels.stream().distinct().count() == labels.size(), key, "must not repeat a method");
        return List.copyOf(labels);
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new UserError(key + ": " + message);
        }
    }

    /** Reads a YAML or JSON file (JSON is YAML); unknown keys are errors so typos do not pass silently. */
    public static ExperimentConfig read(Path file) throws IOException {
        return parse(readText(file), file.toString());
    }

    /** The config file's text, read once: the runner saves exactly the text that was parsed. */
    public static String readText(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw UserError.noSuchFile(file.toString());
        }
        return Files.readString(file);
    }

    /**
     * Reads configs strictly: an unknown key (a typo), a repeated key (which would silently take its last value)
     * and a fraction where a count is expected ({@code epochs: 1.5} would run as 1) are all errors.
     */
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    /** Parses config text; {@code source} names it in errors (a file name, or "built-in demo config"). */
    public static ExperimentConfig parse(String text, String source) {
        try {
            ExperimentConfig c = YAML.readValue(text, ExperimentConfig.class);
            if (c == null) {
                throw new UserError(source + ": the config is empty");
            }
            return c;
        } catch (UnrecognizedPropertyException e) {
            throw new UserError(source + ": unknown key '" + ConfigErrors.key(e) + "' (known there: "
                    + e.getKnownPropertyIds() + ")");
        } catch (JacksonException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw new UserError(source + ": " + iae.getMessage());
            }
            throw new UserError(source + ": " + ConfigErrors.describe(e));
        }
    }
}
