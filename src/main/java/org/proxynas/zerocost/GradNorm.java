package org.proxynas.zerocost;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;

/**
 * grad_norm (Abdelfattah et al., ICLR 2021, "Zero-Cost Proxies for Lightweight NAS"): Σ over convolution and linear
 * layers of the Euclidean norm of the layer's weight gradient ‖∂L/∂W‖₂, L the cross-entropy, the network in training
 * mode; each layer's norm taken whole, then the norms summed (the authors' code, mohsaied/zero-cost-nas,
 * {@code grad_norm.py}). Over several batches the gradients add up before the norm. Larger is better; never
 * negative.
 */
final class GradNorm implements ZeroCostMeasure {
    static final String NAME = "grad_norm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        return Passes.sumOverLayers(network, manager, batches, (layer, gradient) -> gradient.norm().getFloat());
    }
}
