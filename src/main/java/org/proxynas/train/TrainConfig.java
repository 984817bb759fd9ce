package org.proxynas.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.Objects;
import org.proxynas.common.Require;
import org.proxynas.common.UserError;
import org.proxynas.common.Precision;
import org.proxynas.data.Datasets;
import org.proxynas.nas.space.Genotype;

/**
 * One training run: train {@code network} on the training split of {@code dataset} (or the subset a
 * selection file names), test on the test split after every epoch (or, without {@code testEveryEpoch}, after
 * the last one only), write everything under
 * {@code outputDir}. The test split is reported, never used for any choice.
 *
 * <p>Defaults depend on the network. Cells follow the DARTS evaluation protocol (600 epochs, batch 96,
 * SGD lr 0.025 cosine-annealed to 0, momentum 0.9, weight decay 3e-4, cutout 16, auxiliary weight 0.4,
 * drop path 0.2 ramped linearly, gradient clip 5); {@code auxWeight} weighs the auxiliary loss when the
 * network has the head. ResNets follow the CIFAR ResNet recipe the paper's
 * scorer uses (200 epochs, batch 128, SGD lr 0.1, momentum 0.9, weight decay 1e-4, ×0.1 at 50% and 75%
 * of the epochs, no cutout, no clipping); they have no auxiliary head and no drop path. Both train in fp32
 * unless {@code precision} says otherwise.
 */
public record TrainConfig(
        String dataset,
        NetworkSpec network,
        @JsonSerialize(using = ToStringSerializer.class) Path outputDir,
        int epochs,
        int batchSize,
        double lr,
        double momentum,
        double weightDecay,
        int cutout,
        double auxWeight,
        double dropPath,
        double gradClip,
        long seed,
        @JsonSerialize(using = ToStringSerializer.class) Path trainSubset,
        int testLimit,
        boolean testEveryEpoch,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Precision.DefaultFilter.class)
        Precision precision) {

    /**
     * The DARTS evaluation protocol: DARTS_V2 as a network of 20 cells with C=36 and every setting at the builder's
     * default for cells; what the command line's help and an experiment's {@code training} section start from.
     */
    public static final TrainConfig CELL_DEFAULTS = builder().setDataset(Datasets.FASHION_MNIST)
            .setNetwork(new NetworkSpec.Cells("DARTS_V2", Genotype.named("DARTS_V2"), 20, 36, null))
            .setOutputDir(Path.of("train")).build();
    /** The CIFAR ResNet recipe: ResNet-20 and every setting at the builder's default for ResNets. */
    public static final TrainConfig RESNET_DEFAULTS = builder().setDataset(Datasets.FASHION_MNIST)
            .setNetwork(new NetworkSpec.ResNet(20)).setOutputDir(Path.of("train")).build();

    public TrainConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(precision, "precision");
        if (dataset == null || dataset.isBlank()) {
            throw new UserError("DATASET: expected a dataset spec such as fashion-mnist, found nothing");
        }
        Require.atLeast("epochs", epochs, 1, null);
        Require.atLeast("batchSize", batchSize, 2, "batch norm trains on pairs at least");
        Require.positive("lr", lr);
        Require.fraction("momentum", momentum);
        Require.nonNegative("weightDecay", weightDecay);
        Require.atLeast("cutout", cutout, 0, "0 = off");
        Require.nonNegative("auxWeight", auxWeight);
        Require.fraction("dropPath", dropPath);
        Require.nonNegative("gradClip", gradClip, "0 = off");
        if (testLimit < 0) {
            throw new UserError("testLimit must be >= 0 (0 = the whole test split), found "
                    + testLimit);
        }
        if (network instanceof NetworkSpec.ResNet && dropPath > 0) {
            throw new UserError("dropPath applies to cell networks (a genotype) only (ResNets have no"
                    + " cells to drop)");
        }
        if (network instanceof NetworkSpec.ResNet && auxWeight > 0) {
            throw new UserError("auxiliary weight " + auxWeight + " needs a network with an"
                    + " auxiliary head (a genotype)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code set*} required; every {@code opt*} left unset takes the default of the network's protocol (see
     * the class comment).
     */
    public static final class Builder {
        private String dataset;
        private NetworkSpec network;
        private Path outputDir;
        private Integer epochs;
        private Integer batchSize;
        private Double lr;
        private Double momentum;
        private Double weightDecay;
        private Integer cutout;
        private Double dropPath;
        private Double gradClip;
        private long seed;
        private Path trainSubset;
        private int testLimit;
        private boolean testEveryEpoch = true;
        private Precision precision = Precision.FP32;

        private Builder() {}

        public Builder setDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder setNetwork(NetworkSpec network) {
            this.network = network;
            return this;
        }

        public Builder setOutputDir(Path outputDir) {
            this.outputDir = outputDir;
            return this;
        }

        public Builder optEpochs(Integer epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optLr(Double lr) {
            this.lr = lr;
            return this;
        }

        public Builder optMomentum(Double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optWeightDecay(Double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optCutout(Integer cutout) {
            this.cutout = cutout;
            return this;
        }

        public Builder optDropPath(Double dropPath) {
            this.dropPath = dropPath;
            return this;
        }

        public Builder optGradClip(Double gradClip) {
            this.gradClip = gradClip;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A selection file ({@code proxy.json}) restricting training to its examples. */
        public Builder optTrainSubset(Path trainSubset) {
            this.trainSubset = trainSubset;
            return this;
        }

        /** Default true; false tests after the last epoch only (the final accuracy is the same). */
        public Builder optTestEveryEpoch(boolean testEveryEpoch) {
            this.testEveryEpoch = testEveryEpoch;
            return this;
        }

        /** Test on the first {@code testLimit} test examples only (0 = all): for quick, budgeted runs. */
        public Builder optTestLimit(int testLimit) {
            this.testLimit = testLimit;
            return this;
        }

        /** Default fp32; fp16 and bf16 train in mixed precision (see {@link Precision}), testing in fp32. */
        public Builder optPrecision(Precision precision) {
            this.precision = precision;
            return this;
        }

        public TrainConfig build() {
            if (network == null || outputDir == null) {
                throw new UserError("training: setNetwork and setOutputDir are required");
            }
            boolean cells = network instanceof NetworkSpec.Cells;
            return new TrainConfig(dataset, network, outputDir,
                    or(epochs, cells ? 600 : 200),
                    or(batchSize, cells ? 96 : 128),
                    or(lr, cells ? 0.025 : 0.1),
                    or(momentum, 0.9),
                    or(weightDecay, cells ? 3e-4 : 1e-4),
                    or(cutout, cells ? 16 : 0),
                    cells ? 0.4 : 0,
                    or(dropPath, cells ? 0.2 : 0),
                    or(gradClip, cells ? 5.0 : 0),
                    seed, trainSubset, testLimit, testEveryEpoch, precision);
        }

        private static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }
}
