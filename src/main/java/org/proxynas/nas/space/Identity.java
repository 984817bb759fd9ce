package org.proxynas.nas.space;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.proxynas.learn.ExportableBlock;
import org.proxynas.learn.InferenceGraph;

/** {@code skip_connect} at stride 1. A class of its own because drop path skips identity edges. */
public final class Identity extends AbstractBlock implements ExportableBlock {
    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(inputs.singletonOrThrow());
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        return inputs.get(0);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
