package org.proxynas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.proxynas.common.Json;
import org.proxynas.data.DatasetOptions;
import org.proxynas.data.Datasets;
import org.proxynas.score.EntropySummary;
import org.proxynas.score.ScoringConfig;
import org.proxynas.score.ScoringJob;
import org.proxynas.score.ScoringResult;
import org.proxynas.score.ScoringSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code proxynas score}: train the baseline and score every training example (step 1 of the method). */
@Command(
        name = "score",
        defaultValueProvider = ScoreCommand.Defaults.class,
        mixinStandardHelpOptions = true,
        description = {
            "Train the baseline ResNet on the training split (the paper's recipe by default), then score every"
                    + " training example in dataset order: entropy of the softmax (nats), predicted class,"
                    + " probability of the true class, margin, forgetting events.",
            "Writes scores.csv, scores.json (dataset checksum, accuracies, config, provenance), the trained"
                    + " model as <stem>.model.params and per-epoch checkpoints in <out>.ckpt/."
        })
public final class ScoreCommand implements Callable<Integer> {
    /** Every option's default is the scoring config's. */
    static final class Defaults extends ConfigDefaults {
        Defaults() {
            super(ScoringConfig.DEFAULTS);
        }
    }

    @Mixin
    DebugOption debug;

    @Mixin
    RunOptions run;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = Datasets.FASHION_MNIST, paramLabel = "DATASET",
            description = "fashion-mnist (default), idx:DIR, cifar10:DIR, cifar100:DIR, svhn:DIR or folder:DIR.")
    String dataset;

    @Option(names = {"--label", "--cifar100-label"}, paramLabel = "fine|coarse",
            description = "CIFAR-100 labels: fine (100 classes) or coarse (20); other formats ignore it"
                    + " (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--image-size", paramLabel = "N",
            description = "Side that folder: images are resized to; other formats ignore it (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Scores CSV to write; scores.json, the model and checkpoints go next to it (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--arch", paramLabel = "resnet20|resnet56",
            description = "Baseline network: resnet20 or resnet56 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--epochs", paramLabel = "E", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "Batch size for training and scoring (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--milestones", split = ",", paramLabel = "E",
            description = "Epochs after which the step schedule multiplies the learning rate by 0.1 (default: half"
                    + " and three quarters of --epochs, the paper's 100,150 of 200).")
    List<Integer> milestones;

    @Option(names = "--schedule", paramLabel = "step|cosine",
            description = "Learning-rate schedule: step (the paper's, at --milestones) or cosine (annealed to 0;"
                    + " the small-set recipe) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--augment", negatable = true, fallbackValue = "true",
            description = "Train with the dataset's default augmentation (the paper's); --no-augment fits a small"
                    + " set faster (default: ${DEFAULT-VALUE}).")
    boolean augment;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed: weights, data order, augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--embeddings", paramLabel = "FILE",
            description = "Also write the penultimate-layer features (PNXEMB01 binary) for k-center selection (default: none).")
    Path embeddings;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Score with this already trained baseline (.model.params of an earlier run) and skip training (default: train).")
    Path model;

    @Option(names = "--resume", description = "Continue training from the last checkpoint in <out>.ckpt/.")
    boolean resume;

    @Option(names = "--limit", paramLabel = "N",
            description = "Train on and score only the first N training examples, for quick tries, 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "Measure test accuracy on the first N test examples only, 0 = all (default: ${DEFAULT-VALUE}).")
    int testLimit;

    @Option(names = "--json", description = "Print scores.json's content instead of the table.")
    boolean json;


    @Override
    public Integer call() throws Exception {
        ScoringConfig config = config();
        ScoringResult result = ScoringJob.run(config, run.context(spec).withResume(resume));
        result.summary().regime().warning().ifPresent(warning -> {
            spec.commandLine().getErr().println("proxynas score: warning: " + warning);
            spec.commandLine().getErr().flush();
        });
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.pretty(result.summary()));
        } else {
            print(w, result.summary());
        }
        w.flush();
        return ProxyNas.EXIT_OK;
    }

    /** The scoring job the options describe. */
    ScoringConfig config() {
        return ScoringConfig.builder()
                .setDataset(dataset)
                .optDatasetOptions(new DatasetOptions(label, imageSize))
                .setOut(out)
                .optArch(arch)
                .optEpochs(epochs)
                .optBatchSize(batchSize)
                .optLr(lr)
                .optMomentum(momentum)
                .optWeightDecay(weightDecay)
                .optMilestones(milestones)
                .optSchedule(schedule)
                .optAugment(augment)
                .optSeed(seed)
                .optLimit(limit)
                .optTestLimit(testLimit)
                .optEmbeddings(embeddings)
                .optModel(model)
                .build();
    }

    private static void print(PrintWriter w, ScoringSummary s) {
        w.printf(Locale.ROOT, "scored %d of %d training examples of %s (sha256 %s)%n", s.examples(),
                s.datasetExamples(), s.dataset(), s.datasetSha256().substring(0, 12));
        w.printf(Locale.ROOT, "baseline %s, %,d parameters, %s%n", s.arch(), s.parameters(),
                s.config().model() != null ? "loaded from " + s.model()
                        : "trained " + s.epochs() + " epochs (seed " + s.seed() + ")");
        w.printf(Locale.ROOT, "accuracy  train %.4f (eval mode, %d examples)   test %.4f (%d examples)%n",
                s.trainAccuracy(), s.examples(), s.testAccuracy(), s.testExamples());
        w.printf(Locale.ROOT, "time      training %.1f s (resumed runs included), scoring %.1f s, this run %.1f s%n",
                s.trainingSeconds(), s.scoringSeconds(), s.wallSeconds());
        EntropySummary h = s.entropy();
        w.printf(Locale.ROOT, "entropy (nats; ln K = %.4f) over %d examples%n", h.lnClasses(), h.count());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-10s %-10s", "mean", "min"));
        StringBuilder vals = new StringBuilder(String.format(Locale.ROOT, "  %-10.3e %-10.3e", h.mean(), h.min()));
        for (double level : EntropySummary.LEVELS) {
            head.append(String.format(Locale.ROOT, " %-10s", EntropySummary.key(level)));
            vals.append(String.format(Locale.ROOT, " %-10.3e", h.quantiles().get(EntropySummary.key(level))));
        }
        head.append(" max");
        vals.append(String.format(Locale.ROOT, " %.3e", h.max()));
        w.println(head);
        w.println(vals);
        w.printf(Locale.ROOT, "regime    %s: %s%n", s.regime().fitted() ? "fitted, as the paper's scorer"
                : "NOT fitted", s.regime().describe());
        if (s.forgettingTracked()) {
            w.printf(Locale.ROOT, "forgetting: %d examples never learned during training%n", s.neverLearned());
        }
        w.println("wrote " + s.scores() + ", " + s.config().scoresJson() + ", " + s.model()
                + (s.embeddings() == null ? "" : ", " + s.embeddings()));
    }
}
