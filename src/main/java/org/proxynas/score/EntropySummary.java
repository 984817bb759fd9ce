package org.proxynas.score;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.proxynas.common.UserError;

/**
 * Distribution of the entropies of a scoring run, as printed at its end and stored in scores.json:
 * quantiles use linear interpolation between order statistics (numpy's default), keyed "q0.50" etc.
 */
public record EntropySummary(int count, double mean, double min, double max, double lnClasses,
        Map<String, Double> quantiles) {

    /** The quantile levels every summary reports. */
    public static final double[] LEVELS = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};

    public EntropySummary {
        if (count <= 0) {
            throw new UserError("an entropy summary needs at least one value, found " + count);
        }
        quantiles = Collections.unmodifiableMap(new LinkedHashMap<>(quantiles));
    }

    public static EntropySummary of(double[] entropy, int classes) {
        if (entropy.length == 0) {
            throw new UserError("no entropies to summarise");
        }
        double[] sorted = entropy.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double h : sorted) {
            sum += h;
        }
        Map<String, Double> q = new LinkedHashMap<>();
        for (double level : LEVELS) {
            q.put(key(level), quantile(sorted, level));
        }
        return new EntropySummary(sorted.length, sum / sorted.length, sorted[0], sorted[sorted.length - 1],
                Math.log(classes), q);
    }

    /** The map key of quantile {@code level}, e.g. "q0.50". */
    public static String key(double level) {
        return String.format(Locale.ROOT, "q%.2f", level);
    }

    static double quantile(double[] sorted, double level) {
        double pos = level * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
