package org.proxynas.learn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Something whose state must survive a resume: optimizers (momentum buffers, step counts) and training
 * listeners that accumulate across epochs (forgetting counts). The training loop writes every
 * checkpointable's state into the epoch checkpoint and reads it back, in the same order, on resume.
 */
public interface Checkpointable {

    void saveState(DataOutputStream out) throws IOException;

    /** Replaces the current state by what {@link #saveState} wrote; a mismatch is an {@link IOException}. */
    void loadState(DataInputStream in) throws IOException;
}
