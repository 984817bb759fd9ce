package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** PyTorch's L2 weight decay, folded into the gradient: {@code g + wd·w}. */
final class WeightDecay {
    private WeightDecay() {}

    /** An optimizer's update of one tensor, given its decayed gradient and the step's scalars. */
    interface Update {
        void apply(ParamGrad p, NDArray decayedGradient, StepScalars scalars);
    }

    /**
     * Runs {@code update} on every tensor with its decayed gradient, which is freed after each (unless it is the
     * gradient itself); the scalars live for the whole step.
     */
    static void forEachDecayed(List<ParamGrad> params, double weightDecay, Update update) {
        if (params.isEmpty()) {
            return;
        }
        try (StepScalars scalars = new StepScalars(params)) {
            for (ParamGrad p : params) {
                NDArray g = apply(p, weightDecay, scalars);
                try {
                    update.apply(p, g, scalars);
                } finally {
                    if (g != p.grad()) {
                        g.close();
                    }
                }
            }
        }
    }

    /** The decayed gradient as a new array, or the gradient itself when {@code weightDecay} is 0. */
    private static NDArray apply(ParamGrad p, double weightDecay, StepScalars scalars) {
        if (weightDecay == 0) {
            return p.grad();
        }
        try (NDArray decay = p.value().mul(scalars.of(weightDecay))) {
            return p.grad().add(decay);
        }
    }
}
