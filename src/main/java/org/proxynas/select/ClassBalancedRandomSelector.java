package org.proxynas.select;

import java.util.SplittableRandom;

/**
 * Uniform sampling with the same count from every class; a class too small to fill its share gives the
 * rest to the others, and the remainder goes to the lowest-numbered classes.
 */
public final class ClassBalancedRandomSelector implements Selector {
    public static final String NAME = "random-balanced";

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
        int[] quota = ClassQuotas.equal(in.classCounts(), size);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] out = new int[size];
        int j = 0;
        for (int c = 0; c < quota.length; c++) {
            int[] members = in.classMembers(c);
            for (int pick : RandomSelector.sample(members.length, quota[c], rng)) {
                out[j++] = members[pick];
            }
        }
        return out;
    }
}
