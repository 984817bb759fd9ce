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
