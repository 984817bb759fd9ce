package org.proxynas.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one check of a directory a run writes into, made before it is locked: a job's run directory
 * ({@link RunDirectory}) and a study's directory both come here. A run fills its directory with its own files, and
 * a later run replaces them, so the directory must be the run's own: a file system root or the home directory never
 * is, and neither is a directory that already holds files of no ProxyNAS run (a user's own files, which a run could
 * overwrite and a cleanup could delete).
 */
public final class OutputDirectory {
    /** What a study writes first into its directory: its kind and config. */
    public static final String STUDY_FILE = "study.json";

    /**
     * Files only a ProxyNAS run leaves at the top of its directory: a job's config.json, a study's definition, and
     * the lock file of a run still going or killed before it wrote either.
     */
    private static final Set<String> RUN_FILES = Set.of(RunDirectory.CONFIG, STUDY_FILE, DirectoryLock.FILE);

    private OutputDirectory() {}

    /** Refuses {@code dir} unless it is new, empty, or a ProxyNAS run's; the message names {@code dir} as given. */
    public static void require(Path dir) throws IOException {
        Path path = resolved(dir);
        if (path.getParent() == null) {
            throw new UserError(dir + " is a file system root; choose a directory of its own for the run");
        }
        if (path.equals(home())) {
            throw new UserError(dir + " is the home directory; choose a directory of its own for the run");
        }
        if (Files.isDirectory(path) && !isEmpty(path) && RUN_FILES.stream().noneMatch(f -> Files.exists(path.resolve(f)))) {
            throw new UserError(dir + " holds files of no ProxyNAS run (no " + String.join(", ", RUN_FILES.stream()
                    .sorted().toList()) + "); choose a new or empty directory");
        }
    }

    private static Path home() throws IOException {
        return resolved(Path.of(System.getProperty("user.home")));
    }

    /** The real path of {@code p}, links followed, or its absolute normal form when it does not exist yet. */
    private static Path resolved(Path p) throws IOException {
        return Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
