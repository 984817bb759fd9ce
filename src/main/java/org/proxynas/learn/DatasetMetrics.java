package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Iterator;
import java.util.function.IntConsumer;
import org.proxynas.common.UserError;
import org.proxynas.data.DataLoader;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;

/**
 * Loss and accuracy of a network on a dataset in evaluation mode (batch-norm running statistics, no drop
 * path, no auxiliary head, no augmentation). Sums stay on the device; two scalars are copied at the end.
 *
 * @param loss mean cross-entropy of the main output
 * @param accuracy fraction classified correctly
 * @param examples dataset size
 */
public record DatasetMetrics(double loss, double accuracy, int examples) {

    public static DatasetMetrics of(Block network, ImageDataset data, Normalization normalization, int batchSize,
            NDManager manager) {
        return of(network, data, normalization, batchSize, manager, images -> {});
    }

    /** {@link #of}, telling {@code batchDone} the size of each batch once it is evaluated (for a progress bar). */
    public static DatasetMetrics of(Block network, ImageDataset data, Normalization normalization, int batchSize,
            NDManager manager, IntConsumer batchDone) {
        if (data.size() == 0) {
            throw new UserError(data.name() + " " + data.split() + ": nothing to evaluate on");
        }
        DataLoader loader = DataLoader.builder().setDataset(data).setBatchSize(batchSize)
                .optNormalization(normalization).build();
        try (NDManager sums = manager.newSubManager()) {
            NDArray lossSum = sums.zeros(new ai.djl.ndarray.types.Shape(), DataType.FLOAT32);
            NDArray correct = sums.zeros(new ai.djl.ndarray.types.Shape(), DataType.INT64);
            ParameterStore ps = new ParameterStore(manager, false);
            for (Iterator<DataLoader.Batch> it = loader.epoch(manager, 0); it.hasNext(); ) {
                try (DataLoader.Batch b = it.next()) {
                    NDList out = network.forward(ps, new NDList(b.images()), false);
                    NDArray logits = out.get(0);
                    lossSum.addi(CrossEntropy.sum(logits, b.labels()));
                    correct.addi(CrossEntropy.correct(logits, b.labels()));
                    batchDone.accept(b.size());
                }
            }
            return new DatasetMetrics(lossSum.getFloat() / data.size(), (double) correct.getLong() / data.size(),
                    data.size());
        }
    }
}
