package org.proxynas.zerocost;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.proxynas.nas.space.BlockStats;

/**
 * params: the number of trainable parameters ({@code sum(p.numel() for p in model.parameters() if
 * p.requires_grad)}, the authors' {@code count_parameters}); batch norm's running statistics do not count. A
 * baseline the zero-cost papers' follow-ups found hard to beat. Reads no data.
 */
final class ParameterCount implements ZeroCostMeasure {
    static final String NAME = "params";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        return BlockStats.trainableParameters(network);
    }
}
