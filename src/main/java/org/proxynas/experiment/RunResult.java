package org.proxynas.experiment;

/**
 * One finished pipeline run: a proxy (method, ratio, seed), the cell searched on it, and that cell's
 * test accuracy after training with the experiment's training budget.
 *
 * @param searchSeconds the search's time, an adaptive search's re-selections included
 * @param reselectionSeconds the part of it an adaptive search spent re-selecting its proxy (0 for a static one)
 * @param scoringSeconds the time of the scoring stage a static proxy's method reads (0 for one that reads no scores:
 *     {@code random}, {@code full}, the adaptive methods), which it costs on top of selection and search
 * @param selectionDir the selection stage's directory; null for an adaptive method, which has none
 * @param classBalance smallest over largest per-class count of the proxy searched on (1 = even): a static proxy's;
 *     for an adaptive search the mean over its re-selected proxies; null for {@code full}
 * @param modelDir the trained cell's model directory, relative to the experiment directory (for
 *     {@code proxynas predict} and {@code export}); null for trainings that wrote none (before ProxyNAS wrote them)
 */
public record RunResult(
        String method,
        double ratio,
        long seed,
        String algorithm,
        int proxySize,
        double selectionSeconds,
        double searchSeconds,
        double reselectionSeconds,
        double scoringSeconds,
        double trainingSeconds,
        String genotype,
        long params,
        double testAccuracy,
        double bestTestAccuracy,
        String selectionDir,
        String searchDir,
        String trainingDir,
        String modelDir,
        Double classBalance) {

    /** The group this run is averaged in: same method, ratio and algorithm, across seeds. */
    public String group() {
        return method + "|" + ratio + "|" + algorithm;
    }
}
