package org.proxynas.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
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

    static {
        // ImageIO would otherwise spool every decoded stream to a temp file.
        ImageIO.setUseCache(false);
    }

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
        Set<String> suffixes = imageSuffixes();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = dir.resolve(classes.get(c));
            if (!Files.isDirectory(classDir)) {
                continue;
            }
            for (Path file : entries(classDir)) {
                if (!Files.isRegularFile(file)) {
                    throw new UserError(file + ": expected an image file, found a folder or special file");
                }
                String ext = extension(file);
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
        String problem;
        try {
            problem = headerProblem(file);
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage() == null ? "its header cannot be read" : e.getMessage();
        }
        if (problem != null) {
            throw new UserError(file + ": unreadable image (" + problem + ")");
        }
    }

    /** Why {@code file} does not start like an image, or null when it does. */
    private static String headerProblem(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return "no decoder recognises it";
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                reader.getWidth(0);
                reader.getHeight(0);
                return null;
            } finally {
                reader.dispose();
            }
        }
    }

    /** How many decoded images the cache holds now. */
    int cachedImages() {
        synchronized (cache) {
            return cache.size();
        }
    }

    static byte[] decode(Path file, int side) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": unreadable image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new UserError(file + ": unreadable image (no decoder recognises it)");
        }
        int[] rgb = squareRgb(image, side).getRGB(0, 0, side, side, null, 0, side);
        int plane = side * side;
        byte[] out = new byte[3 * plane];
        for (int p = 0; p < plane; p++) {
            int v = rgb[p];
            out[p] = (byte) (v >> 16);
            out[plane + p] = (byte) (v >> 8);
            out[2 * plane + p] = (byte) v;
        }
        return out;
    }

    /**
     * Shorter side to {@code side}, centre crop. Bilinear steps of at most 2× keep large downscales from
     * aliasing (one bilinear step from 500 px to 32 px would sample only a few source pixels per output).
     */
    private static BufferedImage squareRgb(BufferedImage src, int side) {
        BufferedImage current = src;
        int w = src.getWidth();
        int h = src.getHeight();
        double scale = (double) side / Math.min(w, h);
        int targetW = Math.max(side, (int) Math.round(w * scale));
        int targetH = Math.max(side, (int) Math.round(h * scale));
        do {
            w = Math.max(targetW, w / 2);
            h = Math.max(targetH, h / 2);
            if (scale > 1) {
                w = targetW;
                h = targetH;
            }
            current = draw(current, w, h, 0, 0, w, h);
        } while (w != targetW || h != targetH);
        return draw(current, side, side, (targetW - side) / 2, (targetH - side) / 2, targetW, targetH);
    }

    /** Draws {@code src} scaled to {@code srcW×srcH}, shifted by {@code -x,-y}, on a {@code w×h} RGB canvas. */
    private static BufferedImage draw(BufferedImage src, int w, int h, int x, int y, int srcW, int srcH) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, -x, -y, srcW, srcH, null);
        } finally {
            g.dispose();
        }
        return out;
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

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Set<String> imageSuffixes() {
        Set<String> s = new TreeSet<>();
        for (String suffix : ImageIO.getReaderFileSuffixes()) {
            if (!suffix.isEmpty()) {
                s.add(suffix.toLowerCase(Locale.ROOT));
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return name + " (" + split + ", " + files.length + " images of 3x" + side + "x" + side + ")";
    }
}
