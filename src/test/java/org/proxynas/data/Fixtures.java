package org.proxynas.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small datasets written in the official on-disk formats, with pixel content derived from a seed. */
final class Fixtures {
    private Fixtures() {}

    /** Random pixels and labels {@code i % classes}. */
    static InMemoryImageDataset random(String name, int n, int c, int h, int w, int classes, long seed) {
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
    static void writeIdx(Path dir, InMemoryImageDataset train, InMemoryImageDataset test, boolean gzip)
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

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buf)) {
            out.write(bytes);
        }
        return buf.toByteArray();
    }
}
