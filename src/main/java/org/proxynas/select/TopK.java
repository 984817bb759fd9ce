package org.proxynas.select;

import java.util.Arrays;

/**
 * The k largest (or smallest) entries of a key array, ties broken by lower index, in O(n log n) on a
 * primitive copy: no boxed comparator sort, so 1.28M keys take tens of milliseconds.
 */
final class TopK {
    private TopK() {}

    /** Indices of the {@code k} largest keys, ascending by index; among equal keys the lower index wins. */
    static int[] largest(double[] key, int k) {
        if (k == 0) {
            return new int[0];
        }
        double[] sorted = key.clone();
        Arrays.sort(sorted);
        double threshold = sorted[key.length - k];
        int above = 0;
        for (double v : key) {
            if (v > threshold) {
                above++;
            }
        }
        int ties = k - above;
        int[] out = new int[k];
        int j = 0;
        for (int i = 0; i < key.length; i++) {
            if (key[i] > threshold || (key[i] == threshold && ties-- > 0)) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** Indices of the {@code k} smallest keys, ascending by index; among equal keys the lower index wins. */
    static int[] smallest(double[] key, int k) {
        if (k == 0) {
            return new int[0];
        }
        double[] sorted = key.clone();
        Arrays.sort(sorted);
        double threshold = sorted[k - 1];
        int below = 0;
        for (double v : key) {
            if (v < threshold) {
                below++;
            }
        }
        int ties = k - below;
        int[] out = new int[k];
        int j = 0;
        for (int i = 0; i < key.length; i++) {
            if (key[i] < threshold || (key[i] == threshold && ties-- > 0)) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** {@code rows[chosen[j]]} for every j: maps indices into a subset back to the full set. */
    static int[] mapBack(int[] rows, int[] chosen) {
        int[] out = new int[chosen.length];
        for (int j = 0; j < chosen.length; j++) {
            out[j] = rows[chosen[j]];
        }
        return out;
    }
}
