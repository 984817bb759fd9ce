package org.proxynas.learn;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.proxynas.common.Precision;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.Json;
import org.proxynas.common.Progress;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.Seeds;
import org.proxynas.common.UserError;
import org.proxynas.data.DataLoader;
import org.proxynas.data.ImageDataset;

/**
 * The supervised training loop shared by the baseline scorer and the evaluation of found cells: SGD under
 * an epoch schedule, cross-entropy on the network's first output plus {@code auxWeight}× that of its second
 * output when it returns one in training mode, optional gradient clipping, per-epoch test evaluation.
 *
 * <p>With an output directory, every epoch ends with an atomic {@code checkpoint.bin} (weights, optimizer
 * state, metrics so far, checkpointable listeners) and a rewritten {@code log.jsonl}. A resumed run is an
 * exact continuation: data order and augmentation are a pure function of (seed, epoch) in the
 * {@link DataLoader}, and the engine's random generator (drop-path masks) is reseeded from (seed, epoch) at
 * the start of each epoch, so there is no generator state to carry over.
 */
public final class TrainingLoop {
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String LOG = "log.jsonl";
    private static final String MAGIC = "proxynas-training-checkpoint-v1";
    private static final int MESSAGE_EVERY_BATCHES = 10;

    private final Block network;
    private final ImageDataset trainSet;
    private final ImageDataset testSet;
    private final boolean testEveryEpoch;
    private final TrainingRecipe config;
    private final Path outputDir;
    private final boolean resume;
    private final int stopAfterEpochs;
    private final List<EpochListener> listeners;
    private final NDManager manager;
    private final String progressName;
    private final ProgressListener progressListener;

    private TrainingLoop(Builder b) {
        this.network = b.network;
        this.trainSet = b.trainSet;
        this.testSet = b.testSet;
        this.testEveryEpoch = b.testEveryEpoch;
        this.config = b.config;
        this.outputDir = b.outputDir;
        this.resume = b.resume;
        this.stopAfterEpochs = Math.min(b.stopAfterEpochs, b.config.epochs());
        this.listeners = List.copyOf(b.listeners);
        this.manager = b.manager;
        this.progressName = b.progressName;
        this.progressListener = b.progressListener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains until all epochs (or the requested stop) are done and returns the metrics. The network is
     * initialized (seeded) here when it is not already.
     */
    public TrainingOutcome run() throws IOException {
        Path checkpoint = outputDir == null ? null : outputDir.resolve(CHECKPOINT);
        initialize();
        config.precision().checkAvailable();
        MixedPrecision mixed = config.precision().isMixed() ? new MixedPrecision(manager, config.precision()) : null;
        String configJson = Json.line(config);
        DataLoader loader = DataLoader.builder().setDataset(trainSet).setBatchSize(config.batchSize())
                .optShuffle(true).optSeed(config.seed()).optAugmentation(config.augmentation())
                .optNormalization(config.normalization())
                // batch norm cannot train on a final batch of one example
                .optDropLast(trainSet.size() % config.batchSize() == 1).build();
        List<EpochMetrics> history = new ArrayList<>();
        double priorSeconds = 0;
        try (SgdUpdater optimizer = SgdUpdater.builder().optMomentum(config.momentum()).optWeightDecay(config.weightDecay())
                .build()) {
            if (resume) {
                priorSeconds = readCheckpoint(checkpoint, configJson, optimizer, mixed, history);
            }
            long started = System.nanoTime();
            int batches = loader.batchesPerEpoch();
            try (Progress progress = progressListener.bar(progressName, (long) batches * config.epochs(), "batch")) {
                progress.stepTo((long) batches * history.size());
                // the mixed-precision store hands layers their 16-bit copies
                ParameterStore ps = mixed != null ? mixed : new ParameterStore(manager, false);
                for (int epoch = history.size(); epoch < stopAfterEpochs; epoch++) {
                    EpochMetrics m = trainEpoch(epoch, loader, ps, optimizer, progress);
                    history.add(m);
                    for (EpochListener l : listeners) {
                        l.onEpochEnd(m);
                    }
                    if (outputDir != null) {
                        double seconds = priorSeconds + (System.nanoTime() - started) / 1e9;
                        writeCheckpoint(checkpoint, configJson, optimizer, mixed, history, seconds);
                        writeLog(history);
                    }
                    progressListener.epochDone("train", epoch, m);
                    progress.message(summary(m));
                }
            }
            double wall = priorSeconds + (System.nanoTime() - started) / 1e9;
            return new TrainingOutcome(history, history.size() == config.epochs(), wall);
        }
    }

    private void initialize() {
        if (!network.isInitialized()) {
            Initialization.seeded(network, manager, config.seed(),
                    new Shape(trainSet.channels(), trainSet.height(), trainSet.width()));
        }
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }

    private EpochMetrics trainEpoch(int epoch, DataLoader loader, ParameterStore ps, Updater optimizer,
            Progress progress) {
        long start = System.nanoTime();
        Engine.getInstance().setRandomSeed(Seeds.engine(config.seed(), epoch));
        for (EpochListener l : listeners) {
            l.onEpochStart(epoch, config.epochs());
        }
        boolean predictions = listeners.stream().anyMatch(EpochListener::wantsPredictions);
        double lr = config.schedule().lr(epoch);
        int seen = 0;
        double lossSum;
        long correct;
        try (NDManager sums = manager.newSubManager()) {
            NDArray lossAcc = sums.zeros(new Shape(), DataType.FLOAT32);
            NDArray correctAcc = sums.zeros(new Shape(), DataType.INT64);
            int b = 0;
            for (Iterator<DataLoader.Batch> it = loader.epoch(manager, epoch); it.hasNext(); b++) {
                try (DataLoader.Batch batch = it.next()) {
                    NDArray logits = step(batch, ps, optimizer, lr, lossAcc);
                    correctAcc.addi(CrossEntropy.correct(logits, batch.labels()));
                    if (predictions) {
                        int[] predicted = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                        for (EpochListener l : listeners) {
                            if (l.wantsPredictions()) {
                                l.onBatch(epoch, batch.indices(), predicted);
                            }
                        }
                    }
                    seen += batch.size();
                }
                progress.step(1);
                if (b % MESSAGE_EVERY_BATCHES == 0) {
                    progress.message(String.format(Locale.ROOT, "epoch %d/%d loss %.4f acc %.4f", epoch + 1,
                            config.epochs(), lossAcc.getFloat() / seen, (double) correctAcc.getLong() / seen));
                }
            }
            lossSum = lossAcc.getFloat();
            correct = correctAcc.getLong();
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        boolean testing = testSet != null && (testEveryEpoch || epoch + 1 == config.epochs());
        if (testing) {
            progress.message(String.format(Locale.ROOT, "epoch %d/%d: testing on %d images", epoch + 1,
                    config.epochs(), testSet.size()));
        }
        DatasetMetrics test = !testing ? null
                : DatasetMetrics.of(network, testSet, config.normalization(), config.batchSize(), manager);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochMetrics(epoch + 1, lr, lossSum / seen, (double) correct / seen,
                test == null ? null : test.loss(), test == null ? null : test.accuracy(), seconds,
                seen / trainSeconds);
    }

    /**
     * One SGD step on {@code batch}; adds the main loss × batch size to {@code lossAcc}; returns logits (float32).
     * With a {@link MixedPrecision} store the step runs in its 16-bit format, and a step whose gradients
     * overflowed changes no weight.
     */
    private NDArray step(DataLoader.Batch batch, ParameterStore ps, Updater optimizer, double lr,
            NDArray lossAcc) {
        NDManager stepManager = batch.images().getManager();
        MixedPrecision mixed = ps instanceof MixedPrecision m ? m : null;
        NDArray logits;
        NDArray mainLoss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss;
            try (NDManager forward = stepManager.newSubManager()) {
                NDArray images = batch.images();
                images.tempAttach(forward);
                if (mixed != null) {
                    images = mixed.beginStep(stepManager, images);
                }
                NDList out = network.forward(ps, new NDList(images), true);
                logits = mixed == null ? out.get(0) : mixed.toFloat32(out.get(0));
                mainLoss = CrossEntropy.mean(logits, batch.labels());
                loss = mainLoss;
                if (out.size() > 1 && config.auxWeight() > 0) {
                    NDArray auxLogits = mixed == null ? out.get(1) : mixed.toFloat32(out.get(1));
                    // An engine-made weight, not mul(Number): DJL builds a Number operand from a Java buffer and
                    // frees it after the op, while autograd keeps it for backward (see nas.space.Zero).
                    NDArray weight = stepManager.full(new Shape(), (float) config.auxWeight());
                    loss = loss.add(CrossEntropy.mean(auxLogits, batch.labels()).mul(weight));
                }
                if (mixed != null) {
                    loss = mixed.scaled(loss);
                }
                new NDList(logits, mainLoss, loss).attach(stepManager);
            }
            gc.backward(loss);
        }
        // outside the collector: accumulating must not extend the autograd graph across batches
        lossAcc.addi(mainLoss.mul(batch.size()));
        List<ParamGrad> grads = mixed == null ? ParamGrad.of(network, stepManager) : mixed.gradients(network);
        if (grads == null) {
            return logits;
        }
        if (config.gradClip() > 0) {
            GradientClipping.clipGlobalNorm(grads, config.gradClip());
        }
        optimizer.step(grads, lr);
        for (ParamGrad p : grads) {
            p.grad().subi(p.grad());
        }
        return logits;
    }

    private void writeCheckpoint(Path file, String configJson, Updater optimizer, MixedPrecision mixed,
            List<EpochMetrics> history, double seconds) throws IOException {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
            out.writeUTF(MAGIC);
            writeLong(out, configJson);
            out.writeDouble(seconds);
            out.writeInt(history.size());
            for (EpochMetrics m : history) {
                writeLong(out, Json.line(m));
            }
            optimizer.saveState(out);
            if (mixed != null) {
                mixed.saveState(out);
            }
            for (EpochListener l : listeners) {
                if (l instanceof Checkpointable c) {
                    c.saveState(out);
                }
            }
            network.saveParameters(out);
            out.flush();
        });
    }

    /** Restores everything {@link #writeCheckpoint} saved; returns the wall seconds spent so far. */
    private double readCheckpoint(Path file, String configJson, Updater optimizer, MixedPrecision mixed,
            List<EpochMetrics> history) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new UserError(file + ": not a ProxyNAS training checkpoint");
            }
            String saved = readLong(in);
            if (!saved.equals(configJson)) {
                List<String> changed = Json.differences(Json.MAPPER.readTree(saved), Json.MAPPER.readTree(configJson),
                        List.of());
                throw new UserError("--resume: " + file + " was written with another training: "
                        + String.join("; ", changed));
            }
            double seconds = in.readDouble();
            int epochs = in.readInt();
            for (int i = 0; i < epochs; i++) {
                history.add(Json.MAPPER.readValue(readLong(in), EpochMetrics.class));
            }
            optimizer.loadState(in);
            if (mixed != null) {
                mixed.loadState(in);
            }
            for (EpochListener l : listeners) {
                if (l instanceof Checkpointable c) {
                    c.loadState(in);
                }
            }
            network.loadParameters(manager, in);
            initialize();
            return seconds;
        } catch (MalformedModelException e) {
            throw new UserError(file + ": the saved weights do not fit this network: " + e.getMessage(), e);
        } catch (java.io.EOFException e) {
            throw new UserError(file + ": truncated checkpoint", e);
        }
    }

    private void writeLog(List<EpochMetrics> history) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (EpochMetrics m : history) {
            sb.append(Json.line(m)).append('\n');
        }
        AtomicFiles.writeString(outputDir.resolve(LOG), sb.toString());
    }

    /** JSON can exceed writeUTF's 64 KiB limit (long histories), so strings are length-prefixed bytes. */
    private static void writeLong(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readLong(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String summary(EpochMetrics m) {
        String test = m.testAccuracy() == null ? ""
                : String.format(Locale.ROOT, " test %.4f", m.testAccuracy());
        return String.format(Locale.ROOT, "epoch %d loss %.4f acc %.4f%s", m.epoch(), m.trainLoss(),
                m.trainAccuracy(), test);
    }

    /** {@code set*} required, {@code opt*} defaulted; {@link #build()} validates. */
    public static final class Builder {
        private Block network;
        private ImageDataset trainSet;
        private ImageDataset testSet;
        private boolean testEveryEpoch = true;
        private TrainingRecipe config;
        private Path outputDir;
        private boolean resume;
        private int stopAfterEpochs = Integer.MAX_VALUE;
        private final List<EpochListener> listeners = new ArrayList<>();
        private NDManager manager;
        private String progressName = "train";
        private ProgressListener progressListener = ProgressListener.CONSOLE;

        private Builder() {}

        public Builder setNetwork(Block network) {
            this.network = network;
            return this;
        }

        public Builder setTrainSet(ImageDataset trainSet) {
            this.trainSet = trainSet;
            return this;
        }

        public Builder setConfig(TrainingRecipe config) {
            this.config = config;
            return this;
        }

        /** Owns the network's parameters; must outlive the loop. Batches live in its sub-managers. */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /** Default none: no per-epoch test evaluation. */
        public Builder optTestSet(ImageDataset testSet) {
            this.testSet = testSet;
            return this;
        }

        /**
         * Default true. False tests after the last epoch only: for trainings that report only their final
         * accuracy, whose per-epoch test passes can cost more than the training itself.
         */
        public Builder optTestEveryEpoch(boolean testEveryEpoch) {
            this.testEveryEpoch = testEveryEpoch;
            return this;
        }

        /** Default none: no checkpoints and no log (tests, throwaway runs). */
        public Builder optOutputDir(Path outputDir) {
            this.outputDir = outputDir;
            return this;
        }

        /** Default false. True continues from the output directory's checkpoint, which must exist. */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Default: all epochs. Return once this many epochs are done (0: only initialize); a later resume
         * continues.
         */
        public Builder optStopAfterEpochs(int epochs) {
            this.stopAfterEpochs = epochs;
            return this;
        }

        public Builder addListener(EpochListener listener) {
            listeners.add(listener);
            return this;
        }

        /** Default: bars on the console, no epoch events. */
        public Builder optProgress(ProgressListener listener) {
            this.progressListener = listener;
            return this;
        }

        /** Default "train": the progress bar's label. */
        public Builder optProgressName(String name) {
            this.progressName = name;
            return this;
        }

        public TrainingLoop build() {
            if (network == null || trainSet == null || config == null || manager == null) {
                throw new UserError("training loop: setNetwork, setTrainSet, setConfig and"
                        + " setManager are required");
            }
            if (trainSet.size() < 2) {
                throw new UserError(trainSet.name() + ": training needs at least 2 examples, found "
                        + trainSet.size());
            }
            if (testSet != null && (testSet.channels() != trainSet.channels()
                    || testSet.height() != trainSet.height() || testSet.width() != trainSet.width())) {
                throw new UserError("test images are " + testSet.channels() + "x" + testSet.height()
                        + "x" + testSet.width() + ", training images " + trainSet.channels() + "x"
                        + trainSet.height() + "x" + trainSet.width());
            }
            if (stopAfterEpochs < 0) {
                throw new IllegalArgumentException("stop-after epochs must be >= 0, found " + stopAfterEpochs);
            }
            if (resume && outputDir == null) {
                throw new UserError("--resume needs an output directory");
            }
            return new TrainingLoop(this);
        }
    }
}
