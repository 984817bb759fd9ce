package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EntropySummaryTest {
    @Test
    void statisticsByHand() {
        EntropySummary s = EntropySummary.of(new double[] {0.4, 0.0, 0.1, 0.3, 0.2}, 10);
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.mean()).isCloseTo(0.2, within(1e-15));
        assertThat(s.min()).isEqualTo(0.0);
        assertThat(s.max()).isEqualTo(0.4);
        assertThat(s.lnClasses()).isCloseTo(Math.log(10), within(1e-15));
        // numpy.quantile([0, .1, .2, .3, .4], .25) = 0.1; at .9: position 3.6 -> 0.36
        assertThat(s.quantiles().get("q0.25")).isCloseTo(0.1, within(1e-15));
        assertThat(s.quantiles().get("q0.50")).isCloseTo(0.2, within(1e-15));
        assertThat(s.quantiles().get("q0.90")).isCloseTo(0.36, within(1e-15));
        assertThat(s.quantiles()).hasSize(EntropySummary.LEVELS.length);
    }
}
