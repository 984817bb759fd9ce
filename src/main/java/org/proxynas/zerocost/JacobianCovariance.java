package org.proxynas.zerocost;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.learn.ForwardHooks;

/**
 * jacob_cov (Mellor et al., 2020, arXiv:2006.04647v1, "Neural architecture search without training", first version;
 * as a zero-cost proxy, Abdelfattah et al., ICLR 2021): with J the N×D matrix whose row n is ∂(Σ_k f(x)_nk)/∂x_n,
 * the gradient of the sum of all logits with respect to example n's input (the network in training mode, so batch
 * statistics couple the examples), and λ the eigenvalues of the N×N correlation matrix of J's rows,
 * −Σ_λ (log(λ + k) + 1/(λ + k)) with k = 10⁻⁵ (the authors' code, mohsaied/zero-cost-nas, {@code jacob_cov.py}:
 * {@code np.corrcoef}, {@code np.linalg.eig}). Larger is better: uncorrelated Jacobians, eigenvalues near 1. Over
 * several batches the rows of all batches form one matrix (each batch its own forward pass). NaN when a row is
 * constant, as NumPy's correlation gives.
 */
final class JacobianCovariance implements ZeroCostMeasure {
    static final String NAME = "jacob_cov";
    private static final double K = 1e-5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double compute(Block network, NDManager manager, List<Minibatch> batches) {
        List<double[]> rows = new ArrayList<>();
        for (Minibatch batch : batches) {
            try (NDManager pass = manager.newSubManager()) {
                batch.lendTo(pass);
                NDArray x = batch.images().stopGradient();
                x.attach(pass);
                x.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(Passes.logits(network, MeasureStore.constants(pass, ForwardHooks.NONE), x));
                }
                float[] jacobian = x.getGradient().toFloatArray();
                int d = jacobian.length / batch.size();
                for (int n = 0; n < batch.size(); n++) {
                    double[] row = new double[d];
                    for (int j = 0; j < d; j++) {
                        row[j] = jacobian[n * d + j];
                    }
                    rows.add(row);
                }
            }
        }
        return score(rows.toArray(new double[0][]));
    }

    /** −Σ (log(λ + k) + 1/(λ + k)) over the eigenvalues λ of the rows' correlation matrix. */
    static double score(double[][] jacobian) {
        int n = jacobian.length;
        double score = 0;
        for (double lambda : Matrices.symmetricEigenvalues(Matrices.rowCorrelations(jacobian), n)) {
            score -= Math.log(lambda + K) + 1 / (lambda + K);
        }
        return score;
    }
}
