package org.proxynas.nas.search;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.UserError;

/**
 * The end-of-epoch state of a search, in one file written atomically, so that a run killed at any moment
 * resumes from its last completed epoch. Holds the model state ({@link SearchModel#saveState}: weights,
 * running statistics, α/β, both optimizers), the algorithm's own state (SGAS' decisions) and the progress
 * around them. The learning rate needs no entry:
 * it is a closed form of the epoch. Random state needs none either: every generator is derived from
 * (seed, epoch, step) when it is needed, so the seed (checked in config.json) restores it.
 *
 * @param epochsDone completed epochs; the resumed run starts at this epoch
 * @param wallSeconds search time of the completed epochs
 * @param trainedImages weight-step images of the completed epochs
 * @param logLines the lines of log.jsonl so far, rewritten on resume so a crash between the log and the
 *     checkpoint cannot leave an extra line
 * @param proxy an adaptive search's current proxy (indices into the training split, ascending) and what it has
 *     seen; null for a static search
 */
record SearchCheckpoint(int epochsDone, double wallSeconds, long trainedImages, int bestEpoch,
        double bestValAccuracy, List<String> logLines, AdaptiveProxy proxy) {
    static final String FILE = "checkpoint.bin";
    private static final String MAGIC = "proxynas-search-checkpoint";
    /** 3 adds the adaptive proxy; version 2 files (static searches) are still read. */
    private static final int VERSION = 3;

    SearchCheckpoint {
        logLines = List.copyOf(logLines);
    }

    /**
     * An adaptive search's proxy state: the current subset, every example some proxy has held, and the count and
     * time of the re-selections so far (their time is also in {@code wallSeconds}).
     */
    record AdaptiveProxy(int[] subset, BitSet seen, int reselections, double reselectionSeconds) {
        AdaptiveProxy {
            subset = subset.clone();
            seen = (BitSet) seen.clone();
        }

        /** The first proxy, nothing re-selected yet. */
        static AdaptiveProxy first(int[] subset) {
            BitSet seen = new BitSet();
            for (int i : subset) {
                seen.set(i);
            }
            return new AdaptiveProxy(subset, seen, 0, 0);
        }

        @Override
        public int[] subset() {
            return subset.clone();
        }

        @Override
        public BitSet seen() {
            return (BitSet) seen.clone();
        }
    }

    int reselections() {
        return proxy == null ? 0 : proxy.reselections();
    }

    double reselectionSeconds() {
        return proxy == null ? 0 : proxy.reselectionSeconds();
    }

    static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    void write(Path dir, SearchModel model, SearchAlgorithm algorithm) throws IOException {
        AtomicFiles.write(dir.resolve(FILE), raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(epochsDone);
            out.writeDouble(wallSeconds);
            out.writeLong(trainedImages);
            out.writeInt(bestEpoch);
            out.writeDouble(bestValAccuracy);
            out.writeInt(logLines.size());
            for (String line : logLines) {
                byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            out.writeBoolean(proxy != null);
            if (proxy != null) {
                out.writeInt(proxy.reselections());
                out.writeDouble(proxy.reselectionSeconds());
                int[] subset = proxy.subset();
                out.writeInt(subset.length);
                for (int i : subset) {
                    out.writeInt(i);
                }
                long[] seen = proxy.seen().toLongArray();
                out.writeInt(seen.length);
                for (long w : seen) {
                    out.writeLong(w);
                }
            }
            model.saveState(out);
            ByteArrayOutputStream algorithmState = new ByteArrayOutputStream();
            try (DataOutputStream state = new DataOutputStream(algorithmState)) {
                algorithm.saveState(state);
            }
            out.writeInt(algorithmState.size());
            algorithmState.writeTo(out);
            out.flush();
        });
    }

    /** Reads the checkpoint in {@code dir} and loads its state into {@code model} and {@code algorithm}. */
    static SearchCheckpoint read(Path dir, SearchModel model, SearchAlgorithm algorithm) throws IOException {
        Path file = dir.resolve(FILE);
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            String magic = in.readUTF();
            int version = in.readInt();
            if (!MAGIC.equals(magic) || (version != VERSION && version != 2)) {
                throw new UserError(file + ": not a search checkpoint of version " + VERSION + " (found "
                        + magic + " v" + version + ")");
            }
            int epochsDone = in.readInt();
            double wallSeconds = in.readDouble();
            long trainedImages = in.readLong();
            int bestEpoch = in.readInt();
            double bestValAccuracy = in.readDouble();
            int n = in.readInt();
            List<String> lines = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                lines.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }
            AdaptiveProxy proxy = null;
            if (version >= 3 && in.readBoolean()) {
                int reselections = in.readInt();
                double reselectionSeconds = in.readDouble();
                int[] subset = new int[in.readInt()];
                for (int i = 0; i < subset.length; i++) {
                    subset[i] = in.readInt();
                }
                long[] seen = new long[in.readInt()];
                for (int i = 0; i < seen.length; i++) {
                    seen[i] = in.readLong();
                }
                proxy = new AdaptiveProxy(subset, BitSet.valueOf(seen), reselections, reselectionSeconds);
            }
            try {
                model.loadState(in);
                byte[] algorithmState = new byte[in.readInt()];
                in.readFully(algorithmState);
                ByteArrayInputStream bytes = new ByteArrayInputStream(algorithmState);
                algorithm.loadState(new DataInputStream(bytes));
                if (bytes.available() > 0) {
                    throw new IOException(algorithm.name() + " state has " + bytes.available() + " bytes too many");
                }
            } catch (java.io.EOFException e) {
                throw e; // a file that ends early is reported as truncated, below
            } catch (IOException e) {
                throw new UserError(file + ": " + e.getMessage(), e);
            }
            return new SearchCheckpoint(epochsDone, wallSeconds, trainedImages, bestEpoch, bestValAccuracy, lines,
                    proxy);
        } catch (java.io.EOFException e) {
            throw new UserError(file + ": truncated checkpoint", e);
        }
    }
}
