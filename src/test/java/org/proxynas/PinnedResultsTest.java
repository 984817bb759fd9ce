package org.proxynas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.proxynas.common.Json;
import org.proxynas.learn.TrainingLoop;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.search.SearchJob;
import org.proxynas.nas.space.Genotype;
import org.proxynas.score.ScoringConfig;
import org.proxynas.score.ScoringJob;
import org.proxynas.train.TrainConfig;
import org.proxynas.train.TrainJob;
import org.proxynas.train.TrainResult;
import org.proxynas.train.NetworkSpec;

/**
 * What a tiny search (first and second order), a tiny training and a tiny scoring compute, pinned to what they
 * computed before: a change made for speed must leave results as they were. Each run's log (without its timings)
 * or scores is compared with its recording in {@code src/test/resources/pinned} (made at commit d35b5ca with one
 * libtorch thread, as every test runs).
 *
 * <p>Another CPU sums in another order, and so does another thread count. Between one and two threads the recorded
 * values moved by up to 6e-6 (the searches' losses, relative), 4e-6 (α's softmax), 7e-5 and 8e-4 (the training's
 * training and test loss, relative) and 1e-3 (a score), and no accuracy moved; each tolerance is 12 to 20 times
 * that. Holding libtorch, oneDNN and MKL to AVX2, as on a CPU without AVX-512 ({@code ATEN_CPU_CAPABILITY=avx2
 * ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2}), moved them no further. What a changed computation moves
 * is larger: a 10% larger learning rate, or momentum 0.8 instead of 0.9, fails every run (search losses move by
 * 2e-4 to 7e-4, training losses by 2e-2 and more, scores by 5e-2 and more). In so few steps a 10% change of weight
 * decay or of α's learning rate moves the numbers no further than rounding does, so this test cannot see it. The
 * searches' genotypes are left out: after so few steps two operations' weights can lie 3e-6 apart, and the
 * genotype follows from those weights, which are compared.
 *
 * <p>After a deliberate change of results, copy {@code target/pinned/NAME.jsonl} (every run writes its log there)
 * over the recording and say why in the commit.
 */
class PinnedResultsTest {
    /** Relative tolerances of the training and the held-out loss; absolute of α's softmax and of a score. */
    private record Tolerances(double trainLoss, double heldOutLoss, double architecture, double score) {}

    private static final Tolerances SEARCH = new Tolerances(1e-4, 1e-4, 5e-5, 0);
    private static final Tolerances TRAINING = new Tolerances(1e-3, 1e-2, 0, 0);
    private static final Tolerances SCORING = new Tolerances(0, 0, 0, 2e-2);
    /** One example of the smallest set (64 validation or test images). */
    private static final double ACCURACY_ABSOLUTE = 1.0 / 64 + 1e-9;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"darts", "darts-2nd"})
    void aTinySearchComputesWhatItComputedBefore(String algorithm) throws IOException {
        Path out = dir.resolve(algorithm);
        SearchJob.run(SearchConfig.builder().setDataset("fashion-mnist").setAlgorithm(algorithm).setOutDir(out)
                .optSubsetFile(subset(128, 15)).optEpochs(2).optLayers(3).optChannels(4).optNodes(2)
                .optMultiplier(2).optBatchSize(32).optSeed(3).build());
        assertMatchesRecording("search-" + algorithm, epochs(out.resolve("log.jsonl")), SEARCH);
    }

    @Test
    void aTinyTrainingComputesWhatItComputedBefore() throws IOException {
        Path out = dir.resolve("training");
        TrainResult r = TrainJob.run(TrainConfig.builder().setDataset("fashion-mnist")
                .setNetwork(new NetworkSpec.Cells("DARTS_V2", Genotype.named("DARTS_V2"), 3, 8, null))
                .setOutputDir(out).optTrainSubset(subset(192, 10)).optTestLimit(64).optEpochs(2).optBatchSize(32)
                .build());
        assertThat(r.parameters()).isEqualTo(7_802);
        assertMatchesRecording("training-darts_v2", epochs(out.resolve(TrainingLoop.LOG)), TRAINING);
    }

    @Test
    void aTinyScoringComputesWhatItComputedBefore() throws IOException {
        Path csv = dir.resolve("scores.csv");
        // a tenth of the default rate: at 0.1, four steps already moved scores by 2e-2 between thread counts
        ScoringJob.run(ScoringConfig.builder().setDataset("fashion-mnist").setOut(csv).optEpochs(1).optBatchSize(32)
                .optLr(0.01).optSeed(7).optLimit(128).optTestLimit(64).build());
        List<String> rows = Files.readAllLines(csv);
        String[] columns = rows.get(0).split(",");
        List<JsonNode> scores = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            ObjectNode example = Json.MAPPER.createObjectNode();
            String[] values = row.split(",");
            for (int c = 0; c < columns.length; c++) {
                example.put(columns[c], Double.parseDouble(values[c]));
            }
            // the predicted class follows from the probabilities, which are compared; forgetting counts are
            // integers that a near-tie during training can move by one on another CPU
            example.remove(List.of("predicted", "forgetting"));
            scores.add(example);
        }
        assertMatchesRecording("scoring-resnet20", scores, SCORING);
    }

    /** A proxy file of {@code n} training images, every {@code step}-th: all classes appear. */
    private Path subset(int n, int step) throws IOException {
        String indices = IntStream.range(0, n).mapToObj(i -> Integer.toString(i * step + 7))
                .collect(Collectors.joining(","));
        Path file = dir.resolve("subset-" + n + ".json");
        Files.writeString(file, "{\"method\":\"test\",\"indices\":[" + indices + "]}");
        return file;
    }

    /** A run's log lines without what differs from run to run (timings) or is derived (the genotype). */
    private static List<JsonNode> epochs(Path log) throws IOException {
        List<JsonNode> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            ObjectNode epoch = (ObjectNode) Json.MAPPER.readTree(line);
            epoch.remove(List.of("seconds", "imagesPerSecond", "genotype"));
            epochs.add(epoch);
        }
        return epochs;
    }

    private static void assertMatchesRecording(String name, List<JsonNode> actual, Tolerances tolerances)
            throws IOException {
        Path written = Files.createDirectories(Path.of("target", "pinned")).resolve(name + ".jsonl");
        Files.write(written, actual.stream().map(JsonNode::toString).toList());

        List<JsonNode> recorded = new ArrayList<>();
        try (InputStream in = PinnedResultsTest.class.getResourceAsStream("/pinned/" + name + ".jsonl")) {
            assertThat(in).as("recording of " + name).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                recorded.add(Json.MAPPER.readTree(line));
            }
        }
        assertThat(actual).as(name + " lines (this run's: " + written + ")").hasSameSizeAs(recorded);
        for (int i = 0; i < recorded.size(); i++) {
            assertSame(recorded.get(i), actual.get(i), tolerances, name + " line " + (i + 1), "");
        }
    }

    /** Compares a recorded value with this run's, numbers within the tolerance their field allows. */
    private static void assertSame(JsonNode recorded, JsonNode actual, Tolerances tolerances, String where,
            String field) {
        if (recorded.isObject()) {
            assertThat(actual.isObject()).as(where).isTrue();
            assertThat(fieldNames(actual)).as(where + ": fields").isEqualTo(fieldNames(recorded));
            recorded.fieldNames().forEachRemaining(
                    f -> assertSame(recorded.get(f), actual.get(f), tolerances, where + "." + f, f));
        } else if (recorded.isArray()) {
            assertThat(actual.size()).as(where + ": length").isEqualTo(recorded.size());
            for (int i = 0; i < recorded.size(); i++) {
                assertSame(recorded.get(i), actual.get(i), tolerances, where + "[" + i + "]", field);
            }
        } else if (recorded.isNumber()) {
            double want = recorded.asDouble();
            assertThat(actual.isNumber()).as(where).isTrue();
            assertThat(actual.asDouble()).as(where).isCloseTo(want, within(tolerance(tolerances, field, want)));
        } else {
            assertThat(actual).as(where).isEqualTo(recorded);
        }
    }

    private static double tolerance(Tolerances tolerances, String field, double recorded) {
        return switch (field) {
            case "trainLoss" -> tolerances.trainLoss() * Math.abs(recorded);
            case "valLoss", "testLoss" -> tolerances.heldOutLoss() * Math.abs(recorded);
            case "trainAccuracy", "valAccuracy", "testAccuracy" -> ACCURACY_ABSOLUTE;
            case "normal", "reduce" -> tolerances.architecture();
            case "entropy", "true_prob", "margin" -> tolerances.score();
            default -> 0;
        };
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
