package org.proxynas.common;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import javax.imageio.IIOException;

/**
 * Writing an output file failed: the disk is full, the device reports an I/O error, or the location cannot hold
 * the file. Unlike bad input this is the environment's doing, so the CLI reports it as a failure of the run
 * (exit 1), with one line naming the file and the reason.
 */
public final class OutputFileException extends IOException {
    private final Path file;

    public OutputFileException(Path file, IOException cause) {
        super("cannot write " + file + ": " + reason(cause), cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The system's reason in words; JDK file exceptions carry only a path, image writers only "I/O error". */
    private static String reason(IOException e) {
        if (e instanceof IIOException && e.getCause() instanceof IOException cause) {
            return reason(cause);
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return e.getMessage() + " is not a directory";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied on " + e.getMessage();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason() + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
