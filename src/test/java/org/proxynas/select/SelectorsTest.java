package org.proxynas.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.proxynas.score.ScoreTable;

class SelectorsTest {
    private static final SelectionInput INPUT = SyntheticScores.input(1000, 10, 8, 42);

    static Stream<Arguments> everyMethod() {
        return Selectors.METHODS.stream().flatMap(m -> Stream.of(Arguments.of(m, false), Arguments.of(m, true)));
    }

    @ParameterizedTest(name = "{0} balanced={1}")
    @MethodSource("everyMethod")
    void exactSizeDistinctInRangeAndDeterministic(String method, boolean balanced) {
        Selector selector = Selectors.create(method, SelectorOptions.defaults().withBalanced(balanced));
        for (int size : new int[] {1, 100, 333, 1000}) {
            SelectorChoice r = selector.select(INPUT, size, 7);
            int[] idx = r.indices();
            assertThat(idx).hasSize(size);
            assertThat(Arrays.stream(idx).distinct().count()).isEqualTo(size);
            assertThat(idx).isSorted();
            assertThat(idx[0]).isGreaterThanOrEqualTo(0);
            assertThat(idx[size - 1]).isLessThan(INPUT.size());
            assertThat(selector.select(INPUT, size, 7)).isEqualTo(r);
        }
        assertThat(selector.name()).isEqualTo(method);
    }

    @ParameterizedTest(name = "{0} balanced={1}")
    @MethodSource("everyMethod")
    void seedChangesRandomMethodsOnly(String method, boolean balanced) {
        Selector selector = Selectors.create(method, SelectorOptions.defaults().withBalanced(balanced));
        int[] a = selector.select(INPUT, 100, 1).indices();
        int[] b = selector.select(INPUT, 100, 2).indices();
        assertThat(Arrays.equals(a, b)).isEqualTo(!selector.usesSeed());
    }

    @Test
    void balancedKeepsClassProportions() {
        SelectorChoice r = Selectors.create(EntropyTopSelector.NAME, SelectorOptions.defaults().withBalanced(true))
                .select(INPUT, 100, 0);
        int[] full = INPUT.classCounts();
        int[] chosen = new int[full.length];
        for (int i : r.indices()) {
            chosen[INPUT.scores().label(i)]++;
        }
        for (int c = 0; c < full.length; c++) {
            assertThat((double) chosen[c]).isCloseTo(full[c] / 10.0, org.assertj.core.data.Offset.offset(1.0));
        }
        assertThat(r.parameters()).containsEntry("balanced", true);
    }

    @Test
    void randomBalancedTakesTheSameCountPerClass() {
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i < 70 ? 0 : i < 95 ? 1 : 2;
        }
        SelectionInput in = SelectionInput.of(ScoreTable.of(labels, new double[100]));
        int[] counts = new int[3];
        for (int i : new ClassBalancedRandomSelector().select(in, 32, 3).indices()) {
            counts[labels[i]]++;
        }
        // class 2 holds 5, so its share beyond that goes to the others; the odd one to class 0.
        assertThat(counts).containsExactly(14, 13, 5);
    }

    @Test
    void proxyOverRepresentsSparseTailsComparedWithRandom() {
        double[] h = SyntheticScores.skewedEntropies(20_000, 5);
        SelectionInput in = SelectionInput.of(ScoreTable.of(new int[h.length], h));
        double proxyTail = tailFraction(new EntropyHistogramSelector(0.5, BinProbability.P1).select(in, 2000, 1), h);
        double randomTail = tailFraction(new RandomSelector().select(in, 2000, 1), h);
        assertThat(randomTail).isBetween(0.07, 0.13);
        assertThat(proxyTail).isGreaterThan(3 * randomTail);
    }

    private static double tailFraction(SelectorChoice r, double[] h) {
        return Arrays.stream(r.indices()).filter(i -> h[i] < 1e-4 || h[i] > 0.25).count() / (double) r.size();
    }

    @Test
    void entropyRankingsTakeTheRightEnds() {
        double[] h = {0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.0, 0.6, 0.4};
        SelectionInput in = SelectionInput.of(ScoreTable.of(new int[10], h));
        assertThat(new EntropyTopSelector().select(in, 3, 0).indices()).containsExactly(2, 4, 6);
        assertThat(new EntropyBottomSelector().select(in, 3, 0).indices()).containsExactly(1, 5, 7);
        assertThat(new EntropyTailsSelector(0.5).select(in, 4, 0).indices()).containsExactly(1, 2, 6, 7);
        assertThat(new EntropyTailsSelector(0.25).select(in, 4, 0).indices()).containsExactly(2, 4, 6, 7);
    }

    @Test
    void tiesNeverDuplicateInTails() {
        SelectionInput in = SelectionInput.of(ScoreTable.of(new int[10], new double[10]));
        assertThat(new EntropyTailsSelector(0.5).select(in, 10, 0).indices()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7,
                8, 9);
        assertThat(new EntropyTopSelector().select(in, 3, 0).indices()).containsExactly(0, 1, 2);
    }

    @Test
    void forgettingTakesMostForgottenThenHigherEntropy() {
        int[] forgetting = {0, 3, 3, 1, 5, 3, 0};
        double[] h = {0.9, 0.1, 0.4, 0.8, 0.0, 0.3, 0.7};
        SelectionInput in = SelectionInput.of(ScoreTable.of(new int[7], h).withForgetting(forgetting));
        assertThat(new ForgettingSelector().select(in, 3, 0).indices()).containsExactly(2, 4, 5);
        assertThat(new ForgettingSelector().select(in, 5, 0).indices()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void methodsLackingInputsSaySo() {
        SelectionInput in = SelectionInput.of(ScoreTable.of(new int[5], new double[5]));
        assertThat(new ForgettingSelector().missingInput(in)).contains("needs the forgetting column in the scores file");
        assertThat(new KCenterSelector().missingInput(in)).contains("needs embeddings");
        assertThatThrownBy(() -> new KCenterSelector().select(in, 2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method kcenter needs embeddings");
    }

    @Test
    void badRequestsAreUserErrors() {
        assertThatThrownBy(() -> new RandomSelector().select(INPUT, 1001, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and the 1000");
        assertThatThrownBy(() -> Selectors.create("best", SelectorOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown method 'best'");
    }

    @Test
    void quotasRespectCapacities() {
        assertThat(ClassQuotas.equal(new int[] {10, 1, 10}, 9)).containsExactly(4, 1, 4);
        assertThat(ClassQuotas.equal(new int[] {3, 3, 3}, 5)).containsExactly(2, 2, 1);
        assertThat(ClassQuotas.proportional(new int[] {50, 30, 20}, 10)).containsExactly(5, 3, 2);
        assertThat(ClassQuotas.proportional(new int[] {1, 1, 1}, 2)).containsExactly(1, 1, 0);
        assertThat(ClassQuotas.proportional(new int[] {7, 0, 3}, 10)).containsExactly(7, 0, 3);
    }

    @Test
    void defaultBinWidthsFollowThePaper() {
        assertThat(EntropyHistogramSelector.defaultBinWidth("cifar10:/data")).isEqualTo(0.5);
        assertThat(EntropyHistogramSelector.defaultBinWidth("cifar100:/data")).isEqualTo(0.25);
        assertThat(EntropyHistogramSelector.defaultBinWidth("folder:/imagenet/train")).isEqualTo(0.25);
        assertThat(EntropyHistogramSelector.defaultBinWidth("svhn:/data")).isEqualTo(0.2);
        assertThat(EntropyHistogramSelector.defaultBinWidth("fashion-mnist")).isEqualTo(0.5);
    }
}
