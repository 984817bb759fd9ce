package org.proxynas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.select.BinProbability;
import org.proxynas.select.MethodLabel;
import org.proxynas.select.EntropyHistogramSelector;
import org.proxynas.select.SelectionJob.Comparison;
import org.proxynas.select.SelectionJob.LoadedScores;
import org.proxynas.select.SelectionJob;
import org.proxynas.select.ProxySet;
import org.proxynas.select.SelectionConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code proxynas select}: choose a proxy set from a score file, or compare every method on it. */
@Command(name = "select", mixinStandardHelpOptions = true, defaultValueProvider = SelectCommand.Defaults.class,
        description = "Choose a proxy subset of the training set from per-example scores (step 2), or compare "
                + "all selection methods with --compare.")
public final class SelectCommand implements Callable<Integer> {
    /** Every option's default is the selection config's, but for the size: --ratio or --size is the user's. */
    static final class Defaults extends ConfigDefaults {
        Defaults() {
            super(SelectionConfig.DEFAULTS);
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            return arg instanceof OptionSpec o && o.longestName().equals("--ratio") ? null : super.defaultValue(arg);
        }
    }

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec spec;

    @Option(names = "--scores", description = "Score file from 'proxynas score' (default: ${DEFAULT-VALUE}).")
    Path scores;

    @Option(names = "--method",
            completionCandidates = Registries.SelectionMethods.class,
            description = "Selection method: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, the paper's).")
    String method;

    @Option(names = "--ratio", description = "Fraction of the training set to keep, in (0, 1]; size = floor(ratio*N). Give this or --size.")
    Double ratio;

    @Option(names = "--size", description = "Number of examples to keep. Give this or --ratio.")
    Integer size;

    @Option(names = "--seed", description = "Seed of the random methods (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Where to write the proxy set (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--plot", description = "Also write a PNG: entropy histogram and class distribution, selected vs full.")
    Path plot;

    @Option(names = "--export", description = "Also write the proxy set as a dataset in the source's format into this directory (needs the dataset).")
    Path export;

    @Option(names = "--dataset", description = "Dataset spec the scores belong to (default: the one named in scores.json next to the scores).")
    String dataset;

    @Option(names = "--embeddings", description = "Embeddings file from 'proxynas score' (needed by kcenter).")
    Path embeddings;

    @Option(names = "--bin-width", description = "Histogram bin width in log10 units (default: 0.5 CIFAR-10, 0.25 CIFAR-100/ImageNet/folder, 0.2 SVHN, 0.5 others).")
    Double binWidth;

    @Option(names = "--probability", description = "Bin weighting of the proxy method: p1, p2 or p3 (default: ${DEFAULT-VALUE}).")
    String probability;

    @Option(names = "--low-fraction", description = "entropy-tails: share of the set taken from the low-entropy end (default: ${DEFAULT-VALUE}).")
    double lowFraction;

    @Option(names = "--balanced", description = "Stratify by class: split the size over classes in proportion and run the method within each.")
    boolean balanced;

    @Option(names = "--compare", description = "Run every method at this size and print one table instead of writing a proxy set.")
    boolean compare;

    @Option(names = "--json", description = "Print the result as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (compare && (export != null || plot != null)) {
            throw new UserError("--compare prints a table; it does not take --export or --plot");
        }
        SelectionConfig config = config();
        PrintWriter w = spec.commandLine().getOut();
        if (compare) {
            LoadedScores loaded = SelectionJob.load(scores, embeddings, dataset);
            int n = loaded.input().size();
            int count = config.count(n);
            List<Comparison> rows = SelectionJob.compare(loaded, config.options(loaded.dataset().orElse(null)),
                    count, seed);
            w.print(json ? Json.pretty(rows) + "\n" : table(rows, n, count));
        } else {
            // selection computes in Java on the CPU: no --device
            RunContext context = RunContext.of(RunOptions.recordedCommand(spec), ComputeDevice.CPU);
            ProxySet set = SelectionJob.run(config, context);
            w.print(json ? Json.pretty(set) + "\n" : summary(set));
            PrintWriter err = spec.commandLine().getErr();
            set.scorerWarning().ifPresent(warning -> err.println("proxynas select: warning: " + warning));
            if (set.classShortfall() != null) {
                err.println("proxynas select: warning: the proxy set " + set.classShortfall()
                        + (balanced ? "" : "; --balanced selects within each class"));
            }
            err.flush();
        }
        w.flush();
        return 0;
    }

    /** The selection the options describe. */
    SelectionConfig config() {
        SelectionConfig config = SelectionConfig.builder()
                .setScores(scores)
                .setOut(out)
                .setRatio(ratio)
                .setSize(size)
                .optEmbeddings(embeddings)
                .optDataset(dataset)
                .optMethod(method)
                .optSeed(seed)
                .optBinWidth(binWidth)
                .optProbability(BinProbability.parse(probability))
                .optLowFraction(lowFraction)
                .optBalanced(balanced)
                .optPlot(plot)
                .optExport(export)
                .build();
        // a flag the method does not read is refused rather than ignored, by the rule studies' method labels
        // follow; checked here, not in the config, because a study gives all its methods one resolved bin width
        new MethodLabel(method, balanced, BinProbability.parse(probability), binWidth == null ? 0 : binWidth,
                lowFraction);
        return config;
    }

    private String summary(ProxySet set) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s %s seed %d: %,d of %,d examples in %.3f s -> %s%n", set.method(),
                set.parameters(), set.seed(), set.size(), set.poolSize(), set.wallSeconds(), out));
        s.append(String.format(Locale.ROOT, "mean entropy %.4g (full set %.4g), class balance %.2f, tail bins covered %.0f%%%n",
                set.stats().entropySelected().mean(), set.stats().entropyFull().mean(), set.classBalance(),
                100 * set.tailBinsCovered()));
        int[] selected = set.stats().classCountsSelected();
        int[] full = set.stats().classCountsFull();
        s.append("class  selected      full\n");
        for (int c = 0; c < selected.length; c++) {
            s.append(String.format(Locale.ROOT, "%5d  %8d  %8d%n", c, selected[c], full[c]));
        }
        return s.toString();
    }

    private static String table(List<Comparison> rows, int n, int count) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d of %,d examples%n", count, n));
        s.append(String.format(Locale.ROOT, "%-16s %8s %9s %10s %12s %9s%n", "method", "size", "balance",
                "tail bins", "mean entropy", "time (s)"));
        for (Comparison r : rows) {
            if (r.unavailable() != null) {
                s.append(String.format(Locale.ROOT, "%-16s n/a (%s)%n", r.method(), r.unavailable()));
            } else {
                s.append(String.format(Locale.ROOT, "%-16s %8d %9.3f %9.0f%% %12.4g %9.3f%n", r.method(), r.size(),
                        r.classBalance(), 100 * r.tailBinsCovered(), r.meanEntropy(), r.seconds()));
            }
        }
        return s.toString();
    }
}
