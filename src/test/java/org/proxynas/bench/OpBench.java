package org.proxynas.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.proxynas.learn.BatchNorm;
import org.proxynas.nas.space.MaxPool;

/**
 * Single libtorch operators called through DJL on one fixed input, no autograd, a fresh output per call (as a
 * network's pass allocates them), fastest round: what an operator costs by itself, outside any network code of ours.
 * bench/op_reference.py times the same calls in PyTorch 1.13; bench/ops.sh runs both. A gap here is the
 * kernel's (or its library's), not the product's. The {@code *_block} rows run one of ProxyNAS' own blocks where it
 * computes an operation differently from libtorch's operator ({@link MaxPool} without autograd). Usage:
 * {@code OpBench C H W BATCH} (threads from {@code -Dai.djl.pytorch.num_threads}); one JSON line per operator.
 */
public final class OpBench {
    private OpBench() {}

    public static void main(String[] args) {
        int c = Integer.parseInt(args[0]);
        int h = Integer.parseInt(args[1]);
        int w = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        Engine.getInstance();
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(0);
            NDArray x = m.randomNormal(new Shape(batch, c, h, w));
            NDArray pointwise = m.randomNormal(new Shape(c, c, 1, 1));
            NDArray depthwise = m.randomNormal(new Shape(c, 1, 3, 3));
            NDArray full = m.randomNormal(new Shape(c, c, 3, 3));
            NDArray mean = m.zeros(new Shape(c));
            NDArray var = m.ones(new Shape(c));
            Shape one = new Shape(1, 1);
            Shape three = new Shape(3, 3);
            Map<String, Function<NDArray, NDArray>> ops = new LinkedHashMap<>();
            ops.put("relu", a -> a.getNDArrayInternal().relu());
            ops.put("add", a -> a.add(a));
            ops.put("mul_scalar_tensor", a -> a.mul(var.get(0)));
            ops.put("batch_norm_train", a -> BatchNorm.batchNorm(a, mean, var, var, mean, true));
            ops.put("max_pool_3x3", a -> Pool.maxPool2d(a, three, one, one, false));
            ops.put("max_pool_3x3_block", forward(m, new MaxPool(3, 1, 1), x));
            ops.put("max_pool_3x3_stride2_block", forward(m, new MaxPool(3, 2, 1), x));
            ops.put("avg_pool_3x3", a -> Pool.avgPool2d(a, three, one, one, false, true));
            ops.put("conv_1x1", a -> Conv2d.conv2d(a, pointwise, null, one, new Shape(0, 0), one, 1)
                    .singletonOrThrow());
            ops.put("conv_3x3_depthwise", a -> Conv2d.conv2d(a, depthwise, null, one, one, one, c)
                    .singletonOrThrow());
            ops.put("conv_3x3", a -> Conv2d.conv2d(a, full, null, one, one, one, 1).singletonOrThrow());
            for (Map.Entry<String, Function<NDArray, NDArray>> op : ops.entrySet()) {
                double ms = fastestMillis(m, x, op.getValue());
                System.out.printf(Locale.ROOT, "{\"impl\":\"proxynas-djl\",\"op\":\"%s\",\"input\":\"%dx%dx%dx%d\","
                        + "\"threads\":\"%s\",\"ms_per_call\":%.4f}%n", op.getKey(), batch, c, h, w,
                        System.getProperty("ai.djl.pytorch.num_threads", "default"), ms);
            }
        }
    }

    private static Function<NDArray, NDArray> forward(NDManager m, Block block, NDArray x) {
        block.initialize(m, DataType.FLOAT32, x.getShape());
        ParameterStore store = new ParameterStore(m, false);
        return a -> block.forward(store, new NDList(a), false).singletonOrThrow();
    }

    /**
     * The fastest of 7 rounds of about 0.3 s each, after a round of warm-up: on a machine shared with other work,
     * the least disturbed round is the best estimate of what the operator itself costs.
     */
    private static double fastestMillis(NDManager m, NDArray x, Function<NDArray, NDArray> op) {
        int calls = 1;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 300_000_000L) {
            call(m, x, op, calls);
            calls *= 2;
        }
        double[] rounds = new double[7];
        for (int r = 0; r < rounds.length; r++) {
            long s = System.nanoTime();
            call(m, x, op, calls);
            rounds[r] = (System.nanoTime() - s) / 1e6 / calls;
        }
        return Arrays.stream(rounds).min().orElseThrow();
    }

    private static void call(NDManager m, NDArray x, Function<NDArray, NDArray> op, int times) {
        for (int i = 0; i < times; i++) {
            try (NDManager scope = m.newSubManager()) {
                x.tempAttach(scope);
                op.apply(x).close();
            }
        }
    }
}
