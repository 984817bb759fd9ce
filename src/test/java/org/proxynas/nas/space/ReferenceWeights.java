package org.proxynas.nas.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.function.DoubleBinaryOperator;

/**
 * Deterministic weights and inputs that a PyTorch script can reproduce, so that a DJL network and its
 * DARTS reference compute the same function: trainable parameter i (in registration order, which our
 * blocks keep equal to DARTS' module order) gets element j = 0.5·sin(0.37·j + 0.11·i).
 *
 * <pre>
 * for i, p in enumerate(m.parameters()):
 *     j = torch.arange(p.numel(), dtype=torch.float64)
 *     p.data.copy_((torch.sin(0.37 * j + 0.11 * i) * 0.5).float().view_as(p))
 * x = torch.cos(0.13 * torch.arange(n, dtype=torch.float64)).float().view(shape)
 * </pre>
 */
public final class ReferenceWeights {
    private ReferenceWeights() {}

    public static void fill(Block block) {
        int i = 0;
        for (Parameter p : block.getParameters().values()) {
            if (!p.requiresGradient()) {
                continue;
            }
            NDArray a = p.getArray();
            float[] v = new float[Math.toIntExact(a.size())];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) (0.5 * Math.sin(0.37 * j + 0.11 * i));
            }
            a.set(v);
            i++;
        }
    }

    /** x_j = cos(0.13·j) over the flattened shape. */
    public static NDArray input(NDManager manager, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) Math.cos(0.13 * j);
        }
        return manager.create(v, shape);
    }

    /** Row-major [rows × cols] matrix with entries f(row, col), as float32. */
    public static NDArray matrix(NDManager manager, int rows, int cols, DoubleBinaryOperator f) {
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                v[r * cols + c] = (float) f.applyAsDouble(r, c);
            }
        }
        return manager.create(v, new Shape(rows, cols));
    }
}
