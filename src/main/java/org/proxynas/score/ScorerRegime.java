package org.proxynas.score;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Whether a scorer is in the regime the paper's method assumes: a baseline that has fit the data it scores, so
 * that almost every example is predicted with near certainty, the log-entropy histogram's dense region is the
 * confident examples and its thin tails are the very easy and the hard ones. P1 thins that dense region and
 * keeps the tails. A scorer that has not fit its data turns this around: the dense region is then the uncertain
 * examples, and P1 favours the few confident ones, mostly of the easiest classes; a scorer trained for a few steps
 * can also be confident and wrong (a one-epoch ResNet-20 of 200 images: 13% right, median entropy 1e-9 nats), which
 * is why accuracy is judged too.
 *
 * <p>The thresholds come from the authors' published CIFAR-10 entropy list (ResNet-20 trained 200 epochs; 50,000
 * rows, {@code entropy_list/cifar10_resnet20_index_entropy_class.txt} in nabk89/NAS-with-Proxy-data): train
 * accuracy ≈ 100%, median entropy 2.8e-5 nats, 5.2% of the examples above 0.1 nats. A scorer is in the regime when
 * it classifies at least {@value #MIN_TRAIN_ACCURACY} of the scored examples right and its median entropy is at
 * most {@value #MAX_MEDIAN_ENTROPY} nats (at least half the examples predicted with probability ≈ 0.999 or more):
 * looser than the authors' scorer by more than two orders of magnitude in entropy, but on the same side of the
 * histogram's turn. Fashion-MNIST's 2,000-image demo set crosses both between 20 and 40 epochs of the small-set
 * recipe (bench/results/scoring-regime.md); a 3-epoch scorer sits at 66% and 1.07 nats.
 *
 * <p>Both measures are those {@code scores.json} records ({@code trainAccuracy}, {@code entropy.quantiles.q0.50}),
 * or the same two computed from a scores table: this class is the one place they are judged.
 *
 * @param trainAccuracy accuracy on the scored examples in eval mode, without augmentation; null when the scores
 *     hold no predictions (a table written by another tool), and then the median entropy judges alone
 * @param medianEntropy the median of their entropies, in nats
 */
@JsonIgnoreProperties(value = {"fitted", "minTrainAccuracy", "maxMedianEntropy"}, allowGetters = true)
public record ScorerRegime(Double trainAccuracy, double medianEntropy) {
    public static final double MIN_TRAIN_ACCURACY = 0.95;
    public static final double MAX_MEDIAN_ENTROPY = 0.01;
    /** What a user can do about a scorer outside the regime, as the warnings say it. */
    public static final String ADVICE = "score with more epochs (for a small set, the small-set recipe: --epochs 40"
            + " --batch-size 64 --schedule cosine --no-augment) or give scores from a scorer that fits the data";

    /** The verdict on the measures of a finished scoring run. */
    public static ScorerRegime of(double trainAccuracy, EntropySummary entropy) {
        return new ScorerRegime(trainAccuracy, entropy.quantiles().get(EntropySummary.key(0.5)));
    }

    /** The verdict on a scores table: its eval-mode predictions against the labels, its entropies' median. */
    public static ScorerRegime of(ScoreTable table) {
        if (!table.hasPredicted()) {
            return new ScorerRegime(null, EntropySummary.of(table.entropy(), table.numClassesSeen())
                    .quantiles().get(EntropySummary.key(0.5)));
        }
        long right = IntStream.range(0, table.size()).filter(i -> table.predicted()[i] == table.label()[i]).count();
        return of((double) right / table.size(), EntropySummary.of(table.entropy(), table.numClassesSeen()));
    }

    /** The verdict on what a {@code scores.json} recorded; empty when it lacks either measure. */
    public static Optional<ScorerRegime> read(JsonNode summary) {
        JsonNode accuracy = summary.path("trainAccuracy");
        JsonNode median = summary.path("entropy").path("quantiles").path(EntropySummary.key(0.5));
        if (!accuracy.isNumber() || !median.isNumber()) {
            return Optional.empty();
        }
        return Optional.of(new ScorerRegime(accuracy.asDouble(), median.asDouble()));
    }

    /** Whether the scorer has fit its data as the paper's did. */
    @JsonProperty
    public boolean fitted() {
        return (trainAccuracy == null || trainAccuracy >= MIN_TRAIN_ACCURACY) && medianEntropy <= MAX_MEDIAN_ENTROPY;
    }

    /** The thresholds, recorded with the verdict so a reader of scores.json sees what it was judged against. */
    @JsonProperty
    public double minTrainAccuracy() {
        return MIN_TRAIN_ACCURACY;
    }

    @JsonProperty
    public double maxMedianEntropy() {
        return MAX_MEDIAN_ENTROPY;
    }

    /** The measures against the thresholds, e.g. "train accuracy 65.7% (regime: >= 95%), median entropy ...". */
    public String describe() {
        String accuracy = trainAccuracy == null ? "train accuracy unknown (the scores hold no predictions)"
                : String.format(Locale.ROOT, "train accuracy %.1f%%", 100 * trainAccuracy);
        return String.format(Locale.ROOT, "%s, median entropy %.2g nats (the paper's regime: >= %.0f%% and <= %s"
                + " nats)", accuracy, medianEntropy, 100 * MIN_TRAIN_ACCURACY, MAX_MEDIAN_ENTROPY);
    }

    /** The one-line warning for a scorer outside the regime, or empty when it is in it. */
    public Optional<String> warning() {
        if (fitted()) {
            return Optional.empty();
        }
        return Optional.of("the scorer has not fit its data (" + describe() + "): the paper's selection assumes"
                + " one that has, whose entropy histogram is dense at the confident end with thin tails, and favours"
                + " other examples than it intends on any other; " + ADVICE);
    }
}
