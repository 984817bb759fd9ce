package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.proxynas.common.Require;

/**
 * Stochastic gradient descent exactly as {@code torch.optim.SGD} (no dampening, no Nesterov):
 * {@code g ← g + wd·w; buf ← momentum·buf + g} ({@code buf = g} on a tensor's first step);
 * {@code w ← w − lr·buf}. Updates run on the tensors' device, in place; call it outside any
 * gradient collector.
 */
public final class SgdUpdater implements Updater {
    private static final String KIND = "sgd";
    private final double momentum;
    private final double weightDecay;
    private final UpdaterState state = new UpdaterState(1);

    private SgdUpdater(Builder b) {
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public void step(List<ParamGrad> params, double learningRate) {
        WeightDecay.forEachDecayed(params, weightDecay, (p, direction, scalars) -> {
            NDArray lr = scalars.of(learningRate);
            if (momentum == 0) {
                descend(p.value(), direction, lr);
                return;
            }
            NDArray[] s = state.get(p);
            if (s == null) {
                state.put(p, direction.duplicate());
            } else {
                s[0].muli(scalars.of(momentum)).addi(direction);
            }
            descend(p.value(), state.get(p)[0], lr);
        });
    }

    private static void descend(NDArray w, NDArray direction, NDArray lr) {
        try (NDArray delta = direction.mul(lr)) {
            w.subi(delta);
        }
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        state.save(out, KIND);
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        state.load(in, KIND);
    }

    @Override
    public void close() {
        state.close();
    }

    /** {@code momentum} and {@code weightDecay} default to 0, as in PyTorch. */
    public static final class Builder {
        private double momentum;
        private double weightDecay;

        private Builder() {}

        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public SgdUpdater build() {
            Require.fraction("SGD momentum", momentum);
            Require.nonNegative("weight decay", weightDecay);
            return new SgdUpdater(this);
        }
    }
}
