package org.proxynas.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Iterator;
import org.proxynas.data.Augmentation;
import org.proxynas.data.DataLoader;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Normalization;
import org.proxynas.data.Split;

/**
 * Input-pipeline throughput: opening Fashion-MNIST, its checksum and statistics, then images/s of whole
 * epochs (batch 64, shuffled) without augmentation, with the default crop, and with crop + cutout 16 — each
 * batch converted to NDArrays. Usage: {@code DataLoaderBench [DATASET] [EPOCHS]}; see bench/dataloader.sh.
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
        Augmentation[] augs = {Augmentation.NONE, crop, crop.withCutout(16)};
        try (NDManager manager = NDManager.newBaseManager()) {
            // Round 0 warms the JIT and the engine on every configuration; round 1 is reported.
            for (int round = 0; round < 2; round++) {
                for (Augmentation aug : augs) {
                    DataLoader loader = loader(train, aug, norm);
                    long start = System.nanoTime();
                    long images = 0;
                    for (int e = 0; e < epochs; e++) {
                        images += epoch(loader, manager, e);
                    }
                    double s = (System.nanoTime() - start) / 1e9;
                    if (round == 1) {
                        System.out.printf("| loader: crop padding %d, flip %s, cutout %d | %.0f img/s |%n",
                                aug.cropPadding(), aug.horizontalFlip(), aug.cutoutLength(), images / s);
                    }
                }
            }
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
