package org.proxynas.learn;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's 2-D convolution, showing its output to {@link ForwardHooks} (Fisher's activations). It computes and saves
 * exactly as DJL's block, and has its simple name: inside a sequential block a parameter's path carries the
 * block's simple name ({@code 02Conv2d_weight}), and checkpoints key the optimizer state by these paths.
 */
public final class Conv2d extends ai.djl.nn.convolutional.Conv2d {
    private Conv2d(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return LayerOutputs.hooked(this, super.forwardInternal(store, inputs, training, params), store);
    }

    /** DJL's builder, building this class. */
    public static final class Builder extends ai.djl.nn.convolutional.Conv2d.Builder {
        private Builder() {}

        @Override
        public Conv2d build() {
            validate();
            return new Conv2d(this);
        }
    }
}
