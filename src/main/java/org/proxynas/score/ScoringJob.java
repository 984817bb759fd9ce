package org.proxynas.score;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.Checksums;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.Progress;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.RunDirectory;
import org.proxynas.common.UserError;
import org.proxynas.data.Augmentation;
import org.proxynas.data.DataLoader;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.learn.DatasetMetrics;
import org.proxynas.learn.EpochMetrics;
import org.proxynas.learn.TrainingRecipe;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.learn.TrainingOutcome;

/**
 * Step 1 of the method: train the baseline ResNet on the training split (or load a trained one), then
 * score every training example in dataset order with the model in eval mode, without augmentation.
 * Writes scores.csv, the optional embeddings, the model, and scores.json last, so that a scores.json
 * next to a CSV means the run completed.
 *
 * <p>Normalization statistics always come from the whole training split, also under {@code --limit}, so
 * a model trained on a prefix scores the same as when loaded again with {@code --model}. Test accuracy
 * is measured once, after training (per-epoch test passes would cost as much as a training epoch's
 * worth of inference on a CPU and choose nothing).
 */
public final class ScoringJob {
    private ScoringJob() {}

    public static ScoringResult run(ScoringConfig config) throws IOException {
        return run(config, RunContext.DEFAULT);
    }

    /** Runs {@code config} on the context's device; its command line is recorded in the provenance. */
    public static ScoringResult run(ScoringConfig config, RunContext context) throws IOException {
        long start = System.nanoTime();
        Inputs in = Inputs.open(config, context.resume());
        Normalization normalization = Normalization.of(in.fullTrain);
        Device device = context.device().resolve();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            ResNetCifar net = network(config, in.train);
            Baseline baseline = baseline(net, manager, in, normalization, config, context);
            long scoringStart = System.nanoTime();
            Pass scored = pass(net, manager, in.train, 0, in.train.size(), normalization, config.batchSize(),
                    config.embeddings() != null, context.progress());
            return finish(config, in, normalization, baseline, scored, (System.nanoTime() - scoringStart) / 1e9,
                    start, 0, ComputeDevice.describe(device), context);
        }
    }

    /**
     * Scoring in parts that can run on several machines, with the result of {@link #run}: this, then
     * {@link #scoreShard} for each of {@link #shards}, then {@link #mergeShards}. Trains the baseline (or loads
     * and tests {@code config.model()}) and writes the model and {@link ScoringConfig#baselineJson()}.
     */
    public static void trainBaselineOnly(ScoringConfig config, RunContext context) throws IOException {
        Inputs in = Inputs.open(config, context.resume());
        Normalization normalization = Normalization.of(in.fullTrain);
        try (NDManager manager = NDManager.newBaseManager(context.device().resolve())) {
            Baseline baseline = baseline(network(config, in.train), manager, in, normalization, config, context);
            Json.write(config.baselineJson(), baseline);
        }
    }

    /**
     * The ranges [from, to) of the {@code examples} scored examples that {@code count} shards score: whole
     * batches of {@code batchSize}, so every batch holds the examples it holds in one pass over all of them
     * and the scores are the same to the last bit.
     */
    public static List<int[]> shards(int examples, int batchSize, int count) {
        int batches = (examples + batchSize - 1) / batchSize;
        int per = (batches + count - 1) / count;
        List<int[]> ranges = new ArrayList<>();
        for (int b = 0; b < batches; b += per) {
            ranges.add(new int[] {b * batchSize, Math.min(examples, (b + per) * batchSize)});
        }
        return ranges;
    }

    /**
     * Scores examples [from, to) with the model {@code config.model()} (made by {@link #trainBaselineOnly}),
     * writing their rows to {@code config.out()} and their features to {@code config.embeddings()}.
     */
    public static void scoreShard(ScoringConfig config, int from, int to, RunContext context) throws IOException {
        if (config.model() == null) {
            throw new UserError("model: a shard scores with the trained baseline, none given");
        }
        Inputs in = Inputs.open(config, false);
        if (from < 0 || to > in.train.size() || from >= to) {
            throw new UserError("shard [" + from + ", " + to + ") is not within the " + in.train.size()
                    + " scored examples");
        }
        Normalization normalization = Normalization.of(in.fullTrain);
        try (NDManager manager = NDManager.newBaseManager(context.device().resolve())) {
            ResNetCifar net = network(config, in.train);
            net.initialize(manager, DataType.FLOAT32, inputShape(in.train));
            loadModel(net, manager, config.model());
            Pass scored = pass(net, manager, in.train, from, to, normalization, config.batchSize(),
                    config.embeddings() != null, context.progress());
            int[] rows = IntStream.range(from, to).toArray();
            ScoresCsv.write(config.out(), scored.table(in.train.labels()).subset(rows));
            if (config.embeddings() != null) {
                Embeddings.write(config.embeddings(), Arrays.copyOfRange(scored.features,
                        from * net.featureSize(), to * net.featureSize()), to - from, net.featureSize());
            }
        }
    }

    /**
     * Joins the shards' rows (their CSVs in dataset order, each with its embeddings file, or null) with the
     * baseline of {@code baselineJson} into {@code config.out()}, its embeddings and summary, as {@link #run}
     * writes them; {@code scoringSeconds} is the shards' time.
     */
    public static ScoringResult mergeShards(ScoringConfig config, Path baselineJson, List<Path> shardCsvs,
            List<Path> shardEmbeddings, double scoringSeconds, RunContext context) throws IOException {
        long start = System.nanoTime();
        Inputs in = Inputs.open(config, false);
        Baseline baseline = Json.MAPPER.readValue(baselineJson.toFile(), Baseline.class);
        int n = in.train.size();
        double[] entropy = new double[n];
        int[] predicted = new int[n];
        double[] trueProb = new double[n];
        double[] margin = new double[n];
        List<float[]> features = new ArrayList<>();
        int at = 0;
        for (int k = 0; k < shardCsvs.size(); k++) {
            ScoreTable shard = ScoresCsv.read(shardCsvs.get(k));
            if (at + shard.size() > n) {
                throw new UserError(shardCsvs.get(k) + ": the shards hold more than the " + n + " scored examples");
            }
            for (int i = 0; i < shard.size(); i++) {
                if (shard.label(i) != in.train.label(at + i)) {
                    throw new UserError(shardCsvs.get(k) + ": row " + i + " is not example " + (at + i) + " of "
                            + config.dataset());
                }
            }
            System.arraycopy(shard.entropy(), 0, entropy, at, shard.size());
            System.arraycopy(shard.predicted(), 0, predicted, at, shard.size());
            System.arraycopy(shard.trueProb(), 0, trueProb, at, shard.size());
            System.arraycopy(shard.margin(), 0, margin, at, shard.size());
            at += shard.size();
            if (config.embeddings() != null) {
                features.add(Embeddings.read(shardEmbeddings.get(k)).data());
            }
        }
        if (at != n) {
            throw new UserError("the shards hold " + at + " of the " + n + " scored examples");
        }
        float[] allFeatures = null;
        if (config.embeddings() != null) {
            allFeatures = new float[features.stream().mapToInt(f -> f.length).sum()];
            int offset = 0;
            for (float[] f : features) {
                System.arraycopy(f, 0, allFeatures, offset, f.length);
                offset += f.length;
            }
        }
        Pass merged = new Pass(entropy, predicted, trueProb, margin, allFeatures);
        // the parts ran apart, maybe side by side: their times summed stand for one run's wall time
        return finish(config, in, Normalization.of(in.fullTrain), baseline, merged, scoringSeconds, start,
                baseline.trainingSeconds() + scoringSeconds, ComputeDevice.describe(context.device().resolve()),
                context);
    }

    /** The trained (or loaded) baseline, tested: what a pass over the training examples adds its scores to. */
    record Baseline(int epochs, List<EpochMetrics> training, int[] forgetting, int neverLearned,
            double testAccuracy, double testLoss, int testExamples, long parameters, double trainingSeconds,
            Provenance provenance) {}

    private static Baseline baseline(ResNetCifar net, NDManager manager, Inputs in, Normalization normalization,
            ScoringConfig config, RunContext context) throws IOException {
        ForgettingTracker tracker = null;
        TrainingOutcome trained = null;
        if (config.model() != null) {
            net.initialize(manager, DataType.FLOAT32, inputShape(in.train));
            loadModel(net, manager, config.model());
        } else {
            tracker = new ForgettingTracker(in.train.labels());
            trained = train(net, manager, in.train, in.datasetSha256, normalization, config, tracker, config.epochs(),
                    context);
            saveModel(net, config.modelOut());
        }
        DatasetMetrics test = DatasetMetrics.of(net, in.test, normalization, config.batchSize(), manager);
        return new Baseline(trained == null ? 0 : trained.epochsDone(),
                trained == null ? List.of() : trained.history(), tracker == null ? null : tracker.counts(),
                tracker == null ? -1 : tracker.neverLearned(), test.accuracy(), test.loss(), test.examples(),
                parameterCount(net), trained == null ? 0 : trained.wallSeconds(),
                Provenance.capture(ComputeDevice.describe(manager.getDevice()), context.command()));
    }

    /**
     * Writes the scores, the embeddings and, last, the summary, whose wall time is {@code earlierSeconds} plus the
     * time since {@code startNanos}.
     */
    private static ScoringResult finish(ScoringConfig config, Inputs in, Normalization normalization,
            Baseline baseline, Pass scored, double scoringSeconds, long startNanos, double earlierSeconds,
            String device, RunContext context) throws IOException {
        ScoreTable table = scored.table(in.train.labels()).withForgetting(baseline.forgetting());
        double trainAccuracy = scored.accuracy(in.train);
        EntropySummary entropy = EntropySummary.of(scored.entropy, in.train.numClasses());
        ScoresCsv.write(config.out(), table);
        if (config.embeddings() != null) {
            Embeddings.write(config.embeddings(), scored.features, in.train.size(),
                    scored.features.length / in.train.size());
        }
        Path modelFile = config.model() != null ? config.model() : config.modelOut();
        ScoringSummary summary = new ScoringSummary(
                config.dataset(),
                in.datasetSha256,
                in.train.size(),
                in.fullTrain.size(),
                in.train.classNames(),
                config.arch(),
                baseline.parameters(),
                baseline.epochs(),
                baseline.training(),
                config.seed(),
                trainAccuracy,
                baseline.testAccuracy(),
                baseline.testLoss(),
                baseline.testExamples(),
                baseline.forgetting() != null,
                baseline.neverLearned(),
                entropy,
                ScorerRegime.of(trainAccuracy, entropy),
                normalization.mean(),
                normalization.std(),
                config.out().toString(),
                Checksums.sha256(config.out()),
                modelFile.toString(),
                Checksums.sha256(modelFile),
                config.embeddings() == null ? null : config.embeddings().toString(),
                baseline.trainingSeconds(),
                scoringSeconds,
                earlierSeconds + (System.nanoTime() - startNanos) / 1e9,
                config.resolved(),
                Provenance.capture(device, context.command()));
        Json.write(config.scoresJson(), summary);
        return new ScoringResult(summary, table);
    }

    /**
     * Trains the baseline for at most {@code epochs} epochs of the configured run and stops, keeping the
     * checkpoint so that {@link #run} with {@code resume} continues it: for time-boxed jobs, and how the
     * tests interrupt a run.
     */
    public static TrainingOutcome trainBaseline(ScoringConfig config, int epochs, RunContext context)
            throws IOException {
        if (config.model() != null) {
            throw new UserError("model skips training; there is no baseline to train");
        }
        if (epochs < 1) {
            throw new UserError("epochs to train must be >= 1, found " + epochs);
        }
        Inputs in = Inputs.open(config, context.resume());
        Normalization normalization = Normalization.of(in.fullTrain);
        try (NDManager manager = NDManager.newBaseManager(context.device().resolve())) {
            ResNetCifar net = network(config, in.train);
            return train(net, manager, in.train, in.datasetSha256, normalization, config,
                    new ForgettingTracker(in.train.labels()), epochs, context);
        }
    }

    private static TrainingOutcome train(ResNetCifar net, NDManager manager, ImageDataset train,
            String datasetSha256, Normalization normalization, ScoringConfig config, ForgettingTracker tracker,
            int stopAfterEpochs, RunContext context) throws IOException {
        TrainingRecipe recipe = TrainingRecipe.builder()
                .setEpochs(config.epochs())
                .setBatchSize(config.batchSize())
                .setSchedule(config.lrSchedule())
                .setNormalization(normalization)
                .optMomentum(config.momentum())
                .optWeightDecay(config.weightDecay())
                .optSeed(config.seed())
                .optAugmentation(config.augment() ? Datasets.defaultAugmentation(train) : Augmentation.NONE)
                .build();
        RunDirectory.Run run = new RunDirectory.Run(config.resolved(), Map.of("dataset", datasetSha256),
                Map.of("examples", train.size()), Provenance.capture(ComputeDevice.describe(manager.getDevice()),
                        context.command()));
        // the checkpoint directory is the training's run directory; a finished training keeps its checkpoint
        try (RunDirectory dir = RunDirectory.open(config.checkpointDir(), TrainingLoop.CHECKPOINT,
                TrainingLoop.CHECKPOINT, run, context.resume(), context.progress())) {
            return TrainingLoop.builder()
                    .setNetwork(net)
                    .setTrainSet(train)
                    .setConfig(recipe)
                    .setManager(manager)
                    .optOutputDir(config.checkpointDir())
                    .optResume(dir.continues())
                    .optProgress(context.progress())
                    .optStopAfterEpochs(stopAfterEpochs)
                    .addListener(tracker)
                    .optProgressName("baseline " + config.arch())
                    .build()
                    .run();
        }
    }

    private static ResNetCifar network(ScoringConfig config, ImageDataset train) {
        return ResNetCifar.of(config.arch().equals("resnet56") ? 56 : 20, train.numClasses());
    }

    private static Shape inputShape(ImageDataset d) {
        return new Shape(1, d.channels(), d.height(), d.width());
    }

    /** The datasets of a run, opened and checked together with the files the config names, before any work. */
    private record Inputs(ImageDataset fullTrain, ImageDataset train, ImageDataset test, String datasetSha256) {
        static Inputs open(ScoringConfig config, boolean resume) throws IOException {
            ImageDataset fullTrain = Datasets.open(config.dataset(), Split.TRAIN, config.datasetOptions());
            ImageDataset fullTest = Datasets.open(config.dataset(), Split.TEST, config.datasetOptions());
            ImageDataset train = fullTrain.head(config.limit(), "limit");
            ImageDataset test = fullTest.head(config.testLimit(), "testLimit");
            if (config.batchSize() > train.size()) {
                throw new UserError("batchSize " + config.batchSize() + " exceeds the "
                        + train.size() + " training examples");
            }
            if (config.model() != null && resume) {
                throw new UserError("--resume continues training, a given model skips it: give only one");
            }
            if (config.model() != null && !Files.isRegularFile(config.model())) {
                throw UserError.noSuchFile(config.model().toString());
            }
            // A bad image of either split must fail now, not when it is first read, after training.
            Datasets.requireReadable(train, test);
            // Last, once everything else is known good: an unwritable output location must fail now, not
            // after hours of training.
            writableDirectory("out", config.out());
            if (config.embeddings() != null) {
                writableDirectory("embeddings", config.embeddings());
            }
            return new Inputs(fullTrain, train, test, Datasets.checksum(fullTrain));
        }

        private static void writableDirectory(String flag, Path file) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (Files.exists(parent) && !Files.isDirectory(parent)) {
                throw new UserError(flag + ": " + parent + " is a file, expected a directory");
            }
            Files.createDirectories(parent);
            if (!Files.isWritable(parent)) {
                throw new AccessDeniedException(parent.toString());
            }
        }
    }

    /** Per-example outputs of the eval-mode pass over the training examples, in dataset order. */
    private record Pass(double[] entropy, int[] predicted, double[] trueProb, double[] margin, float[] features) {
        ScoreTable table(int[] labels) {
            return new ScoreTable(labels, entropy, predicted, trueProb, margin, null);
        }

        double accuracy(ImageDataset d) {
            long right = IntStream.range(0, predicted.length).filter(i -> predicted[i] == d.label(i)).count();
            return (double) right / predicted.length;
        }
    }

    /**
     * The eval-mode pass over examples [from, to) of {@code d}; rows outside the range stay empty. A range
     * starts on a batch boundary, so its batches are those of a pass over all examples.
     */
    private static Pass pass(ResNetCifar net, NDManager manager, ImageDataset d, int from, int to,
            Normalization normalization, int batchSize, boolean withFeatures, ProgressListener progressListener) {
        int n = d.size();
        int dim = net.featureSize();
        double[] entropy = new double[n];
        int[] predicted = new int[n];
        double[] trueProb = new double[n];
        double[] margin = new double[n];
        float[] features = withFeatures ? new float[n * dim] : null;
        ImageDataset range = from == 0 && to == n ? d : d.subset(IntStream.range(from, to).toArray());
        DataLoader loader = DataLoader.builder().setDataset(range).setBatchSize(batchSize)
                .optNormalization(normalization).build();
        ParameterStore ps = new ParameterStore(manager, false);
        try (Progress progress = progressListener.bar("scoring", to - from, "img")) {
            for (Iterator<DataLoader.Batch> it = loader.epoch(manager, 0); it.hasNext(); ) {
                try (DataLoader.Batch batch = it.next()) {
                    NDList out = net.forwardWithFeatures(ps, new NDList(batch.images()), false);
                    LogitScores s = LogitScores.compute(out.get(0), batch.labels());
                    int[] idx = batch.indices().clone();
                    for (int k = 0; k < idx.length; k++) {
                        idx[k] += from;
                    }
                    for (int k = 0; k < idx.length; k++) {
                        entropy[idx[k]] = s.entropy()[k];
                        predicted[idx[k]] = s.predicted()[k];
                        trueProb[idx[k]] = s.trueProb()[k];
                        margin[idx[k]] = s.margin()[k];
                    }
                    if (withFeatures) {
                        float[] f = out.get(1).toFloatArray();
                        for (int k = 0; k < idx.length; k++) {
                            System.arraycopy(f, k * dim, features, idx[k] * dim, dim);
                        }
                    }
                    progress.step(idx.length);
                }
            }
        }
        return new Pass(entropy, predicted, trueProb, margin, features);
    }

    /** Trainable parameters (batch-norm running statistics are state, not parameters, as in PyTorch's count). */
    private static long parameterCount(ResNetCifar net) {
        return net.getParameters().values().stream().filter(p -> p.requiresGradient())
                .mapToLong(p -> p.getArray().size()).sum();
    }

    private static void saveModel(ResNetCifar net, Path file) throws IOException {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
            net.saveParameters(out);
            out.flush();
        });
    }

    /**
     * Loads {@code file} into {@code net}, initialized for this dataset. DJL takes each saved array whatever its
     * shape, so a model of another dataset (other classes or channels) would load and fail inside PyTorch at the
     * first batch; every parameter must keep the shape this dataset's network has.
     */
    private static void loadModel(ResNetCifar net, NDManager manager, Path file) throws IOException {
        Map<String, Shape> expected = new HashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            expected.put(p.getKey(), p.getValue().getArray().getShape());
        }
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            net.loadParameters(manager, in);
        } catch (MalformedModelException | IOException | IllegalArgumentException e) {
            throw notThisModel(file, net, e.getMessage(), e);
        }
        for (Pair<String, Parameter> p : net.getParameters()) {
            Shape loaded = p.getValue().getArray().getShape();
            if (!loaded.equals(expected.get(p.getKey()))) {
                throw notThisModel(file, net, p.getKey() + " has shape " + loaded + ", this dataset's network "
                        + expected.get(p.getKey()), null);
            }
        }
    }

    private static UserError notThisModel(Path file, ResNetCifar net, String why, Throwable cause) {
        return new UserError(file + ": not a saved resnet" + net.depth() + " for " + net.classes()
                + " classes of this dataset (" + why + ")", cause);
    }
}
