package org.proxynas.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.common.UserError;
import org.proxynas.learn.BatchNorm;
import org.proxynas.learn.ExportableBlock;
import org.proxynas.learn.InferenceGraph;

/**
 * The CIFAR ResNet of He et al. (2016), depth {@code 6n+2}: a 3×3 conv with 16 filters, three stages of
 * {@code n} basic blocks with 16/32/64 channels (the first block of stages 2 and 3 halves the resolution),
 * global average pooling and a linear classifier. Shortcuts are identities, "option A": where the shape
 * changes the input is subsampled with stride 2 and zero-padded in channels, as in the paper's
 * entropy-list code, so ResNet-20 has 269,722 parameters for 3 input channels and 10 classes. Any input
 * channel count and image size works. Convolution and linear weights use Kaiming-normal (fan-in)
 * initialization.
 *
 * <p>{@link #forward} returns the logits only; {@link #forwardWithFeatures} also returns the 64-d pooled
 * penultimate features used for core-set embeddings.
 */
public final class ResNetCifar extends AbstractBlock implements ExportableBlock {
    private static final int[] STAGE_CHANNELS = {16, 32, 64};
    private final int depth;
    private final int classes;
    private final Block stem;
    private final List<BasicBlock> blocks = new ArrayList<>();
    private final Block classifier;

    private ResNetCifar(int depth, int classes) {
        this.depth = depth;
        this.classes = classes;
        int n = (depth - 2) / 6;
        stem = addChildBlock("stem", new ConvBn(16, 1));
        int in = 16;
        for (int s = 0; s < STAGE_CHANNELS.length; s++) {
            for (int b = 0; b < n; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                blocks.add(addChildBlock("stage" + (s + 1) + "block" + (b + 1),
                        new BasicBlock(in, STAGE_CHANNELS[s], stride)));
                in = STAGE_CHANNELS[s];
            }
        }
        classifier = addChildBlock("classifier", Linear.builder().setUnits(classes).build());
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
    }

    /** A ResNet of {@code depth = 6n+2} layers (20, 32, 44, 56, 110, ...) for {@code classes} classes. */
    public static ResNetCifar of(int depth, int classes) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new UserError("CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, 110), found "
                    + depth);
        }
        if (classes < 2) {
            throw new UserError("a classifier needs at least 2 classes, found " + classes);
        }
        return new ResNetCifar(depth, classes);
    }

    public static ResNetCifar resnet20(int classes) {
        return of(20, classes);
    }

    public static ResNetCifar resnet56(int classes) {
        return of(56, classes);
    }

    public int depth() {
        return depth;
    }

    public int classes() {
        return classes;
    }

    /** Size of the penultimate features. */
    public int featureSize() {
        return STAGE_CHANNELS[STAGE_CHANNELS.length - 1];
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return classify(ps, features(ps, inputs, training, params), training, params);
    }

    /** {@code NDList(logits, features)}, features being the {@code B×64} pooled penultimate activations. */
    public NDList forwardWithFeatures(ParameterStore ps, NDList inputs, boolean training) {
        if (!isInitialized()) {
            throw new IllegalStateException("initialize the network before asking for features");
        }
        NDList features = features(ps, inputs, training, null);
        NDList logits = classify(ps, features, training, null);
        return new NDList(logits.singletonOrThrow(), features.singletonOrThrow());
    }

    private NDList features(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = stem.forward(ps, inputs, training, params).singletonOrThrow();
        for (BasicBlock b : blocks) {
            x = consumed(x, b.forward(ps, new NDList(x), training, params).singletonOrThrow());
        }
        return new NDList(consumed(x, Pool.globalAvgPool2d(x)));
    }

    /**
     * {@code result}, after closing {@code input}, which nothing reads any more: each intermediate is released the
     * moment the next operation has read it, as Python's reference counting does (autograd keeps what the backward
     * pass needs by itself). Kept until the batch's scope closed, every output went to fresh memory: 5-9% more peak
     * memory in training, and slower elementwise operators in inference.
     */
    private static NDArray consumed(NDArray input, NDArray result) {
        input.close();
        return result;
    }

    private NDList classify(ParameterStore ps, NDList features, boolean training, PairList<String, Object> params) {
        return classifier.forward(ps, features, training, params);
    }

    @Override
    public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
        T x = graph.block(stem, inputs.get(0));
        for (BasicBlock b : blocks) {
            x = graph.block(b, x);
        }
        return graph.block(classifier, graph.globalAveragePool(x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        stem.initialize(manager, dataType, shapes);
        shapes = stem.getOutputShapes(shapes);
        for (BasicBlock b : blocks) {
            b.initialize(manager, dataType, shapes);
            shapes = b.getOutputShapes(shapes);
        }
        classifier.initialize(manager, dataType, new Shape(shapes[0].get(0), shapes[0].get(1)));
    }

    private static Conv2d conv3x3(int filters, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).setFilters(filters).optBias(false).build();
    }

    /** conv3×3 → BN → ReLU. */
    private static final class ConvBn extends AbstractBlock implements ExportableBlock {
        private final Conv2d conv;
        private final BatchNorm bn;

        ConvBn(int filters, int stride) {
            conv = addChildBlock("conv", conv3x3(filters, stride));
            bn = addChildBlock("bn", new BatchNorm(true));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray c = conv.forward(ps, inputs, training, params).singletonOrThrow();
            NDArray b = consumed(c, bn.forward(ps, new NDList(c), training, params).singletonOrThrow());
            return new NDList(consumed(b, Activation.relu(b)));
        }

        @Override
        public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
            return graph.relu(graph.block(bn, graph.block(conv, inputs.get(0))));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return conv.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            conv.initialize(manager, dataType, inputShapes);
            bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
        }
    }

    /** relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)), shortcut option A. */
    private static final class BasicBlock extends AbstractBlock implements ExportableBlock {
        private final ConvBn first;
        private final Conv2d conv2;
        private final BatchNorm bn2;
        private final int padChannels;
        private final int stride;

        BasicBlock(int in, int out, int stride) {
            this.stride = stride;
            first = addChildBlock("convbn1", new ConvBn(out, stride));
            conv2 = addChildBlock("conv2", conv3x3(out, 1));
            bn2 = addChildBlock("bn2", new BatchNorm(true));
            padChannels = stride != 1 || in != out ? (out - in) / 2 : 0;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray h = first.forward(ps, inputs, training, params).singletonOrThrow();
            NDArray c = consumed(h, conv2.forward(ps, new NDList(h), training, params).singletonOrThrow());
            NDArray residual = consumed(c, bn2.forward(ps, new NDList(c), training, params).singletonOrThrow());
            NDArray shortcut = shortcut(x);
            NDArray sum = consumed(residual, residual.add(shortcut));
            if (shortcut != x) {
                shortcut.close();
            }
            return new NDList(consumed(sum, Activation.relu(sum)));
        }

        private NDArray shortcut(NDArray x) {
            if (stride == 1 && padChannels == 0) {
                return x;
            }
            // "...", not ":, :": DJL slices every dimension it is given, and each slice's backward pass writes a
            // zero tensor of the input's full size; libtorch skips the dimensions an ellipsis covers
            NDArray sub = stride == 1 ? x : x.get(new NDIndex("..., ::" + stride + ", ::" + stride));
            if (padChannels == 0) {
                return sub;
            }
            // one constant_pad_nd, as the reference's F.pad, instead of two zero tensors and a concatenation
            return sub.pad(new Shape(0, 0, 0, 0, padChannels, padChannels), 0);
        }

        @Override
        public <T> T exportTo(InferenceGraph<T> graph, List<T> inputs) {
            T x = inputs.get(0);
            T residual = graph.block(bn2, graph.block(conv2, graph.block(first, x)));
            T shortcut = stride == 1 ? x : graph.sliceSpatial(x, 0, stride);
            if (padChannels > 0) {
                shortcut = graph.padChannels(shortcut, padChannels, padChannels);
            }
            return graph.relu(graph.add(residual, shortcut));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return first.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            first.initialize(manager, dataType, inputShapes);
            Shape[] h = first.getOutputShapes(inputShapes);
            conv2.initialize(manager, dataType, h);
            bn2.initialize(manager, dataType, h);
        }
    }
}
