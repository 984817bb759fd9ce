package org.proxynas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;
import org.proxynas.inference.ImagePrediction;
import org.proxynas.inference.PredictConfig;
import org.proxynas.inference.PredictJob;
import org.proxynas.inference.PredictResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proxynas predict}: classify images with a trained model, or measure its accuracy on a dataset. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images with a trained model directory (the model/ that train writes, also in every"
                + " training stage of experiment, rank and demo), or measure its accuracy on a dataset's test split.",
            "Images of any size and format ImageIO reads (PNG, JPEG, ...) are scaled to cover the model's input,"
                + " centre-cropped and converted to its channels, as training prepared folder datasets."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory, e.g. runs/t1/model.")
    Path model;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "IMAGE|DIR",
            description = "Image files, or folders searched (recursively) for image files.")
    List<Path> images;

    @Option(names = "--dataset", paramLabel = "SPEC",
            description = "Instead of images: the accuracy on this dataset's test split (fashion-mnist, idx:DIR, ...).")
    String dataset;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "With --dataset: test on the first N examples only, as train's --test-limit"
                    + " (default: 0 = all).")
    int limit;

    @Option(names = "--top", paramLabel = "K",
            description = "Classes printed per image, most probable first (default: " + PredictConfig.DEFAULT_TOP
                    + ").")
    Integer top;

    @Option(names = "--json", description = "Print JSON lines: one per image, or the dataset's accuracy.")
    boolean json;

    @Mixin
    DebugOption debug;

    @Mixin
    RunOptions run;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PredictConfig config;
        if (dataset != null) {
            if (top != null) {
                throw new UserError("--top applies to images, not to --dataset");
            }
            config = new PredictConfig(model, images, dataset, limit, PredictConfig.DEFAULT_TOP);
        } else {
            config = new PredictConfig(model, images, null, limit, top != null ? top : PredictConfig.DEFAULT_TOP);
        }
        PrintWriter w = spec.commandLine().getOut();
        PredictResult result = PredictJob.run(config, run.context(spec), p -> {
            w.println(json ? line(p) : text(p));
            w.flush();
        });
        PredictResult.DatasetAccuracy accuracy = result.dataset();
        if (accuracy != null) {
            if (json) {
                w.println(Json.line(result));
            } else {
                w.printf(Locale.ROOT, "model          %s (%s)%n", result.model(), result.network());
                w.printf(Locale.ROOT, "dataset        %s, %d test examples%n", accuracy.dataset(), accuracy.examples());
                w.printf(Locale.ROOT, "test accuracy  %.4f (loss %.4f)%s%n", accuracy.accuracy(), accuracy.loss(),
                        accuracy.finalTestAccuracy() == null ? ""
                                : String.format(Locale.ROOT, "; result.json of its training: %.4f",
                                        accuracy.finalTestAccuracy()));
            }
        }
        w.flush();
        return ProxyNas.EXIT_OK;
    }

    private static String text(ImagePrediction p) {
        return p.image() + ": " + p.top().stream()
                .map(c -> String.format(Locale.ROOT, "%s %.1f%%", c.className(), 100 * c.probability()))
                .collect(Collectors.joining(", "));
    }

    private static String line(ImagePrediction p) {
        try {
            return Json.line(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
