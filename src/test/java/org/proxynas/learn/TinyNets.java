package org.proxynas.learn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.data.Augmentation;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;

/** Networks and data small enough for unit tests of the training loop. */
final class TinyNets {
    private TinyNets() {}

    /** The first {@code n} Fashion-MNIST examples of {@code split}. */
    static ImageDataset fashionMnist(Split split, int n) throws IOException {
        ImageDataset all = Datasets.open(Datasets.FASHION_MNIST, split);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return all.subset(idx);
    }

    /** 320 training and 100 test images, normalized with the training images' statistics. */
    record TinyData(ImageDataset train, ImageDataset test, Normalization norm) {}

    static TinyData tinyData() {
        try {
            ImageDataset train = fashionMnist(Split.TRAIN, 320);
            return new TinyData(train, fashionMnist(Split.TEST, 100), Normalization.compute(train));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The loop tests' recipe: batch 32, lr 0.1 cosine to 0, momentum 0.9, decay 3e-4, clip 5, seed 7, crop + flip
     * + cutout.
     */
    static TrainingRecipe.Builder recipe(TinyData data, int epochs) {
        return TrainingRecipe.builder().setEpochs(epochs).setBatchSize(32)
                .setSchedule(new LrSchedule.Cosine(0.1, 0, epochs)).setNormalization(data.norm()).optMomentum(0.9)
                .optWeightDecay(3e-4).optGradClip(5).optSeed(7).optAugmentation(new Augmentation(2, true, 8));
    }

    /** Every parameter's values, in parameter order. */
    static List<Float> weights(Block b) {
        List<Float> out = new ArrayList<>();
        for (Pair<String, Parameter> p : b.getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                out.add(v);
            }
        }
        return out;
    }

    /** conv-BN-ReLU-dropout-pool-linear: dropout makes the engine's random generator matter for resume. */
    static Block convNet() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8)
                        .optStride(new Shape(2, 2)).build())
                .add(new BatchNorm(true))
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.2f).build())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** A trunk with a main and an auxiliary classifier; the auxiliary output exists in training only. */
    static final class TwoHeads extends AbstractBlock {
        private final Block trunk = addChildBlock("trunk", new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock()));
        private final Block head = addChildBlock("head", Linear.builder().setUnits(10).build());
        final Block aux = addChildBlock("aux", Linear.builder().setUnits(10).build());

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDList features = trunk.forward(ps, inputs, training, params);
            NDList logits = head.forward(ps, features, training, params);
            return training ? new NDList(logits.singletonOrThrow(),
                    aux.forward(ps, features, training, params).singletonOrThrow()) : logits;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), 10)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            trunk.initialize(manager, dataType, inputShapes);
            Shape[] f = trunk.getOutputShapes(inputShapes);
            head.initialize(manager, dataType, f);
            aux.initialize(manager, dataType, f);
        }
    }
}
