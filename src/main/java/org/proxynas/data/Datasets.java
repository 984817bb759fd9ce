package org.proxynas.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.proxynas.common.Checksums;
import org.proxynas.common.Progress;
import org.proxynas.common.UserError;

/**
 * Opens datasets by spec and identifies them by content. Specs: {@code fashion-mnist} (the default),
 * {@code idx:DIR}, {@code cifar10:DIR}, {@code cifar100:DIR}, {@code svhn:DIR}, {@code folder:DIR}.
 */
public final class Datasets {
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final Path FASHION_MNIST_SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String FASHION_MNIST_INSTALL = "sudo apt-get install dataset-fashion-mnist";

    private static final Map<String, DatasetReader> READERS = Map.of(
            "idx", new IdxReader(null),
            "cifar10", new CifarReader(false),
            "cifar100", new CifarReader(true),
            "svhn", new SvhnReader(),
            "folder", (name, dir, split, options) -> FolderDataset.open(
                    name, DataFiles.requireDirectory(dir, name), split, options.imageSize(), FolderDataset.DEFAULT_CACHE_BYTES));

    /** Full passes over more pixels than this show a progress bar. */
    private static final long PROGRESS_THRESHOLD_BYTES = 256L << 20;
    /** ... and so do passes decoding at least this many image files. */
    private static final int PROGRESS_THRESHOLD_IMAGES_TO_DECODE = 1000;

    /** Images decoded in parallel per step of a full pass over a lazily decoded dataset. */
    private static final int DECODE_BLOCK = 256;

    private static final Map<ImageDataset, String> CHECKSUMS = Collections.synchronizedMap(new WeakHashMap<>());

    private Datasets() {}

    public static ImageDataset open(String spec, Split split) throws IOException {
        return open(spec, split, DatasetOptions.defaults());
    }

    public static ImageDataset open(String spec, Split split, DatasetOptions options) throws IOException {
        if (spec == null || spec.isBlank()) {
            throw new UserError("dataset: expected a spec such as " + specHelp() + ", found nothing");
        }
        String s = spec.strip();
        if (s.equalsIgnoreCase(FASHION_MNIST)) {
            return new IdxReader(FASHION_MNIST_CLASSES).read(FASHION_MNIST, fashionMnistDir(), split, options);
        }
        int colon = s.indexOf(':');
        String format = colon < 0 ? s : s.substring(0, colon).toLowerCase(Locale.ROOT);
        DatasetReader reader = READERS.get(format);
        if (reader == null || colon < 0 || colon == s.length() - 1) {
            throw new UserError("dataset '" + spec + "': expected " + specHelp());
        }
        return reader.read(s, Path.of(s.substring(colon + 1)), split, options);
    }

    /** The format word of a spec ({@code cifar10} for {@code cifar10:/data}), or the whole name. */
    static String format(String name) {
        int colon = name.indexOf(':');
        return (colon < 0 ? name : name.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    private static String specHelp() {
        return "fashion-mnist, idx:DIR, cifar10:DIR, cifar100:DIR, svhn:DIR or folder:DIR";
    }

    /** {@code $PROXYNAS_DATA/fashion-mnist} when it holds the files, else the Debian package's directory. */
    static Path fashionMnistDir() throws IOException {
        String env = System.getenv("PROXYNAS_DATA");
        Path user = env == null || env.isBlank() ? null : Path.of(env, FASHION_MNIST);
        for (Path dir : user == null ? List.of(FASHION_MNIST_SYSTEM_DIR) : List.of(user, FASHION_MNIST_SYSTEM_DIR)) {
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        throw UserError.noSuchFile(FASHION_MNIST_SYSTEM_DIR
                + (user == null ? "" : " nor " + user) + " (Fashion-MNIST is missing; get it with: "
                + FASHION_MNIST_INSTALL + ")");
    }

    /**
     * SHA-256 (hex) of the content, stable across formats and machines: for each example in dataset order,
     * its {@code C*H*W} pixel bytes (channel-major) followed by its label as a 4-byte big-endian int.
     * Computed once per dataset instance.
     */
    public static String checksum(ImageDataset d) {
        String cached = CHECKSUMS.get(d);
        if (cached == null) {
            cached = computeChecksum(d);
            CHECKSUMS.put(d, cached);
        }
        return cached;
    }

    private static String computeChecksum(ImageDataset d) {
        MessageDigest digest = Checksums.sha256();
        ByteBuffer label = ByteBuffer.allocate(4);
        forEachImage(d, "checksum", (index, pixels, offset) -> {
            digest.update(pixels, offset, d.imageBytes());
            digest.update(label.putInt(0, d.label(index)).array());
        });
        return Checksums.hex(digest);
    }

    /**
     * Checks every example of each dataset with {@link ImageDataset#checkReadable} (image headers, in parallel); the
     * first bad one in dataset order is an IOException naming its file. Runs call it on the splits they will use
     * (both, when they test) before their first step.
     */
    public static void requireReadable(ImageDataset... datasets) throws IOException {
        for (ImageDataset d : datasets) {
            Optional<IOException> first = IntStream.range(0, d.size()).parallel()
                    .mapToObj(i -> problem(d, i)).filter(Objects::nonNull).findFirst();
            if (first.isPresent()) {
                throw first.get();
            }
        }
    }

    private static IOException problem(ImageDataset d, int index) {
        try {
            d.checkReadable(index);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** Receives one image of a full pass: its index and where its pixels are. */
    interface ImageVisitor {
        void visit(int index, byte[] pixels, int offset);
    }

    /**
     * Calls {@code visitor} for every image in dataset order, with a progress bar named {@code task} when the
     * pass is long; lazily decoded datasets are decoded in parallel blocks.
     */
    static void forEachImage(ImageDataset d, String task, ImageVisitor visitor) {
        try (Progress progress = worthProgress(d) ? Progress.start(task, d.size(), "img") : null) {
            if (d instanceof IdxImages idx) {
                // streamed from the file, so that a pass does not load the split
                idx.forEachImage((index, pixels, offset) -> {
                    visitor.visit(index, pixels, offset);
                    if (progress != null) {
                        progress.step(1);
                    }
                });
                return;
            }
            int size = d.imageBytes();
            int block = d.inMemory() ? 1 : DECODE_BLOCK;
            byte[] buffer = new byte[block * size];
            for (int from = 0; from < d.size(); from += block) {
                int n = Math.min(block, d.size() - from);
                int first = from;
                readImages(d, n, j -> first + j, buffer);
                for (int j = 0; j < n; j++) {
                    visitor.visit(from + j, buffer, j * size);
                }
                if (progress != null) {
                    progress.step(n);
                }
            }
        }
    }

    /**
     * Reads the images {@code index(0..n-1)} into consecutive slots of {@code dst}: a copy loop for in-memory
     * datasets, parallel decoding for lazy ones.
     */
    static void readImages(ImageDataset d, int n, IntUnaryOperator index, byte[] dst) {
        int size = d.imageBytes();
        if (d.inMemory()) {
            for (int j = 0; j < n; j++) {
                d.readImage(index.applyAsInt(j), dst, j * size);
            }
        } else {
            IntStream.range(0, n).parallel().forEach(j -> d.readImage(index.applyAsInt(j), dst, j * size));
        }
    }

    /** Whether a full pass over {@code d} takes long enough to deserve a progress bar. */
    static boolean worthProgress(ImageDataset d) {
        return (!d.inMemory() && d.size() >= PROGRESS_THRESHOLD_IMAGES_TO_DECODE)
                || (long) d.size() * d.imageBytes() > PROGRESS_THRESHOLD_BYTES;
    }

    /**
     * The augmentation a format trains with: random crop with zero padding everywhere (4 px on 32-px images,
     * 2 px on 28-px MNIST-style images whose objects already fill the frame, 1/8 of the side on resized
     * folders); horizontal flips only for natural photos (CIFAR, folders), never for digits or Fashion-MNIST,
     * whose classes are not mirror-symmetric in the data (shoes all point one way). No cutout by default.
     */
    public static Augmentation defaultAugmentation(ImageDataset d) {
        String format = format(d.name());
        return switch (format) {
            case "cifar10", "cifar100" -> new Augmentation(4, true, 0);
            case "folder" -> new Augmentation(Math.max(1, d.height() / 8), true, 0);
            case "svhn" -> new Augmentation(4, false, 0);
            case FASHION_MNIST, "idx" -> new Augmentation(d.height() >= 32 ? 4 : 2, false, 0);
            default -> new Augmentation(d.height() / 8, false, 0);
        };
    }
}
