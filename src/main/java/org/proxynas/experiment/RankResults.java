package org.proxynas.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.proxynas.common.Provenance;
import org.proxynas.score.ScorerRegime;

/**
 * What {@code rank.json} holds, and an experiment's {@code ranking} section: the config, the architectures
 * with their full-data accuracy, every training and training-free measurement, how well each method keeps the
 * full-data order, how well all data keeps its own order under another seed, and provenance.
 *
 * @param fullAcrossSeeds Kendall's τ-b between the full-data accuracies of the first two seeds: the order all
 *     data itself reproduces, a ceiling for any proxy; null with one seed
 * @param classWarnings the proxies that miss or under-represent classes, in words
 * @param scorer whether the scorer of the study's scores had fit its data; null in results written before it was
 *     recorded
 */
public record RankResults(
        RankConfig config,
        List<Architecture> architectures,
        List<Training> trainings,
        List<Measurement> measurements,
        List<MethodRanking> methods,
        Estimate fullAcrossSeeds,
        List<ClassWarning> classWarnings,
        ScorerRegime scorer,
        Provenance provenance) {

    public RankResults {
        architectures = List.copyOf(architectures);
        trainings = List.copyOf(trainings);
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        methods = List.copyOf(methods);
        classWarnings = classWarnings == null ? List.of() : List.copyOf(classWarnings);
    }

    /**
     * One architecture of the study.
     *
     * @param source how it was named: "sampled" (with the sample's operation bias unless uniform), a built-in
     *     name, a file or a genotype text
     * @param layers the network's cells
     * @param channels its initial channels
     * @param fullAccuracy its test accuracy after training on all data, mean over seeds
     */
    public record Architecture(String name, String source, String genotype, int layers, int channels,
            long parameters, double fullAccuracy) {}

    /**
     * One training: an architecture on one set under one seed.
     *
     * @param method the selection method, or {@code full} for all data
     * @param trainingSeconds the training's wall time without its test pass (it measures, it does not train)
     * @param dir the training's stage directory, relative to the study's
     */
    public record Training(String architecture, String method, long seed, int examples, int epochs,
            long parameters, double testAccuracy, double trainingSeconds, String dir) {}

    /**
     * One training-free measurement: a measure of an untrained architecture under one seed.
     *
     * @param method the measuring method's label ({@code zc:synflow@proxy+balanced})
     * @param examples the examples its batches held (at most the batches' size)
     * @param seconds the measure's own time (the network's construction and the batches' loading excluded)
     * @param dir the measurement's stage directory, relative to the study's
     */
    public record Measurement(String architecture, String method, long seed, int examples, double value,
            double seconds, String dir) {}

    /** A training on all data: its examples and epochs are every full-data training's. */
    @JsonIgnore
    public Training fullTraining() {
        return trainings.stream().filter(t -> t.method().equals(ExperimentConfig.FULL)).findFirst().orElseThrow();
    }

    /** The summed training seconds of {@code method}'s trainings ({@code full}: all data's). */
    public static double trainingSeconds(List<Training> trainings, String method) {
        return trainings.stream().filter(t -> t.method().equals(method)).mapToDouble(Training::trainingSeconds).sum();
    }

    /** A statistic and its bootstrap 95% interval over architectures; NaN where undefined. */
    public record Estimate(double value, double low, double high) {}

    /**
     * How well one method keeps the full-data order of the architectures.
     *
     * @param kind {@code trained} (a data proxy), {@code zero-cost} (a training-free measure) or {@code combined}
     *     (the mean rank of two methods) ({@link RankMethod})
     * @param proxySize the examples a proxy training or a measure reads (the parts' largest for a combination)
     * @param epochs a proxy training's epochs; 0 for a measure or a combination
     * @param values per architecture (in {@link #architectures} order), mean over seeds: test accuracy after training
     *     on the proxy, the measure (undefined values rank last), or the mean of the parts' ranks (ascending, so
     *     higher is better, as for the others)
     * @param topK the share of the k best architectures on all data that are among the k best by this method
     * @param tauVsFirst τ minus the first method's τ, with a paired bootstrap interval; null for the first method
     * @param tauVsParts for a combination, τ minus each part's τ, paired; empty otherwise
     * @param seconds what the method cost: its proxy trainings, its measurements, or both parts', summed
     * @param costRatio {@code seconds} over the full-data trainings' sum
     */
    public record MethodRanking(String method, String kind, double ratio, int proxySize, int epochs,
            List<Double> values, Estimate tau, Estimate rho, double topK, Estimate tauVsFirst,
            List<Estimate> tauVsParts, double seconds, double costRatio) {
        public MethodRanking {
            values = List.copyOf(values);
            tauVsParts = tauVsParts == null ? List.of() : List.copyOf(tauVsParts);
        }
    }
}
