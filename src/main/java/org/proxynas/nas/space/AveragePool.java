package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.proxynas.learn.ExportableBlock;
import org.proxynas.learn.InferenceGraph;

/**
 * Average pooling that, like DARTS' {@code AvgPool2d(count_include_pad=False)}, divides each window by
 * the number of real pixels in it, not the kernel area. DJL 0.36's PyTorch engine ignores
 * {@code Pool.avgPool2d}'s countIncludePad flag (always counts padding), so the padded average is divided
 * by the padded average of ones, which is exactly (pixels in window) / (kernel area).
 */
public final class AveragePool extends AbstractBlock implements ExportableBlock {
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;

    public AveragePool(int kernel, int stride, int padding) {
        this.kernel = new Shape(kernel, kernel);
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray padded = Pool.avgPool2d(x, kernel, stride, padding, false, true);
        if (padding.get(0) == 0) {
            return new NDList(padded);
        }
        Shape s = x.getShape();
        NDArray ones = x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType(), x.getDevice());
        NDArray share = Pool.avgPool2d(ones, kernel, stride, padding, false, true);
        return new NDList(padded.div(share));
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        return graph.averagePool(inputs.get(0), (int) kernel.get(0), (int) stride.get(0), (int) padding.get(0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), out(s.get(2), 0), out(s.get(3), 1))};
    }

    private long out(long size, int axis) {
        return (size + 2 * padding.get(axis) - kernel.get(axis)) / stride.get(axis) + 1;
    }
}
