package org.proxynas.bench;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.proxynas.data.Augmentation;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.InMemoryImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;
import org.proxynas.learn.DatasetMetrics;
import org.proxynas.learn.LrSchedule;
import org.proxynas.learn.TrainingRecipe;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.learn.TrainingOutcome;
import org.proxynas.nas.space.Genotype;
import org.proxynas.score.ResNetCifar;
import org.proxynas.train.GenotypeNetwork;

/**
 * Training and inference throughput of the shared training loop (data pipeline, forward, backward,
 * clipping, SGD) on random images, one JSON line per configuration, for {@code bench/train.sh}.
 *
 * <p>Usage: {@code TrainBench resnet20|darts CxHxW BATCH WARMUP STEPS [C LAYERS]}. A warm-up epoch of
 * WARMUP batches runs first, then {@code -Dbench.rounds} (default 3) measured epochs of STEPS batches; inference
 * makes one untimed pass over max(WARMUP, STEPS) batches, then as many timed ones as training. Each throughput is
 * the median of its rounds, as bench/train_reference.py's: one slow round (this machine's neighbours, a JIT
 * compilation) does not move it.
 * RSS is sampled after the warm-up and after the measured epochs, to show it stays flat.
 *
 * <p>With {@code -Dbench.torchscript=DIR} the network is not ProxyNAS's but the reference's, traced by
 * {@code bench/train_reference.py --torchscript DIR}: libtorch 2.7.1 runs its whole forward pass in one call, with
 * the same loop, data, loss, clipping and SGD around it: the speed ProxyNAS's network code could reach at best
 * ({@code LIMIT=1 bench/compare.sh}; {@link TraceComparison} compares the two in one process).
 */
public final class TrainBench {
    private TrainBench() {}

    public static void main(String[] args) throws IOException {
        Row row = Row.parse(args);
        int rounds = Integer.getInteger("bench.rounds", 3);
        String traces = System.getProperty("bench.torchscript");
        try (NDManager manager = NDManager.newBaseManager(BenchDevice.resolve());
                Model trainTrace = traces == null ? null : trace(traces, row.model() + "-train", manager);
                Model evalTrace = traces == null ? null : trace(traces, row.model() + "-eval", manager)) {
            Block net = traces == null ? network(row) : trainTrace.getBlock();
            Block inferNet = traces == null ? net : evalTrace.getBlock();
            Normalization norm = Normalization.none(row.c());
            TrainingRecipe config = config(row, norm);
            run(net, images(row, row.warmup()), config, manager);
            long rssWarm = ProcessStats.rssKb();
            ImageDataset trainSet = images(row, row.steps());
            double[] trainRates = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                trainRates[r] = run(net, trainSet, config, manager).last().imagesPerSecond();
            }
            long rssAfter = ProcessStats.rssKb();
            long peak = ProcessStats.peakRssKb();
            List<NDArray> weights = new ArrayList<>();
            net.getParameters().values().forEach(p -> weights.add(p.getArray()));
            int misplaced = Placement.misplaced(manager.getDevice(), weights, manager);
            // inference times the training rounds' images: images() is a pure function of its size
            DatasetMetrics.of(inferNet, images(row, Math.max(row.warmup(), row.steps())), norm, row.batch(), manager);
            double[] inferRates = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                inferRates[r] = inferenceRate(inferNet, trainSet, norm, row.batch(), manager);
            }
            double trainShare = Double.NaN;
            double inferShare = Double.NaN;
            if (KernelShare.enabled()) {
                trainShare = KernelShare.of(() -> run(net, trainSet, config, manager));
                inferShare = KernelShare.of(() -> DatasetMetrics.of(inferNet, trainSet, norm, row.batch(), manager));
            }
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\":\"%s\",%s,\"rounds\":%d,\"train_img_per_s\":%.1f,\"infer_img_per_s\":%.1f,"
                            + "\"rss_mb_after_warmup\":%.0f,\"rss_mb_after_steps\":%.0f,\"threads\":\"%s\","
                            + "\"device\":\"%s\","
                            + "\"misplaced_tensors\":%d,\"train_kernel_share\":%.3f,\"infer_kernel_share\":%.3f,"
                            + "\"maxrss_mb\":%.0f}",
                    traces == null ? "proxynas" : "libtorch-torchscript", row.json(), rounds, median(trainRates),
                    median(inferRates), rssWarm / 1024.0, rssAfter / 1024.0,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), manager.getDevice(), misplaced,
                    trainShare, inferShare, peak / 1024.0));
        }
    }

    /**
     * One configuration: {@code resnet20|darts CxHxW BATCH WARMUP STEPS [C LAYERS]} (C and LAYERS: DARTS_V2's
     * initial channels and cells, default 16 and 8).
     */
    record Row(String model, int c, int h, int w, int batch, int warmup, int steps, int channels, int layers) {

        static Row parse(String[] args) {
            String[] chw = args[1].split("x");
            return new Row(args[0], Integer.parseInt(chw[0]), Integer.parseInt(chw[1]), Integer.parseInt(chw[2]),
                    Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    args.length > 5 ? Integer.parseInt(args[5]) : 16, args.length > 6 ? Integer.parseInt(args[6]) : 8);
        }

        boolean darts() {
            return model.equals("darts");
        }

        /** The row's fields as in bench/train_reference.py's JSON line, which tables pair the two sides by. */
        String json() {
            return String.format(Locale.ROOT,
                    "\"model\":\"%s\",\"C\":%d,\"layers\":%d,\"input\":\"%dx%dx%d\",\"batch\":%d,\"steps\":%d",
                    darts() ? "darts_v2" : "resnet20", darts() ? channels : 0, darts() ? layers : 20, c, h, w, batch,
                    steps);
        }
    }

    /** ProxyNAS's network of the row, with the reference's drop path for DARTS_V2. */
    static Block network(Row row) {
        if (!row.darts()) {
            return ResNetCifar.resnet20(10);
        }
        GenotypeNetwork net = GenotypeNetwork.builder().setGenotype(Genotype.named("DARTS_V2")).setClasses(10)
                .setInputChannels(row.c()).optChannels(row.channels()).optLayers(row.layers()).build();
        net.setDropPathProbability(0.2f);
        return net;
    }

    /** Images per second of one pass over {@code data} without autograd. */
    static double inferenceRate(Block net, ImageDataset data, Normalization norm, int batch, NDManager manager) {
        long t0 = System.nanoTime();
        DatasetMetrics.of(net, data, norm, batch, manager);
        return data.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /** The reference's training settings: SGD with momentum, its weight decay, clipping and rate per network. */
    static TrainingRecipe config(Row row, Normalization norm) {
        return TrainingRecipe.builder().setBatchSize(row.batch()).setEpochs(1)
                .setNormalization(norm).optMomentum(0.9).optAugmentation(Augmentation.NONE)
                .optWeightDecay(row.darts() ? 3e-4 : 1e-4).optGradClip(row.darts() ? 5 : 0)
                .setSchedule(new LrSchedule.Constant(row.darts() ? 0.025 : 0.1)).build();
    }

    static TrainingOutcome run(Block net, ImageDataset data, TrainingRecipe config, NDManager manager)
            throws IOException {
        System.setProperty("proxynas.quiet", "true");
        return TrainingLoop.builder().setNetwork(net).setTrainSet(data).setConfig(config).setManager(manager)
                .build().run();
    }

    /**
     * A trace of the reference network, trainable, run as written: the graph executor's optimizations (which
     * would replace autograd by its own differentiated graphs after a few profiled runs) are off, as in the
     * reference's timing of the same file.
     */
    static Model trace(String dir, String name, NDManager manager) throws IOException {
        System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        Model model = Model.newInstance(name, manager.getDevice(), "PyTorch");
        try {
            model.load(Path.of(dir), name, Map.of("trainParam", "true"));
        } catch (MalformedModelException e) {
            throw new IOException(dir + "/" + name + ".pt: " + e.getMessage(), e);
        }
        return model;
    }

    /** The middle value (the upper one of an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** {@code batches} batches of random images of the row's shape; the same images for the same count. */
    static ImageDataset images(Row row, int batches) {
        int n = batches * row.batch();
        int c = row.c();
        int h = row.h();
        int w = row.w();
        byte[] pixels = new byte[n * c * h * w];
        int[] labels = new int[n];
        SplittableRandom rng = new SplittableRandom(n);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        return new InMemoryImageDataset("bench", Split.TRAIN, c, h, w,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), pixels, labels);
    }
}
