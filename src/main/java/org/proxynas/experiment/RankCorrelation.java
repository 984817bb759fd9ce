package org.proxynas.experiment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How well one measurement of a set of items keeps the order of another (in the ranking study: architectures'
 * test accuracy after training on a proxy, against the same after training on all data): Kendall's τ-b,
 * Spearman's ρ, top-k overlap, and percentile bootstrap intervals over the items. Test accuracies are
 * multiples of 1/(test images), so ties happen; both correlations handle them (τ-b, average ranks).
 */
public final class RankCorrelation {
    /** Bootstrap resamples per interval: enough for stable 2.5% and 97.5% percentiles. */
    public static final int RESAMPLES = 2000;

    private RankCorrelation() {}

    /**
     * Kendall's τ-b: (concordant − discordant pairs) / √((n₀ − n₁)(n₀ − n₂)), with n₀ all pairs and n₁, n₂
     * the pairs tied in x and in y (a tied pair is neither concordant nor discordant). NaN when x or y is
     * constant: no order to agree with.
     */
    static double kendallTauB(double[] x, double[] y) {
        long score = 0;
        long pairs = 0;
        long tiedX = 0;
        long tiedY = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                int dx = Double.compare(x[i], x[j]);
                int dy = Double.compare(y[i], y[j]);
                pairs++;
                tiedX += dx == 0 ? 1 : 0;
                tiedY += dy == 0 ? 1 : 0;
                score += (long) Integer.signum(dx) * Integer.signum(dy);
            }
        }
        double denominator = Math.sqrt((double) (pairs - tiedX) * (pairs - tiedY));
        return denominator == 0 ? Double.NaN : score / denominator;
    }

    /** Spearman's ρ: the Pearson correlation of the ranks, tied values sharing their mean rank; NaN if constant. */
    static double spearmanRho(double[] x, double[] y) {
        return pearson(ranks(x), ranks(y));
    }

    /** 1-based ranks, ascending; a run of equal values gets the mean of the ranks it spans. */
    static double[] ranks(double[] v) {
        Integer[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i]))
                .toArray(Integer[]::new);
        double[] rank = new double[v.length];
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && v[order[end + 1]] == v[order[start]]) {
                end++;
            }
            double mean = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                rank[order[k]] = mean;
            }
            start = end + 1;
        }
        return rank;
    }

    private static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(Double.NaN);
        double my = Arrays.stream(y).average().orElse(Double.NaN);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /**
     * Of the {@code k} items highest in {@code x}, the share also among the {@code k} highest in {@code y}:
     * are the best architectures on all data among the best on the proxy? Ties go to the lower index.
     */
    static double topKOverlap(double[] x, double[] y, int k) {
        int[] topX = top(x, k);
        int[] topY = top(y, k);
        long shared = Arrays.stream(topX).filter(i -> Arrays.stream(topY).anyMatch(j -> j == i)).count();
        return (double) shared / k;
    }

    private static int[] top(double[] v, int k) {
        return IntStream.range(0, v.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -v[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** A statistic of a resample, given as the indices of the items drawn (with repetition). */
    interface Statistic {
        double of(int[] items);
    }

    /** A two-sided 95% interval; NaN bounds when it could not be estimated. */
    record Interval(double low, double high) {}

    /**
     * The percentile bootstrap 95% interval of {@code statistic} over {@value #RESAMPLES} resamples of the
     * {@code n} items with replacement. The resamples depend only on (n, seed), so intervals of several
     * statistics with one seed are paired: each resample draws the same items for all of them. Resamples
     * where the statistic is undefined (NaN: all drawn items tied) are left out.
     */
    static Interval bootstrap(int n, long seed, Statistic statistic) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[RESAMPLES];
        int defined = 0;
        int[] items = new int[n];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                items[i] = random.nextInt(n);
            }
            double v = statistic.of(items);
            if (!Double.isNaN(v)) {
                values[defined++] = v;
            }
        }
        if (defined == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(values, defined);
        Arrays.sort(sorted);
        return new Interval(percentile(sorted, 0.025), percentile(sorted, 0.975));
    }

    /** Linear interpolation between the closest ranks (numpy's default). */
    private static double percentile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** The values of {@code v} at {@code items}, in that order: a resample of a measurement. */
    static double[] pick(double[] v, int[] items) {
        double[] out = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = v[items[i]];
        }
        return out;
    }
}
