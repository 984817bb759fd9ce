package org.proxynas.bench;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
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
import org.proxynas.learn.TrainingConfig;
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
 * the same loop, data, loss, clipping and SGD around it. What ProxyNAS's network code costs beyond the kernels is
 * the difference between the two runs ({@code bench/kernel_limit.sh}).
 */
public final class TrainBench {
    private TrainBench() {}

    public static void main(String[] args) throws IOException {
        String model = args[0];
        String[] chw = args[1].split("x");
        int c = Integer.parseInt(chw[0]);
        int h = Integer.parseInt(chw[1]);
        int w = Integer.parseInt(chw[2]);
        int batch = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        int channels = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        int layers = args.length > 6 ? Integer.parseInt(args[6]) : 8;
        boolean darts = model.equals("darts");
        int rounds = Integer.getInteger("bench.rounds", 3);
        String traces = System.getProperty("bench.torchscript");
        try (NDManager manager = NDManager.newBaseManager(BenchDevice.resolve());
                Model trainTrace = traces == null ? null : trace(traces, model + "-train", manager);
                Model evalTrace = traces == null ? null : trace(traces, model + "-eval", manager)) {
            Block net = traces != null ? trainTrace.getBlock()
                    : darts ? GenotypeNetwork.builder().setGenotype(Genotype.named("DARTS_V2")).setClasses(10)
                            .setInputChannels(c).optChannels(channels).optLayers(layers).build()
                    : ResNetCifar.resnet20(10);
            Block inferNet = traces == null ? net : evalTrace.getBlock();
            Normalization norm = Normalization.none(c);
            TrainingConfig.Builder config = TrainingConfig.builder().setBatchSize(batch).setEpochs(1)
                    .setNormalization(norm).optMomentum(0.9).optAugmentation(Augmentation.NONE)
                    .optWeightDecay(darts ? 3e-4 : 1e-4).optGradClip(darts ? 5 : 0)
                    .setSchedule(new LrSchedule.Constant(darts ? 0.025 : 0.1));
            if (darts && traces == null) {
                ((GenotypeNetwork) net).setDropPathProbability(0.2f);
            }
            run(net, images(warmup * batch, c, h, w), config.build(), manager);
            long rssWarm = rssKb();
            ImageDataset trainSet = images(steps * batch, c, h, w);
            double[] trainRates = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                trainRates[r] = run(net, trainSet, config.build(), manager).last().imagesPerSecond();
            }
            long rssAfter = rssKb();
            long peak = peakRssKb();
            List<NDArray> weights = new ArrayList<>();
            net.getParameters().values().forEach(p -> weights.add(p.getArray()));
            int misplaced = Placement.misplaced(manager.getDevice(), weights, manager);
            // inference times the training rounds' images: images() is a pure function of its size
            DatasetMetrics.of(inferNet, images(Math.max(warmup, steps) * batch, c, h, w), norm, batch, manager);
            double[] inferRates = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                DatasetMetrics.of(inferNet, trainSet, norm, batch, manager);
                inferRates[r] = trainSet.size() / ((System.nanoTime() - t0) / 1e9);
            }
            double trainShare = Double.NaN;
            double inferShare = Double.NaN;
            if (KernelShare.enabled()) {
                trainShare = KernelShare.of(() -> run(net, trainSet, config.build(), manager));
                inferShare = KernelShare.of(() -> DatasetMetrics.of(inferNet, trainSet, norm, batch, manager));
            }
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\":\"%s\",\"model\":\"%s\",\"C\":%d,\"layers\":%d,\"input\":\"%s\",\"batch\":%d,"
                            + "\"steps\":%d,\"rounds\":%d,\"train_img_per_s\":%.1f,\"infer_img_per_s\":%.1f,"
                            + "\"rss_mb_after_warmup\":%.0f,\"rss_mb_after_steps\":%.0f,\"threads\":\"%s\","
                            + "\"device\":\"%s\","
                            + "\"misplaced_tensors\":%d,\"train_kernel_share\":%.3f,\"infer_kernel_share\":%.3f,"
                            + "\"maxrss_mb\":%.0f}",
                    traces == null ? "proxynas" : "libtorch-torchscript", darts ? "darts_v2" : "resnet20",
                    darts ? channels : 0, darts ? layers : 20, args[1], batch, steps,
                    rounds, median(trainRates), median(inferRates), rssWarm / 1024.0,
                    rssAfter / 1024.0, System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    manager.getDevice(), misplaced, trainShare, inferShare, peak / 1024.0));
        }
    }

    private static TrainingOutcome run(Block net, ImageDataset data, TrainingConfig config, NDManager manager)
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
    private static Model trace(String dir, String name, NDManager manager) throws IOException {
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

    private static ImageDataset images(int n, int c, int h, int w) {
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

    private static long rssKb() throws IOException {
        return status("VmRSS:");
    }

    /** The process's peak resident memory so far, as the reference's ru_maxrss reports it. */
    private static long peakRssKb() throws IOException {
        return status("VmHWM:");
    }

    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
