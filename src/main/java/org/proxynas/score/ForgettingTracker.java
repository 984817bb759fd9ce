package org.proxynas.score;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.proxynas.common.UserError;
import org.proxynas.learn.Checkpointable;
import org.proxynas.learn.EpochListener;

/**
 * Forgetting events (Toneva et al., ICLR 2019) counted while the baseline trains: an event is a
 * presentation at which an example is misclassified after being classified correctly at its previous
 * presentation. Presentations are the training forward passes (augmented, train mode), one per example per
 * epoch, exactly as in Toneva et al.
 *
 * <p>An example never classified correctly gets its number of presentations as count. A learned example
 * with p presentations has at most floor(p/2) events, so never-learned examples always rank as the most
 * forgotten, which is how the paper's forgetting baseline treats them, while the count stays a small
 * honest integer (not a sentinel like Integer.MAX_VALUE) that survives CSV files and sums.
 */
public final class ForgettingTracker implements EpochListener, Checkpointable {
    private static final byte WRONG = 1;
    private static final byte RIGHT = 2;
    private static final int STATE_MAGIC = 0x46524754; // "FRGT"

    private final int[] labels;
    private final byte[] previous; // outcome of the last presentation; 0 before the first
    private final boolean[] learned;
    private final int[] events;
    private final int[] presentations;

    /** Tracks the examples whose true classes are {@code labels}, in dataset order. */
    public ForgettingTracker(int[] labels) {
        this.labels = labels.clone();
        int n = labels.length;
        this.previous = new byte[n];
        this.learned = new boolean[n];
        this.events = new int[n];
        this.presentations = new int[n];
    }

    @Override
    public boolean wantsPredictions() {
        return true;
    }

    @Override
    public void onBatch(int epoch, int[] indices, int[] predicted) {
        record(indices, predicted);
    }

    /** One presentation of each example in {@code indices}, predicted as {@code predicted} (same order). */
    public void record(int[] indices, int[] predicted) {
        if (indices.length != predicted.length) {
            throw new UserError(indices.length + " indices but " + predicted.length + " predictions");
        }
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new UserError("example index " + i + " outside 0.." + (labels.length - 1));
            }
            byte now = predicted[k] == labels[i] ? RIGHT : WRONG;
            if (previous[i] == RIGHT && now == WRONG) {
                events[i]++;
            }
            if (now == RIGHT) {
                learned[i] = true;
            }
            previous[i] = now;
            presentations[i]++;
        }
    }

    /** Forgetting count per example, in dataset order (never learned: its number of presentations). */
    public int[] counts() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = learned[i] ? events[i] : presentations[i];
        }
        return out;
    }

    /** Number of examples never classified correctly at any presentation so far. */
    public int neverLearned() {
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (!learned[i] && presentations[i] > 0) {
                n++;
            }
        }
        return n;
    }

    /** Writes the state so that a resumed run continues counting exactly where this one stopped. */
    @Override
    public void saveState(DataOutputStream out) throws IOException {
        out.writeInt(STATE_MAGIC);
        out.writeInt(labels.length);
        out.write(previous);
        for (int i = 0; i < labels.length; i++) {
            out.writeBoolean(learned[i]);
            out.writeInt(events[i]);
            out.writeInt(presentations[i]);
        }
    }

    /** Restores a state written by {@link #saveState} for the same number of examples. */
    @Override
    public void loadState(DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != STATE_MAGIC) {
            throw new UserError("forgetting-tracker state: bad magic 0x" + Integer.toHexString(magic)
                    + " (expected 0x" + Integer.toHexString(STATE_MAGIC) + ")");
        }
        int n = in.readInt();
        if (n != labels.length) {
            throw new UserError("forgetting-tracker state holds " + n + " examples, this run has " + labels.length);
        }
        in.readFully(previous);
        for (int i = 0; i < n; i++) {
            learned[i] = in.readBoolean();
            events[i] = in.readInt();
            presentations[i] = in.readInt();
        }
    }
}
