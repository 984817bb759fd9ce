package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.Json;
import org.proxynas.common.RunContext;
import org.proxynas.report.ReportBuilder;

/**
 * An experiment with the adaptive methods (issue 37) beside a static proxy, on 200 Fashion-MNIST images: two search
 * epochs with one re-selection between them, scoring half of the 200.
 */
class AdaptiveExperimentTest {
    private static final String TINY = """
            dataset: fashion-mnist
            limit: 200
            testLimit: 100
            seeds: [0]
            scoring: {epochs: 1, batchSize: 50}
            selection: {methods: [proxy, adaptive, adaptive-random], ratios: [0.25]}
            search: {algorithms: [darts], epochs: 2, layers: 3, channels: 4, batchSize: 25,
                     reselection: {reselectEvery: 1, poolFraction: 0.5}}
            training: {epochs: 1, layers: 3, channels: 4, batchSize: 50, auxiliary: false, cutout: 0,
                         dropPath: 0.0, trainLimit: 200}
            """;

    @TempDir
    Path tmp;

    @Test
    void adaptiveMethodsSearchWithoutSelectionStagesAndReportTheirCosts() throws IOException {
        Path out = tmp.resolve("exp");
        ExperimentResults results = new ExperimentRunner(ExperimentConfig.parse(TINY, "tiny"), TINY, out,
                RunContext.of(List.of("test"), ComputeDevice.AUTO), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8)).run();

        assertThat(results.runs()).extracting(RunResult::method)
                .containsExactlyInAnyOrder("proxy", "adaptive", "adaptive-random");
        for (RunResult r : results.runs()) {
            assertThat(r.proxySize()).as(r.method()).isEqualTo(50);
            boolean adaptive = r.method().startsWith("adaptive");
            assertThat(r.selectionDir() == null).as(r.method()).isEqualTo(adaptive);
            assertThat(r.reselectionSeconds() > 0).as(r.method()).isEqualTo(adaptive);
            assertThat(r.scoringSeconds() > 0).as(r.method() + " pays for the scores").isEqualTo(!adaptive);
            assertThat(r.reselectionSeconds()).isLessThan(r.searchSeconds());
            assertThat(r.classBalance()).as(r.method()).isBetween(0.0, 1.0);
            if (adaptive) {
                JsonNode first = Json.MAPPER.readTree(Files.readAllLines(out.resolve(r.searchDir())
                        .resolve("log.jsonl")).get(0));
                assertThat(first.at("/reselection/poolSize").asInt()).as("half of the experiment's 200").isEqualTo(100);
                assertThat(first.at("/reselection/size").asInt()).isEqualTo(50);
                assertThat(first.at("/reselection/method").asText())
                        .isEqualTo(r.method().equals("adaptive") ? "proxy" : "random");
            }
        }
        try (Stream<Path> selections = Files.list(out.resolve("stages").resolve("selection"))) {
            assertThat(selections.map(p -> p.getFileName().toString()))
                    .as("selection stages: the static proxy's and the training set's").hasSize(2)
                    .noneMatch(name -> name.startsWith("adaptive"));
        }
        String table = ReportBuilder.table(results);
        assertThat(table).contains("w/o re-sel.").contains("scoring").contains("adaptive-random");
    }
}
