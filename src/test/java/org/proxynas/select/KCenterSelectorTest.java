package org.proxynas.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.proxynas.score.Embeddings;
import org.proxynas.score.ScoreTable;

class KCenterSelectorTest {

    @Test
    void equalsBruteForceGreedyFarthestPoint() {
        for (long seed = 0; seed < 5; seed++) {
            int n = 300;
            int d = 7;
            float[] x = clustered(n, d, seed);
            SelectionInput in = new SelectionInput(ScoreTable.of(new int[n], new double[n]),
                    Optional.of(new Embeddings(x, n, d)), 1);
            int k = 40;
            int first = new SplittableRandom(seed).nextInt(n);
            int[] expected = bruteForce(x, n, d, k, first);
            assertThat(new KCenterSelector().select(in, k, seed).indices()).containsExactly(expected);
            assertThat(new KCenterSelector(0).select(in, k, seed).indices()).as("split over threads")
                    .containsExactly(expected);
        }
    }

    @Test
    void duplicatePointsStillGiveDistinctCentres() {
        int n = 20;
        SelectionInput in = new SelectionInput(ScoreTable.of(new int[n], new double[n]),
                Optional.of(new Embeddings(new float[n * 3], n, 3)), 1);
        int[] idx = new KCenterSelector().select(in, n, 3).indices();
        assertThat(Arrays.stream(idx).distinct().count()).isEqualTo(n);
    }

    /** The textbook loop: recompute every point's distance to every centre, in double precision. */
    private static int[] bruteForce(float[] x, int n, int d, int k, int first) {
        int[] centres = new int[k];
        centres[0] = first;
        for (int s = 1; s < k; s++) {
            int best = -1;
            double bestDist = -1;
            for (int i = 0; i < n; i++) {
                double nearest = Double.POSITIVE_INFINITY;
                for (int t = 0; t < s; t++) {
                    double sum = 0;
                    for (int j = 0; j < d; j++) {
                        double e = x[i * d + j] - x[centres[t] * d + j];
                        sum += e * e;
                    }
                    nearest = Math.min(nearest, sum);
                }
                if (nearest > bestDist) {
                    bestDist = nearest;
                    best = i;
                }
            }
            centres[s] = best;
        }
        Arrays.sort(centres);
        return centres;
    }

    /** Clusters make the triangle-inequality pruning actually skip points. */
    private static float[] clustered(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int cluster = rng.nextInt(5);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (10 * cluster * (j % 2 == 0 ? 1 : -1) + SyntheticScores.gaussian(rng));
            }
        }
        return x;
    }
}
