package org.proxynas.score;

import java.util.Arrays;
import org.proxynas.common.UserError;

/**
 * Per-example scores of one training split: row {@code i} is example {@code i} of the dataset, in dataset
 * order. The label is kept next to the scores so a table can be checked against the dataset it claims to
 * describe (the public entropy lists of the paper were misaligned by a shuffled loader).
 *
 * <p>Only {@code label} and {@code entropy} are required. An optional column that was not computed is
 * filled with {@code -1} (int columns) or {@code NaN} (double columns); pass {@code null} to the constructor
 * for such a column. {@code forgetting} counts forgetting events (Toneva et al.); an example the baseline
 * never learned must carry a count above every learned example's (e.g. the number of epochs), so "most
 * forgotten first" puts it first.
 *
 * <p>The arrays are copied in and out, so a table never changes; loops should use the per-row accessors
 * ({@link #entropy(int)}) or take one copy of a column.
 */
public record ScoreTable(int[] label, double[] entropy, int[] predicted, double[] trueProb, double[] margin,
                         int[] forgetting) {

    public ScoreTable {
        if (label == null || entropy == null) {
            throw new UserError("a score table needs label and entropy columns");
        }
        int n = label.length;
        if (entropy.length != n) {
            throw new UserError("entropy has " + entropy.length + " rows, label has " + n);
        }
        label = label.clone();
        entropy = entropy.clone();
        predicted = optionalInts("predicted", predicted, n);
        trueProb = optionalDoubles("true_prob", trueProb, n);
        margin = optionalDoubles("margin", margin, n);
        forgetting = optionalInts("forgetting", forgetting, n);
        for (int i = 0; i < n; i++) {
            if (label[i] < 0) {
                throw new UserError("example " + i + ": label " + label[i] + " is negative");
            }
            if (!(entropy[i] >= 0) || Double.isInfinite(entropy[i])) {
                throw new UserError("example " + i + ": entropy " + entropy[i]
                        + " is not a finite non-negative number");
            }
        }
    }

    /** A table with only the required columns. */
    public static ScoreTable of(int[] label, double[] entropy) {
        return new ScoreTable(label, entropy, null, null, null, null);
    }

    /** This table with a forgetting column added or replaced. */
    public ScoreTable withForgetting(int[] counts) {
        return new ScoreTable(label, entropy, predicted, trueProb, margin, counts);
    }

    /** The rows at {@code rows}, in that order (row {@code j} of the result is row {@code rows[j]} here). */
    public ScoreTable subset(int[] rows) {
        return new ScoreTable(pick(label, rows), pick(entropy, rows), pick(predicted, rows), pick(trueProb, rows),
                pick(margin, rows), pick(forgetting, rows));
    }

    public int size() {
        return label.length;
    }

    /** Classes seen in the labels: the largest label plus one (0 for an empty table). */
    public int numClassesSeen() {
        int max = -1;
        for (int l : label) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    public int label(int i) {
        return label[i];
    }

    public double entropy(int i) {
        return entropy[i];
    }

    public int forgetting(int i) {
        return forgetting[i];
    }

    public boolean hasPredicted() {
        return isFilled(predicted);
    }

    public boolean hasTrueProb() {
        return isFilled(trueProb);
    }

    public boolean hasMargin() {
        return isFilled(margin);
    }

    public boolean hasForgetting() {
        return isFilled(forgetting);
    }

    @Override
    public int[] label() {
        return label.clone();
    }

    @Override
    public double[] entropy() {
        return entropy.clone();
    }

    @Override
    public int[] predicted() {
        return predicted.clone();
    }

    @Override
    public double[] trueProb() {
        return trueProb.clone();
    }

    @Override
    public double[] margin() {
        return margin.clone();
    }

    @Override
    public int[] forgetting() {
        return forgetting.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreTable t
                && Arrays.equals(label, t.label)
                && Arrays.equals(entropy, t.entropy)
                && Arrays.equals(predicted, t.predicted)
                && Arrays.equals(trueProb, t.trueProb)
                && Arrays.equals(margin, t.margin)
                && Arrays.equals(forgetting, t.forgetting);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(label) * 31 + Arrays.hashCode(entropy);
    }

    @Override
    public String toString() {
        return "ScoreTable[" + size() + " rows" + (hasForgetting() ? ", forgetting" : "") + "]";
    }

    private static int[] pick(int[] column, int[] rows) {
        int[] out = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
            out[j] = column[rows[j]];
        }
        return out;
    }

    private static double[] pick(double[] column, int[] rows) {
        double[] out = new double[rows.length];
        for (int j = 0; j < rows.length; j++) {
            out[j] = column[rows[j]];
        }
        return out;
    }

    private static boolean isFilled(int[] column) {
        return column.length > 0 && column[0] >= 0;
    }

    private static boolean isFilled(double[] column) {
        return column.length > 0 && !Double.isNaN(column[0]);
    }

    /** Absent = all -1; present = all non-negative, so {@link #isFilled} can look at one row. */
    private static int[] optionalInts(String name, int[] column, int n) {
        if (column == null) {
            int[] absent = new int[n];
            Arrays.fill(absent, -1);
            return absent;
        }
        if (column.length != n) {
            throw new UserError(name + " has " + column.length + " rows, label has " + n);
        }
        boolean absent = n > 0 && column[0] < 0;
        for (int i = 0; i < n; i++) {
            if ((column[i] < 0) != absent) {
                throw new UserError("example " + i + ": " + name + " " + column[i]
                        + (absent ? " in a column marked absent (-1)" : " is negative"));
            }
        }
        return column.clone();
    }

    /** Absent = all NaN; present = all finite. */
    private static double[] optionalDoubles(String name, double[] column, int n) {
        if (column == null) {
            double[] absent = new double[n];
            Arrays.fill(absent, Double.NaN);
            return absent;
        }
        if (column.length != n) {
            throw new UserError(name + " has " + column.length + " rows, label has " + n);
        }
        boolean absent = n > 0 && Double.isNaN(column[0]);
        for (int i = 0; i < n; i++) {
            boolean missing = Double.isNaN(column[i]);
            if (missing != absent || Double.isInfinite(column[i])) {
                throw new UserError("example " + i + ": " + name + " " + column[i]
                        + (absent ? " in a column marked absent (NaN)" : " is not a finite number"));
            }
        }
        return column.clone();
    }
}
