package org.proxynas.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.proxynas.experiment.RankConfig;
import org.proxynas.experiment.RankResults;
import org.proxynas.experiment.RankStudy;
import org.proxynas.experiment.StageCluster;
import org.proxynas.report.ReportBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code proxynas rank}: does training on a proxy keep the order of architectures that all data gives? */
@Command(name = "rank", mixinStandardHelpOptions = true, defaultValueProvider = RankCommand.Defaults.class,
        description = {"Train a sample of architectures from the DARTS space on all scored data and on each"
                + " method's proxy, with one network and one budget, and report per method how well the proxy"
                + " keeps the full-data order: Kendall τ-b and Spearman ρ with bootstrap 95%% intervals over"
                + " architectures, top-k overlap, and the cost of the proxy trainings.",
            "Writes architectures.json, rank.json and rank.html into --out. Every selection and training is a"
                + " cached stage: a rerun, or one with another method or seed added, trains only what is new."})
final class RankCommand implements Callable<Integer>, LocksOutputDirectory {
    /** Every option's default is the ranking study's config's. */
    static final class Defaults extends ConfigDefaults {
        Defaults() {
            super(RankConfig.DEFAULTS);
        }
    }

    @Parameters(index = "0", paramLabel = "DATASET", description = "Dataset spec, e.g. fashion-mnist.")
    String dataset;

    @Option(names = "--scores", required = true, paramLabel = "FILE",
            description = "scores.csv of proxynas score; all data = every scored example.")
    Path scores;

    @Option(names = "--methods", split = ",", paramLabel = "M,M",
            completionCandidates = Registries.RankMethods.class,
            description = "How to rank the architectures, compared with training on all data: ${COMPLETION-CANDIDATES}."
                    + " A selection method trains every architecture on its proxy; its settings follow its name:"
                    + " +balanced (within each class), +p2/+p3 and +bw<width> (proxy), +low<fraction>"
                    + " (entropy-tails). zc:NAME scores the untrained networks from mini-batches of all scored"
                    + " data, zc:NAME@METHOD from that method's proxy; mean:A/B ranks by the mean rank of A and B."
                    + " E.g. proxy+balanced,zc:synflow,mean:proxy+balanced/zc:synflow (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--ratio",
            description = "Proxy size as a fraction of the scored examples (default: ${DEFAULT-VALUE}).")
    double ratio;

    @Option(names = "--architectures", paramLabel = "K",
            description = "Architectures drawn uniformly from the DARTS space, at least 3 (default: ${DEFAULT-VALUE}).")
    int architectures;

    @Option(names = "--genotypes", split = ",", paramLabel = "G,G",
            description = "Extra architectures: built-in names (DARTS_V2, ...) or genotype files, e.g. found cells.")
    List<String> genotypes;

    @Option(names = "--sample-seed",
            description = "Seed of the architecture sample and of the bootstrap (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @Option(names = "--seeds", split = ",", paramLabel = "S,S",
            description = "Each seed selects the proxies and trains every network anew; accuracies are averaged"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--budget", paramLabel = "epochs|steps", converter = BudgetParser.class,
            description = "epochs: a proxy trains the same epochs as all data, so it costs the ratio (the paper's"
                    + " protocol); steps: as many SGD steps as all data gets, so it costs the same"
                    + " (default: ${DEFAULT-VALUE}).")
    RankConfig.Budget budget;

    @Option(names = "--epochs",
            description = "Training epochs on all data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--layers", split = ",", paramLabel = "L,L",
            description = "Cells of the trained networks; with several, each architecture draws its depth from them"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Integer> layers;

    @Option(names = "--channels", split = ",", paramLabel = "C,C",
            description = "Initial channels of the trained networks; with several, each architecture draws its"
                    + " width from them (default: ${DEFAULT-VALUE}).")
    List<Integer> channels;

    @Option(names = "--biases", split = ",", paramLabel = "B,B",
            description = "Operation biases of the sample, --architectures cells each: uniform, parameter-free"
                    + " (pools and skips), convolutions, or parameter-free:SHARE (default: ${DEFAULT-VALUE}).")
    List<String> biases;

    @Option(names = "--zero-cost-batches", paramLabel = "N",
            description = "Mini-batches a training-free measure reads (default: ${DEFAULT-VALUE}).")
    int zeroCostBatches;

    @Option(names = "--zero-cost-batch-size", paramLabel = "B",
            description = "Their size (default: ${DEFAULT-VALUE}).")
    int zeroCostBatchSize;

    @Option(names = "--batch-size",
            description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--test-limit",
            description = "Test on the first N test images, 0 = all (default: ${DEFAULT-VALUE}).")
    int testLimit;

    @Option(names = "--top-k", paramLabel = "K",
            description = "k of the top-k overlap (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--bin-width",
            description = "proxy method: log10-entropy bin width, 0 = the dataset's default"
                    + " (default: ${DEFAULT-VALUE}).")
    double binWidth;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Study directory.")
    Path out;

    @Option(names = "--resume", description = "Continue interrupted trainings from their checkpoints"
            + " (without it an interrupted training starts over; finished ones are always reused).")
    boolean resume;

    @Mixin
    StagePlacement placement;

    @Mixin
    DebugOption debug;

    @Mixin
    RunOptions run;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RankConfig config = config();
        RankResults results;
        try (StageCluster stageCluster = placement.open(out)) {
            results = new RankStudy(config, run.context(spec).withResume(resume), System.err).onCluster(stageCluster)
                    .run();
        }
        ReportBuilder.writeRank(out, results);
        var w = spec.commandLine().getOut();
        w.println();
        w.print(ReportBuilder.rankTable(results));
        w.println();
        w.println("results: " + out.resolve(RankStudy.RESULTS));
        w.println("report:  " + out.resolve(ReportBuilder.RANK_REPORT));
        w.flush();
        return 0;
    }

    @Override
    public Path outputDirectory() {
        return out;
    }

    static final class BudgetParser implements ITypeConverter<RankConfig.Budget> {
        @Override
        public RankConfig.Budget convert(String value) {
            try {
                return RankConfig.Budget.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The ranking study the options describe. */
    RankConfig config() {
        return RankConfig.builder()
                .setDataset(dataset)
                .setScores(scores)
                .setOut(out)
                .optMethods(methods)
                .optRatio(ratio)
                .optArchitectures(architectures)
                .optBiases(biases)
                .optGenotypes(genotypes)
                .optSampleSeed(sampleSeed)
                .optSeeds(seeds)
                .optBudget(budget)
                .optEpochs(epochs)
                .optLayers(layers)
                .optChannels(channels)
                .optBatchSize(batchSize)
                .optTestLimit(testLimit)
                .optTopK(topK)
                .optBinWidth(binWidth)
                .optZeroCostBatches(zeroCostBatches, zeroCostBatchSize)
                .build();
    }
}
