package org.proxynas.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;
import org.proxynas.data.Augmentation;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.data.SubsetFile;
import org.proxynas.learn.EpochMetrics;
import org.proxynas.learn.LrSchedule;
import org.proxynas.learn.TrainingConfig;
import org.proxynas.learn.TrainingListener;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.learn.TrainingOutcome;
import org.proxynas.score.ResNetCifar;

/**
 * Trains one network from scratch and reports its test accuracy: the evaluation stage of the pipeline,
 * called by {@code proxynas train} and directly by the experiment runner. Writes {@code config.json}
 * (before training), {@code log.jsonl} and {@code checkpoint.bin} (every epoch), {@code result.json} and
 * {@code learning-curve.png} (at the end) into the output directory.
 */
public final class EvaluationJob {
    public static final String CONFIG = "config.json";
    public static final String RESULT = "result.json";
    public static final String CURVE = "learning-curve.png";

    private EvaluationJob() {}

    public static EvaluationResult run(EvaluationConfig config) throws IOException {
        return run(config, RunContext.DEFAULT);
    }

    public static EvaluationResult run(EvaluationConfig config, RunContext context) throws IOException {
        Path out = config.outputDir();
        checkOutputDir(config, context.resume());
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
        TrainingConfig training = TrainingConfig.builder()
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
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Block network = Networks.build(config.network(), trainSplit, auxiliary);
            if (!context.resume()) {
                Json.write(out.resolve(CONFIG), configFile(config, training, auxiliary, trainSplit, train,
                        Provenance.capture(deviceName, context.command())));
            }
            TrainingLoop.Builder loop = TrainingLoop.builder().setNetwork(network).setTrainSet(train)
                    .optTestSet(test).optTestEveryEpoch(config.testEveryEpoch()).setConfig(training).setManager(manager).optOutputDir(out)
                    .optResume(context.resume()).optProgress(context.progress())
                    .optProgressName("train " + config.network().describe());
            if (network instanceof GenotypeNetwork g && config.dropPath() > 0) {
                loop.addListener(dropPathRamp(g, config.dropPath()));
            }
            TrainingOutcome outcome = loop.build().run();
            EvaluationResult result = result(config, outcome, network, auxiliary, train, test,
                    Provenance.capture(deviceName, context.command()));
            LearningCurve.write(out.resolve(CURVE), config.network().describe() + " on " + config.dataset(),
                    outcome.history());
            Json.write(out.resolve(RESULT), result);
            return result;
        }
    }

    /** DARTS: {@code drop_path_prob = drop_path × epoch / epochs} at the start of each epoch. */
    static TrainingListener dropPathRamp(GenotypeNetwork network, double dropPath) {
        return new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int epochs) {
                network.setDropPathProbability((float) (dropPath * epoch / epochs));
            }
        };
    }

    static LrSchedule schedule(EvaluationConfig config) {
        if (config.network() instanceof NetworkSpec.Cells) {
            return new LrSchedule.Cosine(config.lr(), 0, config.epochs());
        }
        return new LrSchedule.MultiStep(config.lr(), LrSchedule.MultiStep.scaledMilestones(config.epochs()), 0.1);
    }

    /**
     * A fresh run needs a directory without a previous run; a resumed one needs that run with the same
     * settings (the directory itself may have moved). The checkpoint itself is checked by the training loop.
     */
    private static void checkOutputDir(EvaluationConfig config, boolean resume) throws IOException {
        Path out = config.outputDir();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("outputDir " + out + " exists and is not a directory");
        }
        if (!resume) {
            // config.json alone is a run that died before its first checkpoint: start it again
            for (String f : List.of(TrainingLoop.CHECKPOINT, RESULT)) {
                if (Files.exists(out.resolve(f))) {
                    throw new UserError("outputDir " + out + " already holds a run (" + f
                            + "); pass --resume to continue it or choose another directory");
                }
            }
            return;
        }
        Path saved = out.resolve(CONFIG);
        if (!Files.isRegularFile(saved)) {
            throw new UserError("--resume: " + out + " holds no " + CONFIG + " of an earlier run");
        }
        List<String> changed = Json.differences(Json.read(saved, JsonNode.class).path("config"), config,
                List.of("outputDir"));
        if (!changed.isEmpty()) {
            throw new UserError("--resume: " + saved + " was written with other settings: "
                    + String.join("; ", changed));
        }
    }

    private static Map<String, Object> configFile(EvaluationConfig config, TrainingConfig training, boolean auxiliary,
            ImageDataset trainSplit, ImageDataset train, Provenance provenance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config);
        m.put("training", training);
        m.put("auxiliaryHead", auxiliary);
        m.put("trainExamples", train.size());
        m.put("trainSplitSha256", Datasets.checksum(trainSplit));
        m.put("provenance", provenance);
        return m;
    }

    private static EvaluationResult result(EvaluationConfig config, TrainingOutcome outcome, Block network,
            boolean auxiliary, ImageDataset train, ImageDataset test, Provenance provenance) {
        EpochMetrics last = outcome.last();
        EpochMetrics best = last;
        for (EpochMetrics m : outcome.history()) {
            if (m.testAccuracy() != null && m.testAccuracy() > best.testAccuracy()) {
                best = m;
            }
        }
        return new EvaluationResult(config.dataset(), config.network().describe(), auxiliary, outcome.epochsDone(),
                train.size(), test.size(), last.testAccuracy(), 1 - last.testAccuracy(), best.testAccuracy(),
                best.epoch(), last.trainLoss(), last.trainAccuracy(), Networks.inferenceParameters(network),
                outcome.wallSeconds(), outcome.imagesPerSecond(), provenance);
    }

    /** Builds networks from specs and counts their parameters. */
    static final class Networks {
        private Networks() {}

        static Block build(NetworkSpec spec, ImageDataset data, boolean auxiliary) {
            if (spec instanceof NetworkSpec.ResNet r) {
                return ResNetCifar.of(r.depth(), data.numClasses());
            }
            return ((NetworkSpec.Cells) spec).network(data.numClasses(), data.channels(), auxiliary);
        }

        /** Trainable parameters, the auxiliary head's excluded (it is dropped at inference). */
        static long inferenceParameters(Block network) {
            Set<Parameter> auxiliary = new HashSet<>();
            if (network instanceof GenotypeNetwork g) {
                g.auxiliaryHead().ifPresent(h -> h.getParameters().values().forEach(auxiliary::add));
            }
            long n = 0;
            for (Pair<String, Parameter> p : network.getParameters()) {
                if (p.getValue().requiresGradient() && !auxiliary.contains(p.getValue())) {
                    n += p.getValue().getArray().size();
                }
            }
            return n;
        }
    }
}
