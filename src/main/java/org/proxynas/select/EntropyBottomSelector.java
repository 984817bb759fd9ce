package org.proxynas.select;

/** The lowest-entropy ("easiest") examples; equal entropies go to the lower index. */
public final class EntropyBottomSelector implements Selector {
    public static final String NAME = "entropy-bottom";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean usesSeed() {
        return false;
    }

    @Override
    public int[] choose(SelectionInput in, int size, long seed) {
        return TopK.smallest(in.scores().entropy(), size);
    }
}
