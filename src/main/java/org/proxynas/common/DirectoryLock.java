package org.proxynas.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exclusive lock on a run's output directory, held for the whole run, so that two runs never write into one
 * directory. {@code dir/.lock} holds the holder's pid, host and start time under an operating-system lock
 * ({@link FileChannel#tryLock}); a second run, in another process or in this one, is refused with one line naming
 * the directory and the holder. The system drops the lock of a process that dies, so a lock file left by a killed
 * run holds no lock and is taken over ({@link #tookOverFrom}). Releasing removes the lock file, and the
 * directories that acquiring created if nothing else was written into them, so that a refused or failed run
 * leaves nothing behind.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".lock";

    /**
     * Written into a lock file after it is unlinked, just before its lock is released: a run that opened the file
     * before the unlink and locks it after the release finds this and starts over on a fresh file.
     */
    private static final String RELEASED = "released\n";

    /**
     * Directories locked by this JVM. The system's locks belong to a process, so they cannot refuse a second
     * holder in the same one; and a second channel on a locked file must not even be opened here, since closing
     * it would drop the first one's lock.
     */
    private static final Map<Path, Holder> HELD_HERE = new ConcurrentHashMap<>();

    /** Who holds a lock: what the lock file says, and what a refused run is told. */
    public record Holder(long pid, String host, Instant since) {
        private static final Pattern LINE = Pattern.compile("(\\d+)@(\\S+) since (\\S+)");

        static Holder self() {
            return new Holder(ProcessHandle.current().pid(), Provenance.hostName(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }

        static Optional<Holder> parse(String text) {
            Matcher m = LINE.matcher(text.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Holder(Long.parseLong(m.group(1)), m.group(2), Instant.parse(m.group(3))));
            } catch (NumberFormatException | DateTimeParseException e) {
                return Optional.empty();
            }
        }

        String line() {
            return pid + "@" + host + " since " + since + "\n";
        }

        @Override
        public String toString() {
            return "pid " + pid + "@" + host + " since " + since;
        }
    }

    private final Path dir;
    private final Path file;
    private final List<Path> created;
    private final FileChannel channel;
    private final Optional<Holder> tookOverFrom;

    private DirectoryLock(Path dir, List<Path> created, FileChannel channel, Optional<Holder> tookOverFrom) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.created = created;
        this.channel = channel;
        this.tookOverFrom = tookOverFrom;
    }

    /**
     * Locks {@code dir}, creating it (and its missing parents) if needed. A directory locked by another run is an
     * {@link IllegalArgumentException}: one line naming the directory and its holder.
     */
    public static DirectoryLock acquire(Path dir) throws IOException {
        List<Path> created = missingDirectories(dir.toAbsolutePath());
        Files.createDirectories(dir);
        Path canonical = dir.toRealPath();
        Holder self = Holder.self();
        Holder other = HELD_HERE.putIfAbsent(canonical, self);
        if (other != null) {
            throw refused(canonical, Optional.of(other));
        }
        try {
            return lock(canonical, created, self);
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(canonical);
            throw e;
        }
    }

    /** The directory locked. */
    public Path directory() {
        return dir;
    }

    /** The run that held this directory and died without releasing it, if the lock file named one. */
    public Optional<Holder> tookOverFrom() {
        return tookOverFrom;
    }

    /**
     * Unlinks the lock file while still holding its lock (see {@link #RELEASED}), releases the lock, then removes the
     * directories {@link #acquire} created if they are empty.
     */
    @Override
    public void close() throws IOException {
        try {
            try (channel) {
                Files.deleteIfExists(file);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(RELEASED.getBytes(StandardCharsets.UTF_8)), 0);
            }
            for (Path d : created) {
                try {
                    Files.deleteIfExists(d);
                } catch (DirectoryNotEmptyException e) {
                    break;
                }
            }
        } finally {
            HELD_HERE.remove(dir);
        }
    }

    private static DirectoryLock lock(Path dir, List<Path> created, Holder self) throws IOException {
        Path file = dir.resolve(FILE);
        while (true) {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                // another run released this directory and removed it as empty just now
                Files.createDirectories(dir);
                continue;
            }
            try {
                FileLock lock = channel.tryLock();
                String content = read(channel);
                if (lock == null) {
                    throw refused(dir, Holder.parse(content));
                }
                if (content.equals(RELEASED)) {
                    channel.close();
                    continue;
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(self.line().getBytes(StandardCharsets.UTF_8)), 0);
                channel.force(false);
                return new DirectoryLock(dir, created, channel, Holder.parse(content));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    private static UserError refused(Path dir, Optional<Holder> holder) {
        return new UserError(dir + " is in use by another run ("
                + holder.map(Holder::toString).orElse("holder unknown")
                + "); wait for it to end or choose another directory");
    }

    /** A lock file is one short line. */
    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    /** {@code dir} and its ancestors that do not exist yet, deepest first. */
    private static List<Path> missingDirectories(Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
            missing.add(d);
        }
        return missing;
    }
}
