package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * ReLU as a block that shows its input to {@link ForwardHooks} (NASWOT's binary codes); DJL's
 * {@code Activation.reluBlock()} is a lambda block that shows it to nothing. It saves exactly as that lambda
 * block did (version 2, then the input shapes), so networks and checkpoints saved with it still load.
 */
public final class Relu extends AbstractBlock implements ExportableBlock {
    private static final byte LAMBDA_BLOCK_VERSION = 2;

    public Relu() {
        super(LAMBDA_BLOCK_VERSION);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(relu(inputs.singletonOrThrow(), store));
    }

    /** {@code max(x, 0)}, shown first to the hooks {@code store} carries: for blocks that apply a ReLU inline. */
    public static NDArray relu(NDArray x, ParameterStore store) {
        ForwardHooks.of(store).reluInput(x);
        return Activation.relu(x);
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        return graph.relu(inputs.get(0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
