package org.proxynas.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.UserError;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sinks;

/**
 * Writes a subset of a training split in the source's own format, so the result opens with the same spec
 * type ({@code idx:OUT}, {@code cifar10:OUT}, ...) here and with any other tool that reads the original.
 * The test split and metadata files are linked to the source (symbolic links), so the output is a complete
 * dataset whose training split is the subset.
 *
 * <ul>
 * <li>IDX / Fashion-MNIST: {@code train-{images-idx3,labels-idx1}-ubyte}, gzipped when the source is.</li>
 * <li>CIFAR-10: the subset split over five {@code data_batch_k.bin} files (the reader wants all five).</li>
 * <li>CIFAR-100: {@code train.bin} with the source's records copied byte for byte (coarse and fine label).</li>
 * <li>SVHN: {@code train_32x32.mat} (MATLAB v5: {@code X} 32×32×3×N uint8, {@code y} N×1 with 10 for 0).</li>
 * <li>folder: {@code train/<class>/<file>} links to the source images; {@code val} links to the source's.</li>
 * </ul>
 *
 * <p>An export is marked ({@link #MARKER}) and written whole: it goes into a new or empty directory, or replaces a
 * previous export completely (a smaller proxy leaves none of the larger one's links behind); any other directory
 * holds the user's own files, which an export must never overwrite, and is refused.
 */
public final class ProxyExport {
    private static final int CIFAR10_BATCHES = 5;
    /** The file that marks a directory as an export of ProxyNAS, and so as one the next export may replace. */
    public static final String MARKER = ".proxynas-export";

    private ProxyExport() {}

    /** Writes examples {@code indices} of {@code train} (opened from {@code spec}) to {@code outDir}. */
    public static List<Path> write(String spec, ImageDataset train, int[] indices, Path outDir) throws IOException {
        if (train.split() != Split.TRAIN) {
            throw new UserError("export: expected the training split of " + spec + ", found " + train.split());
        }
        requireReplaceable(outDir);
        Path target = outDir.toAbsolutePath();
        List<Path> written = new ArrayList<>();
        AtomicFiles.writeDirectory(target, staging -> {
            for (Path p : writeFormat(spec, train, indices, staging)) {
                written.add(target.resolve(staging.relativize(p)));
            }
            Files.writeString(staging.resolve(MARKER), "A proxy set of " + spec + " exported by ProxyNAS; the next"
                    + " export into this directory replaces all of it.\n");
        });
        return written;
    }

    /** A new directory, an empty one, or a previous export: anything else holds files that are not ours. */
    private static void requireReplaceable(Path outDir) throws IOException {
        if (!Files.exists(outDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(outDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserError("export: " + outDir + " exists and is not a directory; choose a new or empty directory");
        }
        if (Files.isRegularFile(outDir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> entries = Files.list(outDir)) {
            if (entries.findAny().isPresent()) {
                throw new UserError("export: " + outDir + " holds files and is not an earlier export (no " + MARKER
                        + " in it); choose a new or empty directory");
            }
        }
    }

    private static List<Path> writeFormat(String spec, ImageDataset train, int[] indices, Path outDir)
            throws IOException {
        String format = Datasets.format(spec.strip());
        if (format.equals(Datasets.FASHION_MNIST)) {
            return writeIdx(train, Datasets.fashionMnistDir(), indices, outDir);
        }
        Path source = Path.of(spec.strip().substring(spec.strip().indexOf(':') + 1));
        return switch (format) {
            case "idx" -> writeIdx(train, source, indices, outDir);
            case "cifar10" -> writeCifar10(train, cifarRoot(source, false), indices, outDir);
            case "cifar100" -> writeCifar100(cifarRoot(source, true), indices, outDir);
            case "svhn" -> writeSvhn(train, source, indices, outDir);
            case "folder" -> writeFolder(train, source, indices, outDir);
            default -> throw new UserError("export: no writer for dataset format '" + format + "'");
        };
    }

    private static List<Path> writeIdx(ImageDataset train, Path source, int[] indices, Path out) throws IOException {
        boolean gzip = Files.exists(source.resolve("train-images-idx3-ubyte.gz"))
                || Files.exists(source.resolve("train-images.idx3-ubyte.gz"));
        String suffix = gzip ? ".gz" : "";
        Path images = out.resolve("train-images-idx3-ubyte" + suffix);
        Path labels = out.resolve("train-labels-idx1-ubyte" + suffix);
        // only the proxy's images are read, not the split
        ImageDataset selected = train.subset(indices);
        AtomicFiles.write(images, raw -> {
            OutputStream o = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            o.write(ByteBuffer.allocate(16).putInt(0x00000803).putInt(indices.length).putInt(train.height())
                    .putInt(train.width()).array());
            byte[] image = new byte[selected.imageBytes()];
            for (int j = 0; j < selected.size(); j++) {
                selected.readImage(j, image, 0);
                o.write(image);
            }
            finish(o);
        });
        AtomicFiles.write(labels, raw -> {
            OutputStream o = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            o.write(ByteBuffer.allocate(8).putInt(0x00000801).putInt(indices.length).array());
            byte[] l = new byte[indices.length];
            for (int j = 0; j < indices.length; j++) {
                l[j] = (byte) train.label(indices[j]);
            }
            o.write(l);
            finish(o);
        });
        List<Path> written = new ArrayList<>(List.of(images, labels));
        linkAll(source, out, written, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "t10k-images.idx3-ubyte.gz",
                "t10k-labels.idx1-ubyte.gz", "t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte");
        return written;
    }

    private static List<Path> writeCifar10(ImageDataset train, Path source, int[] indices, Path out)
            throws IOException {
        if (indices.length < CIFAR10_BATCHES) {
            throw new UserError("export: CIFAR-10 needs at least " + CIFAR10_BATCHES
                    + " examples (one per data_batch file), found " + indices.length);
        }
        List<Path> written = new ArrayList<>();
        int bytes = train.imageBytes();
        for (int b = 0; b < CIFAR10_BATCHES; b++) {
            int from = (int) ((long) indices.length * b / CIFAR10_BATCHES);
            int to = (int) ((long) indices.length * (b + 1) / CIFAR10_BATCHES);
            Path file = out.resolve("data_batch_" + (b + 1) + ".bin");
            AtomicFiles.write(file, o -> {
                byte[] record = new byte[1 + bytes];
                for (int j = from; j < to; j++) {
                    record[0] = (byte) train.label(indices[j]);
                    train.readImage(indices[j], record, 1);
                    o.write(record);
                }
            });
            written.add(file);
        }
        linkAll(source, out, written, "test_batch.bin", "batches.meta.txt");
        return written;
    }

    private static List<Path> writeCifar100(Path source, int[] indices, Path out) throws IOException {
        int record = 2 + 3 * 32 * 32;
        byte[] all = DataFiles.readAll(DataFiles.firstExisting(source, "train.bin"));
        Path file = out.resolve("train.bin");
        AtomicFiles.write(file, o -> {
            for (int i : indices) {
                o.write(all, i * record, record);
            }
        });
        List<Path> written = new ArrayList<>(List.of(file));
        linkAll(source, out, written, "test.bin", "fine_label_names.txt", "coarse_label_names.txt");
        return written;
    }

    private static List<Path> writeSvhn(ImageDataset train, Path source, int[] indices, Path out) throws IOException {
        int side = train.height();
        int plane = side * side;
        Matrix x = Mat5.newMatrix(new int[] {side, side, 3, indices.length}, MatlabType.UInt8);
        Matrix y = Mat5.newMatrix(indices.length, 1, MatlabType.UInt8);
        byte[] image = new byte[train.imageBytes()];
        for (int j = 0; j < indices.length; j++) {
            train.readImage(indices[j], image, 0);
            for (int c = 0; c < 3; c++) {
                int base = (j * 3 + c) * plane;
                for (int row = 0; row < side; row++) {
                    for (int col = 0; col < side; col++) {
                        x.setByte(base + col * side + row, image[c * plane + row * side + col]);
                    }
                }
            }
            int label = train.label(indices[j]);
            y.setByte(j, (byte) (label == 0 ? 10 : label));
        }
        Path file = out.resolve("train_32x32.mat");
        try (Mat5File mat = Mat5.newMatFile()) {
            mat.addArray("X", x);
            mat.addArray("y", y);
            // MFL seeks back to patch entry sizes, so it writes into memory first. Deflate can grow
            // incompressible data by a few bytes per block, hence the slack.
            long raw = mat.getUncompressedSerializedSize();
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(raw + raw / 64 + 4096));
            mat.writeTo(Sinks.wrap(buffer));
            AtomicFiles.write(file, o -> o.write(buffer.array(), 0, buffer.position()));
        }
        List<Path> written = new ArrayList<>(List.of(file));
        linkAll(source, out, written, "test_32x32.mat");
        return written;
    }

    /** Re-lists the source the way {@link FolderDataset} does and checks it still matches the dataset. */
    private static List<Path> writeFolder(ImageDataset train, Path source, int[] indices, Path out)
            throws IOException {
        List<Path> files = new ArrayList<>();
        for (int c = 0; c < train.numClasses(); c++) {
            Path classDir = source.resolve("train").resolve(train.classNames().get(c));
            if (Files.isDirectory(classDir)) {
                try (Stream<Path> s = Files.list(classDir)) {
                    files.addAll(s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList());
                }
            }
        }
        if (files.size() != train.size()) {
            throw new UserError(source.resolve("train") + ": now holds " + files.size() + " images, the dataset had "
                    + train.size() + " (files changed since it was read)");
        }
        List<Path> written = new ArrayList<>();
        for (int i : indices) {
            Path src = files.get(i).toAbsolutePath();
            Path link = out.resolve("train").resolve(train.classNames().get(train.label(i))).resolve(src.getFileName());
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, src);
            written.add(link);
        }
        linkAll(source, out, written, "val");
        return written;
    }

    private static Path cifarRoot(Path dir, boolean cifar100) {
        Path inner = dir.resolve(cifar100 ? "cifar-100-binary" : "cifar-10-batches-bin");
        boolean direct = Files.exists(dir.resolve(cifar100 ? "train.bin" : "data_batch_1.bin"));
        return !direct && Files.isDirectory(inner) ? inner : dir;
    }

    /** Links each of {@code names} that exists in {@code source} into {@code out}. */
    private static void linkAll(Path source, Path out, List<Path> written, String... names) throws IOException {
        for (String name : names) {
            Path src = source.resolve(name).toAbsolutePath();
            if (Files.exists(src)) {
                Path link = out.resolve(name);
                Files.createDirectories(out);
                Files.createSymbolicLink(link, src);
                written.add(link);
            }
        }
    }

    private static void finish(OutputStream o) throws IOException {
        if (o instanceof GZIPOutputStream gz) {
            gz.finish();
        }
        o.flush();
    }
}
