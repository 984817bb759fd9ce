package org.proxynas.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One split of an IDX dataset whose pixels stay in their file until a stage needs them, so that a 64-image
 * {@code --limit} or proxy set of a 60,000-image split never holds the whole split: {@link #subset} reads only its
 * own images, in one pass over the file up to the last of them; a full pass (checksum, normalization) streams the
 * file; only random access to the whole split (training on all of it) loads every pixel into memory, once. Gzipped
 * files are read as streams like the others: gzip has no random access, but every read here is in file order.
 * The labels (one byte per image) are read at open.
 */
final class IdxImages implements ImageDataset {
    static final int HEADER_BYTES = 16;
    /** Images per read of a streaming pass. */
    private static final int BLOCK = 1024;

    private final String name;
    private final Split split;
    private final Path file;
    private final int rows;
    private final int cols;
    private final List<String> classNames;
    private final int[] labels;
    private volatile byte[] loaded;

    /** {@code file} must hold a checked header and {@code labels.length} images of {@code rows×cols}. */
    IdxImages(String name, Split split, Path file, int rows, int cols, List<String> classNames, int[] labels) {
        this.name = name;
        this.split = split;
        this.file = file;
        this.rows = rows;
        this.cols = cols;
        this.classNames = List.copyOf(classNames);
        this.labels = labels.clone();
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
        return labels.length;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int height() {
        return rows;
    }

    @Override
    public int width() {
        return cols;
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

    /** A memory copy, once the first call has loaded the split. */
    @Override
    public boolean inMemory() {
        return true;
    }

    @Override
    public void readImage(int index, byte[] dst, int offset) {
        System.arraycopy(pixels(), index * imageBytes(), dst, offset, imageBytes());
    }

    /** The examples at {@code indices}, read from the file into memory; a view when the split is loaded already. */
    @Override
    public ImageDataset subset(int[] indices) {
        SubsetDataset view = new SubsetDataset(this, indices);
        if (loaded != null) {
            return view;
        }
        return new InMemoryImageDataset(name, split, 1, rows, cols, classNames, read(indices), view.labels());
    }

    /** Visits every image in order, streaming the file unless the split is loaded already. */
    void forEachImage(Datasets.ImageVisitor visitor) {
        int size = imageBytes();
        byte[] all = loaded;
        if (all != null) {
            for (int i = 0; i < size(); i++) {
                visitor.visit(i, all, i * size);
            }
            return;
        }
        byte[] block = new byte[BLOCK * size];
        try (InputStream in = pixelStream()) {
            for (int from = 0; from < size(); from += BLOCK) {
                int n = Math.min(BLOCK, size() - from);
                readFully(in, block, 0, n * size, from + n - 1);
                for (int j = 0; j < n; j++) {
                    visitor.visit(from + j, block, j * size);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] pixels() {
        byte[] all = loaded;
        if (all == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = read(IntStream.range(0, size()).toArray());
                }
                all = loaded;
            }
        }
        return all;
    }

    /** The images at {@code indices} (in range, in any order, repeats allowed), from one pass in file order. */
    private byte[] read(int[] indices) {
        int size = imageBytes();
        byte[] out = new byte[indices.length * size];
        int[] byIndex = IntStream.range(0, indices.length).boxed()
                .sorted((a, b) -> Integer.compare(indices[a], indices[b])).mapToInt(Integer::intValue).toArray();
        try (InputStream in = pixelStream()) {
            long next = 0;
            int previous = -1;
            for (int slot : byIndex) {
                int index = indices[slot];
                if (previous >= 0 && indices[previous] == index) {
                    System.arraycopy(out, previous * size, out, slot * size, size);
                    continue;
                }
                skip(in, (index - next) * size, index);
                readFully(in, out, slot * size, size, index);
                next = index + 1L;
                previous = slot;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private InputStream pixelStream() throws IOException {
        InputStream in = DataFiles.open(file);
        in.skipNBytes(HEADER_BYTES);
        return in;
    }

    /** The file was checked at open; coming up short now means it changed since. */
    private void readFully(InputStream in, byte[] dst, int offset, int length, int lastImage) throws IOException {
        if (in.readNBytes(dst, offset, length) != length) {
            throw endsBefore(lastImage);
        }
    }

    private void skip(InputStream in, long bytes, int nextImage) throws IOException {
        try {
            in.skipNBytes(bytes);
        } catch (EOFException e) {
            throw endsBefore(nextImage);
        }
    }

    private IOException endsBefore(int image) {
        return new IOException(file + ": ends before image " + image + " (changed since it was opened?)");
    }

    @Override
    public String toString() {
        return name + " (" + split + ", " + size() + " images of " + rows + "x" + cols + " in " + file + ")";
    }
}
