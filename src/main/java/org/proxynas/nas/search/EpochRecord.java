package org.proxynas.nas.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.SortedMap;

/**
 * One line of {@code log.jsonl}: the state of the search after epoch {@code epoch} (0-based). Only
 * {@code seconds} and {@code imagesPerSecond} depend on the machine's speed; everything else is a pure
 * function of the config and seed, so a resumed run logs the same lines as an uninterrupted one.
 *
 * @param lr the weights' learning rate during the epoch
 * @param architecture softmax(α) of both cell types and β̂ when the algorithm has edge weights
 * @param genotype the cell found after the epoch ({@link SearchAlgorithm#genotype}), in DARTS' text form
 * @param algorithmInfo what the algorithm adds ({@link SearchAlgorithm#endEpoch}): SGAS' decisions, GDAS'
 *     temperature, SDARTS-ADV's perturbation; absent for the others. Sorted by key, so a resumed run
 *     writes the same line.
 * @param reselection the re-selection of an adaptive search's proxy that followed this epoch; absent otherwise
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
        SortedMap<String, Object> algorithmInfo,
        double seconds,
        double imagesPerSecond,
        ReselectionRecord reselection) {}
