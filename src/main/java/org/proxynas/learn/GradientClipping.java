package org.proxynas.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/** Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_} (L2 norm, eps 1e-6). */
public final class GradientClipping {
    private GradientClipping() {}

    /**
     * Scales all gradients in place by {@code min(1, maxNorm/(total + 1e-6))}, where {@code total} is the
     * L2 norm of all gradients together, and returns {@code total} (before clipping). The norm is reduced
     * on the device; only the final scalar is copied.
     */
    public static double clipGlobalNorm(List<ParamGrad> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("gradient clip norm must be > 0, found " + maxNorm);
        }
        if (params.isEmpty()) {
            return 0;
        }
        NDList norms = new NDList(params.size());
        try {
            for (ParamGrad p : params) {
                norms.add(p.grad().norm());
            }
            double total;
            try (NDArray stacked = NDArrays.stack(norms); NDArray norm = stacked.norm()) {
                total = norm.getFloat();
            }
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) {
                try (StepScalars scalars = new StepScalars(params)) {
                    for (ParamGrad p : params) {
                        p.grad().muli(scalars.of(coef));
                    }
                }
            }
            return total;
        } finally {
            norms.close();
        }
    }
}
