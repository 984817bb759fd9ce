package org.proxynas.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.space.CellLayout;
import org.proxynas.nas.space.OperationBias;
import org.proxynas.select.SelectionJob;
import org.proxynas.select.MethodLabel;
import org.proxynas.zerocost.ZeroCostConfig;

/**
 * One ranking study: does a cheap proxy keep the order that training on all data gives a set of architectures?
 * {@code architectures} genotypes drawn from the DARTS space with {@code sampleSeed} for each operation bias of
 * {@code biases}, plus the named or file {@code genotypes}, each as a network of a depth and width drawn from
 * {@code layers} and {@code channels}, are trained on all scored examples for every seed and tested on the test
 * split; every method ranks them its own way ({@link RankMethod}: trained on a proxy, a training-free measure, or
 * a combination), and Kendall's τ-b between a method's values and the full-data accuracies says how well it keeps
 * the order.
 *
 * <p>The trainings are short rankings, not final evaluations: DARTS' evaluation optimizer (SGD lr 0.025
 * cosine-annealed, momentum 0.9, weight decay 3e-4, clip 5) without cutout, drop path or auxiliary head.
 *
 * @param scores the scores the proxies are selected from; "all data" is every scored example
 * @param methods how each method ranks ({@link RankMethod}); the first is the one the others' τ is compared with
 * @param biases the operation biases the sample is drawn with ({@link OperationBias}), {@code architectures} cells
 *     each; {@code uniform} draws exactly the sample of a study before biases existed
 * @param genotypes extra architectures: built-in names, genotype files or texts (see {@code Genotype.resolve});
 *     null for none
 * @param seeds each seed selects its proxies and trains every network anew; values are averaged over seeds
 * @param budget how long a proxy training runs against a full one ({@link Budget})
 * @param layers the depths an architecture's network is drawn from (one value: every network has it)
 * @param channels the initial widths an architecture's network is drawn from, likewise
 * @param testLimit test on the first N test images (0 = all)
 * @param topK the k of the top-k overlap
 * @param binWidth the {@code proxy} method's log10-entropy bin width; 0 = the dataset's default
 * @param zeroCostBatches mini-batches a training-free measure reads
 * @param zeroCostBatchSize their size
 */
public record RankConfig(
        String dataset,
        @JsonSerialize(using = ToStringSerializer.class) Path scores,
        @JsonSerialize(using = ToStringSerializer.class) Path out,
        @JsonDeserialize(contentUsing = MethodLabel.LabelReader.class) List<String> methods,
        double ratio,
        int architectures,
        List<String> biases,
        List<String> genotypes,
        long sampleSeed,
        List<Long> seeds,
        Budget budget,
        int epochs,
        List<Integer> layers,
        List<Integer> channels,
        int batchSize,
        int testLimit,
        int topK,
        double binWidth,
        int zeroCostBatches,
        int zeroCostBatchSize) {

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
        methods = methodLabels(methods);
        biases = List.copyOf(biases);
        require(!biases.isEmpty(), "biases must name at least one operation bias");
        biases.forEach(OperationBias::parse);
        require(biases.stream().distinct().count() == biases.size(), "biases must not repeat a bias");
        layers = List.copyOf(layers);
        channels = List.copyOf(channels);
        require(!layers.isEmpty() && !channels.isEmpty(), "layers and channels must name at least one value each");
        genotypes = genotypes == null ? List.of() : List.copyOf(genotypes);
        seeds = List.copyOf(seeds);
        SelectionJob.requireRatio(ratio);
        int ranked = architectures * biases.size() + genotypes.size();
        require(architectures >= 1 && ranked >= 3, "architectures must rank at least 3 with the biases' samples and"
                + " the extra genotypes (a ranking of fewer says nothing), found " + architectures + " x "
                + biases.size() + " bias(es) + " + genotypes.size() + " genotype(s)");
        require(!seeds.isEmpty(), "seeds must name at least one seed");
        require(seeds.stream().distinct().count() == seeds.size(), "seeds must not repeat a seed");
        require(epochs >= 1, "epochs must be >= 1, found " + epochs);
        layers.forEach(CellLayout::requireLayers);
        channels.forEach(c -> require(c >= 1, "channels must be >= 1, found " + c));
        require(zeroCostBatches >= 1, "zeroCostBatches must be >= 1, found " + zeroCostBatches);
        require(zeroCostBatchSize >= 2, "zeroCostBatchSize must be >= 2, found " + zeroCostBatchSize);
        require(batchSize >= 2, "batchSize must be >= 2, found " + batchSize);
        require(testLimit >= 0, "testLimit must be >= 0 (0 = the whole test split), found " + testLimit);
        require(topK >= 1 && topK <= ranked, "topK must be between 1 and the " + ranked + " architectures, found "
                + topK);
        require(binWidth >= 0, "binWidth must be >= 0 (0 = the dataset's default), found " + binWidth);
    }

    /** The methods as canonical labels, each known, none twice, at least one. */
    private static List<String> methodLabels(List<String> methods) {
        require(methods != null && !methods.isEmpty(), "methods must name at least one method");
        List<String> labels = new ArrayList<>();
        for (String m : methods) {
            try {
                labels.add(RankMethod.parse(m).label());
            } catch (UserError e) {
                throw new UserError("methods: " + e.getMessage(), e);
            }
        }
        require(labels.stream().distinct().count() == labels.size(), "methods must not repeat a method");
        return List.copyOf(labels);
    }

    /** How each method ranks, in {@link #methods} order. */
    public List<RankMethod> rankMethods() {
        return methods.stream().map(RankMethod::parse).toList();
    }

    /** The operation biases of the sample. */
    public List<OperationBias> operationBiases() {
        return biases.stream().map(OperationBias::parse).toList();
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
                biases, genotypes, sampleSeed, seeds, budget, epochs, layers, channels, batchSize, testLimit, topK,
                binWidth, zeroCostBatches, zeroCostBatchSize);
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
        private List<String> biases = List.of(OperationBias.UNIFORM.name());
        private List<String> genotypes = List.of();
        private long sampleSeed;
        private List<Long> seeds = List.of(0L);
        private Budget budget = Budget.EPOCHS;
        private int epochs = 10;
        private List<Integer> layers = List.of(SearchConfig.DEFAULTS.layers());
        private List<Integer> channels = List.of(SearchConfig.DEFAULTS.channels());
        private int batchSize = SearchConfig.DEFAULTS.batchSize();
        private int testLimit;
        private int topK = 3;
        private int zeroCostBatches = ZeroCostConfig.DEFAULT_BATCHES;
        private int zeroCostBatchSize = ZeroCostConfig.DEFAULT_BATCH_SIZE;
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

        /** Default {@code uniform}: the whole DARTS space alike. */
        public Builder optBiases(List<String> biases) {
            this.biases = biases;
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

        public Builder optLayers(List<Integer> layers) {
            this.layers = layers;
            return this;
        }

        public Builder optChannels(List<Integer> channels) {
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

        /** Default: the authors' one batch of 64. */
        public Builder optZeroCostBatches(int batches, int batchSize) {
            this.zeroCostBatches = batches;
            this.zeroCostBatchSize = batchSize;
            return this;
        }

        public RankConfig build() {
            if (scores == null || out == null) {
                throw new UserError("rank: the scores file and the output directory are required");
            }
            return new RankConfig(dataset, scores, out, methods, ratio, architectures, biases, genotypes, sampleSeed,
                    seeds, budget, epochs, layers, channels, batchSize, testLimit, topK, binWidth, zeroCostBatches,
                    zeroCostBatchSize);
        }
    }
}
