package org.proxynas.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** File access shared by the readers, turning every low-level failure into one line naming the file. */
final class DataFiles {
    private DataFiles() {}

    /** The whole file, gunzipped when its name ends in {@code .gz}. */
    static byte[] readAll(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new IOException(file + ": truncated gzip data (unexpected end of file)", e);
        } catch (ZipException e) {
            throw new IOException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
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
        throw new NoSuchFileException(dir.resolve(candidates[0])
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
            throw new NoSuchFileException(dir + " (directory of dataset " + spec + ")");
        }
        return dir;
    }
}
