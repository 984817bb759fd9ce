package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.proxynas.common.Json;
import org.proxynas.common.Precision;
import org.proxynas.nas.search.SearchConfig;
import org.proxynas.nas.space.Genotype;
import org.proxynas.score.ScoringConfig;
import org.proxynas.train.TrainConfig;

class ExperimentConfigTest {
    private static final Path DIR = Path.of("stage");

    private static SearchConfig search(ExperimentConfig c, String algorithm) {
        return c.search().config(c.dataset(), algorithm, 0, null, DIR);
    }

    private static TrainConfig training(ExperimentConfig c) {
        return c.training().config(c.dataset(), "cell", Genotype.named("DARTS_V2"), 0, c.testLimit(), null, DIR);
    }

    @Test
    void missingKeysTakeTheJobsDefaults() {
        ExperimentConfig c = ExperimentConfig.parse("dataset: fashion-mnist\n", "t");
        assertThat(c.seeds()).containsExactly(0L);
        assertThat(c.selection().methods()).containsExactly("proxy", "random", "full");
        assertThat(c.selection().ratios()).containsExactly(0.1);
        assertThat(search(c, "darts")).isEqualTo(SearchConfig.builder().setDataset("fashion-mnist")
                .setAlgorithm("darts").setOutDir(DIR).optSgas(SearchConfig.SgasSettings.DEFAULTS)
                .optGdas(SearchConfig.GdasSettings.DEFAULTS).build());
        assertThat(training(c).epochs()).isEqualTo(TrainConfig.CELL_DEFAULTS.epochs());
        assertThat(c.training().channels()).isEqualTo(36);
        assertThat(c.scoringConfig(DIR).epochs()).isEqualTo(ScoringConfig.DEFAULTS.epochs());
    }

    /** A section is its job's config: every key of the job's config.json that the study does not fill. */
    @Test
    void everySettingOfAJobCanBeSetUnderItsConfigJsonName() {
        ExperimentConfig c = ExperimentConfig.parse("""
                scoring: {momentum: 0.8, weightDecay: 5e-4, milestones: [3], schedule: step, augment: false}
                search: {lrMin: 0.002, archBeta1: 0.6, trainPortion: 0.6, nodes: 3, gdas: {tauMax: 5}}
                training: {lr: 0.05, gradClip: 3, auxWeight: 0.2, precision: fp16, layers: 6}
                """, "t");
        ScoringConfig scoring = c.scoringConfig(DIR);
        assertThat(scoring.momentum()).isEqualTo(0.8);
        assertThat(scoring.milestones()).containsExactly(3);
        assertThat(scoring.augment()).isFalse();
        SearchConfig darts = search(c, "darts").resolved();
        assertThat(darts.lrMin()).isEqualTo(0.002);
        assertThat(darts.archBeta1()).isEqualTo(0.6);
        assertThat(darts.multiplier()).as("DARTS' multiplier follows the nodes").isEqualTo(3);
        assertThat(search(c, "gdas").resolved().gdas().tauMax()).isEqualTo(5);
        assertThat(search(c, "gdas").resolved().gdas().tauMin()).as("the nested default stays").isEqualTo(0.1);
        TrainConfig training = training(c);
        assertThat(training.lr()).isEqualTo(0.05);
        assertThat(training.auxWeight()).isEqualTo(0.2);
        assertThat(training.precision()).isEqualTo(Precision.FP16);
        assertThat(c.training().layers()).isEqualTo(6);

        JsonNode searchJson = Json.MAPPER.valueToTree(SearchConfig.DEFAULTS);
        for (Iterator<String> keys = searchJson.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!java.util.List.of("dataset", "subsetFile", "algorithm", "seed", "outDir").contains(key)) {
                assertThat(ExperimentConfig.Search.JOB.defaults().has(key)).as(key).isTrue();
            }
        }
    }

    @Test
    void anUnknownKeyIsNamedWithTheClosestValidOneAndItsLine() {
        assertThatThrownBy(() -> ExperimentConfig.parse("search:\n  epochz: 3\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("exp.yaml: search.epochz: unknown key; did you mean epochs?")
                .hasMessageEndingWith("(line 2, column 11)");
        assertThatThrownBy(() -> ExperimentConfig.parse("serch:\n  epochs: 3\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: serch: unknown key; did you mean search?");
        assertThatThrownBy(() -> ExperimentConfig.parse("evaluation: {epochs: 3}\n", "exp.yaml"))
                .hasMessageContaining("(the section 'evaluation' is now called 'training')");
        assertThatThrownBy(() -> ExperimentConfig.parse("search: {outDir: x}\n", "exp.yaml"))
                .as("the study fills the outputs").hasMessageStartingWith("exp.yaml: search.outDir: unknown key");
    }

    @Test
    void aValueTheJobsRecordRefusesIsNamedWithItsKeyAndLine() {
        assertThatThrownBy(() -> ExperimentConfig.parse("search:\n  layers: 2\n", "exp.yaml"))
                .hasMessage("exp.yaml: search.layers: must be >= 3 (two reduction cells and a normal one), found 2"
                        + " (line 2, column 11)");
        assertThatThrownBy(() -> ExperimentConfig.parse("training: {layers: 2}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: training.layers: must be >= 3");
        assertThatThrownBy(() -> ExperimentConfig.parse("search: {algorithms: [sgas], epochs: 5}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: search.epochs: 5 is too short for sgas");
        assertThatThrownBy(() -> ExperimentConfig.parse("scoring: {schedule: cosine, milestones: [3]}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: scoring.milestones: apply only to the step schedule");
    }

    @Test
    void aRankingSectionIsOptionalAndTakesTheRankDefaults() {
        assertThat(ExperimentConfig.parse("dataset: fashion-mnist\n", "t").ranking()).isNull();
        ExperimentConfig c = ExperimentConfig.parse("ranking: {budget: steps}\n", "t");
        RankConfig r = c.rankConfig(DIR.resolve("scores.csv"), DIR);
        assertThat(r.methods()).containsExactly("proxy", "random");
        assertThat(r.architectures()).isEqualTo(RankConfig.DEFAULTS.architectures());
        assertThat(r.budget()).isEqualTo(RankConfig.Budget.STEPS);
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {architectures: 2}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: ranking.architectures: must rank at least 3");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {methods: [proxy, best]}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: ranking.methods: unknown method 'best'");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {budget: hours}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: ranking.budget: expected epochs or steps, found 'hours'");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {seeds: [1]}\n", "exp.yaml"))
                .as("the experiment's seeds").hasMessageStartingWith("exp.yaml: ranking.seeds: unknown key");
    }

    @Test
    void aMethodIsNamedWithItsSettingsAsTextOrAsAMap() {
        ExperimentConfig c = ExperimentConfig.parse("selection:\n  methods:\n    - proxy\n"
                + "    - {method: proxy, balanced: true, probability: p2, binWidth: 0.25}\n    - random+balanced\n"
                + "    - full\nranking: {methods: [proxy, {method: proxy, balanced: true}]}\n", "t");
        assertThat(c.selection().methods())
                .containsExactly("proxy", "proxy+balanced+p2+bw0.25", "random+balanced", ExperimentConfig.FULL);
        assertThat(c.rankConfig(DIR, DIR).methods()).containsExactly("proxy", "proxy+balanced");
        assertThatThrownBy(() -> ExperimentConfig.parse("selection:\n  methods: [proxy, {method: proxy, bins: 3}]\n",
                "exp.yaml")).hasMessageStartingWith("exp.yaml: selection.methods[1]: unknown key 'bins' in a method");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {methods: [random+p2]}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: ranking.methods: probability applies only to proxy, not to random");
        assertThatThrownBy(() -> ExperimentConfig.parse("ranking: {methods: [proxy+p1, proxy]}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: ranking.methods: must not repeat a method");
    }

    @Test
    void trainingPrecisionDefaultsToFp32AndNamesTheChoicesWhenWrong() {
        assertThat(training(ExperimentConfig.parse("{}", "t")).precision()).isEqualTo(Precision.FP32);
        assertThat(training(ExperimentConfig.parse("training: {precision: bf16}\n", "t")).precision())
                .isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> ExperimentConfig.parse("training: {precision: half}\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exp.yaml: training.precision: must be fp32, fp16 or bf16, found 'half' (line 1, column 23)");
    }

    @Test
    void jsonIsAcceptedToo() {
        ExperimentConfig c = ExperimentConfig.parse("{\"seeds\": [1, 2], \"search\": {\"epochs\": 3}}", "t");
        assertThat(c.seeds()).containsExactly(1L, 2L);
        assertThat(search(c, "darts").epochs()).isEqualTo(3);
        assertThat(search(c, "darts").layers()).isEqualTo(8);
    }

    @Test
    void aConfigWrittenToJsonReadsBackAsTheSameConfig() throws Exception {
        ExperimentConfig c = ExperimentConfig.parse("""
                scoring: {epochs: 4, shards: 2}
                search: {algorithms: [darts, sgas], epochs: 40, sgas: {decisionWarmup: 2}}
                training: {epochs: 2, auxiliary: false, trainLimit: 100}
                ranking: {architectures: 4}
                """, "t");
        ExperimentConfig back = ExperimentConfig.parse(Json.pretty(c), "results.json");
        assertThat((JsonNode) Json.MAPPER.valueToTree(back)).isEqualTo(Json.MAPPER.valueToTree(c));
        assertThat(back.search().algorithms()).containsExactly("darts", "sgas");
        assertThat(back.training().auxiliary()).isFalse();
    }

    @Test
    void scoringShardsDefaultToOneAndMustBePositive() {
        assertThat(ExperimentConfig.parse("{}", "t").scoring().shards()).isEqualTo(1);
        assertThat(ExperimentConfig.parse("scoring: {shards: 4}\n", "t").scoring().shards()).isEqualTo(4);
        assertThatThrownBy(() -> ExperimentConfig.parse("scoring: {shards: 0}\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exp.yaml: scoring.shards: must be positive, found 0 (line 1, column 19)");
        assertThatThrownBy(() -> ExperimentConfig.parse("scoring: {shards: 1.5}\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: scoring.shards: expected an integer, found 1.5");
    }

    @Test
    void ratioOutOfRangeNamesTheKey() {
        assertThatThrownBy(() -> ExperimentConfig.parse("selection:\n  ratios: [0.1, 1.5]\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("exp.yaml: selection.ratios: ratio must be in (0, 1], found 1.5");
    }

    @Test
    void wrongTypeNamesTheKey() {
        assertThatThrownBy(() -> ExperimentConfig.parse("search:\n  epochs: many\n", "exp.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("exp.yaml: search.epochs:")
                .hasMessageEndingWith("(line 2, column 11)");
    }

    @Test
    void repeatedSeedsAreRejected() {
        assertThatThrownBy(() -> ExperimentConfig.parse("seeds: [1, 1]\n", "exp.yaml"))
                .hasMessageStartingWith("exp.yaml: seeds: must not repeat a seed");
    }

    @Test
    void theDocumentedExampleParses() throws java.io.IOException {
        ExperimentConfig c = ExperimentConfig.read(Path.of("examples/experiment.yaml"));
        assertThat(c.seeds()).hasSize(3);
        assertThat(c.selection().methods()).contains("proxy", ExperimentConfig.FULL);
    }

    @Test
    void theAllAlgorithmsExampleParsesAndNamesEveryAlgorithm() throws java.io.IOException {
        ExperimentConfig c = ExperimentConfig.read(Path.of("examples/all-algorithms.yaml"));
        assertThat(c.search().algorithms())
                .containsExactlyInAnyOrderElementsOf(org.proxynas.nas.search.SearchAlgorithms.names());
        SearchConfig sgas = search(c, "sgas");
        assertThat(sgas.sgas().lastDecisionEpoch(sgas.nodes())).isLessThan(sgas.epochs());
    }

    @Test
    void theDemoConfigParses() {
        ExperimentConfig c = ExperimentConfig.parse(ExperimentConfigs.demoText(), "demo");
        assertThat(c.selection().methods()).contains("proxy", "proxy+balanced", "random", ExperimentConfig.FULL);
        assertThat(c.limit()).isPositive();
    }
}
