package org.proxynas.learn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BatchNorm} against DJL's block of the same name, which it replaces: the same numbers and bytes. */
class BatchNormTest {
    private static final Shape IN = new Shape(4, 3, 5, 6);

    /**
     * Two training steps (outputs, the input's and the parameters' gradients, the running statistics they
     * update), then an evaluation pass: every value equal bit for bit.
     */
    @ParameterizedTest(name = "affine {0}")
    @ValueSource(booleans = {true, false})
    void computesWhatDjlsBlockComputes(boolean affine) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block ours = new BatchNorm(affine);
            Block djls = ai.djl.nn.norm.BatchNorm.builder().optScale(affine).optCenter(affine).build();
            ours.initialize(manager, DataType.FLOAT32, IN);
            djls.initialize(manager, DataType.FLOAT32, IN);
            for (Block b : new Block[] {ours, djls}) {
                b.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(
                        p.getValue().requiresGradient()));
            }
            for (int step = 0; step < 2; step++) {
                NDArray x = manager.randomNormal(2, 3, IN, DataType.FLOAT32);
                NDArray outputGradient = manager.randomNormal(IN);

                assertThat(trainingStep(ours, x, outputGradient, manager))
                        .containsExactlyElementsOf(trainingStep(djls, x, outputGradient, manager));
                assertThat(values(ours)).containsExactlyElementsOf(values(djls));
            }
            NDArray x = manager.randomNormal(IN);
            assertThat(forward(ours, x, false, manager).toFloatArray())
                    .containsExactly(forward(djls, x, false, manager).toFloatArray());
        }
    }

    /**
     * Checkpoints written with DJL's block read into this one and the other way round: the same bytes, and inside a
     * sequential block the same parameter paths, which key the optimizer state in checkpoints.
     */
    @ParameterizedTest(name = "affine {0}")
    @ValueSource(booleans = {true, false})
    void storedLikeDjlsBlock(boolean affine) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block ours = new SequentialBlock().add(new BatchNorm(affine));
            Block djls = new SequentialBlock().add(
                    ai.djl.nn.norm.BatchNorm.builder().optScale(affine).optCenter(affine).build());
            ours.initialize(manager, DataType.FLOAT32, IN);
            djls.initialize(manager, DataType.FLOAT32, IN);
            djls.getParameters().valueAt(2).getArray().addi(0.5f);

            byte[] stored = StoredParameters.of(djls);
            StoredParameters.load(ours, manager, stored);

            assertThat(StoredParameters.of(ours)).isEqualTo(stored);
            assertThat(ours.getParameters().keys()).isEqualTo(djls.getParameters().keys());
            assertThat(ours.getOutputShapes(new Shape[] {IN})).isEqualTo(djls.getOutputShapes(new Shape[] {IN}));
        }
    }

    /** The output, the input's gradient and every trainable parameter's gradient of one step, as float arrays. */
    private static List<float[]> trainingStep(Block block, NDArray input, NDArray outputGradient,
            NDManager manager) {
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        List<float[]> out = new ArrayList<>();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = forward(block, x, true, manager);
            out.add(y.toFloatArray());
            gc.backward(y.mul(outputGradient).sum());
        }
        out.add(x.getGradient().toFloatArray());
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray grad = p.getValue().getArray().getGradient();
                out.add(grad.toFloatArray());
                grad.subi(grad);
            }
        }
        return out;
    }

    private static NDArray forward(Block block, NDArray x, boolean training, NDManager manager) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    private static List<float[]> values(Block block) {
        List<float[]> out = new ArrayList<>();
        block.getParameters().forEach(p -> out.add(p.getValue().getArray().toFloatArray()));
        return out;
    }
}
