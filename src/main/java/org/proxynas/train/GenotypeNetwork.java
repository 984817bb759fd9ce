package org.proxynas.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.proxynas.common.UserError;
import org.proxynas.learn.ExportableBlock;
import org.proxynas.learn.InferenceGraph;
import org.proxynas.learn.Linear;
import org.proxynas.learn.Relu;
import org.proxynas.nas.space.AveragePool;
import org.proxynas.nas.space.CellLayout;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.Operations;

/**
 * The evaluation network of a genotype, DARTS' model.NetworkCIFAR (or NetworkImageNet with the
 * ImageNet stem): stem, {@code layers} cells with the channels doubled at the reductions L/3 and 2L/3,
 * global average pooling, linear classifier; optionally the auxiliary head on the output of cell 2L/3.
 * Forward: {@code NDList(x)} → {@code NDList(logits)}, or {@code NDList(logits, auxLogits)} when training
 * with the auxiliary head. Drop path acts in training mode only. The ImageNet variant pools globally where
 * DARTS pools 7×7, which is the same at 224×224.
 */
public final class GenotypeNetwork extends AbstractBlock implements ExportableBlock {
    /** The CIFAR head pools 5×5 with stride 3 and needs 2×2 left for its 2×2 conv: an 8×8 map at least. */
    private static final int AUX_MIN_CIFAR = 8;
    /** The ImageNet head pools with stride 2: a 7×7 map at least. */
    private static final int AUX_MIN_IMAGENET = 7;

    private final Config config;
    private final Block stem0;
    private final Block stem1;
    private final List<GenotypeCell> cells = new ArrayList<>();
    private final Block auxiliaryHead;
    private final Block classifier;
    private final int auxiliaryCell;

    /** The network's settings, named as DARTS' train.py. */
    public record Config(Genotype genotype, int classes, int inputChannels, int channels, int layers,
            boolean auxiliary, boolean imageNetStem) {
        public Config {
            Objects.requireNonNull(genotype, "genotype");
            positive("classes", classes);
            positive("inputChannels", inputChannels);
            positive("layers", layers);
            if (channels < 2 || channels % 2 != 0) {
                throw new UserError("GenotypeNetwork: channels must be even and at least 2, found "
                        + channels);
            }
        }

        private static void positive(String name, int value) {
            if (value < 1) {
                throw new UserError("GenotypeNetwork: " + name + " must be positive, found " + value);
            }
        }
    }

    private GenotypeNetwork(Config config) {
        this.config = config;
        int c = config.channels();
        int cPrev;
        boolean reductionPrev;
        if (config.imageNetStem()) {
            stem0 = addChildBlock("stem0", new SequentialBlock()
                    .add(Operations.conv(c / 2, 3, 2, 1, 1, 1))
                    .add(Operations.batchNorm(true))
                    .add(new Relu())
                    .add(Operations.conv(c, 3, 2, 1, 1, 1))
                    .add(Operations.batchNorm(true)));
            stem1 = addChildBlock("stem1", new SequentialBlock()
                    .add(new Relu())
                    .add(Operations.conv(c, 3, 2, 1, 1, 1))
                    .add(Operations.batchNorm(true)));
            cPrev = c;
            reductionPrev = true;
        } else {
            stem0 = addChildBlock("stem", new SequentialBlock()
                    .add(Operations.conv(3 * c, 3, 1, 1, 1, 1))
                    .add(Operations.batchNorm(true)));
            stem1 = null;
            cPrev = 3 * c;
            reductionPrev = false;
        }
        int cCurr = c;
        int auxChannels = 0;
        auxiliaryCell = 2 * config.layers() / 3;
        Genotype g = config.genotype();
        for (int i = 0; i < config.layers(); i++) {
            boolean reduction = CellLayout.isReduction(i, config.layers());
            if (reduction) {
                cCurr *= 2;
            }
            GenotypeCell cell = reduction
                    ? new GenotypeCell(g.reduce(), g.reduceConcat(), cCurr, true, reductionPrev)
                    : new GenotypeCell(g.normal(), g.normalConcat(), cCurr, false, reductionPrev);
            cells.add(addChildBlock("cell" + i, cell));
            reductionPrev = reduction;
            cPrev = cell.outputChannels();
            if (i == auxiliaryCell) {
                auxChannels = cPrev;
            }
        }
        auxiliaryHead = config.auxiliary()
                ? addChildBlock("auxiliary", auxiliaryHead(config.imageNetStem(), config.classes()))
                : null;
        classifier = addChildBlock("classifier", Linear.builder().setUnits(config.classes()).build());
    }

    /**
     * DARTS' AuxiliaryHeadCIFAR (pool stride 3) or AuxiliaryHeadImageNet (pool stride 2, and no BN after
     * the 2×2 conv, as in the DARTS experiments): ReLU, 5×5 average pool, 1×1 conv to 128, BN, ReLU, 2×2
     * conv to 768, BN, ReLU, linear.
     */
    private static Block auxiliaryHead(boolean imageNet, int classes) {
        SequentialBlock head = new SequentialBlock()
                .add(new Relu())
                .add(new AveragePool(5, imageNet ? 2 : 3, 0))
                .add(Operations.conv(128, 1, 1, 0, 1, 1))
                .add(Operations.batchNorm(true))
                .add(new Relu())
                .add(Operations.conv(768, 2, 1, 0, 1, 1));
        if (!imageNet) {
            head.add(Operations.batchNorm(true));
        }
        return head.add(new Relu())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public static GenotypeNetwork from(Config config) {
        return new GenotypeNetwork(config);
    }

    public Config config() {
        return config;
    }

    /** The auxiliary head, to leave it out of parameter and cost counts; empty without one. */
    public Optional<Block> auxiliaryHead() {
        return Optional.ofNullable(auxiliaryHead);
    }

    /** Drop-path probability for every non-identity edge in training mode; the trainer ramps it per epoch. */
    public void setDropPathProbability(float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new UserError("drop path probability must be in [0, 1), found " + p);
        }
        for (GenotypeCell cell : cells) {
            cell.setDropPathProbability(p);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray s0 = stem0.forward(store, new NDList(x), training, params).singletonOrThrow();
        NDArray s1 = stem1 == null ? s0 : stem1.forward(store, new NDList(s0), training, params).singletonOrThrow();
        NDArray aux = null;
        for (int i = 0; i < cells.size(); i++) {
            NDArray out = Operations.forwardReleasing(cells.get(i), store, new NDList(s0, s1), training, params);
            if (s0 != s1) {
                s0.close();
            }
            s0 = s1;
            s1 = out;
            if (i == auxiliaryCell && auxiliaryHead != null && training) {
                aux = auxiliaryHead.forward(store, new NDList(s1), training, params).singletonOrThrow();
            }
        }
        NDArray logits = classifier.forward(store, new NDList(Pool.globalAvgPool2d(s1)), training, params)
                .singletonOrThrow();
        return aux == null ? new NDList(logits) : new NDList(logits, aux);
    }

    /** The inference path: the auxiliary head and drop path are training-only. */
    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        T s0 = graph.block(stem0, inputs.get(0));
        T s1 = stem1 == null ? s0 : graph.block(stem1, s0);
        for (GenotypeCell cell : cells) {
            T out = graph.block(cell, List.of(s0, s1));
            s0 = s1;
            s1 = out;
        }
        return graph.block(classifier, graph.globalAveragePool(s1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != 4 || x.get(1) != config.inputChannels()) {
            throw new UserError("GenotypeNetwork: input must be N x " + config.inputChannels()
                    + " x H x W, found " + x);
        }
        int stemStride = config.imageNetStem() ? 8 : 1;
        CellLayout.requireInputSize("GenotypeNetwork", x.get(1), x.get(2), x.get(3), config.layers(), stemStride);
        stem0.initialize(manager, dataType, x);
        Shape s0 = stem0.getOutputShapes(new Shape[] {x})[0];
        Shape s1 = s0;
        if (stem1 != null) {
            stem1.initialize(manager, dataType, s0);
            s1 = stem1.getOutputShapes(new Shape[] {s0})[0];
        }
        for (int i = 0; i < cells.size(); i++) {
            Shape[] in = {s0, s1};
            cells.get(i).initialize(manager, dataType, in);
            s0 = s1;
            s1 = cells.get(i).getOutputShapes(in)[0];
            if (i == auxiliaryCell && auxiliaryHead != null) {
                requireAuxiliaryFits(x, s1);
                auxiliaryHead.initialize(manager, dataType, s1);
            }
        }
        classifier.initialize(manager, dataType, new Shape(x.get(0), s1.get(1)));
    }

    private void requireAuxiliaryFits(Shape input, Shape map) {
        int min = config.imageNetStem() ? AUX_MIN_IMAGENET : AUX_MIN_CIFAR;
        if (map.get(2) < min || map.get(3) < min) {
            long scale = input.get(2) / map.get(2);
            throw new UserError("GenotypeNetwork: input " + input.get(1) + "x" + input.get(2) + "x"
                    + input.get(3) + " is too small for the auxiliary head: it needs at least " + min + "x" + min
                    + " after cell " + auxiliaryCell + " (input at least " + min * scale + "x" + min * scale
                    + "), found " + map.get(2) + "x" + map.get(3));
        }
    }

    /** The inference output, logits; training with the auxiliary head adds auxiliary logits of the same shape. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.classes())};
    }

    /** {@code set*} required, {@code opt*} defaulted to DARTS' CIFAR evaluation network. */
    public static final class Builder {
        private Genotype genotype;
        private int classes;
        private int inputChannels;
        private int channels = 36;
        private int layers = 20;
        private boolean auxiliary;
        private boolean imageNetStem;

        private Builder() {}

        public Builder setGenotype(Genotype genotype) {
            this.genotype = genotype;
            return this;
        }

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

        public Builder optAuxiliary(boolean auxiliary) {
            this.auxiliary = auxiliary;
            return this;
        }

        /** DARTS' NetworkImageNet stem: three stride-2 3×3 convs (input shrinks 8×) before the cells. */
        public Builder optImageNetStem(boolean imageNetStem) {
            this.imageNetStem = imageNetStem;
            return this;
        }

        public GenotypeNetwork build() {
            return from(new Config(genotype, classes, inputChannels, channels, layers, auxiliary, imageNetStem));
        }
    }
}
