package org.proxynas.score;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.UserError;

/**
 * Penultimate-layer features of the baseline, one row of {@code d} floats per training example in dataset
 * order (k-center selection measures Euclidean distances between them).
 *
 * <p>File format ({@code .bin}, little endian): the 8 ASCII bytes {@code PNXEMB01}, int32 {@code n}, int32
 * {@code d}, then {@code n*d} float32 values row by row. 16 header bytes, so the file is exactly
 * {@code 16 + 4*n*d} bytes long.
 */
public final class Embeddings {
    public static final String MAGIC = "PNXEMB01";
    private static final int HEADER_BYTES = 16;

    private final float[] data;
    private final int n;
    private final int d;

    public Embeddings(float[] data, int n, int d) {
        if (n < 0 || d <= 0) {
            throw new UserError("embeddings shape " + n + "x" + d + " must have n >= 0, d > 0");
        }
        if ((long) n * d != data.length) {
            throw new UserError("embeddings " + n + "x" + d + " need " + (long) n * d
                    + " floats, found " + data.length);
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new UserError("embedding of example " + i / d + " has a non-finite value "
                        + data[i]);
            }
        }
        this.data = data.clone();
        this.n = n;
        this.d = d;
    }

    /** Writes {@code n} rows of {@code d} floats from {@code data} atomically. */
    public static void write(Path file, float[] data, int n, int d) throws IOException {
        Embeddings checked = new Embeddings(data, n, d);
        AtomicFiles.write(file, out -> {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(n).putInt(d);
            out.write(header.array());
            ByteBuffer rows = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : checked.data) {
                if (!rows.hasRemaining()) {
                    out.write(rows.array(), 0, rows.position());
                    rows.clear();
                }
                rows.putFloat(v);
            }
            out.write(rows.array(), 0, rows.position());
        });
    }

    /** Reads a file written by {@link #write}, checking the magic and that the length matches n and d. */
    public static Embeddings read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(UserError.requireFile(file), StandardOpenOption.READ)) {
            long length = ch.size();
            if (length < HEADER_BYTES) {
                throw new UserError(file + ": " + length + " bytes is too short for an embeddings file (header "
                        + HEADER_BYTES + " bytes)");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, header);
            header.flip();
            byte[] magic = new byte[MAGIC.length()];
            header.get(magic);
            if (!Arrays.equals(magic, MAGIC.getBytes(StandardCharsets.US_ASCII))) {
                throw new UserError(file + ": not an embeddings file (expected magic " + MAGIC + ", found '"
                        + new String(magic, StandardCharsets.ISO_8859_1).replaceAll("\\p{Cntrl}", "?") + "')");
            }
            int n = header.getInt();
            int d = header.getInt();
            long expected = HEADER_BYTES + 4L * n * d;
            if (n < 0 || d <= 0 || expected != length || 4L * n * d > Integer.MAX_VALUE - 8) {
                throw new UserError(file + ": header says " + n + "x" + d + " floats = " + expected
                        + " bytes, file has " + length);
            }
            ByteBuffer body = ByteBuffer.allocate(4 * n * d).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, body);
            body.flip();
            float[] data = new float[n * d];
            body.asFloatBuffer().get(data);
            try {
                return new Embeddings(data, n, d);
            } catch (IllegalArgumentException e) {
                throw new UserError(file + ": " + e.getMessage(), e);
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new UserError("unexpected end of file");
            }
        }
    }

    /** The rows at {@code rows}, in that order. */
    public Embeddings subset(int[] rows) {
        float[] out = new float[rows.length * d];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(data, rows[j] * d, out, j * d, d);
        }
        return new Embeddings(out, rows.length, d);
    }

    /** A copy of all {@code n*d} values, row-major. */
    public float[] data() {
        return data.clone();
    }

    /** Copies row {@code i} into {@code dst} at {@code offset}. */
    public void row(int i, float[] dst, int offset) {
        System.arraycopy(data, i * d, dst, offset, d);
    }

    public int n() {
        return n;
    }

    public int d() {
        return d;
    }
}
