package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/** Cross-entropy of logits against int64 class labels, as {@code torch.nn.CrossEntropyLoss}. */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Per-example {@code -log softmax(logits)[label]}, shape {@code (B)}. */
    static NDArray perExample(NDArray logits, NDArray labels) {
        NDArray logProb = logits.logSoftmax(1);
        return logProb.get(new NDIndex().addAllDim().addPickDim(labels.reshape(-1, 1))).reshape(-1).neg();
    }

    public static NDArray mean(NDArray logits, NDArray labels) {
        return perExample(logits, labels).mean();
    }

    static NDArray sum(NDArray logits, NDArray labels) {
        return perExample(logits, labels).sum();
    }

    /** Number of rows whose argmax equals the label, as an int64 scalar. */
    static NDArray correct(NDArray logits, NDArray labels) {
        return logits.argMax(1).eq(labels).toType(DataType.INT64, false).sum();
    }
}
