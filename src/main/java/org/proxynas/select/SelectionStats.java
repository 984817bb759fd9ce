package org.proxynas.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a selection compares with the full set: class counts, entropy summaries, and both sets counted in the
 * same log10-entropy bins (the proxy method's histogram, whatever method chose the set).
 */
public record SelectionStats(
        int[] classCountsSelected,
        int[] classCountsFull,
        EntropyQuantiles entropySelected,
        EntropyQuantiles entropyFull,
        double binWidth,
        double[] binEdges,
        int[] binCountsSelected,
        int[] binCountsFull) {

    /**
     * A tail bin holds fewer than this fraction of the full set: the sparse easy and hard ends the paper
     * says a good proxy must cover.
     */
    public static final double TAIL_BIN_FRACTION = 0.01;

    /** A class the selection holds at under this fraction of its share in the full set is under-represented. */
    public static final double UNDER_REPRESENTED = 0.25;

    public SelectionStats {
        classCountsSelected = classCountsSelected.clone();
        classCountsFull = classCountsFull.clone();
        binEdges = binEdges.clone();
        binCountsSelected = binCountsSelected.clone();
        binCountsFull = binCountsFull.clone();
    }

    public static SelectionStats of(SelectionInput in, int[] indices, double binWidth) {
        double[] entropy = in.scores().entropy();
        int[] all = new int[in.size()];
        Arrays.setAll(all, i -> i);
        int[] selectedClasses = new int[in.numClasses()];
        for (int i : indices) {
            selectedClasses[in.scores().label(i)]++;
        }
        LogEntropyHistogram histogram = LogEntropyHistogram.of(entropy, binWidth);
        return new SelectionStats(selectedClasses, in.classCounts(), EntropyQuantiles.of(entropy, indices),
                EntropyQuantiles.of(entropy, all), binWidth, histogram.edges(), histogram.countsOf(entropy, indices),
                histogram.counts());
    }

    /** Smallest over largest per-class count among classes present in the full set (1 = perfectly even). */
    public double classBalance() {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c = 0; c < classCountsFull.length; c++) {
            if (classCountsFull[c] > 0) {
                min = Math.min(min, classCountsSelected[c]);
                max = Math.max(max, classCountsSelected[c]);
            }
        }
        return max == 0 ? 0 : (double) min / max;
    }

    /**
     * The classes of the full set the selection misses or holds at under a quarter of their share
     * ({@link #UNDER_REPRESENTED}), as one sentence naming them by {@code names} (by index where a name is
     * missing), or null when every class is represented. Entropy tails are often one easy class and one hard
     * one, so a histogram selection can drop whole classes; a user should hear of it before searching on it.
     */
    public String classShortfall(List<String> names) {
        long selected = Arrays.stream(classCountsSelected).asLongStream().sum();
        long full = Arrays.stream(classCountsFull).asLongStream().sum();
        List<String> missing = new ArrayList<>();
        List<String> few = new ArrayList<>();
        for (int c = 0; c < classCountsFull.length; c++) {
            if (classCountsFull[c] == 0) {
                continue;
            }
            double shareFull = (double) classCountsFull[c] / full;
            double share = (double) classCountsSelected[c] / selected;
            String name = c < names.size() ? names.get(c) : "class " + c;
            if (classCountsSelected[c] == 0) {
                missing.add(name);
            } else if (share < UNDER_REPRESENTED * shareFull) {
                few.add(String.format(Locale.ROOT, "%s %.1f%% vs %.1f%%", name, 100 * share, 100 * shareFull));
            }
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("misses " + missing.size() + " of " + Arrays.stream(classCountsFull).filter(n -> n > 0).count()
                    + " classes (" + String.join(", ", missing) + ")");
        }
        if (!few.isEmpty()) {
            parts.add("holds " + few.size() + (few.size() == 1 ? " class" : " classes")
                    + " at under a quarter of its share in the full set (" + String.join(", ", few) + ")");
        }
        return parts.isEmpty() ? null : String.join(" and ", parts);
    }

    /** Fraction of the tail bins ({@link #TAIL_BIN_FRACTION}) with at least one selected example; 1 if none. */
    public double tailBinsCovered() {
        long total = Arrays.stream(binCountsFull).asLongStream().sum();
        int tails = 0;
        int covered = 0;
        for (int b = 0; b < binCountsFull.length; b++) {
            if (binCountsFull[b] > 0 && binCountsFull[b] < TAIL_BIN_FRACTION * total) {
                tails++;
                if (binCountsSelected[b] > 0) {
                    covered++;
                }
            }
        }
        return tails == 0 ? 1 : (double) covered / tails;
    }

    @Override
    public int[] classCountsSelected() {
        return classCountsSelected.clone();
    }

    @Override
    public int[] classCountsFull() {
        return classCountsFull.clone();
    }

    @Override
    public double[] binEdges() {
        return binEdges.clone();
    }

    @Override
    public int[] binCountsSelected() {
        return binCountsSelected.clone();
    }

    @Override
    public int[] binCountsFull() {
        return binCountsFull.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectionStats s && Arrays.equals(classCountsSelected, s.classCountsSelected)
                && Arrays.equals(classCountsFull, s.classCountsFull) && entropySelected.equals(s.entropySelected)
                && entropyFull.equals(s.entropyFull) && binWidth == s.binWidth && Arrays.equals(binEdges, s.binEdges)
                && Arrays.equals(binCountsSelected, s.binCountsSelected) && Arrays.equals(binCountsFull, s.binCountsFull);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(classCountsSelected) * 31 + Arrays.hashCode(binCountsSelected);
    }

    @Override
    public String toString() {
        return "SelectionStats[classes " + Arrays.toString(classCountsSelected) + ", bins "
                + Arrays.toString(binCountsSelected) + "]";
    }
}
