package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.RunContext;
import org.proxynas.common.UserError;

/**
 * Scoring in shards (a baseline, shards of examples scored with its model, a merge), as a cluster runs it, writes
 * the scores.csv and embeddings of one pass over all examples, row for row and bit for bit.
 */
class ShardedScoringTest {
    private static final int N = 300;
    private static final int BATCH = 50;
    private static final RunContext CONTEXT = RunContext.of(List.of("test"), ComputeDevice.CPU);

    @TempDir
    static Path dir;
    static ScoringResult whole;
    static ScoringConfig baseline;
    static List<Path> csvs = new ArrayList<>();
    static List<Path> embeddings = new ArrayList<>();

    private static ScoringConfig.Builder config(String name) {
        return ScoringConfig.builder()
                .setDataset("fashion-mnist")
                .setOut(dir.resolve(name).resolve("scores.csv"))
                .optEmbeddings(dir.resolve(name).resolve("embeddings.bin"))
                .optEpochs(1)
                .optBatchSize(BATCH)
                .optSeed(3)
                .optLimit(N)
                .optTestLimit(100);
    }

    @BeforeAll
    static void scoreWholeAndInShards() throws IOException {
        whole = ScoringJob.run(config("whole").build(), CONTEXT);
        baseline = config("baseline").build();
        ScoringJob.trainBaselineOnly(baseline, CONTEXT);
        for (int[] range : ScoringJob.shards(N, BATCH, 4)) {
            ScoringConfig shard = config("shard-" + range[0]).optModel(baseline.modelOut()).build();
            ScoringJob.scoreShard(shard, range[0], range[1], CONTEXT);
            csvs.add(shard.out());
            embeddings.add(shard.embeddings());
        }
    }

    @Test
    void mergedShardsAreTheScoresOfOnePass() throws IOException {
        ScoringConfig merged = config("merged").optModel(baseline.modelOut()).build();
        ScoringResult result = ScoringJob.mergeShards(merged, baseline.baselineJson(), csvs, embeddings, 1.0, CONTEXT);

        assertThat(Files.readAllLines(merged.out())).containsExactlyElementsOf(Files.readAllLines(whole.summary()
                .config().out()));
        assertThat(Files.readAllBytes(merged.embeddings())).isEqualTo(Files.readAllBytes(
                whole.summary().config().embeddings()));
        ScoringSummary a = whole.summary();
        ScoringSummary b = result.summary();
        assertThat(b.forgettingTracked()).isTrue();
        assertThat(b.neverLearned()).isEqualTo(a.neverLearned());
        assertThat(b.trainAccuracy()).isEqualTo(a.trainAccuracy());
        assertThat(b.testAccuracy()).isEqualTo(a.testAccuracy());
        assertThat(b.entropy()).isEqualTo(a.entropy());
        assertThat(b.training()).extracting(e -> e.trainLoss())
                .containsExactlyElementsOf(a.training().stream().map(e -> e.trainLoss()).toList());
        assertThat(b.scoresSha256()).isEqualTo(a.scoresSha256());
    }

    @Test
    void shardsAreWholeBatchesCoveringEveryExampleOnce() {
        List<int[]> ranges = ScoringJob.shards(1001, 64, 3);
        assertThat(ranges).hasSize(3);
        int next = 0;
        for (int[] r : ranges) {
            assertThat(r[0]).isEqualTo(next).matches(from -> from % 64 == 0);
            next = r[1];
        }
        assertThat(next).isEqualTo(1001);
        assertThat(ScoringJob.shards(100, 64, 8)).as("never more shards than batches").hasSize(2);
    }

    @Test
    void aMissingShardIsRefusedNamingTheCount() {
        ScoringConfig merged = config("incomplete").optModel(baseline.modelOut()).build();
        assertThatThrownBy(() -> ScoringJob.mergeShards(merged, baseline.baselineJson(), csvs.subList(0, 1),
                embeddings.subList(0, 1), 1.0, CONTEXT))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("the shards hold 100 of the 300 scored examples");
        assertThat(merged.out()).doesNotExist();
    }
}
