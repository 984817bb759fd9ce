package org.proxynas.learn;

import java.util.List;

/**
 * The result of {@link TrainingLoop#run()}.
 *
 * @param history metrics of every finished epoch, resumed ones included
 * @param complete whether all configured epochs are done (false when stopped early by request)
 * @param wallSeconds training wall time summed over the run and the runs it resumed
 */
public record TrainingOutcome(List<EpochMetrics> history, boolean complete, double wallSeconds) {
    public TrainingOutcome {
        history = List.copyOf(history);
    }

    public int epochsDone() {
        return history.size();
    }

    /** The last epoch's metrics; the run has at least one finished epoch. */
    public EpochMetrics last() {
        return history.get(history.size() - 1);
    }

    /** Training images per second over all epochs (training time only). */
    public double imagesPerSecond() {
        return history.stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(0);
    }
}
