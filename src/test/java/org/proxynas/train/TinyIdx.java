package org.proxynas.train;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;

/**
 * A few Fashion-MNIST images written as an {@code idx:DIR} dataset, optionally zero-padded to a larger side,
 * so evaluation tests train and test on a few hundred images instead of 70,000.
 */
public final class TinyIdx {
    private TinyIdx() {}

    public static String write(Path dir, int trainCount, int testCount, int pad) throws IOException {
        Files.createDirectories(dir);
        copy(Datasets.open(Datasets.FASHION_MNIST, Split.TRAIN), trainCount, pad, dir, "train");
        copy(Datasets.open(Datasets.FASHION_MNIST, Split.TEST), testCount, pad, dir, "t10k");
        return "idx:" + dir;
    }

    private static void copy(ImageDataset d, int n, int pad, Path dir, String prefix) throws IOException {
        int h = d.height();
        int w = d.width();
        int side = h + 2 * pad;
        byte[] image = new byte[h * w];
        try (OutputStream f = Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte"));
                DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(side);
            out.writeInt(side);
            byte[] padded = new byte[side * side];
            for (int i = 0; i < n; i++) {
                d.readImage(i, image, 0);
                for (int y = 0; y < h; y++) {
                    System.arraycopy(image, y * w, padded, (y + pad) * side + pad, w);
                }
                out.write(padded);
            }
        }
        try (OutputStream f = Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte"));
                DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(0x801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(d.label(i));
            }
        }
    }
}
