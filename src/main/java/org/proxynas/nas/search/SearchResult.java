package org.proxynas.nas.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import org.proxynas.nas.space.Genotype;

/**
 * What a finished search found and what it cost.
 *
 * @param genotype the cell after the last epoch (what DARTS reports)
 * @param bestGenotype the cell after the epoch with the best architecture-validation accuracy
 * @param epochs epochs searched: {@code --epochs}, fewer for SGAS, which stops once every edge is decided
 * @param wallSeconds search time summed over all sessions of a resumed run (setup and output excluded), the
 *     re-selections of an adaptive search included
 * @param imagesPerSecond training images per second of search time (DARTS counts the weight batches)
 * @param reselections how often an adaptive search re-selected its proxy (0 for a static one)
 * @param reselectionSeconds the time those re-selections took, part of {@code wallSeconds}
 * @param peakRssBytes the process' peak resident memory (VmHWM), 0 where /proc is unavailable
 */
public record SearchResult(
        String algorithm,
        Genotype genotype,
        Genotype bestGenotype,
        int bestEpoch,
        double bestValAccuracy,
        double finalValAccuracy,
        int epochs,
        double wallSeconds,
        double imagesPerSecond,
        int reselections,
        double reselectionSeconds,
        long peakRssBytes,
        Path outDir) {

    /** The search time without the re-selections (in {@code search.json} too): the search's own cost. */
    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
    public double secondsWithoutReselection() {
        return wallSeconds - reselectionSeconds;
    }
}
