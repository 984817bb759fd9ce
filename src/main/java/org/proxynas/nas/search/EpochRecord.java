package org.proxynas.nas.search;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of {@code log.jsonl}: the state of the search after epoch {@code epoch} (0-based). Only
 * {@code seconds} and {@code imagesPerSecond} depend on the machine's speed; everything else is a pure
 * function of the config and seed, so a resumed run logs the same lines as an uninterrupted one.
 *
 * @param lr the weights' learning rate during the epoch
 * @param architecture softmax(α) of both cell types and β̂ when the algorithm has edge weights
 * @param genotype the cell derived from the architecture after the epoch, in DARTS' text form
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochRecord(
        int epoch,
        double lr,
        double trainLoss,
        double trainAccuracy,
        double valLoss,
        double valAccuracy,
        boolean architectureUpdated,
        ArchitectureSnapshot architecture,
        String genotype,
        double seconds,
        double imagesPerSecond) {}
