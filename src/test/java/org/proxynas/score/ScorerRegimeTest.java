package org.proxynas.score;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.proxynas.common.Json;

class ScorerRegimeTest {
    @Test
    void fittedNeedsBothTheAccuracyAndTheMedianEntropy() {
        assertThat(new ScorerRegime(0.95, 0.01).fitted()).isTrue();
        assertThat(new ScorerRegime(1.0, 2.8e-5).fitted()).isTrue();
        assertThat(new ScorerRegime(0.9499, 1e-4).fitted()).isFalse();
        assertThat(new ScorerRegime(1.0, 0.0101).fitted()).isFalse();
        assertThat(new ScorerRegime(0.657, 1.07).fitted()).isFalse();
    }

    @Test
    void theWarningNamesTheNumbersTheRegimeAndTheFix() {
        String warning = new ScorerRegime(0.657, 1.07).warning().orElseThrow();
        assertThat(warning).contains("train accuracy 65.7%").contains("median entropy 1.1 nats")
                .contains(">= 95%").contains("<= 0.01 nats").contains("--epochs").contains("--schedule cosine")
                .doesNotContain("\n");
        assertThat(new ScorerRegime(1.0, 0.0016).warning()).isEmpty();
    }

    @Test
    void readsTheMeasuresScoresJsonRecorded() throws Exception {
        JsonNode summary = Json.MAPPER.readTree("{\"trainAccuracy\": 0.97, \"entropy\": {\"quantiles\":"
                + " {\"q0.10\": 1e-6, \"q0.50\": 0.02, \"q0.90\": 0.3}}}");
        ScorerRegime regime = ScorerRegime.read(summary).orElseThrow();
        assertThat(regime.trainAccuracy()).isEqualTo(0.97);
        assertThat(regime.medianEntropy()).isEqualTo(0.02);
        assertThat(regime.fitted()).isFalse();
        assertThat(ScorerRegime.read(Json.MAPPER.readTree("{\"trainAccuracy\": 0.97}"))).isEmpty();
    }

    @Test
    void scoresWithoutPredictionsAreJudgedByTheirMedianEntropyAloneNotAsZeroPercentRight() {
        double[] entropy = {1e-5, 1e-4, 0.5, 0.6, 1.0};
        ScoreTable table = new ScoreTable(new int[] {0, 1, 2, 0, 1}, entropy, null, null, null, null);
        ScorerRegime regime = ScorerRegime.of(table);
        assertThat(regime.trainAccuracy()).isNull();
        assertThat(regime.fitted()).isFalse();
        assertThat(regime.warning().orElseThrow()).contains("train accuracy unknown").doesNotContain("0.0%");
        ScoreTable confident = new ScoreTable(new int[] {0, 1, 2}, new double[] {1e-5, 1e-4, 1e-3}, null, null,
                null, null);
        assertThat(ScorerRegime.of(confident).warning()).isEmpty();
    }

    @Test
    void aTableIsJudgedByItsEvalPredictionsAndItsMedianEntropy() {
        int[] labels = {0, 1, 2, 0, 1};
        int[] predicted = {0, 1, 2, 0, 2};
        double[] entropy = {1e-5, 1e-4, 0.005, 0.5, 1.0};
        ScoreTable table = new ScoreTable(labels, entropy, predicted, new double[5], new double[5], null);
        ScorerRegime regime = ScorerRegime.of(table);
        assertThat(regime.trainAccuracy()).isEqualTo(0.8);
        assertThat(regime.medianEntropy()).isEqualTo(0.005);
    }

    @Test
    void theJsonFormCarriesTheVerdictAndTheThresholdsAndReadsBack() throws Exception {
        String json = Json.line(new ScorerRegime(0.99, 0.003));
        JsonNode node = Json.MAPPER.readTree(json);
        assertThat(node.path("fitted").asBoolean()).isTrue();
        assertThat(node.path("minTrainAccuracy").asDouble()).isEqualTo(ScorerRegime.MIN_TRAIN_ACCURACY);
        assertThat(node.path("maxMedianEntropy").asDouble()).isEqualTo(ScorerRegime.MAX_MEDIAN_ENTROPY);
        assertThat(Json.MAPPER.readValue(json, ScorerRegime.class)).isEqualTo(new ScorerRegime(0.99, 0.003));
    }
}
