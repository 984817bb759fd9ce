package org.proxynas.zerocost;

/**
 * The cross-entropy of a linear classifier z = W x + b, computed by hand in double precision: what the measures must
 * give on a linear layer, and on a 1×1 convolution followed by global average pooling (the same classifier on the
 * images' channel means). Rows of {@code x} are examples; the loss is the mean over them.
 */
final class HandModel {
    final double[][] w;
    final double[] b;
    final double[][] x;
    final int[] y;

    HandModel(double[][] w, double[] b, double[][] x, int[] y) {
        this.w = w;
        this.b = b;
        this.x = x;
        this.y = y;
    }

    int classes() {
        return w.length;
    }

    int examples() {
        return x.length;
    }

    double[] logits(int n) {
        double[] z = new double[classes()];
        for (int k = 0; k < z.length; k++) {
            z[k] = b[k] + dot(w[k], x[n]);
        }
        return z;
    }

    double[] probabilities(int n) {
        double[] z = logits(n);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** ∂L/∂z_n = (p_n − e_{y_n}) / N. */
    double[] logitGradient(int n) {
        double[] g = probabilities(n);
        g[y[n]] -= 1;
        for (int k = 0; k < g.length; k++) {
            g[k] /= examples();
        }
        return g;
    }

    /** ∂L/∂W = Σ_n ∂L/∂z_n x_nᵀ. */
    double[][] weightGradient() {
        double[][] g = new double[classes()][x[0].length];
        for (int n = 0; n < examples(); n++) {
            double[] dz = logitGradient(n);
            for (int k = 0; k < classes(); k++) {
                for (int j = 0; j < x[n].length; j++) {
                    g[k][j] += dz[k] * x[n][j];
                }
            }
        }
        return g;
    }

    double snip() {
        return snip(weightGradient());
    }

    /** Σ |W ⊙ g| for a given g. */
    double snip(double[][] g) {
        double s = 0;
        for (int k = 0; k < classes(); k++) {
            for (int j = 0; j < g[k].length; j++) {
                s += Math.abs(w[k][j] * g[k][j]);
            }
        }
        return s;
    }

    double gradNorm() {
        double s = 0;
        for (double[] row : weightGradient()) {
            s += dot(row, row);
        }
        return Math.sqrt(s);
    }

    /**
     * −θᵀHg: the second derivative of L(W + tG + sW) in t and s is (1/N) Σ_n (W x_n)ᵀ J_n (G x_n), with J_n =
     * diag(p_n) − p_n p_nᵀ the softmax's Jacobian.
     */
    double grasp() {
        return grasp(weightGradient());
    }

    /** −θᵀHg for a given g (the sum of several batches' gradients). */
    double grasp(double[][] g) {
        double s = 0;
        for (int n = 0; n < examples(); n++) {
            double[] p = probabilities(n);
            double[] u = times(w, x[n]);
            double[] v = times(g, x[n]);
            double pv = dot(p, v);
            for (int k = 0; k < classes(); k++) {
                s += u[k] * (p[k] * v[k] - p[k] * pv);
            }
        }
        return -s / examples();
    }

    /**
     * fanIn · Σ_k ½ mean_n (z_nk · ∂L/∂z_nk)²: for a 1×1 convolution pooled afterwards, the sum over positions of
     * a · ∂L/∂a is the same z · ∂L/∂z, since ∂L/∂a is ∂L/∂z spread evenly over the positions.
     */
    double fisher(long fanIn) {
        double s = 0;
        for (int k = 0; k < classes(); k++) {
            double meanSquare = 0;
            for (int n = 0; n < examples(); n++) {
                double gnk = logits(n)[k] * logitGradient(n)[k];
                meanSquare += gnk * gnk / examples();
            }
            s += 0.5 * meanSquare;
        }
        return fanIn * s;
    }

    double absoluteWeightSum() {
        double s = 0;
        for (double[] row : w) {
            for (double v : row) {
                s += Math.abs(v);
            }
        }
        return s;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[m.length];
        for (int k = 0; k < m.length; k++) {
            out[k] = dot(m[k], v);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
