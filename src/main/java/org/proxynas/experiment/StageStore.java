package org.proxynas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.proxynas.common.AtomicFiles;
import org.proxynas.common.Checksums;
import org.proxynas.common.Json;
import org.proxynas.common.Locations;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;

/**
 * The experiment directory as a cache of stage outputs. A stage's key is a hash of its config and its inputs'
 * keys ({@link #key}), so changing one setting invalidates exactly the stages downstream of it. A stage is
 * done when its {@code done.json} holds its key and the checksums of its outputs still match; a stage
 * directory without it was interrupted and is resumed.
 */
public final class StageStore {
    static final String DONE = "done.json";
    /**
     * The store's layout: how stage keys are derived and what done.json holds. 3: keys from the jobs' configs
     * ({@link #key}); 2 (no marker file): hand-written key maps.
     */
    static final int LAYOUT = 3;
    static final String LAYOUT_FILE = "store.json";
    private final Path root;
    private final Supplier<Provenance> provenance;

    /** {@code provenance} is asked once per finished stage, for its {@code done.json}. */
    public StageStore(Path root, Supplier<Provenance> provenance) {
        this.root = root;
        this.provenance = provenance;
    }

    /** A stage's identity: kind ("search"), a readable label ("proxy-r0.1-s0-darts") and a content hash. */
    public record Key(String kind, String label, String hash) {
        public String dirName() {
            return label + "-" + hash.substring(0, 10);
        }
    }

    /**
     * A stage's key, derived from what it computes: the hash of its resolved {@code config} (a job's config record,
     * a small record of the settings of a stage that is not a job, or such settings as JSON when a stage keys a config
     * differently, as {@link #settings} gives them) without its {@link Locations}, together with the keys of the
     * stages it reads: what an input holds enters as its stage's key, or as its checksum for a user's file. The
     * context a stage runs in (device, progress, resume) is not part of its config, so never of its key.
     */
    public static Key key(String kind, String label, Object config, Key... inputs) {
        ObjectNode canonical = Json.MAPPER.createObjectNode();
        canonical.put("kind", kind);
        canonical.set("config", config instanceof JsonNode tree ? tree : settings(config));
        ArrayNode reads = canonical.putArray("inputs");
        for (Key input : inputs) {
            reads.add(input.hash());
        }
        try {
            return new Key(kind, label, Checksums.sha256(Json.line(canonical).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A config as its key sees it: its JSON without its locations (see {@link #key}). */
    public static ObjectNode settings(Object config) {
        return Locations.remove(config, Json.MAPPER.valueToTree(config));
    }

    /**
     * Checks that the store under {@code root} was written with this version's keys, or holds no stages yet (then it
     * is marked so). Stages of an earlier layout are refused rather than silently run again beside the old ones.
     */
    public void requireLayout() throws IOException {
        Path stages = root.resolve("stages");
        Path marker = stages.resolve(LAYOUT_FILE);
        if (Files.isRegularFile(marker)) {
            int found = Json.MAPPER.readTree(marker.toFile()).path("layout").asInt(-1);
            if (found != LAYOUT) {
                throw refused(found);
            }
            return;
        }
        boolean holdsStages;
        try (Stream<Path> kinds = Files.isDirectory(stages) ? Files.list(stages) : Stream.empty()) {
            holdsStages = kinds.anyMatch(Files::isDirectory);
        }
        if (holdsStages) {
            throw refused(2);
        }
        Json.write(marker, Map.of("layout", LAYOUT, "provenance", provenance.get()));
    }

    private UserError refused(int found) {
        return new UserError(root.resolve("stages") + " was written by an earlier ProxyNAS (stage store layout "
                + found + "; this version reads layout " + LAYOUT + ", whose stage keys come from the jobs' configs):"
                + " its stages cannot be reused; move " + root + " away or choose another --out");
    }

    public Path dir(Key key) {
        return root.resolve("stages").resolve(key.kind()).resolve(key.dirName());
    }

    /**
     * What a finished stage leaves: its wall time, a result to reuse instead of running it again, and the
     * output files (relative to its directory) whose checksums prove it done.
     */
    public record Finished(double seconds, Object result, List<String> outputs) {
        public Finished {
            outputs = List.copyOf(outputs);
        }

        public static Finished of(double seconds, Object result, String... outputs) {
            return new Finished(seconds, result, List.of(outputs));
        }
    }

    /** A stage as its {@code done.json} recorded it. */
    public record Done(double seconds, JsonNode result) {}

    /** The stage's record if it finished and its listed outputs are unchanged; null otherwise. */
    public Done done(Key key) throws IOException {
        Path done = dir(key).resolve(DONE);
        if (!Files.isRegularFile(done)) {
            return null;
        }
        JsonNode node = Json.MAPPER.readTree(done.toFile());
        if (!key.hash().equals(node.path("key").asText())) {
            return null;
        }
        JsonNode outputs = node.path("outputs");
        for (var it = outputs.fields(); it.hasNext(); ) {
            var e = it.next();
            Path f = dir(key).resolve(e.getKey());
            if (!Files.isRegularFile(f) || !Checksums.sha256(f).equals(e.getValue().asText())) {
                return null;
            }
        }
        return new Done(node.path("seconds").asDouble(), node.path("result"));
    }

    /**
     * Makes a stage's directory ready to run; returns whether the stage continues from its checkpoint. A
     * directory left by an interrupted run continues under {@code resume} when it holds the stage's
     * {@code checkpoint} (a path inside it; null for stages that never checkpoint); otherwise it is cleared
     * and the stage starts over.
     */
    public boolean prepare(Key key, String checkpoint, boolean resume) throws IOException {
        Path dir = dir(key);
        boolean continues = resume && checkpoint != null && Files.isRegularFile(dir.resolve(checkpoint));
        if (!continues && Files.isDirectory(dir)) {
            AtomicFiles.deleteTree(dir);
        }
        Files.createDirectories(dir);
        return continues;
    }

    /** Records a finished stage: its key, its time and result, the SHA-256 of each output, provenance. */
    public Done markDone(Key key, Finished finished) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("key", key.hash());
        node.put("kind", key.kind());
        node.put("label", key.label());
        node.put("seconds", finished.seconds());
        ObjectNode outputs = node.putObject("outputs");
        for (String f : finished.outputs()) {
            outputs.put(f, Checksums.sha256(dir(key).resolve(f)));
        }
        JsonNode result = Json.MAPPER.valueToTree(finished.result());
        node.set("result", result);
        node.set("provenance", Json.MAPPER.valueToTree(provenance.get()));
        Json.write(dir(key).resolve(DONE), node);
        return new Done(finished.seconds(), result);
    }
}
