package org.proxynas.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.proxynas.common.Json;

class LrScheduleAndClippingTest {

    @Test
    void cosineFollowsTorchCosineAnnealing() {
        LrSchedule s = new LrSchedule.Cosine(0.025, 0.001, 50);
        assertThat(s.lr(0)).isEqualTo(0.025);
        assertThat(s.lr(25)).isCloseTo(0.013, within(1e-12));
        assertThat(s.lr(50)).isCloseTo(0.001, within(1e-12));
        assertThat(s.lr(10)).isCloseTo(0.001 + 0.024 * (1 + Math.cos(Math.PI / 5)) / 2, within(1e-15));
        for (int e = 1; e < 50; e++) {
            assertThat(s.lr(e)).isLessThan(s.lr(e - 1));
        }
    }

    @Test
    void multiStepDropsTenfoldAtMilestones() {
        LrSchedule s = new LrSchedule.MultiStep(0.1, List.of(100, 150), 0.1);
        assertThat(s.lr(99)).isEqualTo(0.1);
        assertThat(s.lr(100)).isCloseTo(0.01, within(1e-15));
        assertThat(s.lr(149)).isCloseTo(0.01, within(1e-15));
        assertThat(s.lr(150)).isCloseTo(0.001, within(1e-15));
        assertThat(new LrSchedule.Constant(0.3).lr(1000)).isEqualTo(0.3);
    }

    @Test
    void schedulesRoundTripThroughJson() throws Exception {
        LrSchedule s = new LrSchedule.MultiStep(0.1, List.of(100, 150), 0.1);
        String json = Json.line(s);
        assertThat(json).contains("\"type\":\"multistep\"");
        assertThat(Json.MAPPER.readValue(json, LrSchedule.class)).isEqualTo(s);
    }

    @Test
    void rejectsBadSchedules() {
        assertThatThrownBy(() -> new LrSchedule.MultiStep(0.1, List.of(150, 100), 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[150, 100]");
        assertThatThrownBy(() -> new LrSchedule.Cosine(0.1, 0.2, 10)).hasMessageContaining("eta_min");
    }

    @Test
    void clipsTheGlobalNormLikeTorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.zeros(new ai.djl.ndarray.types.Shape(2));
            NDArray g1 = m.create(new float[] {3f, 4f});
            NDArray g2 = m.create(new float[] {12f});
            List<ParamGrad> ps = List.of(new ParamGrad("a", w, g1), new ParamGrad("b", w, g2));
            assertThat(GradientClipping.clipGlobalNorm(ps, 100)).isCloseTo(13, within(1e-5));
            assertThat(g1.toFloatArray()).containsExactly(3f, 4f);
            assertThat(GradientClipping.clipGlobalNorm(ps, 6.5)).isCloseTo(13, within(1e-5));
            double coef = 6.5 / (13 + 1e-6);
            assertThat((double) g1.getFloat(1)).isCloseTo(4 * coef, within(1e-6));
            assertThat((double) g2.getFloat(0)).isCloseTo(12 * coef, within(1e-6));
        }
    }
}
