package org.proxynas.select;

import java.util.Optional;
import java.util.SplittableRandom;
import org.proxynas.score.Embeddings;
import org.proxynas.score.ScoreTable;

/** Score tables shaped like a real baseline's: most entropies in a dense middle, thin easy and hard tails. */
final class SyntheticScores {
    private SyntheticScores() {}

    /** log10-entropies ~ N(-2, 0.5) with 5% of examples spread far below and 5% far above. */
    static double[] skewedEntropies(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            double v = u < 0.05 ? -12 + 6 * rng.nextDouble()
                    : u < 0.10 ? -0.6 + 0.6 * rng.nextDouble()
                    : -2 + 0.5 * gaussian(rng);
            h[i] = Math.pow(10, v);
        }
        return h;
    }

    static SelectionInput input(int n, int classes, int dims, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        int[] forgetting = new int[n];
        float[] emb = new float[n * dims];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
            forgetting[i] = rng.nextInt(6);
            for (int k = 0; k < dims; k++) {
                emb[i * dims + k] = (float) (gaussian(rng) + labels[i]);
            }
        }
        ScoreTable table = ScoreTable.of(labels, skewedEntropies(n, seed + 1)).withForgetting(forgetting);
        return new SelectionInput(table, Optional.of(new Embeddings(emb, n, dims)), classes);
    }

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
