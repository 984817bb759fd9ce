package org.proxynas.select;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.proxynas.score.ScoreTable;

class ClassShortfallTest {
    /** 80 examples, 20 of each of 4 classes (class = index % 4). */
    private static final SelectionInput INPUT = new SelectionInput(ScoreTable.of(
            IntStream.range(0, 80).map(i -> i % 4).toArray(), IntStream.range(0, 80).mapToDouble(i -> 0.1).toArray()),
            Optional.empty(), 4);

    private static String shortfall(int... indices) {
        return SelectionStats.of(INPUT, indices, 0.5).classShortfall(List.of("a", "b", "c", "d"));
    }

    @Test
    void namesMissingClassesAndThoseUnderAQuarterOfTheirShare() {
        // all 20 of class a, one b (1/24 = 4.2% < 25% / 4), three c (12.5%, kept), no d
        int[] selected = IntStream.concat(IntStream.range(0, 20).map(i -> 4 * i),
                IntStream.of(1, 2, 6, 10)).sorted().toArray();
        assertThat(shortfall(selected)).isEqualTo("misses 1 of 4 classes (d) and holds 1 class at under a quarter"
                + " of its share in the full set (b 4.2% vs 25.0%)");
    }

    @Test
    void saysNothingWhenEveryClassKeepsAQuarterOfItsShare() {
        // shares 50%, 25%, 12.5%, 12.5%: none under 6.25%
        assertThat(shortfall(0, 4, 8, 12, 1, 5, 2, 3)).isNull();
        assertThat(shortfall(IntStream.range(0, 80).toArray())).isNull();
    }

    @Test
    void namesClassesByIndexWithoutNames() {
        assertThat(SelectionStats.of(INPUT, new int[] {0, 1, 2}, 0.5).classShortfall(List.of()))
                .isEqualTo("misses 1 of 4 classes (class 3)");
    }
}
