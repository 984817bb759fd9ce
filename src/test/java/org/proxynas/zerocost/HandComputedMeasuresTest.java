package org.proxynas.zerocost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.proxynas.common.UserError;
import org.proxynas.learn.BatchNorm;
import org.proxynas.learn.Conv2d;
import org.proxynas.learn.Linear;
import org.proxynas.learn.Relu;

/**
 * Every measure on networks small enough to compute by hand ({@link HandModel}): a linear layer, and a 1×1
 * convolution followed by global average pooling, which is the same classifier on the images' channel means.
 * Float32 against double arithmetic on a few terms: 10⁻³ % apart at most.
 */
class HandComputedMeasuresTest {
    private static final int N = 4;
    private static final int D = 5;
    private static final int K = 3;
    private static final int C = 2;
    private static final int SIDE = 2;
    private static final int[] LABELS = {0, 2, 1, 2};
    private static final double PERCENT = 1e-3;

    @Test
    void gradientMeasuresOfALinearLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linearNetwork(m);
            double[][] x = flat(N, D, (n, j) -> Math.cos(0.9 * n + 0.4 * j));
            Minibatch batch = batch(m, x, new Shape(N, 1, 1, D), LABELS);
            assertMeasuresAreTheHandComputedOnes(net, m, batch,
                    new HandModel(linearWeights(net), linearBias(net), x, LABELS), D);
            assertThat(measure(ParameterCount.NAME, net, m, batch)).isEqualTo(K * D + K);
            assertThat(measure(MultiplyAdds.NAME, net, m, batch)).isEqualTo(K * D);
        }
    }

    /** The 1×1 convolution's measures are the linear classifier's on channel means; Fisher counts C per channel. */
    @Test
    void gradientMeasuresOfAOneByOneConvolution() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = convolutionNetwork(m, false);
            double[][] images = flat(N, C * SIDE * SIDE, (n, i) -> Math.cos(0.7 * n + 0.3 * i) + 0.1 * i);
            Minibatch batch = batch(m, images, new Shape(N, C, SIDE, SIDE), LABELS);
            assertMeasuresAreTheHandComputedOnes(net, m, batch,
                    new HandModel(convolutionWeights(net), new double[K], channelMeans(images), LABELS), C);
            assertThat(measure(ParameterCount.NAME, net, m, batch)).isEqualTo(K * C);
            assertThat(measure(MultiplyAdds.NAME, net, m, batch)).isEqualTo(K * C * SIDE * SIDE);
        }
    }

    /**
     * With batch norm (scale 5, shift 3) after the convolution, synflow is what it is without: the authors replace
     * batch norm by the identity. Run as a layer, batch norm would map the constant all-ones image to its shift and
     * leave synflow 0.
     */
    @Test
    void synflowLeavesBatchNormOut() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = convolutionNetwork(m, true);
            Minibatch batch = batch(m, flat(N, C * SIDE * SIDE, (n, i) -> n + i), new Shape(N, C, SIDE, SIDE), LABELS);
            double without = new HandModel(convolutionWeights(net), new double[K], new double[1][C], new int[1])
                    .absoluteWeightSum();
            assertThat(measure(Synflow.NAME, net, m, batch)).isCloseTo(without, withinPercentage(PERCENT));
        }
    }

    /**
     * Two batches count as the authors count the parts of a split batch: gradients add up (snip, grasp), Fisher's
     * per-channel values add up, NASWOT averages the log-determinants.
     */
    @Test
    void twoBatchesAddUpAsTheAuthorsSplitBatchesDo() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linearNetwork(m);
            double[][] first = flat(N, D, (n, j) -> Math.cos(0.9 * n + 0.4 * j));
            double[][] second = flat(N, D, (n, j) -> Math.sin(1.7 * n - 0.3 * j));
            int[] secondLabels = {1, 1, 0, 2};
            List<Minibatch> both = List.of(batch(m, first, new Shape(N, 1, 1, D), LABELS),
                    batch(m, second, new Shape(N, 1, 1, D), secondLabels));
            HandModel a = new HandModel(linearWeights(net), linearBias(net), first, LABELS);
            HandModel b = new HandModel(linearWeights(net), linearBias(net), second, secondLabels);
            double[][] g = a.weightGradient();
            double[][] gb = b.weightGradient();
            for (int k = 0; k < K; k++) {
                for (int j = 0; j < D; j++) {
                    g[k][j] += gb[k][j];
                }
            }
            assertThat(ZeroCostMeasures.create(Snip.NAME).compute(net, m, both))
                    .isCloseTo(a.snip(g), withinPercentage(PERCENT));
            assertThat(ZeroCostMeasures.create(Grasp.NAME).compute(net, m, both))
                    .isCloseTo(a.grasp(g) + b.grasp(g), withinPercentage(PERCENT));
            assertThat(ZeroCostMeasures.create(Fisher.NAME).compute(net, m, both))
                    .isCloseTo(a.fisher(D) + b.fisher(D), withinPercentage(PERCENT));
        }
    }

    /**
     * A linear layer's input gradients are the same row Σ_k W_k for every example: a correlation matrix of ones,
     * eigenvalues N and N−1 zeros, so jacob_cov = −(log(N + k) + 1/(N + k)) − (N − 1)(log k + 1/k), k = 10⁻⁵.
     */
    @Test
    void jacobCovOfALinearLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linearNetwork(m);
            Minibatch batch = batch(m, flat(N, D, (n, j) -> Math.cos(0.9 * n + 0.4 * j)), new Shape(N, 1, 1, D),
                    LABELS);
            double k = 1e-5;
            double expected = -(Math.log(N + k) + 1 / (N + k)) - (N - 1) * (Math.log(k) + 1 / k);
            assertThat(measure(JacobianCovariance.NAME, net, m, batch)).isCloseTo(expected, withinPercentage(1e-6));
        }
    }

    /**
     * ReLU inputs of three examples over five units: codes 11010, 10011 and 01110 agree on 3, 3 and 1 units
     * (examples 1-2, 1-3, 2-3), so K = [[5, 3, 3], [3, 5, 1], [3, 1, 5]] and det K = 5·24 − 3·12 + 3·(−12) = 48.
     */
    @Test
    void naswotCountsTheUnitsWhereTwoExamplesAgree() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = new SequentialBlock().add(new Relu()).add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(K).build());
            net.initialize(m, DataType.FLOAT32, new Shape(3, 1, 1, D));
            double[][] x = {{0.5, 2, -1, 3, -0.1}, {1, -2, -0.5, 0.2, 4}, {-1, 3, 0.7, 0.1, 0}};
            Minibatch batch = batch(m, x, new Shape(3, 1, 1, D), new int[] {0, 1, 2});
            assertThat(measure(Naswot.NAME, net, m, batch)).isCloseTo(Math.log(48), withinPercentage(1e-9));
        }
    }

    @Test
    void theRegistryListsEveryMeasureInTableOrder() {
        assertThat(ZeroCostMeasures.NAMES).containsExactly("synflow", "snip", "grad_norm", "grasp", "fisher",
                "jacob_cov", "naswot", "params", "flops");
        for (String name : ZeroCostMeasures.NAMES) {
            assertThat(ZeroCostMeasures.create(name).name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> ZeroCostMeasures.create("zen")).isInstanceOf(UserError.class)
                .hasMessageContaining("synflow, snip");
    }

    /** snip, grad_norm, grasp, fisher (each channel counted {@code fanIn} times) and synflow as {@code hand}'s. */
    private static void assertMeasuresAreTheHandComputedOnes(Block net, NDManager m, Minibatch batch, HandModel hand,
            long fanIn) {
        assertThat(measure(Snip.NAME, net, m, batch)).isCloseTo(hand.snip(), withinPercentage(PERCENT));
        assertThat(measure(GradNorm.NAME, net, m, batch)).isCloseTo(hand.gradNorm(), withinPercentage(PERCENT));
        assertThat(measure(Grasp.NAME, net, m, batch)).isCloseTo(hand.grasp(), withinPercentage(PERCENT));
        assertThat(measure(Fisher.NAME, net, m, batch)).isCloseTo(hand.fisher(fanIn), withinPercentage(PERCENT));
        // all-ones input, absolute weights: each |w| meets a 1 on every path to the summed output
        assertThat(measure(Synflow.NAME, net, m, batch)).isCloseTo(hand.absoluteWeightSum(), withinPercentage(PERCENT));
    }

    private static double measure(String name, Block net, NDManager m, Minibatch batch) {
        return ZeroCostMeasures.create(name).compute(net, m, List.of(batch));
    }

    /** Flatten, then a linear layer of K units with weights 0.5·sin(1.3k + 0.7j + 0.2) and biases 0.1·(k − 1). */
    private static Block linearNetwork(NDManager m) {
        Block net = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(K).build());
        net.initialize(m, DataType.FLOAT32, new Shape(N, 1, 1, D));
        set(net, "weight", K * D, i -> 0.5 * Math.sin(1.3 * (i / D) + 0.7 * (i % D) + 0.2));
        set(net, "bias", K, k -> 0.1 * (k - 1));
        return net;
    }

    /** A 1×1 convolution to K channels without bias (weights 0.4·cos(k + 2c)), optional batch norm, mean pooling. */
    private static Block convolutionNetwork(NDManager m, boolean batchNorm) {
        SequentialBlock net = new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(1, 1))
                .setFilters(K).optBias(false).build());
        if (batchNorm) {
            net.add(new BatchNorm(true));
        }
        net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        net.initialize(m, DataType.FLOAT32, new Shape(N, C, SIDE, SIDE));
        set(net, "weight", K * C, i -> 0.4 * Math.cos(i / C + 2.0 * (i % C)));
        set(net, "gamma", K, k -> 5);
        set(net, "beta", K, k -> 3);
        return net;
    }

    private static void set(Block net, String suffix, int size, java.util.function.IntToDoubleFunction value) {
        for (Parameter p : net.getParameters().values()) {
            if (p.getName().equals(suffix)) {
                float[] v = new float[size];
                for (int i = 0; i < size; i++) {
                    v[i] = (float) value.applyAsDouble(i);
                }
                p.getArray().set(v);
            }
        }
    }

    private static double[] values(Block net, String name) {
        for (Parameter p : net.getParameters().values()) {
            if (p.getName().equals(name)) {
                float[] f = p.getArray().toFloatArray();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                return d;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    private static double[][] linearWeights(Block net) {
        return rows(values(net, "weight"), D);
    }

    private static double[] linearBias(Block net) {
        return values(net, "bias");
    }

    private static double[][] convolutionWeights(Block net) {
        return rows(values(net, "weight"), C);
    }

    private static double[][] rows(double[] flat, int width) {
        double[][] out = new double[flat.length / width][width];
        for (int i = 0; i < flat.length; i++) {
            out[i / width][i % width] = flat[i];
        }
        return out;
    }

    /** Rows of {@code width} per-example values f(n, i), rounded to float32 as the network sees them. */
    private static double[][] flat(int examples, int width, DoubleBinaryOperator f) {
        double[][] x = new double[examples][width];
        for (int n = 0; n < examples; n++) {
            for (int i = 0; i < width; i++) {
                x[n][i] = (float) f.applyAsDouble(n, i);
            }
        }
        return x;
    }

    /** Each example's mean over the SIDE×SIDE positions of each of its C channels. */
    private static double[][] channelMeans(double[][] images) {
        int plane = SIDE * SIDE;
        double[][] means = new double[images.length][C];
        for (int n = 0; n < images.length; n++) {
            for (int c = 0; c < C; c++) {
                for (int p = 0; p < plane; p++) {
                    means[n][c] += images[n][c * plane + p] / plane;
                }
            }
        }
        return means;
    }

    private static Minibatch batch(NDManager m, double[][] x, Shape shape, int[] labels) {
        int per = Math.toIntExact(shape.size() / shape.get(0));
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int n = 0; n < shape.get(0); n++) {
            for (int i = 0; i < per; i++) {
                v[n * per + i] = (float) x[n][i];
            }
        }
        long[] y = new long[labels.length];
        for (int n = 0; n < y.length; n++) {
            y[n] = labels[n];
        }
        NDArray images = m.create(v, shape);
        return new Minibatch(images, m.create(y));
    }
}
