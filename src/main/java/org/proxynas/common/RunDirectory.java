package org.proxynas.common;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The directory a job runs in and resumes in: {@code --out} of search and train, the checkpoint directory beside
 * the scores of score. It holds the directory's lock for the job's whole run, writes {@code config.json} (what the
 * run is: the job's config, the checksums of its inputs, and what the job adds) and applies the one resume rule of
 * every job:
 * <ul>
 *   <li>without resume, a directory holding the job's checkpoint or a finished run is refused: pass --resume to
 *       continue it, or choose another directory;
 *   <li>with resume and a checkpoint, the saved config and inputs must be the new ones, or the run is refused
 *       naming each difference ({@code epochs: was 3, now 4});
 *   <li>with resume and no checkpoint (a run killed before its first one), the run starts fresh, with a note.
 * </ul>
 */
public final class RunDirectory implements AutoCloseable {
    public static final String CONFIG = "config.json";

    private final Path dir;
    private final DirectoryLock lock;
    private final boolean continues;

    private RunDirectory(Path dir, DirectoryLock lock, boolean continues) {
        this.dir = dir;
        this.lock = lock;
        this.continues = continues;
    }

    /**
     * What {@code config.json} holds.
     *
     * @param config the job's config record; its locations (fields of type {@link Path}) may differ on resume
     * @param inputs each input's content checksum by name ({@code dataset}, {@code subset}); they must not change
     * @param details what else the job records about the run (sizes, the derived training settings, ...), as
     *     fields of config.json beside these
     */
    public record Run(Object config, Map<String, String> inputs,
            @JsonAnyGetter Map<String, Object> details, Provenance provenance) {
        public Run {
            inputs = new TreeMap<>(inputs);
            details = new TreeMap<>(details);
        }
    }

    /**
     * Locks {@code dir} (creating it) and applies the resume rule for a job whose checkpoint is {@code checkpoint}
     * and whose finished run leaves {@code finished} there; a fresh run writes {@code run} as config.json, a
     * continued one must match it. {@code notes} hears that a resume found nothing to continue.
     */
    public static RunDirectory open(Path dir, String checkpoint, String finished, Run run, boolean resume,
            ProgressListener notes) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(dir + " exists and is not a directory");
        }
        OutputDirectory.require(dir);
        DirectoryLock lock = DirectoryLock.acquire(dir);
        lock.tookOverFrom().ifPresent(holder -> notes.note("took over the lock of " + dir + " left by " + holder
                + ", which is no longer running"));
        try {
            boolean hasCheckpoint = Files.isRegularFile(dir.resolve(checkpoint));
            if (!resume && (hasCheckpoint || Files.exists(dir.resolve(finished)))) {
                throw new UserError(dir + " already holds a run ("
                        + (hasCheckpoint ? checkpoint : finished) + "); pass --resume to continue it, or choose"
                        + " another directory");
            }
            if (resume && !hasCheckpoint) {
                notes.note("--resume: " + dir + " holds no checkpoint yet (the run stopped before its first);"
                        + " starting it afresh");
            }
            boolean continues = resume && hasCheckpoint;
            if (continues) {
                requireSameRun(dir.resolve(CONFIG), run);
            } else {
                Json.write(dir.resolve(CONFIG), run);
            }
            return new RunDirectory(dir, lock, continues);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Whether the run continues its checkpoint. */
    public boolean continues() {
        return continues;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }

    /** A continued run is the same run: the same settings, locations aside, and inputs of the same content. */
    private static void requireSameRun(Path saved, Run now) throws IOException {
        if (!Files.isRegularFile(saved)) {
            throw new UserError("--resume: " + saved.getParent() + " holds a checkpoint but no " + CONFIG
                    + " to check it against; choose another directory");
        }
        JsonNode before = Json.read(saved, JsonNode.class);
        List<String> changed = new ArrayList<>(Json.differences(before.path("config"), now.config(),
                Locations.of(now.config())));
        JsonNode inputs = before.path("inputs");
        Set<String> names = new TreeSet<>(now.inputs().keySet());
        inputs.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String was = inputs.path(name).asText(null);
            String is = now.inputs().get(name);
            if (was == null ? is != null : !was.equals(is)) {
                changed.add(name + " content: SHA-256 was " + was + ", now " + is);
            }
        }
        if (!changed.isEmpty()) {
            throw new UserError("--resume: the run in " + saved.getParent() + " is another one: "
                    + String.join("; ", changed) + "; choose another directory, or run without --resume elsewhere");
        }
    }

    /** The run recorded in {@code dir}'s config.json, as JSON (its {@code details} for the job's own reading). */
    public static ObjectNode read(Path dir) throws IOException {
        return Json.read(dir.resolve(CONFIG), ObjectNode.class);
    }
}
