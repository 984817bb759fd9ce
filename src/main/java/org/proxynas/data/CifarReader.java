package org.proxynas.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.proxynas.common.UserError;

/**
 * The official binary CIFAR versions. CIFAR-10: {@code data_batch_1..5.bin} (train) and {@code test_batch.bin},
 * records of 1 label byte + 3072 pixel bytes (R, G, B planes of 32×32); class names from
 * {@code batches.meta.txt}. CIFAR-100: {@code train.bin} and {@code test.bin}, records of a coarse and a fine
 * label byte + 3072 pixel bytes; names from {@code fine_label_names.txt} / {@code coarse_label_names.txt}.
 * Names default to numbers when the file is absent. DIR may also be the folder the official archive
 * unpacks into ({@code cifar-10-batches-bin}, {@code cifar-100-binary}) sits in.
 */
final class CifarReader implements DatasetReader {
    private static final int SIDE = 32;
    private static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    private final boolean cifar100;

    CifarReader(boolean cifar100) {
        this.cifar100 = cifar100;
    }

    @Override
    public ImageDataset read(String name, Path dir, Split split, DatasetOptions options) throws IOException {
        Path root = resolveRoot(DataFiles.requireDirectory(dir, name));
        boolean coarse = cifar100 && options.cifar100Label().equals("coarse");
        int labelBytes = cifar100 ? 2 : 1;
        int labelOffset = coarse ? 0 : labelBytes - 1;
        int classes = !cifar100 ? 10 : coarse ? 20 : 100;
        List<String> names = classNames(root, coarse, classes);

        List<byte[]> contents = new ArrayList<>();
        List<Path> files = files(root, split);
        int records = 0;
        int record = labelBytes + IMAGE_BYTES;
        for (Path file : files) {
            byte[] bytes = DataFiles.readAll(file);
            if (bytes.length == 0 || bytes.length % record != 0) {
                throw new UserError(file + ": size " + bytes.length + " is not a positive multiple of the "
                        + record + "-byte " + (cifar100 ? "CIFAR-100" : "CIFAR-10") + " record (truncated or wrong format?)");
            }
            contents.add(bytes);
            records += bytes.length / record;
        }
        byte[] pixels = new byte[records * IMAGE_BYTES];
        int[] labels = new int[records];
        int next = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int r = 0; r < bytes.length / record; r++, next++) {
                int label = bytes[r * record + labelOffset] & 0xFF;
                if (label >= classes) {
                    throw new UserError(files.get(f) + ": " + (coarse ? "coarse " : cifar100 ? "fine " : "")
                            + "label " + label + " of record " + r + " is outside 0.." + (classes - 1));
                }
                labels[next] = label;
                System.arraycopy(bytes, r * record + labelBytes, pixels, next * IMAGE_BYTES, IMAGE_BYTES);
            }
            contents.set(f, null);
        }
        return new InMemoryImageDataset(name, split, 3, SIDE, SIDE, names, pixels, labels);
    }

    private Path resolveRoot(Path dir) {
        Path inner = dir.resolve(cifar100 ? "cifar-100-binary" : "cifar-10-batches-bin");
        boolean direct = Files.exists(dir.resolve(cifar100 ? "train.bin" : "data_batch_1.bin"))
                || Files.exists(dir.resolve(cifar100 ? "test.bin" : "test_batch.bin"));
        return !direct && Files.isDirectory(inner) ? inner : dir;
    }

    private List<Path> files(Path root, Split split) throws IOException {
        List<Path> files = new ArrayList<>();
        if (cifar100) {
            files.add(DataFiles.firstExisting(root, split == Split.TRAIN ? "train.bin" : "test.bin"));
        } else if (split == Split.TEST) {
            files.add(DataFiles.firstExisting(root, "test_batch.bin"));
        } else {
            for (int i = 1; i <= 5; i++) {
                files.add(DataFiles.firstExisting(root, "data_batch_" + i + ".bin"));
            }
        }
        return files;
    }

    private List<String> classNames(Path root, boolean coarse, int classes) throws IOException {
        Path file = root.resolve(!cifar100 ? "batches.meta.txt" : coarse ? "coarse_label_names.txt" : "fine_label_names.txt");
        List<String> names = DataFiles.readNames(file);
        if (names == null) {
            return DataFiles.numberNames(classes);
        }
        if (names.size() != classes) {
            throw new UserError(file + ": " + names.size() + " class names, expected " + classes);
        }
        return names;
    }
}
