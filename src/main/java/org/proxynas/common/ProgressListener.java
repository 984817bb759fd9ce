package org.proxynas.common;

import java.io.IOException;

/**
 * Where a running stage reports progress: the bars of its long loops, and each finished epoch with the record
 * it logged. The command line draws bars on the console; an experiment or a cluster task can watch the epochs
 * too. A listener that throws from {@link #epochDone} stops the stage after that epoch's checkpoint, so the
 * stage can be resumed from it.
 */
public interface ProgressListener {
    /** Bars on stderr, no epoch events: what a command-line run wants. */
    ProgressListener CONSOLE = new ProgressListener() {};

    /** A bar for a loop of {@code total} units (steps, batches, images). */
    default Progress bar(String task, long total, String unit) {
        return Progress.start(task, total, unit);
    }

    /**
     * Epoch {@code epoch} (0-based) of {@code stage} ("search", "train") is done and checkpointed; {@code record}
     * is the line it wrote to its log.
     */
    default void epochDone(String stage, int epoch, Object record) throws IOException {}

    /** Something the user should know about how the stage runs, that does not stop it (on stderr by default). */
    default void note(String message) {
        System.err.println("proxynas: note: " + message);
    }
}
