package org.proxynas.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Locale;
import org.proxynas.nas.space.Genotype;
import org.proxynas.score.ResNetCifar;
import org.proxynas.train.GenotypeNetwork;

/**
 * Channels-last (NHWC) activations against NCHW in libtorch 2.7.1, for {@code bench/layout.sh}: what keeping every
 * activation channels-last would gain, and whether libtorch computes the same there. ProxyNAS computes in NCHW;
 * an NHWC input makes every later activation NHWC too (libtorch's operators keep their input's layout), which
 * spares oneDNN the layout conversions around each convolution.
 *
 * <p>Two measurements, one JSON line each. {@code gradient C SIZE}: the weight gradient of a 1×1 stride-2
 * convolution (the two convolutions of DARTS' FactorizedReduce, in every reduction cell and the cell after it) of
 * 32 images of C channels, SIZE×SIZE pixels, in both layouts, each against the gradient computed by hand; a wrong
 * kernel may also corrupt the heap and abort the JVM, which is why the script runs one check per process.
 * {@code speed resnet20|darts_v2 nchw|channels-last ROUNDS}: inference and training-step (forward,
 * cross-entropy, backward) throughput on 64 random 1×28×28 images per batch (DARTS_V2 at C=16, 8 cells), the
 * median of ROUNDS rounds after one warm-up round.
 */
public final class LayoutCheck {
    private static final int BATCH = 64;
    private static final Shape IMAGE = new Shape(1, 28, 28);

    private LayoutCheck() {}

    public static void main(String[] args) {
        try (NDManager manager = NDManager.newBaseManager(BenchDevice.resolve())) {
            if (args[0].equals("gradient")) {
                gradientCheck(manager, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            } else {
                throughput(manager, args[1], args[2].equals("channels-last"), Integer.parseInt(args[3]));
            }
        }
    }

    /** Each layout's max relative error in a 1×1 stride-2 weight gradient (32 images, 4 filters, loss: output sum). */
    private static void gradientCheck(NDManager parent, int channels, int size) {
        try (NDManager m = parent.newSubManager()) {
            int n = 32;
            int filters = 4;
            NDArray x = m.randomNormal(new Shape(n, channels, size, size));
            NDArray w = m.randomNormal(new Shape(filters, channels, 1, 1));
            float[] xs = x.toFloatArray();
            int out = (size - 1) / 2 + 1;
            double[] expected = new double[filters * channels];
            for (int c = 0; c < channels; c++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    for (int y = 0; y < out; y++) {
                        for (int z = 0; z < out; z++) {
                            sum += xs[((i * channels + c) * size + 2 * y) * size + 2 * z];
                        }
                    }
                }
                for (int f = 0; f < filters; f++) {
                    expected[f * channels + c] = sum;
                }
            }
            System.out.println(String.format(Locale.ROOT,
                    "{\"check\":\"conv1x1_stride2_weight_grad\",\"channels\":%d,\"size\":%d,\"nchw_rel_err\":%.3g,"
                            + "\"channels_last_rel_err\":%.3g}",
                    channels, size, relativeError(weightGradient(x, w), expected),
                    relativeError(weightGradient(channelsLast(x), w), expected)));
        }
    }

    private static float[] weightGradient(NDArray x, NDArray w) {
        NDArray weight = w.duplicate();
        weight.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = x.getNDArrayInternal().convolution(x, weight, null, new Shape(2, 2), new Shape(0, 0),
                    new Shape(1, 1), 1).singletonOrThrow();
            gc.backward(y.sum());
        }
        return weight.getGradient().toFloatArray();
    }

    private static double relativeError(float[] actual, double[] expected) {
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
        }
        return worst;
    }

    /** The same values, stored NHWC: an N×H×W×C array viewed as N×C×H×W. */
    private static NDArray channelsLast(NDArray nchw) {
        Shape s = nchw.getShape();
        NDManager m = nchw.getManager();
        return m.create(nchw.transpose(0, 2, 3, 1).toFloatArray(), new Shape(s.get(0), s.get(2), s.get(3), s.get(1)))
                .transpose(0, 3, 1, 2);
    }

    private static void throughput(NDManager parent, String model, boolean channelsLast, int rounds) {
        try (NDManager m = parent.newSubManager()) {
            Block net = model.equals("resnet20") ? ResNetCifar.resnet20(10)
                    : GenotypeNetwork.builder().setGenotype(Genotype.named("DARTS_V2")).setClasses(10)
                            .setInputChannels(1).optChannels(16).optLayers(8).build();
            Engine.getInstance().setRandomSeed(0);
            net.initialize(m, DataType.FLOAT32, new Shape(BATCH).addAll(IMAGE));
            ParameterStore ps = new ParameterStore(m, false);
            int batchesPerRound = model.equals("resnet20") ? 10 : 3;
            double[] infer = new double[rounds];
            double[] train = new double[rounds];
            for (int r = -1; r < rounds; r++) {
                double i = timed(m, batchesPerRound, channelsLast, x -> {
                    JniUtils.setGradMode(false);
                    net.forward(ps, new NDList(x), false).get(0).getFloat(0, 0);
                });
                double t = timed(m, Math.max(1, batchesPerRound / 3), channelsLast, x -> {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.forward(ps, new NDList(x), true).get(0);
                        NDArray labels = x.getManager().randomInteger(0, 10, new Shape(BATCH), DataType.INT64);
                        gc.backward(logits.logSoftmax(1).mul(labels.oneHot(10)).sum().neg().div(BATCH));
                    }
                });
                if (r >= 0) {
                    infer[r] = i;
                    train[r] = t;
                }
            }
            System.out.println(String.format(Locale.ROOT,
                    "{\"model\":\"%s\",\"layout\":\"%s\",\"batch\":%d,\"input\":\"1x28x28\",\"rounds\":%d,"
                            + "\"infer_img_per_s\":%.1f,\"train_img_per_s\":%.1f}",
                    model, channelsLast ? "channels-last" : "nchw", BATCH, rounds, TrainBench.median(infer),
                    TrainBench.median(train)));
        }
    }

    private interface Step {
        void run(NDArray images);
    }

    /** Images per second over {@code batches} batches of fresh random images. */
    private static double timed(NDManager parent, int batches, boolean channelsLast, Step step) {
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            try (NDManager m = parent.newSubManager()) {
                NDArray x = m.randomNormal(new Shape(BATCH).addAll(IMAGE));
                step.run(channelsLast ? channelsLast(x) : x);
            }
        }
        return batches * BATCH / ((System.nanoTime() - start) / 1e9);
    }
}
