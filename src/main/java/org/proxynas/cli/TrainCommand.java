package org.proxynas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.proxynas.common.Json;
import org.proxynas.common.Precision;
import org.proxynas.common.UserError;
import org.proxynas.nas.space.Genotype;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.TrainResult;
import org.proxynas.train.ModelDirectory;
import org.proxynas.train.NetworkSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code proxynas train}: train a found cell (or a ResNet) from scratch and report its test accuracy. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a network from scratch on the training split (or a proxy subset) and report test accuracy"
                    + " after every epoch; the test split is never used for any choice.",
            "Cells (--genotype) follow the DARTS evaluation protocol; ResNets (--arch) the CIFAR ResNet recipe"
                    + ". Writes config.json, log.jsonl, checkpoint.bin (each epoch, for --resume), the trained model"
                    + " (model/, for predict and export), result.json and learning-curve.png into --out."
        })
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET",
            description = "fashion-mnist, idx:DIR, cifar10:DIR, cifar100:DIR, svhn:DIR or folder:DIR.")
    String dataset;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Network network;

    static final class Network {
        @Option(names = "--genotype", paramLabel = "NAME|FILE|TEXT",
                description = "Cells to stack: a built-in name (DARTS_V2, PC_DARTS, ...), a genotype file"
                        + " (search output or text) or DARTS genotype text.")
        String genotype;

        @Option(names = "--arch", paramLabel = "resnet20|resnet56", description = "A CIFAR ResNet instead of cells.")
        String arch;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs.")
    Integer epochs;

    @Option(names = "--layers", paramLabel = "N", description = "Cells in the network; cells only.")
    Integer layers;

    @Option(names = "--channels", paramLabel = "C", description = "Initial channels; cells only.")
    Integer channels;

    @Option(names = "--batch-size", paramLabel = "N", description = "Batch size.")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Initial learning rate; cells anneal it to 0 (cosine), ResNets multiply it by 0.1 at 50%% and"
                    + " 75%% of the epochs.")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum.")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "L2 weight decay.")
    Double weightDecay;

    @Option(names = "--cutout", paramLabel = "PX", description = "Cutout square side, 0 = off.")
    Integer cutout;

    @Option(names = "--auxiliary", negatable = true,
            description = "DARTS' auxiliary head, loss weight 0.4; cells only (default: on when images are >= 32 px:"
                    + " the head needs an 8x8 map after the second reduction).")
    Boolean auxiliary;

    @Option(names = "--drop-path", paramLabel = "P",
            description = "Drop-path probability, ramped linearly from 0 over the epochs; cells only.")
    Double dropPath;

    @Option(names = "--grad-clip", paramLabel = "NORM", description = "Global gradient-norm clip, 0 = off.")
    Double gradClip;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P", converter = PrecisionParser.class,
            description = "fp32 | fp16 | bf16: fp16 and bf16 train in mixed precision with float32 master weights"
                    + " (pays off on GPUs with 16-bit tensor cores; bf16 needs the patched JNI, see GPU in"
                    + " README.md); testing stays fp32 (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of initialization, data order, augmentation and drop path.")
    long seed;

    @Option(names = "--train-subset", paramLabel = "proxy.json",
            description = "Train only on the examples a selection file names (default: the whole training split).")
    Path trainSubset;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "Test on the first N test examples only, for quick runs, 0 = all.")
    int testLimit;

    @Option(names = "--resume", description = "Continue the run in --out from its last epoch checkpoint, exactly.")
    boolean resume;

    @Option(names = "--json", description = "Print result.json instead of a table.")
    boolean json;

    @Mixin
    DebugOption debug;

    @Mixin
    RunOptions run;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TrainConfig config = config();
        TrainResult r = TrainJob.run(config, run.context(spec).withResume(resume));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(Json.pretty(r));
        } else {
            w.printf(Locale.ROOT, "network          %s%s%n", r.network(), r.auxiliaryHead() ? " (+auxiliary head)" : "");
            w.printf(Locale.ROOT, "dataset          %s (%d training, %d test examples)%n", r.dataset(),
                    r.trainExamples(), r.testExamples());
            w.printf(Locale.ROOT, "parameters       %,d%n", r.parameters());
            w.printf(Locale.ROOT, "epochs           %d%s%n", r.epochs(), config.precision().isMixed()
                    ? ", mixed precision " + config.precision().cliName() + " (tested in fp32)" : "");
            w.printf(Locale.ROOT, "test accuracy    %.4f (error %.2f%%)%n", r.finalTestAccuracy(),
                    100 * r.finalTestError());
            w.printf(Locale.ROOT, "best test acc.   %.4f at epoch %d (reference only)%n", r.bestTestAccuracy(),
                    r.bestEpoch());
            w.printf(Locale.ROOT, "train loss/acc   %.4f / %.4f%n", r.finalTrainLoss(), r.finalTrainAccuracy());
            w.printf(Locale.ROOT, "wall time        %.1f s, %.0f training images/s%n", r.wallSeconds(),
                    r.imagesPerSecond());
            w.printf(Locale.ROOT, "output           %s%n", out);
            w.printf(Locale.ROOT, "model            %s (for proxynas predict and proxynas export)%n",
                    out.resolve(ModelDirectory.DIR));
        }
        w.flush();
        return ProxyNas.EXIT_OK;
    }

    /** The training the options describe. */
    TrainConfig config() throws IOException {
        return TrainConfig.builder()
                .setDataset(dataset)
                .setNetwork(networkSpec())
                .setOutputDir(out)
                .optEpochs(epochs)
                .optBatchSize(batchSize)
                .optLr(lr)
                .optMomentum(momentum)
                .optWeightDecay(weightDecay)
                .optCutout(cutout)
                .optDropPath(dropPath)
                .optGradClip(gradClip)
                .optSeed(seed)
                .optTrainSubset(trainSubset)
                .optTestLimit(testLimit)
                .optPrecision(precision)
                .build();
    }

    /** Each option's default per protocol, from the two protocols' configs, in the help. */
    static void describeDefaults(CommandSpec spec) {
        ConfigDefaults.describeProtocols(spec, Map.of("cells", TrainConfig.CELL_DEFAULTS, "ResNets",
                TrainConfig.RESNET_DEFAULTS));
    }

    private NetworkSpec networkSpec() throws IOException {
        if (network.arch != null) {
            for (Object[] cellOnly : new Object[][] {{"--layers", layers}, {"--channels", channels},
                    {"--auxiliary", auxiliary}, {"--drop-path", dropPath}}) {
                if (cellOnly[1] != null) {
                    throw new UserError(cellOnly[0] + " applies to --genotype networks only");
                }
            }
            return NetworkSpec.ResNet.parse(network.arch);
        }
        Genotype g = Genotype.resolve(network.genotype);
        NetworkSpec.Cells protocol = (NetworkSpec.Cells) TrainConfig.CELL_DEFAULTS.network();
        return new NetworkSpec.Cells(network.genotype, g, layers != null ? layers : protocol.layers(),
                channels != null ? channels : protocol.channels(), auxiliary);
    }

    static final class PrecisionParser implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
