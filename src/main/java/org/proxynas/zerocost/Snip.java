package org.proxynas.zerocost;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;

/**
 * snip (Lee et al., ICLR 2019, "SNIP: single-shot network pruning based on connection sensitivity"; as a zero-cost
 * proxy, Abdelfattah et al., ICLR 2021): Σ over convolution and linear weights w of |w · ∂L/∂w|, L the
 * cross-entropy, the network in training mode. The authors' code (mohsaied/zero-cost-nas, {@code snip.py})
 * multiplies each weight by a mask of ones and takes |∂L/∂mask|, which is |w · ∂L/∂w|; over several batches the
 * gradients add up before the absolute value (their split batches). Larger is better; never negative.
 */
final class Snip implements ZeroCostMeasure {
    static final String NAME = "snip";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        return Passes.sumOverLayers(network, manager, batches,
                (layer, gradient) -> gradient.mul(layer.weight().getArray()).abs().sum().getFloat());
    }
}
