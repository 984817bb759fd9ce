package org.proxynas.learn;

import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's fully connected layer, showing its output to {@link ForwardHooks} (Fisher's activations). It computes and
 * saves exactly as DJL's block and has its simple name, which parameter paths inside a sequential block carry.
 */
public final class Linear extends ai.djl.nn.core.Linear {
    private Linear(Builder builder) {
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
    public static final class Builder extends ai.djl.nn.core.Linear.Builder {
        private Builder() {}

        @Override
        public Linear build() {
            if (units <= 0) {
                throw new IllegalArgumentException("Linear: setUnits is required, found " + units);
            }
            return new Linear(this);
        }
    }
}
