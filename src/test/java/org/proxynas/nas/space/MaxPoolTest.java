package org.proxynas.nas.space;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;
import org.proxynas.learn.StoredParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxPoolTest {
    /**
     * Inputs with ties (small integers), all-negative borders (a zero padding would win there) and odd and even
     * sizes: the separable maxima without autograd give libtorch's values bit for bit.
     */
    @ParameterizedTest(name = "{0}x{1} stride {2}")
    @CsvSource({"8, 8, 1", "8, 8, 2", "7, 9, 1", "7, 9, 2", "5, 6, 2", "1, 1, 2"})
    void valuesWithoutAutogradAreLibtorchs(int h, int w, int stride) {
        try (NDManager step = NDManager.newBaseManager()) {
            NDArray x = step.randomInteger(-4, 3, new Shape(2, 3, h, w), DataType.INT32).toType(DataType.FLOAT32, false)
                    .sub(10);
            assertThat(JniUtils.isGradMode()).isFalse();

            NDArray y = pool(stride, step, x);

            NDArray expected = Pool.maxPool2d(x, new Shape(3, 3), new Shape(stride, stride), new Shape(1, 1), false);
            assertThat(y.getShape()).isEqualTo(expected.getShape());
            assertThat(y.toFloatArray()).containsExactly(expected.toFloatArray());
        }
    }

    /**
     * While autograd records, the gradient goes, as libtorch's, to one element of each window even when several
     * tie (maxima of views would split it between them).
     */
    @ParameterizedTest(name = "stride {0}")
    @CsvSource({"1", "2"})
    void gradientWithTiesIsLibtorchs(int stride) {
        try (NDManager step = NDManager.newBaseManager()) {
            NDArray x = step.randomInteger(0, 2, new Shape(2, 3, 8, 8), DataType.INT32).toType(DataType.FLOAT32, false);
            NDArray outputGradient = step.randomNormal(new Shape(2, 3, 8 / stride, 8 / stride));

            float[] ours = gradient(x, outputGradient, y -> pool(stride, step, y));
            float[] libtorchs = gradient(x, outputGradient,
                    y -> Pool.maxPool2d(y, new Shape(3, 3), new Shape(stride, stride), new Shape(1, 1), false));

            assertThat(ours).containsExactly(libtorchs);
        }
    }

    /** Checkpoints written with DJL's max-pool block read into this one and the other way round: same bytes. */
    @ParameterizedTest(name = "stride {0}")
    @CsvSource({"1", "2"})
    void storedLikeDjlsMaxPoolBlock(int stride) throws Exception {
        Shape in = new Shape(2, 4, 8, 8);
        Block ours = new MaxPool(3, stride, 1);
        Block djls = Pool.maxPool2dBlock(new Shape(3, 3), new Shape(stride, stride), new Shape(1, 1));
        try (NDManager manager = NDManager.newBaseManager()) {
            ours.initialize(manager, DataType.FLOAT32, in);
            djls.initialize(manager, DataType.FLOAT32, in);

            assertThat(ours.getOutputShapes(new Shape[] {in})).isEqualTo(djls.getOutputShapes(new Shape[] {in}));
            byte[] stored = StoredParameters.of(djls);
            assertThat(StoredParameters.of(ours)).isEqualTo(stored);
            Block reread = new MaxPool(3, stride, 1);
            StoredParameters.load(reread, manager, stored);
            assertThat(StoredParameters.of(reread)).isEqualTo(stored);
        }
    }

    private static NDArray pool(int stride, NDManager step, NDArray x) {
        Block block = new MaxPool(3, stride, 1);
        block.initialize(step, DataType.FLOAT32, x.getShape());
        return block.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow();
    }

    /** The gradient of sum(op(x) · outputGradient) with respect to x, in a leaf of its own. */
    private static float[] gradient(NDArray values, NDArray outputGradient, UnaryOperator<NDArray> op) {
        NDArray x = values.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(op.apply(x).mul(outputGradient).sum());
        }
        return x.getGradient().toFloatArray();
    }
}
