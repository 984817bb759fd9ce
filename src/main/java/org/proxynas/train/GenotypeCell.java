package org.proxynas.train;

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
import org.proxynas.common.UserError;
import org.proxynas.learn.ExportableBlock;
import org.proxynas.learn.InferenceGraph;
import org.proxynas.nas.space.FactorizedReduce;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.Identity;
import org.proxynas.nas.space.Operations;

/**
 * A discrete cell (DARTS model.Cell): inputs preprocessed to C channels, node i the sum of its two
 * genotype edges, output the concatenation of the genotype's concat states. In training mode each
 * non-identity edge output goes through drop path with the network's current probability.
 */
final class GenotypeCell extends AbstractBlock implements ExportableBlock {
    private final List<Genotype.Edge> edges;
    private final List<Integer> concat;
    private final int channels;
    private final boolean reduction;
    private final Block preprocess0;
    private final Block preprocess1;
    private final List<Block> ops = new ArrayList<>();
    private float dropPathProbability;

    GenotypeCell(List<Genotype.Edge> edges, List<Integer> concat, int channels, boolean reduction,
            boolean reductionPrev) {
        if (reduction && concat.stream().anyMatch(s -> s < 2)) {
            throw new UserError("genotype reduce_concat " + concat
                    + ": a reduction cell cannot output its unreduced inputs 0 or 1");
        }
        this.edges = edges;
        this.concat = concat;
        this.channels = channels;
        this.reduction = reduction;
        preprocess0 = addChildBlock("preprocess0", reductionPrev
                ? new FactorizedReduce(channels, true)
                : Operations.reluConvBn(channels, 1, 1, 0, true));
        preprocess1 = addChildBlock("preprocess1", Operations.reluConvBn(channels, 1, 1, 0, true));
        for (Genotype.Edge e : edges) {
            ops.add(addChildBlock(e.op(), Operations.create(e.op(), channels, stride(e), true)));
        }
    }

    private int stride(Genotype.Edge e) {
        return reduction && e.input() < 2 ? 2 : 1;
    }

    int outputChannels() {
        return concat.size() * channels;
    }

    void setDropPathProbability(float p) {
        dropPathProbability = p;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        List<NDArray> states = new ArrayList<>();
        states.add(preprocess0.forward(store, new NDList(inputs.get(0)), training, params).singletonOrThrow());
        states.add(preprocess1.forward(store, new NDList(inputs.get(1)), training, params).singletonOrThrow());
        for (int i = 0; i < edges.size(); i += 2) {
            NDArray a = edge(store, i, states, training, params);
            NDArray b = edge(store, i + 1, states, training, params);
            states.add(a.add(b));
        }
        NDList out = new NDList();
        for (int s : concat) {
            out.add(states.get(s));
        }
        return new NDList(Operations.concat(out, 1));
    }

    private NDArray edge(ParameterStore store, int e, List<NDArray> states, boolean training,
            PairList<String, Object> params) {
        Block op = ops.get(e);
        NDArray h = op.forward(store, new NDList(states.get(edges.get(e).input())), training, params)
                .singletonOrThrow();
        if (training && dropPathProbability > 0 && !(op instanceof Identity)) {
            h = dropPath(h, dropPathProbability);
        }
        return h;
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        List<T> states = new ArrayList<>();
        states.add(graph.block(preprocess0, inputs.get(0)));
        states.add(graph.block(preprocess1, inputs.get(1)));
        for (int i = 0; i < edges.size(); i += 2) {
            T a = graph.block(ops.get(i), states.get(edges.get(i).input()));
            T b = graph.block(ops.get(i + 1), states.get(edges.get(i + 1).input()));
            states.add(graph.add(a, b));
        }
        List<T> out = concat.stream().map(states::get).toList();
        return out.size() == 1 ? out.get(0) : graph.concat(out, 1);
    }

    /** Zeroes whole examples with probability p and scales the kept ones by 1/(1 - p) (DARTS utils.drop_path). */
    static NDArray dropPath(NDArray x, float p) {
        float keep = 1f - p;
        NDArray mask = x.getManager()
                .randomUniform(0f, 1f, new Shape(x.getShape().get(0), 1, 1, 1), x.getDataType(), x.getDevice())
                .lt(keep)
                .toType(x.getDataType(), false);
        // Scale the mask, not x: a scalar operand on x would be saved for the backward pass after DJL has
        // freed it (see Zero); the mask needs no gradient, so its scalar is not kept.
        return x.mul(mask.div(keep));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        preprocess0.initialize(manager, dataType, inputShapes[0]);
        preprocess1.initialize(manager, dataType, inputShapes[1]);
        Shape in = preprocess1.getOutputShapes(new Shape[] {inputShapes[1]})[0];
        Shape node = nodeShape(in);
        for (int e = 0; e < edges.size(); e++) {
            ops.get(e).initialize(manager, dataType, edges.get(e).input() < 2 ? in : node);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape node = nodeShape(inputShapes[1]);
        return new Shape[] {new Shape(node.get(0), outputChannels(), node.get(2), node.get(3))};
    }

    private Shape nodeShape(Shape s1) {
        int stride = reduction ? 2 : 1;
        return new Shape(s1.get(0), channels, s1.get(2) / stride, s1.get(3) / stride);
    }
}
