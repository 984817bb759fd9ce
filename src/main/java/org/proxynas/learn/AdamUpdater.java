package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.common.Require;
import org.proxynas.common.UserError;

/**
 * Adam exactly as {@code torch.optim.Adam} with L2 weight decay (not AdamW): {@code g ← g + wd·w};
 * {@code m ← β1·m + (1−β1)·g}; {@code v ← β2·v + (1−β2)·g²};
 * {@code w ← w − lr/(1−β1^t) · m / (√v/√(1−β2^t) + eps)}, with a step count {@code t} per tensor.
 * In place on the tensors' device; call it outside any gradient collector.
 */
public final class AdamUpdater implements Updater {
    private static final String KIND = "adam";
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final UpdaterState state = new UpdaterState(2);
    private final Map<String, Long> steps = new HashMap<>();

    private AdamUpdater(Builder b) {
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.weightDecay = b.weightDecay;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void step(List<ParamGrad> params, double learningRate) {
        WeightDecay.forEachDecayed(params, weightDecay, (p, g, scalars) -> update(p, g, learningRate, scalars));
    }

    private void update(ParamGrad p, NDArray g, double learningRate, StepScalars scalars) {
        NDArray[] s = state.get(p);
        if (s == null) {
            state.put(p, g.zerosLike(), g.zerosLike());
            s = state.get(p);
        }
        long t = steps.merge(p.id(), 1L, Long::sum);
        NDArray m = s[0];
        NDArray v = s[1];
        try (NDArray gScaled = g.mul(scalars.of(1 - beta1))) {
            m.muli(scalars.of(beta1)).addi(gScaled);
        }
        try (NDArray g2 = g.square()) {
            g2.muli(scalars.of(1 - beta2));
            v.muli(scalars.of(beta2)).addi(g2);
        }
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        try (NDArray denom = v.sqrt();
                NDArray ratio = m.div(denom.divi(scalars.of(bias2Sqrt)).addi(scalars.of(eps)))) {
            p.value().subi(ratio.muli(scalars.of(learningRate / bias1)));
        }
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        state.save(out, KIND);
        out.writeInt(steps.size());
        for (Map.Entry<String, Long> e : steps.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    @Override
    public void loadState(DataInputStream in) throws IOException {
        state.load(in, KIND);
        steps.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            steps.put(in.readUTF(), in.readLong());
        }
    }

    @Override
    public void close() {
        state.close();
    }

    /** Defaults are PyTorch's: lr is per step, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static final class Builder {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;

        private Builder() {}

        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder optEpsilon(double eps) {
            this.eps = eps;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public AdamUpdater build() {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new UserError("Adam betas must be in [0, 1), found (" + beta1 + ", " + beta2
                        + ")");
            }
            if (!(eps > 0)) {
                throw new UserError("Adam eps must be > 0, found " + eps);
            }
            Require.nonNegative("weight decay", weightDecay);
            return new AdamUpdater(this);
        }
    }
}
