package org.proxynas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.search.SearchJob;
import org.proxynas.nas.search.SearchResult;
import org.proxynas.select.BinProbability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proxynas search}: a DARTS-family architecture search on a dataset or a proxy subset of it. */
@Command(
        name = "search",
        defaultValueProvider = SearchCommand.Defaults.class,
        mixinStandardHelpOptions = true,
        description = {
            "Searches a cell with DARTS (1st/2nd order), PC-DARTS, SDARTS (random smoothing or adversarial), SGAS "
                    + "or GDAS on the training split or a proxy subset of it, split 50/50 into weight-training and "
                    + "architecture-validation halves.",
            "Writes config.json, log.jsonl, genotype.txt/.json, cell-normal/reduce.dot (and .png with Graphviz), "
                    + "search.json and a checkpoint every epoch into --out."
        })
public final class SearchCommand implements Callable<Integer> {
    /** Every option's default is the search config's. */
    static final class Defaults extends ConfigDefaults {
        Defaults() {
            super(SearchConfig.DEFAULTS);
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            return arg instanceof OptionSpec o && o.longestName().equals("--arch-betas")
                    ? text(SearchConfig.DEFAULTS.archBeta1()) + "," + text(SearchConfig.DEFAULTS.archBeta2())
                    : super.defaultValue(arg);
        }
    }

    @Mixin
    DebugOption debug;

    @Mixin
    RunOptions run;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "Dataset spec, e.g. fashion-mnist.")
    String dataset;

    @Option(names = "--subset", paramLabel = "FILE",
            description = "Proxy set: JSON with an \"indices\" array (proxynas select) (default: the whole training split).")
    Path subset;

    @Option(names = {"--algo", "--algorithm"},
            completionCandidates = Registries.SearchAlgorithmNames.class,
            description = "Search algorithm: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--epochs",
            description = "Search epochs; sgas stops once every edge is decided (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--layers", description = "Cells in the supernet (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--channels", description = "Initial channels C (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--nodes", description = "Intermediate nodes per cell (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--multiplier",
            description = "Nodes concatenated into a cell's output (default: all of them, --nodes).")
    Integer multiplier;

    @Option(names = "--stem-multiplier", description = "Stem width = this x C (default: ${DEFAULT-VALUE}).")
    int stemMultiplier;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-portion",
            description = "Fraction of the data (in order) that trains the weights; the rest validates the "
                    + "architecture (default: ${DEFAULT-VALUE}).")
    double trainPortion;

    @Option(names = "--lr", description = "Weight SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--lr-min",
            description = "Cosine-annealed learning rate at the end (default: ${DEFAULT-VALUE}).")
    double lrMin;

    @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", description = "SGD weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--grad-clip", description = "Gradient global-norm clip (default: ${DEFAULT-VALUE}).")
    double gradClip;

    @Option(names = "--arch-lr",
            description = "Architecture Adam learning rate (default: 3e-4; 6e-4 for pc-darts).")
    Double archLr;

    @Option(names = "--arch-weight-decay",
            description = "Architecture Adam weight decay (default: ${DEFAULT-VALUE}).")
    double archWeightDecay;

    @Option(names = "--arch-betas", split = ",", paramLabel = "B1,B2",
            description = "Architecture Adam betas (default: ${DEFAULT-VALUE}).")
    double[] archBetas;

    @Option(names = "--arch-warmup-epochs",
            description = "Epochs of weight steps only before the architecture moves; PC-DARTS used 15 "
                    + "(default: ${DEFAULT-VALUE}).")
    int archWarmupEpochs;

    @Option(names = "--partial-channels",
            description = "PC-DARTS' K, 1/K of the channels go through the mixed op: 1, 2 or 4 (default: 4 for "
                    + "pc-darts, else 1).")
    Integer partialChannels;

    @Option(names = "--epsilon",
            description = "sdarts-rs/-adv: perturbation half-width on softmax(alpha) in the first epoch (default: "
                    + "${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--epsilon-end",
            description = "sdarts-rs/-adv: half-width at the last epoch, ramped linearly (default: 0.3 for "
                    + "sdarts-adv, as SmoothDARTS; --epsilon, constant, for sdarts-rs).")
    Double epsilonEnd;

    @Option(names = "--attack-steps",
            description = "sdarts-adv: projected gradient steps of size 2*epsilon/steps per attack (default: "
                    + "${DEFAULT-VALUE}).")
    int attackSteps;

    @Option(names = "--criterion",
            description = "sgas: 1 = edge importance x selection certainty, 2 = also x selection stability "
                    + "(default: ${DEFAULT-VALUE}).")
    int criterion;

    @Option(names = "--decision-warmup",
            description = "sgas: epochs before the first edge decision (default: ${DEFAULT-VALUE}).")
    int decisionWarmup;

    @Option(names = "--decision-frequency",
            description = "sgas: epochs between edge decisions; the search needs --decision-warmup + "
                    + "(2 x nodes - 1) x this + 1 epochs (default: ${DEFAULT-VALUE}).")
    int decisionFrequency;

    @Option(names = "--history-size",
            description = "sgas --criterion 2: epochs of operation distributions stability is measured against "
                    + "(default: ${DEFAULT-VALUE}).")
    int historySize;

    @Option(names = "--tau-max",
            description = "gdas: Gumbel-softmax temperature in the first epoch (default: ${DEFAULT-VALUE}).")
    double tauMax;

    @Option(names = "--tau-min",
            description = "gdas: temperature in the last epoch, annealed linearly (default: ${DEFAULT-VALUE}).")
    double tauMin;

    @Option(names = "--reduction-cell",
            description = "gdas: searched, or fixed to GDAS-FRC's hand-designed cell so only the normal cell is "
                    + "searched (default: ${DEFAULT-VALUE}).")
    String reductionCell;

    @Option(names = "--reselect-every", paramLabel = "K",
            description = "Adaptive proxy data: every K epochs the search network scores --pool-fraction of the "
                    + "training split by the entropy of its predictions and a new proxy of the same size is drawn "
                    + "with --reselect-method; without --subset the first proxy is a random --ratio of the split, so "
                    + "no scoring stage is needed; 0 = off (default: ${DEFAULT-VALUE}).")
    int reselectEvery;

    @Option(names = "--reselect-method", completionCandidates = ReselectMethods.class,
            description = "With --reselect-every: proxy (the paper's histogram rule, --probability, --bin-width, "
                    + "on the network's entropies) or random (a fresh random subset: the control) (default: "
                    + "${DEFAULT-VALUE}).")
    String reselectMethod;

    @Option(names = "--pool-fraction", paramLabel = "F",
            description = "With --reselect-every: the share of the training split scored at each re-selection, a "
                    + "random part drawn from (seed, epoch) (default: ${DEFAULT-VALUE}).")
    double poolFraction;

    @Option(names = "--pool-limit", paramLabel = "N",
            description = "With --reselect-every: draw proxies from the first N training examples only; 0 = all "
                    + "(default: ${DEFAULT-VALUE}).")
    int poolLimit;

    @Option(names = "--ratio",
            description = "With --reselect-every and no --subset: the first proxy is a random floor(ratio*N) of the "
                    + "training split (default: ${DEFAULT-VALUE}).")
    double ratio;

    @Option(names = "--probability",
            description = "With --reselect-every: the histogram rule's bin weighting, p1, p2 or p3 (default: "
                    + "${DEFAULT-VALUE}).")
    String probability;

    @Option(names = "--bin-width",
            description = "With --reselect-every: the histogram's bin width in log10 units (default: 0.5 CIFAR-10, "
                    + "0.25 CIFAR-100/ImageNet/folder, 0.2 SVHN, 0.5 others).")
    Double binWidth;

    @Option(names = "--balanced",
            description = "With --reselect-every: draw each proxy within each class, in proportion to the pool's "
                    + "classes.")
    boolean balanced;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--resume", description = "Continue the search checkpointed in --out.")
    boolean resume;

    @Option(names = "--json", description = "Print the result as JSON instead of a table.")
    boolean json;


    @Override
    public Integer call() throws Exception {
        SearchConfig config = config();
        SearchResult r = SearchJob.run(config, run.context(spec).withResume(resume));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.pretty(r));
        } else {
            w.printf(Locale.ROOT, "algorithm        %s%n", r.algorithm());
            w.printf(Locale.ROOT, "genotype         %s%n", r.genotype().toDartsString());
            w.printf(Locale.ROOT, "best (epoch %d)   %s%n", r.bestEpoch() + 1, r.bestGenotype().toDartsString());
            w.printf(Locale.ROOT, "val accuracy     %.4f final, %.4f best%n", r.finalValAccuracy(),
                    r.bestValAccuracy());
            w.printf(Locale.ROOT, "search time      %.1f s, %.1f images/s%n", r.wallSeconds(), r.imagesPerSecond());
            if (r.reselections() > 0) {
                w.printf(Locale.ROOT, "re-selections    %d, %.1f s (search without them %.1f s)%n", r.reselections(),
                        r.reselectionSeconds(), r.secondsWithoutReselection());
            }
            w.printf(Locale.ROOT, "peak RSS         %.0f MB%n", r.peakRssBytes() / 1e6);
            w.printf(Locale.ROOT, "output           %s%n", r.outDir());
        }
        w.flush();
        return 0;
    }

    /** The search the options describe. */
    SearchConfig config() {
        if (archBetas.length != 2) {
            throw new UserError("--arch-betas expects two numbers B1,B2, found "
                    + Arrays.toString(archBetas));
        }
        return SearchConfig.builder()
                .setDataset(dataset)
                .setAlgorithm(algorithm)
                .setOutDir(out)
                .optSubsetFile(subset)
                .optEpochs(epochs)
                .optLayers(layers)
                .optChannels(channels)
                .optNodes(nodes)
                .optMultiplier(multiplier)
                .optStemMultiplier(stemMultiplier)
                .optBatchSize(batchSize)
                .optSeed(seed)
                .optTrainPortion(trainPortion)
                .optLr(lr)
                .optLrMin(lrMin)
                .optMomentum(momentum)
                .optWeightDecay(weightDecay)
                .optGradClip(gradClip)
                .optArchLr(archLr)
                .optArchWeightDecay(archWeightDecay)
                .optArchBetas(archBetas[0], archBetas[1])
                .optArchWarmupEpochs(archWarmupEpochs)
                .optPartialChannels(partialChannels)
                .optEpsilon(epsilon)
                .optEpsilonEnd(epsilonEnd)
                .optAttackSteps(attackSteps)
                .optSgas(new SearchConfig.SgasSettings(criterion, decisionWarmup, decisionFrequency, historySize))
                .optGdas(new SearchConfig.GdasSettings(tauMax, tauMin, reductionCell))
                .optReselection(new SearchConfig.Reselection(reselectEvery, reselectMethod, poolFraction, poolLimit, ratio,
                        BinProbability.parse(probability), binWidth, balanced))
                .build();
    }

    /** The re-selection methods, for help and completion. */
    static final class ReselectMethods implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return SearchConfig.Reselection.METHODS.iterator();
        }
    }
}
