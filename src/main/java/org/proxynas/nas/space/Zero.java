package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.proxynas.learn.ExportableBlock;
import org.proxynas.learn.InferenceGraph;
import org.proxynas.common.UserError;

/**
 * The {@code none} operation: zeros of the output shape (strided when reducing). A mixed operation leaves it
 * out of its sum ({@link MixedOp}); it is evaluated where it is an edge's only operation (GDAS' sample).
 */
public final class Zero extends AbstractBlock implements ExportableBlock {
    private final int stride;

    public Zero(int stride) {
        if (stride != 1 && stride != 2) {
            throw new UserError("Zero: stride must be 1 or 2, found " + stride);
        }
        this.stride = stride;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray strided = stride == 1 ? x : x.get("..., ::" + stride + ", ::" + stride);
        // Not strided.mul(0f): DJL makes the scalar from a Java buffer and closes it after the op, but
        // autograd keeps it for the backward pass, which then reads freed memory (NaN/1e30 gradients).
        return new NDList(strided.zerosLike());
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        T x = inputs.get(0);
        return graph.zerosLike(stride == 1 ? x : graph.sliceSpatial(x, 0, stride));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), ceilDiv(s.get(2), stride), ceilDiv(s.get(3), stride))};
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
