package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Values computed by hand (pairs listed in the comments); scipy.stats agrees with each. */
class RankCorrelationTest {
    @Test
    void withoutTies() {
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {3, 1, 2, 5, 4};
        // discordant pairs: (1,2) (1,3) (4,5); the other 7 of 10 are concordant: (7 - 3) / 10
        assertThat(RankCorrelation.kendallTauB(x, y)).isCloseTo(0.4, within(1e-12));
        // rank differences -2, 1, 1, -1, 1: 1 - 6 * 8 / (5 * 24)
        assertThat(RankCorrelation.spearmanRho(x, y)).isCloseTo(0.6, within(1e-12));
    }

    /** τ-b, not τ-a: tied pairs leave the denominator; ρ gives tied values their average rank. */
    @Test
    void withTies() {
        double[] x = {1, 2, 2, 3};
        double[] y = {1, 3, 2, 2};
        // concordant (1,2) (1,3) (1,4), discordant (2,4), tied in x (2,3), in y (3,4): 2 / sqrt(5 * 5)
        // (tau-a would be 2 / 6)
        assertThat(RankCorrelation.kendallTauB(x, y)).isCloseTo(0.4, within(1e-12));
        // ranks x 1, 2.5, 2.5, 4 and y 1, 4, 2.5, 2.5: covariance 2.25 over variances 4.5
        assertThat(RankCorrelation.spearmanRho(x, y)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aConstantMeasurementHasNoOrderToAgreeWith() {
        double[] x = {1, 2, 3};
        double[] flat = {0.1, 0.1, 0.1};
        assertThat(RankCorrelation.kendallTauB(x, flat)).isNaN();
        assertThat(RankCorrelation.spearmanRho(flat, x)).isNaN();
        assertThat(RankCorrelation.kendallTauB(x, x)).isEqualTo(1.0);
        assertThat(RankCorrelation.kendallTauB(x, new double[] {3, 2, 1})).isEqualTo(-1.0);
    }

    @Test
    void topKOverlapIsTheShareOfTheBestKept() {
        double[] full = {0.9, 0.8, 0.7, 0.6};
        double[] proxy = {0.7, 0.9, 0.6, 0.8};
        assertThat(RankCorrelation.topKOverlap(full, proxy, 2)).isEqualTo(0.5); // {0, 1} vs {1, 3}
        assertThat(RankCorrelation.topKOverlap(full, proxy, 1)).isEqualTo(0.0);
        assertThat(RankCorrelation.topKOverlap(full, proxy, 4)).isEqualTo(1.0);
    }

    @Test
    void theBootstrapIntervalIsFixedByItsSeedAndHoldsThePointEstimate() {
        double[] full = {0.81, 0.79, 0.84, 0.72, 0.77, 0.80, 0.69, 0.83, 0.75, 0.78};
        double[] proxy = {0.52, 0.55, 0.60, 0.41, 0.50, 0.49, 0.44, 0.58, 0.47, 0.57};
        double tau = RankCorrelation.kendallTauB(full, proxy);
        RankCorrelation.Statistic statistic = items -> RankCorrelation.kendallTauB(RankCorrelation.pick(full, items),
                RankCorrelation.pick(proxy, items));
        RankCorrelation.Interval a = RankCorrelation.bootstrap(full.length, 3, statistic);

        assertThat(RankCorrelation.bootstrap(full.length, 3, statistic)).isEqualTo(a);
        assertThat(RankCorrelation.bootstrap(full.length, 4, statistic)).isNotEqualTo(a);
        assertThat(a.low()).isLessThan(tau).isGreaterThanOrEqualTo(-1);
        assertThat(a.high()).isGreaterThan(tau).isLessThanOrEqualTo(1);
    }

    @Test
    void anIntervalOfAnUndefinedStatisticIsUndefined() {
        RankCorrelation.Interval none = RankCorrelation.bootstrap(5, 0, items -> Double.NaN);
        assertThat(none.low()).isNaN();
        assertThat(none.high()).isNaN();
    }
}
