package org.proxynas.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Small datasets written in the official on-disk formats, with pixel content derived from a seed. Public so
 * the CLI tests can write them too.
 */
public final class Fixtures {
    private Fixtures() {}

    /** Random pixels and labels {@code i % classes}. */
    public static InMemoryImageDataset random(String name, int n, int c, int h, int w, int classes, long seed) {
        byte[] pixels = new byte[n * c * h * w];
        new SplittableRandom(seed).nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return new InMemoryImageDataset(name, Split.TRAIN, c, h, w, DataFiles.numberNames(classes), pixels, labels);
    }

    static byte[] idxImages(InMemoryImageDataset d) {
        ByteBuffer b = ByteBuffer.allocate(16 + d.pixels().length);
        b.putInt(0x803).putInt(d.size()).putInt(d.height()).putInt(d.width()).put(d.pixels());
        return b.array();
    }

    static byte[] idxLabels(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x801).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    /** Writes {@code train} and {@code test} (1-channel) as an MNIST-format directory. */
    public static void writeIdx(Path dir, InMemoryImageDataset train, InMemoryImageDataset test, boolean gzip)
            throws IOException {
        Files.createDirectories(dir);
        String gz = gzip ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + gz), idxImages(train), gzip);
        write(dir.resolve("train-labels-idx1-ubyte" + gz), idxLabels(train.labelArray()), gzip);
        write(dir.resolve("t10k-images-idx3-ubyte" + gz), idxImages(test), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte" + gz), idxLabels(test.labelArray()), gzip);
    }

    static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    /** CIFAR-10 records (label, 3072 pixels) of {@code d}'s examples {@code from..to-1}. */
    static byte[] cifar10Records(InMemoryImageDataset d, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            out.write(d.label(i));
            out.write(d.pixels(), i * 3072, 3072);
        }
        return out.toByteArray();
    }

    /** {@code train} split over the five official batch files (sizes may differ), {@code test} in one. */
    public static void writeCifar10(Path dir, InMemoryImageDataset train, InMemoryImageDataset test,
            List<String> names) throws IOException {
        Files.createDirectories(dir);
        int n = train.size();
        for (int b = 0; b < 5; b++) {
            Files.write(dir.resolve("data_batch_" + (b + 1) + ".bin"), cifar10Records(train, b * n / 5, (b + 1) * n / 5));
        }
        Files.write(dir.resolve("test_batch.bin"), cifar10Records(test, 0, test.size()));
        if (names != null) {
            Files.write(dir.resolve("batches.meta.txt"), (String.join("\n", names) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** CIFAR-100 records (coarse label, fine label, 3072 pixels): coarse is fine / 5 as in the real data. */
    static byte[] cifar100Records(InMemoryImageDataset d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < d.size(); i++) {
            out.write(d.label(i) / 5);
            out.write(d.label(i));
            out.write(d.pixels(), i * 3072, 3072);
        }
        return out.toByteArray();
    }

    public static void writeCifar100(Path dir, InMemoryImageDataset train, InMemoryImageDataset test)
            throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("train.bin"), cifar100Records(train));
        Files.write(dir.resolve("test.bin"), cifar100Records(test));
    }

    /** {@code d} (3×32×32, labels 0..9) as an official SVHN file: X 32×32×3×N uint8 column-major, y N×1 with 10 for 0. */
    public static void writeSvhn(Path file, InMemoryImageDataset d) throws IOException {
        Files.createDirectories(file.getParent());
        int n = d.size();
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, n}, MatlabType.UInt8);
        byte[] p = d.pixels();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < 32; row++) {
                    for (int col = 0; col < 32; col++) {
                        x.setByte(row + 32 * (col + 32 * (c + 3 * i)), p[((i * 3 + c) * 32 + row) * 32 + col]);
                    }
                }
            }
        }
        Matrix y = Mat5.newMatrix(n, 1, MatlabType.UInt8);
        for (int i = 0; i < n; i++) {
            y.setByte(i, (byte) (d.label(i) == 0 ? 10 : d.label(i)));
        }
        try (MatFile mat = Mat5.newMatFile().addArray("X", x).addArray("y", y)) {
            Mat5.writeToFile(mat, file.toFile());
        }
    }

    /** Writes each example of {@code d} (3 channels) as {@code dir/<split>/<class name>/<i>.<format>}. */
    public static void writeFolder(Path dir, String split, InMemoryImageDataset d, String format) throws IOException {
        int h = d.height();
        int w = d.width();
        for (int i = 0; i < d.size(); i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            byte[] p = d.pixels();
            int base = i * 3 * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int o = base + y * w + x;
                    img.setRGB(x, y, (p[o] & 0xFF) << 16 | (p[o + h * w] & 0xFF) << 8 | (p[o + 2 * h * w] & 0xFF));
                }
            }
            Path classDir = dir.resolve(split).resolve(d.classNames().get(d.label(i)));
            Files.createDirectories(classDir);
            ImageIO.write(img, format, classDir.resolve(String.format("%04d.%s", i, format)).toFile());
        }
    }
}
