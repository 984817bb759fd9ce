package org.proxynas.nas.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.proxynas.data.DataLoader.Batch;

/**
 * Loss and hits over some examples, summed so batches of different sizes average correctly (DARTS'
 * {@code AvgrageMeter} weights by batch size).
 */
public record StepStats(double lossSum, long correct, long count) {
    public static final StepStats EMPTY = new StepStats(0, 0, 0);

    /** One batch: {@code meanLoss} and {@code logits} reduced on the device, two scalars copied. */
    static StepStats of(NDArray meanLoss, NDArray logits, Batch batch) {
        long hits;
        try (NDArray predicted = logits.argMax(1);
                NDArray same = predicted.eq(batch.labels());
                NDArray asLong = same.toType(DataType.INT64, false);
                NDArray sum = asLong.sum()) {
            hits = sum.getLong();
        }
        return new StepStats(meanLoss.getFloat() * (double) batch.size(), hits, batch.size());
    }

    public StepStats plus(StepStats other) {
        return new StepStats(lossSum + other.lossSum, correct + other.correct, count + other.count);
    }

    public double loss() {
        return count == 0 ? Double.NaN : lossSum / count;
    }

    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }
}
