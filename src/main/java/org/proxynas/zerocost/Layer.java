package org.proxynas.zerocost;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer the authors' measures sum over: every convolution and every linear layer (their {@code nn.Conv2d} and
 * {@code nn.Linear}), with its weight; biases, batch norm and everything else are left out.
 */
record Layer(Block block, Parameter weight) {

    /** The convolutions and linear layers of {@code network}, in the order it registered them. */
    static List<Layer> of(Block network) {
        List<Layer> layers = new ArrayList<>();
        collect(network, layers);
        return layers;
    }

    private static void collect(Block block, List<Layer> layers) {
        if (block instanceof Convolution || block instanceof Linear) {
            layers.add(new Layer(block, block.getDirectParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.WEIGHT).findFirst()
                    .orElseThrow(() -> new IllegalStateException(block + " has no weight"))));
        }
        for (Block child : block.getChildren().values()) {
            collect(child, layers);
        }
    }

    /** Weights per output channel (in/groups · kernel area, or in for a linear layer). */
    long fanIn() {
        long[] shape = weight.getArray().getShape().getShape();
        return weight.getArray().size() / shape[0];
    }
}
