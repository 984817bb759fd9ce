package org.proxynas.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Efraimidis–Spirakis keys must reproduce successive weighted draws without replacement (numpy's
 * {@code choice(replace=False, p)}). Inclusion probabilities of successive sampling are computed exactly by
 * enumerating every draw order, and compared with frequencies over 40,000 fixed seeds: the binomial
 * standard error is at most 0.0025, and we allow 4 of them.
 */
class WeightedSamplerTest {
    private static final int TRIALS = 40_000;
    private static final double TOLERANCE = 4 * Math.sqrt(0.25 / TRIALS);

    @Test
    void inclusionFrequenciesMatchSuccessiveSampling() {
        double[] p = {0.4, 0.25, 0.2, 0.1, 0.05};
        for (int k = 1; k <= 3; k++) {
            double[] exact = new double[p.length];
            enumerate(p, k, new boolean[p.length], 1.0, exact);
            double[] freq = new double[p.length];
            SplittableRandom rng = new SplittableRandom(2021);
            for (int t = 0; t < TRIALS; t++) {
                for (int i : WeightedSampler.sample(p, k, rng)) {
                    freq[i] += 1.0 / TRIALS;
                }
            }
            for (int i = 0; i < p.length; i++) {
                assertThat(freq[i]).as("k=%d example %d", k, i).isCloseTo(exact[i],
                        org.assertj.core.data.Offset.offset(TOLERANCE));
            }
            double sum = 0;
            for (double e : exact) {
                sum += e;
            }
            assertThat(sum).isCloseTo(k, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void theExactReferenceIsNotPlainProportionalInclusion() {
        // Guards the test above: with k=3, successive sampling gives the heaviest example far less than 3*0.4.
        double[] exact = new double[5];
        enumerate(new double[] {0.4, 0.25, 0.2, 0.1, 0.05}, 3, new boolean[5], 1.0, exact);
        assertThat(exact[0]).isLessThan(0.95).isGreaterThan(0.8);
    }

    /** Adds the probability of every ordered draw sequence of length {@code left} to its members. */
    private static void enumerate(double[] p, int left, boolean[] taken, double prob, double[] inclusion) {
        if (left == 0) {
            for (int i = 0; i < p.length; i++) {
                if (taken[i]) {
                    inclusion[i] += prob;
                }
            }
            return;
        }
        double rest = 0;
        for (int i = 0; i < p.length; i++) {
            if (!taken[i]) {
                rest += p[i];
            }
        }
        for (int i = 0; i < p.length; i++) {
            if (!taken[i]) {
                taken[i] = true;
                enumerate(p, left - 1, taken, prob * p[i] / rest, inclusion);
                taken[i] = false;
            }
        }
    }
}
