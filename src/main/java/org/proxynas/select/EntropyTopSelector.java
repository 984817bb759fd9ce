package org.proxynas.select;

/** The highest-entropy ("hardest") examples; equal entropies go to the lower index. */
public final class EntropyTopSelector implements Selector {
    public static final String NAME = "entropy-top";

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
        return TopK.largest(in.scores().entropy(), size);
    }
}
