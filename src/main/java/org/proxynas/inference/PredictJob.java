package org.proxynas.inference;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Progress;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.ImagePixels;
import org.proxynas.data.Split;
import org.proxynas.learn.DatasetMetrics;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.ModelManifest;

/**
 * Classifies image files with a model directory, or measures its accuracy on a dataset's test split: what
 * {@code proxynas predict} runs. Images go through the model's DJL predictor ({@link ProxyNasModel}), prepared as in
 * training; a dataset is tested as training tested it (same loader, normalization and batch size), so on the
 * training's own test examples the accuracy is {@code result.json}'s {@code finalTestAccuracy}. All input is checked
 * (the model, every image header, the dataset's shape) before the first prediction.
 */
public final class PredictJob {
    /** Images per predictor call. */
    static final int BATCH = 64;
    /** Inputs of at least this many images show a progress bar. */
    static final int PROGRESS_IMAGES = 500;

    private PredictJob() {}

    /** Runs {@code config}; each image's prediction goes to {@code predictions} in input order. */
    public static PredictResult run(PredictConfig config, RunContext context, Consumer<ImagePrediction> predictions)
            throws IOException {
        ModelManifest manifest = ModelDirectory.read(config.model());
        if (config.top() > manifest.classes()) {
            throw new UserError("top must be in 1.." + manifest.classes() + " (the model's classes), found "
                    + config.top());
        }
        List<Path> files = config.dataset() == null ? imageFiles(config.images()) : List.of();
        Device device = context.device().resolve();
        Provenance provenance = Provenance.capture(ComputeDevice.describe(device), context.command());
        if (config.dataset() != null) {
            return new PredictResult(config.model().toString(), manifest.network().describe(), 0,
                    testAccuracy(config, manifest, device, context), provenance);
        }
        classify(config, files, device, context, predictions);
        return new PredictResult(config.model().toString(), manifest.network().describe(), files.size(), null,
                provenance);
    }

    private static void classify(PredictConfig config, List<Path> files, Device device, RunContext context,
            Consumer<ImagePrediction> predictions) throws IOException {
        ImageFactory images = ImageFactory.getInstance();
        try (ZooModel<Image, Classifications> model = ProxyNasModel.load(config.model(), device);
                Predictor<Image, Classifications> predictor = model.newPredictor();
                Progress progress = bar(context, "predict", files.size())) {
            for (int from = 0; from < files.size(); from += BATCH) {
                List<Path> batch = files.subList(from, Math.min(files.size(), from + BATCH));
                List<Image> decoded = batch.parallelStream().map(f -> images.fromImage(ImagePixels.decode(f))).toList();
                List<Classifications> classes = predictor.batchPredict(decoded);
                for (int i = 0; i < batch.size(); i++) {
                    List<ImagePrediction.ClassProbability> top = new ArrayList<>();
                    for (Classifications.Classification c : classes.get(i).topK(config.top())) {
                        top.add(new ImagePrediction.ClassProbability(c.getClassName(), c.getProbability()));
                    }
                    predictions.accept(new ImagePrediction(batch.get(i).toString(), top));
                }
                step(progress, batch.size());
            }
        } catch (TranslateException e) {
            throw e.getCause() instanceof UserError u ? u : new IllegalStateException(e);
        }
    }

    private static PredictResult.DatasetAccuracy testAccuracy(PredictConfig config, ModelManifest manifest,
            Device device, RunContext context) throws IOException {
        ImageDataset test = Datasets.open(config.dataset(), Split.TEST).head(config.limit(), "limit");
        ModelManifest.InputShape in = manifest.input();
        if (test.channels() != in.channels() || test.height() != in.height() || test.width() != in.width()
                || test.numClasses() != manifest.classes()) {
            throw new UserError("dataset " + config.dataset() + " has " + test.channels() + "x" + test.height() + "x"
                    + test.width() + " images of " + test.numClasses() + " classes; the model reads " + in.channels()
                    + "x" + in.height() + "x" + in.width() + " images of " + manifest.classes() + " classes");
        }
        Datasets.requireReadable(test);
        try (ZooModel<Image, Classifications> model = ProxyNasModel.load(config.model(), device);
                Progress progress = bar(context, "test", test.size())) {
            DatasetMetrics metrics = DatasetMetrics.of(model.getBlock(), test, manifest.normalization(),
                    manifest.training().batchSize(), model.getNDManager(), n -> step(progress, n));
            boolean sameTest = config.dataset().equals(manifest.dataset())
                    && test.size() == manifest.training().testExamples();
            return new PredictResult.DatasetAccuracy(config.dataset(), test.size(), metrics.accuracy(),
                    metrics.loss(), sameTest ? manifest.training().finalTestAccuracy() : null);
        }
    }

    /** A bar for large inputs; null (no bar) for small ones. */
    private static Progress bar(RunContext context, String task, int images) {
        return images >= PROGRESS_IMAGES ? context.progress().bar(task, images, "img") : null;
    }

    private static void step(Progress progress, int images) {
        if (progress != null) {
            progress.step(images);
        }
    }

    /**
     * The files of {@code inputs} in order, each folder replaced by the image files under it (sorted, hidden ones
     * left out); every file's header is checked, so that a bad one stops the run before its first prediction.
     */
    static List<Path> imageFiles(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(input)) {
                    found = walk.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")
                            && ImagePixels.hasImageSuffix(f)).sorted().toList();
                }
                if (found.isEmpty()) {
                    throw new UserError(input + ": no images in it (expected files ending in "
                            + String.join(", ", ImagePixels.suffixes()) + ")");
                }
                files.addAll(found);
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw UserError.noSuchFile(input);
            }
        }
        Optional<String> problem = files.parallelStream().map(f -> {
            String p = ImagePixels.headerProblem(f);
            return p == null ? null : f + ": unreadable image (" + p + ")";
        }).filter(Objects::nonNull).findFirst();
        if (problem.isPresent()) {
            throw new UserError(problem.get());
        }
        return files;
    }
}
