package org.proxynas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;
import org.proxynas.data.DatasetInfo;
import org.proxynas.data.DatasetOptions;
import org.proxynas.data.Datasets;
import org.proxynas.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proxynas data info}: examples, shape, classes with counts and the content checksum of one split. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Print a dataset split's size, image shape, classes with their counts, and content SHA-256.")
public final class DataInfoCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = Datasets.FASHION_MNIST, paramLabel = "DATASET",
            description = "fashion-mnist (default), idx:DIR, cifar10:DIR, cifar100:DIR, svhn:DIR or folder:DIR.")
    String dataset;

    @Option(names = "--split", defaultValue = "train", paramLabel = "train|test",
            description = "Which split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--label", defaultValue = "fine", paramLabel = "fine|coarse",
            description = "CIFAR-100 labels: fine (100 classes) or coarse (20); other formats ignore it"
                    + " (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--image-size", defaultValue = "" + DatasetOptions.DEFAULT_IMAGE_SIZE, paramLabel = "N",
            description = "Side that folder: images are resized to; other formats ignore it (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec spec;

    /** The documented JSON, keys in this order. */
    record InfoJson(String dataset, String split, int examples, int channels, int height, int width, int classes,
            int[] classCounts, String sha256, Provenance provenance) {}

    @Override
    public Integer call() throws IOException {
        Split s = parseSplit(split);
        DatasetOptions options = new DatasetOptions(label, imageSize);
        DatasetInfo info = inspect(s, options);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(new InfoJson(info.dataset(), info.split().toString(), info.examples(),
                    info.channels(), info.height(), info.width(), info.classes(), info.classCounts(), info.sha256(),
                    Provenance.capture("none", RunOptions.recordedCommand(spec)))));
        } else {
            printTable(out, info);
        }
        out.flush();
        return ProxyNas.EXIT_OK;
    }

    /**
     * Reads the split whole (every image, for the checksum), so a bad file anywhere in it is found; its message
     * says which split the file belongs to, since the other split may well be fine.
     */
    private DatasetInfo inspect(Split s, DatasetOptions options) throws IOException {
        try {
            return DatasetInfo.of(Datasets.open(dataset, s, options));
        } catch (UserError e) {
            throw new UserError(s + " split: " + e.getMessage(), e);
        }
    }

    /** {@link Split#parse}, its message naming the flag. */
    static Split parseSplit(String text) {
        try {
            return Split.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("--split: " + e.getMessage(), e);
        }
    }

    private static void printTable(PrintWriter out, DatasetInfo info) {
        out.printf("dataset   %s%n", info.dataset());
        out.printf("split     %s%n", info.split());
        out.printf("examples  %d%n", info.examples());
        out.printf("shape     %dx%dx%d (channels x height x width)%n", info.channels(), info.height(), info.width());
        out.printf("classes   %d%n", info.classes());
        out.printf("sha256    %s%n", info.sha256());
        out.println();
        List<String> names = info.classNames();
        int width = Math.max(5, names.stream().mapToInt(String::length).max().orElse(0));
        int[] counts = info.classCounts();
        out.printf("%5s  %-" + width + "s  %8s%n", "label", "class", "examples");
        for (int c = 0; c < counts.length; c++) {
            out.printf("%5d  %-" + width + "s  %8d%n", c, names.get(c), counts[c]);
        }
    }
}
