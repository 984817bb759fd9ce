package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One supernet edge: Σ_k w_k · op_k(x) over the eight primitives (non-affine BN; pools followed by a
 * non-affine BN, as DARTS). With partial channels K > 1 (PC-DARTS) only the first C/K channels go
 * through the operations; the rest pass by (max-pooled 2×2 when the edge reduces), the two parts are
 * concatenated and the channels shuffled in K groups. K = 1 is plain DARTS. Inputs: x and the edge's
 * normalized operation weights [8]. {@link #mix} evaluates a single operation instead ({@link OpSelection}).
 *
 * <p>The mixture leaves {@code none} out. DARTS adds its w·0 like any other term, but adding zero changes
 * neither the sum nor any gradient (its weight's gradient, Σ upstream·0, is 0 either way; α still gets its
 * share through the softmax), so skipping it gives the same numbers for three fewer passes over the edge's
 * output. A single selected {@code none} (GDAS) is still evaluated: its output then is the edge's output.
 */
final class MixedOp extends AbstractBlock {
    private static final int NONE = Primitives.indexOf(Primitives.NONE);
    private final int channels;
    private final int stride;
    private final int partial;
    private final List<Block> ops = new ArrayList<>();

    MixedOp(int channels, int stride, int partial) {
        this.channels = channels;
        this.stride = stride;
        this.partial = partial;
        for (String name : Primitives.NAMES) {
            Block op = Operations.create(name, channels / partial, stride, false);
            if (name.contains("pool")) {
                op = new SequentialBlock().add(op).add(Operations.batchNorm(false));
            }
            ops.add(addChildBlock(name, op));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(mix(store, inputs.get(0), inputs.get(1), OpSelection.ALL, training, params));
    }

    /**
     * Σ_k w_k · op_k(x) over every operation but {@code none} ({@code choice} = {@link OpSelection#ALL}) or
     * over operation {@code choice} alone: the others are not evaluated at all.
     */
    NDArray mix(ParameterStore store, NDArray x, NDArray weights, int choice, boolean training,
            PairList<String, Object> params) {
        NDArray part = partial == 1 ? x : x.get(":, :" + channels / partial);
        NDArray sum = null;
        for (int k = 0; k < ops.size(); k++) {
            if (choice == OpSelection.ALL ? k == NONE : choice != k) {
                continue;
            }
            NDArray y = Operations.forwardReleasing(ops.get(k), store, new NDList(part), training, params);
            NDArray term;
            try (NDArray weight = weights.get(k)) {
                term = y.mul(weight);
            }
            if (y != part) {
                y.close();
            }
            sum = Operations.addReleasing(sum, term);
        }
        if (partial == 1) {
            return sum;
        }
        NDArray rest = x.get(":, " + channels / partial + ":");
        if (stride == 2) {
            rest = Pool.maxPool2d(rest, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        }
        return channelShuffle(NDArrays.concat(new NDList(sum, rest), 1), partial);
    }

    /** PC-DARTS' channel_shuffle: view as [N, groups, C/groups, H, W], swap axes 1 and 2, flatten back. */
    static NDArray channelShuffle(NDArray x, int groups) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), groups, s.get(1) / groups, s.get(2), s.get(3))
                .transpose(0, 2, 1, 3, 4)
                .reshape(s);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape part = new Shape(in.get(0), channels / partial, in.get(2), in.get(3));
        for (Block op : ops) {
            op.initialize(manager, dataType, part);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), channels, in.get(2) / stride, in.get(3) / stride)};
    }
}
