package org.proxynas.nas.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.SplittableRandom;
import org.proxynas.common.Seeds;
import org.proxynas.common.UserError;
import org.proxynas.data.DataLoader;
import org.proxynas.data.DataLoader.Batch;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.score.LogitScores;
import org.proxynas.score.ScoreTable;
import org.proxynas.select.EntropyHistogramSelector;
import org.proxynas.select.MethodLabel;
import org.proxynas.select.RandomSelector;
import org.proxynas.select.SelectionInput;
import org.proxynas.select.Selector;
import org.proxynas.select.SelectorOptions;
import org.proxynas.select.Selectors;

/**
 * Adaptive proxy data ({@link SearchConfig.Reselection}): draws an adaptive search's first proxy when no subset file
 * gives one, and each later one from the search network's entropies on a pool of the training split. A re-selection
 * is a pure function of (seed, epoch, network state): the pool and the draw take their generators from the seed and
 * the epoch, and the network is only read, in inference mode.
 */
final class Reselector {
    private static final long FIRST_STREAM = 0x5e1ec6;
    private static final long POOL_STREAM = 0x5e1ec7;
    private static final long DRAW_STREAM = 0x5e1ec8;

    private final SearchConfig.Reselection settings;
    private final ImageDataset all;
    private final long seed;
    private final int batchSize;
    private final Normalization normalization;
    private final Selector selector;

    /** {@code all} is the training split; only its first {@code poolLimit} examples are drawn from, if set. */
    Reselector(SearchConfig c, ImageDataset all, Normalization normalization) {
        this.settings = c.reselection();
        this.all = drawable(c, all);
        this.seed = c.seed();
        this.batchSize = c.batchSize();
        this.normalization = normalization;
        SelectorOptions options = new SelectorOptions(
                settings.binWidth() != null ? settings.binWidth() : EntropyHistogramSelector.DEFAULT_BIN_WIDTH,
                settings.probability() != null ? settings.probability() : SearchConfig.Reselection.DEFAULTS.probability(),
                MethodLabel.DEFAULT_LOW_FRACTION, settings.balanced());
        this.selector = Selectors.create(settings.reselectMethod(), options);
    }

    /** The examples an adaptive search draws from: the split, or its first {@code poolLimit} examples. */
    static ImageDataset drawable(SearchConfig c, ImageDataset all) {
        return all.head(c.reselection().poolLimit(), "poolLimit");
    }

    /**
     * The first proxy of an adaptive search without a subset file: {@code floor(ratio·n)} of the {@code n}
     * drawable examples at random.
     */
    static int[] firstProxy(SearchConfig c, int n) {
        int size = org.proxynas.select.SelectionJob.sizeForRatio(c.reselection().ratio(), n);
        int[] chosen = RandomSelector.sample(n, size, new SplittableRandom(Seeds.stream(c.seed(), FIRST_STREAM)));
        Arrays.sort(chosen);
        return chosen;
    }

    /** Refuses a pool smaller than the proxy it must refill, before anything runs. */
    void requirePool(int proxySize) {
        int pool = poolSize();
        if (pool < proxySize) {
            throw new UserError("poolFraction " + settings.poolFraction() + " scores " + pool + " of the "
                    + all.size() + " training examples, fewer than the proxy's " + proxySize);
        }
    }

    private int poolSize() {
        return (int) Math.floor(settings.poolFraction() * all.size());
    }

    /** A new proxy and its record. */
    record Outcome(int[] subset, ReselectionRecord record) {}

    /**
     * The proxy after epoch {@code epoch}: scores the pool with {@code model} as it stands (batch-norm in inference
     * mode, the algorithm's evaluation mixing) and draws {@code previous.length} examples by the rule. Adds the
     * new proxy to {@code seen}.
     */
    Outcome reselect(SearchModel model, SearchAlgorithm algorithm, NDManager root, int epoch, int[] previous,
            BitSet seen) {
        long t0 = System.nanoTime();
        int[] pool = pool(epoch);
        int[] labels = all.labels();
        int[] poolLabels = new int[pool.length];
        for (int i = 0; i < pool.length; i++) {
            poolLabels[i] = labels[pool[i]];
        }
        double[] entropy = selector.usesScores() ? entropies(model, algorithm, root, pool)
                : new double[pool.length];
        SelectionInput input = new SelectionInput(ScoreTable.of(poolLabels, entropy), Optional.empty(),
                all.numClasses());
        int[] rows = selector.select(input, previous.length, Seeds.stream(Seeds.stream(seed, DRAW_STREAM), epoch))
                .indices();
        int[] subset = new int[rows.length];
        int[] classCounts = new int[all.numClasses()];
        double selectedEntropy = 0;
        for (int j = 0; j < rows.length; j++) {
            subset[j] = pool[rows[j]];
            classCounts[poolLabels[rows[j]]]++;
            selectedEntropy += entropy[rows[j]];
        }
        Arrays.sort(subset);
        BitSet before = new BitSet(all.size());
        for (int i : previous) {
            before.set(i);
        }
        int kept = 0;
        int fresh = 0;
        for (int i : subset) {
            kept += before.get(i) ? 1 : 0;
            fresh += seen.get(i) ? 0 : 1;
            seen.set(i);
        }
        double poolEntropy = Arrays.stream(entropy).sum();
        boolean scored = selector.usesScores();
        ReselectionRecord record = new ReselectionRecord(settings.reselectMethod() + (settings.balanced() ? "+balanced"
                : ""), pool.length, subset.length, classCounts, (double) kept / subset.length,
                (double) fresh / subset.length, (double) seen.cardinality() / all.size(),
                scored ? Double.valueOf(poolEntropy / pool.length) : null,
                scored ? Double.valueOf(selectedEntropy / subset.length) : null, (System.nanoTime() - t0) / 1e9);
        return new Outcome(subset, record);
    }

    /** The training examples scored after epoch {@code epoch}, ascending: all of them, or a random part. */
    private int[] pool(int epoch) {
        int n = all.size();
        int size = poolSize();
        if (size == n) {
            int[] every = new int[n];
            Arrays.setAll(every, i -> i);
            return every;
        }
        int[] part = RandomSelector.sample(n, size, new SplittableRandom(Seeds.stream(Seeds.stream(seed, POOL_STREAM), epoch)));
        Arrays.sort(part);
        return part;
    }

    /** The softmax entropy (nats, as {@code proxynas score} computes it) of the network's prediction per example. */
    private double[] entropies(SearchModel model, SearchAlgorithm algorithm, NDManager root, int[] pool) {
        DataLoader loader = DataLoader.builder().setDataset(all.subset(pool)).setBatchSize(batchSize)
                .optShuffle(false).optNormalization(normalization).build();
        double[] entropy = new double[pool.length];
        for (Iterator<Batch> it = loader.epoch(root, 0); it.hasNext(); ) {
            try (Batch b = SearchJob.aligned(it.next()); NDManager m = root.newSubManager()) {
                NDArray logits = model.inferenceLogits(m, b, algorithm.evaluationMixing(model, m));
                double[] h = LogitScores.compute(logits, b.labels()).entropy();
                int[] at = b.indices();
                for (int j = 0; j < h.length; j++) {
                    entropy[at[j]] = h[j];
                }
            }
        }
        return entropy;
    }
}
