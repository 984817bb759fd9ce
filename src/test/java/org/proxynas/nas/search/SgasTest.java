package org.proxynas.nas.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.Json;
import org.proxynas.common.UserError;
import org.proxynas.nas.space.Genotype;

class SgasTest {
    @TempDir
    Path tmp;

    /**
     * Four edges (column 0 is none): a certain one, a uniform one, one split over two operations, one split
     * 0.6/0.4. Importance 0.7, 0.8, 0.4, 0.5 min-max normalizes to 0.75, 1, 0, 0.25; certainty 1 − H/ln 7.
     */
    private static final float[][] SOFTMAX = {
        {0.3f, 0.7f, 0, 0, 0, 0, 0, 0},
        {0.2f, 0.8f / 7, 0.8f / 7, 0.8f / 7, 0.8f / 7, 0.8f / 7, 0.8f / 7, 0.8f / 7},
        {0.6f, 0.2f, 0.2f, 0, 0, 0, 0, 0},
        {0.5f, 0.3f, 0.2f, 0, 0, 0, 0, 0}};

    @Test
    void criterionOneIsNormalizedImportanceTimesNormalizedCertainty() {
        double certainty3 = 1 + (0.6 * Math.log(0.6) + 0.4 * Math.log(0.4)) / Math.log(7);
        // certainties 1, 0, 1 - ln 2 / ln 7, certainty3: already spanning [0, 1]
        double[] expected = {0.75 * 1, 1 * 0, 0 * (1 - Math.log(2) / Math.log(7)), 0.25 * certainty3};
        assertThat(Sgas.scores(SOFTMAX, List.of(), 1)).containsExactly(expected, within(1e-6));
    }

    @Test
    void criterionTwoAlsoWeighsStabilityAgainstTheHistory() {
        double[][] older = {
            {1, 0, 0, 0, 0, 0, 0}, uniform(), {0, 0, 1, 0, 0, 0, 0}, {0.6, 0.4, 0, 0, 0, 0, 0}};
        double[][] newer = {
            {0.5, 0.5, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 0}, {0.5, 0.5, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0, 0}};
        // histogram intersections with the current distributions, averaged over the two epochs:
        // edge 0 (1 + 0.5)/2, edge 1 (1 + 1/7)/2, edge 2 (0 + 1)/2, edge 3 (1 + 0.4)/2
        double[] stability = {0.75, (1 + 1.0 / 7) / 2, 0.5, 0.7};
        double min = 0.5;
        double range = 0.75 - 0.5;
        double certainty3 = 1 + (0.6 * Math.log(0.6) + 0.4 * Math.log(0.4)) / Math.log(7);
        double[] criterionOne = {0.75, 0, 0, 0.25 * certainty3};
        double[] expected = new double[4];
        for (int e = 0; e < 4; e++) {
            expected[e] = criterionOne[e] * (stability[e] - min) / range;
        }
        assertThat(Sgas.scores(SOFTMAX, List.of(older, newer), 2)).containsExactly(expected, within(1e-6));
        assertThat(Sgas.scores(SOFTMAX, List.of(), 2)).as("no history: stability 0 everywhere, normalized to 0")
                .containsOnly(0.0);
    }

    private static double[] uniform() {
        double[] q = new double[7];
        java.util.Arrays.fill(q, 1.0 / 7);
        return q;
    }

    /**
     * A 2-node search decides at epochs 2, 4, 6 and 8 (warm-up 2, frequency 2), both cell types each time,
     * and stops there although --epochs allows 12: each decision stays, its α row stops moving, no node
     * ever has more than two decided inputs, and the genotype is the decided edges.
     */
    @Test
    void decidesOnScheduleKeepsEveryDecisionAndEndsWithTheDecidedCell() throws IOException {
        Path out = tmp.resolve("sgas");
        Path subset = SearchFixtures.subsetFile(tmp, SearchFixtures.spread(64));
        SearchResult r = SearchJob.run(SearchFixtures.tiny("sgas", subset, out).optEpochs(12)
                .optSgas(new SearchConfig.SgasSettings(1, 2, 2, 4)).build());

        List<JsonNode> log = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(SearchJob.LOG))) {
            log.add(Json.MAPPER.readTree(line));
        }
        assertThat(log).hasSize(9);
        assertThat(r.epochs()).isEqualTo(9);
        for (String cell : List.of("normal", "reduce")) {
            List<String> decidedAt = new ArrayList<>();
            List<JsonNode> previous = null;
            for (JsonNode epoch : log) {
                JsonNode info = epoch.at("/algorithmInfo/" + cell);
                if (!info.get("decided").isNull()) {
                    decidedAt.add(epoch.get("epoch").asText());
                }
                List<JsonNode> edges = new ArrayList<>();
                info.get("edges").forEach(edges::add);
                assertThat(edges).hasSize(5);
                if (previous != null) {
                    for (int e = 0; e < edges.size(); e++) {
                        if (!previous.get(e).isNull()) {
                            assertThat(edges.get(e)).as("%s edge %d after epoch %s", cell, e, epoch.get("epoch"))
                                    .isEqualTo(previous.get(e));
                            assertThat(epoch.at("/architecture/" + cell + "/" + e))
                                    .as("softmax(alpha) of decided %s edge %d", cell, e)
                                    .isEqualTo(log.get(epoch.get("epoch").asInt() - 1)
                                            .at("/architecture/" + cell + "/" + e));
                        }
                    }
                }
                assertAtMostTwoInputsPerNode(edges);
                previous = edges;
            }
            assertThat(decidedAt).as(cell).containsExactly("2", "4", "6", "8");
            assertThat(previous).noneMatch(JsonNode::isNull);
            assertThat(cellOf(previous))
                    .isEqualTo(cell.equals("normal") ? r.genotype().normal() : r.genotype().reduce());
        }
        assertThat(Genotype.read(out.resolve("genotype.json"))).isEqualTo(r.genotype());
    }

    /** Node 0 reads edges 0, 1; node 1 edges 2, 3, 4. */
    private static void assertAtMostTwoInputsPerNode(List<JsonNode> edges) {
        for (int[] node : new int[][] {{0, 2}, {2, 5}}) {
            long decided = 0;
            long undecided = 0;
            for (int e = node[0]; e < node[1]; e++) {
                JsonNode state = edges.get(e);
                if (state.isNull()) {
                    undecided++;
                } else if (!state.asText().equals("pruned")) {
                    decided++;
                }
            }
            assertThat(decided).isLessThanOrEqualTo(2);
            if (decided == 2) {
                assertThat(undecided).as("a node with two inputs keeps no undecided edge").isZero();
            }
        }
    }

    /** The decided edges, node by node in input order. */
    private static List<Genotype.Edge> cellOf(List<JsonNode> edges) {
        List<Genotype.Edge> cell = new ArrayList<>();
        int[] firstEdge = {0, 2};
        for (int node = 0; node < 2; node++) {
            for (int input = 0; input < node + 2; input++) {
                String op = edges.get(firstEdge[node] + input).asText();
                if (!op.equals("pruned")) {
                    cell.add(new Genotype.Edge(op, input));
                }
            }
        }
        return cell;
    }

    @Test
    void tooFewEpochsForTheScheduleAreRefusedNamingTheSettings() throws IOException {
        Path subset = SearchFixtures.subsetFile(tmp, SearchFixtures.spread(64));
        assertThatThrownBy(() -> SearchFixtures.tiny("sgas", subset, tmp.resolve("short")).optEpochs(20).build())
                .isInstanceOf(UserError.class)
                .hasMessageContaining("epochs 20")
                .hasMessageContaining("25 epochs")
                .hasMessageContaining("decisionWarmup 9")
                .hasMessageContaining("decisionFrequency 5");
        assertThatThrownBy(() -> new SearchConfig.SgasSettings(3, 9, 5, 4)).hasMessageContaining("criterion");
        assertThat(SearchFixtures.tiny("darts", subset, tmp).build().resolved().sgas()).isNull();
    }
}
