package org.proxynas.zerocost;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.proxynas.nas.space.BlockStats;

/**
 * flops: multiply-adds of one forward pass of one image at the size the network was initialized for, counted as NAS
 * papers count "mult-adds" ({@link BlockStats#multiplyAdds}: convolutions and linear layers only). Reads no data.
 */
final class MultiplyAdds implements ZeroCostMeasure {
    static final String NAME = "flops";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        return BlockStats.multiplyAdds(network);
    }
}
