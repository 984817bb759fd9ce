package org.proxynas.zerocost;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.proxynas.common.UserError;
import org.proxynas.train.NetworkSpec;

/**
 * One zero-cost measurement: the network {@code network} stacks, with the weights a training of it seeded
 * {@code seed} starts from ({@link org.proxynas.train.TrainJob}), measured by each of {@code measures} on the
 * first {@code batches} mini-batches of {@code batchSize} examples of the training split of {@code dataset} (or of
 * the subset a selection file names) in the order that seed shuffles them, normalized as training normalizes them,
 * without augmentation. Defaults: one batch of 64, every measure (the authors' one batch of 64).
 */
public record ZeroCostConfig(
        String dataset,
        NetworkSpec.Cells network,
        @JsonSerialize(using = ToStringSerializer.class) Path trainSubset,
        long seed,
        int batches,
        int batchSize,
        List<String> measures) {

    public static final int DEFAULT_BATCHES = 1;
    public static final int DEFAULT_BATCH_SIZE = 64;

    public ZeroCostConfig {
        Objects.requireNonNull(network, "network");
        if (dataset == null || dataset.isBlank()) {
            throw new UserError("DATASET: expected a dataset spec such as fashion-mnist, found nothing");
        }
        if (batches < 1) {
            throw new UserError("zero-cost batches must be >= 1, found " + batches);
        }
        // batch statistics and the correlations of jacob_cov need two examples at least
        if (batchSize < 2) {
            throw new UserError("zero-cost batch size must be >= 2, found " + batchSize);
        }
        measures = List.copyOf(measures == null ? ZeroCostMeasures.NAMES : measures);
        if (measures.isEmpty()) {
            throw new UserError("zero-cost measures: expected at least one of "
                    + String.join(", ", ZeroCostMeasures.NAMES) + ", found none");
        }
        if (new HashSet<>(measures).size() != measures.size()) {
            throw new UserError("zero-cost measures: each measure once, found " + measures);
        }
        measures.forEach(ZeroCostMeasures::create);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code set*} required, {@code opt*} defaulted (see the class comment). */
    public static final class Builder {
        private String dataset;
        private NetworkSpec.Cells network;
        private Path trainSubset;
        private long seed;
        private int batches = DEFAULT_BATCHES;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private List<String> measures = ZeroCostMeasures.NAMES;

        private Builder() {}

        public Builder setDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder setNetwork(NetworkSpec.Cells network) {
            this.network = network;
            return this;
        }

        /** A selection file ({@code proxy.json}) whose examples the batches are drawn from; default all. */
        public Builder optTrainSubset(Path trainSubset) {
            this.trainSubset = trainSubset;
            return this;
        }

        /** The seed of the training whose initial network is measured; it also orders the examples. Default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optBatches(int batches) {
            this.batches = batches;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Names from {@link ZeroCostMeasures#NAMES}, measured in this order. */
        public Builder optMeasures(List<String> measures) {
            this.measures = measures;
            return this;
        }

        public ZeroCostConfig build() {
            return new ZeroCostConfig(dataset, network, trainSubset, seed, batches, batchSize, measures);
        }
    }
}
