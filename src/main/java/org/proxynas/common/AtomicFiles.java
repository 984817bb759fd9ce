package org.proxynas.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Every output file goes through here: written to a temp file in the same directory, fsynced, then
 * renamed over the target. A reader (or a resumed run after kill -9) therefore sees either the old file
 * or the complete new one, never half of it.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes whatever {@code body} puts into the stream, atomically. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Fills a directory with whatever files it writes into the one it is given. */
    public interface DirectoryBody {
        void writeInto(Path dir) throws IOException;
    }

    /**
     * Writes a whole directory at once: {@code body} fills a temporary sibling, which then replaces {@code target}
     * (and whatever was there) by a rename, so a reader never sees half of the new files mixed with the old ones.
     * A failure is an {@link OutputFileException} naming {@code target}, and leaves no temporary directory.
     */
    public static void writeDirectory(Path target, DirectoryBody body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".");
            body.writeInto(tmp);
            deleteTree(abs);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (OutputFileException e) {
            throw e;
        } catch (IOException e) {
            throw new OutputFileException(abs, e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** Deletes {@code path} and, if it is a directory, everything under it; nothing there is fine. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Any failure, of the body's writes or of the file system (disk full, I/O error, a parent that is a file), is
     * an {@link OutputFileException} naming {@code target}; the old content, if any, is left as it was.
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        try {
            replace(abs, body);
        } catch (IOException e) {
            throw new OutputFileException(abs, e);
        }
    }

    private static void replace(Path abs, Body body) throws IOException {
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                body.writeTo(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            // Temp files are created owner-only; results are meant to be read by others like any output.
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
