package org.proxynas.select;

import java.util.Map;
import org.proxynas.common.UserError;

/**
 * The paper's deterministic variant: both entropy tails and nothing from the middle,
 * {@code round(lowFraction * size)} lowest-entropy examples and the rest from the highest.
 */
public final class EntropyTailsSelector implements Selector {
    public static final String NAME = "entropy-tails";
    private final double lowFraction;

    public EntropyTailsSelector(double lowFraction) {
        if (!(lowFraction >= 0 && lowFraction <= 1)) {
            throw new UserError("lowFraction must be in [0, 1], found " + lowFraction);
        }
        this.lowFraction = lowFraction;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("lowFraction", lowFraction);
    }

    @Override
    public boolean usesSeed() {
        return false;
    }

    @Override
    public int[] choose(SelectionInput in, int size, long seed) {
        double[] entropy = in.scores().entropy();
        int low = (int) Math.round(lowFraction * size);
        int[] bottom = TopK.smallest(entropy, low);
        // Taken examples must not be taken again when many entropies tie (e.g. all zero).
        for (int i : bottom) {
            entropy[i] = Double.NEGATIVE_INFINITY;
        }
        int[] top = TopK.largest(entropy, size - low);
        int[] out = new int[size];
        System.arraycopy(bottom, 0, out, 0, low);
        System.arraycopy(top, 0, out, low, top.length);
        return out;
    }
}
