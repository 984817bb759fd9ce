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

/**
 * The hand-designed reduction cell of GDAS-FRC (AutoDL's {@code GDAS_Reduction_Cell}), which replaces the
 * searched reduction cells of the supernet when GDAS searches the normal cell alone: both inputs
 * preprocessed to C channels as in a search cell, then {@code conv_1x3_3x1_g8} and {@code max_pool_3x3_bn}
 * on each, with stride 2, the four results concatenated. As a genotype ({@link #EDGES}) each of the four
 * nodes is one of those operations on one input plus {@code none} on the other, so networks built from a
 * genotype ({@code proxynas train}) compute the same cell. Inputs: s0, s1 and, ignored, the architecture
 * weights a search cell would take.
 */
public final class GdasReductionCell extends AbstractBlock {
    /** The cell as genotype edges, nodes in AutoDL's output order: conv(s0), conv(s1), pool(s0), pool(s1). */
    public static final List<Genotype.Edge> EDGES = List.of(
            new Genotype.Edge("conv_1x3_3x1_g8", 0), new Genotype.Edge("none", 1),
            new Genotype.Edge("conv_1x3_3x1_g8", 1), new Genotype.Edge("none", 0),
            new Genotype.Edge("max_pool_3x3_bn", 0), new Genotype.Edge("none", 1),
            new Genotype.Edge("max_pool_3x3_bn", 1), new Genotype.Edge("none", 0));
    public static final List<Integer> CONCAT = List.of(2, 3, 4, 5);

    private final int channels;
    private final Block preprocess0;
    private final Block preprocess1;
    private final List<Block> convolutions;
    private final List<Block> pools;

    GdasReductionCell(int channels, boolean reductionPrev, boolean affine) {
        this.channels = channels;
        preprocess0 = addChildBlock("preprocess0", reductionPrev
                ? new FactorizedReduce(channels, affine)
                : Operations.reluConvBn(channels, 1, 1, 0, affine));
        preprocess1 = addChildBlock("preprocess1", Operations.reluConvBn(channels, 1, 1, 0, affine));
        convolutions = List.of(
                addChildBlock("conv0", Operations.create("conv_1x3_3x1_g8", channels, 2, affine)),
                addChildBlock("conv1", Operations.create("conv_1x3_3x1_g8", channels, 2, affine)));
        pools = List.of(
                addChildBlock("pool0", Operations.create("max_pool_3x3_bn", channels, 2, affine)),
                addChildBlock("pool1", Operations.create("max_pool_3x3_bn", channels, 2, affine)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray s0 = preprocess0.forward(store, new NDList(inputs.get(0)), training, params).singletonOrThrow();
        NDArray s1 = preprocess1.forward(store, new NDList(inputs.get(1)), training, params).singletonOrThrow();
        NDList out = new NDList(4);
        for (List<Block> branch : List.of(convolutions, pools)) {
            out.add(branch.get(0).forward(store, new NDList(s0), training, params).singletonOrThrow());
            out.add(branch.get(1).forward(store, new NDList(s1), training, params).singletonOrThrow());
        }
        return new NDList(NDArrays.concat(out, 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        preprocess0.initialize(manager, dataType, inputShapes[0]);
        preprocess1.initialize(manager, dataType, inputShapes[1]);
        Shape in = preprocess1.getOutputShapes(new Shape[] {inputShapes[1]})[0];
        for (Block op : List.of(convolutions.get(0), convolutions.get(1), pools.get(0), pools.get(1))) {
            op.initialize(manager, dataType, in);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s1 = inputShapes[1];
        return new Shape[] {new Shape(s1.get(0), (long) CONCAT.size() * channels, s1.get(2) / 2, s1.get(3) / 2)};
    }
}
