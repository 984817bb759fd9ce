package org.proxynas.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.proxynas.common.Checksums;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.RunDirectory;
import org.proxynas.common.UserError;
import org.proxynas.data.Augmentation;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.data.SubsetFile;
import org.proxynas.learn.EpochMetrics;
import org.proxynas.learn.LrSchedule;
import org.proxynas.learn.TrainingRecipe;
import org.proxynas.learn.EpochListener;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.learn.TrainingOutcome;

/**
 * Trains one network from scratch and reports its test accuracy: step 4 of the pipeline,
 * called by {@code proxynas train} and directly by the experiment runner. Writes {@code config.json}
 * (before training), {@code log.jsonl} and {@code checkpoint.bin} (every epoch), the trained network as a
 * {@link ModelDirectory} {@code model/}, {@code result.json} and {@code learning-curve.png} (at the end) into the
 * output directory.
 */
public final class TrainJob {
    public static final String CONFIG = RunDirectory.CONFIG;
    public static final String RESULT = "result.json";
    public static final String CURVE = "learning-curve.png";

    private TrainJob() {}

    public static TrainResult run(TrainConfig config) throws IOException {
        return run(config, RunContext.DEFAULT);
    }

    public static TrainResult run(TrainConfig config, RunContext context) throws IOException {
        Path out = config.outputDir();
        ImageDataset trainSplit = Datasets.open(config.dataset(), Split.TRAIN);
        ImageDataset testSplit = Datasets.open(config.dataset(), Split.TEST);
        ImageDataset test = testSplit.head(Math.min(config.testLimit(), testSplit.size()), "testLimit");
        ImageDataset train = config.trainSubset() == null ? trainSplit
                : trainSplit.subset(SubsetFile.read(config.trainSubset(), trainSplit.size()));
        if (train.size() < config.batchSize()) {
            throw new UserError("batchSize " + config.batchSize() + " exceeds the "
                    + train.size() + " training examples");
        }
        // A bad test image must fail now, not after the first epoch.
        Datasets.requireReadable(train, test);
        // Statistics of the whole training split: evaluations on different subsets see the same inputs.
        Normalization normalization = Normalization.of(trainSplit);
        Augmentation augmentation = Datasets.defaultAugmentation(trainSplit).withCutout(config.cutout());
        boolean auxiliary = config.network() instanceof NetworkSpec.Cells c
                && c.auxiliaryFor(trainSplit.height(), trainSplit.width());
        TrainingRecipe training = TrainingRecipe.builder()
                .setEpochs(config.epochs())
                .setBatchSize(config.batchSize())
                .setSchedule(schedule(config))
                .setNormalization(normalization)
                .optMomentum(config.momentum())
                .optWeightDecay(config.weightDecay())
                .optGradClip(config.gradClip())
                .optSeed(config.seed())
                .optAugmentation(augmentation)
                .optAuxWeight(auxiliary ? config.auxWeight() : 0)
                .optPrecision(config.precision())
                .build();

        Device device = context.device().resolve();
        config.precision().checkAvailable();
        String deviceName = ComputeDevice.describe(device);
        Map<String, String> inputs = new TreeMap<>(Map.of("dataset", Datasets.checksum(trainSplit)));
        if (config.trainSubset() != null) {
            inputs.put("trainSubset", Checksums.sha256(config.trainSubset()));
        }
        RunDirectory.Run run = new RunDirectory.Run(config, inputs, Map.of("training", training, "auxiliaryHead",
                auxiliary, "trainExamples", train.size()), Provenance.capture(deviceName, context.command()));
        try (RunDirectory dir = RunDirectory.open(out, TrainingLoop.CHECKPOINT, RESULT, run, context.resume(),
                context.progress());
                NDManager manager = NDManager.newBaseManager(device)) {
            Block network = Networks.build(config.network(), trainSplit.channels(), trainSplit.numClasses(), auxiliary);
            TrainingLoop.Builder loop = TrainingLoop.builder().setNetwork(network).setTrainSet(train)
                    .optTestSet(test).optTestEveryEpoch(config.testEveryEpoch()).setConfig(training).setManager(manager).optOutputDir(out)
                    .optResume(dir.continues()).optProgress(context.progress())
                    .optProgressName("train " + config.network().describe());
            if (network instanceof GenotypeNetwork g && config.dropPath() > 0) {
                loop.addListener(dropPathRamp(g, config.dropPath()));
            }
            TrainingOutcome outcome = loop.build().run();
            Provenance provenance = Provenance.capture(deviceName, context.command());
            TrainResult result = result(config, outcome, network, auxiliary, train, test, provenance);
            // before result.json, whose presence says the run is complete
            ModelDirectory.write(out.resolve(ModelDirectory.DIR), network, weights -> ModelManifest.current(
                    config.network(), auxiliary,
                    new ModelManifest.InputShape(trainSplit.channels(), trainSplit.height(), trainSplit.width()),
                    normalization, trainSplit.classNames(), config.dataset(), Datasets.checksum(trainSplit),
                    new ModelManifest.Training(result.epochs(), config.batchSize(), result.trainExamples(),
                            result.testExamples(), result.finalTestAccuracy()),
                    weights, provenance));
            LearningCurve.write(out.resolve(CURVE), config.network().describe() + " on " + config.dataset(),
                    outcome.history());
            Json.write(out.resolve(RESULT), result);
            return result;
        }
    }

    /** DARTS: {@code drop_path_prob = drop_path × epoch / epochs} at the start of each epoch. */
    static EpochListener dropPathRamp(GenotypeNetwork network, double dropPath) {
        return new EpochListener() {
            @Override
            public void onEpochStart(int epoch, int epochs) {
                network.setDropPathProbability((float) (dropPath * epoch / epochs));
            }
        };
    }

    static LrSchedule schedule(TrainConfig config) {
        if (config.network() instanceof NetworkSpec.Cells) {
            return new LrSchedule.Cosine(config.lr(), 0, config.epochs());
        }
        return new LrSchedule.MultiStep(config.lr(), LrSchedule.MultiStep.scaledMilestones(config.epochs()), 0.1);
    }

    private static TrainResult result(TrainConfig config, TrainingOutcome outcome, Block network,
            boolean auxiliary, ImageDataset train, ImageDataset test, Provenance provenance) {
        EpochMetrics last = outcome.last();
        EpochMetrics best = last;
        for (EpochMetrics m : outcome.history()) {
            if (m.testAccuracy() != null && m.testAccuracy() > best.testAccuracy()) {
                best = m;
            }
        }
        return new TrainResult(config.dataset(), config.network().describe(), auxiliary, outcome.epochsDone(),
                train.size(), test.size(), last.testAccuracy(), 1 - last.testAccuracy(), best.testAccuracy(),
                best.epoch(), last.trainLoss(), last.trainAccuracy(), Networks.inferenceParameters(network),
                outcome.wallSeconds(), outcome.imagesPerSecond(), provenance);
    }
}
