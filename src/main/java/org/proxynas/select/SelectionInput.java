package org.proxynas.select;

import java.util.Optional;
import org.proxynas.common.UserError;
import org.proxynas.score.Embeddings;
import org.proxynas.score.ScoreTable;

/**
 * What a selector may look at: the score table, the baseline's embeddings when they were computed (k-center
 * needs them), and the number of classes of the dataset (at least the classes seen in the labels).
 */
public record SelectionInput(ScoreTable scores, Optional<Embeddings> embeddings, int numClasses) {

    public SelectionInput {
        if (scores.size() == 0) {
            throw new UserError("the score table is empty: nothing to select from");
        }
        int seen = scores.numClassesSeen();
        if (numClasses < seen) {
            throw new UserError("labels go up to " + (seen - 1) + " but the dataset has "
                    + numClasses + " classes");
        }
        embeddings.ifPresent(e -> {
            if (e.n() != scores.size()) {
                throw new UserError("embeddings have " + e.n() + " rows, scores have "
                        + scores.size());
            }
        });
    }

    /** Scores only, classes inferred from the labels. */
    public static SelectionInput of(ScoreTable scores) {
        return new SelectionInput(scores, Optional.empty(), scores.numClassesSeen());
    }

    public int size() {
        return scores.size();
    }

    /** Examples per class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : scores.label()) {
            counts[l]++;
        }
        return counts;
    }

    /** The examples of class {@code c}, ascending. */
    public int[] classMembers(int c) {
        int[] labels = scores.label();
        int count = 0;
        for (int l : labels) {
            if (l == c) {
                count++;
            }
        }
        int[] members = new int[count];
        int j = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                members[j++] = i;
            }
        }
        return members;
    }

    /** The input restricted to {@code rows} (row {@code j} of the result is row {@code rows[j]} here). */
    public SelectionInput subset(int[] rows) {
        return new SelectionInput(scores.subset(rows), embeddings.map(e -> e.subset(rows)), numClasses);
    }
}
