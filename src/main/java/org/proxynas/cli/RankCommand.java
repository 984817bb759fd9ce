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
@Command(name = "rank", mixinStandardHelpOptions = true,
        description = {"Train a sample of architectures from the DARTS space on all scored data and on each"
                + " method's proxy, with one network and one budget, and report per method how well the proxy"
                + " keeps the full-data order: Kendall τ-b and Spearman ρ with bootstrap 95%% intervals over"
                + " architectures, top-k overlap, and the cost of the proxy trainings.",
            "Writes architectures.json, rank.json and rank.html into --out. Every selection and training is a"
                + " cached stage: a rerun, or one with another method or seed added, trains only what is new."})
final class RankCommand implements Callable<Integer>, LocksOutputDirectory {
    @Parameters(index = "0", paramLabel = "DATASET", description = "Dataset spec, e.g. fashion-mnist.")
    String dataset;

    @Option(names = "--scores", required = true, paramLabel = "FILE",
            description = "scores.csv of proxynas score; all data = every scored example.")
    Path scores;

    @Option(names = "--methods", defaultValue = RankConfig.DEFAULT_METHODS, split = ",", paramLabel = "M,M",
            completionCandidates = Registries.SelectionMethods.class,
            description = "Selection methods to compare: ${COMPLETION-CANDIDATES}; a method's settings follow its"
                    + " name: +balanced (within each class), +p2/+p3 and +bw<width> (proxy), +low<fraction>"
                    + " (entropy-tails), e.g. proxy+balanced (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--ratio", defaultValue = "" + RankConfig.DEFAULT_RATIO,
            description = "Proxy size as a fraction of the scored examples (default: ${DEFAULT-VALUE}).")
    double ratio;

    @Option(names = "--architectures", defaultValue = "" + RankConfig.DEFAULT_ARCHITECTURES, paramLabel = "K",
            description = "Architectures drawn uniformly from the DARTS space, at least 3 (default: ${DEFAULT-VALUE}).")
    int architectures;

    @Option(names = "--genotypes", split = ",", paramLabel = "G,G",
            description = "Extra architectures: built-in names (DARTS_V2, ...) or genotype files, e.g. found cells.")
    List<String> genotypes = List.of();

    @Option(names = "--sample-seed", defaultValue = "0",
            description = "Seed of the architecture sample and of the bootstrap (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @Option(names = "--seeds", defaultValue = "0", split = ",", paramLabel = "S,S",
            description = "Each seed selects the proxies and trains every network anew; accuracies are averaged"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--budget", defaultValue = "epochs", paramLabel = "epochs|steps", converter = BudgetParser.class,
            description = "epochs: a proxy trains the same epochs as all data, so it costs the ratio (the paper's"
                    + " protocol); steps: as many SGD steps as all data gets, so it costs the same"
                    + " (default: ${DEFAULT-VALUE}).")
    RankConfig.Budget budget;

    @Option(names = "--epochs", defaultValue = "" + RankConfig.DEFAULT_EPOCHS,
            description = "Training epochs on all data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--layers", defaultValue = "" + RankConfig.DEFAULT_LAYERS,
            description = "Cells of the trained network (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--channels", defaultValue = "" + RankConfig.DEFAULT_CHANNELS,
            description = "Initial channels C of the trained network (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--batch-size", defaultValue = "" + RankConfig.DEFAULT_BATCH_SIZE,
            description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--test-limit", defaultValue = "0",
            description = "Test on the first N test images, 0 = all (default: ${DEFAULT-VALUE}).")
    int testLimit;

    @Option(names = "--top-k", defaultValue = "" + RankConfig.DEFAULT_TOP_K, paramLabel = "K",
            description = "k of the top-k overlap (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--bin-width", defaultValue = "0",
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
        RankConfig config = RankConfig.builder()
                .setDataset(dataset)
                .setScores(scores)
                .setOut(out)
                .optMethods(methods)
                .optRatio(ratio)
                .optArchitectures(architectures)
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
                .build();
        RankResults results;
        try (StageCluster stageCluster = placement.open(out)) {
            results = RankStudy.run(config, run.context(spec).withResume(resume), stageCluster);
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
}
