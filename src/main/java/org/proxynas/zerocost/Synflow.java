package org.proxynas.zerocost;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.proxynas.learn.ForwardHooks;

/**
 * synflow (Tanaka et al., NeurIPS 2020, "Pruning neural networks without any data by iteratively conserving synaptic
 * flow"; as a zero-cost proxy, Abdelfattah et al., ICLR 2021): with every parameter replaced by its absolute value
 * and batch norm by the identity, R = Σ f(1), the sum of the network's outputs for one all-ones input; the measure
 * is Σ over convolution and linear weights w of |w · ∂R/∂w|, which is Σ_w w·∂R/∂w over the positive network.
 * As the authors' code (mohsaied/zero-cost-nas, {@code synflow.py}, measure {@code synflow} with {@code bn=False}):
 * all parameters (biases too) in absolute value, the whole computation in double precision (R overflows float32 on
 * deep networks), batch norm's forward replaced by the identity, the input one image of ones. No data is read: the
 * batches give only the image shape. Larger is better (the authors' sign); never negative.
 */
final class Synflow implements ZeroCostMeasure {
    static final String NAME = "synflow";

    /** The forward pass of the authors' network without batch norm. */
    private static final ForwardHooks WITHOUT_BATCH_NORM = new ForwardHooks() {
        @Override
        public boolean bypassBatchNorm() {
            return true;
        }
    };

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        List<Layer> layers = Layer.of(network);
        Map<Parameter, Layer> weights = new IdentityHashMap<>();
        layers.forEach(l -> weights.put(l.weight(), l));
        Shape images = batches.get(0).images().getShape();
        try (NDManager pass = manager.newSubManager()) {
            MeasureStore store = new MeasureStore(pass, DataType.FLOAT64, (parameter, view) -> {
                NDArray positive = view.abs();
                positive.setRequiresGradient(weights.containsKey(parameter));
                return positive;
            }, WITHOUT_BATCH_NORM);
            NDArray ones = pass.ones(new Shape(1, images.get(1), images.get(2), images.get(3)), DataType.FLOAT64);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(Passes.logits(network, store, ones).sum());
            }
            double synflow = 0;
            for (Layer layer : layers) {
                NDArray w = store.valueOf(layer.weight());
                if (w != null) {
                    synflow += w.mul(w.getGradient()).abs().sum().getDouble();
                }
            }
            return synflow;
        }
    }
}
