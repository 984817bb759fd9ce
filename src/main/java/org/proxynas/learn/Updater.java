package org.proxynas.learn;

import java.util.List;

/**
 * Updates tensors in place from their gradients, with PyTorch's semantics, and keeps its state (momentum,
 * moments, step counts) where a checkpoint can reach it. The learning rate is an argument of each step
 * because schedules live outside the optimizer.
 */
public interface Updater extends Checkpointable, AutoCloseable {

    /** One update of every tensor in {@code params}; gradients are read, never modified. */
    void step(List<ParamGrad> params, double learningRate);

    /** Frees the state tensors. */
    @Override
    void close();
}
