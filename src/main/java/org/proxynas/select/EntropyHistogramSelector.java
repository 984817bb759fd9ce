package org.proxynas.select;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.proxynas.common.UserError;

/**
 * The paper's selection (Na et al. 2021): histogram the log10-entropies, weight each bin by a
 * {@link BinProbability} rule, give each example its bin's weight shared among the bin's examples, and draw
 * without replacement. Sparse bins — the very easy and very hard tails — are heavily favoured; the crowded
 * middle is thinned.
 */
public final class EntropyHistogramSelector implements Selector {
    public static final String NAME = "proxy";
    /** Bin width for datasets the paper did not use (Fashion-MNIST, IDX files): CIFAR-10's, also 10 classes. */
    public static final double DEFAULT_BIN_WIDTH = 0.5;

    private final double binWidth;
    private final BinProbability probability;

    public EntropyHistogramSelector(double binWidth, BinProbability probability) {
        if (!(binWidth > 0) || Double.isInfinite(binWidth)) {
            throw new UserError("binWidth must be a positive number, found " + binWidth);
        }
        this.binWidth = binWidth;
        this.probability = probability;
    }

    /**
     * The paper's bin width for a dataset spec: 0.5 for CIFAR-10, 0.25 for CIFAR-100 and ImageNet (and image
     * folders, which is how ImageNet is read), 0.2 for SVHN, {@link #DEFAULT_BIN_WIDTH} otherwise.
     */
    public static double defaultBinWidth(String datasetSpec) {
        String kind = datasetSpec == null ? "" : datasetSpec.split(":", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "cifar10" -> 0.5;
            case "cifar100", "imagenet", "folder" -> 0.25;
            case "svhn" -> 0.2;
            default -> DEFAULT_BIN_WIDTH;
        };
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("binWidth", binWidth, "probability", probability.toString());
    }

    @Override
    public int[] choose(SelectionInput in, int size, long seed) {
        double[] entropy = in.scores().entropy();
        LogEntropyHistogram histogram = LogEntropyHistogram.of(entropy, binWidth);
        double[] p = probability.exampleProbabilities(histogram.counts(), histogram.bins(entropy));
        return WeightedSampler.sample(p, size, new SplittableRandom(seed));
    }
}
