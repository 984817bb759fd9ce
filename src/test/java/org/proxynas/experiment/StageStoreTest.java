package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.common.Precision;
import org.proxynas.common.Provenance;
import org.proxynas.common.UserError;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.score.ScoringConfig;
import org.proxynas.select.SelectionConfig;
import org.proxynas.train.TrainConfig;

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

    /**
     * A job's key is derived from its config: every setting enters it (precision included, which config.json
     * leaves out at fp32), and no location does, so a study moved to another directory keeps its stages.
     */
    @Test
    void everySettingOfAJobsConfigEntersItsKeyAndNoLocationDoes() throws Exception {
        for (Record config : List.<Record>of(ScoringConfig.DEFAULTS, SearchConfig.DEFAULTS,
                TrainConfig.CELL_DEFAULTS, SelectionConfig.DEFAULTS, RankConfig.DEFAULTS)) {
            var settings = StageStore.settings(config);
            for (RecordComponent c : config.getClass().getRecordComponents()) {
                boolean location = Path.class.isAssignableFrom(c.getType());
                boolean omittedAtDefault = c.getName().equals("precision");
                assertThat(settings.has(c.getName())).as(config.getClass().getSimpleName() + "." + c.getName())
                        .isEqualTo(!location && !omittedAtDefault);
            }
        }
        TrainConfig fp32 = TrainConfig.CELL_DEFAULTS;
        TrainConfig fp16 = TrainConfig.builder().setDataset(fp32.dataset()).setNetwork(fp32.network())
                .setOutputDir(fp32.outputDir()).optPrecision(Precision.FP16).build();
        TrainConfig moved = TrainConfig.builder().setDataset(fp32.dataset()).setNetwork(fp32.network())
                .setOutputDir(dir.resolve("elsewhere")).optTrainSubset(dir.resolve("subset.json")).build();
        StageStore.Key key = StageStore.key("training", "x", fp32);
        assertThat(StageStore.key("training", "x", fp16).hash()).isNotEqualTo(key.hash());
        assertThat(StageStore.key("training", "x", moved).hash()).isEqualTo(key.hash());
        record Sharded(TrainConfig config, int shards) {}
        assertThat(StageStore.key("training", "x", new Sharded(moved, 2)).hash()).as("nested locations too")
                .isEqualTo(StageStore.key("training", "x", new Sharded(fp32, 2)).hash());
    }

    @Test
    void aStoreOfAnEarlierLayoutIsRefusedWithWhatToDoAndAnEmptyOneIsMarked() throws Exception {
        StageStore fresh = new StageStore(dir.resolve("new"), () -> Provenance.capture("none", List.of("test")));
        fresh.requireLayout();
        assertThat(Json.MAPPER.readTree(dir.resolve("new/stages/store.json").toFile()).path("layout").asInt())
                .isEqualTo(StageStore.LAYOUT);
        fresh.requireLayout();

        Files.createDirectories(dir.resolve("old/stages/search/proxy-r0.1-s0-darts-0123456789"));
        StageStore old = new StageStore(dir.resolve("old"), () -> Provenance.capture("none", List.of("test")));
        assertThatThrownBy(old::requireLayout).isInstanceOf(UserError.class)
                .hasMessage(dir.resolve("old/stages") + " was written by an earlier ProxyNAS (stage store layout 2;"
                        + " this version reads layout 3, whose stage keys come from the jobs' configs): its stages"
                        + " cannot be reused; move " + dir.resolve("old") + " away or choose another --out");
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
