package org.proxynas.select;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Uniform sampling without replacement: the baseline every other method must beat. */
public final class RandomSelector implements Selector {
    public static final String NAME = "random";

    @Override
    public boolean usesScores() {
        return false;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] choose(SelectionInput in, int size, long seed) {
        return sample(in.size(), size, new SplittableRandom(seed));
    }

    /** The first {@code k} positions of a partial Fisher–Yates shuffle of {@code 0..n-1}. */
    public static int[] sample(int n, int k, SplittableRandom rng) {
        int[] pool = new int[n];
        for (int i = 0; i < n; i++) {
            pool[i] = i;
        }
        for (int j = 0; j < k; j++) {
            int r = j + rng.nextInt(n - j);
            int t = pool[j];
            pool[j] = pool[r];
            pool[r] = t;
        }
        return Arrays.copyOf(pool, k);
    }
}
