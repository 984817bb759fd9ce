package org.proxynas.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.proxynas.common.UserError;

/**
 * What the baseline says about each example of one batch: entropy of its softmax in nats, predicted
 * class, probability of the true class, and margin {@code p_true - max_{c != true} p_c}.
 */
public record LogitScores(double[] entropy, int[] predicted, double[] trueProb, double[] margin) {

    public LogitScores {
        int n = entropy.length;
        if (predicted.length != n || trueProb.length != n || margin.length != n) {
            throw new UserError("score columns differ in length: entropy " + n + ", predicted "
                    + predicted.length + ", trueProb " + trueProb.length + ", margin " + margin.length);
        }
    }

    public int size() {
        return entropy.length;
    }

    /**
     * Scores a batch of logits {@code (B, K)} against int labels {@code (B)}. Everything is computed on
     * the device in float64 from a log-softmax, so confident examples keep entropies like 1e-21 instead of
     * rounding to 0, and huge logits never give NaN; the four columns come back in one copy.
     */
    public static LogitScores compute(NDArray logits, NDArray labels) {
        if (logits.getShape().dimension() != 2) {
            throw new UserError("logits must be (batch, classes), found " + logits.getShape());
        }
        int batch = Math.toIntExact(logits.getShape().get(0));
        int classes = Math.toIntExact(logits.getShape().get(1));
        if (classes < 2) {
            throw new UserError("scoring needs at least 2 classes, found " + classes);
        }
        if (labels.size() != batch) {
            throw new UserError(batch + " logits rows but " + labels.size() + " labels");
        }
        try (NDManager scope = logits.getManager().newSubManager()) {
            NDArray x = logits.toType(DataType.FLOAT64, true);
            x.attach(scope);
            NDArray logp = x.logSoftmax(1);
            NDArray p = logp.exp();
            // p = 0 with log p = -inf would give 0 * -inf = NaN; such a term contributes exactly 0.
            NDArray plogp = NDArrays.where(p.gt(0), p.mul(logp), p.zerosLike());
            // Mathematically 0 <= H <= ln K; the clip only removes last-bit rounding past ln K.
            NDArray entropy = plogp.sum(new int[] {1}).neg().clip(0.0, Math.log(classes));
            NDArray classIds = labels.toType(DataType.INT64, true);
            classIds.attach(scope);
            NDArray oneHot = classIds.oneHot(classes, DataType.FLOAT64);
            NDArray trueProb = p.mul(oneHot).sum(new int[] {1});
            // Probabilities are <= 1, so pushing the true class down by 2 leaves the best other class on top.
            NDArray bestOther = p.sub(oneHot.mul(2.0)).max(new int[] {1});
            NDArray margin = trueProb.sub(bestOther);
            NDArray predicted = x.argMax(1).toType(DataType.FLOAT64, false);
            double[] packed = NDArrays.stack(new NDList(entropy, predicted, trueProb, margin), 1).toDoubleArray();
            double[] h = new double[batch];
            int[] pred = new int[batch];
            double[] pt = new double[batch];
            double[] m = new double[batch];
            for (int i = 0; i < batch; i++) {
                // The negated sum of exact zeros is -0.0; adding +0.0 turns it into 0.0 for the CSV.
                h[i] = packed[4 * i] + 0.0;
                pred[i] = (int) packed[4 * i + 1];
                pt[i] = packed[4 * i + 2];
                m[i] = packed[4 * i + 3];
            }
            return new LogitScores(h, pred, pt, m);
        }
    }
}
