package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SdartsRandomSmoothingTest {

    @Test
    void perturbedRowsStayDistributionsNearTheSoftmax() {
        float[] softmax = {0.4f, 0.3f, 0.1f, 0.1f, 0.05f, 0.05f, 0f, 0f};
        SplittableRandom rng = new SplittableRandom(1);
        boolean moved = false;
        for (int trial = 0; trial < 200; trial++) {
            float[] p = SdartsRandomSmoothing.perturbRow(softmax, 0.03, rng);
            float sum = 0;
            for (int k = 0; k < p.length; k++) {
                assertThat(p[k]).isBetween(0f, 1f);
                // noise of at most ε, then a renormalization by a sum within 1 ± 8ε
                assertThat(p[k]).isCloseTo(softmax[k], within(0.03f + 0.3f));
                moved |= Math.abs(p[k] - softmax[k]) > 1e-4;
                sum += p[k];
            }
            assertThat(sum).isCloseTo(1f, within(1e-5f));
        }
        assertThat(moved).isTrue();
    }

    @Test
    void zeroNoiseKeepsTheSoftmaxAndAClippedOutRowFallsBackToItsMaximum() {
        float[] softmax = {0.5f, 0.25f, 0.25f};
        assertThat(SdartsRandomSmoothing.perturbRow(softmax, 0, new SplittableRandom(2)))
                .containsExactly(0.5f, 0.25f, 0.25f);
        float[] negative = {-3f, -2f, -5f};
        assertThat(SdartsRandomSmoothing.perturbRow(negative, 0, new SplittableRandom(3)))
                .containsExactly(0f, 1f, 0f);
    }
}
