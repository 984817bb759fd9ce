package org.proxynas.zerocost;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;

/**
 * A training-free measure of a network: one number from its initial weights and a few mini-batches. Each class
 * states its paper's definition, the layers it sums over and its sign. Measures run the network in training mode
 * (batch statistics), as the authors' networks are, and never change it: they hand its blocks values of their own
 * (see {@link MeasureStore}), as the authors run each measure on a copy of the network.
 */
public interface ZeroCostMeasure {

    /** The name the registry, the command line and the results use, e.g. {@code synflow}. */
    String name();

    /**
     * The measure of {@code network}, initialized, on {@code batches} (at least one); temporaries live in
     * sub-managers of {@code manager}, closed before this returns. Several batches count as the authors' code
     * counts a batch it splits: gradients and per-layer statistics add up over the batches (see each class).
     */
    double compute(Block network, NDManager manager, List<Minibatch> batches);
}
