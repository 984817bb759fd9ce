package org.proxynas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;

/**
 * The paper's method assumes a scorer that has fit its data; {@code score} and {@code select} say when it has not.
 * A one-epoch scorer of 200 images is far from it (13% right, yet confident); the small-set recipe (cosine, no
 * augmentation) reaches it on the same images in about 20 seconds, with a median entropy four times below the bound.
 */
class ScorerRegimeWarningTest {
    private static final String WARNING = "warning: the scorer has not fit its data (train accuracy ";

    @TempDir
    Path dir;

    private CliRun score(String name, String... recipe) {
        String[] args = new String[] {"score", "fashion-mnist", "--limit", "200", "--test-limit", "100",
            "--out", dir.resolve(name + ".csv").toString()};
        String[] all = new String[args.length + recipe.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(recipe, 0, all, args.length, recipe.length);
        CliRun run = CliRun.of(all);
        assertThat(run.exit()).as(run.err()).isZero();
        return run;
    }

    private CliRun select(String name, String method) {
        CliRun run = CliRun.of("select", "--scores", dir.resolve(name + ".csv").toString(), "--method", method,
                "--ratio", "0.2", "--out", dir.resolve(name + "-" + method + ".json").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        return run;
    }

    private JsonNode json(String file) throws IOException {
        return Json.MAPPER.readTree(dir.resolve(file).toFile());
    }

    @Test
    void aOneEpochScorerIsWarnedOfByScoreAndBySelectForMethodsThatReadScores() throws IOException {
        CliRun scored = score("short", "--epochs", "1", "--batch-size", "50");
        assertThat(scored.errLines()).anyMatch(l -> l.startsWith("proxynas score: " + WARNING));
        assertThat(scored.out()).contains("regime    NOT fitted: train accuracy");
        JsonNode regime = json("short.json").path("regime");
        assertThat(regime.path("fitted").asBoolean(true)).isFalse();
        assertThat(regime.path("medianEntropy").asDouble())
                .isEqualTo(json("short.json").path("entropy").path("quantiles").path("q0.50").asDouble());

        CliRun proxy = select("short", "proxy");
        assertThat(proxy.errLines()).anyMatch(l -> l.startsWith("proxynas select: " + WARNING));
        assertThat(json("short-proxy.json").path("scorer").path("fitted").asBoolean(true)).isFalse();
        CliRun random = select("short", "random");
        assertThat(random.err()).doesNotContain("scorer");
        assertThat(json("short-random.json").path("scorer").isNull()).isTrue();
    }

    @Test
    void aScorerFitWithTheSmallSetRecipeIsInTheRegimeAndNotWarnedOf() throws IOException {
        CliRun scored = score("fit", "--epochs", "60", "--batch-size", "25", "--lr", "0.05", "--schedule", "cosine",
                "--no-augment");
        assertThat(scored.err()).doesNotContain("warning");
        assertThat(scored.out()).contains("regime    fitted, as the paper's scorer: train accuracy 100.0%");
        JsonNode summary = json("fit.json");
        assertThat(summary.path("regime").path("fitted").asBoolean()).isTrue();
        assertThat(summary.path("config").path("schedule").asText()).isEqualTo("cosine");
        assertThat(summary.path("config").path("augment").asBoolean(true)).isFalse();
        assertThat(select("fit", "proxy").err()).doesNotContain("scorer");
    }
}
