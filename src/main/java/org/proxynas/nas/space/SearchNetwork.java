package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.common.UserError;

/**
 * The DARTS supernet (model_search.Network), with PC-DARTS partial channels as an option: a 3×3 conv +
 * BN stem to stemMultiplier·C channels, {@code layers} search cells (channels doubled at the reductions
 * L/3 and 2L/3), global average pooling and a linear classifier.
 *
 * <p>Forward inputs: {@code NDList(x, normalWeights [E×8], reduceWeights [E×8])}, or with PC-DARTS edge
 * normalization {@code NDList(x, normalWeights, reduceWeights, normalEdgeWeights [E], reduceEdgeWeights
 * [E])}; E = {@link #edgesPerCell()}. The weights arrive already normalized (softmax over operations,
 * and over each node's incoming edges for β): the search algorithm owns α and β, shared by all cells of
 * a type. An {@link OpSelection} passed as forward parameters ({@link OpSelection#asForwardParameters()})
 * restricts which operations each edge evaluates. With {@code fixedReduction} the reduction cells are
 * GDAS-FRC's hand-designed {@link GdasReductionCell} and ignore the reduction weights. Output:
 * {@code NDList(logits [N×classes])}.
 */
public final class SearchNetwork extends AbstractBlock {
    private final Config config;
    private final Block stem;
    private final List<Block> cells = new ArrayList<>();
    private final Block classifier;

    /** The supernet's hyperparameters, as DARTS' train_search.py names them. */
    public record Config(int classes, int inputChannels, int channels, int layers, int nodes, int multiplier,
            int stemMultiplier, int partialChannels, boolean fixedReduction) {
        public Config {
            positive("classes", classes);
            positive("inputChannels", inputChannels);
            positive("channels", channels);
            positive("layers", layers);
            positive("nodes", nodes);
            positive("stemMultiplier", stemMultiplier);
            positive("partialChannels", partialChannels);
            if (multiplier < 1 || multiplier > nodes) {
                throw new UserError("SearchNetwork: multiplier must be in 1.." + nodes
                        + " (nodes), found " + multiplier);
            }
            if (channels % 2 != 0 || channels % partialChannels != 0) {
                throw new UserError("SearchNetwork: channels must be even and a multiple of"
                        + " partialChannels " + partialChannels + ", found " + channels);
            }
            if (fixedReduction && channels % 4 != 0) {
                throw new UserError("SearchNetwork: the fixed reduction cell convolves 2 x channels in 8 groups,"
                        + " so channels must be a multiple of 4, found " + channels);
            }
        }

        private static void positive(String name, int value) {
            if (value < 1) {
                throw new UserError("SearchNetwork: " + name + " must be positive, found " + value);
            }
        }
    }

    private SearchNetwork(Config config) {
        this.config = config;
        int stemChannels = config.stemMultiplier() * config.channels();
        stem = addChildBlock("stem", new SequentialBlock()
                .add(Operations.conv(stemChannels, 3, 1, 1, 1, 1))
                .add(Operations.batchNorm(true)));
        int c = config.channels();
        boolean reductionPrev = false;
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = CellLayout.isReduction(i, config.layers());
            if (reduction) {
                c *= 2;
            }
            cells.add(addChildBlock("cell" + i, reduction && config.fixedReduction()
                    ? new GdasReductionCell(c, reductionPrev, false)
                    : new SearchCell(config.nodes(), config.multiplier(), c, reduction, reductionPrev,
                            config.partialChannels())));
            reductionPrev = reduction;
        }
        classifier = addChildBlock("classifier", Linear.builder().setUnits(config.classes()).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Config config() {
        return config;
    }

    /** Edges per cell, n(n+3)/2 for n nodes: 14 for 4. */
    public int edgesPerCell() {
        return config.nodes() * (config.nodes() + 3) / 2;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        checkWeights(inputs, OpSelection.in(params));
        boolean edgeNormalized = inputs.size() == 5;
        NDArray s0 = stem.forward(store, new NDList(inputs.get(0)), training, params).singletonOrThrow();
        NDArray s1 = s0;
        for (Block cell : cells) {
            NDList cellInputs;
            if (cell instanceof SearchCell searched) {
                int w = searched.isReduction() ? 2 : 1;
                cellInputs = edgeNormalized
                        ? new NDList(s0, s1, inputs.get(w), inputs.get(w + 2))
                        : new NDList(s0, s1, inputs.get(w));
            } else {
                cellInputs = new NDList(s0, s1);
            }
            NDArray out = Operations.forwardReleasing(cell, store, cellInputs, training, params);
            if (s0 != s1) {
                s0.close();
            }
            s0 = s1;
            s1 = out;
        }
        NDArray pooled = Pool.globalAvgPool2d(s1);
        return classifier.forward(store, new NDList(pooled), training, params);
    }

    private void checkWeights(NDList inputs, OpSelection selection) {
        if (inputs.size() != 3 && inputs.size() != 5) {
            throw new UserError("SearchNetwork: expected inputs (x, normalWeights, reduceWeights"
                    + "[, normalEdgeWeights, reduceEdgeWeights]), found " + inputs.size() + " arrays");
        }
        Shape ops = new Shape(edgesPerCell(), Primitives.NAMES.size());
        for (int i = 1; i < inputs.size(); i++) {
            Shape expected = i < 3 ? ops : new Shape(edgesPerCell());
            if (!inputs.get(i).getShape().equals(expected)) {
                throw new UserError("SearchNetwork: input " + i + " must have shape " + expected
                        + ", found " + inputs.get(i).getShape());
            }
        }
        if (selection != null && selection.edges() != edgesPerCell()) {
            throw new UserError("SearchNetwork: the operation selection covers " + selection.edges()
                    + " edges, expected " + edgesPerCell());
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        CellLayout.requireInputSize("SearchNetwork", x.get(1), x.get(2), x.get(3), config.layers(), 1);
        if (x.get(1) != config.inputChannels()) {
            throw new UserError("SearchNetwork: input has " + x.get(1) + " channels, expected "
                    + config.inputChannels());
        }
        stem.initialize(manager, dataType, x);
        Shape s0 = stem.getOutputShapes(new Shape[] {x})[0];
        Shape s1 = s0;
        Shape ops = new Shape(edgesPerCell(), Primitives.NAMES.size());
        Shape edgeWeights = new Shape(edgesPerCell());
        for (Block cell : cells) {
            Shape[] in = {s0, s1, ops, edgeWeights};
            cell.initialize(manager, dataType, in);
            s0 = s1;
            s1 = cell.getOutputShapes(in)[0];
        }
        classifier.initialize(manager, dataType, new Shape(x.get(0), s1.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.classes())};
    }

    /** {@code set*} required, {@code opt*} defaulted to DARTS' search settings. */
    public static final class Builder {
        private int classes;
        private int inputChannels;
        private int channels = 16;
        private int layers = 8;
        private int nodes = 4;
        private int multiplier = 4;
        private int stemMultiplier = 3;
        private int partialChannels = 1;
        private boolean fixedReduction;

        private Builder() {}

        public Builder setClasses(int classes) {
            this.classes = classes;
            return this;
        }

        public Builder setInputChannels(int inputChannels) {
            this.inputChannels = inputChannels;
            return this;
        }

        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder optNodes(int nodes) {
            this.nodes = nodes;
            return this;
        }

        public Builder optMultiplier(int multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        public Builder optStemMultiplier(int stemMultiplier) {
            this.stemMultiplier = stemMultiplier;
            return this;
        }

        /** 1 = DARTS; K > 1 = PC-DARTS, operations on the first C/K channels of every edge (paper: 4). */
        public Builder optPartialChannels(int partialChannels) {
            this.partialChannels = partialChannels;
            return this;
        }

        /** GDAS-FRC: the reduction cells are {@link GdasReductionCell}, not searched. */
        public Builder optFixedReduction(boolean fixedReduction) {
            this.fixedReduction = fixedReduction;
            return this;
        }

        public SearchNetwork build() {
            return new SearchNetwork(new Config(classes, inputChannels, channels, layers, nodes, multiplier,
                    stemMultiplier, partialChannels, fixedReduction));
        }
    }
}
