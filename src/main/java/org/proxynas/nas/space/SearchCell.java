package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A supernet cell (DARTS model_search.Cell): both inputs preprocessed to C channels, node i the sum of
 * mixed operations on all earlier states (2 + i edges, DARTS edge order), output the concatenation of
 * the last {@code multiplier} nodes. Inputs: s0, s1, operation weights [E×8] and optionally PC-DARTS
 * edge weights [E], which scale each edge before the node sums it. An {@link OpSelection} among the forward
 * parameters restricts what each edge evaluates.
 */
final class SearchCell extends AbstractBlock {
    private final int nodes;
    private final int multiplier;
    private final int channels;
    private final boolean reduction;
    private final Block preprocess0;
    private final Block preprocess1;
    private final List<MixedOp> edges = new ArrayList<>();

    SearchCell(int nodes, int multiplier, int channels, boolean reduction, boolean reductionPrev, int partial) {
        this.nodes = nodes;
        this.multiplier = multiplier;
        this.channels = channels;
        this.reduction = reduction;
        preprocess0 = addChildBlock("preprocess0", reductionPrev
                ? new FactorizedReduce(channels, false)
                : Operations.reluConvBn(channels, 1, 1, 0, false));
        preprocess1 = addChildBlock("preprocess1", Operations.reluConvBn(channels, 1, 1, 0, false));
        for (int i = 0; i < nodes; i++) {
            for (int j = 0; j < i + 2; j++) {
                int stride = reduction && j < 2 ? 2 : 1;
                edges.add(addChildBlock("edge" + edges.size(), new MixedOp(channels, stride, partial)));
            }
        }
    }

    boolean isReduction() {
        return reduction;
    }

    MixedOp edge(int e) {
        return edges.get(e);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray weights = inputs.get(2);
        NDArray edgeWeights = inputs.size() > 3 ? inputs.get(3) : null;
        OpSelection selection = OpSelection.in(params);
        List<NDArray> states = new ArrayList<>();
        states.add(preprocess0.forward(store, new NDList(inputs.get(0)), training, params).singletonOrThrow());
        states.add(preprocess1.forward(store, new NDList(inputs.get(1)), training, params).singletonOrThrow());
        int offset = 0;
        for (int i = 0; i < nodes; i++) {
            NDArray node = null;
            for (int j = 0; j < states.size(); j++) {
                int e = offset + j;
                int choice = selection == null ? OpSelection.ALL : selection.of(reduction, e);
                if (choice == OpSelection.PRUNED) {
                    continue;
                }
                NDArray y = edges.get(e).mix(store, states.get(j), weights.get(e), choice, training, params);
                if (edgeWeights != null) {
                    try (NDArray mixed = y) {
                        y = mixed.mul(edgeWeights.get(e));
                    }
                }
                node = Operations.addReleasing(node, y);
            }
            if (node == null) {
                throw new IllegalStateException("SearchCell: every input edge of node " + i + " is pruned");
            }
            offset += states.size();
            states.add(node);
        }
        return new NDList(Operations.concat(new NDList(states.subList(states.size() - multiplier, states.size())), 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        preprocess0.initialize(manager, dataType, inputShapes[0]);
        preprocess1.initialize(manager, dataType, inputShapes[1]);
        Shape in = preprocess1.getOutputShapes(new Shape[] {inputShapes[1]})[0];
        Shape row = new Shape(Primitives.NAMES.size());
        Shape reduced = nodeShape(in);
        int e = 0;
        for (int i = 0; i < nodes; i++) {
            for (int j = 0; j < i + 2; j++) {
                edges.get(e++).initialize(manager, dataType, j < 2 ? in : reduced, row);
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape node = nodeShape(inputShapes[1]);
        return new Shape[] {new Shape(node.get(0), (long) multiplier * channels, node.get(2), node.get(3))};
    }

    private Shape nodeShape(Shape s1) {
        int stride = reduction ? 2 : 1;
        return new Shape(s1.get(0), channels, s1.get(2) / stride, s1.get(3) / stride);
    }
}
