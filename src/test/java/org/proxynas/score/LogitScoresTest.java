package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LogitScoresTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static LogitScores score(float[][] logits, int[] labels) {
        int k = logits[0].length;
        float[] flat = new float[logits.length * k];
        for (int i = 0; i < logits.length; i++) {
            System.arraycopy(logits[i], 0, flat, i * k, k);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(flat, new Shape(logits.length, k));
            NDArray y = m.create(labels);
            return LogitScores.compute(x, y);
        }
    }

    @Test
    void uniformLogitsGiveLnK() {
        LogitScores s = score(new float[][] {{0, 0, 0, 0}, {7, 7, 7, 7}}, new int[] {1, 3});
        assertThat(s.entropy()[0]).isCloseTo(Math.log(4), within(1e-12));
        assertThat(s.entropy()[1]).isCloseTo(Math.log(4), within(1e-12));
        assertThat(s.trueProb()[0]).isCloseTo(0.25, within(1e-12));
        assertThat(s.margin()[1]).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void confidentLogitsGiveTinyPositiveEntropy() {
        // logits (40, 0, 0): p_other = e^-40 / (1 + 2e^-40); H ~ 2 * 40 * e^-40 = 3.4e-16, far below
        // float precision, so this also checks that the computation runs in double.
        LogitScores s = score(new float[][] {{40, 0, 0}}, new int[] {0});
        double e = Math.exp(-40);
        double z = 1 + 2 * e;
        double expected = -(1 / z) * Math.log(1 / z) - 2 * (e / z) * Math.log(e / z);
        assertThat(s.entropy()[0]).isGreaterThan(0).isCloseTo(expected, within(expected * 1e-6));
        assertThat(s.predicted()[0]).isZero();
    }

    @Test
    void hugeLogitsAreNotNaN() {
        LogitScores s = score(new float[][] {{1e4f, -1e4f, 0}, {-1e4f, -1e4f, -1e4f}, {3e38f, -3e38f, 0}},
                new int[] {1, 2, 0});
        for (int i = 0; i < s.size(); i++) {
            assertThat(s.entropy()[i]).isNotNaN().isBetween(0.0, Math.log(3));
            assertThat(s.trueProb()[i]).isNotNaN().isBetween(0.0, 1.0);
            assertThat(s.margin()[i]).isNotNaN().isBetween(-1.0, 1.0);
        }
        assertThat(s.entropy()[0]).isEqualTo(0.0);
        assertThat(s.trueProb()[0]).isEqualTo(0.0);
        assertThat(s.margin()[0]).isEqualTo(-1.0);
        assertThat(s.entropy()[1]).isCloseTo(Math.log(3), within(1e-12));
    }

    @Test
    void trueProbMarginAndPredictionByHand() {
        // softmax(ln 1, ln 2, ln 5) = (0.125, 0.25, 0.625)
        float[] row = {0f, (float) Math.log(2), (float) Math.log(5)};
        LogitScores s = score(new float[][] {row, row, row}, new int[] {0, 1, 2});
        double[] p = softmax(row);
        double h = 0;
        for (double pc : p) {
            h -= pc * Math.log(pc);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(s.predicted()[i]).isEqualTo(2);
            assertThat(s.entropy()[i]).isCloseTo(h, within(1e-12));
            assertThat(s.trueProb()[i]).isCloseTo(p[i], within(1e-12));
        }
        assertThat(s.margin()[0]).isCloseTo(p[0] - p[2], within(1e-12));
        assertThat(s.margin()[1]).isCloseTo(p[1] - p[2], within(1e-12));
        assertThat(s.margin()[2]).isCloseTo(p[2] - p[1], within(1e-12));
    }

    @Test
    void randomLogitsStayWithinZeroAndLnK() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        float[][] logits = new float[64][10];
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) {
            double scale = Math.pow(10, rnd.nextInt(-3, 4));
            for (int c = 0; c < 10; c++) {
                logits[i][c] = (float) (rnd.nextGaussian() * scale);
            }
            labels[i] = rnd.nextInt(10);
        }
        LogitScores s = score(logits, labels);
        for (int i = 0; i < 64; i++) {
            double[] p = softmax(logits[i]);
            double h = 0;
            for (double pc : p) {
                h -= pc > 0 ? pc * Math.log(pc) : 0;
            }
            assertThat(s.entropy()[i]).isBetween(0.0, Math.log(10)).isCloseTo(h, within(1e-9));
            assertThat(s.trueProb()[i]).isCloseTo(p[labels[i]], within(1e-12));
        }
    }

    @Test
    void rejectsMismatchedLabels() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.zeros(new Shape(4, 3));
            NDArray y = m.create(new int[] {0, 1});
            assertThatThrownBy(() -> LogitScores.compute(x, y)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4 logits rows but 2 labels");
        }
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }
}
