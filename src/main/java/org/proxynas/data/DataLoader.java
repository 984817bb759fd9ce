package org.proxynas.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.proxynas.common.Seeds;
import org.proxynas.common.UserError;

/**
 * Turns an {@link ImageDataset} into batches of DJL arrays. Immutable: the order and the augmentation of an
 * epoch are a pure function of (seed, epoch, batch), so a run resumed at epoch {@code e} sees exactly the
 * batches an uninterrupted run would. Each batch's pixels are converted, augmented and normalized in one
 * Java pass into one float array, then cross to native memory (and to the GPU) once; lazily decoded datasets
 * decode a batch's images in parallel first.
 *
 * <p>The next {@value #PREFETCH} batches of an epoch are prepared and uploaded on a background thread while
 * the caller computes on the current one, so the step never waits for its input. A batch depends only on
 * (seed, epoch, batch), never on which thread made it or when.
 */
public final class DataLoader {
    private static final long ORDER_STREAM = 0;
    static final int PREFETCH = 2;
    /** One daemon thread for every loader: preparing a batch is far cheaper than a step consumes. */
    private static final ExecutorService PREPARER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "proxynas-batches");
        t.setDaemon(true);
        return t;
    });

    private final ImageDataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final Augmentation augmentation;
    private final Normalization normalization;
    private final boolean dropLast;
    private final float[][] tables;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.augmentation = b.augmentation;
        this.normalization = b.normalization != null ? b.normalization : Normalization.none(dataset.channels());
        this.dropLast = b.dropLast;
        this.tables = normalization.lookupTables();
    }

    public static Builder builder() {
        return new Builder();
    }

    public ImageDataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public Augmentation augmentation() {
        return augmentation;
    }

    public Normalization normalization() {
        return normalization;
    }

    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Dataset positions in the order epoch {@code epoch} visits them (identity when not shuffling). */
    public int[] order(int epoch) {
        int[] order = new int[dataset.size()];
        Arrays.setAll(order, i -> i);
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(Seeds.data(seed, epoch, ORDER_STREAM));
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /**
     * The batches of one epoch. Each {@link Batch} lives in its own sub-manager of {@code parent}; the caller
     * closes it (try-with-resources) when the step is done.
     */
    public Iterator<Batch> epoch(NDManager parent, int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, found " + epoch);
        }
        int[] order = order(epoch);
        int batches = batchesPerEpoch();
        return new Iterator<>() {
            private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
            private int next;
            private int submitted;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + batches + " batches");
                }
                while (submitted < batches && ahead.size() <= PREFETCH) {
                    int b = submitted++;
                    ahead.add(PREPARER.submit(() -> batch(parent, indicesOf(order, b),
                            new SplittableRandom(Seeds.data(seed, epoch, 1L + b)))));
                }
                next++;
                return await(ahead.poll());
            }
        };
    }

    private int[] indicesOf(int[] order, int batch) {
        int from = batch * batchSize;
        return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
    }

    private static Batch await(Future<Batch> batch) {
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Batch batch(NDManager parent, int[] indices, SplittableRandom rng) {
        int n = indices.length;
        int c = dataset.channels();
        int h = dataset.height();
        int w = dataset.width();
        int size = c * h * w;
        byte[] raw = new byte[n * size];
        Datasets.readImages(dataset, n, j -> indices[j], raw);
        float[] pixels = new float[n * size];
        long[] labels = new long[n];
        for (int j = 0; j < n; j++) {
            labels[j] = dataset.label(indices[j]);
            fill(raw, j * size, pixels, rng);
        }
        NDManager manager = parent.newSubManager();
        try {
            NDArray x = manager.create(FloatBuffer.wrap(pixels), new Shape(n, c, h, w));
            NDArray y = manager.create(labels);
            return new Batch(x, y, indices);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Crop, flip, normalize and cut out the image at {@code offset} of {@code raw} into the same place of {@code out}. */
    private void fill(byte[] raw, int offset, float[] out, SplittableRandom rng) {
        int c = dataset.channels();
        int h = dataset.height();
        int w = dataset.width();
        int plane = h * w;
        int pad = augmentation.cropPadding();
        int dy = pad > 0 ? rng.nextInt(2 * pad + 1) - pad : 0;
        int dx = pad > 0 ? rng.nextInt(2 * pad + 1) - pad : 0;
        boolean flip = augmentation.horizontalFlip() && rng.nextBoolean();
        for (int ch = 0; ch < c; ch++) {
            float[] table = tables[ch];
            int start = offset + ch * plane;
            if (dy == 0 && dx == 0 && !flip) {
                for (int p = start, end = start + plane; p < end; p++) {
                    out[p] = table[raw[p] & 0xFF];
                }
                continue;
            }
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                int row = start + y * w;
                if (sy < 0 || sy >= h) {
                    Arrays.fill(out, row, row + w, table[0]);
                    continue;
                }
                int srcRow = start + sy * w;
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    out[row + x] = sx >= 0 && sx < w ? table[raw[srcRow + sx] & 0xFF] : table[0];
                }
            }
        }
        int len = augmentation.cutoutLength();
        if (len > 0) {
            int cy = rng.nextInt(h);
            int cx = rng.nextInt(w);
            int y1 = Math.max(0, cy - len / 2);
            int y2 = Math.min(h, cy + len / 2);
            int x1 = Math.max(0, cx - len / 2);
            int x2 = Math.min(w, cx + len / 2);
            for (int ch = 0; ch < c; ch++) {
                for (int y = y1; y < y2; y++) {
                    int row = offset + ch * plane + y * w;
                    Arrays.fill(out, row + x1, row + x2, 0f);
                }
            }
        }
    }

    /**
     * One batch: {@code images} float32 N×C×H×W normalized, {@code labels} int64 N, {@code indices} the
     * examples' positions in the loader's dataset. Closing it closes the sub-manager both arrays live in.
     */
    public record Batch(NDArray images, NDArray labels, int[] indices) implements AutoCloseable {
        public int size() {
            return indices.length;
        }

        @Override
        public void close() {
            images.getManager().close();
        }
    }

    /** {@code set*} required, {@code opt*} defaulted; {@link #build()} validates. */
    public static final class Builder {
        private ImageDataset dataset;
        private int batchSize;
        private boolean shuffle;
        private long seed;
        private Augmentation augmentation = Augmentation.NONE;
        private Normalization normalization;
        private boolean dropLast;

        private Builder() {}

        public Builder setDataset(ImageDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Default false: dataset order, as scoring and evaluation need. */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Default {@link Augmentation#NONE}. */
        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** Default: none, networks see pixel/255. */
        public Builder optNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** Default false: the last, smaller batch is kept. */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public DataLoader build() {
            if (dataset == null) {
                throw new IllegalArgumentException("data loader: setDataset is required");
            }
            if (batchSize < 1) {
                throw new UserError("batch size must be >= 1, found " + batchSize);
            }
            if (augmentation == null) {
                throw new IllegalArgumentException("data loader: augmentation must not be null (use Augmentation.NONE)");
            }
            if (normalization != null && normalization.channels() != dataset.channels()) {
                throw new UserError("normalization has " + normalization.channels()
                        + " channels, dataset " + dataset.name() + " has " + dataset.channels());
            }
            return new DataLoader(this);
        }
    }
}
