package org.proxynas.score;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.proxynas.common.Require;
import org.proxynas.common.UserError;
import org.proxynas.data.DatasetOptions;
import org.proxynas.data.Datasets;
import org.proxynas.learn.LrSchedule;

/**
 * Everything a scoring run depends on. Defaults are the paper's CIFAR recipe for the baseline (200 epochs,
 * batch 128, SGD lr 0.1, momentum 0.9, weight decay 1e-4, lr x0.1 at epochs 100 and 150).
 *
 * @param dataset dataset spec for {@code Datasets.open}, e.g. {@code fashion-mnist}
 * @param datasetOptions CIFAR-100 label set and folder image size
 * @param out the scores CSV; {@code scores.json}, the trained model and the checkpoint directory go next to it
 * @param arch {@code resnet20} or {@code resnet56}
 * @param milestones the step schedule's epochs; null for half and three quarters of the epochs ({@link #resolved})
 * @param limit score (and train on) only the first {@code limit} training examples; 0 = all
 * @param testLimit measure test accuracy on the first {@code testLimit} test examples; 0 = all
 * @param embeddings where to write penultimate-layer features, or null for none
 * @param model an already trained baseline to score with (training is skipped), or null to train one
 * @param schedule {@code step} (the paper's: lr x0.1 after each of {@code milestones}) or {@code cosine}
 *     (annealed to 0 over the epochs, for the small-set recipe; takes no milestones)
 * @param augment train with the dataset's default augmentation (the paper's); off fits a small set faster
 */
public record ScoringConfig(
        String dataset,
        DatasetOptions datasetOptions,
        @JsonSerialize(using = ToStringSerializer.class) Path out,
        String arch,
        int epochs,
        int batchSize,
        double lr,
        double momentum,
        double weightDecay,
        List<Integer> milestones,
        long seed,
        int limit,
        int testLimit,
        @JsonSerialize(using = ToStringSerializer.class) Path embeddings,
        @JsonSerialize(using = ToStringSerializer.class) Path model,
        String schedule,
        boolean augment) {

    public static final List<String> ARCHS = List.of("resnet20", "resnet56");
    /** The step schedule's factor at each milestone. */
    public static final double MILESTONE_DECAY = 0.1;
    public static final String STEP = "step";
    public static final String COSINE = "cosine";
    public static final List<String> SCHEDULES = List.of(STEP, COSINE);

    /**
     * Every setting at its default (the builder's), around the default dataset and output: what the command line's
     * options and an experiment's {@code scoring} section start from.
     */
    public static final ScoringConfig DEFAULTS = builder().setDataset(Datasets.FASHION_MNIST)
            .setOut(Path.of("scores.csv")).build();

    public ScoringConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(datasetOptions, "datasetOptions");
        Objects.requireNonNull(out, "out");
        if (dataset.isBlank()) {
            throw new UserError("DATASET must not be empty");
        }
        if (!ARCHS.contains(arch)) {
            throw new UserError("arch must be one of " + String.join(", ", ARCHS) + ", found '"
                    + arch + "'");
        }
        Require.atLeast("epochs", epochs, 1, null);
        Require.atLeast("batchSize", batchSize, 2, "batch norm trains on pairs at least");
        Require.positive("lr", lr);
        Require.fraction("momentum", momentum);
        Require.nonNegative("weightDecay", weightDecay);
        if (!SCHEDULES.contains(schedule)) {
            throw new UserError("schedule must be one of " + String.join(", ", SCHEDULES) + ", found '" + schedule
                    + "'");
        }
        if (schedule.equals(COSINE) && milestones != null && !milestones.isEmpty()) {
            throw new UserError("milestones apply only to the step schedule, found " + milestones
                    + " with schedule cosine");
        }
        milestones = milestones == null ? null : List.copyOf(milestones);
        for (int i = 0; milestones != null && i < milestones.size(); i++) {
            int m = milestones.get(i);
            if (m < 1 || (i > 0 && m <= milestones.get(i - 1))) {
                throw new UserError("milestones must be increasing epochs >= 1, found " + milestones);
            }
        }
        Require.atLeast("limit", limit, 0, "0 = all examples");
        Require.atLeast("testLimit", testLimit, 0, "0 = all examples");
        String name = out.getFileName() == null ? "" : out.getFileName().toString();
        if (!name.endsWith(".csv") || name.length() == ".csv".length()) {
            throw new UserError("out must name a .csv file, found '" + out + "'");
        }
        if (embeddings != null && embeddings.normalize().equals(out.normalize())) {
            throw new UserError("embeddings must differ from out, both are '" + out + "'");
        }
    }

    /** The learning rate of each epoch of the baseline's training. */
    public LrSchedule lrSchedule() {
        return schedule.equals(COSINE) ? new LrSchedule.Cosine(lr, 0, epochs)
                : new LrSchedule.MultiStep(lr, resolved().milestones(), MILESTONE_DECAY);
    }

    /**
     * This config with its default milestones made explicit (half and three quarters of the epochs for the step
     * schedule, none for cosine), so scores.json shows what ran.
     */
    public ScoringConfig resolved() {
        List<Integer> steps = milestones != null ? milestones
                : schedule.equals(STEP) ? LrSchedule.MultiStep.scaledMilestones(epochs) : List.of();
        return new ScoringConfig(dataset, datasetOptions, out, arch, epochs, batchSize, lr, momentum, weightDecay,
                steps, seed, limit, testLimit, embeddings, model, schedule, augment);
    }

    /** This scoring with an already trained baseline ({@code model}): it scores, it does not train. */
    public ScoringConfig withModel(Path model) {
        return new ScoringConfig(dataset, datasetOptions, out, arch, epochs, batchSize, lr, momentum, weightDecay,
                milestones, seed, limit, testLimit, embeddings, model, schedule, augment);
    }

    /** The run summary next to the CSV: {@code scores.csv} → {@code scores.json}. */
    public Path scoresJson() {
        return ScoresCsv.summaryOf(out);
    }

    /** Where the trained baseline is saved: {@code scores.csv} → {@code scores.model.params}. */
    public Path modelOut() {
        return sibling(".model.params");
    }

    /** The baseline alone, when scoring runs in shards: {@code scores.csv} → {@code scores.baseline.json}. */
    public Path baselineJson() {
        return sibling(".baseline.json");
    }

    /** Per-epoch checkpoints of the baseline training: {@code scores.csv} → {@code scores.csv.ckpt/}. */
    public Path checkpointDir() {
        return out.resolveSibling(out.getFileName() + ".ckpt");
    }

    private Path sibling(String suffix) {
        String name = out.getFileName().toString();
        return out.resolveSibling(name.substring(0, name.length() - ".csv".length()) + suffix);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code set*} are required, {@code opt*} default to the paper's recipe. */
    public static final class Builder {
        private String dataset;
        private DatasetOptions datasetOptions = DatasetOptions.defaults();
        private Path out;
        private String arch = "resnet20";
        private int epochs = 200;
        private int batchSize = 128;
        private double lr = 0.1;
        private double momentum = 0.9;
        private double weightDecay = 1e-4;
        private List<Integer> milestones;
        private long seed;
        private int limit;
        private int testLimit;
        private Path embeddings;
        private Path model;
        private String schedule = STEP;
        private boolean augment = true;

        private Builder() {}

        public Builder setDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder optDatasetOptions(DatasetOptions datasetOptions) {
            this.datasetOptions = datasetOptions;
            return this;
        }

        public Builder setOut(Path out) {
            this.out = out;
            return this;
        }

        public Builder optArch(String arch) {
            this.arch = arch;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Default: {@code step}. */
        public Builder optSchedule(String schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Default: on, the dataset's default augmentation. */
        public Builder optAugment(boolean augment) {
            this.augment = augment;
            return this;
        }

        /**
         * Default, for the step schedule: half and three quarters of the epochs (the paper's 100 and 150 of 200);
         * none for cosine.
         */
        public Builder optMilestones(List<Integer> milestones) {
            this.milestones = milestones;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optLimit(int limit) {
            this.limit = limit;
            return this;
        }

        public Builder optTestLimit(int testLimit) {
            this.testLimit = testLimit;
            return this;
        }

        public Builder optEmbeddings(Path embeddings) {
            this.embeddings = embeddings;
            return this;
        }

        public Builder optModel(Path model) {
            this.model = model;
            return this;
        }

        public ScoringConfig build() {
            if (dataset == null) {
                throw new UserError("a dataset is required");
            }
            if (out == null) {
                throw new UserError("out is required");
            }
            return new ScoringConfig(dataset, datasetOptions, out, arch, epochs, batchSize, lr, momentum, weightDecay,
                    milestones, seed, limit, testLimit, embeddings, model, schedule, augment);
        }
    }
}
