package org.proxynas.learn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.stream.IntStream;
import org.proxynas.common.UserError;

/**
 * The learning rate of each epoch, stepped once per epoch as PyTorch's schedulers are in DARTS and in the
 * CIFAR ResNet recipe. Closed forms, so a resumed run gets the same rate without replaying the schedule.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LrSchedule.Constant.class, name = "constant"),
    @JsonSubTypes.Type(value = LrSchedule.Cosine.class, name = "cosine"),
    @JsonSubTypes.Type(value = LrSchedule.MultiStep.class, name = "multistep")
})
public sealed interface LrSchedule {

    /** The learning rate used throughout epoch {@code epoch} (0-based). */
    double lr(int epoch);

    /** The rate at epoch 0. */
    double base();

    static void checkBase(double base) {
        if (!(base > 0) || Double.isInfinite(base)) {
            throw new UserError("learning rate must be > 0, found " + base);
        }
    }

    /** Always {@code base}. */
    record Constant(double base) implements LrSchedule {
        public Constant {
            checkBase(base);
        }

        @Override
        public double lr(int epoch) {
            return base;
        }
    }

    /**
     * {@code CosineAnnealingLR(T_max = tMax, eta_min = etaMin)}:
     * {@code etaMin + (base − etaMin)·(1 + cos(π·epoch/tMax))/2}; DARTS uses {@code tMax} = epochs.
     */
    record Cosine(double base, double etaMin, int tMax) implements LrSchedule {
        public Cosine {
            checkBase(base);
            if (!(etaMin >= 0 && etaMin <= base)) {
                throw new UserError("cosine eta_min must be in [0, " + base + "], found " + etaMin);
            }
            if (tMax < 1) {
                throw new UserError("cosine T_max must be >= 1, found " + tMax);
            }
        }

        @Override
        public double lr(int epoch) {
            return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
        }
    }

    /** {@code MultiStepLR}: {@code base·gamma^k}, k = number of milestones ≤ epoch (ResNet: 100, 150, ×0.1). */
    record MultiStep(double base, List<Integer> milestones, double gamma) implements LrSchedule {
        /**
         * The CIFAR recipe's milestones (epochs 100 and 150 of 200) scaled to {@code epochs}: half and three
         * quarters of the way, the ones that fall on an epoch >= 1.
         */
        public static List<Integer> scaledMilestones(int epochs) {
            return IntStream.of(epochs / 2, epochs * 3 / 4).filter(m -> m >= 1).distinct().boxed().toList();
        }

        public MultiStep {
            checkBase(base);
            milestones = List.copyOf(milestones);
            for (int i = 0; i < milestones.size(); i++) {
                if (milestones.get(i) < 1 || (i > 0 && milestones.get(i) <= milestones.get(i - 1))) {
                    throw new UserError("milestones must be increasing epochs >= 1, found "
                            + milestones);
                }
            }
            if (!(gamma > 0 && gamma <= 1)) {
                throw new UserError("milestone factor gamma must be in (0, 1], found " + gamma);
            }
        }

        @Override
        public double lr(int epoch) {
            int passed = 0;
            for (int m : milestones) {
                if (epoch >= m) {
                    passed++;
                }
            }
            return base * Math.pow(gamma, passed);
        }
    }
}
