package org.proxynas.select;

import java.util.Arrays;
import java.util.Optional;

/**
 * Toneva et al.'s forgetting events: the most-forgotten examples first (never-learned ones carry the
 * largest counts), ties by higher entropy, then by lower index.
 */
public final class ForgettingSelector implements Selector {
    public static final String NAME = "forgetting";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean usesSeed() {
        return false;
    }

    @Override
    public Optional<String> missingInput(SelectionInput in) {
        return in.scores().hasForgetting() ? Optional.empty()
                : Optional.of("needs the forgetting column in the scores file");
    }

    @Override
    public int[] choose(SelectionInput in, int size, long seed) {
        int[] forgetting = in.scores().forgetting();
        int[] sorted = forgetting.clone();
        Arrays.sort(sorted);
        int boundary = sorted[forgetting.length - size];
        int above = 0;
        int atBoundary = 0;
        for (int f : forgetting) {
            if (f > boundary) {
                above++;
            } else if (f == boundary) {
                atBoundary++;
            }
        }
        int[] out = new int[size];
        int[] boundaryRows = new int[atBoundary];
        int j = 0;
        int b = 0;
        for (int i = 0; i < forgetting.length; i++) {
            if (forgetting[i] > boundary) {
                out[j++] = i;
            } else if (forgetting[i] == boundary) {
                boundaryRows[b++] = i;
            }
        }
        double[] entropy = in.scores().subset(boundaryRows).entropy();
        for (int pick : TopK.largest(entropy, size - above)) {
            out[j++] = boundaryRows[pick];
        }
        return out;
    }
}
