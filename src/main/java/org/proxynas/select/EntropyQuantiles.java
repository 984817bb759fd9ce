package org.proxynas.select;

import java.util.Arrays;
import java.util.List;
import org.proxynas.common.UserError;

/**
 * Mean and quantiles of a set of entropies. Quantiles interpolate linearly between order statistics
 * (numpy's default), at {@link #LEVELS}.
 */
public record EntropyQuantiles(int count, double mean, List<Double> levels, List<Double> quantiles) {
    public static final List<Double> LEVELS = List.of(0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0);

    public EntropyQuantiles {
        levels = List.copyOf(levels);
        quantiles = List.copyOf(quantiles);
        if (levels.size() != quantiles.size()) {
            throw new UserError(levels.size() + " quantile levels but " + quantiles.size() + " values");
        }
    }

    /** The summary of {@code entropy[i]} for every {@code i} in {@code indices}. */
    public static EntropyQuantiles of(double[] entropy, int[] indices) {
        double[] v = new double[indices.length];
        double sum = 0;
        for (int j = 0; j < indices.length; j++) {
            v[j] = entropy[indices[j]];
            sum += v[j];
        }
        Arrays.sort(v);
        Double[] q = new Double[LEVELS.size()];
        for (int k = 0; k < q.length; k++) {
            q[k] = quantile(v, LEVELS.get(k));
        }
        return new EntropyQuantiles(v.length, v.length == 0 ? Double.NaN : sum / v.length, LEVELS, List.of(q));
    }

    private static double quantile(double[] sorted, double level) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = level * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
