package org.proxynas.experiment;

/**
 * One finished pipeline run: a proxy (method, ratio, seed), the cell searched on it, and that cell's
 * test accuracy after training with the experiment's training budget.
 *
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
        double trainingSeconds,
        String genotype,
        long params,
        double testAccuracy,
        double bestTestAccuracy,
        String selectionDir,
        String searchDir,
        String trainingDir,
        String modelDir) {

    /** The group this run is averaged in: same method, ratio and algorithm, across seeds. */
    public String group() {
        return method + "|" + ratio + "|" + algorithm;
    }
}
