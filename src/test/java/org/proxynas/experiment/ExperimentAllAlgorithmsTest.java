package org.proxynas.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.ComputeDevice;
import org.proxynas.common.RunContext;
import org.proxynas.nas.search.SearchAlgorithms;
import org.proxynas.report.ReportBuilder;

/**
 * Every search algorithm in one experiment, at the smallest sizes that run: one proxy of 50 images,
 * 4 epochs of a 2-node supernet (SGAS decides one edge per epoch from the first), one evaluation epoch.
 */
class ExperimentAllAlgorithmsTest {
    private static final String ALL = """
            dataset: fashion-mnist
            limit: 200
            testLimit: 100
            seeds: [0]
            scoring: {epochs: 1, batchSize: 50}
            selection: {methods: [proxy], ratios: [0.25]}
            search:
              algorithms: [darts, darts-2nd, pc-darts, sdarts-rs, sdarts-adv, sgas, gdas]
              epochs: 4
              layers: 3
              channels: 4
              nodes: 2
              batchSize: 25
              sgas: {decisionWarmup: 0, decisionFrequency: 1}
            training: {epochs: 1, layers: 3, channels: 4, batchSize: 50, auxiliary: false, cutout: 0,
                         dropPath: 0.0, trainLimit: 200}
            """;

    @TempDir
    Path tmp;

    @Test
    void runsEverySearchAlgorithmAndReportsEachOne() throws IOException {
        ExperimentResults results = runner(ALL, tmp.resolve("all")).run();

        assertThat(results.runs()).extracting(RunResult::algorithm)
                .containsExactlyInAnyOrderElementsOf(SearchAlgorithms.names());
        assertThat(results.summary()).extracting(SummaryRow::algorithm)
                .containsExactlyInAnyOrderElementsOf(SearchAlgorithms.names());
        ReportBuilder.rebuild(tmp.resolve("all"));
        String html = Files.readString(tmp.resolve("all").resolve(ReportBuilder.REPORT));
        for (RunResult r : results.runs()) {
            assertThat(html).contains("<td>" + r.algorithm() + "</td>").contains(r.genotype());
            assertThat(r.testAccuracy()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void anSgasScheduleLongerThanTheEpochsFailsBeforeAnyWork() {
        Path dir = tmp.resolve("short");
        assertThatThrownBy(() -> runner(ALL.replace("epochs: 4", "epochs: 3"), dir).run())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("search.epochs: 3 is too short for sgas")
                .hasMessageContaining("decisionFrequency 1");
        assertThat(dir).doesNotExist();
    }

    private static ExperimentRunner runner(String yaml, Path out) {
        return new ExperimentRunner(ExperimentConfig.parse(yaml, "all-algorithms"), yaml, out,
                RunContext.of(List.of("test"), ComputeDevice.AUTO),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
