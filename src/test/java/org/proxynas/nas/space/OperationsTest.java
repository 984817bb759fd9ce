package org.proxynas.nas.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationsTest {
    private static final int C = 8;
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /**
     * Trainable parameters by hand for C = 8: a depthwise k×k conv has k·k·C, a 1×1 conv C·C, an affine
     * BN 2C. sep_conv_k = 2·(k²C + C²) + 2·2C; dil_conv_k = k²C + C² + 2C; FactorizedReduce = 2·C·C/2 + 2C.
     */
    @ParameterizedTest(name = "{0} stride {1} affine {2}")
    @CsvSource({
        "none,         1, true,  0",
        "none,         2, false, 0",
        "max_pool_3x3, 1, true,  0",
        "max_pool_3x3, 2, true,  0",
        "avg_pool_3x3, 1, false, 0",
        "avg_pool_3x3, 2, true,  0",
        "skip_connect, 1, true,  0",
        "skip_connect, 2, true,  80",
        "skip_connect, 2, false, 64",
        "sep_conv_3x3, 1, true,  304",
        "sep_conv_3x3, 2, false, 272",
        "sep_conv_5x5, 1, false, 528",
        "sep_conv_5x5, 2, true,  560",
        "dil_conv_3x3, 1, true,  152",
        "dil_conv_3x3, 2, false, 136",
        "dil_conv_5x5, 1, false, 264",
        "dil_conv_5x5, 2, true,  280",
    })
    void opHasDartsShapeAndParameterCount(String name, int stride, boolean affine, long params) {
        Block op = Operations.create(name, C, stride, affine);
        Shape in = new Shape(2, C, 8, 8);
        op.initialize(manager, DataType.FLOAT32, in);
        Shape expected = new Shape(2, C, 8 / stride, 8 / stride);

        assertThat(op.getOutputShapes(new Shape[] {in})[0]).isEqualTo(expected);
        assertThat(BlockStats.trainableParameters(op)).isEqualTo(params);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(in);
            NDArray y = op.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(expected);
        }
    }

    @Test
    void zeroIsZeroAndAveragePoolExcludesPadding() {
        try (NDManager step = manager.newSubManager()) {
            NDArray ones = step.ones(new Shape(1, 1, 4, 4));
            ParameterStore store = new ParameterStore(step, false);
            Block zero = Operations.create("none", 1, 2, false);
            zero.initialize(step, DataType.FLOAT32, ones.getShape());
            assertThat(zero.forward(store, new NDList(ones), false).singletonOrThrow().abs().sum().getFloat())
                    .isZero();
            Block avg = Operations.create("avg_pool_3x3", 1, 1, false);
            avg.initialize(step, DataType.FLOAT32, ones.getShape());
            // With padding counted the corner would average 4 ones over 9 cells.
            assertThat(avg.forward(store, new NDList(ones), false).singletonOrThrow().min().getFloat())
                    .isEqualTo(1f);
            // 0..15 in a 4×4 grid: the corner window holds 0, 1, 4, 5; an edge window 0, 1, 2, 4, 5, 6.
            NDArray grid = step.arange(16f).reshape(1, 1, 4, 4);
            NDArray pooled = avg.forward(store, new NDList(grid), false).singletonOrThrow();
            assertThat(pooled.getFloat(0, 0, 0, 0)).isEqualTo(2.5f);
            assertThat(pooled.getFloat(0, 0, 0, 1)).isEqualTo(3f);
            assertThat(pooled.getFloat(0, 0, 1, 1)).isEqualTo(5f);
        }
    }

    @Test
    void factorizedReduceNeedsEvenSize() {
        Block fr = Operations.create("skip_connect", C, 2, true);
        assertThatThrownBy(() -> fr.initialize(manager, DataType.FLOAT32, new Shape(1, C, 7, 7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7x7");
    }

    @Test
    void multiplyAddsCountConvolutionsOnly() {
        Block sep = Operations.create("sep_conv_3x3", C, 2, true);
        sep.initialize(manager, DataType.FLOAT32, new Shape(1, C, 8, 8));
        // Every conv runs at 4×4 output positions: 2·(9·8 + 8·8)·16.
        assertThat(BlockStats.multiplyAdds(sep)).isEqualTo(2L * (9 * 8 + 8 * 8) * 16);
    }

    @Test
    void unknownOperationIsRejected() {
        assertThatThrownBy(() -> Operations.create("conv_9x9", C, 1, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv_9x9");
    }
}
