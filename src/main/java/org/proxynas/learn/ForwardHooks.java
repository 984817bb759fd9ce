package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * What a measurement observes or changes inside a network's forward pass, as PyTorch's module hooks let the
 * authors of the zero-cost proxies do: NASWOT reads every ReLU's input, Fisher reroutes every convolution's and
 * linear layer's output through a tensor of its own, synflow replaces batch norm by the identity. DJL blocks have
 * no hooks, so the blocks of this package ({@link Relu}, {@link Conv2d}, {@link Linear}, {@link BatchNorm}) ask the
 * parameter store for them: every block hands its children the store (DJL's sequential block drops a forward's
 * other parameters), and a store that is a {@link Carrier} carries hooks. With any other store (training,
 * evaluation) the blocks compute exactly what they did before.
 */
public interface ForwardHooks {

    /** Observes nothing and changes nothing. */
    ForwardHooks NONE = new ForwardHooks() {};

    /** Sees the input of each ReLU, before the ReLU is applied. */
    default void reluInput(NDArray input) {}

    /** The output of a convolution or linear layer: returns what flows on in its place (same shape and values). */
    default NDArray layerOutput(Block layer, NDArray output) {
        return output;
    }

    /** Whether batch norm passes its input through unchanged (synflow's networks without batch norm). */
    default boolean bypassBatchNorm() {
        return false;
    }

    /** A parameter store that carries hooks into the forward passes it serves. */
    interface Carrier {
        ForwardHooks forwardHooks();
    }

    /** The hooks {@code store} carries; {@link #NONE} for a store that carries none. */
    static ForwardHooks of(ParameterStore store) {
        return store instanceof Carrier carrier ? carrier.forwardHooks() : NONE;
    }
}
