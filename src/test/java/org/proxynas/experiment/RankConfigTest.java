package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.proxynas.common.Json;

class RankConfigTest {
    private static RankConfig.Builder tiny() {
        return RankConfig.builder().setDataset("fashion-mnist").setScores(Path.of("scores.csv")).setOut(Path.of("out"))
                .optEpochs(3).optBatchSize(25);
    }

    @Test
    void anEpochsBudgetTrainsEveryNetworkTheSameEpochs() {
        RankConfig config = tiny().build();
        assertThat(config.budget()).isEqualTo(RankConfig.Budget.EPOCHS);
        assertThat(config.epochsOn(50, 200)).isEqualTo(3);
        assertThat(config.epochsOn(200, 200)).isEqualTo(3);
    }

    /** 200 examples are 8 batches of 25, 3 epochs 24 steps; 50 examples are 2 batches, 45 examples too. */
    @Test
    void aStepsBudgetGivesAProxyTheStepsOfAllDataInWholeEpochs() {
        RankConfig config = tiny().optBudget(RankConfig.Budget.STEPS).build();
        assertThat(config.epochsOn(200, 200)).isEqualTo(3);
        assertThat(config.epochsOn(50, 200)).isEqualTo(12);
        assertThat(config.epochsOn(45, 200)).isEqualTo(12);
        assertThat(config.epochsOn(70, 200)).isEqualTo(8); // 3 batches: 24 steps exactly
        assertThat(config.epochsOn(80, 200)).isEqualTo(6); // 4 batches
        assertThat(config.epochsOn(110, 200)).isEqualTo(5); // 5 batches: 25 steps, rounded up
    }

    /** A cluster worker rebuilds the study from the definition file the driver wrote. */
    @Test
    void theDefinitionFileReadsBackAsTheSameConfigWithAbsolutePaths() throws Exception {
        RankConfig config = tiny().optBudget(RankConfig.Budget.STEPS).optGenotypes(List.of("DARTS_V2")).build();
        String json = Json.MAPPER.writeValueAsString(config.absolute());
        RankConfig read = Json.MAPPER.readValue(json, RankConfig.class);
        assertThat(read).isEqualTo(config.absolute());
        assertThat(read.scores()).isAbsolute().isEqualTo(Path.of("scores.csv").toAbsolutePath());
        assertThat(read.out()).isAbsolute();
    }

    @Test
    void budgetsReadAndWriteAsLowerCaseWords() {
        assertThat(RankConfig.Budget.parse("steps")).isEqualTo(RankConfig.Budget.STEPS);
        assertThat(RankConfig.Budget.EPOCHS.label()).isEqualTo("epochs");
    }
}
