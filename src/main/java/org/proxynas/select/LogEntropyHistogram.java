package org.proxynas.select;

import java.util.Arrays;
import org.proxynas.common.Require;
import org.proxynas.common.UserError;

/**
 * The paper's histogram of {@code log10(entropy)} (Na et al., IJCAI 2021: the proxy selection's second step), with
 * the edges of the authors' public code, whose crash on a value exactly on an edge is not copied.
 *
 * <p>Edges: the lower edge starts at {@code round(min v)} and steps down by {@code w} until it is
 * {@code <= min v}; the upper edge starts at {@code round(max v)} and steps up until it is {@code >= max v};
 * edges every {@code w} between (bins may be empty at either end). Rounding is half-to-even
 * like Python's {@code round}. Bins are half-open {@code [e_b, e_b+1)} except the last, which is closed, so
 * every value lies in exactly one bin, including a value exactly on an edge (the public code crashes there).
 * Edges are computed as {@code lo + b*w}, not by repeated addition, so they do not drift.
 *
 * <p>Entropy 0 has no logarithm: it is replaced by the smallest positive entropy in the set, the
 * nearest value the baseline actually produced, which puts perfectly confident examples in the lowest
 * bin with the merely very confident. When no entropy is positive, {@link Double#MIN_NORMAL} stands in.
 */
public record LogEntropyHistogram(double binWidth, double zeroStandIn, double[] edges, int[] counts) {
    /**
     * The most bins a histogram may have: far more than any selection can use (bins hold examples), few enough
     * that proxy.json, which lists every edge and count, stays small. A narrower width is a typing slip.
     */
    public static final int MAX_BINS = 100_000;

    public LogEntropyHistogram {
        if (!(binWidth > 0) || Double.isInfinite(binWidth)) {
            throw new UserError("bin width must be a positive number, found " + binWidth);
        }
        edges = edges.clone();
        counts = counts.clone();
        if (edges.length != counts.length + 1) {
            throw new UserError(counts.length + " bins need " + (counts.length + 1) + " edges, found "
                    + edges.length);
        }
    }

    /** Bins {@code entropy} with width {@code binWidth} in log10 units. */
    public static LogEntropyHistogram of(double[] entropy, double binWidth) {
        if (entropy.length == 0) {
            throw new UserError("cannot build a histogram of no entropies");
        }
        double standIn = Double.POSITIVE_INFINITY;
        for (double h : entropy) {
            if (h > 0 && h < standIn) {
                standIn = h;
            }
        }
        if (standIn == Double.POSITIVE_INFINITY) {
            standIn = Double.MIN_NORMAL;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double h : entropy) {
            double v = Math.log10(h > 0 ? h : standIn);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        requireFewBins(binWidth, min, max);
        int down = 0;
        while (Math.rint(min) - down * binWidth > min) {
            down++;
        }
        int up = 0;
        while (Math.rint(max) + up * binWidth < max) {
            up++;
        }
        double start = Math.rint(min) - down * binWidth;
        double end = Math.rint(max) + up * binWidth;
        // A width that does not divide 1 leaves a partial step: the last bin then reaches past the end edge.
        int bins = Math.max(1, (int) Math.ceil((end - start) / binWidth - 1e-9));
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = start + b * binWidth;
        }
        LogEntropyHistogram empty = new LogEntropyHistogram(binWidth, standIn, edges, new int[bins]);
        int[] counts = new int[bins];
        for (double h : entropy) {
            counts[empty.bin(h)]++;
        }
        return new LogEntropyHistogram(binWidth, standIn, edges, counts);
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }

    public int numBins() {
        return counts.length;
    }

    /** {@code log10} of an entropy as this histogram sees it (0 replaced by the stand-in). */
    public double logValue(double entropy) {
        return Math.log10(entropy > 0 ? entropy : zeroStandIn);
    }

    /** The bin of an entropy; values beyond the outer edges go to the outer bins. */
    public int bin(double entropy) {
        double v = logValue(entropy);
        int last = counts.length - 1;
        int b = (int) Math.floor((v - edges[0]) / binWidth);
        b = Math.max(0, Math.min(last, b));
        // The division can land one bin off near an edge; the edges themselves decide.
        while (b > 0 && v < edges[b]) {
            b--;
        }
        while (b < last && v >= edges[b + 1]) {
            b++;
        }
        return b;
    }

    /** The bin of every entropy, in order. */
    public int[] bins(double[] entropy) {
        int[] out = new int[entropy.length];
        for (int i = 0; i < entropy.length; i++) {
            out[i] = bin(entropy[i]);
        }
        return out;
    }

    /** How many of the examples at {@code indices} fall in each bin. */
    public int[] countsOf(double[] entropy, int[] indices) {
        int[] out = new int[counts.length];
        for (int i : indices) {
            out[bin(entropy[i])]++;
        }
        return out;
    }

    /**
     * Refuses a width that would cut [{@code min}, {@code max}] (log10 entropies) into more than {@link #MAX_BINS}
     * bins, before the edges are counted out one by one. The bound is on the whole decades the edges are aligned to,
     * which hold every bin, so it errs only toward refusing.
     */
    private static void requireFewBins(double binWidth, double min, double max) {
        double decades = Math.rint(max) - Math.rint(min) + 1;
        if (decades / binWidth > MAX_BINS) {
            throw new UserError("binWidth " + Require.number(binWidth) + " would cut the scores' log10-entropy range ["
                    + Require.number(Math.rint(min)) + ", " + Require.number(Math.rint(max)) + "] into more than "
                    + MAX_BINS + " bins; choose a width of at least " + Require.number(decades / MAX_BINS));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntropyHistogram h && binWidth == h.binWidth && zeroStandIn == h.zeroStandIn
                && Arrays.equals(edges, h.edges) && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(edges) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "LogEntropyHistogram[w=" + binWidth + ", edges " + Arrays.toString(edges) + ", counts "
                + Arrays.toString(counts) + "]";
    }
}
