package org.proxynas.select;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.Objects;
import org.proxynas.common.UserError;

/**
 * One selection: a proxy set of {@code ratio} (or exactly {@code size}) of the scored examples, chosen by
 * {@code method}, written to {@code out}.
 *
 * @param scores the scores CSV of {@code proxynas score}; its summary ({@code foo.json} next to
 *     {@code foo.csv}) names the dataset and its checksum
 * @param embeddings the penultimate features ({@code kcenter} needs them), or null
 * @param dataset the dataset the scores belong to, or null for the one the scores' summary names; given
 *     or needed (by {@code export}), it is opened and checked against the scores
 * @param binWidth the proxy method's histogram bin width, or null for the dataset's default
 * @param plot also draw the selection as a PNG here, or null
 * @param export also write the proxy set as a dataset in the source's format into this folder, or null
 */
public record SelectionConfig(
        @JsonSerialize(using = ToStringSerializer.class) Path scores,
        @JsonSerialize(using = ToStringSerializer.class) Path embeddings,
        String dataset,
        String method,
        Double ratio,
        Integer size,
        long seed,
        Double binWidth,
        BinProbability probability,
        double lowFraction,
        boolean balanced,
        @JsonSerialize(using = ToStringSerializer.class) Path out,
        @JsonSerialize(using = ToStringSerializer.class) Path plot,
        @JsonSerialize(using = ToStringSerializer.class) Path export) {

    /**
     * Every setting at its default (the builder's: the paper's method at the paper's ratio), reading and writing the
     * default files: what the command line's options start from.
     */
    public static final SelectionConfig DEFAULTS = builder().setScores(Path.of("scores.csv"))
            .setOut(Path.of("proxy.json")).setRatio(0.1).build();

    public SelectionConfig {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(probability, "probability");
        if (!Selectors.METHODS.contains(method)) {
            throw new UserError("method: unknown method '" + method + "' (expected one of "
                    + String.join(", ", Selectors.METHODS) + ")");
        }
        if ((ratio == null) == (size == null)) {
            throw new UserError("give exactly one of ratio and size, found " + (ratio == null ? "neither" : "both"));
        }
        if (ratio != null) {
            SelectionJob.requireRatio(ratio);
        }
        // the method's own settings, checked once here rather than when the method runs
        new SelectorOptions(binWidth != null ? binWidth : EntropyHistogramSelector.DEFAULT_BIN_WIDTH, probability,
                lowFraction, balanced);
    }

    /** The number of examples to select out of {@code scored}. */
    public int count(int scored) {
        return ratio != null ? SelectionJob.sizeForRatio(ratio, scored) : SelectionJob.checkSize(size, scored);
    }

    /** The method's settings, the bin width resolved for {@code dataset} when none was given. */
    public SelectorOptions options(String datasetSpec) {
        double width = binWidth != null ? binWidth : EntropyHistogramSelector.defaultBinWidth(datasetSpec);
        return new SelectorOptions(width, probability, lowFraction, balanced);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code set*} required, {@code opt*} defaulted to the paper's method and settings. */
    public static final class Builder {
        private Path scores;
        private Path embeddings;
        private String dataset;
        private String method = EntropyHistogramSelector.NAME;
        private Double ratio;
        private Integer size;
        private long seed;
        private Double binWidth;
        private BinProbability probability = BinProbability.P1;
        private double lowFraction = MethodLabel.DEFAULT_LOW_FRACTION;
        private boolean balanced;
        private Path out;
        private Path plot;
        private Path export;

        private Builder() {}

        public Builder setScores(Path scores) {
            this.scores = scores;
            return this;
        }

        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        /** Exactly one of {@link #setRatio} and {@link #setSize}. */
        public Builder setRatio(Double ratio) {
            this.ratio = ratio;
            return this;
        }

        public Builder setSize(Integer size) {
            this.size = size;
            return this;
        }

        public Builder optEmbeddings(Path embeddings) {
            this.embeddings = embeddings;
            return this;
        }

        public Builder optDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        /** Default: {@code proxy}, the paper's method. */
        public Builder optMethod(String method) {
            this.method = method;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optBinWidth(Double binWidth) {
            this.binWidth = binWidth;
            return this;
        }

        /** Default P1, the paper's main bin weighting. */
        public Builder optProbability(BinProbability probability) {
            this.probability = probability;
            return this;
        }

        /** Default {@link MethodLabel#DEFAULT_LOW_FRACTION} ({@code entropy-tails} only). */
        public Builder optLowFraction(double lowFraction) {
            this.lowFraction = lowFraction;
            return this;
        }

        public Builder optBalanced(boolean balanced) {
            this.balanced = balanced;
            return this;
        }

        public Builder optPlot(Path plot) {
            this.plot = plot;
            return this;
        }

        public Builder optExport(Path export) {
            this.export = export;
            return this;
        }

        public SelectionConfig build() {
            if (scores == null || out == null) {
                throw new UserError("selection: the scores file and the output file are required");
            }
            return new SelectionConfig(scores, embeddings, dataset, method, ratio, size, seed, binWidth, probability,
                    lowFraction, balanced, out, plot, export);
        }
    }
}
