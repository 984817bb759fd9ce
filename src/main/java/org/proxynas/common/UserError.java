package org.proxynas.common;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bad input, the user's to fix: a setting out of range, a missing or corrupt input file, a flag that does not
 * apply. Its message is one line naming the setting or the file and what is wrong. The command line reports
 * it with exit code 2; every other exception, the JDK's and the engine's included, is an internal error
 * (exit 1), so a bug never poses as bad input. It extends {@link IllegalArgumentException} because that is
 * what it is to a library caller.
 */
public class UserError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }

    /** A required input file or folder that is not there. */
    public static UserError noSuchFile(Object path) {
        return new UserError("no such file: " + path);
    }

    /**
     * {@code file}, if it is a file to read; otherwise the user's error naming it. Readers check first, since the
     * JDK's own exception for a missing file is an I/O error, which would pose as an internal one (exit 1).
     */
    public static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw noSuchFile(file);
        }
        return file;
    }
}
