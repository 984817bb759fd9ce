package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.common.RunContext;
import org.proxynas.data.Datasets;
import org.proxynas.data.ImageDataset;
import org.proxynas.data.Split;
import org.proxynas.learn.TrainingOutcome;

/** Scoring end to end on the first Fashion-MNIST training images: two short epochs of a real ResNet-20. */
class ScoringJobTest {
    private static final int N = 256;
    private static final int EPOCHS = 2;

    @TempDir
    static Path dir;

    private static ScoringResult uninterrupted;
    private static ImageDataset train;

    private static ScoringConfig.Builder config(String name) {
        return ScoringConfig.builder()
                .setDataset("fashion-mnist")
                .setOut(dir.resolve(name).resolve("scores.csv"))
                .optEpochs(EPOCHS)
                .optBatchSize(64)
                .optMilestones(List.of(1)) // the rate drops between the epochs, so resume must restore it
                .optSeed(7)
                .optLimit(N)
                .optTestLimit(128);
    }

    @BeforeAll
    static void scoreOnce() throws IOException {
        train = Datasets.open("fashion-mnist", Split.TRAIN);
        uninterrupted = ScoringJob.run(config("full").optEmbeddings(dir.resolve("full/emb.bin")).build());
    }

    @Test
    void csvHasOneRowPerExampleInDatasetOrderWithItsLabel() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("full/scores.csv"));
        assertThat(lines.get(0)).isEqualTo("index,label,entropy,predicted,true_prob,margin,forgetting");
        assertThat(lines).hasSize(N + 1);
        for (int i = 0; i < N; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertThat(Integer.parseInt(f[0])).isEqualTo(i);
            assertThat(Integer.parseInt(f[1])).isEqualTo(train.label(i));
            assertThat(Double.parseDouble(f[2])).isFinite().isBetween(0.0, Math.log(10));
            int forgetting = Integer.parseInt(f[6]);
            assertThat(forgetting).isBetween(0, EPOCHS);
        }
        ScoreTable read = ScoresCsv.read(dir.resolve("full/scores.csv"));
        assertThat(read).isEqualTo(uninterrupted.scores());
    }

    @Test
    void scoresAreConsistentWithEachOther() {
        ScoreTable t = uninterrupted.scores();
        double[] h = t.entropy();
        double[] p = t.trueProb();
        double[] m = t.margin();
        int[] pred = t.predicted();
        int right = 0;
        for (int i = 0; i < t.size(); i++) {
            // the true class is predicted exactly when it beats every other class
            assertThat(m[i] > 0).as("example %d", i).isEqualTo(pred[i] == t.label(i));
            assertThat(p[i]).isBetween(0.0, 1.0);
            right += pred[i] == t.label(i) ? 1 : 0;
        }
        assertThat(uninterrupted.summary().trainAccuracy()).isEqualTo((double) right / t.size());
        assertThat(java.util.Arrays.stream(h).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
        assertThat(java.util.Arrays.stream(h).max().orElseThrow()).isLessThanOrEqualTo(Math.log(10));
    }

    @Test
    void jsonDescribesTheRun() throws IOException {
        JsonNode json = Json.MAPPER.readTree(dir.resolve("full/scores.json").toFile());
        assertThat(json.get("dataset").asText()).isEqualTo("fashion-mnist");
        assertThat(json.get("datasetSha256").asText()).isEqualTo(Datasets.checksum(train));
        assertThat(json.get("examples").asInt()).isEqualTo(N);
        assertThat(json.get("datasetExamples").asInt()).isEqualTo(train.size());
        assertThat(json.get("arch").asText()).isEqualTo("resnet20");
        assertThat(json.get("parameters").asLong()).isEqualTo(269_722L - 2 * 9 * 16); // the reference's count, with 1 input channel instead of 3
        assertThat(json.get("epochs").asInt()).isEqualTo(EPOCHS);
        assertThat(json.get("training")).hasSize(EPOCHS);
        assertThat(json.get("seed").asLong()).isEqualTo(7);
        assertThat(json.get("trainAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.get("testAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.get("testExamples").asInt()).isEqualTo(128);
        assertThat(json.get("forgettingTracked").asBoolean()).isTrue();
        assertThat(json.get("scoresSha256").asText()).isEqualTo(
                org.proxynas.common.Checksums.sha256(dir.resolve("full/scores.csv")));
        assertThat(json.get("config").get("milestones").get(0).asInt()).isEqualTo(1);
        assertThat(json.get("entropy").get("quantiles").get("q0.50").asDouble()).isBetween(0.0, Math.log(10));
        assertThat(json.get("provenance").get("djlVersion").asText()).isNotBlank();
        assertThat(json.get("wallSeconds").asDouble()).isPositive();
        assertThat(Files.isRegularFile(dir.resolve("full/scores.model.params"))).isTrue();
    }

    @Test
    void embeddingsHoldOneFeatureRowPerExample() throws IOException {
        Embeddings e = Embeddings.read(dir.resolve("full/emb.bin"));
        assertThat(e.n()).isEqualTo(N);
        assertThat(e.d()).isEqualTo(64);
        float[] data = e.data();
        // features come after a ReLU and average pooling: non-negative, and not all zero
        double sum = 0;
        for (float v : data) {
            assertThat(v).isGreaterThanOrEqualTo(0f);
            sum += v;
        }
        assertThat(sum).isPositive();
    }

    @Test
    void savedModelReproducesTheScores() throws IOException {
        ScoringResult again = ScoringJob.run(config("again").optModel(dir.resolve("full/scores.model.params")).build());
        ScoreTable a = uninterrupted.scores();
        ScoreTable b = again.scores();
        assertThat(b.entropy()).containsExactly(a.entropy());
        assertThat(b.predicted()).containsExactly(a.predicted());
        assertThat(b.trueProb()).containsExactly(a.trueProb());
        assertThat(b.margin()).containsExactly(a.margin());
        assertThat(b.hasForgetting()).isFalse();
        assertThat(again.summary().epochs()).isZero();
        assertThat(again.summary().testAccuracy()).isEqualTo(uninterrupted.summary().testAccuracy());
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        TrainingOutcome first = ScoringJob.trainBaseline(config("resumed").build(), 1, RunContext.DEFAULT);
        assertThat(first.complete()).isFalse();
        assertThat(Files.exists(dir.resolve("resumed/scores.csv"))).isFalse();
        ScoringResult resumed = ScoringJob.run(config("resumed").build(), RunContext.DEFAULT.withResume(true));
        assertThat(resumed.scores()).isEqualTo(uninterrupted.scores());
        assertThat(Files.readAllBytes(dir.resolve("resumed/scores.model.params")))
                .isEqualTo(Files.readAllBytes(dir.resolve("full/scores.model.params")));
    }

    @Test
    void existingCheckpointNeedsResume() {
        assertThatThrownBy(() -> ScoringJob.run(config("full").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass --resume");
    }

    @Test
    void limitBeyondDatasetIsRejected() {
        assertThatThrownBy(() -> ScoringJob.run(config("big").optLimit(2_001).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit 2001 exceeds the 2000 train examples of fashion-mnist");
        assertThat(Files.exists(dir.resolve("big"))).isFalse();
    }
}
