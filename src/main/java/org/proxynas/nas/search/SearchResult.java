package org.proxynas.nas.search;

import java.nio.file.Path;
import org.proxynas.nas.space.Genotype;

/**
 * What a finished search found and what it cost.
 *
 * @param genotype the cell after the last epoch (what DARTS reports)
 * @param bestGenotype the cell after the epoch with the best architecture-validation accuracy
 * @param epochs epochs searched: {@code --epochs}, fewer for SGAS, which stops once every edge is decided
 * @param wallSeconds search time summed over all sessions of a resumed run (setup and output excluded)
 * @param imagesPerSecond training images per second of search time (DARTS counts the weight batches)
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
        long peakRssBytes,
        Path outDir) {}
