package org.proxynas.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.proxynas.common.UserError;

/**
 * An ImageNet-style folder, {@code train/<class>/<image>} and {@code val/<class>/<image>}, decoded lazily: only
 * the file list is held (read at open, so files must not change afterwards), and decoded images stay in a bounded LRU cache, so a million images need not fit in
 * memory. Classes are the sorted names of train's subfolders; examples are ordered by class, then file name.
 * Each image is scaled so its shorter side is {@code side} and centre-cropped to {@code side}×{@code side} RGB.
 */
final class FolderDataset implements ImageDataset {
    /** Decoded images kept; at the default 32 px this holds about 87,000 of them. */
    static final long DEFAULT_CACHE_BYTES = 256L << 20;

    private final String name;
    private final Split split;
    private final int side;
    private final List<String> classNames;
    private final Path[] files;
    private final int[] labels;
    private final Map<Integer, byte[]> cache;

    private FolderDataset(String name, Split split, int side, List<String> classNames, Path[] files, int[] labels,
            long cacheBytes) {
        this.name = name;
        this.split = split;
        this.side = side;
        this.classNames = List.copyOf(classNames);
        this.files = files;
        this.labels = labels;
        int capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, cacheBytes / imageBytes()));
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Lists {@code root/train} or {@code root/val}; checks names and extensions, decodes nothing. */
    static FolderDataset open(String name, Path root, Split split, int side, long cacheBytes) throws IOException {
        Path train = root.resolve("train");
        if (!Files.isDirectory(train)) {
            throw UserError.noSuchFile(train + " (folder datasets need train/<class>/<image>)");
        }
        List<String> classes = subfolders(train);
        if (classes.isEmpty()) {
            throw new UserError(train + ": no class subfolders");
        }
        Path dir = split == Split.TRAIN ? train : root.resolve("val");
        if (!Files.isDirectory(dir)) {
            throw UserError.noSuchFile(dir + " (folder datasets need val/<class>/<image> for the test split)");
        }
        for (String folder : subfolders(dir)) {
            if (!classes.contains(folder)) {
                throw new UserError(dir.resolve(folder) + ": class folder is not one of the " + classes.size()
                        + " classes in " + train);
            }
        }
        Set<String> suffixes = ImagePixels.suffixes();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = dir.resolve(classes.get(c));
            if (!Files.isDirectory(classDir)) {
                continue;
            }
            for (Path file : entries(classDir)) {
                if (!Files.isRegularFile(file)) {
                    throw new UserError(file + ": expected an image file, found " + notAnImage(file));
                }
                String ext = ImagePixels.extension(file);
                if (!suffixes.contains(ext)) {
                    throw new UserError(file + ": not an image file (expected extension " + String.join(", ", suffixes) + ")");
                }
                files.add(file);
                labels.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new UserError(dir + ": no images in its class folders (the " + split + " split of " + name
                    + " is empty)");
        }
        return new FolderDataset(name, split, side, classes, files.toArray(Path[]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), cacheBytes);
    }

    /** What a class folder's entry that is no image file is, as the user would look for it. */
    private static String notAnImage(Path entry) throws IOException {
        if (Files.isSymbolicLink(entry) && !Files.exists(entry)) {
            return "a broken symbolic link (to " + Files.readSymbolicLink(entry) + ", which does not exist)";
        }
        return Files.isDirectory(entry) ? "a folder" : "a special file";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Split split() {
        return split;
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public int height() {
        return side;
    }

    @Override
    public int width() {
        return side;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Decodes on a cache miss; an unreadable file surfaces as an {@link UncheckedIOException} naming it. */
    @Override
    public void readImage(int index, byte[] dst, int offset) {
        byte[] pixels;
        synchronized (cache) {
            pixels = cache.get(index);
        }
        if (pixels == null) {
            pixels = decode(files[index], side);
            synchronized (cache) {
                cache.put(index, pixels);
            }
        }
        System.arraycopy(pixels, 0, dst, offset, pixels.length);
    }

    /** Reads the image's header only: its format and size, which a file that is not an image has not. */
    @Override
    public void checkReadable(int index) throws IOException {
        Path file = files[index];
        String problem = ImagePixels.headerProblem(file);
        if (problem != null) {
            throw new UserError(file + ": unreadable image (" + problem + ")");
        }
    }

    /** How many decoded images the cache holds now. */
    int cachedImages() {
        synchronized (cache) {
            return cache.size();
        }
    }

    static byte[] decode(Path file, int side) {
        return ImagePixels.read(file, 3, side, side);
    }

    private static List<String> subfolders(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path p : entries(dir)) {
            if (Files.isDirectory(p)) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    /** Sorted non-hidden entries. */
    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    @Override
    public String toString() {
        return name + " (" + split + ", " + files.length + " images of 3x" + side + "x" + side + ")";
    }
}
