package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.proxynas.learn.ExportableBlock;
import org.proxynas.learn.InferenceGraph;

/**
 * k×k max pooling (no ceil mode) that is 3–12x faster than libtorch's on the CPU when no gradient is recorded,
 * with the same values. libtorch's CPU max pool always finds each window's argmax index too, element by element,
 * for a backward pass; without autograd (evaluation, testing) nobody reads them, and the maximum over a window is
 * the maximum over its rows of the maxima along each row: k element-wise maxima of shifted, strided views per
 * axis, on the input padded with -inf (bench/results/ops.md). Max is exact, so the values are bit for bit
 * libtorch's. While autograd records, libtorch's pool runs: its backward pass is one cheap scatter through those
 * indices, where the maxima's would be several passes per view. On a GPU it runs too: its kernel computes every
 * window in parallel, where the maxima would launch several kernels.
 *
 * <p>Stored exactly as the {@code LambdaBlock} that {@code Pool.maxPool2dBlock} makes (encoding version 2,
 * input shapes, no parameters), so checkpoints of networks built with either read into both.
 */
public final class MaxPool extends AbstractBlock implements ExportableBlock {
    private static final byte LAMBDA_BLOCK_VERSION = 2;

    private final int kernel;
    private final int stride;
    private final int padding;

    public MaxPool(int kernel, int stride, int padding) {
        super(LAMBDA_BLOCK_VERSION);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (JniUtils.isGradMode() || x.getDevice().isGpu()) {
            Shape window = new Shape(kernel, kernel);
            return new NDList(Pool.maxPool2d(x, window, new Shape(stride, stride), new Shape(padding, padding),
                    false));
        }
        try (NDArray padded = x.pad(new Shape(padding, padding, padding, padding), Float.NEGATIVE_INFINITY);
                NDArray rowMaxima = windowMaxima(padded, 3)) {
            return new NDList(windowMaxima(rowMaxima, 2));
        }
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        return graph.maxPool(inputs.get(0), kernel, stride, padding);
    }

    /** Each window's maximum along one spatial axis (2: height, 3: width) of a padded N×C×H×W array. */
    private NDArray windowMaxima(NDArray padded, int axis) {
        long steps = (padded.getShape().get(axis) - kernel) / stride;
        NDArray max = padded.get(shifted(axis, 0, steps));
        for (int offset = 1; offset < kernel; offset++) {
            try (NDArray previous = max; NDArray view = padded.get(shifted(axis, offset, steps))) {
                max = previous.maximum(view);
            }
        }
        return max;
    }

    /** The view of every {@code stride}-th position from {@code offset} on, {@code steps + 1} of them. */
    private NDIndex shifted(int axis, long offset, long steps) {
        return new NDIndex().addAllDim(axis).addSliceDim(offset, offset + stride * steps + 1, stride);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), out(s.get(2)), out(s.get(3)))};
    }

    private long out(long size) {
        return (size + 2L * padding - kernel) / stride + 1;
    }
}
