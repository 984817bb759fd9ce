package org.proxynas.data;

import org.proxynas.common.UserError;

/** Train/validation splits of a dataset, as views (nothing is copied). */
public final class Splits {
    private Splits() {}

    /**
     * DARTS' split: the first {@code floor(n*fraction)} examples of {@code d} in its given order, and the rest
     * ({@code fraction} 0.5 gives the weight-training and architecture-validation halves). Both parts must be
     * non-empty.
     */
    public static ImageDataset[] split(ImageDataset d, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new UserError("split fraction must be in (0, 1), found " + fraction);
        }
        int n = d.size();
        int first = (int) Math.floor(n * fraction);
        if (first == 0 || first == n) {
            throw new UserError("splitting " + n + " examples of " + d.name() + " at " + fraction
                    + " leaves one part empty");
        }
        return new ImageDataset[] {d.subset(range(0, first)), d.subset(range(first, n))};
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
