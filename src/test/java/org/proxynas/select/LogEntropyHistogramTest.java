package org.proxynas.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogEntropyHistogramTest {

    @Test
    void valuesOnEdgesAndZeroEntropyLandInExactlyOneBin() {
        // log10: 0 -> stand-in 1e-3 -> -3 (lowest edge), -3, -2 (interior edge), -1.30, -1 (top edge)
        double[] h = {0.0, 1e-3, 1e-2, 0.05, 0.1};
        LogEntropyHistogram hist = LogEntropyHistogram.of(h, 0.5);
        assertThat(hist.zeroStandIn()).isEqualTo(1e-3);
        assertThat(hist.edges()).containsExactly(-3, -2.5, -2, -1.5, -1);
        assertThat(hist.bins(h)).containsExactly(0, 0, 2, 3, 3);
        assertThat(hist.counts()).containsExactly(2, 0, 1, 2);
    }

    @Test
    void edgesStepOutwardFromTheRoundedExtremes() {
        // min v = log10(0.006) = -2.22: round -> -2, step down to -2.5; max v = log10(0.3) = -0.52: round -> -1,
        // step up to -0.5.
        double[] h = {0.006, 0.3, 0.01};
        LogEntropyHistogram half = LogEntropyHistogram.of(h, 0.5);
        assertThat(half.edges()).containsExactly(-2.5, -2, -1.5, -1, -0.5);
        assertThat(half.counts()).containsExactly(1, 1, 0, 1);
        LogEntropyHistogram fifth = LogEntropyHistogram.of(h, 0.2);
        assertThat(fifth.numBins()).isEqualTo(10);
        assertThat(fifth.edges()[0]).isCloseTo(-2.4, within(1e-12));
        assertThat(fifth.edges()[10]).isCloseTo(-0.4, within(1e-12));
        assertThat(fifth.counts()).containsExactly(1, 0, 1, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void roundedExtremesAlreadyOutsideAreKeptAsEdges() {
        // max v = log10(0.25) = -0.60 rounds to -1 (< max), steps to -0.5; min v = -21.3 rounds to -21 (> min),
        // steps to -21.5. The top edge is not pulled in below round(max v) when that is already above max v.
        double[] h = {Math.pow(10, -21.3), 0.25, Math.pow(10, -0.9)};
        LogEntropyHistogram hist = LogEntropyHistogram.of(h, 0.5);
        double[] e = hist.edges();
        assertThat(e[0]).isEqualTo(-21.5);
        assertThat(e[e.length - 1]).isEqualTo(-0.5);
        assertThat(hist.numBins()).isEqualTo(42);
        double[] g = {0.4, 0.45};
        assertThat(LogEntropyHistogram.of(g, 0.25).edges()).containsExactly(-0.5, -0.25, 0.0);
    }

    @Test
    void allEqualAndAllZeroEntropiesGiveOneBin() {
        LogEntropyHistogram zeros = LogEntropyHistogram.of(new double[] {0, 0, 0}, 0.5);
        assertThat(zeros.zeroStandIn()).isEqualTo(Double.MIN_NORMAL);
        assertThat(zeros.counts()).containsExactly(3);
        assertThat(LogEntropyHistogram.of(new double[] {1, 1}, 0.5).edges()).containsExactly(0, 0.5);
    }

    @Test
    void binProbabilitiesMatchHandComputation() {
        int[] counts = {2, 0, 1, 5};
        assertThat(BinProbability.P1.binWeights(counts)).containsExactly(new double[] {0.4, 0, 0.5, 0.1}, within(1e-15));
        assertThat(BinProbability.P2.binWeights(counts)).containsExactly(0.25, 0.25, 0.25, 0.25);
        assertThat(BinProbability.P3.binWeights(counts))
                .containsExactly(new double[] {0.5 / 1.7, 0, 1 / 1.7, 0.2 / 1.7}, within(1e-15));
        int[] bins = {0, 0, 2, 3, 3, 3, 3, 3};
        assertThat(BinProbability.P1.exampleProbabilities(counts, bins))
                .containsExactly(new double[] {0.2, 0.2, 0.5, 0.02, 0.02, 0.02, 0.02, 0.02}, within(1e-15));
        assertThat(BinProbability.P2.exampleProbabilities(counts, bins))
                .containsExactly(new double[] {1 / 6.0, 1 / 6.0, 1 / 3.0, 1 / 15.0, 1 / 15.0, 1 / 15.0, 1 / 15.0,
                    1 / 15.0}, within(1e-15));
        assertThat(BinProbability.P3.exampleProbabilities(counts, bins))
                .containsExactly(new double[] {0.25 / 1.7, 0.25 / 1.7, 1 / 1.7, 0.04 / 1.7, 0.04 / 1.7, 0.04 / 1.7,
                    0.04 / 1.7, 0.04 / 1.7}, within(1e-15));
    }
}
