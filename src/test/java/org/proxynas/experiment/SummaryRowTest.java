package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryRowTest {
    private static RunResult run(String method, long seed, double searchSeconds, double acc) {
        return new RunResult(method, method.equals("full") ? 1.0 : 0.1, seed, "darts", 100, 0.01, searchSeconds,
                method.startsWith("adaptive") ? 1 + seed : 0, method.equals("proxy") ? 30 : 0, 5, "G", 1000, acc, acc,
                method.startsWith("adaptive") ? null : "sel", "search", "eval", "eval/model",
                method.equals("full") ? null : 0.5 + 0.1 * seed);
    }

    @Test
    void averagesOverSeedsRanksAndRelatesSearchTimeToFullData() {
        List<SummaryRow> rows = SummaryRow.summarize(List.of(
                run("full", 0, 100, 0.90), run("full", 1, 120, 0.92),
                run("proxy", 0, 10, 0.91), run("proxy", 1, 12, 0.93),
                run("random", 0, 11, 0.80), run("random", 1, 11, 0.84)));
        assertThat(rows).extracting(SummaryRow::method).containsExactly("full", "proxy", "random");
        SummaryRow full = rows.get(0);
        SummaryRow proxy = rows.get(1);
        SummaryRow random = rows.get(2);
        assertThat(full.searchSecondsMean()).isEqualTo(110.0);
        assertThat(proxy.relativeSearchTime()).isCloseTo(11.0 / 110.0, within(1e-12));
        assertThat(full.relativeSearchTime()).isEqualTo(1.0);
        assertThat(proxy.testAccuracyMean()).isCloseTo(0.92, within(1e-12));
        // sample std of {0.80, 0.84} = 0.02 * sqrt(2)
        assertThat(random.testAccuracyStd()).isCloseTo(0.02 * Math.sqrt(2), within(1e-12));
        assertThat(proxy.scoringSecondsMean()).as("a static proxy's method pays for the scoring").isEqualTo(30.0);
        assertThat(random.scoringSecondsMean()).isZero();
        assertThat(random.classBalanceMean()).isCloseTo(0.55, within(1e-12));
        assertThat(full.classBalanceMean()).isNaN();
        assertThat(proxy.rank()).isEqualTo(1);
        assertThat(full.rank()).isEqualTo(2);
        assertThat(random.rank()).isEqualTo(3);
        assertThat(proxy.seeds()).isEqualTo(2);
    }

    @Test
    void withoutFullDataTheRelativeTimeIsUnknown() {
        List<SummaryRow> rows = SummaryRow.summarize(List.of(run("proxy", 0, 10, 0.9)));
        assertThat(rows.get(0).relativeSearchTime()).isNaN();
        assertThat(rows.get(0).testAccuracyStd()).isZero();
    }

    @Test
    void anAdaptiveRowKeepsItsReselectionTimeApartFromTheSearch() {
        SummaryRow adaptive = SummaryRow.summarize(List.of(run("adaptive", 0, 10, 0.9), run("adaptive", 1, 14, 0.9)))
                .get(0);
        assertThat(adaptive.searchSecondsMean()).isEqualTo(12.0);
        assertThat(adaptive.reselectionSecondsMean()).isEqualTo(1.5);
        assertThat(adaptive.scoringSecondsMean()).isZero();
    }
}
