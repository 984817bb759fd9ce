package org.proxynas.nas.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.Objects;
import org.proxynas.common.Require;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.nas.space.CellLayout;
import org.proxynas.select.BinProbability;
import org.proxynas.select.EntropyHistogramSelector;
import org.proxynas.select.RandomSelector;
import org.proxynas.select.SelectionConfig;
import org.proxynas.select.SelectionJob;

/**
 * Everything that determines a search: data, algorithm, supernet shape, both optimizers and the seed.
 * Defaults are DARTS' (Liu et al. 2019, quark0/darts {@code train_search.py}). Where an algorithm has its own default (PC-DARTS' arch lr
 * and partial channels) the field is {@code null} until {@link #resolved()} fills it in, so that
 * config.json always shows the value that ran.
 *
 * @param multiplier the nodes concatenated into a cell's output; null for all of them (DARTS')
 * @param subsetFile a JSON file with an {@code indices} array ({@code proxynas select}), or null for the
 *     whole training split
 * @param trainPortion the first {@code floor(portion·n)} examples train the weights, the rest the
 *     architecture (DARTS' {@code train_portion})
 * @param archLr null for the algorithm's default
 * @param partialChannels PC-DARTS' K (1 = all channels); null for the algorithm's default
 * @param epsilon SDARTS: half-width of the perturbation of softmax(α) at the first epoch (uniform noise
 *     for SDARTS-RS, the attack's ball for SDARTS-ADV)
 * @param epsilonEnd SDARTS: the half-width at the last epoch, ramped linearly; null for the algorithm's
 *     default (SmoothDARTS ramps 0.03 → 0.3, which is SDARTS-ADV's default; SDARTS-RS keeps it constant
 *     at {@code epsilon})
 * @param attackSteps SDARTS-ADV: projected gradient steps of the attack on softmax(α)
 * @param sgas SGAS' criterion and decision schedule; null for the defaults, and null after
 *     {@link #resolved()} for other algorithms
 * @param gdas GDAS' temperature schedule and reduction cell; null for the defaults, and null after
 *     {@link #resolved()} for other algorithms
 * @param archWarmupEpochs epochs with weight steps only (PC-DARTS used 15; DARTS 0)
 * @param reselection adaptive proxy data: the search network re-selects its proxy every few epochs; null after
 *     {@link #resolved()} when off (so the JSON, and a cached stage's key, of a static search is what it was)
 */
public record SearchConfig(
        String dataset,
        Path subsetFile,
        String algorithm,
        int epochs,
        int layers,
        int channels,
        int nodes,
        Integer multiplier,
        int stemMultiplier,
        int batchSize,
        long seed,
        double trainPortion,
        double lr,
        double lrMin,
        double momentum,
        double weightDecay,
        double gradClip,
        Double archLr,
        double archWeightDecay,
        double archBeta1,
        double archBeta2,
        Integer partialChannels,
        double epsilon,
        Double epsilonEnd,
        int attackSteps,
        SgasSettings sgas,
        GdasSettings gdas,
        int archWarmupEpochs,
        @JsonInclude(JsonInclude.Include.NON_NULL) Reselection reselection,
        Path outDir) {

    /**
     * Every setting at its default (the builder's: DARTS'), around the default dataset, algorithm and output, with
     * SGAS' and GDAS' settings at theirs: what the command line's options and an experiment's {@code search}
     * section start from.
     */
    public static final SearchConfig DEFAULTS = builder().setDataset(Datasets.FASHION_MNIST).setAlgorithm("darts")
            .setOutDir(Path.of("search")).optSgas(SgasSettings.DEFAULTS).optGdas(GdasSettings.DEFAULTS)
            .optReselection(Reselection.DEFAULTS).build();

    public SearchConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(outDir, "outDir");
        SearchAlgorithms.require(algorithm);
        Require.positive("epochs", epochs);
        Require.positive("layers", layers);
        Require.positive("channels", channels);
        Require.positive("nodes", nodes);
        Require.positive("batchSize", batchSize);
        Require.positive("stemMultiplier", stemMultiplier);
        if (multiplier != null && (multiplier < 1 || multiplier > nodes)) {
            throw new UserError("multiplier must be in 1.." + nodes + " (the node count), found "
                    + multiplier);
        }
        CellLayout.requireLayers(layers);
        if (!(trainPortion > 0 && trainPortion < 1)) {
            throw new UserError("trainPortion must be in (0, 1), found " + trainPortion);
        }
        Require.positive("lr", lr);
        if (!(lrMin >= 0 && lrMin <= lr)) {
            throw new UserError("lrMin must be in [0, lr=" + lr + "], found " + lrMin);
        }
        Require.fraction("momentum", momentum);
        Require.nonNegative("weightDecay", weightDecay);
        Require.positive("gradClip", gradClip);
        if (archLr != null) {
            Require.positive("archLr", archLr);
        }
        Require.nonNegative("archWeightDecay", archWeightDecay);
        if (!(archBeta1 >= 0 && archBeta1 < 1 && archBeta2 >= 0 && archBeta2 < 1)) {
            throw new UserError("archBeta1/archBeta2 must be in [0, 1), found " + archBeta1 + ","
                    + archBeta2);
        }
        if (partialChannels != null && partialChannels != 1 && partialChannels != 2 && partialChannels != 4) {
            throw new UserError("partialChannels must be 1, 2 or 4, found " + partialChannels);
        }
        if (partialChannels != null && channels % partialChannels != 0) {
            throw new UserError("channels " + channels + " must be divisible by partialChannels "
                    + partialChannels);
        }
        Require.nonNegative("epsilon", epsilon);
        if (epsilonEnd != null) {
            Require.nonNegative("epsilonEnd", epsilonEnd);
        }
        Require.positive("attackSteps", attackSteps);
        if (archWarmupEpochs < 0 || archWarmupEpochs >= epochs) {
            throw new UserError("archWarmupEpochs must be in 0.." + (epochs - 1)
                    + " (below epochs), found " + archWarmupEpochs);
        }
        SearchAlgorithms.Kind kind = SearchAlgorithms.require(algorithm);
        if (kind == SearchAlgorithms.Kind.GDAS && gdas != null && gdas.fixedReduction() && channels % 4 != 0) {
            throw new UserError("reductionCell fixed convolves 2 x channels in 8 groups: channels must be"
                    + " a multiple of 4, found " + channels);
        }
        if (kind == SearchAlgorithms.Kind.SGAS) {
            SgasSettings schedule = sgas != null ? sgas : SgasSettings.DEFAULTS;
            int needed = schedule.lastDecisionEpoch(nodes) + 1;
            if (epochs < needed) {
                throw new UserError("epochs " + epochs + " is too short for sgas: deciding the " + 2 * nodes
                        + " edges of a " + nodes + "-node cell one at a time takes " + needed
                        + " epochs (decisionWarmup " + schedule.decisionWarmup() + " + " + (2 * nodes - 1)
                        + " x decisionFrequency " + schedule.decisionFrequency() + " + 1)");
            }
        }
        if (reselection != null && reselection.on() && reselection.reselectEvery() >= epochs) {
            throw new UserError("reselectEvery must be below epochs " + epochs
                    + " (the first re-selection follows epoch reselectEvery; 0 = off), found "
                    + reselection.reselectEvery());
        }
    }

    /**
     * Adaptive proxy data (issue 37): every {@code reselectEvery} epochs the search network as it stands scores a
     * pool of training examples by the softmax entropy of its predictions (inference mode, current architecture) and
     * a new proxy of the same size is drawn from those entropies by the paper's histogram rule (or, for the control,
     * at random), then split into the weight and architecture halves as the first one was. The rule's settings and
     * defaults are the selection's ({@link SelectionConfig#DEFAULTS}).
     *
     * @param reselectEvery epochs between re-selections; 0 = off (a static proxy, or the whole split)
     * @param reselectMethod {@code proxy} (the histogram rule) or {@code random} (a fresh random subset: the control)
     * @param poolFraction the share of the training split scored at each re-selection, a random part drawn from
     *     (seed, epoch); 1 scores all of it
     * @param poolLimit only the first {@code poolLimit} training examples are ever drawn from (an experiment's
     *     {@code limit}); 0 = all of them
     * @param ratio without a subset file, the first proxy is a random {@code floor(ratio·n)} examples; null
     *     after {@link SearchConfig#resolved()} when a subset file gives the first proxy (and its size)
     * @param probability the histogram rule's bin weighting; null after resolving for {@code random}
     * @param binWidth the histogram's log10 bin width; null for the dataset's default (resolved), and null after
     *     resolving for {@code random}
     * @param balanced draw within each class, in proportion to the pool's classes
     */
    public record Reselection(int reselectEvery, String reselectMethod, double poolFraction, int poolLimit,
            Double ratio, BinProbability probability, Double binWidth, boolean balanced) {
        /** The re-selection methods: the histogram rule and its random control. */
        public static final java.util.List<String> METHODS = java.util.List.of(EntropyHistogramSelector.NAME,
                RandomSelector.NAME);
        /** Off; when on, the selection's rule and ratio, scoring the whole training split. */
        public static final Reselection DEFAULTS = new Reselection(0, EntropyHistogramSelector.NAME, 1.0, 0,
                SelectionConfig.DEFAULTS.ratio(), SelectionConfig.DEFAULTS.probability(),
                SelectionConfig.DEFAULTS.binWidth(), SelectionConfig.DEFAULTS.balanced());

        public Reselection {
            Require.nonNegative("reselectEvery", reselectEvery, "0 = off");
            if (!METHODS.contains(reselectMethod)) {
                throw new UserError("reselectMethod must be one of " + String.join(", ", METHODS) + ", found "
                        + reselectMethod);
            }
            if (!(poolFraction > 0 && poolFraction <= 1)) {
                throw new UserError("poolFraction must be in (0, 1], found " + Require.number(poolFraction));
            }
            Require.atLeast("poolLimit", poolLimit, 0, "0 = the whole training split");
            if (ratio != null) {
                SelectionJob.requireRatio(ratio);
            }
            if (binWidth != null) {
                Require.positive("binWidth", binWidth);
            }
        }

        /** Whether the proxy is re-selected at all. */
        public boolean on() {
            return reselectEvery > 0;
        }

        /** Whether the network scores the pool: the histogram rule reads entropies, the random control does not. */
        public boolean scores() {
            return reselectMethod.equals(EntropyHistogramSelector.NAME);
        }

        /** Whether a re-selection follows the (0-based) epoch {@code epoch} of a search of {@code epochs}. */
        public boolean after(int epoch, int epochs) {
            return on() && (epoch + 1) % reselectEvery == 0 && epoch + 1 < epochs;
        }

        Reselection resolved(String dataset, boolean subsetGiven) {
            boolean histogram = scores();
            return new Reselection(reselectEvery, reselectMethod, poolFraction, poolLimit,
                    subsetGiven ? null : Objects.requireNonNullElse(ratio, SelectionConfig.DEFAULTS.ratio()),
                    histogram ? Objects.requireNonNullElse(probability, BinProbability.P1) : null,
                    histogram ? Objects.requireNonNullElseGet(binWidth,
                            () -> EntropyHistogramSelector.defaultBinWidth(dataset)) : null,
                    balanced);
        }
    }

    /**
     * SGAS' criterion and decision schedule (Li et al. 2020); the defaults are those of the authors'
     * {@code cnn/train_search.py} (lightaime/sgas).
     *
     * @param criterion 1: edge importance × selection certainty; 2: also × selection stability against the
     *     last {@code historySize} epochs ({@code --use_history})
     * @param decisionWarmup epochs before the first decision ({@code warmup_dec_epoch})
     * @param decisionFrequency epochs from one decision to the next ({@code decision_freq})
     * @param historySize epochs of operation distributions criterion 2 compares with ({@code history_size})
     */
    public record SgasSettings(int criterion, int decisionWarmup, int decisionFrequency, int historySize) {
        public static final SgasSettings DEFAULTS = new SgasSettings(1, 9, 5, 4);

        public SgasSettings {
            if (criterion != 1 && criterion != 2) {
                throw new UserError("criterion must be 1 or 2, found " + criterion);
            }
            Require.atLeast("decisionWarmup", decisionWarmup, 0, null);
            Require.positive("decisionFrequency", decisionFrequency);
            Require.positive("historySize", historySize);
        }

        /** Decisions fall on epochs warm-up, warm-up + frequency, ...: SGAS decides an edge at this epoch. */
        public boolean decidesAt(int epoch) {
            return epoch >= decisionWarmup && (epoch - decisionWarmup) % decisionFrequency == 0;
        }

        /**
         * The (0-based) epoch of the last decision: a cell of n nodes keeps 2n edges and every decision fixes
         * one, the others of a node being pruned once it has two.
         */
        public int lastDecisionEpoch(int nodes) {
            return decisionWarmup + decisionFrequency * (2 * nodes - 1);
        }
    }

    /**
     * GDAS (Dong and Yang 2019): the Gumbel-softmax temperature, annealed linearly from {@code tauMax} in the
     * first epoch to {@code tauMin} in the last, and whether the reduction cell is searched or GDAS-FRC's
     * fixed one; defaults from the authors' NASNet-space-search-by-GDAS.sh ({@code --tau_max 10 --tau_min
     * 0.1}, D-X-Y/AutoDL-Projects), whose -FRC variant fixes the reduction cell.
     *
     * @param reductionCell {@code searched} or {@code fixed}
     */
    public record GdasSettings(double tauMax, double tauMin, String reductionCell) {
        public static final GdasSettings DEFAULTS = new GdasSettings(10, 0.1, "searched");

        public GdasSettings {
            Require.positive("tauMin", tauMin);
            if (!(tauMax >= tauMin) || Double.isInfinite(tauMax)) {
                throw new UserError("tauMax must be >= tauMin " + Require.number(tauMin) + ", found "
                        + Require.number(tauMax));
            }
            if (!"searched".equals(reductionCell) && !"fixed".equals(reductionCell)) {
                throw new UserError("reductionCell must be searched or fixed, found " + reductionCell);
            }
        }

        /** GDAS-FRC: the supernet's reduction cells are the hand-designed one, only the normal cell is searched. */
        public boolean fixedReduction() {
            return reductionCell.equals("fixed");
        }

        /** AutoDL's {@code tau_max - (tau_max - tau_min) * epoch / (epochs - 1)}; tauMax for a one-epoch search. */
        public double temperatureAt(int epoch, int epochs) {
            return epochs == 1 ? tauMax : tauMax - (tauMax - tauMin) * epoch / (epochs - 1);
        }
    }




    public static Builder builder() {
        return new Builder();
    }

    /**
     * This config with every algorithm-dependent default made explicit, and the settings of other
     * algorithms dropped, so config.json shows what ran.
     */
    public SearchConfig resolved() {
        SearchAlgorithms.Kind kind = SearchAlgorithms.require(algorithm);
        boolean isSgas = kind == SearchAlgorithms.Kind.SGAS;
        boolean isGdas = kind == SearchAlgorithms.Kind.GDAS;
        return new SearchConfig(dataset, subsetFile, algorithm, epochs, layers, channels, nodes,
                multiplier != null ? multiplier : nodes, stemMultiplier, batchSize, seed, trainPortion, lr, lrMin,
                momentum, weightDecay, gradClip, archLr != null ? archLr : kind.defaultArchLr(), archWeightDecay, archBeta1, archBeta2,
                partialChannels != null ? partialChannels : kind.defaultPartialChannels(), epsilon,
                epsilonEndOrDefault(), attackSteps,
                isSgas ? Objects.requireNonNullElse(sgas, SgasSettings.DEFAULTS) : null,
                isGdas ? Objects.requireNonNullElse(gdas, GdasSettings.DEFAULTS) : null,
                archWarmupEpochs,
                reselection != null && reselection.on() ? reselection.resolved(dataset, subsetFile != null) : null,
                outDir);
    }

    private double epsilonEndOrDefault() {
        if (epsilonEnd != null) {
            return epsilonEnd;
        }
        Double byAlgorithm = SearchAlgorithms.require(algorithm).defaultEpsilonEnd();
        return byAlgorithm != null ? byAlgorithm : epsilon;
    }

    /** The SDARTS perturbation half-width in {@code epoch}, linear from {@code epsilon} to the end value. */
    public double epsilonAt(int epoch) {
        return epsilon + (epsilonEndOrDefault() - epsilon) * epoch / epochs;
    }

    /**
     * The epochs the search runs: {@code epochs}, except that SGAS stops once every edge is decided (its
     * learning rate still follows the cosine over {@code epochs}, as in the authors' code).
     */
    public int epochsToRun() {
        return SearchAlgorithms.require(algorithm) == SearchAlgorithms.Kind.SGAS
                ? Objects.requireNonNullElse(sgas, SgasSettings.DEFAULTS).lastDecisionEpoch(nodes) + 1
                : epochs;
    }

    /** {@code setDataset}, {@code setAlgorithm}, {@code setOutDir} are required; the rest default to DARTS'. */
    public static final class Builder {
        private String dataset;
        private Path subsetFile;
        private String algorithm;
        private int epochs = 50;
        private int layers = 8;
        private int channels = 16;
        private int nodes = 4;
        private Integer multiplier;
        private int stemMultiplier = 3;
        private int batchSize = 64;
        private long seed;
        private double trainPortion = 0.5;
        private double lr = 0.025;
        private double lrMin = 0.001;
        private double momentum = 0.9;
        private double weightDecay = 3e-4;
        private double gradClip = 5;
        private Double archLr;
        private double archWeightDecay = 1e-3;
        private double archBeta1 = 0.5;
        private double archBeta2 = 0.999;
        private Integer partialChannels;
        private double epsilon = 0.03;
        private Double epsilonEnd;
        private int attackSteps = 7;
        private SgasSettings sgas;
        private GdasSettings gdas;
        private int archWarmupEpochs;
        private Reselection reselection;
        private Path outDir;

        private Builder() {}

        public Builder setDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder setAlgorithm(String algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public Builder setOutDir(Path outDir) {
            this.outDir = outDir;
            return this;
        }

        public Builder optSubsetFile(Path subsetFile) {
            this.subsetFile = subsetFile;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder optNodes(int nodes) {
            this.nodes = nodes;
            return this;
        }

        public Builder optMultiplier(Integer multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        public Builder optStemMultiplier(int stemMultiplier) {
            this.stemMultiplier = stemMultiplier;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optTrainPortion(double trainPortion) {
            this.trainPortion = trainPortion;
            return this;
        }

        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder optLrMin(double lrMin) {
            this.lrMin = lrMin;
            return this;
        }

        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optGradClip(double gradClip) {
            this.gradClip = gradClip;
            return this;
        }

        public Builder optArchLr(Double archLr) {
            this.archLr = archLr;
            return this;
        }

        public Builder optArchWeightDecay(double archWeightDecay) {
            this.archWeightDecay = archWeightDecay;
            return this;
        }

        public Builder optArchBetas(double beta1, double beta2) {
            this.archBeta1 = beta1;
            this.archBeta2 = beta2;
            return this;
        }

        public Builder optPartialChannels(Integer partialChannels) {
            this.partialChannels = partialChannels;
            return this;
        }

        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public Builder optEpsilonEnd(Double epsilonEnd) {
            this.epsilonEnd = epsilonEnd;
            return this;
        }

        /** SmoothDARTS' {@code Linf_PGD_alpha} takes 7 steps. */
        public Builder optAttackSteps(int attackSteps) {
            this.attackSteps = attackSteps;
            return this;
        }

        public Builder optSgas(SgasSettings sgas) {
            this.sgas = sgas;
            return this;
        }

        public Builder optGdas(GdasSettings gdas) {
            this.gdas = gdas;
            return this;
        }

        public Builder optArchWarmupEpochs(int archWarmupEpochs) {
            this.archWarmupEpochs = archWarmupEpochs;
            return this;
        }

        /** Adaptive proxy data; null or {@code reselectEvery} 0 for a static search. */
        public Builder optReselection(Reselection reselection) {
            this.reselection = reselection;
            return this;
        }

        public SearchConfig build() {
            if (algorithm == null) {
                throw new UserError("algorithm is required (one of " + SearchAlgorithms.names() + ")");
            }
            return new SearchConfig(dataset, subsetFile, algorithm, epochs, layers, channels, nodes, multiplier,
                    stemMultiplier, batchSize, seed, trainPortion, lr, lrMin, momentum, weightDecay, gradClip,
                    archLr, archWeightDecay, archBeta1, archBeta2, partialChannels, epsilon, epsilonEnd,
                    attackSteps, sgas, gdas, archWarmupEpochs, reselection, outDir);
        }
    }
}
