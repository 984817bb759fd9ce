package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.common.ProgressListener;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;

/**
 * Adaptive proxy data (issue 37) on tiny searches of the tests' 2,000 Fashion-MNIST images: a random first proxy of
 * 3% (60 images), re-selected from a pool of 10% (200 images) after every epoch.
 */
class ReselectionTest {
    @TempDir
    Path tmp;

    private static SearchConfig.Builder adaptive(Path out, String method, int epochs) {
        return SearchFixtures.tiny("darts", null, out).optEpochs(epochs).optBatchSize(16)
                .optReselection(new SearchConfig.Reselection(1, method, 0.1, 0, 0.03,
                        SearchConfig.Reselection.DEFAULTS.probability(), null, false));
    }

    @Test
    void anAdaptiveSearchNeedsNoSubsetAndLogsEachReselection() throws IOException {
        Path out = tmp.resolve("adaptive");
        SearchResult r = SearchJob.run(adaptive(out, "proxy", 2).build());

        List<String> log = Files.readAllLines(out.resolve("log.jsonl"));
        assertThat(log).hasSize(2);
        EpochRecord first = Json.MAPPER.readValue(log.get(0), EpochRecord.class);
        EpochRecord last = Json.MAPPER.readValue(log.get(1), EpochRecord.class);
        assertThat(last.reselection()).as("no re-selection after the last epoch").isNull();
        ReselectionRecord re = first.reselection();
        assertThat(re.method()).isEqualTo("proxy");
        assertThat(re.poolSize()).isEqualTo(200);
        assertThat(re.size()).isEqualTo(60);
        assertThat(re.classCounts()).hasSize(10);
        assertThat(Arrays.stream(re.classCounts()).sum()).isEqualTo(60);
        assertThat(re.overlap()).isBetween(0.0, 1.0);
        assertThat(re.unseen()).isBetween(0.0, 1.0);
        assertThat(re.seen()).isGreaterThanOrEqualTo(60 / 2000.0).isLessThanOrEqualTo(120 / 2000.0);
        assertThat(re.meanPoolEntropy()).isBetween(0.0, Math.log(10));
        assertThat(re.seconds()).isPositive();

        assertThat(r.reselections()).isEqualTo(1);
        assertThat(r.reselectionSeconds()).isEqualTo(re.seconds());
        assertThat(r.secondsWithoutReselection()).isPositive().isLessThan(r.wallSeconds());
        JsonNode config = Json.MAPPER.readTree(out.resolve("config.json").toFile());
        assertThat(config.at("/config/reselection/reselectEvery").asInt()).isEqualTo(1);
        assertThat(config.at("/config/reselection/binWidth").asDouble()).isEqualTo(0.5);
        assertThat(config.get("searchExamples").asInt()).isEqualTo(60);
        assertThat(config.at("/inputs/subset").isMissingNode()).isTrue();
        JsonNode summary = Json.MAPPER.readTree(out.resolve("search.json").toFile());
        assertThat(summary.at("/result/reselections").asInt()).isEqualTo(1);
        assertThat(summary.at("/result/secondsWithoutReselection").asDouble())
                .isEqualTo(r.secondsWithoutReselection());
    }

    @Test
    void theRandomControlDrawsWithoutScoringAndAStaticSearchKeepsItsConfig() throws IOException {
        Path out = tmp.resolve("random");
        SearchJob.run(adaptive(out, "random", 2).build());
        ReselectionRecord re = Json.MAPPER.readValue(Files.readAllLines(out.resolve("log.jsonl")).get(0),
                EpochRecord.class).reselection();
        assertThat(re.method()).isEqualTo("random");
        assertThat(re.size()).isEqualTo(60);
        assertThat(re.meanPoolEntropy()).isNull();
        JsonNode config = Json.MAPPER.readTree(out.resolve("config.json").toFile());
        assertThat(config.at("/config/reselection/probability").isMissingNode()
                || config.at("/config/reselection/probability").isNull()).isTrue();

        // off, the section leaves the JSON (and so a cached stage's key) of a static search as it was
        SearchConfig off = SearchConfig.DEFAULTS.resolved();
        assertThat(off.reselection()).isNull();
        assertThat(Json.MAPPER.valueToTree(off).has("reselection")).isFalse();
    }

    /**
     * Killed right after the epoch that re-selected and resumed, an adaptive search continues on the re-selected
     * proxy from its checkpoint and re-selects again as the uninterrupted one does: the same log and genotype.
     */
    @Test
    void aSearchKilledAfterAReselectionResumesToTheUninterruptedResult() throws IOException {
        Path whole = tmp.resolve("whole");
        Path crashed = tmp.resolve("crashed");
        SearchResult uninterrupted = SearchJob.run(adaptive(whole, "proxy", 3).build());

        ProgressListener crashAfterTheFirstEpoch = new ProgressListener() {
            @Override
            public void epochDone(String stage, int epoch, Object record) {
                throw new SimulatedCrash();
            }
        };
        assertThatThrownBy(() -> SearchJob.run(adaptive(crashed, "proxy", 3).build(),
                RunContext.DEFAULT.withProgress(crashAfterTheFirstEpoch))).isInstanceOf(SimulatedCrash.class);
        assertThat(Files.readAllLines(crashed.resolve("log.jsonl"))).hasSize(1);

        SearchResult resumed = SearchJob.run(adaptive(crashed, "proxy", 3).build(), RunContext.DEFAULT.withResume(true));

        assertThat(resumed.genotype()).isEqualTo(uninterrupted.genotype());
        assertThat(resumed.reselections()).isEqualTo(2);
        List<JsonNode> a = withoutTimings(whole.resolve("log.jsonl"));
        assertThat(a).hasSize(3);
        assertThat(withoutTimings(crashed.resolve("log.jsonl"))).isEqualTo(a);
        assertThat(a.get(1).at("/reselection/overlap").isNumber()).isTrue();
    }

    @Test
    void badSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> adaptive(tmp.resolve("x"), "proxy", 1).build())
                .isInstanceOf(UserError.class).hasMessageContaining("reselectEvery must be below epochs 1");
        assertThatThrownBy(() -> new SearchConfig.Reselection(1, "kcenter", 1, 0, 0.1, null, null, false))
                .isInstanceOf(UserError.class).hasMessageContaining("reselectMethod must be one of proxy, random");
        assertThatThrownBy(() -> new SearchConfig.Reselection(1, "proxy", 0, 0, 0.1, null, null, false))
                .isInstanceOf(UserError.class).hasMessageContaining("poolFraction must be in (0, 1]");
        assertThatThrownBy(() -> SearchJob.run(adaptive(tmp.resolve("small-pool"), "proxy", 2)
                .optReselection(new SearchConfig.Reselection(1, "proxy", 0.02, 0, 0.03, null, null, false)).build()))
                .isInstanceOf(UserError.class).hasMessageContaining("fewer than the proxy's 60");
    }

    private static List<JsonNode> withoutTimings(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(line -> {
            try {
                ObjectNode n = (ObjectNode) Json.MAPPER.readTree(line);
                n.remove("seconds");
                n.remove("imagesPerSecond");
                if (n.get("reselection") instanceof ObjectNode re) {
                    re.remove("seconds");
                }
                return (JsonNode) n;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
