package org.proxynas.nas.space;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

/** Size and cost of an initialized block, counted from its structure, never by running it. */
public final class BlockStats {
    private BlockStats() {}

    /**
     * Trainable parameters, as PyTorch's {@code sum(p.numel() for p in model.parameters())} counts them:
     * BatchNorm running statistics and the frozen scale/shift of non-affine BatchNorm are not counted.
     */
    public static long trainableParameters(Block block) {
        requireInitialized(block);
        long n = 0;
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                n += p.getShape().size();
            }
        }
        return n;
    }

    /**
     * Multiply-adds of one forward pass per image: a convolution costs k·k·(Cin/groups)·Cout·Hout·Wout
     * (its weight count times its output positions), a linear layer in·out; BatchNorm, ReLU, pooling,
     * additions and biases are not counted (the convention of the NAS papers' "mult-adds").
     */
    public static long multiplyAdds(Block block) {
        requireInitialized(block);
        long n = 0;
        if (block instanceof Convolution) {
            Shape out = block.getOutputShapes(block.getInputShapes())[0];
            long positions = out.size() / (out.get(0) * out.get(1));
            n += weightCount(block) * positions;
        } else if (block instanceof Linear) {
            n += weightCount(block);
        }
        for (Block child : block.getChildren().values()) {
            n += multiplyAdds(child);
        }
        return n;
    }

    private static long weightCount(Block block) {
        return block.getDirectParameters().values().stream()
                .filter(p -> p.getType() == Parameter.Type.WEIGHT)
                .mapToLong(p -> p.getShape().size())
                .sum();
    }

    private static void requireInitialized(Block block) {
        if (!block.isInitialized()) {
            throw new IllegalStateException("block must be initialized (initialize it with an input shape)");
        }
    }
}
