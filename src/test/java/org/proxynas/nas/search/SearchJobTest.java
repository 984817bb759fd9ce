package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxynas.common.Json;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.RunContext;
import org.proxynas.nas.space.Genotype;
import org.proxynas.nas.space.Primitives;

class SearchJobTest {
    @TempDir
    Path tmp;

    @Test
    void theGenotypeConcatenatesOnlyTheMultiplierLastNodes() throws IOException {
        Path out = tmp.resolve("multiplier");
        Path subset = SearchFixtures.subsetFile(tmp, SearchFixtures.spread(64));
        SearchResult r = SearchJob.run(SearchFixtures.tiny("darts", subset, out).optMultiplier(1).build());
        assertThat(r.genotype().normalConcat()).containsExactly(3);
        assertThat(r.genotype().reduceConcat()).containsExactly(3);
        assertThat(Genotype.read(out.resolve("genotype.json")).normalConcat()).containsExactly(3);
        assertThat(r.bestGenotype().normalConcat()).containsExactly(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"darts", "darts-2nd", "pc-darts", "sdarts-rs", "sdarts-adv", "sgas", "gdas"})
    void tinySearchYieldsAValidGenotypeAndEveryOutput(String algorithm) throws IOException {
        Path out = tmp.resolve(algorithm);
        Path subset = SearchFixtures.subsetFile(tmp, SearchFixtures.spread(128));
        boolean sgas = algorithm.equals("sgas");
        SearchConfig.Builder settings = SearchFixtures.tiny(algorithm, subset, out);
        if (sgas) { // the shortest schedule that decides the tiny cell's four edges: one decision per epoch
            settings.optSgas(new SearchConfig.SgasSettings(1, 0, 1, 4)).optEpochs(4);
        }
        SearchResult r = SearchJob.run(settings.build());

        for (String f : List.of("config.json", "log.jsonl", "genotype.txt", "genotype.json", "cell-normal.dot",
                "cell-reduce.dot", "search.json", SearchCheckpoint.FILE)) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        Genotype g = r.genotype();
        assertThat(Genotype.read(out.resolve("genotype.json"))).isEqualTo(g);
        assertThat(Genotype.parse(Files.readString(out.resolve("genotype.txt")).trim())).isEqualTo(g);
        for (List<Genotype.Edge> cell : List.of(g.normal(), g.reduce())) {
            assertThat(cell).hasSize(4);
            for (int k = 0; k < cell.size(); k++) {
                assertThat(cell.get(k).op()).isIn(Primitives.NAMES).isNotEqualTo(Primitives.NONE);
                assertThat(cell.get(k).input()).isLessThan(k / 2 + 2);
            }
        }
        assertThat(Files.readString(out.resolve("cell-normal.dot")))
                .contains("\"c_{k-2}\"", "\"c_{k-1}\"", "\"c_{k}\"", "label=\"" + g.normal().get(0).op() + "\"");

        List<String> log = Files.readAllLines(out.resolve("log.jsonl"));
        assertThat(log).hasSize(sgas ? 4 : 1);
        EpochRecord e = Json.MAPPER.readValue(log.get(log.size() - 1), EpochRecord.class);
        assertThat(e.genotype()).isEqualTo(g.toDartsString());
        assertThat(e.trainLoss()).isFinite().isPositive();
        assertThat(e.valAccuracy()).isBetween(0.0, 1.0);
        assertThat(Json.MAPPER.readValue(log.get(0), EpochRecord.class).lr()).isEqualTo(0.025);
        for (float[] row : e.architecture().normal()) {
            assertThat(sum(row)).isCloseTo(1f, within(1e-5f));
        }
        boolean pc = algorithm.equals("pc-darts");
        assertThat(e.architecture().edgeNormal() != null).isEqualTo(pc);
        if (pc) {
            float[] beta = e.architecture().edgeNormal();
            assertThat(beta[0] + beta[1]).isCloseTo(1f, within(1e-5f));
            assertThat(beta[2] + beta[3] + beta[4]).isCloseTo(1f, within(1e-5f));
        }

        switch (algorithm) {
            case "sgas" -> assertThat(e.algorithmInfo()).containsOnlyKeys("normal", "reduce");
            case "gdas" -> assertThat(e.algorithmInfo()).containsEntry("temperature", 10.0);
            case "sdarts-adv" -> {
                assertThat(e.algorithmInfo()).containsEntry("epsilon", 0.03);
                assertThat((double) e.algorithmInfo().get("meanPerturbation")).isBetween(0.0, 0.03 + 1e-6);
            }
            default -> assertThat(e.algorithmInfo()).isNull();
        }

        JsonNode config = Json.MAPPER.readTree(out.resolve("config.json").toFile());
        assertThat(config.at("/config/algorithm").asText()).isEqualTo(algorithm);
        assertThat(config.at("/config/archLr").asDouble()).isEqualTo(pc ? 6e-4 : 3e-4);
        assertThat(config.at("/config/partialChannels").asInt()).isEqualTo(pc ? 4 : 1);
        assertThat(config.at("/inputs/subset").asText()).hasSize(64);
        assertThat(config.at("/inputs/dataset").asText()).hasSize(64);
        assertThat(config.get("trainExamples").asInt()).isEqualTo(64);
        assertThat(config.has("provenance")).isTrue();
        JsonNode summary = Json.MAPPER.readTree(out.resolve("search.json").toFile());
        assertThat(summary.has("provenance")).isTrue();
        assertThat(summary.get("genotypeText").asText()).isEqualTo(g.toDartsString());
        assertThat(r.imagesPerSecond()).isPositive();
    }

    /**
     * Killed after its first epoch and resumed, a search writes the same log and genotype as an
     * uninterrupted one: for SGAS (criterion 2) that needs its decisions and distribution history from the
     * checkpoint, for GDAS and the SDARTS variants their random draws replayed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sdarts-rs", "sdarts-adv", "sgas", "gdas"})
    void resumedSearchReplaysTheUninterruptedOne(String algorithm) throws IOException {
        Path subset = SearchFixtures.subsetFile(tmp, SearchFixtures.spread(128));
        Path whole = tmp.resolve("whole");
        Path crashed = tmp.resolve("crashed");
        int epochs = algorithm.equals("sgas") ? 4 : 2;
        SearchResult uninterrupted = SearchJob.run(twoDecisionsPerEpoch(SearchFixtures.tiny(algorithm, subset, whole))
                .optEpochs(epochs).build());

        SearchConfig crashing = twoDecisionsPerEpoch(SearchFixtures.tiny(algorithm, subset, crashed))
                .optEpochs(epochs).build();
        ProgressListener crashAfterTheFirstEpoch = new ProgressListener() {
            @Override
            public void epochDone(String stage, int epoch, Object record) {
                throw new SimulatedCrash();
            }
        };
        assertThatThrownBy(() -> SearchJob.run(crashing, RunContext.DEFAULT.withProgress(crashAfterTheFirstEpoch)))
                .isInstanceOf(SimulatedCrash.class);
        assertThat(Files.readAllLines(crashed.resolve("log.jsonl"))).hasSize(1);
        assertThat(crashed.resolve("genotype.txt")).doesNotExist();

        SearchResult resumed = SearchJob.run(twoDecisionsPerEpoch(SearchFixtures.tiny(algorithm, subset, crashed))
                .optEpochs(epochs).build(), RunContext.DEFAULT.withResume(true));

        assertThat(resumed.genotype()).isEqualTo(uninterrupted.genotype());
        assertThat(Files.readString(crashed.resolve("genotype.txt")))
                .isEqualTo(Files.readString(whole.resolve("genotype.txt")));
        List<JsonNode> a = withoutTimings(whole.resolve("log.jsonl"));
        List<JsonNode> b = withoutTimings(crashed.resolve("log.jsonl"));
        assertThat(a).hasSize(epochs);
        assertThat(b).isEqualTo(a);
    }

    /** SGAS on the tiny cell: a decision every epoch from the first, so one epoch decides one edge per cell. */
    private static SearchConfig.Builder twoDecisionsPerEpoch(SearchConfig.Builder b) {
        return b.optSgas(new SearchConfig.SgasSettings(2, 0, 1, 2));
    }

    @Test
    void anExistingCheckpointNeedsResumeAndTheSameSettings() throws IOException {
        Path subset = SearchFixtures.subsetFile(tmp, SearchFixtures.spread(128));
        Path out = tmp.resolve("run");
        SearchJob.run(SearchFixtures.tiny("darts", subset, out).build());

        assertThatThrownBy(() -> SearchJob.run(SearchFixtures.tiny("darts", subset, out).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--resume");
        assertThatThrownBy(() -> SearchJob.run(SearchFixtures.tiny("darts", subset, out).optLr(0.05).build(),
                RunContext.DEFAULT.withResume(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lr");
    }

    @Test
    void badSubsetsAreRejectedWithTheFileAndTheEntry() throws IOException {
        Path out = tmp.resolve("never");
        Path outside = SearchFixtures.subsetFile(tmp, 1, 2, 2_000);
        Path duplicate = SearchFixtures.subsetFile(tmp, 5, 6, 5);
        Path empty = SearchFixtures.subsetFile(tmp);
        assertThatThrownBy(() -> SearchJob.run(SearchFixtures.tiny("darts", outside, out).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(outside.toString()).hasMessageContaining("2000").hasMessageContaining("0..1999");
        assertThatThrownBy(() -> SearchJob.run(SearchFixtures.tiny("darts", duplicate, out).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> SearchJob.run(SearchFixtures.tiny("darts", empty, out).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(out).doesNotExist();
    }

    private static List<JsonNode> withoutTimings(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(line -> {
            try {
                ObjectNode n = (ObjectNode) Json.MAPPER.readTree(line);
                n.remove("seconds");
                n.remove("imagesPerSecond");
                return (JsonNode) n;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static float sum(float[] row) {
        float s = 0;
        for (float v : row) {
            s += v;
        }
        return s;
    }

    /** Stands for a kill after the first epoch's checkpoint. */
    private static final class SimulatedCrash extends RuntimeException {}
}
