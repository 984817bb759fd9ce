package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;

class StageStoreTest {
    @TempDir
    Path dir;

    @Test
    void keysChangeWithSettingsAndWithInputs() throws Exception {
        StageStore.Key a = StageStore.key("search", "x", Map.of("epochs", 1));
        assertThat(StageStore.key("search", "x", Map.of("epochs", 1))).isEqualTo(a);
        assertThat(StageStore.key("search", "x", Map.of("epochs", 2)).hash()).isNotEqualTo(a.hash());
        StageStore.Key up1 = StageStore.key("selection", "p", Map.of("seed", 1));
        StageStore.Key up2 = StageStore.key("selection", "p", Map.of("seed", 2));
        assertThat(StageStore.key("search", "x", Map.of("epochs", 1), up1).hash())
                .isNotEqualTo(StageStore.key("search", "x", Map.of("epochs", 1), up2).hash());
    }

    @Test
    void aStageIsDoneOnlyWhileItsOutputsAreUnchanged() throws Exception {
        StageStore store = new StageStore(dir, () -> Provenance.capture("none", List.of("test")));
        StageStore.Key key = StageStore.key("search", "x", Map.of("epochs", 1));
        Files.createDirectories(store.dir(key));
        Path out = store.dir(key).resolve("genotype.json");
        Files.writeString(out, "{}");
        assertThat(store.done(key)).isNull();
        store.markDone(key, StageStore.Finished.of(3.5, Map.of("genotype", "g"), "genotype.json"));
        assertThat(store.done(key).seconds()).isEqualTo(3.5);
        assertThat(store.done(key).result().path("genotype").asText()).isEqualTo("g");
        assertThat(Json.MAPPER.readTree(store.dir(key).resolve(StageStore.DONE).toFile()).path("provenance")
                .path("command").get(0).asText()).isEqualTo("test");
        Files.writeString(out, "{\"changed\": true}");
        assertThat(store.done(key)).isNull();
    }
}
