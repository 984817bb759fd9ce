package org.proxynas.zerocost;

import java.util.Arrays;

/**
 * The little dense linear algebra two measures end with, on square row-major {@code double} matrices of a batch's
 * size (tens to hundreds of rows): what NumPy's {@code corrcoef}, {@code linalg.eig} and {@code linalg.slogdet} give
 * the authors.
 */
final class Matrices {
    /** Jacobi converges quadratically: about ten sweeps; the bound only stops a pathological input. */
    private static final int MAX_SWEEPS = 100;
    /** Off-diagonal mass, relative to the squared norm, below which the diagonal holds the eigenvalues. */
    private static final double CONVERGED = 1e-32;

    private Matrices() {}

    /**
     * Pearson correlations between the rows of {@code x} (n rows of d values), n×n, as {@code numpy.corrcoef}: each
     * row centred on its own mean, covariances divided by the product of standard deviations, then clipped to
     * [−1, 1]. A constant row gives NaN in its row and column, as NumPy's does.
     */
    static double[] rowCorrelations(double[][] x) {
        int n = x.length;
        double[][] centred = new double[n][];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (double v : x[i]) {
                mean += v;
            }
            mean /= x[i].length;
            centred[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                centred[i][j] = x[i][j] - mean;
            }
        }
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < centred[i].length; k++) {
                    dot += centred[i][k] * centred[j][k];
                }
                c[i * n + j] = dot;
                c[j * n + i] = dot;
            }
        }
        double[] std = new double[n];
        for (int i = 0; i < n; i++) {
            std[i] = Math.sqrt(c[i * n + i]);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i * n + j] = Math.max(-1, Math.min(1, c[i * n + j] / std[i] / std[j]));
            }
        }
        return c;
    }

    /**
     * The eigenvalues of the symmetric n×n matrix {@code a}, ascending, by cyclic Jacobi rotations (accurate to a
     * few units of rounding relative to the matrix's norm, the small eigenvalues included). A NaN entry gives NaN
     * eigenvalues.
     */
    static double[] symmetricEigenvalues(double[] a, int n) {
        double[] m = a.clone();
        double norm = 0;
        for (double v : m) {
            norm += v * v;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += m[p * n + q] * m[p * n + q];
                }
            }
            // the rotations keep the Frobenius norm: stop once what is off the diagonal is rounding to it
            if (!(off > CONVERGED * norm)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(m, n, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i * n + i];
        }
        Arrays.sort(values);
        return values;
    }

    /** One Jacobi rotation in the (p, q) plane that zeroes m[p][q] (Golub and Van Loan, algorithm 8.5.2). */
    private static void rotate(double[] m, int n, int p, int q) {
        double apq = m[p * n + q];
        if (apq == 0) {
            return;
        }
        double tau = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        double t = tau == 0 ? 1 : Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        double c = 1 / Math.sqrt(1 + t * t);
        double s = t * c;
        for (int k = 0; k < n; k++) {
            double mkp = m[k * n + p];
            double mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) {
            double mpk = m[p * n + k];
            double mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
        }
    }

    /**
     * log |det a| of the n×n matrix {@code a}, as the second value of {@code numpy.linalg.slogdet}: LU factorization
     * with partial pivoting, the logarithms of the pivots' magnitudes summed; −∞ for a singular matrix.
     */
    static double logAbsDeterminant(double[] a, int n) {
        double[] lu = a.clone();
        double logDet = 0;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(lu[row * n + col]) > Math.abs(lu[pivot * n + col])) {
                    pivot = row;
                }
            }
            double p = lu[pivot * n + col];
            if (p == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            if (pivot != col) {
                for (int k = 0; k < n; k++) {
                    double t = lu[col * n + k];
                    lu[col * n + k] = lu[pivot * n + k];
                    lu[pivot * n + k] = t;
                }
            }
            logDet += Math.log(Math.abs(p));
            for (int row = col + 1; row < n; row++) {
                double factor = lu[row * n + col] / p;
                if (factor != 0) {
                    for (int k = col + 1; k < n; k++) {
                        lu[row * n + k] -= factor * lu[col * n + k];
                    }
                }
            }
        }
        return logDet;
    }
}
