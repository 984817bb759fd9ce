package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import org.proxynas.common.UserError;

/** PyTorch's L2 weight decay, folded into the gradient: {@code g + wd·w}. */
final class WeightDecay {
    private WeightDecay() {}

    static void check(double weightDecay) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new UserError("weight decay must be >= 0, found " + weightDecay);
        }
    }

    /** The decayed gradient as a new array, or the gradient itself when {@code weightDecay} is 0. */
    static NDArray apply(ParamGrad p, double weightDecay, StepScalars scalars) {
        if (weightDecay == 0) {
            return p.grad();
        }
        try (NDArray decay = p.value().mul(scalars.of(weightDecay))) {
            return p.grad().add(decay);
        }
    }
}
