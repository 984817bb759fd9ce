package org.proxynas.select;

import java.util.Locale;
import org.proxynas.common.UserError;

/**
 * The paper's three ways of weighting histogram bins ({@code q_b}); an example's probability is
 * {@code q_b / n_b} for its bin {@code b}, normalised, so every example of a bin is equally likely and the
 * bin as a whole gets {@code q_b}.
 */
public enum BinProbability {
    /** {@code q_b ∝ max n - n_b + 1} over non-empty bins: the paper's main choice, sparse bins favoured. */
    P1,
    /** {@code q_b = 1/B} over all {@code B} bins, empty ones included. */
    P2,
    /** {@code q_b ∝ 1/n_b}. */
    P3;

    /** Parses {@code p1}, {@code p2} or {@code p3} (any case). */
    public static BinProbability parse(String text) {
        for (BinProbability p : values()) {
            if (p.name().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new UserError("probability must be p1, p2 or p3, found '" + text + "'");
    }

    /** {@code q_b} for bins holding {@code counts[b]} examples, summing to 1 over all bins. */
    public double[] binWeights(int[] counts) {
        int max = 0;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        double[] q = new double[counts.length];
        double sum = 0;
        for (int b = 0; b < counts.length; b++) {
            q[b] = switch (this) {
                case P1 -> counts[b] == 0 ? 0 : max - counts[b] + 1;
                case P2 -> 1.0 / counts.length;
                case P3 -> counts[b] == 0 ? 0 : 1.0 / counts[b];
            };
            sum += q[b];
        }
        for (int b = 0; b < q.length; b++) {
            q[b] /= sum;
        }
        return q;
    }

    /** {@code p_i ∝ q_b(i) / n_b(i)} for examples in bins {@code bins}, summing to 1. */
    public double[] exampleProbabilities(int[] counts, int[] bins) {
        double[] q = binWeights(counts);
        double[] p = new double[bins.length];
        double sum = 0;
        for (int i = 0; i < bins.length; i++) {
            p[i] = q[bins[i]] / counts[bins[i]];
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
