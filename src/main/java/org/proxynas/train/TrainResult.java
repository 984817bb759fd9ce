package org.proxynas.train;

import org.proxynas.common.Provenance;

/**
 * {@code result.json}: how the trained network did on the test split.
 *
 * @param finalTestAccuracy test accuracy after the last epoch (the number to report)
 * @param bestTestAccuracy best test accuracy over the epochs, for reference only: picking it would use the
 *     test split for a choice
 * @param parameters trainable parameters of the network as used for inference (auxiliary head excluded,
 *     as DARTS counts)
 * @param wallSeconds training wall time, resumed runs included
 * @param imagesPerSecond mean training throughput (evaluation excluded)
 */
public record TrainResult(
        String dataset,
        String network,
        boolean auxiliaryHead,
        int epochs,
        int trainExamples,
        int testExamples,
        double finalTestAccuracy,
        double finalTestError,
        double bestTestAccuracy,
        int bestEpoch,
        double finalTrainLoss,
        double finalTrainAccuracy,
        long parameters,
        double wallSeconds,
        double imagesPerSecond,
        Provenance provenance) {}
