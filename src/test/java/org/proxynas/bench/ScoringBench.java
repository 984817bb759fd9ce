package org.proxynas.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.proxynas.data.Augmentation;
import org.proxynas.data.DataLoader;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.InMemoryImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.learn.LrSchedule;
import org.proxynas.learn.TrainingRecipe;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.learn.TrainingOutcome;
import org.proxynas.score.LogitScores;
import org.proxynas.score.ResNetCifar;

/**
 * Throughput of the scoring baseline (ResNet-20) along the code paths {@code proxynas score} runs:
 * inference = DataLoader batch → eval-mode forward with features → per-example scores copied back;
 * training = the shared TrainingLoop with the recipe's SGD and augmentation, second epoch timed (the
 * first warms up). Prints one JSON line per configuration, like the PyTorch reference's bench.py.
 *
 * <p>Usage: {@code ScoringBench infer|train 1x28x28|3x32x32 [batch] [steps]} (defaults 128 and 40); one
 * configuration per process, so that bench/scoring.sh can run each right next to its PyTorch counterpart.
 */
public final class ScoringBench {
    private static final int WARMUP = 3;

    private ScoringBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !List.of("infer", "train").contains(args[0])
                || !List.of("1x28x28", "3x32x32").contains(args[1])) {
            throw new IllegalArgumentException("usage: ScoringBench infer|train 1x28x28|3x32x32 [batch] [steps]");
        }
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int n = batch * (WARMUP + steps);
        ImageDataset d = args[1].equals("1x28x28")
                ? Datasets.open("fashion-mnist", Split.TRAIN).subset(IntStream.range(0, n).toArray())
                : randomImages(n, 3, 32);
        if (args[0].equals("infer")) {
            infer(d, batch, steps);
        } else {
            train(d, batch, steps);
        }
    }

    private static ImageDataset randomImages(int n, int channels, int side) {
        byte[] pixels = new byte[n * channels * side * side];
        new SplittableRandom(0).nextBytes(pixels);
        int[] labels = new SplittableRandom(1).ints(n, 0, 10).toArray();
        List<String> classes = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
        return new InMemoryImageDataset("random", Split.TRAIN, channels, side, side, classes, pixels, labels);
    }

    private static String shape(ImageDataset d) {
        return d.channels() + "x" + d.height() + "x" + d.width();
    }

    private static void infer(ImageDataset d, int batch, int steps) {
        Normalization norm = Normalization.compute(d);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNetCifar net = ResNetCifar.resnet20(10);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, d.channels(), d.height(), d.width()));
            DataLoader loader = DataLoader.builder().setDataset(d).setBatchSize(batch).optNormalization(norm).build();
            ParameterStore ps = new ParameterStore(manager, false);
            long timedStart = 0;
            int b = 0;
            for (Iterator<DataLoader.Batch> it = loader.epoch(manager, 0); it.hasNext(); b++) {
                if (b == WARMUP) {
                    timedStart = System.nanoTime();
                }
                try (DataLoader.Batch x = it.next()) {
                    NDList out = net.forwardWithFeatures(ps, new NDList(x.images()), false);
                    LogitScores.compute(out.get(0), x.labels());
                    out.get(1).toFloatArray();
                }
            }
            double seconds = (System.nanoTime() - timedStart) / 1e9;
            report("infer", d, batch, steps, steps * batch / seconds);
        }
    }

    private static void train(ImageDataset d, int batch, int steps) throws IOException {
        TrainingRecipe config = TrainingRecipe.builder()
                .setEpochs(2)
                .setBatchSize(batch)
                .setSchedule(new LrSchedule.MultiStep(0.1, List.of(100, 150), 0.1))
                .setNormalization(Normalization.compute(d))
                .optMomentum(0.9)
                .optWeightDecay(1e-4)
                .optAugmentation(new Augmentation(d.height() >= 32 ? 4 : 2, d.channels() == 3, 0))
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingOutcome outcome = TrainingLoop.builder().setNetwork(ResNetCifar.resnet20(10)).setTrainSet(d)
                    .setConfig(config).setManager(manager).optProgressName("bench train " + shape(d)).build().run();
            // the whole second epoch is timed: warm-up batches included, the first epoch having warmed up
            report("train", d, batch, WARMUP + steps, outcome.history().get(1).imagesPerSecond());
        }
    }

    private static void report(String mode, ImageDataset d, int batch, int steps, double imagesPerSecond) {
        System.out.printf(Locale.ROOT, "{\"impl\": \"proxynas\", \"model\": \"resnet20\", \"mode\": \"%s\", \"shape\": \"%s\","
                + " \"batch\": %d, \"steps\": %d, \"img_per_s\": %.1f, \"vmhwm_mb\": %d}%n",
                mode, shape(d), batch, steps, imagesPerSecond, ProcessStats.peakRssKb() / 1024);
    }
}
