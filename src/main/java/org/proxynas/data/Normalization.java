package org.proxynas.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.proxynas.common.Checksums;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;

/**
 * Per-channel mean and standard deviation in pixel/255 space: a pixel {@code v} of channel {@code c} is fed
 * to networks as {@code (v/255 - mean[c]) / std[c]}.
 */
public record Normalization(float[] mean, float[] std) {
    private static final String CACHE_ENV = "PROXYNAS_CACHE";

    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new UserError("normalization needs one mean and one std per channel, found "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new UserError("normalization of channel " + c + ": mean " + mean[c]
                        + ", std " + std[c] + " (std must be finite and > 0)");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Mean 0, std 1: networks see pixel/255. */
    public static Normalization none(int channels) {
        float[] zeros = new float[channels];
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new Normalization(zeros, ones);
    }

    /**
     * The statistics of {@code train} (population std over every pixel of every image), cached as
     * {@code normalization-<sha256>.json} under {@code $PROXYNAS_CACHE} or {@code ~/.cache/proxynas}, keyed by
     * the dataset's content checksum, which the entry repeats, with a digest of that checksum and the values: an
     * entry that does not match both (unreadable, copied from another dataset, or values damaged or edited by
     * hand) is recomputed and replaced, since wrong statistics would train silently on skewed inputs. A cache
     * directory that cannot be written only costs the recomputation next time.
     */
    public static Normalization of(ImageDataset train) {
        return of(train, cacheDir());
    }

    static Normalization of(ImageDataset train, Path cacheDir) {
        String sha = Datasets.checksum(train);
        Path file = cacheDir.resolve("normalization-" + sha + ".json");
        Normalization cached = readCache(file, sha, train.channels());
        if (cached != null) {
            return cached;
        }
        Normalization computed = compute(train);
        try {
            Json.write(file, new CacheEntry(sha, computed.mean, computed.std, CacheEntry.digest(sha, computed),
                    Provenance.capture("none", List.of())));
        } catch (IOException e) {
            System.err.println("proxynas: warning: could not cache normalization in " + file + ": " + e.getMessage());
        }
        return computed;
    }

    /** Per-channel statistics of every pixel of {@code d}, exact (integer sums). */
    public static Normalization compute(ImageDataset d) {
        int c = d.channels();
        int plane = d.height() * d.width();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        Datasets.forEachImage(d, "normalization", (index, pixels, offset) -> {
            for (int ch = 0; ch < c; ch++) {
                long s = 0;
                long sq = 0;
                for (int p = offset + ch * plane, end = p + plane; p < end; p++) {
                    int v = pixels[p] & 0xFF;
                    s += v;
                    sq += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += sq;
            }
        });
        if (d.size() == 0) {
            throw new UserError(d.name() + ": cannot compute normalization of an empty dataset");
        }
        double n = (double) d.size() * plane;
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = Math.max(0, sumSq[ch] / n - m * m);
            mean[ch] = (float) (m / 255);
            // A constant channel would divide by zero; leave it unscaled instead.
            std[ch] = var > 0 ? (float) (Math.sqrt(var) / 255) : 1f;
        }
        return new Normalization(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * One image's uint8 C×H×W pixels as the network reads them, with the loader's arithmetic (so a prediction
     * on an image file sees the floats training and testing saw).
     */
    public float[] apply(byte[] pixels) {
        int plane = pixels.length / mean.length;
        if (plane * mean.length != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixels are not " + mean.length + " equal planes");
        }
        float[][] tables = lookupTables();
        float[] out = new float[pixels.length];
        for (int p = 0; p < pixels.length; p++) {
            out[p] = tables[p / plane][pixels[p] & 0xFF];
        }
        return out;
    }

    /**
     * For each channel, the normalized float of each of the 256 pixel values: the loader's inner loop becomes
     * one table lookup per pixel.
     */
    float[][] lookupTables() {
        float[][] table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }

    static Path cacheDir() {
        String env = System.getenv(CACHE_ENV);
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "proxynas");
    }

    private static Normalization readCache(Path file, String sha, int channels) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            CacheEntry e = Json.read(file, CacheEntry.class);
            if (sha.equals(e.sha256()) && e.mean() != null && e.std() != null && e.mean().length == channels) {
                Normalization cached = new Normalization(e.mean(), e.std());
                if (CacheEntry.digest(sha, cached).equals(e.valuesSha256())) {
                    return cached;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // A damaged cache entry is recomputed below and overwritten.
        }
        return null;
    }

    /** The cache file's content: the dataset's checksum, its statistics, and a digest binding the two. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CacheEntry(String sha256, float[] mean, float[] std, String valuesSha256, Provenance provenance) {
        /** SHA-256 of the dataset checksum and the exact float bits of every mean and std. */
        static String digest(String datasetSha256, Normalization n) {
            ByteBuffer bytes = ByteBuffer.allocate(8 * n.mean.length);
            for (int c = 0; c < n.mean.length; c++) {
                bytes.putInt(Float.floatToIntBits(n.mean[c])).putInt(Float.floatToIntBits(n.std[c]));
            }
            MessageDigest digest = Checksums.sha256();
            digest.update(datasetSha256.getBytes(StandardCharsets.UTF_8));
            digest.update(bytes.array());
            return Checksums.hex(digest);
        }
    }
}
