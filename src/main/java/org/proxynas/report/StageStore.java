package org.proxynas.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.proxynas.common.Checksums;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;

/**
 * The experiment directory as a cache of stage outputs. A stage's key is a hash of its own settings and
 * its inputs' keys, so changing one setting invalidates exactly the stages downstream of it. A stage is
 * done when its {@code done.json} holds its key and the checksums of its outputs still match; a stage
 * directory without it was interrupted and is resumed.
 */
public final class StageStore {
    static final String DONE = "done.json";
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

    /** Hashes a stage's settings together with the keys of the stages it reads. */
    public static Key key(String kind, String label, Map<String, Object> settings, Key... inputs) throws IOException {
        Map<String, Object> canonical = new TreeMap<>(settings);
        canonical.put("_kind", kind);
        for (int i = 0; i < inputs.length; i++) {
            canonical.put("_input" + i, inputs[i].hash());
        }
        return new Key(kind, label, Checksums.sha256(Json.line(canonical).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public Path dir(Key key) {
        return root.resolve("stages").resolve(key.kind()).resolve(key.dirName());
    }

    /** The stage's summary if it finished and its listed outputs are unchanged; null otherwise. */
    public JsonNode doneSummary(Key key) throws IOException {
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
        return node.path("summary");
    }

    /** Records a finished stage: its key, SHA-256 of each named output file, and a summary to reuse. */
    public void markDone(Key key, Object summary, String... outputFiles) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("key", key.hash());
        node.put("kind", key.kind());
        node.put("label", key.label());
        ObjectNode outputs = node.putObject("outputs");
        for (String f : outputFiles) {
            outputs.put(f, Checksums.sha256(dir(key).resolve(f)));
        }
        node.set("summary", Json.MAPPER.valueToTree(summary));
        node.set("provenance", Json.MAPPER.valueToTree(provenance.get()));
        Json.write(dir(key).resolve(DONE), node);
    }
}
