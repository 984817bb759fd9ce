package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.proxynas.common.Json;
import org.proxynas.common.Precision;

class ExperimentConfigTest {
    @Test
    void missingKeysTakeThePaperDefaults() {
        ExperimentConfig c = ExperimentConfig.parse("dataset: fashion-mnist\n", "t");
        assertThat(c.seeds()).containsExactly(0L);
        assertThat(c.selection().methods()).containsExactly("proxy", "random", "full");
        assertThat(c.selection().ratios()).containsExactly(0.1);
        assertThat(c.search().epochs()).isEqualTo(50);
        assertThat(c.search().channels()).isEqualTo(16);
        assertThat(c.evaluation().epochs()).isEqualTo(600);
        assertThat(c.evaluation().channels()).isEqualTo(36);
        assertThat(c.scoring().epochs()).isEqualTo(200);
    }

    @Test
    void aRankingSectionIsOptionalAndTakesTheRankDefaults() {
        assertThat(ExperimentConfig.parse("dataset: fashion-mnist\n", "t").ranking()).isNull();
        ExperimentConfig.Ranking r = ExperimentConfig.parse("ranking: {budget: steps}\n", "t").ranking();
        assertThat(r.methods()).containsExactly("proxy", "random");
        assertThat(r.architectures()).isEqualTo(RankConfig.DEFAULT_ARCHITECTURES);
        assertThat(r.budget()).isEqualTo(RankConfig.Budget.STEPS);
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {architectures: 2}\n", "exp.yaml"))
                .hasMessage("exp.yaml: ranking.architectures: must be at least 3, found 2");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {methods: [proxy, best]}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: ranking.methods: unknown method 'best'");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {budget: hours}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: budget: expected epochs or steps, found 'hours'");
    }

    @Test
    void aMethodIsNamedWithItsSettingsAsTextOrAsAMap() {
        ExperimentConfig c = ExperimentConfig.parse("selection:\n  methods:\n    - proxy\n"
                + "    - {method: proxy, balanced: true, probability: p2, binWidth: 0.25}\n    - random+balanced\n"
                + "    - full\nranking: {methods: [proxy, {method: proxy, balanced: true}]}\n", "t");
        assertThat(c.selection().methods())
                .containsExactly("proxy", "proxy+balanced+p2+bw0.25", "random+balanced", ExperimentConfig.FULL);
        assertThat(c.ranking().methods()).containsExactly("proxy", "proxy+balanced");
        assertThatThrownBy(() -> ExperimentConfig.parse("selection:\n  methods: [proxy, {method: proxy, bins: 3}]\n",
                "exp.yaml")).hasMessageStartingWith("exp.yaml: selection.methods[1]: unknown key 'bins' in a method");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {methods: [random+p2]}\n", "exp.yaml"))
                .hasMessage("exp.yaml: ranking.methods: random: probability applies only to proxy");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {methods: [proxy+p1, proxy]}\n", "exp.yaml"))
                .hasMessage("exp.yaml: ranking.methods: must not repeat a method");
    }

    @Test
    void evaluationPrecisionDefaultsToFp32AndNamesTheChoicesWhenWrong() throws Exception {
        ExperimentConfig fp32 = ExperimentConfig.parse("{}", "t");
        assertThat(fp32.evaluation().precision()).isEqualTo(Precision.FP32);
        // left out of JSON, so that the evaluation settings of earlier experiments read and compare as before
        assertThat(Json.line(fp32.evaluation())).doesNotContain("precision");
        assertThat(ExperimentConfig.parse("evaluation: {precision: bf16}\n", "t").evaluation().precision())
                .isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> ExperimentConfig.parse("evaluation: {precision: half}\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exp.yaml: precision must be fp32, fp16 or bf16, found 'half'");
    }

    @Test
    void jsonIsAcceptedToo() {
        ExperimentConfig c = ExperimentConfig.parse("{\"seeds\": [1, 2], \"search\": {\"epochs\": 3}}", "t");
        assertThat(c.seeds()).containsExactly(1L, 2L);
        assertThat(c.search().epochs()).isEqualTo(3);
        assertThat(c.search().layers()).isEqualTo(8);
    }

    @Test
    void scoringShardsDefaultToOneAndMustBePositive() {
        assertThat(ExperimentConfig.parse("{}", "t").scoring().shards()).isEqualTo(1);
        assertThat(ExperimentConfig.parse("scoring: {shards: 4}\n", "t").scoring().shards()).isEqualTo(4);
        assertThatThrownBy(() -> ExperimentConfig.parse("scoring: {shards: 0}\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exp.yaml: scoring.shards: must be positive, found 0");
    }

    @Test
    void ratioOutOfRangeNamesTheKey() {
        assertThatThrownBy(() -> ExperimentConfig.parse("selection:\n  ratios: [0.1, 1.5]\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exp.yaml: selection.ratios: each ratio must be in (0, 1], found 1.5");
    }

    @Test
    void unknownKeyIsNamedWithItsPath() {
        assertThatThrownBy(() -> ExperimentConfig.parse("search:\n  epochz: 3\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("exp.yaml: unknown key 'search.epochz'");
    }

    @Test
    void wrongTypeNamesTheKey() {
        assertThatThrownBy(() -> ExperimentConfig.parse("search:\n  epochs: many\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("exp.yaml: search.epochs:");
    }

    @Test
    void repeatedSeedsAreRejected() {
        assertThatThrownBy(() -> ExperimentConfig.parse("seeds: [1, 1]\n", "exp.yaml"))
                .hasMessage("exp.yaml: seeds: must not repeat a seed");
    }

    @Test
    void theDocumentedExampleParses() throws java.io.IOException {
        ExperimentConfig c = ExperimentConfig.read(java.nio.file.Path.of("examples/experiment.yaml"));
        assertThat(c.seeds()).hasSize(3);
        assertThat(c.selection().methods()).contains("proxy", ExperimentConfig.FULL);
    }

    @Test
    void theAllAlgorithmsExampleParsesAndNamesEveryAlgorithm() throws java.io.IOException {
        ExperimentConfig c = ExperimentConfig.read(java.nio.file.Path.of("examples/all-algorithms.yaml"));
        assertThat(c.search().algorithms())
                .containsExactlyInAnyOrderElementsOf(org.proxynas.nas.search.SearchAlgorithms.names());
        assertThat(c.search().sgas().settings().lastDecisionEpoch(c.search().nodes())).isLessThan(c.search().epochs());
    }

    @Test
    void theDemoConfigParses() {
        ExperimentConfig c = ExperimentConfig.parse(ExperimentConfigs.demoText(), "demo");
        assertThat(c.selection().methods()).contains("proxy", "proxy+balanced", "random", ExperimentConfig.FULL);
        assertThat(c.limit()).isPositive();
    }
}
