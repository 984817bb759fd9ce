package org.proxynas.learn;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.proxynas.common.Precision;
import org.proxynas.common.Require;
import org.proxynas.data.Augmentation;
import org.proxynas.data.Normalization;

/**
 * How a network is trained by {@link TrainingLoop}: SGD with momentum and L2 weight decay under an
 * epoch-stepped learning-rate schedule, optional global-norm gradient clipping, training augmentation,
 * input normalization, and the weight of the auxiliary head's loss (used only when the network returns a
 * second output in training mode).
 *
 * @param epochs total epochs of the run
 * @param batchSize training (and evaluation) batch size
 * @param schedule learning rate per epoch; its {@link LrSchedule#base()} is the initial rate
 * @param momentum SGD momentum
 * @param weightDecay SGD L2 weight decay
 * @param gradClip global gradient-norm bound; 0 disables clipping
 * @param seed seeds initialization, data order, augmentation and drop-path masks
 * @param augmentation applied to training batches only
 * @param normalization applied to every batch
 * @param auxWeight weight of the auxiliary loss (DARTS: 0.4)
 * @param precision the number format of the training steps (left out of JSON when fp32, so fp32 configs
 *     read, hash and resume as before it existed)
 */
public record TrainingRecipe(
        int epochs,
        int batchSize,
        LrSchedule schedule,
        double momentum,
        double weightDecay,
        double gradClip,
        long seed,
        Augmentation augmentation,
        Normalization normalization,
        double auxWeight,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Precision.DefaultFilter.class)
        Precision precision) {

    public TrainingRecipe {
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(normalization, "normalization");
        Require.atLeast("epochs", epochs, 1, null);
        Require.atLeast("batchSize", batchSize, 2, "batch norm trains on pairs at least");
        Require.fraction("momentum", momentum);
        Require.nonNegative("weightDecay", weightDecay);
        Require.nonNegative("gradClip", gradClip, "0 = off");
        Require.nonNegative("auxWeight", auxWeight);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code set*} required; {@code opt*} default to no momentum, decay, clipping, augmentation, aux loss, and
     * to fp32.
     */
    public static final class Builder {
        private int epochs;
        private int batchSize;
        private LrSchedule schedule;
        private double momentum;
        private double weightDecay;
        private double gradClip;
        private long seed;
        private Augmentation augmentation = Augmentation.NONE;
        private Normalization normalization;
        private double auxWeight;
        private Precision precision = Precision.FP32;

        private Builder() {}

        public Builder setEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder setSchedule(LrSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder setNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optGradClip(double gradClip) {
            this.gradClip = gradClip;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        public Builder optAuxWeight(double auxWeight) {
            this.auxWeight = auxWeight;
            return this;
        }

        /** Default fp32. */
        public Builder optPrecision(Precision precision) {
            this.precision = precision;
            return this;
        }

        public TrainingRecipe build() {
            if (schedule == null) {
                throw new IllegalArgumentException("training config: setSchedule is required");
            }
            if (normalization == null) {
                throw new IllegalArgumentException("training config: setNormalization is required");
            }
            return new TrainingRecipe(epochs, batchSize, schedule, momentum, weightDecay, gradClip, seed,
                    augmentation, normalization, auxWeight, precision);
        }
    }
}
