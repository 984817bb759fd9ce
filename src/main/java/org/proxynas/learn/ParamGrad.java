package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One tensor an optimizer updates: a stable id (keys the optimizer state, so it must not change between
 * a run and its resume), the value updated in place, and its gradient. Not tied to DJL {@link Parameter}s:
 * the architecture search hands raw α tensors through the same optimizers.
 */
public record ParamGrad(String id, NDArray value, NDArray grad) {

    public ParamGrad {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(grad, "grad");
    }

    /**
     * The trainable parameters of {@code block} with their gradients, ids being the parameter paths
     * (e.g. {@code 02Stage01Block_conv1_weight}). Gradient handles belong to {@code step}: close it after
     * the update. A parameter the loss did not reach gets a zero gradient from the engine (PyTorch would
     * leave it {@code None} and skip it), so weight decay still acts on it: build networks without unused
     * heads.
     */
    public static List<ParamGrad> of(Block block, NDManager step) {
        return of(block, step, param -> param.getArray().getGradient());
    }

    /** As {@link #of(Block, NDManager)}, each parameter's gradient being what {@code gradient} gives for it. */
    static List<ParamGrad> of(Block block, NDManager step, Function<Parameter, NDArray> gradient) {
        List<ParamGrad> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient()) {
                continue;
            }
            NDArray grad = gradient.apply(param);
            grad.attach(step);
            out.add(new ParamGrad(p.getKey(), param.getArray(), grad));
        }
        return out;
    }
}
