package org.proxynas.score;

import java.util.List;
import org.proxynas.common.Provenance;
import org.proxynas.learn.EpochMetrics;

/**
 * {@code scores.json}: what a scoring run scored, with which baseline and how well that baseline did,
 * so a scores file can be traced to its dataset (by content checksum) and its recipe. The selection stage
 * reads {@code dataset} and {@code datasetSha256} from it.
 *
 * @param examples rows of scores.csv (the first {@code examples} training examples, all unless --limit)
 * @param datasetExamples size of the whole training split
 * @param epochs epochs the baseline was trained here (0 when an existing --model was scored)
 * @param training metrics of every training epoch (training mode, augmented); empty for --model
 * @param trainAccuracy accuracy on the scored examples in eval mode, without augmentation
 * @param testAccuracy accuracy on the first {@code testExamples} examples of the test split (eval mode)
 * @param testLoss mean cross-entropy on those test examples
 * @param regime whether the baseline has fit the scored examples as the paper's did ({@link ScorerRegime})
 * @param forgettingTracked whether the forgetting column was filled (only when training happens here)
 * @param neverLearned examples never classified correctly during training (-1 if not tracked)
 * @param normalizationMean per-channel mean the images were normalized with (pixel/255 space)
 * @param normalizationStd per-channel standard deviation, likewise
 * @param trainingSeconds training wall time, summed over the runs a resumed training went through
 * @param scoringSeconds the eval-mode passes over the training examples and the test examples
 * @param wallSeconds this invocation, start to end
 */
public record ScoringSummary(
        String dataset,
        String datasetSha256,
        int examples,
        int datasetExamples,
        List<String> classNames,
        String arch,
        long parameters,
        int epochs,
        List<EpochMetrics> training,
        long seed,
        double trainAccuracy,
        double testAccuracy,
        double testLoss,
        int testExamples,
        boolean forgettingTracked,
        int neverLearned,
        EntropySummary entropy,
        ScorerRegime regime,
        float[] normalizationMean,
        float[] normalizationStd,
        String scores,
        String scoresSha256,
        String model,
        String modelSha256,
        String embeddings,
        double trainingSeconds,
        double scoringSeconds,
        double wallSeconds,
        ScoringConfig config,
        Provenance provenance) {

    public ScoringSummary {
        classNames = List.copyOf(classNames);
        training = List.copyOf(training);
        normalizationMean = normalizationMean.clone();
        normalizationStd = normalizationStd.clone();
    }
}
