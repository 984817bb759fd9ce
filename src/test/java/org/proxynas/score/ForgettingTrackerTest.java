package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.proxynas.common.UserError;

class ForgettingTrackerTest {
    /** Example i has label 0; {@code script[e][i]} says whether it is classified correctly at epoch e. */
    private static void play(ForgettingTracker t, boolean[][] script, int fromEpoch, int toEpoch) {
        for (int e = fromEpoch; e < toEpoch; e++) {
            int n = script[e].length;
            int[] idx = new int[n];
            int[] pred = new int[n];
            for (int k = 0; k < n; k++) {
                idx[k] = n - 1 - k; // presentation order within an epoch does not matter
                pred[k] = script[e][idx[k]] ? 0 : 1;
            }
            t.record(idx, pred);
        }
    }

    private static final boolean T = true;
    private static final boolean F = false;
    // columns: always right, right-wrong-right-wrong, never right, learned late, wrong-right-wrong-wrong, flip-flop
    private static final boolean[][] SCRIPT = {
        {T, T, F, F, F, T},
        {T, F, F, F, T, F},
        {T, T, F, F, F, T},
        {T, F, F, T, F, F},
        {T, T, F, T, F, T},
    };

    @Test
    void countsCorrectToIncorrectTransitions() {
        ForgettingTracker t = new ForgettingTracker(new int[6]);
        play(t, SCRIPT, 0, SCRIPT.length);
        assertThat(t.counts()).containsExactly(0, 2, 5, 0, 1, 2);
        assertThat(t.neverLearned()).isEqualTo(1);
    }

    @Test
    void neverLearnedOutranksEveryLearnedExample() {
        ForgettingTracker t = new ForgettingTracker(new int[] {0, 0});
        for (int e = 0; e < 6; e++) {
            boolean right = e % 2 == 0; // example 0: right, wrong, right, ... = the most events possible
            t.record(new int[] {0, 1}, new int[] {right ? 0 : 1, 1});
        }
        int[] c = t.counts();
        assertThat(c[0]).isEqualTo(3);
        assertThat(c[1]).isEqualTo(6).isGreaterThan(c[0]);
    }

    @Test
    void unseenExamplesCountZero() {
        ForgettingTracker t = new ForgettingTracker(new int[3]);
        t.record(new int[] {0}, new int[] {1});
        assertThat(t.counts()).containsExactly(1, 0, 0);
        assertThat(t.neverLearned()).isEqualTo(1);
    }

    @Test
    void stateRoundTripContinuesExactly() throws IOException {
        ForgettingTracker whole = new ForgettingTracker(new int[6]);
        play(whole, SCRIPT, 0, SCRIPT.length);

        ForgettingTracker first = new ForgettingTracker(new int[6]);
        play(first, SCRIPT, 0, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        first.saveState(new DataOutputStream(bytes));
        ForgettingTracker resumed = new ForgettingTracker(new int[6]);
        resumed.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        play(resumed, SCRIPT, 2, SCRIPT.length);

        assertThat(resumed.counts()).containsExactly(whole.counts());
    }

    @Test
    void rejectsStateOfAnotherSize() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ForgettingTracker(new int[4]).saveState(new DataOutputStream(bytes));
        ForgettingTracker other = new ForgettingTracker(new int[5]);
        assertThatThrownBy(() -> other.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isInstanceOf(UserError.class).hasMessageContaining("holds 4 examples, this run has 5");
    }

    @Test
    void rejectsIndexOutsideDataset() {
        ForgettingTracker t = new ForgettingTracker(new int[2]);
        assertThatThrownBy(() -> t.record(new int[] {2}, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 2 outside 0..1");
    }
}
