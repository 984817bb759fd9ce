package org.proxynas.zerocost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import org.proxynas.learn.ForwardHooks;

/**
 * naswot (Mellor et al., ICML 2021, "Neural architecture search without training"): each example's ReLU
 * inputs give it a binary code c (1 where the input is positive); K_H[i][j] = Σ over units of [c_i = c_j], the
 * number of units where examples i and j agree (N_A minus their Hamming distance), summed over all ReLUs of the
 * network in training mode; the measure is log |det K_H| (the authors' code, BayesWatch/nas-without-training,
 * {@code score_networks.py} and {@code scores.py}: {@code K += x·xᵀ + (1−x)·(1−x)ᵀ} in a forward hook on every
 * ReLU, then {@code np.linalg.slogdet}). Larger is better: codes that tell the examples apart. Over several
 * batches, the mean of the batches' log-determinants (the authors average repeated evaluations); −∞ when two
 * examples have the same code. ReLUs must show their input to {@link ForwardHooks} ({@link org.proxynas.learn.Relu}
 * or a block calling {@link org.proxynas.learn.Relu#relu}); DJL's own ReLU blocks go unseen.
 *
 * <p>The authors count only ReLUs that the backward pass of their Jacobian visits; in the networks measured here every
 * ReLU lies on the path to the logits, so every one counts.
 */
final class Naswot implements ZeroCostMeasure {
    static final String NAME = "naswot";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        double sum = 0;
        for (Minibatch batch : batches) {
            try (NDManager pass = manager.newSubManager()) {
                batch.lendTo(pass);
                int n = batch.size();
                HammingKernel kernel = new HammingKernel(pass.zeros(new Shape(n, n), DataType.FLOAT64));
                Passes.logits(network, MeasureStore.constants(pass, kernel), batch.images());
                sum += Matrices.logAbsDeterminant(kernel.sum.toDoubleArray(), n);
            }
        }
        return sum / batches.size();
    }

    /** Adds c·cᵀ + (1−c)·(1−c)ᵀ of each ReLU's codes to {@code sum}. */
    private static final class HammingKernel implements ForwardHooks {
        private final NDArray sum;

        HammingKernel(NDArray sum) {
            this.sum = sum;
        }

        @Override
        public void reluInput(NDArray input) {
            // The codes' products are counts of units, exact in float32 while a layer has fewer than 2^24 units per
            // example; they add up in float64. The temporaries go with the scope, the input goes back to its own.
            try (NDManager scope = sum.getManager().newSubManager()) {
                input.tempAttach(scope);
                long n = input.getShape().get(0);
                NDArray on = input.gt(0).toType(DataType.FLOAT32, false).reshape(n, -1);
                NDArray off = input.lte(0).toType(DataType.FLOAT32, false).reshape(n, -1);
                sum.addi(on.matMul(on.transpose()).add(off.matMul(off.transpose())).toType(DataType.FLOAT64, false));
            }
        }
    }
}
