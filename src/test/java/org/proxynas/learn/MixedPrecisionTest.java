package org.proxynas.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.common.Precision;

/** fp16 mixed precision on the CPU (bf16 shares every line but the format; the stock JNI cannot make one). */
class MixedPrecisionTest {
    private static final TinyNets.TinyData DATA = TinyNets.tinyData();

    @TempDir
    Path dir;

    private static TrainingRecipe config(int epochs, Precision precision) {
        return TinyNets.recipe(DATA, epochs).optPrecision(precision).build();
    }

    @Test
    void fp16TrainsLikeFp32WithFloat32MasterWeights() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block full = TinyNets.convNet();
            TrainingOutcome a = TrainingLoop.builder().setNetwork(full).setTrainSet(DATA.train())
                    .optTestSet(DATA.test()).setConfig(config(3, Precision.FP32)).setManager(m).build().run();
            Block half = TinyNets.convNet();
            TrainingOutcome b = TrainingLoop.builder().setNetwork(half).setTrainSet(DATA.train())
                    .optTestSet(DATA.test()).setConfig(config(3, Precision.FP16)).setManager(m).build().run();

            for (Pair<String, Parameter> p : half.getParameters()) {
                assertThat(p.getValue().getArray().getDataType()).as(p.getKey()).isEqualTo(DataType.FLOAT32);
            }
            // it did compute in 16 bits: the same seed in float32 ends elsewhere...
            assertThat(TinyNets.weights(half)).isNotEqualTo(TinyNets.weights(full));
            // ...but close by: same data, same initialization, rounding differences only
            for (int e = 0; e < 3; e++) {
                assertThat(b.history().get(e).trainLoss()).as("epoch %d", e + 1)
                        .isCloseTo(a.history().get(e).trainLoss(), within(0.05 * a.history().get(e).trainLoss()));
            }
            assertThat(b.last().trainLoss()).isLessThan(b.history().get(0).trainLoss());
        }
    }

    @Test
    void oneStepsGradientsAreFloat32sWithinHalfPrecision() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = initialized(m);
            NDArray images = m.randomNormal(new Shape(16, 1, 28, 28));
            NDArray labels = m.randomInteger(0, 10, new Shape(16), DataType.INT64);

            Map<String, float[]> full = new LinkedHashMap<>();
            try (NDManager step = m.newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = net.forward(new ParameterStore(step, false), new NDList(images), true).get(0);
                    gc.backward(CrossEntropy.mean(logits, labels));
                }
                for (ParamGrad g : ParamGrad.of(net, step)) {
                    full.put(g.id(), g.grad().toFloatArray());
                    g.grad().subi(g.grad());
                }
            }
            try (NDManager step = m.newSubManager()) {
                MixedPrecision mixed = new MixedPrecision(step, Precision.FP16);
                List<ParamGrad> grads = halfStep(mixed, net, step, images, labels);
                assertThat(grads).extracting(ParamGrad::id).containsExactlyElementsOf(full.keySet());
                // against the whole gradient's norm: the convolution's bias (before batch norm) has a zero
                // gradient in exact arithmetic, so only rounding noise, which no per-tensor ratio would bound
                double total = Math.sqrt(full.values().stream().mapToDouble(g -> norm(g) * norm(g)).sum());
                assertThat(total).isGreaterThan(0);
                for (ParamGrad g : grads) {
                    assertThat(g.grad().getDataType()).isEqualTo(DataType.FLOAT32);
                    assertThat(distance(g.grad().toFloatArray(), full.get(g.id())) / total).as(g.id())
                            .isLessThan(0.01);
                }
            }
        }
    }

    @Test
    void anOverflowSkipsTheStepAndHalvesTheScaleWhichGrowsBackAfterCleanSteps() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = initialized(m);
            NDArray labels = m.randomInteger(0, 10, new Shape(16), DataType.INT64);
            NDArray images = m.randomNormal(new Shape(16, 1, 28, 28));
            MixedPrecision mixed = new MixedPrecision(m, Precision.FP16, 2);
            assertThat(mixed.scale()).isEqualTo(MixedPrecision.INITIAL_SCALE);

            try (NDManager step = m.newSubManager()) {
                // 6e4 is near fp16's largest value: the convolution's sums overflow to infinity
                assertThat(halfStep(mixed, net, step, images.mul(6e4f), labels)).isNull();
            }
            assertThat(mixed.scale()).isEqualTo(MixedPrecision.INITIAL_SCALE / 2);
            assertThat(mixed.skippedSteps()).isEqualTo(1);
            // the state a checkpoint keeps
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            mixed.saveState(new DataOutputStream(saved));
            MixedPrecision restored = new MixedPrecision(m, Precision.FP16, 2);
            restored.loadState(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            assertThat(restored.scale()).isEqualTo(MixedPrecision.INITIAL_SCALE / 2);
            assertThat(restored.skippedSteps()).isEqualTo(1);
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.GAMMA) {
                    // batch norm's accumulated gradient was cleared, infinities included
                    assertThat(p.getValue().getArray().getGradient().abs().sum().getFloat()).isZero();
                }
            }
            for (int i = 0; i < 2; i++) {
                try (NDManager step = m.newSubManager()) {
                    assertThat(halfStep(mixed, net, step, images, labels)).isNotNull();
                    for (ParamGrad g : ParamGrad.of(net, step)) {
                        g.grad().subi(g.grad());
                    }
                }
            }
            assertThat(mixed.scale()).isEqualTo(MixedPrecision.INITIAL_SCALE);
        }
    }

    @Test
    void aResumedFp16RunEqualsAnUninterruptedOneBitForBit() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block straight = TinyNets.convNet();
            TrainingOutcome a = TrainingLoop.builder().setNetwork(straight).setTrainSet(DATA.train())
                    .setConfig(config(2, Precision.FP16)).setManager(m).optOutputDir(dir.resolve("a")).build().run();
            TrainingLoop.builder().setNetwork(TinyNets.convNet()).setTrainSet(DATA.train())
                    .setConfig(config(2, Precision.FP16)).setManager(m).optOutputDir(dir.resolve("b"))
                    .optStopAfterEpochs(1).build().run();
            Block resumed = TinyNets.convNet();
            TrainingOutcome b = TrainingLoop.builder().setNetwork(resumed).setTrainSet(DATA.train())
                    .setConfig(config(2, Precision.FP16)).setManager(m).optOutputDir(dir.resolve("b"))
                    .optResume(true).build().run();
            assertThat(TinyNets.weights(resumed)).isEqualTo(TinyNets.weights(straight));
            assertThat(b.last().trainLoss()).isEqualTo(a.last().trainLoss());
        }
    }

    @Test
    void fp32IsLeftOutOfTheConfigSoEarlierConfigsAndTheirHashesStayAsTheyWere() throws IOException {
        assertThat(Json.line(config(1, Precision.FP32))).doesNotContain("precision");
        assertThat(Json.line(config(1, Precision.FP16))).contains("\"precision\":\"fp16\"");
    }

    /** One fp16 forward and backward pass on {@code images}; the gradients for the optimizer (null: overflow). */
    private static List<ParamGrad> halfStep(MixedPrecision mixed, Block net, NDManager step, NDArray images,
            NDArray labels) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray half = mixed.beginStep(step, images);
            assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
            NDArray logits = mixed.toFloat32(net.forward(mixed, new NDList(half), true).get(0));
            assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
            gc.backward(mixed.scaled(CrossEntropy.mean(logits, labels)));
        }
        return mixed.gradients(net);
    }

    /** {@link TinyNets#convNet()} without its dropout, whose masks would differ between two passes. */
    private static Block initialized(NDManager m) {
        Block net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8)
                        .optStride(new Shape(2, 2)).build())
                .add(new BatchNorm(true))
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
        Initialization.initialize(net, m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
        return net;
    }


    private static double norm(float[] a) {
        return distance(a, new float[a.length]);
    }

    private static double distance(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(d);
    }
}
