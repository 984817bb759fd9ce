package org.proxynas.zerocost;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.proxynas.learn.ForwardHooks;

/**
 * fisher (Theis et al., 2018, "Faster gaze prediction with dense networks and Fisher pruning"; Turner et al., ICLR
 * 2020; as a zero-cost proxy, Abdelfattah et al., ICLR 2021): for each output channel k of each convolution and
 * linear layer, with a its output (the activation, before batch norm) and L the cross-entropy, the network in
 * training mode, F_k = ½ · mean over examples n of (Σ over positions of a_nk · ∂L/∂a_nk)²; the layer counts
 * Σ_k |F_k| once per weight of the channel (the authors' code, mohsaied/zero-cost-nas, {@code fisher.py}, spreads
 * each channel's value over the channel's weights before summing: a factor in/groups · kernel area), and the measure
 * is the sum over layers. Over several batches F_k adds up over the batches. Larger is better; never negative.
 *
 * <p>The authors read a and ∂L/∂a with a hook on an identity after each layer. Here each layer's output is
 * multiplied by a tensor s of ones, one per example and channel, which changes no value: ∂L/∂s_nk is the sum
 * over positions of a_nk · ∂L/∂a_nk. Layers must show their output to {@link ForwardHooks}
 * ({@link org.proxynas.learn.Conv2d}, {@link org.proxynas.learn.Linear}); DJL's own blocks count zero.
 */
final class Fisher implements ZeroCostMeasure {
    static final String NAME = "fisher";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        List<Layer> layers = Layer.of(network);
        Map<Block, double[]> fisher = new IdentityHashMap<>();
        for (Minibatch batch : batches) {
            try (NDManager pass = manager.newSubManager()) {
                batch.lendTo(pass);
                ChannelScales scales = new ChannelScales(pass, layers);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(
                            Passes.loss(network, MeasureStore.constants(pass, scales), batch, DataType.FLOAT32));
                }
                scales.scales.forEach((layer, s) -> {
                    NDArray g = s.getGradient().reshape(s.getShape().get(0), s.getShape().get(1));
                    float[] meanSquare = g.square().mean(new int[] {0}).toFloatArray();
                    double[] sum = fisher.computeIfAbsent(layer, k -> new double[meanSquare.length]);
                    for (int k = 0; k < sum.length; k++) {
                        sum[k] += 0.5 * meanSquare[k];
                    }
                });
            }
        }
        double total = 0;
        for (Layer layer : layers) {
            double[] f = fisher.get(layer.block());
            if (f != null) {
                double channels = 0;
                for (double v : f) {
                    channels += Math.abs(v);
                }
                total += channels * layer.fanIn();
            }
        }
        return total;
    }

    /** Multiplies each layer's output by ones of shape N×K×1×1 (N×K for a linear layer) that collect gradients. */
    private static final class ChannelScales implements ForwardHooks {
        private final NDManager pass;
        private final Set<Block> measured = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Map<Block, NDArray> scales = new IdentityHashMap<>();

        ChannelScales(NDManager pass, List<Layer> layers) {
            this.pass = pass;
            layers.forEach(l -> measured.add(l.block()));
        }

        @Override
        public NDArray layerOutput(Block layer, NDArray output) {
            if (!measured.contains(layer)) {
                return output;
            }
            if (scales.containsKey(layer)) {
                throw new IllegalStateException("fisher: layer " + layer + " runs twice in one forward pass");
            }
            long[] shape = output.getShape().getShape().clone();
            for (int axis = 2; axis < shape.length; axis++) {
                shape[axis] = 1;
            }
            NDArray s = pass.ones(new Shape(shape), output.getDataType());
            s.setRequiresGradient(true);
            scales.put(layer, s);
            return output.mul(s);
        }
    }
}
