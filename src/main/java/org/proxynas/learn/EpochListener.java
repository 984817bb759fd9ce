package org.proxynas.learn;

/**
 * Hooks into {@link TrainingLoop}. A listener that accumulates state across epochs (forgetting counts) also
 * implements {@link Checkpointable}, so its state is saved with each epoch checkpoint and restored on resume.
 */
public interface EpochListener {

    /** Before the first batch of {@code epoch} (0-based), e.g. to ramp the drop-path probability. */
    default void onEpochStart(int epoch, int epochs) {}

    /** Whether {@link #onBatch} is wanted: it costs one copy of the predicted classes per batch. */
    default boolean wantsPredictions() {
        return false;
    }

    /**
     * After the forward pass of a training batch: {@code indices} are positions in the training dataset,
     * {@code predicted} the argmax of the main output for each (training mode, before the update).
     */
    default void onBatch(int epoch, int[] indices, int[] predicted) {}

    /** After the epoch's evaluation, before its checkpoint is written. */
    default void onEpochEnd(EpochMetrics metrics) {}
}
