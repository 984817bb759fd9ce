package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.List;

/**
 * What a network computes in inference ({@code forward(training = false)}), rebuilt as a graph of operations for a
 * runtime other than DJL's (ONNX). Each of our blocks describes itself next to its {@code forwardInternal}
 * ({@link ExportableBlock}); DJL's blocks that networks use are handled here. Nodes are of type {@code T}; weights
 * are the blocks' own parameter arrays, which an implementation copies. Training-only behaviour never appears:
 * no drop path, no auxiliary head, batch norm with its running statistics.
 */
public interface InferenceGraph<T> {

    T relu(T x);

    /** DJL's 2-D convolution, with its weights, bias (if any), stride, padding, dilation and groups. */
    T convolution(T x, Conv2d conv);

    /** {@code x · Wᵀ + b} of DJL's linear layer on an N×F input. */
    T linear(T x, Linear linear);

    /** Batch norm over axis 1 with running statistics: {@code (x − mean) / sqrt(var + ε) · γ + β}. */
    T batchNorm(T x, NDArray gamma, NDArray beta, NDArray runningMean, NDArray runningVar, float epsilon);

    /** k×k max pooling with -∞ padding, no ceil mode. */
    T maxPool(T x, int kernel, int stride, int padding);

    /** k×k average pooling that divides each window by its real (unpadded) pixels. */
    T averagePool(T x, int kernel, int stride, int padding);

    /** N×C×H×W to N×C, the mean over each channel. */
    T globalAveragePool(T x);

    T add(T a, T b);

    /** {@code xs} joined along {@code axis}. */
    T concat(List<T> xs, int axis);

    /** {@code x[..., start::step, start::step]}: every {@code step}-th row and column from {@code start} on. */
    T sliceSpatial(T x, int start, int step);

    /** Zeros of {@code x}'s shape. */
    T zerosLike(T x);

    /** {@code x} with {@code before} and {@code after} zero channels added around its own (axis 1). */
    T padChannels(T x, int before, int after);

    /**
     * {@code block}'s inference computation on {@code inputs}: its own description when it has one, else the DJL
     * blocks our networks are made of (sequences, 2-D convolutions and linear layers, ours included, which extend
     * DJL's).
     */
    default T block(Block block, List<T> inputs) {
        if (block instanceof ExportableBlock b) {
            return b.exportTo(this, inputs);
        }
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(block.getClass().getSimpleName() + " takes one input, found "
                    + inputs.size());
        }
        T x = inputs.get(0);
        if (block instanceof SequentialBlock s) {
            for (Block child : s.getChildren().values()) {
                x = block(child, List.of(x));
            }
            return x;
        }
        if (block instanceof Conv2d c) {
            return convolution(x, c);
        }
        if (block instanceof Linear l) {
            return linear(x, l);
        }
        throw new UnsupportedOperationException("no inference graph for " + block.getClass().getName());
    }

    /** {@link #block(Block, List)} of a one-input block. */
    default T block(Block block, T x) {
        return block(block, List.of(x));
    }
}
