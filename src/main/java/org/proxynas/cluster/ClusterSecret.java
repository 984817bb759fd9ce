package org.proxynas.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.proxynas.common.OutputFileException;
import org.proxynas.common.UserError;

/**
 * The shared secret of a ProxyNAS Spark cluster: master, workers and drivers prove with it that they belong to
 * the cluster (Spark's {@code spark.authenticate}), and it keys the encryption of their connections. It lives in a
 * file only its owner can read; {@code spark-master} writes a random one there on its first start, and every
 * worker and driver machine needs a copy (same path, or {@code --secret-file}).
 */
public final class ClusterSecret {
    /** 256 random bits, as hex: what the master writes, and the least a secret of the user's own must have. */
    private static final int LENGTH = 64;
    /** Far more than a secret needs: a larger file is not one, and is not read into memory. */
    private static final int MAX_BYTES = 4096;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final String value;

    private ClusterSecret(Path file, String value) {
        this.file = file;
        this.value = value;
    }

    /** {@code ~/.config/proxynas/spark.secret}: where master, workers and drivers look without --secret-file. */
    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".config", "proxynas", "spark.secret");
    }

    /** The file the secret was read from, for messages: the user copies it between machines. */
    public Path file() {
        return file;
    }

    /** The secret itself: never on a command line or in a log, where other users could read it. */
    String value() {
        return value;
    }

    /**
     * The master's secret: read from {@code file}, or a new random one written there when there is none yet;
     * says which on {@code log}.
     */
    public static ClusterSecret createIfAbsent(Path file, PrintStream log) throws IOException {
        Path abs = file.toAbsolutePath();
        if (!Files.exists(abs) && create(abs)) {
            log.println("proxynas: created the cluster secret " + abs + " (readable only by you); every worker"
                    + " and driver machine needs a copy, at the same path or given with --secret-file");
        } else {
            log.println("proxynas: cluster secret " + abs);
        }
        return read(abs);
    }

    /** A worker's or driver's secret, from {@code file}; a one-line {@link UserError} when it cannot serve as one. */
    public static ClusterSecret read(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (!Files.exists(abs)) {
            throw new UserError("no cluster secret at " + abs + "; the Spark master writes one on its first start"
                    + " (./proxynas spark-master): copy that file here (chmod 600), or give its path with --secret-file");
        }
        if (!Files.isRegularFile(abs)) {
            throw new UserError("the cluster secret " + abs + " is not a file");
        }
        if (Files.getFileStore(abs).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(abs);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new UserError("the cluster secret " + abs + " is open to other users ("
                        + PosixFilePermissions.toString(permissions) + "); make it yours alone: chmod 600 " + abs);
            }
        }
        String value;
        try {
            value = Files.size(abs) > MAX_BYTES ? "" : new String(Files.readAllBytes(abs), StandardCharsets.UTF_8).strip();
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read the cluster secret " + abs + ": permission denied");
        }
        if (value.length() < LENGTH || value.chars().anyMatch(Character::isWhitespace)) {
            throw new UserError("the cluster secret " + abs + " must be one word of at least " + LENGTH
                    + " characters (the master writes 64 random hex digits)");
        }
        return new ClusterSecret(abs, value);
    }

    /**
     * Writes a random secret to {@code file} all at once: a temporary file, owner-only from its creation, is
     * linked to its name, which fails if another master created the secret meanwhile (then both use that one).
     * Whether this call created it.
     */
    private static boolean create(Path file) throws IOException {
        byte[] bits = new byte[LENGTH / 2];
        new SecureRandom().nextBytes(bits);
        byte[] text = (HexFormat.of().formatHex(bits) + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = null;
        try {
            Path dir = Files.createDirectories(file.getParent());
            FileAttribute<?>[] ownerOnly = Files.getFileStore(dir).supportsFileAttributeView("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, ".spark.secret.", ".tmp", ownerOnly);
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                out.write(text);
            }
            Files.createLink(file, tmp);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } catch (IOException e) {
            throw new OutputFileException(file, e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
