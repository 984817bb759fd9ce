package org.proxynas.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.proxynas.common.Json;
import org.proxynas.common.Provenance;
import org.proxynas.score.ScorerRegime;

/**
 * What {@code results.json} holds: the config, every run, the per-group summary, the ranking study (null when
 * the config has none), the proxies that miss or under-represent classes ({@code classWarnings}, in words),
 * whether the scorer had fit its data ({@code scorer}, null for results written before it was recorded),
 * wall time per stage, the commands that reproduce it, and provenance. The HTML report
 * is rendered from this plus the stage artifacts it points to.
 */
public record ExperimentResults(
        ExperimentConfig config,
        Map<String, Double> stageSeconds,
        List<RunResult> runs,
        List<SummaryRow> summary,
        RankResults ranking,
        List<ClassWarning> classWarnings,
        ScorerRegime scorer,
        List<String> commands,
        Provenance provenance) {

    public ExperimentResults {
        stageSeconds = Map.copyOf(stageSeconds);
        runs = List.copyOf(runs);
        summary = List.copyOf(summary);
        commands = List.copyOf(commands);
        classWarnings = classWarnings == null ? List.of() : List.copyOf(classWarnings);
    }

    @JsonIgnore
    public String provenanceText() {
        try {
            return Json.pretty(provenance);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
