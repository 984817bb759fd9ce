package org.proxynas.zerocost;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleBiFunction;
import org.proxynas.learn.CrossEntropy;

/** How the measures run a network: in training mode (batch statistics), as the authors' networks are. */
final class Passes {
    private Passes() {}

    /** The network's logits (its first output) for {@code images}, the values and hooks {@code store}'s. */
    static NDArray logits(Block network, ParameterStore store, NDArray images) {
        return network.forward(store, new NDList(images), true).get(0);
    }

    /** Mean cross-entropy of the batch, PyTorch's {@code F.cross_entropy}, computed in {@code precision}. */
    static NDArray loss(Block network, ParameterStore store, Minibatch batch, DataType precision) {
        return CrossEntropy.mean(logits(network, store, batch.images().toType(precision, false)), batch.labels());
    }

    /**
     * Σ over {@code network}'s convolution and linear layers of {@code perLayer}(layer, Σ_b ∇_W L_b), the gradient
     * sums of {@link #weightGradients} (float32) in a scope closed before this returns.
     */
    static double sumOverLayers(Block network, NDManager manager, List<Minibatch> batches,
            ToDoubleBiFunction<Layer, NDArray> perLayer) {
        List<Layer> layers = Layer.of(network);
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> gradients = weightGradients(network, layers, scope, batches, DataType.FLOAT32);
            double sum = 0;
            for (int l = 0; l < layers.size(); l++) {
                sum += perLayer.applyAsDouble(layers.get(l), gradients.get(l));
            }
            return sum;
        }
    }

    /**
     * Σ_b ∇_W L_b for the weight W of each of {@code layers}, L_b the mean cross-entropy of batch b: the gradients
     * the authors accumulate over the parts of a batch they split, computed in {@code precision}. Zeros for a layer
     * the loss does not reach. The sums belong to {@code out}.
     */
    static List<NDArray> weightGradients(Block network, List<Layer> layers, NDManager out, List<Minibatch> batches,
            DataType precision) {
        List<NDArray> sums = new ArrayList<>();
        for (Layer layer : layers) {
            sums.add(out.zeros(layer.weight().getArray().getShape(), precision));
        }
        for (Minibatch batch : batches) {
            try (NDManager pass = out.newSubManager()) {
                batch.lendTo(pass);
                MeasureStore store = MeasureStore.leaves(pass, precision);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(loss(network, store, batch, precision));
                }
                for (int l = 0; l < layers.size(); l++) {
                    NDArray weight = store.valueOf(layers.get(l).weight());
                    if (weight != null) {
                        sums.get(l).addi(weight.getGradient());
                    }
                }
            }
        }
        return sums;
    }
}
