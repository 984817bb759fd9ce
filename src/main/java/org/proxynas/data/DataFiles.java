package org.proxynas.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.proxynas.common.UserError;

/** File access shared by the readers, turning every low-level failure into one line naming the file. */
final class DataFiles {
    private DataFiles() {}

    /** The whole file, gunzipped when its name ends in {@code .gz}. */
    static byte[] readAll(Path file) throws IOException {
        if (!isGzip(file)) {
            requireFile(file);
            return Files.readAllBytes(file);
        }
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        }
    }

    /**
     * The file's content as a buffered stream, gunzipped when its name ends in {@code .gz}; truncated or corrupt
     * gzip data surfaces, whenever it is met, as an IOException naming the file.
     */
    static InputStream open(Path file) throws IOException {
        requireFile(file);
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return isGzip(file) ? Gunzipped.open(in, file) : in;
    }

    /**
     * How many bytes {@link #open} yields: the file's size, or for a gzipped file the length of its content, found
     * by decompressing it once (which also checks it for damage); nothing is kept in memory.
     */
    static long contentLength(Path file) throws IOException {
        if (!isGzip(file)) {
            requireFile(file);
            return Files.size(file);
        }
        try (InputStream in = open(file)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    private static void requireFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw UserError.noSuchFile(file.toString());
        }
    }

    /** The first of {@code candidates} in {@code dir} that exists, else an error listing what was looked for. */
    static Path firstExisting(Path dir, String... candidates) throws IOException {
        for (String c : candidates) {
            Path p = dir.resolve(c);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        List<String> others = List.of(candidates).subList(1, candidates.length);
        throw UserError.noSuchFile(dir.resolve(candidates[0])
                + (others.isEmpty() ? "" : " (also looked for " + String.join(", ", others) + ")"));
    }

    /** Non-blank lines of an optional UTF-8 names file, or null when the file is absent. */
    static List<String> readNames(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        return names;
    }

    /** "0", "1", ... for formats without class names. */
    static List<String> numberNames(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** Checks a directory exists before a reader looks inside, so the error names the directory. */
    static Path requireDirectory(Path dir, String spec) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw UserError.noSuchFile(dir + " (directory of dataset " + spec + ")");
        }
        return dir;
    }

    /** A gunzipping stream whose damage reports name the file. */
    private static final class Gunzipped extends FilterInputStream {
        private final Path file;

        private Gunzipped(InputStream gunzipping, Path file) {
            super(gunzipping);
            this.file = file;
        }

        /** Reading the gzip header can already fail. */
        static Gunzipped open(InputStream compressed, Path file) throws IOException {
            try {
                return new Gunzipped(new GZIPInputStream(compressed, 1 << 16), file);
            } catch (IOException e) {
                compressed.close();
                throw named(file, e);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw named(file, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw named(file, e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw named(file, e);
            }
        }

        /** Damage is bad input, named; any other I/O failure is the environment's, passed on as it is. */
        private static IOException named(Path file, IOException e) {
            if (e instanceof EOFException) {
                throw new UserError(file + ": truncated gzip data (unexpected end of file)", e);
            }
            if (e instanceof ZipException) {
                throw new UserError(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
            }
            return e;
        }
    }
}
