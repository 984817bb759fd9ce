package org.proxynas.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import org.proxynas.data.Augmentation;
import org.proxynas.data.DataLoader;
import org.proxynas.data.Datasets;
import org.proxynas.data.Fixtures;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;

/**
 * Input-pipeline throughput: opening Fashion-MNIST, its checksum and statistics, then images/s of whole
 * epochs (batch 64, shuffled) without augmentation, with the default crop, and with crop + cutout 16 — each
 * batch converted to NDArrays on the bench device ({@code -Dproxynas.device}, so on a GPU the upload is
 * counted) — and the same for 50,000 random CIFAR-shaped images (3×32×32, crop 4 + flip). Prints a markdown
 * row and a JSON line per measurement. Usage: {@code DataLoaderBench [DATASET] [EPOCHS]}; see
 * bench/dataloader.sh and bench/gpu/run.sh.
 */
public final class DataLoaderBench {
    private DataLoaderBench() {}

    public static void main(String[] args) throws IOException {
        String spec = args.length > 0 ? args[0] : "fashion-mnist";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long t0 = System.nanoTime();
        ImageDataset train = Datasets.open(spec, Split.TRAIN);
        long t1 = System.nanoTime();
        String sha = Datasets.checksum(train);
        long t2 = System.nanoTime();
        Normalization norm = Normalization.compute(train);
        long t3 = System.nanoTime();
        System.out.printf("| open %s train (%d images) | %.2f s |%n", spec, train.size(), (t1 - t0) / 1e9);
        System.out.printf("| checksum (%s...) | %.2f s |%n", sha.substring(0, 12), (t2 - t1) / 1e9);
        System.out.printf("| normalization statistics | %.2f s |%n", (t3 - t2) / 1e9);
        Augmentation crop = Datasets.defaultAugmentation(train);
        ImageDataset cifarShaped = Fixtures.random("cifar10:random", 50_000, 3, 32, 32, 10, 1);
        try (NDManager manager = NDManager.newBaseManager(BenchDevice.resolve())) {
            // Round 0 warms the JIT and the engine on every configuration; round 1 is reported.
            for (int round = 0; round < 2; round++) {
                for (Augmentation aug : new Augmentation[] {Augmentation.NONE, crop, crop.withCutout(16)}) {
                    measure(train, aug, norm, manager, epochs, round == 1);
                }
                measure(cifarShaped, new Augmentation(4, true, 0), Normalization.none(3), manager, 1, round == 1);
            }
        }
    }

    private static void measure(ImageDataset data, Augmentation aug, Normalization norm, NDManager manager,
            int epochs, boolean report) {
        DataLoader loader = loader(data, aug, norm);
        long start = System.nanoTime();
        long images = 0;
        for (int e = 0; e < epochs; e++) {
            images += epoch(loader, manager, e);
        }
        double s = (System.nanoTime() - start) / 1e9;
        if (report) {
            String shape = data.channels() + "x" + data.height() + "x" + data.width();
            System.out.printf(Locale.ROOT, "| loader %s: crop padding %d, flip %s, cutout %d | %.0f img/s |%n",
                    shape, aug.cropPadding(), aug.horizontalFlip(), aug.cutoutLength(), images / s);
            System.out.printf(Locale.ROOT, "{\"impl\":\"proxynas\",\"row\":\"loader\",\"input\":\"%s\",\"crop\":%d,"
                    + "\"flip\":%s,\"cutout\":%d,\"batch\":64,\"img_per_s\":%.0f,\"device\":\"%s\"}%n", shape,
                    aug.cropPadding(), aug.horizontalFlip(), aug.cutoutLength(), images / s, manager.getDevice());
        }
    }

    private static DataLoader loader(ImageDataset train, Augmentation aug, Normalization norm) {
        return DataLoader.builder().setDataset(train).setBatchSize(64).optShuffle(true).optSeed(1)
                .optAugmentation(aug).optNormalization(norm).build();
    }

    private static long epoch(DataLoader loader, NDManager manager, int epoch) {
        long n = 0;
        for (Iterator<DataLoader.Batch> it = loader.epoch(manager, epoch); it.hasNext(); ) {
            try (DataLoader.Batch b = it.next()) {
                n += b.size();
            }
        }
        return n;
    }
}
