package org.proxynas.learn;

/**
 * What one epoch did; one line of {@code log.jsonl}. Test metrics are null when the run has no test set.
 *
 * @param epoch 1-based number of the finished epoch
 * @param lr learning rate used during the epoch
 * @param trainLoss mean cross-entropy of the main output over the epoch's training batches (training mode)
 * @param trainAccuracy fraction of training examples whose main output was right, in training mode
 * @param testLoss mean cross-entropy on the test set in evaluation mode
 * @param testAccuracy accuracy on the test set in evaluation mode
 * @param seconds wall time of the epoch, evaluation included
 * @param imagesPerSecond training images per second of training time (evaluation excluded)
 */
public record EpochMetrics(
        int epoch,
        double lr,
        double trainLoss,
        double trainAccuracy,
        Double testLoss,
        Double testAccuracy,
        double seconds,
        double imagesPerSecond) {}
