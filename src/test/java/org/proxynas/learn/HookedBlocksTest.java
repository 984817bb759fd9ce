package org.proxynas.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

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
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blocks that show what they compute to {@link ForwardHooks}: as DJL's without hooks, visible with them. */
class HookedBlocksTest {
    private static final Shape INPUT = new Shape(2, 3, 4, 4);

    /** Same parameter paths, same saved bytes, same outputs: checkpoints and results do not change. */
    @Test
    void withoutHooksTheyAreDjlsBlocks() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block djl = new SequentialBlock()
                    .add(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4).build())
                    .add(Activation.reluBlock()).add(Blocks.batchFlattenBlock())
                    .add(ai.djl.nn.core.Linear.builder().setUnits(3).build());
            Block ours = hooked();
            Engine.getInstance().setRandomSeed(11);
            djl.initialize(m, DataType.FLOAT32, INPUT);
            Engine.getInstance().setRandomSeed(11);
            ours.initialize(m, DataType.FLOAT32, INPUT);
            assertThat(ours.getParameters().keys()).isEqualTo(djl.getParameters().keys());
            byte[] saved = saved(djl);
            assertThat(saved(ours)).isEqualTo(saved);
            ours.loadParameters(m, new DataInputStream(new ByteArrayInputStream(saved)));
            NDArray x = m.randomNormal(INPUT);
            ParameterStore store = new ParameterStore(m, false);
            assertThat(ours.forward(store, new NDList(x), false).head().toFloatArray())
                    .containsExactly(djl.forward(store, new NDList(x), false).head().toFloatArray());
        }
    }

    /** The hooks see the ReLU's input (the convolution's output) and the layers' outputs, and can replace them. */
    @Test
    void withHooksTheyShowAndRerouteWhatTheyCompute() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = hooked();
            net.initialize(m, DataType.FLOAT32, INPUT);
            List<Block> layers = new ArrayList<>();
            List<NDArray> reluInputs = new ArrayList<>();
            ForwardHooks doubling = new ForwardHooks() {
                @Override
                public void reluInput(NDArray input) {
                    reluInputs.add(input);
                }

                @Override
                public NDArray layerOutput(Block layer, NDArray output) {
                    layers.add(layer);
                    return output.mul(2);
                }
            };
            NDArray x = m.randomNormal(INPUT);
            NDArray plain = net.forward(new ParameterStore(m, false), new NDList(x), false).head();
            NDArray hooked = net.forward(new HookedStore(m, doubling), new NDList(x), false).head();
            assertThat(layers).containsExactly(net.getChildren().get(0).getValue(),
                    net.getChildren().get(3).getValue());
            assertThat(reluInputs).hasSize(1);
            assertThat(reluInputs.get(0).getShape()).isEqualTo(new Shape(2, 4, 4, 4));
            // convolution doubled, ReLU passes it, linear doubled: 2(W·2r + b) = 4(plain − b) + 2b
            NDArray bias = net.getChildren().get(3).getValue().getParameters().get("bias").getArray();
            assertThat(hooked.sub(bias.mul(2)).toFloatArray())
                    .containsExactly(plain.sub(bias).mul(4).toFloatArray(), offset(1e-5f));
        }
    }

    @Test
    void batchNormCanBeBypassed() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn = new BatchNorm(true);
            bn.initialize(m, DataType.FLOAT32, INPUT);
            NDArray x = m.randomNormal(INPUT).mul(3).add(1);
            ForwardHooks bypass = new ForwardHooks() {
                @Override
                public boolean bypassBatchNorm() {
                    return true;
                }
            };
            assertThat(bn.forward(new HookedStore(m, bypass), new NDList(x), true).head()).isSameAs(x);
            assertThat(bn.forward(new ParameterStore(m, false), new NDList(x), true).head().toFloatArray())
                    .isNotEqualTo(x.toFloatArray());
        }
    }

    private static Block hooked() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4).build())
                .add(new Relu()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    private static byte[] saved(Block block) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static final class HookedStore extends ParameterStore implements ForwardHooks.Carrier {
        private final ForwardHooks hooks;

        HookedStore(NDManager manager, ForwardHooks hooks) {
            super(manager, false);
            this.hooks = hooks;
        }

        @Override
        public ForwardHooks forwardHooks() {
            return hooks;
        }
    }
}
