package org.proxynas.select;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Any method, class by class (an extension; the paper does not balance classes): the size is split over
 * classes in proportion to their sizes and the wrapped method runs on each class alone, with a seed drawn
 * per class from the given one.
 */
public final class StratifiedSelector implements Selector {
    private final Selector perClass;

    public StratifiedSelector(Selector perClass) {
        this.perClass = perClass;
    }

    @Override
    public String name() {
        return perClass.name();
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> params = new HashMap<>(perClass.parameters());
        params.put("balanced", true);
        return params;
    }

    @Override
    public boolean usesSeed() {
        return perClass.usesSeed();
    }

    @Override
    public boolean usesScores() {
        return perClass.usesScores();
    }

    @Override
    public Optional<String> missingInput(SelectionInput in) {
        return perClass.missingInput(in);
    }

    @Override
    public int[] choose(SelectionInput in, int size, long seed) {
        int[] quota = ClassQuotas.proportional(in.classCounts(), size);
        SplittableRandom seeds = new SplittableRandom(seed);
        int[] out = new int[size];
        int j = 0;
        for (int c = 0; c < quota.length; c++) {
            long classSeed = seeds.nextLong();
            if (quota[c] == 0) {
                continue;
            }
            int[] members = in.classMembers(c);
            int[] chosen = perClass.choose(in.subset(members), quota[c], classSeed);
            for (int i : TopK.mapBack(members, chosen)) {
                out[j++] = i;
            }
        }
        return out;
    }
}
