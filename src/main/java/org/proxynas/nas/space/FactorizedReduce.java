package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.proxynas.common.UserError;
import org.proxynas.learn.ExportableBlock;
import org.proxynas.learn.InferenceGraph;
import org.proxynas.learn.Relu;

/**
 * Halves height and width without losing every other pixel: ReLU, then two 1×1 stride-2 convolutions,
 * the second shifted by one pixel ({@code x[:, :, 1:, 1:]}), concatenated and batch-normalized. It is
 * {@code skip_connect} at stride 2 and the preprocessing of a cell's older input after a reduction.
 * Height and width must be even, as in DARTS, or the two halves differ in size.
 */
public final class FactorizedReduce extends AbstractBlock implements ExportableBlock {
    private final int outChannels;
    private final Block conv1;
    private final Block conv2;
    private final Block bn;

    public FactorizedReduce(int outChannels, boolean affine) {
        if (outChannels <= 0 || outChannels % 2 != 0) {
            throw new UserError(
                    "FactorizedReduce: output channels must be positive and even, found " + outChannels);
        }
        this.outChannels = outChannels;
        conv1 = addChildBlock("conv1", Operations.conv(outChannels / 2, 1, 2, 0, 1, 1));
        conv2 = addChildBlock("conv2", Operations.conv(outChannels / 2, 1, 2, 0, 1, 1));
        bn = addChildBlock("bn", Operations.batchNorm(affine));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = Relu.relu(inputs.singletonOrThrow(), store);
        NDArray a = conv1.forward(store, new NDList(x), training, params).singletonOrThrow();
        // "...", not ":, :": two slices, not four, each writing a full-size zero tensor backwards (ResNetCifar too)
        NDArray b = conv2.forward(store, new NDList(x.get("..., 1:, 1:")), training, params).singletonOrThrow();
        return bn.forward(store, new NDList(NDArrays.concat(new NDList(a, b), 1)), training, params);
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        T x = graph.relu(inputs.get(0));
        T a = graph.block(conv1, x);
        T b = graph.block(conv2, graph.sliceSpatial(x, 1, 1));
        return graph.block(bn, graph.concat(List.of(a, b), 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        requireEven(in);
        conv1.initialize(manager, dataType, in);
        conv2.initialize(manager, dataType, new Shape(in.get(0), in.get(1), in.get(2) - 1, in.get(3) - 1));
        bn.initialize(manager, dataType, getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        requireEven(in);
        return new Shape[] {new Shape(in.get(0), outChannels, in.get(2) / 2, in.get(3) / 2)};
    }

    private static void requireEven(Shape in) {
        if (in.get(2) % 2 != 0 || in.get(3) % 2 != 0) {
            throw new UserError("FactorizedReduce: height and width must be even, found "
                    + in.get(2) + "x" + in.get(3));
        }
    }
}
