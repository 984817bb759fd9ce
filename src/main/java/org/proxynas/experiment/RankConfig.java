package org.proxynas.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.space.CellLayout;
import org.proxynas.select.SelectionJob;
import org.proxynas.select.MethodLabel;

/**
 * One ranking study: does training on a proxy keep the order that training on all data gives a set of
 * architectures? {@code architectures} genotypes drawn from the DARTS space with {@code sampleSeed}, plus the
 * named or file {@code genotypes}, are each trained on all scored examples and on the proxy set every method
 * selects (ratio {@code ratio}), with one network shape and one budget, for every seed, and tested on the
 * test split. Kendall's τ-b between the two accuracies per architecture says how well a method keeps the order.
 *
 * <p>The trainings are short rankings, not final evaluations: DARTS' evaluation optimizer (SGD lr 0.025
 * cosine-annealed, momentum 0.9, weight decay 3e-4, clip 5) without cutout, drop path or auxiliary head.
 *
 * @param scores the scores the proxies are selected from; "all data" is every scored example
 * @param methods the selection methods, each with its settings ({@link org.proxynas.select.MethodLabel}:
 *     {@code proxy+balanced} is the paper's method within each class)
 * @param genotypes extra architectures: built-in names, genotype files or texts (see {@code Genotype.resolve});
 *     null for none
 * @param seeds each seed selects its proxies and trains every network anew; accuracies are averaged over seeds
 * @param budget how long a proxy training runs against a full one ({@link Budget})
 * @param testLimit test on the first N test images (0 = all)
 * @param topK the k of the top-k overlap
 * @param binWidth the {@code proxy} method's log10-entropy bin width; 0 = the dataset's default
 */
public record RankConfig(
        String dataset,
        @JsonSerialize(using = ToStringSerializer.class) Path scores,
        @JsonSerialize(using = ToStringSerializer.class) Path out,
        @JsonDeserialize(contentUsing = MethodLabel.LabelReader.class) List<String> methods,
        double ratio,
        int architectures,
        List<String> genotypes,
        long sampleSeed,
        List<Long> seeds,
        Budget budget,
        int epochs,
        int layers,
        int channels,
        int batchSize,
        int testLimit,
        int topK,
        double binWidth) {

    /**
     * Every setting at its default (the builder's), around a placeholder dataset, scores and output: what the
     * command line's options and an experiment's {@code ranking} section start from.
     */
    public static final RankConfig DEFAULTS = builder().setDataset(Datasets.FASHION_MNIST)
            .setScores(Path.of("scores.csv")).setOut(Path.of("rank")).build();

    /**
     * How long a proxy training runs. {@code epochs} (the default) is the paper's protocol: its proxy search
     * runs as many epochs as the full one, which is where the saving comes from, so a ratio-R proxy costs R of
     * a full training. {@code steps} gives a proxy as many SGD steps as all data gets (rounded up to whole
     * epochs): it saves nothing, but separates "fewer examples" from "less training".
     */
    public enum Budget {
        EPOCHS,
        STEPS;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Budget parse(String text) {
            for (Budget b : values()) {
                if (b.label().equals(text)) {
                    return b;
                }
            }
            throw new UserError("budget: expected epochs or steps, found '" + text + "'");
        }
    }

    public RankConfig {
        if (dataset == null || dataset.isBlank()) {
            throw new UserError("DATASET: expected a dataset spec such as fashion-mnist, found nothing");
        }
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(budget, "budget");
        methods = ExperimentConfig.labels(methods, "methods", false);
        genotypes = genotypes == null ? List.of() : List.copyOf(genotypes);
        seeds = List.copyOf(seeds);
        SelectionJob.requireRatio(ratio);
        require(architectures >= 3, "architectures must be at least 3 (a ranking of fewer says nothing), found "
                + architectures);
        require(!seeds.isEmpty(), "seeds must name at least one seed");
        require(seeds.stream().distinct().count() == seeds.size(), "seeds must not repeat a seed");
        require(epochs >= 1, "epochs must be >= 1, found " + epochs);
        CellLayout.requireLayers(layers);
        require(channels >= 1, "channels must be >= 1, found " + channels);
        require(batchSize >= 2, "batchSize must be >= 2, found " + batchSize);
        require(testLimit >= 0, "testLimit must be >= 0 (0 = the whole test split), found " + testLimit);
        require(topK >= 1 && topK <= architectures, "topK must be between 1 and architectures ("
                + architectures + "), found " + topK);
        require(binWidth >= 0, "binWidth must be >= 0 (0 = the dataset's default), found " + binWidth);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserError(message);
        }
    }

    /**
     * The epochs of a training on {@code examples} of the {@code all} scored ones under the budget: the same
     * epochs, or as many batches as all data gets in {@code epochs}, rounded up to whole epochs.
     */
    /** This config with absolute paths: what a worker elsewhere reads from the study's definition file. */
    public RankConfig absolute() {
        return new RankConfig(dataset, scores.toAbsolutePath(), out.toAbsolutePath(), methods, ratio, architectures,
                genotypes, sampleSeed, seeds, budget, epochs, layers, channels, batchSize, testLimit, topK, binWidth);
    }

    public int epochsOn(int examples, int all) {
        if (budget == Budget.EPOCHS) {
            return epochs;
        }
        long steps = (long) epochs * batches(all);
        return (int) ((steps + batches(examples) - 1) / batches(examples));
    }

    private int batches(int examples) {
        return (examples + batchSize - 1) / batchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code set*} required; {@code opt*} default to the paper's method and its main control, the paper's ratio,
     * and the network DARTS searches with (the size at which one-shot NAS compares architectures).
     */
    public static final class Builder {
        private String dataset;
        private Path scores;
        private Path out;
        private List<String> methods = List.of("proxy", "random");
        private double ratio = 0.1;
        private int architectures = 10;
        private List<String> genotypes = List.of();
        private long sampleSeed;
        private List<Long> seeds = List.of(0L);
        private Budget budget = Budget.EPOCHS;
        private int epochs = 10;
        private int layers = SearchConfig.DEFAULTS.layers();
        private int channels = SearchConfig.DEFAULTS.channels();
        private int batchSize = SearchConfig.DEFAULTS.batchSize();
        private int testLimit;
        private int topK = 3;
        private double binWidth;

        private Builder() {}

        public Builder setDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder setScores(Path scores) {
            this.scores = scores;
            return this;
        }

        /** The study's directory: its stages, {@code architectures.json}, {@code rank.json}, {@code rank.html}. */
        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        public Builder optMethods(List<String> methods) {
            this.methods = methods;
            return this;
        }

        public Builder optRatio(double ratio) {
            this.ratio = ratio;
            return this;
        }

        public Builder optArchitectures(int architectures) {
            this.architectures = architectures;
            return this;
        }

        public Builder optGenotypes(List<String> genotypes) {
            this.genotypes = genotypes;
            return this;
        }

        public Builder optSampleSeed(long sampleSeed) {
            this.sampleSeed = sampleSeed;
            return this;
        }

        public Builder optSeeds(List<Long> seeds) {
            this.seeds = seeds;
            return this;
        }

        public Builder optBudget(Budget budget) {
            this.budget = budget;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optTestLimit(int testLimit) {
            this.testLimit = testLimit;
            return this;
        }

        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder optBinWidth(double binWidth) {
            this.binWidth = binWidth;
            return this;
        }

        public RankConfig build() {
            if (scores == null || out == null) {
                throw new UserError("rank: the scores file and the output directory are required");
            }
            return new RankConfig(dataset, scores, out, methods, ratio, architectures, genotypes, sampleSeed, seeds,
                    budget, epochs, layers, channels, batchSize, testLimit, topK, binWidth);
        }
    }
}
