package org.proxynas.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.proxynas.common.UserError;

/**
 * MNIST-format directories: {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}, each optionally gzipped
 * (the extracted {@code train-images.idx3-ubyte} spelling is accepted too). Images are 1×H×W uint8, read from the
 * file when needed ({@link IdxImages}); opening checks both files whole.
 * Without fixed class names the classes are 0..(largest training label), so train and test agree.
 */
final class IdxReader implements DatasetReader {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private final List<String> classNames;

    /** {@code classNames} fixes the classes (labels must be below their count); null numbers them. */
    IdxReader(List<String> classNames) {
        this.classNames = classNames == null ? null : List.copyOf(classNames);
    }

    @Override
    public ImageDataset read(String name, Path dir, Split split, DatasetOptions options) throws IOException {
        DataFiles.requireDirectory(dir, name);
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path imagesFile = find(dir, prefix, "images", "idx3");
        Path labelsFile = find(dir, prefix, "labels", "idx1");
        int[] labels = readLabels(labelsFile);
        byte[] head;
        try (InputStream in = DataFiles.open(imagesFile)) {
            head = in.readNBytes(IdxImages.HEADER_BYTES);
        }
        ByteBuffer header = header(imagesFile, head, IMAGES_MAGIC, IdxImages.HEADER_BYTES);
        int count = header.getInt(4);
        int rows = header.getInt(8);
        int cols = header.getInt(12);
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new UserError(imagesFile + ": header gives " + count + " images of " + rows + "x" + cols
                    + ", expected positive sizes");
        }
        // The whole file is checked now (for gzip: decompressed once), so that the pixels, read later, are known good.
        long expected = IdxImages.HEADER_BYTES + (long) count * rows * cols;
        long length = DataFiles.contentLength(imagesFile);
        if (length != expected) {
            throw new UserError(imagesFile + ": header promises " + count + " images of " + rows + "x" + cols
                    + " (" + expected + " bytes), file has " + length + " bytes");
        }
        if (labels.length != count) {
            throw new UserError(labelsFile + ": " + labels.length + " labels but " + imagesFile.getFileName()
                    + " has " + count + " images");
        }
        List<String> names = classNames != null ? classNames : DataFiles.numberNames(numberedClasses(dir, split, labels));
        requireLabelsBelow(labelsFile, labels, names.size());
        return new IdxImages(name, split, imagesFile, rows, cols, names, labels);
    }

    /** Classes of an unnamed IDX set: as many as the training labels use, whichever split is read. */
    private int numberedClasses(Path dir, Split split, int[] labels) throws IOException {
        int[] train = split == Split.TRAIN ? labels : readLabels(find(dir, "train", "labels", "idx1"));
        return Arrays.stream(train).max().orElse(0) + 1;
    }

    private static int[] readLabels(Path file) throws IOException {
        byte[] bytes = DataFiles.readAll(file);
        ByteBuffer header = header(file, bytes, LABELS_MAGIC, 8);
        int count = header.getInt(4);
        if (count < 0 || bytes.length != 8L + count) {
            throw new UserError(file + ": header promises " + count + " labels (" + (8L + count)
                    + " bytes), file has " + bytes.length + " bytes");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes[8 + i] & 0xFF;
        }
        return labels;
    }

    static void requireLabelsBelow(Path file, int[] labels, int classes) throws IOException {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new UserError(file + ": label " + labels[i] + " of example " + i + " is outside 0.."
                        + (classes - 1));
            }
        }
    }

    private static ByteBuffer header(Path file, byte[] bytes, int magic, int size) throws IOException {
        if (bytes.length < size) {
            throw new UserError(file + ": " + bytes.length + " bytes is shorter than the " + size
                    + "-byte IDX header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, size);
        int found = b.getInt(0);
        if (found != magic) {
            throw new UserError(file + ": bad IDX magic number 0x" + String.format("%08x", found)
                    + ", expected 0x" + String.format("%08x", magic));
        }
        return b;
    }

    private static Path find(Path dir, String prefix, String kind, String idx) throws IOException {
        String dashed = prefix + "-" + kind + "-" + idx + "-ubyte";
        String dotted = prefix + "-" + kind + "." + idx + "-ubyte";
        return DataFiles.firstExisting(dir, dashed + ".gz", dashed, dotted + ".gz", dotted);
    }
}
